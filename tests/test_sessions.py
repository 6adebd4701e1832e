"""Sessions and jobs against short tokens (issue 15, docs/security.md, docs/sdk.md).

With `OIDC_USE_REFRESH_TOKEN=true` a session lasts one access token and is then refreshed at
Keycloak. So it keeps working past the token's lifetime, and it ends, within one lifetime,
when the user is disabled in Keycloak or their Keycloak session is signed out. Meanwhile a
pipeline identity's job logs for three minutes with an MLflow access token it got for its
Keycloak token (docs/sdk.md, "Jobs that outlive a token"). The token lifetime is shortened
to 60 s here (the bundle's is 300 s) and put back afterwards.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from conftest import ROOT, transcript
from mlflow_oidc_stack.keycloak.admin import LoginError, http_login, user_token

pytestmark = pytest.mark.stack
LIFE = 60  # seconds: the access-token lifetime under test
JOB = 180  # seconds the long job logs for
API = "/api/2.0/mlflow"


def current(session, url: str) -> int:
    return session.get(f"{url}/api/2.0/mlflow/users/current", timeout=60).status_code


def keycloak_sessions(kc, realm: str, user_id: str, client_uuid: str) -> list[dict]:
    """The user's sessions for the client. The plugin asks for offline_access, so Keycloak
    keeps an offline session for each MLflow login."""
    path = f"admin/realms/{realm}/users/{user_id}/offline-sessions/{client_uuid}"
    return kc.connection.raw_get(path).json()


class LongJob(threading.Thread):
    """A pipeline identity's training job: trades its Keycloak token for an MLflow access
    token with a stated expiry, then logs a metric every 10 s for JOB seconds."""

    def __init__(self, stack, name: str, secret: str):
        super().__init__(daemon=True)
        self.url, self.name = stack.mlflow_url, name
        self.jwt = user_token(stack.rendered, name, secret)["access_token"]
        self.statuses: list[tuple[float, int]] = []
        self.error = ""

    def run(self) -> None:
        try:
            bearer = {"Authorization": f"Bearer {self.jwt}"}
            expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            r = requests.patch(
                f"{self.url}{API}/users/access-token", headers=bearer, json={"expiration": expires}, timeout=60
            )
            r.raise_for_status()
            auth = (f"service-account-{self.name}", r.json()["token"])
            exp = requests.post(
                f"{self.url}{API}/experiments/create", auth=auth, json={"name": f"job-{self.name}"}, timeout=60
            )
            exp.raise_for_status()
            run = requests.post(
                f"{self.url}{API}/runs/create",
                auth=auth,
                json={"experiment_id": exp.json()["experiment_id"], "start_time": 1},
                timeout=60,
            )
            run.raise_for_status()
            run_id, t0, step = run.json()["run"]["info"]["run_id"], time.monotonic(), 0
            while time.monotonic() - t0 < JOB:
                r = requests.post(
                    f"{self.url}{API}/runs/log-metric",
                    auth=auth,
                    json={"run_id": run_id, "key": "loss", "value": 1 / (step + 1), "timestamp": step, "step": step},
                    timeout=60,
                )
                self.statuses.append((round(time.monotonic() - t0), r.status_code))
                step += 1
                time.sleep(10)
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"


def test_sessions_refresh_past_the_token_and_end_with_the_keycloak_account_or_session(
    stack, kc_admin, make_user, groups
):
    url, realm = stack.mlflow_url, stack.rendered.realm
    client_uuid = kc_admin.get_client_id(stack.rendered.env("mlflow")["OIDC_CLIENT_ID"])
    name = f"job-{uuid.uuid4().hex[:6]}"
    # First: the bootstrap converges the whole realm, the client's token lifetime included.
    made = subprocess.run(
        [str(ROOT / "scripts" / "bootstrap-keycloak"), "--env-file", str(stack.env_file), "--service-account", name],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    attributes = kc_admin.get_client(client_uuid)["attributes"]
    kc_admin.update_client(client_uuid, {"attributes": {**attributes, "access.token.lifespan": str(LIFE)}})
    job_uuid = kc_admin.get_client_id(name)
    job_attributes = kc_admin.get_client(job_uuid)["attributes"]
    kc_admin.update_client(job_uuid, {"attributes": {**job_attributes, "access.token.lifespan": str(LIFE)}})
    job = LongJob(stack, name, made.stdout.split("client secret ", 1)[1].split()[0])
    job.start()
    try:
        disabled = make_user(groups["users"], prefix="offboard")
        signed_out = make_user(groups["users"], prefix="signout")
        sessions = {u.username: http_login(url, u.username, u.password, timeout=60)[0] for u in (disabled, signed_out)}
        assert [current(s, url) for s in sessions.values()] == [200, 200]
        assert keycloak_sessions(kc_admin, realm, signed_out.id, client_uuid), "no Keycloak session to sign out"

        time.sleep(LIFE + 10)  # past the first access token's expiry: each session refreshed
        assert [current(s, url) for s in sessions.values()] == [200, 200]

        kc_admin.update_user(disabled.id, {"enabled": False})
        for held in keycloak_sessions(kc_admin, realm, signed_out.id, client_uuid):
            path = f"admin/realms/{realm}/sessions/{held['id']}"
            assert kc_admin.connection.raw_delete(path, isOffline="true").status_code == 204
        t0, ended = time.monotonic(), {}
        while len(ended) < len(sessions) and time.monotonic() - t0 < LIFE + 15:
            for name, session in sessions.items():
                if name not in ended:
                    code = current(session, url)
                    assert code in (200, 401), f"{name}: {code}"  # a refused refresh is never a 500
                    if code == 401:
                        ended[name] = round(time.monotonic() - t0, 1)
            time.sleep(1)
        transcript("sessions", f"[{stack.mode}] session ended after: {ended} s (token lifetime {LIFE} s)")
        assert set(ended) == set(sessions), f"still signed in after {LIFE + 15} s: {set(sessions) - set(ended)}"

        # The UI sends them back to log in, and Keycloak refuses the disabled one.
        page = sessions[disabled.username].get(f"{url}/", timeout=60)
        assert page.status_code < 500
        with pytest.raises(LoginError):
            http_login(url, disabled.username, disabled.password, timeout=60)

        job.join(JOB + 60)
        transcript("long-job", f"[{stack.mode}] long job (token lifetime {LIFE} s): (second, status) {job.statuses}")
        assert not job.error, job.error
        assert len(job.statuses) >= JOB // 10 - 1 and all(code == 200 for _, code in job.statuses), job.statuses
        assert job.statuses[-1][0] >= 2 * LIFE
        stale = requests.get(f"{url}{API}/users/current", headers={"Authorization": f"Bearer {job.jwt}"}, timeout=60)
        assert stale.status_code == 401, "the job's first Keycloak token outlived its lifetime"
    finally:
        kc_admin.update_client(client_uuid, {"attributes": attributes})
        kc_admin.delete_client(job_uuid)

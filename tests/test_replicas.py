"""Several MLflow servers (MLFLOW_REPLICAS, docs/scaling.md) behind the HTTPS profile's proxy,
on both modes: they share the secret key, the auth database (sessions), Redis (the permission
cache) and the artifact store (S3). The HTTPS stack of tests/conftest.py runs two.

Each server also has its own direct port (MLFLOW_PORT and the next), which these tests use to
talk to one server or the other."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import requests
from tests.test_e2e import run_sdk
from tests.test_https import access_token

from conftest import trusting
from mlflow_oidc_stack.keycloak.admin import create_person, http_login, keycloak_admin

pytestmark = pytest.mark.stack
API = "/api/2.0/mlflow"
# The plugin's permission cache (Redis, shared by the servers) keeps an answer this long
# (`permissions_v2 ttl=30s` in MLflow's log): the bound for a grant to reach every server.
PERMISSION_CACHE_TTL_S = 30


@pytest.fixture(scope="module")
def servers(https_stack) -> list[str]:
    urls = https_stack.rendered.replica_urls()
    assert len(urls) == 2 and https_stack.rendered.replicas("mlflow") == 2
    for url in urls:
        assert requests.get(f"{url}/health/ready", timeout=10).status_code == 200, url
    return urls


@pytest.fixture(scope="module")
def reader(https_stack, public, ca):
    """A second user of the users group, logged in once (MLflow knows them), with a token."""
    admin = keycloak_admin(https_stack.rendered)
    group = https_stack.rendered.env("mlflow")["OIDC_GROUP_NAME"]
    name, password = f"reader-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    uid = create_person(admin, name, password, [group], first="Reader", last="Replica")
    yield f"{name}@example.org", access_token(public, ca, name, password)
    admin.delete_user(uid)


def cookie_header(session: requests.Session) -> str:
    # The session cookie is Secure (HTTPS profile); the servers' direct ports are plain HTTP on
    # loopback, so it is sent by hand, as the proxy would pass it on.
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def test_a_login_is_valid_on_every_server(https_stack, servers, public, people, ca):
    username, password = people["user"]
    session, landed = http_login(public, username, password, session=trusting(ca))
    assert "/oidc/ui/" in landed.url, landed.url
    for url in servers:
        r = requests.get(f"{url}{API}/users/current", headers={"Cookie": cookie_header(session)}, timeout=30)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])


def test_a_permission_granted_through_one_server_is_enforced_on_the_other(servers, people, public, ca, reader):
    a, b = servers
    username, password = people["user"]
    owner = (f"{username}@example.org", access_token(public, ca, username, password))
    exp = requests.post(
        f"{a}{API}/experiments/create", json={"name": f"replicas-{uuid.uuid4().hex[:8]}"}, auth=owner, timeout=30
    )
    assert exp.status_code == 200, exp.text
    exp_id = exp.json()["experiment_id"]
    get = f"{b}{API}/experiments/get?experiment_id={exp_id}"
    assert requests.get(get, auth=reader, timeout=30).status_code == 403, "no permission yet"

    grant = requests.post(
        f"{a}{API}/permissions/users/{reader[0]}/experiments/{exp_id}",
        json={"permission": "READ"},
        auth=owner,
        timeout=30,
    )
    assert grant.status_code in (200, 201), grant.text
    t = time.monotonic()
    while (status := requests.get(get, auth=reader, timeout=30).status_code) != 200:
        assert status == 403, status
        assert time.monotonic() - t < PERMISSION_CACHE_TTL_S + 5, "the grant never reached the other server"
        time.sleep(1)
    print(f"grant through one server enforced on the other after {time.monotonic() - t:.1f} s")


LOG = """
import json, pathlib, sys, tempfile, mlflow
mlflow.set_experiment(sys.argv[1])
with mlflow.start_run() as run:
    path = pathlib.Path(tempfile.mkdtemp()) / "weights.txt"
    path.write_text("logged through server A")
    mlflow.log_artifact(str(path))
print(json.dumps({"run_id": run.info.run_id}))
"""
FETCH = """
import json, pathlib, sys, tempfile
from mlflow.tracking import MlflowClient
local = MlflowClient().download_artifacts(sys.argv[1], "weights.txt", tempfile.mkdtemp())
print(json.dumps({"artifact": pathlib.Path(local).read_text()}))
"""


def sdk(stack, url: str, auth: tuple[str, str], script: str, *args: str) -> dict:
    """The mlflow client against one server's own URL, as test_e2e runs it."""
    env = {"MLFLOW_TRACKING_URI": url, "MLFLOW_TRACKING_USERNAME": auth[0], "MLFLOW_TRACKING_PASSWORD": auth[1]}
    proc = run_sdk(stack, env, *args, script=script)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_an_artifact_logged_through_one_server_downloads_through_the_other(https_stack, servers, people, public, ca):
    a, b = servers
    username, password = people["user"]
    auth = (f"{username}@example.org", access_token(public, ca, username, password))
    run = sdk(https_stack, a, auth, LOG, f"replicas-artifact-{uuid.uuid4().hex[:8]}")
    assert sdk(https_stack, b, auth, FETCH, run["run_id"]) == {"artifact": "logged through server A"}


@pytest.mark.slow
def test_a_server_killed_mid_session_costs_at_most_one_retried_request(https_stack, servers, public, people, ca):
    """A browser session and an SDK-like token loop through the proxy while one server is
    SIGKILLed (and restarted by its supervisor): each retries a failed request once, and
    neither sees more than one failure."""
    username, password = people["user"]
    session, landed = http_login(public, username, password, session=trusting(ca))
    assert "/oidc/ui/" in landed.url, landed.url
    token = (f"{username}@example.org", access_token(public, ca, username, password))
    stop = threading.Event()
    counts = {"session": [0, 0, 0], "token": [0, 0, 0]}  # requests, failures, failures after a retry

    def loop(kind: str) -> None:
        s = trusting(ca) if kind == "token" else session
        kwargs = {"auth": token} if kind == "token" else {}
        url = f"{public}{API}/experiments/search?max_results=1"
        while not stop.is_set():
            counts[kind][0] += 1
            ok = False
            for attempt in range(2):
                try:
                    ok = s.get(url, timeout=30, **kwargs).status_code == 200
                except requests.RequestException:
                    ok = False
                if ok:
                    break
                counts[kind][1 + attempt] += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=loop, args=(k,)) for k in counts]
    for t in threads:
        t.start()
    time.sleep(3)
    killed = https_stack.runtime.pids()["mlflow-2"]
    https_stack.runtime.kill("mlflow-2")
    t0 = time.monotonic()
    # Back means a new process (its supervisor restarted it) that answers its health check.
    while https_stack.runtime.pids().get("mlflow-2") in (None, killed) or not https_stack.runtime.healthy("mlflow-2"):
        assert time.monotonic() - t0 < 180, "the killed server did not come back"
        time.sleep(1)
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(60)
    print(f"[{https_stack.mode}] back in {time.monotonic() - t0:.0f} s; requests, failures, failed retries: {counts}")
    for kind, (n, failed, failed_again) in counts.items():
        assert n > 20, (kind, n)
        assert failed <= 1 and failed_again == 0, (kind, counts)
    # The session is still the same login.
    assert session.get(f"{public}{API}/users/current", timeout=30).status_code == 200

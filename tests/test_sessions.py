"""Browser sessions follow Keycloak (issue 15, docs/security.md).

With `OIDC_USE_REFRESH_TOKEN=true` a session lasts one access token and is then refreshed at
Keycloak. So it keeps working past the token's lifetime, and it ends, within one lifetime,
when the user is disabled in Keycloak or their Keycloak session is signed out. The client's
token lifetime is shortened to 60 s here (the bundle's is 300 s) and put back afterwards.
"""

from __future__ import annotations

import time

import pytest

from mlflow_oidc_stack.keycloak.admin import LoginError, http_login

pytestmark = pytest.mark.stack
LIFE = 60  # seconds: the access-token lifetime under test


def current(session, url: str) -> int:
    return session.get(f"{url}/api/2.0/mlflow/users/current", timeout=60).status_code


def keycloak_sessions(kc, realm: str, user_id: str, client_uuid: str) -> list[dict]:
    """The user's sessions for the client. The plugin asks for offline_access, so Keycloak
    keeps an offline session for each MLflow login."""
    path = f"admin/realms/{realm}/users/{user_id}/offline-sessions/{client_uuid}"
    return kc.connection.raw_get(path).json()


def test_sessions_refresh_past_the_token_and_end_with_the_keycloak_account_or_session(
    stack, kc_admin, make_user, groups
):
    url, realm = stack.mlflow_url, stack.rendered.realm
    client_uuid = kc_admin.get_client_id(stack.rendered.env("mlflow")["OIDC_CLIENT_ID"])
    attributes = kc_admin.get_client(client_uuid)["attributes"]
    kc_admin.update_client(client_uuid, {"attributes": {**attributes, "access.token.lifespan": str(LIFE)}})
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
        print(f"\n[{stack.mode}] session ended after: {ended} s (token lifetime {LIFE} s)")
        assert set(ended) == set(sessions), f"still signed in after {LIFE + 15} s: {set(sessions) - set(ended)}"

        # The UI sends them back to log in, and Keycloak refuses the disabled one.
        page = sessions[disabled.username].get(f"{url}/", timeout=60)
        assert page.status_code < 500
        with pytest.raises(LoginError):
            http_login(url, disabled.username, disabled.password, timeout=60)
    finally:
        kc_admin.update_client(client_uuid, {"attributes": attributes})

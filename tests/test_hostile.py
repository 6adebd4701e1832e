"""Hostile input (issue 9): forged, expired, foreign and tampered credentials, forged cookies,
tampered logins and open redirects. Each is refused with 401 or 403, never 200 or 500, and
never creates a user. The callback and the login redirect answer with a redirect to the
login error page, never a session. Both modes."""

from __future__ import annotations

import base64
import json
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from mlflow_oidc_stack.keycloak.admin import browser_session, http_login, jwt_claims
from mlflow_oidc_stack.ops.backup import data_access

pytestmark = pytest.mark.stack
API = "/api/2.0/mlflow/experiments/search?max_results=1"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def users_in_mlflow(stack) -> int:
    data = data_access(stack.mode, stack.env_file, stack.state)
    db = urlsplit(stack.rendered.env("mlflow")["OIDC_USERS_DB_URI"]).path.lstrip("/")
    return int(data.psql(db, "SELECT count(*) FROM users"))


@pytest.fixture
def no_new_user(stack):
    before = users_in_mlflow(stack)
    yield
    assert users_in_mlflow(stack) == before, "a refused credential created a user"


def refused(response: requests.Response) -> None:
    assert response.status_code in (401, 403), (response.status_code, response.text[:300])


def audience_mapper(audience: str) -> dict:
    return {
        "name": "aud",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-audience-mapper",
        "config": {"included.client.audience": audience, "access.token.claim": "true"},
    }


def confidential_client(kc_admin, client_id: str, secret: str, **extra) -> str:
    """A client with a service account and client credentials only; returns its id."""
    return kc_admin.create_client(
        {
            "clientId": client_id,
            "secret": secret,
            "publicClient": False,
            "serviceAccountsEnabled": True,
            "standardFlowEnabled": False,
            **extra,
        }
    )


@pytest.fixture(scope="module")
def machine_client(kc_admin, stack):
    """A confidential client of the stack's realm whose service-account tokens carry
    aud=<MLflow's client> and live 2 seconds."""
    audience = stack.rendered.env("mlflow")["OIDC_CLIENT_ID"]
    cid, secret = f"hostile-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    uuid_ = confidential_client(
        kc_admin, cid, secret, attributes={"access.token.lifespan": "2"}, protocolMappers=[audience_mapper(audience)]
    )
    yield cid, secret
    kc_admin.delete_client(uuid_)


def token_for(stack, realm: str, client_id: str, secret: str) -> str:
    url = f"{stack.rendered.keycloak_url()}/realms/{realm}/protocol/openid-connect/token"
    r = requests.post(
        url, data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}, timeout=20
    )
    r.raise_for_status()
    return r.json()["access_token"]


def bearer(stack, token: str) -> requests.Response:
    return requests.get(stack.mlflow_url + API, headers={"Authorization": f"Bearer {token}"}, timeout=20)


def test_expired_bearer_token(stack, machine_client, no_new_user):
    token = token_for(stack, stack.rendered.realm, *machine_client)
    time.sleep(3.5)
    assert jwt_claims(token)["exp"] < time.time()
    refused(bearer(stack, token))


def test_bearer_token_with_another_audience(stack, kc_admin, no_new_user):
    cid, secret = f"noaud-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    uuid_ = confidential_client(kc_admin, cid, secret)
    try:
        token = token_for(stack, stack.rendered.realm, cid, secret)
        assert stack.rendered.env("mlflow")["OIDC_AUDIENCE"] not in str(jwt_claims(token).get("aud"))
        refused(bearer(stack, token))
    finally:
        kc_admin.delete_client(uuid_)


def test_bearer_token_from_another_realm(stack, kc_admin, no_new_user):
    from mlflow_oidc_stack.keycloak.admin import keycloak_admin

    realm = f"foreign-{uuid.uuid4().hex[:6]}"
    master = keycloak_admin(stack.rendered, realm="master")
    master.create_realm({"realm": realm, "enabled": True, "sslRequired": "none"})
    try:
        foreign = keycloak_admin(stack.rendered, realm=realm)
        audience = stack.rendered.env("mlflow")["OIDC_CLIENT_ID"]
        confidential_client(foreign, "intruder", "intruder-secret-123456", protocolMappers=[audience_mapper(audience)])
        token = token_for(stack, realm, "intruder", "intruder-secret-123456")
        refused(bearer(stack, token))
    finally:
        master.delete_realm(realm)


def test_tampered_signature_and_alg_none(stack, machine_client, kc_admin, no_new_user):
    token = token_for(stack, stack.rendered.realm, *machine_client)
    header, payload, signature = token.split(".")
    flipped = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    refused(bearer(stack, f"{header}.{payload}.{flipped}"))
    # A payload that claims more, with the original signature.
    claims = jwt_claims(token)
    claims["preferred_username"] = "admin"
    refused(bearer(stack, f"{header}.{b64(json.dumps(claims).encode())}.{signature}"))
    none = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    refused(bearer(stack, f"{none}.{payload}."))


def test_forged_session_cookies(stack, no_new_user):
    for value in (
        "forged",
        b64(b'{"session_id": "' + uuid.uuid4().hex.encode() + b'"}') + ".AAAA.BBBB",
        "eyJzZXNzaW9uX2lkIjogImFkbWluIn0=.Z0000.c2lnbmF0dXJl",
    ):
        r = requests.get(stack.mlflow_url + API, cookies={"session": value}, timeout=20)
        refused(r)


def test_wrong_basic_token(stack, make_user, groups, no_new_user):
    user = make_user(groups["users"], prefix="basic")
    refused(requests.get(stack.mlflow_url + API, auth=(user.email.lower(), "mlf_not_a_real_token"), timeout=20))
    refused(requests.get(stack.mlflow_url + API, auth=("nobody@example.org", "mlf_x"), timeout=20))


def _callback(stack, session, **params):
    r = session.get(f"{stack.mlflow_url}/callback?{urlencode(params)}", allow_redirects=False, timeout=20)
    assert r.status_code != 500 and r.status_code != 200, (r.status_code, r.text[:300])
    assert r.status_code in (302, 303, 307, 400, 401, 403), r.status_code
    if r.status_code in (302, 303, 307):
        assert urlsplit(r.headers["location"]).path.endswith("/oidc/ui/auth"), r.headers["location"]
    assert session.get(stack.mlflow_url + API, timeout=20).status_code == 401, "no session came of it"


def test_tampered_or_replayed_state_and_code(stack, make_user, groups):
    user = make_user(groups["users"], prefix="state")
    # A real, completed login first (it makes the user's row, legitimately).
    session, final = http_login(stack.mlflow_url, user.username, user.password)
    callback = next(h.url for h in final.history if urlsplit(h.url).path == "/callback")
    before = users_in_mlflow(stack)
    # A login in progress, then a callback with another state, or a made-up code.
    s = browser_session()
    first = s.get(f"{stack.mlflow_url}/login", allow_redirects=False, timeout=20)
    state = parse_qs(urlsplit(first.headers["location"]).query)["state"][0]
    _callback(stack, s, state="x" + state[1:], code="whatever")
    s = browser_session()
    s.get(f"{stack.mlflow_url}/login", allow_redirects=False, timeout=20)
    _callback(stack, s, state=state, code="not-a-code")
    # The completed login's callback replayed from another browser, and from the same one.
    params = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
    _callback(stack, browser_session(), **params)
    again = session.get(callback, allow_redirects=False, timeout=20)
    assert again.status_code != 500
    assert users_in_mlflow(stack) == before, "a refused callback created a user"


@pytest.mark.parametrize("param", ["next", "redirect", "redirect_uri", "return_to", "url"])
def test_no_open_redirect_through_login(stack, make_user, groups, param):
    user = make_user(groups["users"], prefix="redir")
    evil = "https://evil.example.org/steal"
    s = browser_session()
    first = s.get(f"{stack.mlflow_url}/login?{param}={evil}", allow_redirects=False, timeout=20)
    assert first.status_code in (302, 303, 307)
    assert "evil.example.org" not in first.headers["location"].split("?", 1)[0]
    query = parse_qs(urlsplit(first.headers["location"]).query)
    assert query["redirect_uri"] == [stack.rendered.env("mlflow")["OIDC_REDIRECT_URI"]]
    s2 = browser_session()
    _, final = http_login(
        stack.mlflow_url, user.username, user.password, session=s2, login_path=f"/login?{param}={evil}"
    )
    for hop in [*final.history, final]:
        assert urlsplit(hop.url).hostname != "evil.example.org", hop.url
    assert urlsplit(final.url).hostname == urlsplit(stack.mlflow_url).hostname
    r = s2.get(f"{stack.mlflow_url}/login?{param}={evil}", allow_redirects=False, timeout=20)
    assert "evil.example.org" not in r.headers.get("location", "").split("?", 1)[0]

"""The doctor's live and client checks, against the session's running stack.

A healthy stack must give zero failures (no false alarms). Each fault is injected either
into a copy of the stack's `.env` / compose file (a stale or wrong setting against the real
services), or into the live stack itself through Keycloak's admin API or by stopping a
service. Live faults are restored in `finally`: the other tests share the stack.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, free_port, transcript
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.doctor import cli as doctor
from mlflow_oidc_stack.doctor import core
from mlflow_oidc_stack.keycloak import admin as oidc
from mlflow_oidc_stack.keycloak.admin import create_person

pytestmark = pytest.mark.stack


def live(stack, env_file: Path | None = None, compose_file: Path | None = None):
    ctx = doctor.load(env_file or stack.env_file, compose_file, mode=stack.mode, state=stack.state)
    assert ctx.rendered is not None, ctx.render_error
    results = core.run(ctx, ["live"])
    return core.by_id(results), results


def env_copy(stack, tmp_path, **overrides) -> Path:
    path = tmp_path / ".env"
    shutil.copyfile(stack.env_file, path)
    envfile.set_values(path, overrides)
    return path


def compose_copy(tmp_path, old: str, new: str) -> Path:
    shutil.copytree(ROOT / "compose", tmp_path / "compose")
    shutil.copytree(ROOT / "keycloak", tmp_path / "keycloak")
    path = tmp_path / "compose" / "docker-compose.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.fixture(scope="module")
def client_uuid(kc_admin, stack):
    return kc_admin.get_client_id(stack.rendered.env("mlflow")["OIDC_CLIENT_ID"])


# --- healthy ---------------------------------------------------------------------------


def test_healthy_stack_has_no_failures(stack):
    ctx = doctor.load(stack.env_file, mode=stack.mode, state=stack.state)
    results = doctor.server_checks(ctx)
    failed = [r for r in results if r.status in ("fail", "skip")]
    assert not failed, failed
    ids = {r.id for r in results}
    assert ids == {c for c in core.REGISTRY if c.startswith(("static.", "live."))}


def test_healthy_stack_exit_code_and_json(stack, capsys):
    code = doctor.main(
        ["--env-file", str(stack.env_file), "--state-dir", str(stack.state), "--mode", stack.mode, "--json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["summary"]["fail"] == 0
    assert data["mode"] == stack.mode


# --- faults in a copy of the settings (a stale or wrong value against the real stack) ----

COPY_FAULTS = {
    "redis password": ({"CACHE_REDIS_PASSWORD": "not-the-redis-password"}, "live.redis-auth", "WRONGPASS"),
    "database password": (
        {"POSTGRES_PASSWORD": "not-the-db-password"},
        "live.db-login",
        "password authentication failed",
    ),
    "stale client id": ({"MLFLOW_CLIENT_ID": "stale-client"}, "live.client", "Client not found"),
    "unknown realm": ({"KEYCLOAK_REALM": "no-such-realm"}, "live.realm", "no realm"),
    "admin password": ({"KC_BOOTSTRAP_ADMIN_PASSWORD": "not-the-admin-password"}, "live.realm", "cannot log in"),
    "stale client secret": ({"MLFLOW_CLIENT_SECRET": "not-the-client-secret-123456"}, "live.client-secret", "differs"),
    "group name": (
        {"MLFLOW_USERS_GROUP": "no-such-group", "MLFLOW_ADMINS_GROUP": "no-such-admins"},
        "live.groups-claim",
        "no such group",
    ),
}


@pytest.mark.parametrize("name", COPY_FAULTS)
def test_setting_fault_fails_its_own_check(stack, tmp_path, name):
    overrides, cid, words = COPY_FAULTS[name]
    checks, results = live(stack, env_copy(stack, tmp_path, **overrides))
    assert checks[cid].status == "fail", [r for r in results if r.id == cid]
    assert words in checks[cid].finding
    assert checks[cid].fix


@pytest.mark.parametrize(
    "var,cid",
    [
        ("MLFLOW_PORT", "live.mlflow"),
        ("POSTGRES_PORT", "live.postgres"),
        ("CACHE_REDIS_PORT", "live.redis"),
        ("KEYCLOAK_PORT", "live.keycloak"),
    ],
)
def test_wrong_port_fails_that_service(stack, tmp_path, var, cid):
    checks, _ = live(stack, env_copy(stack, tmp_path, **{var: str(free_port())}))
    assert checks[cid].status == "fail", checks[cid]
    assert "make ps" in checks[cid].fix or "docker compose ps" in checks[cid].fix


def test_browser_host_the_server_refuses(stack, tmp_path):
    compose = compose_copy(
        tmp_path, "OIDC_REDIRECT_URI: http://localhost:", "OIDC_REDIRECT_URI: http://mlflow.example.org:"
    )
    checks, _ = live(stack, compose_file=compose)
    assert checks["live.allowed-hosts"].status == "fail"
    assert "mlflow.example.org" in checks["live.allowed-hosts"].finding
    assert checks["live.redirect-uri"].status == "fail"


def test_issuer_other_than_configured(stack, tmp_path):
    compose = compose_copy(tmp_path, "OIDC_ISSUER: http://localhost:", "OIDC_ISSUER: http://127.0.0.1:")
    checks, _ = live(stack, compose_file=compose)
    assert checks["live.discovery"].status == "fail"


def reachable_from_mlflow(stack) -> str:
    """A host address the MLflow server can dial: loopback natively; for Compose the host's
    side of the project's frontend network (the containers' gateway)."""
    if stack.mode != "compose":
        return "127.0.0.1"
    proc = subprocess.run(
        [
            "docker",
            "network",
            "inspect",
            f"{stack.runtime.project}_frontend",
            "--format",
            "{{(index .IPAM.Config 0).Gateway}}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


@contextmanager
def fake_discovery(doc: dict, host: str = "127.0.0.1"):
    body = json.dumps(doc).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def test_token_endpoints_unreachable_from_the_server(stack, tmp_path):
    realm = stack.rendered.realm
    issuer = f"{stack.rendered.keycloak_url()}/realms/{realm}"
    dead = free_port()
    host = reachable_from_mlflow(stack)
    with fake_discovery(
        {
            "issuer": issuer,
            "authorization_endpoint": issuer + "/protocol/openid-connect/auth",
            "token_endpoint": f"http://127.0.0.1:{dead}/token",
            "jwks_uri": f"http://127.0.0.1:{dead}/certs",
        },
        host,
    ) as port:
        compose = compose_copy(
            tmp_path, "OIDC_DISCOVERY_URL: http://keycloak:8080/", f"OIDC_DISCOVERY_URL: http://{host}:{port}/"
        )
        checks, _ = live(stack, compose_file=compose)
    assert checks["live.discovery"].status == "ok", checks["live.discovery"]
    assert checks["live.token-endpoints"].status == "fail"


def test_discovery_unreachable_from_the_server(stack, tmp_path):
    compose = compose_copy(
        tmp_path, "OIDC_DISCOVERY_URL: http://keycloak:8080/", f"OIDC_DISCOVERY_URL: http://127.0.0.1:{free_port()}/"
    )
    checks, _ = live(stack, compose_file=compose)
    assert checks["live.discovery"].status == "fail"
    assert "Connection refused" in checks["live.discovery"].finding


# --- faults injected into the live stack, restored afterwards --------------------------


def test_redis_stopped(stack):
    stack.stop("redis")
    try:
        checks, _ = live(stack)
        assert checks["live.redis"].status == "fail"
        assert checks["live.redis-auth"].status == "skip"
    finally:
        stack.start("redis")
    assert live(stack)[0]["live.redis"].status == "ok"


def test_mlflow_stopped_is_named_as_down_and_nothing_else_is_blamed(stack):
    """A stopped service is reported as stopped; checks that need it are skipped, and the
    probes that only need where MLflow runs still run (Compose: a throwaway container)."""
    stack.stop("mlflow")
    try:
        checks, results = live(stack)
        assert checks["live.mlflow"].status == "fail"
        assert "mlflow is " in checks["live.mlflow"].finding or "does not exist" in checks["live.mlflow"].finding
        assert checks["live.allowed-hosts"].status == "skip"
        assert "live.mlflow failed" in checks["live.allowed-hosts"].finding
        for cid in (
            "live.postgres",
            "live.redis",
            "live.db-login",
            "live.keycloak",
            "live.discovery",
            "live.token-endpoints",
        ):
            assert checks[cid].status == "ok", checks[cid]
        assert [r for r in results if r.status == "fail"] == [checks["live.mlflow"]]
    finally:
        stack.start("mlflow")
    assert live(stack)[0]["live.mlflow"].status == "ok"


def _groups_mapper(kc_admin, uuid):
    return next(
        m for m in kc_admin.get_mappers_from_client(uuid) if m["protocolMapper"] == "oidc-group-membership-mapper"
    )


@pytest.mark.parametrize(
    "key,value,cids",
    [
        ("full.path", "true", ["live.groups-mapper", "live.groups-claim"]),
        ("id.token.claim", "false", ["live.groups-mapper", "live.groups-claim"]),
        ("claim.name", "roles-of-groups", ["live.groups-mapper", "live.groups-claim"]),
    ],
)
def test_groups_mapper_fault(stack, kc_admin, client_uuid, key, value, cids):
    mapper = _groups_mapper(kc_admin, client_uuid)
    original = dict(mapper["config"])
    kc_admin.update_client_mapper(client_uuid, mapper["id"], {**mapper, "config": {**original, key: value}})
    try:
        checks, _ = live(stack)
        for cid in cids:
            assert checks[cid].status == "fail", checks[cid]
    finally:
        kc_admin.update_client_mapper(client_uuid, mapper["id"], {**mapper, "config": original})
    assert live(stack)[0]["live.groups-claim"].status == "ok"


def test_redirect_uri_deleted(stack, kc_admin, client_uuid):
    client = kc_admin.get_client(client_uuid)
    wanted = stack.rendered.env("mlflow")["OIDC_REDIRECT_URI"]
    kc_admin.update_client(client_uuid, {**client, "redirectUris": [u for u in client["redirectUris"] if u != wanted]})
    try:
        checks, _ = live(stack)
        assert checks["live.redirect-uri"].status == "fail"
        assert "Invalid parameter: redirect_uri" in checks["live.redirect-uri"].finding
    finally:
        kc_admin.update_client(client_uuid, {**client, "redirectUris": client["redirectUris"]})
    assert live(stack)[0]["live.redirect-uri"].status == "ok"


def test_client_secret_rotated(stack, kc_admin, client_uuid):
    old = kc_admin.get_client_secrets(client_uuid)["value"]
    kc_admin.generate_client_secrets(client_uuid)
    try:
        checks, _ = live(stack)
        assert checks["live.client-secret"].status == "fail"
        assert old not in checks["live.client-secret"].finding
    finally:
        kc_admin.update_client(client_uuid, {**kc_admin.get_client(client_uuid), "secret": old})
    assert kc_admin.get_client_secrets(client_uuid)["value"] == old
    assert live(stack)[0]["live.client-secret"].status == "ok"


def test_ssl_required_all(stack, kc_admin):
    realm = stack.rendered.realm
    before = kc_admin.get_realm(realm)["sslRequired"]
    kc_admin.update_realm(realm, {"sslRequired": "all"})
    try:
        checks, _ = live(stack)
        assert checks["live.ssl-required"].status == "fail"
        assert "HTTPS required" in checks["live.ssl-required"].finding
    finally:
        kc_admin.update_realm(realm, {"sslRequired": before})
    assert live(stack)[0]["live.ssl-required"].status == "ok"


def test_unhardened_realm_is_named_setting_by_setting_and_the_bootstrap_restores_it(stack, kc_admin, client_uuid):
    """A realm made by hand (or before the bundle hardened it): each missing default is its own
    warning with the fix, and `make bootstrap-keycloak` puts every one back."""
    realm = stack.rendered.realm
    attributes = kc_admin.get_client(client_uuid)["attributes"]
    kc_admin.update_realm(
        realm, {"bruteForceProtected": False, "passwordPolicy": "", "eventsEnabled": False, "revokeRefreshToken": False}
    )
    kc_admin.update_client(client_uuid, {"attributes": {**attributes, "access.token.lifespan": "3600"}})
    try:
        _, results = live(stack)
        found = [r for r in results if r.id == "live.realm-hardening"]
        transcript(
            "doctor-unhardened-realm",
            f"[{stack.mode}]\n" + "\n".join(f"{r.status}: {r.finding}\n  fix: {r.fix}" for r in found),
        )
        for key in ("bruteForceProtected", "passwordPolicy", "eventsEnabled", "revokeRefreshToken", "3600 s"):
            assert any(key in r.finding and r.status == "warn" for r in found), key
        assert all("make bootstrap-keycloak" in r.fix for r in found)
    finally:
        proc = subprocess.run(
            [str(ROOT / "scripts" / "bootstrap-keycloak"), "--env-file", str(stack.env_file)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "bruteForceProtected false -> true" in proc.stdout and "access.token.lifespan" in proc.stdout
    assert live(stack)[0]["live.realm-hardening"].status == "ok"


def test_sync_client_refused_is_named_with_its_consequence(stack, kc_admin):
    sync_id = stack.rendered.env("sync-users")["SYNC_CLIENT_ID"]
    uuid = kc_admin.get_client_id(sync_id)
    old = kc_admin.get_client_secrets(uuid)["value"]
    kc_admin.generate_client_secrets(uuid)
    try:
        check = live(stack)[0]["live.sync-users"]
        assert check.status == "fail", check
        assert f"refuses the sync's client {sync_id!r}" in check.finding and "keep their MLflow" in check.finding
        assert "make bootstrap-keycloak" in check.fix
    finally:
        kc_admin.update_client(uuid, {"secret": old})
    assert live(stack)[0]["live.sync-users"].status == "ok"


def test_scope_removed_from_client(stack, kc_admin, client_uuid):
    email = next(s for s in kc_admin.get_client_default_client_scopes(client_uuid) if s["name"] == "email")
    kc_admin.delete_client_default_client_scope(client_uuid, email["id"])
    try:
        checks, _ = live(stack)
        assert checks["live.scopes"].status == "fail"
        assert "Invalid scopes" in checks["live.scopes"].finding
    finally:
        kc_admin.add_client_default_client_scope(client_uuid, email["id"], {})
    assert live(stack)[0]["live.scopes"].status == "ok"


def test_client_disabled_flow(stack, kc_admin, client_uuid):
    client = kc_admin.get_client(client_uuid)
    kc_admin.update_client(client_uuid, {**client, "standardFlowEnabled": False})
    try:
        assert live(stack)[0]["live.client"].status == "fail"
    finally:
        kc_admin.update_client(client_uuid, {**client, "standardFlowEnabled": True})
    assert live(stack)[0]["live.client"].status == "ok"


# --- client checks ---------------------------------------------------------------------


def client_checks(**env):
    return core.by_id(doctor.client_checks({k: v for k, v in env.items() if v is not None}))


@pytest.fixture(scope="module")
def access_token(stack, kc_admin):
    """A real user in the users group, logged in once, with an MLflow access token."""
    import uuid

    name = f"doctor-{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    users = stack.rendered.env("mlflow")["OIDC_GROUP_NAME"]
    uid = create_person(kc_admin, name, password, [users], first="Doctor", last="Client")
    try:
        session, _ = oidc.http_login(stack.mlflow_url, name, password)
        token = session.patch(f"{stack.mlflow_url}/api/2.0/mlflow/users/access-token", json={}, timeout=30)
        token.raise_for_status()
        yield f"{name}@example.org", token.json()["token"]
    finally:
        kc_admin.delete_user(uid)


def test_client_with_a_good_token(stack, access_token):
    user, token = access_token
    checks = client_checks(
        MLFLOW_TRACKING_URI=stack.mlflow_url, MLFLOW_TRACKING_USERNAME=user, MLFLOW_TRACKING_PASSWORD=token
    )
    assert all(r.status == "ok" for r in checks.values()), checks
    assert f"Basic as {user}" in checks["client.credentials"].finding
    assert token not in json.dumps([r.as_dict() for r in checks.values()])


def test_client_with_both_basic_and_bearer_says_basic_wins(stack, access_token):
    user, token = access_token
    checks = client_checks(
        MLFLOW_TRACKING_URI=stack.mlflow_url,
        MLFLOW_TRACKING_USERNAME=user,
        MLFLOW_TRACKING_PASSWORD=token,
        MLFLOW_TRACKING_TOKEN="eyJx.eyJ5.sig",
    )
    assert checks["client.credentials"].status == "warn"
    assert "Basic wins" in checks["client.credentials"].finding
    assert checks["client.authorized"].status == "ok"


def test_client_with_an_idp_bearer_token(stack):
    env = stack.rendered.env("mlflow")
    token = oidc.user_token(stack.rendered, env["OIDC_CLIENT_ID"], env["OIDC_CLIENT_SECRET"])["access_token"]
    checks = client_checks(MLFLOW_TRACKING_URI=stack.mlflow_url, MLFLOW_TRACKING_TOKEN=token)
    assert checks["client.credentials"].finding.startswith("the client sends Bearer token (JWT")
    assert "aud=" in checks["client.credentials"].finding and "exp=" in checks["client.credentials"].finding
    assert checks["client.authorized"].status == "ok", checks["client.authorized"]


CLIENT_FAULTS = {
    "no credentials": (dict(), "client.credentials"),
    "no credentials refused": (dict(), "client.authorized"),
    "password only": (dict(MLFLOW_TRACKING_PASSWORD="mlf_x_y"), "client.credentials"),
    "access token as bearer": (dict(MLFLOW_TRACKING_TOKEN="mlf_abc_def"), "client.credentials"),
    "expired JWT": (
        dict(MLFLOW_TRACKING_TOKEN="eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjEsImF1ZCI6Im1sZmxvdyJ9.c2ln"),
        "client.credentials",
    ),
    "wrong access token": (
        dict(MLFLOW_TRACKING_USERNAME="alice@example.org", MLFLOW_TRACKING_PASSWORD="mlf_wrong_token"),
        "client.authorized",
    ),
}


@pytest.mark.parametrize("name", CLIENT_FAULTS)
def test_client_fault(stack, name):
    env, cid = CLIENT_FAULTS[name]
    checks = client_checks(MLFLOW_TRACKING_URI=stack.mlflow_url, **env)
    assert checks[cid].status == "fail", checks[cid]


def test_client_gets_html(stack, access_token):
    user, token = access_token
    checks = client_checks(
        MLFLOW_TRACKING_URI=stack.mlflow_url + "/oidc/ui", MLFLOW_TRACKING_USERNAME=user, MLFLOW_TRACKING_PASSWORD=token
    )
    assert checks["client.html"].status == "fail"
    assert checks["client.tracking-uri"].status == "warn"


def test_client_on_0000_gets_invalid_host(stack, access_token):
    user, token = access_token
    port = stack.rendered.published("mlflow", 5000).published
    checks = client_checks(
        MLFLOW_TRACKING_URI=f"http://0.0.0.0:{port}", MLFLOW_TRACKING_USERNAME=user, MLFLOW_TRACKING_PASSWORD=token
    )
    assert checks["client.host-header"].status == "fail"
    assert "Invalid Host header" in checks["client.host-header"].finding
    assert "http://localhost:" in checks["client.tracking-uri"].fix

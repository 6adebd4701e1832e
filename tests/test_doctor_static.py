"""The doctor's static checks and its docs, without a running stack.

Every fault is injected into a copy: of a fresh `.env` (made the way users make theirs) or
of compose/ and keycloak/ (so relative paths in the compose file still resolve). Each
fault must make its own check fail (or warn, where the doctor deliberately only warns),
and the untouched copy must give no failure and no warning.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, free_port, make_env
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.doctor import cli as doctor
from mlflow_oidc_stack.doctor import core

DOC = ROOT / "docs" / "troubleshooting.md"


def run_static(env_file: Path, compose_file: Path | None = None, mode: str = "native"):
    ctx = doctor.load(env_file, compose_file, mode=mode, state=env_file.parent / "state")
    results = core.run(ctx, ["static"])
    return core.by_id(results), results


@pytest.fixture
def good_env(tmp_path) -> Path:
    return make_env(tmp_path / ".env")


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of compose/ and keycloak/ to edit; returns the compose file."""
    shutil.copytree(ROOT / "compose", tmp_path / "compose")
    shutil.copytree(ROOT / "keycloak", tmp_path / "keycloak")
    return tmp_path / "compose" / "docker-compose.yml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("mode", ["native", "compose"])
def test_good_env_has_no_findings(good_env, mode):
    checks, results = run_static(good_env, mode=mode)
    bad = [r for r in results if r.status != "ok"]
    assert not bad, bad
    assert set(checks) == {c for c in core.REGISTRY if c.startswith("static.")}


# (.env overrides, expected id, expected status)
ENV_FAULTS = {
    "placeholder secret": ({"MLFLOW_CLIENT_SECRET": "changeme"}, "static.placeholder-secret", "fail"),
    "empty secret stops compose": ({"POSTGRES_PASSWORD": ""}, "static.compose-render", "fail"),
    "empty secret is named": ({"CACHE_REDIS_PASSWORD": ""}, "static.placeholder-secret", "fail"),
    "OIDC_SCOPES in .env": ({"OIDC_SCOPES": "openid email profile"}, "static.ignored-name", "fail"),
    "SESSION_TYPE in .env": ({"SESSION_TYPE": "redis"}, "static.ignored-name", "fail"),
    "a typo in .env": ({"MLFLOW_PROT": "5000"}, "static.ignored-name", "warn"),
    "KC_HOSTNAME_PORT in .env": ({"KC_HOSTNAME_PORT": "8080"}, "static.keycloak-removed-option", "fail"),
    "short secret key": ({"MLFLOW_SECRET_KEY": "tooshort"}, "static.secret-key", "fail"),
    "ports on every interface": ({"BIND_ADDRESS": "0.0.0.0"}, "static.bind-address", "warn"),
    "group path as group name": ({"MLFLOW_USERS_GROUP": "/mlflow-users"}, "static.group-names", "fail"),
    "0.0.0.0 URL in .env": ({"MLFLOW_TRACKING_URI": "http://0.0.0.0:5000"}, "static.public-url", "fail"),
    "plain-http PUBLIC_URL": ({"PUBLIC_URL": "http://localhost:8443"}, "static.compose-render", "fail"),
    "KEYCLOAK_SCHEMA_PRELOAD=yes": ({"KEYCLOAK_SCHEMA_PRELOAD": "yes"}, "static.switches", "fail"),
    "KEYCLOAK_CLASS_ARCHIVE=1": ({"KEYCLOAK_CLASS_ARCHIVE": "1"}, "static.switches", "fail"),
    "MLFLOW_PRELOAD_APP=on": ({"MLFLOW_PRELOAD_APP": "on"}, "static.switches", "fail"),
    "PUBLIC_URL with a path": ({"PUBLIC_URL": "https://localhost:8443/mlflow"}, "static.compose-render", "fail"),
    "MLFLOW_PATH at Keycloak's": (
        {"PUBLIC_URL": "https://localhost:8443", "MLFLOW_PATH": "/auth"},
        "static.compose-render",
        "fail",
    ),
}


@pytest.mark.parametrize("name", ENV_FAULTS)
def test_env_fault_fails_its_own_check(good_env, name):
    overrides, cid, status = ENV_FAULTS[name]
    envfile.set_values(good_env, overrides)
    checks, _ = run_static(good_env)
    assert checks[cid].status == status, checks[cid]
    assert checks[cid].fix
    assert checks[cid].link == f"docs/troubleshooting.md#{cid.replace('.', '-')}"


def test_bind_address_is_not_a_public_url(good_env):
    envfile.set_values(good_env, {"BIND_ADDRESS": "0.0.0.0"})
    checks, _ = run_static(good_env)
    assert checks["static.public-url"].status == "ok"


def test_missing_env_file(tmp_path):
    checks, _ = run_static(tmp_path / ".env")
    assert checks["static.env-file"].status == "fail"
    assert "make secrets" in checks["static.env-file"].fix
    assert all(r.status == "skip" for cid, r in checks.items() if cid != "static.env-file")


def test_render_failure_names_the_variable(good_env):
    envfile.set_values(good_env, {"MLFLOW_CLIENT_SECRET": ""})
    checks, _ = run_static(good_env)
    r = checks["static.compose-render"]
    assert r.status == "fail" and "MLFLOW_CLIENT_SECRET" in r.fix
    assert checks["static.group-names"].status == "skip"  # needs the render; no crash


SVC_ENV_MLFLOW = "      OIDC_GROUPS_ATTRIBUTE: groups\n"
DISCOVERY = "OIDC_DISCOVERY_URL: http://keycloak:8080/"
# (file, old, new, mode, expected id, expected status)
COMPOSE_FAULTS = {
    "OIDC_SCOPES in the service": (
        "compose",
        SVC_ENV_MLFLOW,
        SVC_ENV_MLFLOW + "      OIDC_SCOPES: openid email profile\n",
        "native",
        "static.ignored-name",
        "fail",
    ),
    "REDIS_HOST in the service": (
        "compose",
        SVC_ENV_MLFLOW,
        SVC_ENV_MLFLOW + "      REDIS_HOST: redis\n",
        "native",
        "static.ignored-name",
        "fail",
    ),
    "comma-separated scopes": (
        "compose",
        "OIDC_SCOPE: openid profile email",
        "OIDC_SCOPE: openid,email,profile",
        "native",
        "static.scope",
        "warn",
    ),
    "unknown scope": (
        "compose",
        "OIDC_SCOPE: openid profile email",
        "OIDC_SCOPE: openid profile email groups",
        "native",
        "static.scope",
        "warn",
    ),
    "scope without openid": (
        "compose",
        "OIDC_SCOPE: openid profile email",
        "OIDC_SCOPE: profile email",
        "native",
        "static.scope",
        "fail",
    ),
    "KC_HOSTNAME_PORT in the service": (
        "compose",
        "      KC_HTTP_ENABLED:",
        '      KC_HOSTNAME_PORT: "8080"\n      KC_HTTP_ENABLED:',
        "native",
        "static.keycloak-removed-option",
        "fail",
    ),
    "KC_HOSTNAME a container name": (
        "compose",
        "KC_HOSTNAME: http://localhost:${KEYCLOAK_PORT:-8080}",
        "KC_HOSTNAME: http://keycloak:8080",
        "native",
        "static.keycloak-hostname",
        "fail",
    ),
    "KC_HOSTNAME not a URL": (
        "compose",
        "KC_HOSTNAME: http://localhost:${KEYCLOAK_PORT:-8080}",
        "KC_HOSTNAME: localhost",
        "native",
        "static.keycloak-hostname",
        "fail",
    ),
    "discovery on localhost in a container": (
        "compose",
        DISCOVERY,
        "OIDC_DISCOVERY_URL: http://localhost:${KEYCLOAK_PORT:-8080}/",
        "compose",
        "static.discovery-url",
        "fail",
    ),
    "discovery on localhost natively": (
        "compose",
        DISCOVERY,
        "OIDC_DISCOVERY_URL: http://localhost:${KEYCLOAK_PORT:-8080}/",
        "native",
        "static.discovery-url",
        "warn",
    ),
    "database on localhost in a container": (
        "compose",
        "@postgres:${POSTGRES_PORT:-5432}/${MLFLOW_DB:-mlflow}",
        "@localhost:${POSTGRES_PORT:-5432}/${MLFLOW_DB:-mlflow}",
        "compose",
        "static.container-localhost",
        "fail",
    ),
    "redis on localhost in a container": (
        "compose",
        "@redis:${CACHE_REDIS_PORT:-6379}/0",
        "@localhost:6379/0",
        "compose",
        "static.redis-url",
        "fail",
    ),
    "redirect URI on 0.0.0.0": (
        "compose",
        "OIDC_REDIRECT_URI: http://localhost:",
        "OIDC_REDIRECT_URI: http://0.0.0.0:",
        "native",
        "static.public-url",
        "fail",
    ),
    "redirect URI on the wrong port": (
        "compose",
        "OIDC_REDIRECT_URI: http://localhost:${MLFLOW_PORT:-5000}/callback",
        "OIDC_REDIRECT_URI: http://localhost:5999/callback",
        "native",
        "static.redirect-uri",
        "fail",
    ),
    "client secret typed in": (
        "compose",
        "OIDC_CLIENT_SECRET: ${MLFLOW_CLIENT_SECRET:?MLFLOW_CLIENT_SECRET is required - run `make secrets` to fill .env}",
        "OIDC_CLIENT_SECRET: a-different-secret-value-123456",
        "native",
        "static.credential-mismatch",
        "fail",
    ),
    "no SECRET_KEY with two workers": (
        "compose",
        "SECRET_KEY: ${MLFLOW_SECRET_KEY",
        "UNUSED_KEY: ${MLFLOW_SECRET_KEY",
        "native",
        "static.secret-key",
        "fail",
    ),
    "shared database, one alembic table": (
        "compose",
        "${AUTH_DB:-mlflow_auth}\n      # Back",
        "${MLFLOW_DB:-mlflow}\n      # Back",
        "native",
        "static.alembic-table",
        "fail",
    ),
    "curl in the keycloak healthcheck": (
        "compose",
        "exec 3<>/dev/tcp/127.0.0.1/9000",
        "curl -fs http://localhost:9000/health/ready || exit 1; exec 3<>/dev/tcp/127.0.0.1/9000",
        "native",
        "static.keycloak-healthcheck",
        "fail",
    ),
    "allowed hosts without the browser's": (
        "compose",
        "- localhost:${MLFLOW_PORT:-5000},127.0.0.1:${MLFLOW_PORT:-5000},mlflow:5000",
        "- localhost,127.0.0.1,mlflow:5000",
        "native",
        "static.allowed-hosts",
        "fail",
    ),
    "realm mapper with full paths": (
        "realm",
        '"full.path": "false"',
        '"full.path": "true"',
        "native",
        "static.group-names",
        "fail",
    ),
    "realm mapper without the ID token": (
        "realm",
        '"id.token.claim": "true",\n            "access.token.claim": "true",\n            "userinfo',
        '"id.token.claim": "false",\n            "access.token.claim": "true",\n            "userinfo',
        "native",
        "static.group-names",
        "fail",
    ),
}


@pytest.mark.parametrize("name", COMPOSE_FAULTS)
def test_compose_fault_fails_its_own_check(good_env, tree, name):
    which, old, new, mode, cid, status = COMPOSE_FAULTS[name]
    target = tree if which == "compose" else tree.parent.parent / "keycloak" / "realm-export.json"
    edit(target, old, new)
    checks, results = run_static(good_env, tree, mode)
    assert checks["static.compose-render"].status == "ok", checks["static.compose-render"]
    assert checks[cid].status == status, [r for r in results if r.id == cid]


def test_untouched_copy_is_clean(good_env, tree):
    _, results = run_static(good_env, tree, "compose")
    assert [r for r in results if r.status != "ok"] == []


@pytest.mark.skipif(importlib.util.find_spec("psycopg") is not None, reason="psycopg 3 is installed here")
def test_postgresql_uri_without_psycopg3(good_env, tree):
    edit(tree, "MLFLOW_BACKEND_STORE_URI: postgresql+psycopg2://", "MLFLOW_BACKEND_STORE_URI: postgresql://")
    checks, _ = run_static(good_env, tree, "native")
    assert checks["static.psycopg"].status == "fail"
    assert "postgresql+psycopg2" in checks["static.psycopg"].fix


def test_secrets_never_printed(good_env, capsys):
    envfile.set_values(good_env, {"OIDC_SCOPES": "x"})
    code = doctor.main(["--env-file", str(good_env), "--static-only", "--mode", "native", "--json"])
    out = capsys.readouterr().out
    for name in envfile.secret_names():
        assert envfile.read(good_env)[name] not in out
    data = json.loads(out)
    assert code == 1 and data["summary"]["fail"] >= 1
    assert {"id", "status", "finding", "fix", "link", "title"} <= set(data["checks"][0])


def test_exit_codes_and_script(good_env):
    ok = subprocess.run(
        [str(ROOT / "scripts" / "doctor"), "--env-file", str(good_env), "--static-only", "--mode", "native"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 fail" in ok.stdout
    envfile.set_values(good_env, {"MLFLOW_SECRET_KEY": "short"})
    bad = subprocess.run(
        [str(ROOT / "scripts" / "doctor"), "--env-file", str(good_env), "--static-only", "--mode", "native"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "FAIL  static.secret-key" in bad.stdout and "docs/troubleshooting.md#static-secret-key" in bad.stdout
    usage = subprocess.run([str(ROOT / "scripts" / "doctor"), "--no-such-flag"], capture_output=True)
    assert usage.returncode == 2


# --- docs/troubleshooting.md --------------------------------------------------------


def doc_sections() -> dict[str, str]:
    text = DOC.read_text()
    parts = re.split(r'<a id="([^"]+)"></a>', text)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_check_has_one_section_and_every_section_names_one_check():
    sections = doc_sections()
    named = {}
    for anchor, body in sections.items():
        ids = re.findall(r"\*\*Doctor check:\*\* `([^`]+)`", body)
        assert len(ids) == 1, f"section #{anchor} names {ids}"
        assert core.anchor(ids[0]) == anchor, (anchor, ids[0])
        named[ids[0]] = anchor
        for part in ("**Symptom.**", "**Cause.**", "**Fix.**"):
            assert part in body, f"#{anchor} lacks {part}"
    assert set(named) == set(core.REGISTRY)
    assert len(sections) == len(core.REGISTRY)


ISSUE_ERRORS = [
    "Access to 0.0.0.0 was denied",
    "HTTP ERROR 403",
    "Connection refused",
    "FATAL: password authentication failed",
    "curl: not found",
    "HTTPS required",
    "keycloak's DNS address could not be found",
    "Client not found",
    "Invalid scopes: openid,email,profile",
    "Missing OAuth state in session",
    "mismatching_state",
    "Error 111 connecting to localhost:6379",
    "Group detection error: 'groups'",
    "User is not allowed to login",
    "API request failed with error code 403",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "container exited",
    "wrong port",
]


@pytest.mark.parametrize("error", ISSUE_ERRORS)
def test_docs_cover_each_known_error(error):
    assert error in DOC.read_text()


def test_the_registry_refuses_a_check_declared_twice_or_needing_an_unknown_one():
    with pytest.raises(ValueError, match="declared twice"):
        core.check("static.env-file", "again")(lambda ctx: core.ok("x"))
    with pytest.raises(ValueError, match="not declared before it"):
        core.check("static.new-one", "x", needs=("static.no-such-check",))(lambda ctx: core.ok("x"))
    with pytest.raises(ValueError, match="family"):
        core.check("other.thing", "x")
    assert "static.new-one" not in core.REGISTRY


def test_a_crashing_check_is_a_finding_not_a_traceback(good_env):
    def boom(ctx):
        raise RuntimeError("403 Forbidden from get_client_id")

    core.REGISTRY["static.crash-probe"] = core.Check("static.crash-probe", "crashes", (), boom)
    try:
        ctx = doctor.load(good_env, mode="native", state=good_env.parent / "state")
        results = core.by_id(core.run(ctx, ["static"]))
    finally:
        del core.REGISTRY["static.crash-probe"]
    crashed = results["static.crash-probe"]
    assert crashed.status == "warn" and "RuntimeError: 403 Forbidden" in crashed.finding
    assert results["static.env-file"].status == "ok", "the other checks still ran"


# --- client checks that need no server, and the doctor's environment ---------------------


def test_client_unset_uri_needs_no_stack():
    checks = core.by_id(doctor.client_checks({}))
    assert checks["client.tracking-uri"].status == "fail"
    assert checks["client.reachable"].status == "skip"


def test_client_wrong_port_needs_no_stack():
    checks = core.by_id(doctor.client_checks({"MLFLOW_TRACKING_URI": f"http://localhost:{free_port()}"}))
    assert checks["client.reachable"].status == "fail"
    assert "Connection refused" in checks["client.reachable"].finding


def test_the_doctor_renders_with_the_shells_exported_variables_as_make_up_does(good_env):
    """Compose lets exported variables override .env; `make up` renders with them, so the
    doctor must check the same configuration (it used to render with a scrubbed environment)."""
    port = str(free_port())
    proc = subprocess.run(
        [str(ROOT / "scripts" / "doctor"), "--env-file", str(good_env), "--static-only", "--mode", "native"],
        capture_output=True,
        text=True,
        env={**os.environ, "MLFLOW_PORT": port},
    )
    assert f"browse to http://localhost:{port} (MLflow)" in proc.stdout, proc.stdout + proc.stderr

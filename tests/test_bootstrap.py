"""`make bootstrap-keycloak` (issue 4), against the real Keycloak of the session's stack.

Every scenario bootstraps its own realm (`boot-<random>`) in the stack's Keycloak, from a
copy of the stack's .env with another KEYCLOAK_REALM, so the stack's own realm (imported
from keycloak/realm-export.json) stays as the other tests expect it, and serves as the
reference in the equivalence test. The realms are deleted at the end of the module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, browser_login, free_port
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.config.render import base_command, render
from mlflow_oidc_stack.keycloak.admin import create_person, jwt_claims, keycloak_admin, user_token
from mlflow_oidc_stack.keycloak.bootstrap import REALM_FILE, parser
from mlflow_oidc_stack.runtime import native

SCRIPT = ROOT / "scripts" / "bootstrap-keycloak"
DOC = ROOT / "docs" / "bootstrap.md"


def run(env_file: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The script as a user runs it. Also checks that no secret of the .env reaches the screen."""
    proc = subprocess.run(
        [str(SCRIPT), "--env-file", str(env_file), *args], input=stdin, capture_output=True, text=True, timeout=300
    )
    values = envfile.read(env_file)
    shown = proc.stdout + proc.stderr
    for name in envfile.secret_names():
        assert values.get(name, "") == "" or values[name] not in shown, f"{name} was printed"
    return proc


def ok(proc: subprocess.CompletedProcess, code: int = 0) -> str:
    assert proc.returncode == code, f"exit {proc.returncode}, wanted {code}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def claims(token: str) -> dict:
    return jwt_claims(token) or {}


# --- without the stack --------------------------------------------------------------------


def test_help_lists_every_option_and_docs_describe_them():
    out = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    doc = DOC.read_text()
    for action in parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--"):
                assert flag in out.stdout
                assert f"`{flag}" in doc, f"{flag} is not documented in {DOC.name}"


def test_usage_error_is_not_mistaken_for_drift(tmp_path):
    proc = subprocess.run([str(SCRIPT), "--no-such-option"], capture_output=True, text=True)
    assert proc.returncode == 64  # 2 means "changes pending" to CI; a typo must not look like it
    assert "unrecognized arguments" in proc.stderr


@pytest.mark.parametrize(
    "overrides, variable",
    [
        ({"KEYCLOAK_REALM": "my realm"}, "KEYCLOAK_REALM"),
        ({"KEYCLOAK_REALM": "a/b"}, "KEYCLOAK_REALM"),
        ({"MLFLOW_CLIENT_ID": "ml flow"}, "MLFLOW_CLIENT_ID"),
        ({"MLFLOW_USERS_GROUP": "team/ml"}, "MLFLOW_USERS_GROUP"),
        ({"MLFLOW_ADMINS_GROUP": "mlflow-users", "MLFLOW_USERS_GROUP": "mlflow-users"}, "MLFLOW_ADMINS_GROUP"),
    ],
)
def test_invalid_names_are_refused_before_keycloak_is_contacted(tmp_path, overrides, variable):
    env = tmp_path / ".env"
    envfile.fill_secrets(env)
    envfile.set_values(env, overrides)
    # An address nobody listens on: the message must be about the name, so the check ran
    # before any connection, let alone any change.
    proc = run(env, "--keycloak-url", f"http://127.0.0.1:{free_port()}")
    assert proc.returncode == 1
    assert "invalid settings" in proc.stderr and variable in proc.stderr
    assert "cannot reach" not in proc.stderr
    assert "Traceback" not in proc.stderr


REALM_ENV = {
    "MLFLOW_REALM": "mlflow",
    "MLFLOW_CLIENT_ID": "mlflow",
    "MLFLOW_CLIENT_SECRET": "s" * 32,
    "SYNC_CLIENT_SECRET": "t" * 32,
    "MLFLOW_PUBLIC_URL": "https://registry.example.org/mlflow",
    "MLFLOW_ALT_URL": "https://registry.example.org/mlflow",
    "MLFLOW_USERS_GROUP": "mlflow-users",
    "MLFLOW_ADMINS_GROUP": "mlflow-admins",
    "KC_BOOTSTRAP_ADMIN_USERNAME": "admin",
    "KC_BOOTSTRAP_ADMIN_PASSWORD": "p" * 20,
}


def from_environment(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The chart's hook Job's way: no .env, everything from the environment."""
    return subprocess.run(
        [str(SCRIPT), "--from-environment", *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_from_environment_refuses_what_it_cannot_do_and_names_what_is_missing():
    proc = from_environment("--write-env", "--keycloak-url", "http://127.0.0.1:1", **REALM_ENV)
    assert proc.returncode == 64 and "--write-env writes a .env" in proc.stderr, proc.stderr
    proc = from_environment(**REALM_ENV)
    assert proc.returncode == 1 and "needs --keycloak-url" in proc.stderr, proc.stderr
    env = {k: v for k, v in REALM_ENV.items() if k != "MLFLOW_PUBLIC_URL"}
    proc = from_environment("--keycloak-url", f"http://127.0.0.1:{free_port()}", **env)
    assert proc.returncode == 1 and "MLFLOW_PUBLIC_URL" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    # Everything given, nobody listening: it gets as far as Keycloak, and says so.
    proc = from_environment("--keycloak-url", f"http://127.0.0.1:{free_port()}", **REALM_ENV)
    assert proc.returncode == 1 and "cannot reach Keycloak" in proc.stderr, proc.stderr
    assert REALM_ENV["MLFLOW_CLIENT_SECRET"] not in proc.stdout + proc.stderr


# --- against the stack's Keycloak -----------------------------------------------------------


@pytest.fixture(scope="module")
def master(stack):
    return keycloak_admin(stack.rendered, realm="master")


@pytest.fixture(scope="module")
def new_realm(stack, master, tmp_path_factory):
    """Factory: a copy of the stack's .env naming a fresh realm; returns (env file, realm)."""
    made = []

    def _make(**overrides: str) -> tuple[Path, str]:
        name = f"boot-{uuid.uuid4().hex[:8]}"
        path = tmp_path_factory.mktemp(name) / ".env"
        shutil.copyfile(stack.env_file, path)
        envfile.set_values(path, {"KEYCLOAK_REALM": name, **overrides})
        made.append(name)
        return path, name

    yield _make
    for name in made:
        try:
            master.delete_realm(name)
        except Exception:
            pass


@pytest.fixture(scope="module")
def booted(new_realm):
    """One bootstrapped realm shared by the drift and equivalence tests."""
    env, name = new_realm()
    ok(run(env))
    return env, name


@pytest.fixture
def conforming(booted, stack):
    """The shared realm, converged again first, so each test starts from a conforming realm."""
    env, name = booted
    ok(run(env))
    return env, name, keycloak_admin(render(env), realm=name)


def realm_exists(master, name: str) -> bool:
    return any(r["realm"] == name for r in master.get_realms())


@pytest.mark.stack
def test_idempotent_with_dry_run_exit_codes(new_realm, master):
    env, name = new_realm()
    before = run(env, "--dry-run")
    ok(before, 2)
    assert "create" in before.stdout and "pending" in before.stdout
    assert not realm_exists(master, name), "--dry-run changed Keycloak"

    first = ok(run(env))
    for line in [x for x in before.stdout.splitlines() if x.startswith("  ~ ")]:
        assert "  + " + line[4:] in first, f"planned but not reported as done: {line}"

    second = ok(run(env))
    assert "no changes" in second and "  + " not in second
    assert "no changes" in ok(run(env, "--dry-run"), 0)


def _mapper(kc, env, name):
    uuid_ = kc.get_client_id(kc_client_id(env))
    return uuid_, next(m for m in kc.get_mappers_from_client(uuid_) if m["name"] == name)


def kc_client_id(realm_env: dict) -> str:
    return realm_env["MLFLOW_CLIENT_ID"]


def _full_path_true(kc, env):
    u, m = _mapper(kc, env, "groups")
    m["config"]["full.path"] = "true"
    kc.update_client_mapper(u, m["id"], m)
    return 'mapper groups: full.path "true" -> "false"'


def _delete_mapper(name):
    def drift(kc, env):
        u, m = _mapper(kc, env, name)
        kc.remove_client_mapper(u, m["id"])
        return f"mapper {name}: create"

    return drift


def _delete_group(var):
    def drift(kc, env):
        kc.delete_group(kc.get_group_by_path(f"/{env[var]}")["id"])
        return f"group {env[var]}: create"

    return drift


def _drop_redirect_uri(kc, env):
    u = kc.get_client_id(kc_client_id(env))
    uris = kc.get_client(u)["redirectUris"]
    gone = next(x for x in uris if "127.0.0.1" in x)
    kc.update_client(u, {"redirectUris": [x for x in uris if x != gone]})
    return f"add redirect URI {gone}"


def _ssl_required(kc, env):
    kc.update_realm(kc.connection.realm_name, {"sslRequired": "none"})
    return 'sslRequired "none" -> "external"'


def _other_secret(kc, env):
    kc.update_client(kc.get_client_id(kc_client_id(env)), {"secret": uuid.uuid4().hex})
    return "set the client secret from MLFLOW_CLIENT_SECRET"


def _direct_grants_on(kc, env):
    kc.update_client(kc.get_client_id(kc_client_id(env)), {"directAccessGrantsEnabled": True})
    return "directAccessGrantsEnabled true -> false"


@pytest.mark.stack
@pytest.mark.parametrize(
    "drift",
    [
        _full_path_true,
        _delete_mapper("groups"),
        _delete_mapper("audience"),
        _delete_group("MLFLOW_USERS_GROUP"),
        _delete_group("MLFLOW_ADMINS_GROUP"),
        _drop_redirect_uri,
        _ssl_required,
        _other_secret,
        _direct_grants_on,
    ],
    ids=[
        "mapper-full-path-true",
        "groups-mapper-deleted",
        "audience-mapper-deleted",
        "users-group-deleted",
        "admins-group-deleted",
        "redirect-uri-missing",
        "ssl-required-external",
        "client-secret-changed",
        "direct-grants-on",
    ],
)
def test_drift_is_detected_and_repaired(conforming, stack, drift):
    env_file, name, kc = conforming
    expected = drift(kc, render(env_file).env("keycloak"))

    plan = run(env_file, "--dry-run")
    ok(plan, 2)
    assert "~ " in plan.stdout and expected in plan.stdout, plan.stdout

    fixed = ok(run(env_file))
    assert expected in fixed
    assert "no changes" in ok(run(env_file, "--dry-run"), 0)
    # Not only the script's own opinion: the repaired realm still matches the imported one.
    assert mlflow_view(render(env_file)) == mlflow_view(stack.rendered)


@pytest.mark.stack
def test_extra_redirect_uri_is_kept_unless_prune(conforming):
    env_file, name, kc = conforming
    u = kc.get_client_id(render(env_file).env("keycloak")["MLFLOW_CLIENT_ID"])
    extra = "https://other.example.org/callback"
    kc.update_client(u, {"redirectUris": kc.get_client(u)["redirectUris"] + [extra]})

    kept = ok(run(env_file, "--dry-run"), 0)  # not ours: no drift, but said so
    assert "kept extra redirect URI " + extra in kept
    ok(run(env_file))
    assert extra in kc.get_client(u)["redirectUris"]

    assert f"remove redirect URI {extra} (--prune)" in ok(run(env_file, "--prune", "--dry-run"), 2)
    ok(run(env_file, "--prune"))
    assert extra not in kc.get_client(u)["redirectUris"]


# --- errors: a clear message, a non-zero exit, nothing changed, no secret shown -------------


@pytest.mark.stack
def test_wrong_admin_password(new_realm, master):
    env_file, name = new_realm()
    wrong = "wrong-" + uuid.uuid4().hex
    proc = run(env_file, "--admin-password", "-", stdin=wrong + "\n")
    assert proc.returncode == 1
    assert "refused the admin login" in proc.stderr and "KC_BOOTSTRAP_ADMIN_PASSWORD" in proc.stderr
    assert wrong not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert not realm_exists(master, name)


@pytest.mark.stack
def test_keycloak_unreachable(booted):
    env_file, name = booted
    # A port nobody listens on stands for a stopped Keycloak (the session's stays up for the
    # other tests).
    proc = run(env_file, "--keycloak-url", f"http://127.0.0.1:{free_port()}")
    assert proc.returncode == 1
    assert "cannot reach Keycloak" in proc.stderr and "make up" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.stack
def test_url_that_is_not_keycloak(booted, stack):
    env_file, name = booted
    proc = run(env_file, "--keycloak-url", stack.mlflow_url)  # MLflow answers 401 there
    assert proc.returncode == 1
    assert "does not look like Keycloak" in proc.stderr


@pytest.fixture
def admin_without_rights(master):
    """A master-realm user with a full profile and no roles at all."""
    name, password = f"noroles-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    uid = create_person(master, name, password, first="No", last="Roles")
    yield name, password
    master.delete_user(uid)


@pytest.mark.stack
def test_admin_without_rights(new_realm, conforming, master, admin_without_rights):
    user, password = admin_without_rights
    fresh_env, fresh = new_realm()
    for env_file, name in ((fresh_env, fresh), conforming[:2]):  # absent realm, existing realm
        if env_file == conforming[0]:
            kc = conforming[2]
            kc.update_realm(name, {"sslRequired": "none"})  # drift it could not repair
        proc = run(env_file, "--admin-user", user, "--admin-password", "-", stdin=password)
        assert proc.returncode == 1, proc.stdout
        assert "403" in proc.stderr and "may not manage realm" in proc.stderr
        assert "Nothing was changed" in proc.stderr
        assert password not in proc.stdout + proc.stderr
    assert not realm_exists(master, fresh)
    assert conforming[2].get_realm(conforming[1])["sslRequired"] == "none"


# --- equivalence with the imported realm ----------------------------------------------------

# Set by Keycloak, not by either path: ids, the realm's own name and its default-role id.
_REALM_IGNORED = {"id", "realm", "defaultRole"}
# adminUrl: the admin API copies rootUrl into it on create, the import leaves it empty; MLflow
# has no admin endpoint, so neither value is used.
_CLIENT_IGNORED = {
    "id",
    "adminUrl",
    "attributes",
    "defaultClientScopes",
    "optionalClientScopes",
    "protocolMappers",
    "redirectUris",
    "webOrigins",
    "secret",
}


# Defaults the admin API adds when it creates a client (the import does not): back-channel
# logout, which MLflow does not implement, and the secret's creation time.
_ATTRIBUTES_IGNORED = {
    "backchannel.logout.session.required",
    "backchannel.logout.revoke.offline.tokens",
    "client.secret.creation.time",
}


def mlflow_view(rendered) -> dict:
    """Everything MLflow relies on in a realm, with the realm's name taken out."""
    env = rendered.env("keycloak")
    realm = rendered.realm
    kc = keycloak_admin(rendered, realm=realm)
    uid = kc.get_client_id(env["MLFLOW_CLIENT_ID"])
    client = kc.get_client(uid)
    sa = kc.get_client_service_account_user(uid)
    token = claims(user_token(rendered, env["MLFLOW_CLIENT_ID"], env["MLFLOW_CLIENT_SECRET"])["access_token"])
    requested = set(rendered.env("mlflow")["OIDC_SCOPE"].split()) - {"openid"}
    return {
        "realm": {
            k: v for k, v in kc.get_realm(realm).items() if k not in _REALM_IGNORED and not isinstance(v, (dict, list))
        },
        "client": {k: v for k, v in client.items() if k not in _CLIENT_IGNORED},
        "attributes": {k: v for k, v in (client.get("attributes") or {}).items() if k not in _ATTRIBUTES_IGNORED},
        "redirectUris": sorted(client["redirectUris"]),
        "webOrigins": sorted(client.get("webOrigins") or []),
        "scopes MLflow asks for": sorted(requested & set(client.get("defaultClientScopes") or [])),
        "mappers": sorted(
            (m["name"], m["protocolMapper"], m.get("consentRequired"), sorted(m["config"].items()))
            for m in kc.get_mappers_from_client(uid)
        ),
        "groups": sorted(g["name"] for g in kc.get_groups()),
        "service account groups": sorted(g["path"] for g in kc.get_user_groups(sa["id"])),
        "secret": kc.get_client_secrets(uid)["value"] == env["MLFLOW_CLIENT_SECRET"],
        # What the plugin reads from a token: the groups claim and the audience.
        "token groups": sorted(token.get("groups", [])),
        "token audience": env["MLFLOW_CLIENT_ID"]
        in ([token["aud"]] if isinstance(token.get("aud"), str) else token.get("aud", [])),
    }


@pytest.mark.stack
def test_bootstrapped_realm_matches_imported_realm(conforming, stack):
    env_file, name, kc = conforming
    imported, booted = mlflow_view(stack.rendered), mlflow_view(render(env_file))
    assert booted == imported
    # And both are what MLflow needs, not merely equal.
    env = stack.rendered.env("keycloak")
    assert imported["token groups"] == [env["MLFLOW_USERS_GROUP"]]  # full.path=false: no "/"
    assert imported["token audience"] is True
    assert imported["realm"]["sslRequired"] == "external"
    assert imported["client"]["directAccessGrantsEnabled"] is False
    assert imported["client"]["standardFlowEnabled"] is True
    assert imported["client"]["publicClient"] is False
    # The realm file's key providers, in both: one RSA key pair to make, not two (the default
    # adds an RSA-OAEP encryption key nothing here uses: docs/measured.md#start-beside).
    want = sorted(
        (c["name"], c["providerId"])
        for c in json.loads(REALM_FILE.read_text())["components"]["org.keycloak.keys.KeyProvider"]
    )
    assert want == [
        ("aes-generated", "aes-generated"),
        ("hmac-generated-hs512", "hmac-generated"),
        ("rsa-generated", "rsa-generated"),
    ]
    for admin in (keycloak_admin(stack.rendered), kc):
        have = admin.get_components(query={"type": "org.keycloak.keys.KeyProvider"})
        assert sorted((c["name"], c["providerId"]) for c in have) == want
        keys = admin.get_keys()
        assert sorted(keys["active"]) == ["AES", "HS512", "RS256"], keys["active"]


# --- the secret ---------------------------------------------------------------------------


@pytest.mark.stack
def test_write_env_stores_keycloaks_secret_and_nothing_else(conforming, tmp_path):
    env_file, name, kc = conforming
    mine = tmp_path / ".env"
    shutil.copyfile(env_file, mine)
    envfile.set_values(mine, {"MLFLOW_CLIENT_SECRET": "not-the-one-keycloak-has"})
    before = mine.read_text().splitlines()

    ok(run(mine, "--write-env", "--dry-run"), 2)
    out = ok(run(mine, "--write-env"))
    assert "MLFLOW_CLIENT_SECRET" in out
    after = mine.read_text().splitlines()
    keycloak_secret = kc.get_client_secrets(kc.get_client_id(envfile.read(mine)["MLFLOW_CLIENT_ID"]))["value"]
    assert envfile.read(mine)["MLFLOW_CLIENT_SECRET"] == keycloak_secret
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][1].startswith("MLFLOW_CLIENT_SECRET=")
    assert "no changes" in ok(run(mine, "--write-env"))
    assert "no changes" in ok(run(mine))  # the default direction agrees now too


# --- demo users -----------------------------------------------------------------------------


@pytest.mark.stack
def test_demo_users_can_log_in_with_the_password_grant(conforming):
    env_file, name, kc = conforming
    rendered = render(env_file)
    env = rendered.env("keycloak")
    out = ok(run(env_file, "--demo-users", "--direct-grants"))
    logins = dict(re.findall(r"demo login (\S+) / (\S+)", out))
    if not logins:  # made by an earlier run in this session: passwords are shown only once
        pytest.skip("demo users already existed")
    expect = {"demo-user": env["MLFLOW_USERS_GROUP"], "demo-admin": env["MLFLOW_ADMINS_GROUP"]}
    for user, group in expect.items():
        # "Account is not fully set up" here would mean a missing profile field or a
        # temporary password.
        tok = user_token(
            rendered,
            env["MLFLOW_CLIENT_ID"],
            env["MLFLOW_CLIENT_SECRET"],
            grant_type="password",
            username=user,
            password=logins[user],
            scope="openid",
        )
        assert claims(tok["id_token"])["groups"] == [group]
        assert claims(tok["id_token"])["email_verified"] is True
    again = ok(run(env_file, "--demo-users", "--direct-grants"))
    assert "no changes" in again and "demo login" not in again


# --- the empty realm, end to end in a browser -------------------------------------------------


def _wait_ready(url: str, alive, log) -> None:
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=3) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if not alive() or time.monotonic() > deadline:
            raise AssertionError("MLflow for the bootstrapped realm did not start:\n" + log()[-3000:])
        time.sleep(1)


@contextmanager
def mlflow_server(rendered, state: Path, stack):
    """MLflow for another realm, run the way the session's stack runs it, for one test:
    a native process, or a container of the same Compose project (`compose run`)."""
    state.mkdir(parents=True, exist_ok=True)
    url = rendered.mlflow_url()
    if stack.mode == "compose":
        name = f"mlflow-boot-{uuid.uuid4().hex[:6]}"
        base = base_command(rendered.env_file, stack.runtime.project)
        subprocess.run(
            base + ["run", "--detach", "--rm", "--no-deps", "--service-ports", "--name", name, "mlflow"],
            check=True,
            capture_output=True,
            text=True,
        )

        def alive():
            return subprocess.run(["docker", "inspect", name], capture_output=True).returncode == 0

        def log():
            return subprocess.run(["docker", "logs", name], capture_output=True, text=True).stdout

        try:
            _wait_ready(url, alive, log)
            yield url
        finally:
            subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        return
    program = next(p for p in native.plan(rendered, state) if p.name == "mlflow")
    native.SPECS["mlflow"].prepare(None, program, rendered)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(program.env)
    with open(state / "mlflow.log", "wb") as out:
        proc = subprocess.Popen(
            program.command, env=env, cwd=program.cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_ready(url, lambda: proc.poll() is None, lambda: (state / "mlflow.log").read_text())
            yield url
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.stack
@pytest.mark.browser
@pytest.mark.slow
def test_empty_realm_bootstrapped_then_browser_login(new_realm, master, page, tmp_path, stack):
    env_file, name = new_realm(MLFLOW_PORT=str(free_port()), MLFLOW_WORKERS="1")
    master.create_realm({"realm": name, "enabled": True})  # an empty realm someone made by hand
    rendered = render(env_file)
    env = rendered.env("keycloak")
    assert "realm " + name + ": bruteForceProtected" in ok(run(env_file))

    kc = keycloak_admin(rendered, realm=name)
    user, password = f"boot-user-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    create_person(kc, user, password, [env["MLFLOW_USERS_GROUP"]], first="Boot", last="User")

    # browser_login needs only a stack's mlflow_url and a user's name and password.
    target = SimpleNamespace(mlflow_url=rendered.mlflow_url())
    login = SimpleNamespace(username=user, password=password)
    with mlflow_server(rendered, tmp_path / "state", stack):
        browser_login(page, target, login)
        assert "/oidc/ui/user" in page.url and "error" not in page.url, page.url
        status = page.request.get(target.mlflow_url + "/auth/status").json()
        assert status["authenticated"] is True
        assert status["username"] in (user, f"{user}@example.org")

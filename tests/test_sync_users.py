"""Offboarding (issue 15, docs/security.md): the stack's `sync-users` service and `make
sync-users` deactivate in MLflow whoever Keycloak disabled, deleted or took out of both
groups, which revokes their sessions and access tokens; pipeline identities from
`make bootstrap-keycloak ARGS=--service-account NAME`.

The session's stacks run the sync every 10 s (SYNC_USERS_INTERVAL in conftest.py).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import uuid

import pytest
import requests

from conftest import ROOT, transcript
from mlflow_oidc_stack.keycloak.admin import http_login, user_token

pytestmark = pytest.mark.stack
API = "/api/2.0/mlflow"
SCRIPT = ROOT / "scripts" / "sync-users"


def sync_module():
    """The sync's own code (compose/mlflow/app), imported here for its stack-free paths."""
    path = ROOT / "compose" / "mlflow" / "app" / "mlflow_oidc_stack_sync.py"
    spec = importlib.util.spec_from_file_location("mlflow_oidc_stack_sync", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def interval(stack) -> float:
    command = stack.rendered.command("sync-users")
    return float(command[command.index("--every") + 1])


def sync_cli(stack, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "--env-file", str(stack.env_file), "--state-dir", str(stack.state), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "STACK": stack.mode},
    )


def signed_in(stack, user):
    """A browser session and an MLflow access token (the SDK's credential) for `user`."""
    session, final = http_login(stack.mlflow_url, user.username, user.password, timeout=60)
    assert final.url.endswith("/oidc/ui/user"), final.url
    token = session.patch(f"{stack.mlflow_url}{API}/users/access-token", json={}, timeout=60).json()["token"]
    return session, (user.email.lower(), token)


def codes(stack, session, basic) -> tuple[int, int]:
    ui = session.get(f"{stack.mlflow_url}{API}/users/current", timeout=60).status_code
    sdk = requests.get(f"{stack.mlflow_url}{API}/experiments/search?max_results=1", auth=basic, timeout=60).status_code
    return ui, sdk


def test_disabled_user_loses_ui_and_sdk_within_one_interval_and_comes_back_without_old_tokens(
    stack, kc_admin, make_user, groups
):
    every = interval(stack)
    user = make_user(groups["users"], prefix="leaver")
    session, basic = signed_in(stack, user)
    assert codes(stack, session, basic) == (200, 200)

    kc_admin.update_user(user.id, {"enabled": False})
    t0, first = time.monotonic(), {}
    while len(first) < 2 and time.monotonic() - t0 < every + 30:
        for what, code in zip(("browser", "sdk"), codes(stack, session, basic), strict=True):
            assert code in (200, 401), f"{what}: {code}"
            if code == 401 and what not in first:
                first[what] = round(time.monotonic() - t0, 1)
        time.sleep(0.5)
    transcript("offboarding", f"[{stack.mode}] disabled in Keycloak -> first 401: {first} s (interval {every:g} s)")
    assert set(first) == {"browser", "sdk"}, f"still allowed after {every + 30:g} s: {first}"
    assert max(first.values()) <= every + 15

    # Enabled again: the sync reactivates them, a new login works, the revoked token stays dead.
    kc_admin.update_user(user.id, {"enabled": True})
    t0 = time.monotonic()
    while time.monotonic() - t0 < every + 30:
        again, final = http_login(stack.mlflow_url, user.username, user.password, timeout=60)
        if final.url.endswith("/oidc/ui/user"):
            break
        time.sleep(2)
    assert final.url.endswith("/oidc/ui/user"), f"no login {every + 30:g} s after re-enabling: {final.url}"
    assert again.get(f"{stack.mlflow_url}{API}/users/current", timeout=60).status_code == 200
    assert codes(stack, again, basic)[1] == 401, "a token revoked at offboarding works again"


def test_make_sync_users_dry_run_then_apply_then_nothing(stack, kc_admin, make_user, groups):
    """With the periodic service paused: a user taken out of both groups and a deleted user
    are reported by a dry run (exit 2, nothing changed), deactivated by a run, and a second
    run has nothing to do. Admins and service accounts are never touched."""
    moved = make_user(groups["users"], prefix="moved")
    gone = make_user(groups["users"], prefix="gone")
    sessions = {u.username: signed_in(stack, u) for u in (moved, gone)}
    stack.stop("sync-users")
    try:
        group = kc_admin.get_group_by_path(f"/{groups['users']}")
        kc_admin.group_user_remove(moved.id, group["id"])
        kc_admin.delete_user(gone.id)

        dry = sync_cli(stack, "--dry-run")
        print(dry.stdout + dry.stderr)
        assert dry.returncode == 2, dry.stdout + dry.stderr
        assert f"would deactivate (revokes sessions and access tokens): {moved.email.lower()} (in neither" in dry.stdout
        assert f"{gone.email.lower()} (deleted in Keycloak)" in dry.stdout
        assert "service-account-" not in dry.stdout.split("change(s)")[0]
        for session, basic in sessions.values():
            assert codes(stack, session, basic) == (200, 200), "a dry run changed something"

        done = sync_cli(stack)
        print(done.stdout + done.stderr)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"deactivated: sessions and access tokens revoked: {moved.email.lower()}" in done.stdout
        for session, basic in sessions.values():
            assert codes(stack, session, basic) == (401, 401)

        again = sync_cli(stack)
        assert again.returncode == 0 and " 0 change(s)" in again.stdout, again.stdout + again.stderr
    finally:
        stack.start("sync-users")


def test_sync_changes_nothing_when_keycloak_is_unreachable_or_lists_nobody(stack, kc_admin, make_user, groups):
    sync = sync_module()
    session, basic = signed_in(stack, make_user(groups["users"], prefix="stays"))
    env = {k: v for k, v in stack.rendered.env("sync-users").items()}
    env["SYNC_KEYCLOAK_URL"] = stack.rendered.keycloak_url()
    env["SYNC_MLFLOW_URL"] = stack.mlflow_url
    out: list[str] = []

    down = sync.Settings.from_env({**env, "SYNC_KEYCLOAK_URL": "http://127.0.0.1:9"})
    with pytest.raises(sync.SyncError, match="did not answer"):
        sync.run_once(down, out=out.append)

    # A group that exists but has no members: every person would look unauthorised.
    empty = f"sync-empty-{uuid.uuid4().hex[:6]}"
    kc_admin.create_group({"name": empty})
    try:
        nobody = sync.Settings.from_env({**env, "SYNC_GROUPS": empty})
        with pytest.raises(sync.SyncError, match="refusing to deactivate .* on an empty listing") as refused:
            sync.run_once(nobody, out=out.append)
        print(f"\n[{stack.mode}] {refused.value}")
    finally:
        kc_admin.delete_group(kc_admin.get_group_by_path(f"/{empty}")["id"])
    assert out == [], "a refused run reported changes"
    assert codes(stack, session, basic) == (200, 200)


def test_the_loop_waits_alive_for_what_does_not_answer_yet_and_runs_nothing_meanwhile(stack, tmp_path):
    """The stack starts the loop beside Keycloak and MLflow (cold start): until both answer it
    keeps its heartbeat fresh and says what it waits for, instead of failing its first run."""
    env = {**os.environ, **stack.rendered.env("sync-users")}
    env["SYNC_KEYCLOAK_URL"] = stack.rendered.keycloak_url()
    env["SYNC_MLFLOW_URL"] = "http://127.0.0.1:9"  # nothing listens: MLflow "still starting"
    env["PYTHONPATH"] = str(ROOT / "compose" / "mlflow" / "app")
    beat = tmp_path / "last"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlflow_oidc_stack_sync", "--every", "3600", "--heartbeat", str(beat)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        t0 = time.monotonic()
        while not (beat.exists() and beat.read_text()) and time.monotonic() - t0 < 30:
            time.sleep(0.2)
        first = beat.stat().st_mtime
        assert beat.read_text() == "sync-users: waiting for MLflow to answer before the first run\n"
        time.sleep(2.5)
        assert beat.stat().st_mtime > first, "the heartbeat went stale while waiting"
        assert proc.poll() is None
    finally:
        proc.kill()
        out = proc.communicate(timeout=30)[0]
    assert out.count("waiting for MLflow") == 1, out  # said once, not once a second
    assert "checked" not in out and "did not answer" not in out, out


def test_each_start_of_the_stacks_loop_ran_its_first_run_without_a_failure(stack):
    """The stack's own sync-users service: after every start its first run succeeded, although
    it started beside Keycloak and MLflow, not after them."""
    log = stack.runtime.logs(["sync-users"], lines=100000)
    lines = [line.split("| ", 1)[-1].strip() for line in log.splitlines()]
    starts = [i for i, line in enumerate(lines) if line.startswith("sync-users: every ")]
    assert starts, log[-2000:]
    for i, end in zip(starts, [*starts[1:], len(lines)]):
        after = [line for line in lines[i + 1 : end] if line.startswith("sync-users:") and "waiting for" not in line]
        if after:  # a start whose first run is still due has nothing to judge yet
            assert "checked" in after[0] or "activated" in after[0], f"first run after a start: {after[0]}"
    print(f"\n[{stack.mode}] {len(starts)} start(s) of the loop; first runs all succeeded")


def test_pipeline_identity_logs_a_run_is_never_admin_and_asking_for_admin_is_refused(stack, kc_admin, groups):
    name = f"ci-{uuid.uuid4().hex[:6]}"
    boot = ROOT / "scripts" / "bootstrap-keycloak"
    refused = subprocess.run(
        [
            str(boot),
            "--env-file",
            str(stack.env_file),
            "--service-account",
            name,
            "--service-account-group",
            groups["admins"],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 1 and "never an MLflow admin" in refused.stderr, refused.stdout + refused.stderr
    assert kc_admin.get_client_id(name) is None

    made = subprocess.run(
        [str(boot), "--env-file", str(stack.env_file), "--service-account", name],
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(made.stdout)
    assert made.returncode == 0, made.stdout + made.stderr
    secret = made.stdout.split("client secret ", 1)[1].split()[0]
    assert "MLFLOW_TRACKING_TOKEN=" in made.stdout and f"service-account-{name}" in made.stdout
    try:
        again = subprocess.run(
            [str(boot), "--env-file", str(stack.env_file), "--service-account", name, "--dry-run"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode == 0 and secret not in again.stdout, again.stdout + again.stderr

        jwt = user_token(stack.rendered, name, secret)["access_token"]
        bearer = {"Authorization": f"Bearer {jwt}"}
        me = requests.get(f"{stack.mlflow_url}{API}/users/current", headers=bearer, timeout=60)
        assert me.status_code == 200, me.text
        assert me.json()["username"] == f"service-account-{name}" and me.json()["is_admin"] is False
        assert groups["users"] in [g["group_name"] for g in me.json()["groups"]]

        exp = requests.post(
            f"{stack.mlflow_url}{API}/experiments/create", headers=bearer, json={"name": f"ci-{name}"}, timeout=60
        )
        assert exp.status_code == 200, exp.text
        run = requests.post(
            f"{stack.mlflow_url}{API}/runs/create",
            headers=bearer,
            json={"experiment_id": exp.json()["experiment_id"], "start_time": 1},
            timeout=60,
        )
        assert run.status_code == 200, run.text
        admin_only = requests.get(f"{stack.mlflow_url}{API}/users/details", headers=bearer, timeout=60)
        assert admin_only.status_code == 403, admin_only.status_code
    finally:
        kc_admin.delete_client(kc_admin.get_client_id(name))

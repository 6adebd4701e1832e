"""Nothing lost (issue 9): backup and restore, in each mode.

This module runs last in each mode (hence its name): it deletes the session stack's data
and brings it back from a backup, and the other modules' module-scoped fixtures must not
see that in the middle of their tests.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import textwrap
import time

import pytest
import requests

from conftest import ROOT
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.keycloak.admin import http_login
from mlflow_oidc_stack.runtime.keycloak_dist import keycloak_version

pytestmark = [pytest.mark.stack, pytest.mark.slow]
API = "/api/2.0/mlflow"
BACKUP = ROOT / "scripts" / "backup"

CREATE = textwrap.dedent("""
    import json, pathlib, sys, tempfile
    import mlflow
    from mlflow.tracking import MlflowClient
    name = sys.argv[1]
    mlflow.set_experiment(name)
    with mlflow.start_run() as run:
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        path = pathlib.Path(tempfile.mkdtemp()) / "model.txt"
        path.write_text("weights of " + name)
        mlflow.log_artifact(str(path))
    client = MlflowClient()
    client.create_registered_model(name)
    version = client.create_model_version(name, f"runs:/{run.info.run_id}/model.txt", run.info.run_id)
    print(json.dumps({"run_id": run.info.run_id, "version": version.version}))
""")

READ = textwrap.dedent("""
    import json, pathlib, sys, tempfile
    from mlflow.tracking import MlflowClient
    name, run_id = sys.argv[1], sys.argv[2]
    client = MlflowClient()
    history = [m.value for m in client.get_metric_history(run_id, "loss")]
    local = client.download_artifacts(run_id, "model.txt", tempfile.mkdtemp())
    versions = [v.version for v in client.search_model_versions(f"name='{name}'")]
    print(json.dumps({"history": history, "artifact": pathlib.Path(local).read_text(), "versions": versions}))
""")


def sdk(stack, user, token, script, *args):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(stack.state),
        "MLFLOW_TRACKING_URI": stack.mlflow_url,
        "MLFLOW_TRACKING_USERNAME": user,
        "MLFLOW_TRACKING_PASSWORD": token,
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    }
    proc = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def backup_cli(stack, *args, **env):
    return subprocess.run(
        [str(BACKUP), *args, "--env-file", str(stack.env_file), "--state-dir", str(stack.state)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "STACK": stack.mode, **env},
    )


# What each outage does to a user (written down in docs/operations.md):
OUTAGE = {
    "postgres": "API calls fail (500) until PostgreSQL is back; nothing acknowledged is lost",
    "redis": "API calls fail (500: the permission cache) until Redis is back",
    "keycloak": "logged-in users and tokens keep working; new logins fail until Keycloak is back",
    "mlflow": "every request fails to connect until MLflow is back; sessions and tokens survive",
}
RECOVERY_BOUND_S = 180


@pytest.mark.parametrize("service", list(OUTAGE))
def test_sigkill_in_the_middle_of_a_session_recovers_by_itself(stack, make_user, groups, service):
    user = make_user(groups["users"], prefix=f"crash-{service}")
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    token = session.patch(f"{stack.mlflow_url}{API}/users/access-token", json={}).json()["token"]
    auth = (user.email.lower(), token)
    exp = session.post(f"{stack.mlflow_url}{API}/experiments/create", json={"name": f"crash-{user.username}"})
    run = requests.post(
        f"{stack.mlflow_url}{API}/runs/create",
        auth=auth,
        timeout=10,
        json={"experiment_id": exp.json()["experiment_id"], "start_time": 1},
    ).json()["run"]
    run_id = run["info"]["run_id"]

    old_pid = stack.runtime.pids()[service]
    stack.runtime.kill(service)
    killed = time.monotonic()
    acknowledged, statuses, step = [], {}, 0
    recovered = None
    while time.monotonic() - killed < RECOVERY_BOUND_S:
        step += 1
        try:
            r = requests.post(
                f"{stack.mlflow_url}{API}/runs/log-metric",
                auth=auth,
                timeout=10,
                json={"run_id": run_id, "key": "m", "value": step, "timestamp": step, "step": step},
            )
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code == 200:
                acknowledged.append(step)
        except requests.RequestException:
            statuses["refused"] = statuses.get("refused", 0) + 1
        # Back: a new process (another PID) that is healthy, and the latest write went through.
        back = stack.runtime.pids().get(service, old_pid) != old_pid and stack.runtime.healthy(service)
        if back and acknowledged and acknowledged[-1] == step:
            recovered = time.monotonic() - killed
            break
        time.sleep(0.5)
    assert recovered is not None, f"{service} did not recover within {RECOVERY_BOUND_S} s: {statuses}"
    print(
        f"[{stack.mode}] {service} SIGKILLed: API with a token works again after {recovered:.1f} s; "
        f"requests meanwhile: {statuses}"
    )
    # The browser session survived, and every write the client was told succeeded is there.
    assert session.get(f"{stack.mlflow_url}{API}/users/current").status_code == 200
    # And the whole stack works again: a new login goes through Keycloak and its database.
    deadline = time.monotonic() + RECOVERY_BOUND_S
    while True:
        try:
            http_login(stack.mlflow_url, user.username, user.password)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)
    print(f"[{stack.mode}] {service}: a new login works after {time.monotonic() - killed:.1f} s")
    history = requests.get(
        f"{stack.mlflow_url}{API}/metrics/get-history",
        auth=auth,
        timeout=10,
        params={"run_id": run_id, "metric_key": "m"},
    ).json()["metrics"]
    assert set(acknowledged) <= {int(m["step"]) for m in history}


def test_backup_reset_restore_brings_everything_back(stack, make_user, groups, tmp_path):
    user = make_user(groups["users"], prefix="kept")
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    token = session.patch(f"{stack.mlflow_url}{API}/users/access-token", json={}).json()["token"]
    login = user.email.lower()
    name = f"recovery-{user.username}"
    created = sdk(stack, login, token, CREATE, name)
    before = sdk(stack, login, token, READ, name, created["run_id"])
    assert before["history"] == [1.0, 0.5, 1 / 3, 0.25, 0.2]

    t = time.monotonic()
    proc = backup_cli(stack, "backup", "--output", str(tmp_path / "b.tar"))
    assert proc.returncode == 0, proc.stderr
    archive = tmp_path / "b.tar"
    assert proc.stdout.strip().splitlines()[-1] == str(archive), "the path is the last line"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "env" not in names, "the .env is stored only with --with-env"
    assert manifest["mode"] == stack.mode and manifest["versions"]["keycloak"] == keycloak_version(stack.rendered)
    assert {f"db/{db}.dump" for db in manifest["databases"]} <= set(names) and "artifacts.tar" in names
    print(f"[{stack.mode}] backup: {archive.stat().st_size / 1e6:.1f} MB in {time.monotonic() - t:.1f} s")

    # Everything goes: `make reset`, then a fresh, empty stack.
    t = time.monotonic()
    stack.runtime.reset()
    stack.runtime.up()
    r = requests.get(f"{stack.mlflow_url}{API}/experiments/search?max_results=1", auth=(login, token), timeout=10)
    assert r.status_code == 401, "the token is gone with the data"
    print(f"[{stack.mode}] reset and fresh up: {time.monotonic() - t:.1f} s")

    t = time.monotonic()
    proc = backup_cli(stack, "restore", str(archive))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(f"[{stack.mode}] restore: {time.monotonic() - t:.1f} s\n{proc.stdout}")

    # The old password, the old token, the permission (the experiment is the user's), the
    # metric history, the artifact and the registered model version are all back.
    session, final = http_login(stack.mlflow_url, user.username, user.password)
    assert final.url.endswith("/oidc/ui/user"), final.url
    after = sdk(stack, login, token, READ, name, created["run_id"])
    assert after == before
    assert created["version"] in after["versions"]
    other = make_user(groups["users"], prefix="outsider-of-exp")
    s2, _ = http_login(stack.mlflow_url, other.username, other.password)
    exp = session.get(f"{stack.mlflow_url}{API}/experiments/get-by-name", params={"experiment_name": name}).json()
    denied = s2.post(
        f"{stack.mlflow_url}{API}/experiments/update",
        json={"experiment_id": exp["experiment"]["experiment_id"], "new_name": name + "-x"},
    )
    assert denied.status_code == 403, "permissions are enforced after the restore"

    # Over existing data: refused without CONFIRM=yes, and nothing changes.
    proc = backup_cli(stack, "restore", str(archive), CONFIRM="")
    assert proc.returncode == 1 and "already holds data" in proc.stderr and "CONFIRM=yes" in proc.stderr
    assert requests.get(f"{stack.mlflow_url}/health/ready", timeout=10).status_code == 200


@pytest.mark.parametrize("damage", ["not a tar", "foreign tar", "changed member", "truncated"])
def test_a_broken_or_foreign_archive_is_refused_and_nothing_is_touched(stack, tmp_path, damage):
    bad = tmp_path / "bad.tar"
    if damage == "not a tar":
        bad.write_bytes(b"this is not an archive\n" * 100)
    elif damage == "foreign tar":
        (tmp_path / "x.txt").write_text("hello")
        with tarfile.open(bad, "w") as tar:
            tar.add(tmp_path / "x.txt", arcname="x.txt")
    else:
        good = tmp_path / "good.tar"
        proc = backup_cli(stack, "backup", "--output", str(good))
        assert proc.returncode == 0, proc.stderr
        if damage == "truncated":
            bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        else:
            with tarfile.open(good) as src, tarfile.open(bad, "w") as dst:
                for member in src.getmembers():
                    data = src.extractfile(member).read()
                    if member.name == "artifacts.tar":
                        data = data[:-1] + b"\x01"
                    member.size = len(data)
                    dst.addfile(member, io.BytesIO(data))
    ready_before = requests.get(f"{stack.mlflow_url}/health/ready", timeout=10).status_code
    proc = backup_cli(stack, "restore", str(bad), CONFIRM="yes")
    assert proc.returncode == 1, proc.stdout
    assert "nothing was changed" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert requests.get(f"{stack.mlflow_url}/health/ready", timeout=10).status_code == ready_before == 200


def test_with_env_stores_the_env_and_the_archive_stays_private(stack, tmp_path):
    proc = backup_cli(stack, "backup", "--with-env", "--output", str(tmp_path / "e.tar"))
    assert proc.returncode == 0, proc.stderr
    with tarfile.open(tmp_path / "e.tar") as tar:
        assert tar.extractfile("env").read().decode() == stack.env_file.read_text()
    assert stat.S_IMODE((tmp_path / "e.tar").stat().st_mode) == 0o600
    assert envfile.read(stack.env_file)["POSTGRES_PASSWORD"] not in proc.stdout + proc.stderr


def test_no_secret_is_readable_by_group_or_others(stack):
    """After `make up`, a bootstrap and a backup, no file of the checkout or the state dir
    that holds a secret of .env is readable by anyone but its owner."""
    proc = subprocess.run(
        [str(ROOT / "scripts" / "bootstrap-keycloak"), "--env-file", str(stack.env_file)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    proc = backup_cli(stack, "backup", "--with-env")
    assert proc.returncode == 0, proc.stderr
    archive = proc.stdout.strip().splitlines()[-1]
    secrets = [v.encode() for k, v in envfile.read(stack.env_file).items() if k in envfile.secret_names() and v]
    try:
        exposed = []
        for top in (ROOT, stack.state):
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "node_modules", "__pycache__")]
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    try:
                        st = os.lstat(path)
                        if not stat.S_ISREG(st.st_mode) or not st.st_mode & 0o044 or st.st_size > 50_000_000:
                            continue
                        with open(path, "rb") as f:
                            data = f.read()
                    except OSError:
                        continue
                    if any(s in data for s in secrets):
                        exposed.append(f"{path} ({stat.filemode(st.st_mode)})")
        assert exposed == []
    finally:
        os.unlink(archive)

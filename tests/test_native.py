"""The native stack: configuration mapping, mode choice, errors, and its lifecycle."""

from __future__ import annotations

import io
import re
import shutil
import socket
from pathlib import Path

import pytest
import requests

from conftest import ROOT, make_env, run_stack_cli, state_dir
from mlflow_oidc_stack import StackError
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.config.render import render
from mlflow_oidc_stack.keycloak.admin import http_login
from mlflow_oidc_stack.runtime.common import DataMismatch
from mlflow_oidc_stack.runtime.native import NativeStack, map_volumes, plan, to_loopback, unescape


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    env = make_env(tmp_path_factory.mktemp("native") / ".env")
    return render(env)


def test_service_names_map_to_loopback_with_native_ports(rendered):
    kc = rendered.published("keycloak", 8080).published
    pg = rendered.internal_port("postgres")
    rd = rendered.internal_port("redis")
    ml = rendered.published("mlflow", 5000).published
    cases = {
        "http://keycloak:8080/realms/x/.well-known/openid-configuration": f"http://127.0.0.1:{kc}/realms/x/.well-known/openid-configuration",
        f"postgresql+psycopg2://u:p@postgres:{pg}/mlflow": f"postgresql+psycopg2://u:p@127.0.0.1:{pg}/mlflow",
        f"jdbc:postgresql://postgres:{pg}/keycloak": f"jdbc:postgresql://127.0.0.1:{pg}/keycloak",
        f"redis://:secret@redis:{rd}/0": f"redis://:secret@127.0.0.1:{rd}/0",
        f"localhost:{ml},127.0.0.1:{ml},mlflow:5000": f"localhost:{ml},127.0.0.1:{ml},127.0.0.1:{ml}",
        # Not addresses: left alone.
        "http://localhost:8080/realms/x": "http://localhost:8080/realms/x",
        "redis://:keycloak:8080x@redis-other:1/0": "redis://:keycloak:8080x@redis-other:1/0",
        "/opt/keycloak/data": "/opt/keycloak/data",
        "mlflow-admins": "mlflow-admins",
    }
    for given, expected in cases.items():
        assert to_loopback(given, rendered) == expected, given


def test_native_port_is_the_published_one_or_the_internal_one(rendered):
    assert rendered.listen_port("keycloak", 8080) == rendered.published("keycloak", 8080).published
    pg = rendered.internal_port("postgres")
    assert rendered.listen_port("postgres", pg) == pg  # not published: same port on loopback


def test_volume_paths_map_into_the_state_dir(rendered, tmp_path):
    mounts = {"/mlflow/artifacts": tmp_path / "volumes" / "mlflow-artifacts"}
    assert map_volumes("/mlflow/artifacts", mounts) == str(tmp_path / "volumes" / "mlflow-artifacts")
    assert map_volumes("/mlflow/artifacts/x", mounts).endswith("mlflow-artifacts/x")
    assert map_volumes("/mlflow/artifactsX", mounts) == "/mlflow/artifactsX"
    # A flag's value too (SeaweedFS's `-dir=/data`): else every native stack wrote to /data.
    assert map_volumes("-dir=/mlflow/artifacts", mounts) == f"-dir={tmp_path / 'volumes' / 'mlflow-artifacts'}"
    assert map_volumes("-x=/elsewhere", mounts) == "-x=/elsewhere"
    assert unescape("$$CACHE_REDIS_PORT") == "$CACHE_REDIS_PORT"


def test_plan_runs_the_rendered_commands_with_the_rendered_environment(rendered, tmp_path):
    programs = {p.name: p for p in plan(rendered, tmp_path)}
    assert list(programs) == ["postgres", "redis", "keycloak", "mlflow", "sync-users"]
    ml = programs["mlflow"]
    assert ml.command[1:4] == ["server", "--app-name", "oidc-auth-stack"]
    assert ml.command[ml.command.index("--port") + 1] == str(rendered.published("mlflow", 5000).published)
    assert ml.command[ml.command.index("--host") + 1] == "127.0.0.1"
    assert ml.command[ml.command.index("--artifacts-destination") + 1] == str(tmp_path / "volumes" / "mlflow-artifacts")
    for key, value in rendered.env("mlflow").items():
        assert ml.env[key] == to_loopback(value, rendered)
    assert "keycloak:" not in ml.env["OIDC_DISCOVERY_URL"]
    kc = programs["keycloak"]
    # The render's command, with --optimized: the pre-built copy has exactly its build options.
    assert rendered.command("keycloak")[:1] == ["start"]
    assert kc.command[1:] == ["start", "--optimized", *rendered.command("keycloak")[1:]]
    assert kc.env["KC_HTTP_PORT"] == str(rendered.published("keycloak", 8080).published)
    assert "$$" not in " ".join(programs["redis"].command)


def test_port_variables_come_from_compose_itself(rendered):
    """Compose's --no-interpolate render names the variable behind each port."""
    assert rendered.port_variable("mlflow", 5000) == "MLFLOW_PORT"
    assert rendered.port_variable("keycloak", 8080) == "KEYCLOAK_PORT"
    assert rendered.port_variable("keycloak", 9000) == "KEYCLOAK_MANAGEMENT_PORT"
    assert rendered.port_variable("postgres", rendered.internal_port("postgres")) == "POSTGRES_PORT"
    assert rendered.port_variable("redis", rendered.internal_port("redis")) == "CACHE_REDIS_PORT"
    assert rendered.listen_port_variables() == {
        "MLFLOW_PORT": "mlflow",
        "KEYCLOAK_PORT": "keycloak",
        "KEYCLOAK_MANAGEMENT_PORT": "keycloak",
        "POSTGRES_PORT": "postgres",
        "CACHE_REDIS_PORT": "redis",
    }


def test_a_taken_port_names_the_service_and_the_variable(tmp_path):
    env = make_env(tmp_path / ".env")
    taken = socket.socket()
    taken.bind(("127.0.0.1", int(render(env).published("mlflow", 5000).published)))
    taken.listen()
    state = state_dir("port-taken")
    try:
        with pytest.raises(StackError, match=r"mlflow cannot listen on it.*set MLFLOW_PORT in"):
            NativeStack(env, state, out=io.StringIO()).up()
        assert not (state / "supervisord.pid").exists()
    finally:
        taken.close()
        shutil.rmtree(state, ignore_errors=True)


def test_mode_is_chosen_and_explained(tmp_path):
    proc = run_stack_cli("mode", "--state-dir", str(tmp_path), env={"STACK": ""})
    assert proc.returncode == 0
    assert proc.stdout.startswith("native: no Docker engine answered") or proc.stdout.startswith(
        "compose: a Docker engine answered"
    )
    forced = run_stack_cli("mode", "--state-dir", str(tmp_path), env={"STACK": "native"})
    assert forced.stdout.strip() == "native: STACK=native was set"
    bad = run_stack_cli("mode", "--state-dir", str(tmp_path), env={"STACK": "podman"})
    assert bad.returncode != 0 and "use STACK=compose or STACK=native" in bad.stderr


def test_logs_take_service_names_after_options(tmp_path):
    env = make_env(tmp_path / ".env")
    proc = run_stack_cli(
        "logs", "--env-file", str(env), "--state-dir", str(tmp_path / "s"), "redis", env={"STACK": "native"}
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("==> redis <==")
    bad = run_stack_cli("logs", "--state-dir", str(tmp_path / "s"), "nginx", env={"STACK": "native"})
    assert bad.returncode == 1 and "unknown service 'nginx'" in bad.stderr


def test_ps_and_down_on_a_stopped_stack_say_so(tmp_path):
    env = make_env(tmp_path / ".env")
    for action in ("ps", "down"):
        proc = run_stack_cli(
            action, "--env-file", str(env), "--state-dir", str(tmp_path / "s"), env={"STACK": "native"}
        )
        assert proc.returncode == 0 and "not running" in proc.stdout


def test_up_creates_env_with_secrets_when_missing_and_reports_render_errors(tmp_path):
    env = tmp_path / ".env"
    env.write_text((ROOT / ".env.example").read_text())  # copied by hand: secrets still empty
    proc = run_stack_cli("up", "--env-file", str(env), "--state-dir", str(tmp_path / "s"), env={"STACK": "native"})
    assert proc.returncode == 1
    # Compose names whichever missing secret it meets first.
    assert re.search(r"[A-Z_]+ is required - run `make secrets` to fill \.env", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr


# --- lifecycle on the session's stack -------------------------------------------------------


def processes_with(marker: str) -> list[int]:
    """PIDs whose environment carries marker (every service inherits the stack's secrets)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                pass
    return pids


@pytest.mark.stack
@pytest.mark.slow
def test_down_up_keeps_the_data_and_a_foreign_env_is_refused(stack, make_user, groups):
    """`make down` leaves no process; `make up` with a .env that did not create the data stops
    with both ways out and starts nothing; the right .env brings the same data back."""
    user = make_user(groups["users"], prefix="keeper")
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    created = session.post(
        f"{stack.mlflow_url}/api/2.0/mlflow/experiments/create", json={"name": f"kept-{user.username}"}
    )
    assert created.status_code == 200
    marker = stack.rendered.env("mlflow")["SECRET_KEY"]
    assert processes_with(marker), "the running mlflow server carries its SECRET_KEY"

    stack.runtime.down()
    assert processes_with(marker) == []
    with pytest.raises(requests.ConnectionError):
        requests.get(stack.mlflow_url + "/health/live", timeout=5)

    original = stack.env_file.read_text()
    envfile.set_values(stack.env_file, {"POSTGRES_PASSWORD": "another-checkouts-password-1234"})
    try:
        with pytest.raises(DataMismatch) as refused:
            stack.runtime.up()
        message = str(refused.value)
        assert "created with other credentials" in message and "password authentication failed" in message
        assert "restore the .env that created the data" in message
        assert "make reset CONFIRM=yes" in message
        assert processes_with("another-checkouts-password-1234") == [], "nothing of the refused stack runs"
    finally:
        stack.env_file.write_text(original)
    stack.runtime.up()
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    got = session.get(
        f"{stack.mlflow_url}/api/2.0/mlflow/experiments/get-by-name",
        params={"experiment_name": f"kept-{user.username}"},
    )
    assert got.status_code == 200, got.text
    assert got.json()["experiment"]["experiment_id"] == created.json()["experiment_id"]
    if stack.mode == "compose":
        # The session's first `up` had no database volume, so no data to check: one stage.
        # Every `up` on existing data checks the logins between postgres and the rest.
        steps = [
            line.split(" ... ")[0]
            for line in (stack.state / "up.log").read_text().splitlines()
            if line.startswith("compose: ") and " healthy ... " in line
        ]
        assert steps[0] == "compose: keycloak, mlflow, postgres, redis, sync-users healthy", steps
        assert steps[1:] == [
            "compose: postgres, redis healthy",  # the refused .env stopped here
            "compose: postgres, redis healthy",
            "compose: keycloak, mlflow, sync-users healthy",
        ], steps

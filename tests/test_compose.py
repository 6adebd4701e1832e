"""Compose mode: the bundle's own images, `docker compose` for people, `make reset`, and the
refusals `make up` gives before it starts anything. The session's compose stack is the one
the e2e, bootstrap, doctor and lifecycle tests use; these tests look at what it was built
from, or run cheap scenarios beside it."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import uuid

import pytest

from conftest import make_env, run_stack_cli, state_dir
from mlflow_oidc_stack import StackError
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.ops.scratch import remove_orphaned_stacks
from mlflow_oidc_stack.runtime.compose import ComposeStack
from mlflow_oidc_stack.runtime.engine import engine
from mlflow_oidc_stack.runtime.images import LABEL, NAMESPACE, image_id, image_label

ENGINE, WHY = engine()
needs_engine = pytest.mark.skipif(not ENGINE, reason=f"needs a Docker engine: {WHY}")


def docker_run(image: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", cmd[0], image, *cmd[1:]], capture_output=True, text=True, timeout=120
    )


def test_reset_without_confirm_refuses_and_deletes_nothing(tmp_path):
    env = make_env(tmp_path / ".env")
    data = tmp_path / "s" / "volumes" / "postgres-data"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("15\n")
    proc = run_stack_cli(
        "reset", "--env-file", str(env), "--state-dir", str(tmp_path / "s"), env={"STACK": "native", "CONFIRM": ""}
    )
    assert proc.returncode == 2, proc.stderr
    assert "make reset CONFIRM=yes" in proc.stderr
    assert (data / "PG_VERSION").exists(), "nothing is deleted without CONFIRM=yes"
    proc = run_stack_cli(
        "reset", "--env-file", str(env), "--state-dir", str(tmp_path / "s"), env={"STACK": "native", "CONFIRM": "yes"}
    )
    assert proc.returncode == 0, proc.stderr
    assert not data.exists()


@needs_engine
def test_docker_compose_works_for_people():
    proc = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "v2." in proc.stdout, proc.stderr


@pytest.mark.stack
@pytest.mark.compose_only
def test_stand_in_images_carry_the_bundles_names_and_keep_the_contract(stack):
    """Where an official image cannot be pulled, the stack runs on stand-ins named
    mlflow-oidc-stack/..., recorded in .env, that behave as the compose file expects."""
    values = envfile.read(stack.env_file)
    for service in ("postgres", "redis", "keycloak", "mlflow"):
        ref = stack.rendered.image(service)
        assert image_id(ref), f"{ref} is not on the engine"
        official = ref.split("/")[0] in ("postgres", "redis") or ref.startswith("quay.io/")
        if not official:
            # Never an official name: a stand-in must not shadow the real image later.
            assert ref.startswith(NAMESPACE + "/"), ref
            assert image_label(ref), f"{ref} has no {LABEL} label"
    for var in ("POSTGRES_IMAGE", "REDIS_IMAGE", "KEYCLOAK_IMAGE"):
        if values[var].startswith(NAMESPACE + "/"):
            ref = values[var]
            if var == "POSTGRES_IMAGE":
                assert docker_run(ref, "postgres", "--version").stdout.startswith("postgres (PostgreSQL) 15.")
                assert docker_run(ref, "sh", "-c", "command -v pg_isready psql").returncode == 0
            if var == "REDIS_IMAGE":
                assert "v=7.0." in docker_run(ref, "redis-server", "--version").stdout
                assert docker_run(ref, "sh", "-c", "command -v redis-cli && pwd").stdout.endswith("/data\n")
            if var == "KEYCLOAK_IMAGE":
                proc = docker_run(ref, "bash", "-c", "ls /opt/keycloak/bin/kc.sh /opt/keycloak/data/import")
                assert proc.returncode == 0, proc.stderr
                assert ref.endswith(":" + stack.rendered.image_tag("keycloak"))
    version = docker_run(
        stack.rendered.image("mlflow"),
        "python",
        "-c",
        "import sys, mlflow_oidc_auth; print(sys.version_info >= (3, 12))",
    )
    assert version.stdout.strip() == "True", version.stderr


@needs_engine
@pytest.mark.stack
@pytest.mark.compose_only
def test_a_taken_port_stops_compose_up_before_anything_starts(stack, tmp_path):
    env = make_env(tmp_path / ".env")
    # The session's images: what .env says after its first `make up`.
    images = {k: v for k, v in envfile.read(stack.env_file).items() if k.endswith("_IMAGE")}
    envfile.set_values(env, images)
    taken = socket.socket()
    port = int(envfile.read(env)["MLFLOW_PORT"])
    taken.bind(("127.0.0.1", port))
    taken.listen()
    state = state_dir("compose-port")
    runtime = ComposeStack(env, state, out=io.StringIO())
    try:
        with pytest.raises(StackError, match=r"mlflow cannot be published on it.*set MLFLOW_PORT in"):
            runtime.up()
        assert runtime.states() == {}, "nothing was started"
    finally:
        taken.close()
        runtime.reset()
        shutil.rmtree(state, ignore_errors=True)


@needs_engine
@pytest.mark.stack
@pytest.mark.compose_only
def test_a_killed_runs_stacks_are_removed_and_a_users_stack_is_kept(stack, tmp_path):
    """A throwaway stack whose state dir is gone (its run was killed) loses its containers,
    networks and volumes; a stack whose .env lies elsewhere (a user's checkout) keeps them,
    even where that .env is gone."""
    image = envfile.read(stack.env_file)["REDIS_IMAGE"]
    label = "com.docker.compose.project"
    made, killed_state = {}, state_dir("killed")
    for who, where in (("killed", killed_state), ("user", tmp_path / "checkout")):
        project = f"mlflow-oidc-stack-{who}{uuid.uuid4().hex[:6]}"
        labels = ["--label", f"{label}={project}", "--label", f"{label}.environment_file={where / '.env'}"]
        net = subprocess.run(["docker", "network", "create", *labels[:2], f"{project}_backend"], capture_output=True)
        assert net.returncode == 0, net.stderr
        vol = subprocess.run(["docker", "volume", "create", *labels[:2], f"{project}_data"], capture_output=True)
        assert vol.returncode == 0, vol.stderr
        run = ["docker", "run", "--detach", *labels, "--network", f"{project}_backend", "--entrypoint", "sleep"]
        assert subprocess.run([*run, image, "600"], capture_output=True).returncode == 0
        made[who] = project
    try:
        shutil.rmtree(killed_state)  # the run was killed, its state dir cleaned up later
        removed = remove_orphaned_stacks(say=lambda _: None)
        assert made["killed"] in removed and made["user"] not in removed

        def left(project: str, *listing: str) -> list[str]:
            cmd = ["docker", *listing, "--quiet", "--filter", f"label={label}={project}"]
            return subprocess.run(cmd, capture_output=True, text=True).stdout.split()

        assert not left(made["killed"], "ps", "--all")
        assert not left(made["killed"], "network", "ls") and not left(made["killed"], "volume", "ls")
        assert left(made["user"], "ps") and left(made["user"], "volume", "ls") and left(made["user"], "network", "ls")
    finally:
        for project in made.values():
            ids = subprocess.run(
                ["docker", "ps", "--all", "--quiet", "--filter", f"label={label}={project}"],
                capture_output=True,
                text=True,
            ).stdout.split()
            subprocess.run(["docker", "rm", "--force", *ids], capture_output=True)
            subprocess.run(["docker", "network", "rm", f"{project}_backend"], capture_output=True)
            subprocess.run(["docker", "volume", "rm", f"{project}_data"], capture_output=True)

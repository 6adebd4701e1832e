"""Throwaway stacks for the tests and the benchmark: a fresh .env on free ports, and a
state dir the `postgres` user can enter."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import tempfile
from pathlib import Path

from ..config import envfile
from ..config.render import render
from ..runtime.native import free_loopback_port

_GIVEN: set[int] = set()  # ports handed out in a range: never twice in one process


def free_port() -> int:
    """A port nothing listens on. STACK_TEST_PORTS=lo-hi keeps the choice in a range, so
    that two test runs at once (`make test` runs one per mode) never pick the same one."""
    span = os.environ.get("STACK_TEST_PORTS", "")
    if span:
        lo, hi = (int(x) for x in span.split("-"))
        for _ in range(500):
            port = random.randint(lo, hi)
            if port in _GIVEN:
                continue
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                _GIVEN.add(port)
                return port
    return free_loopback_port()


def make_env(path: Path, **overrides: str) -> Path:
    """A fresh .env made the way users make theirs (`make secrets`), with every port that
    something listens on (as the compose file says) moved to a free one."""
    envfile.fill_secrets(path)
    envfile.set_values(path, overrides)  # first: a profile they turn on adds ports of its own
    ports = render(path).listen_port_variables()
    envfile.set_values(path, {var: str(free_port()) for var in ports if var != "PUBLIC_URL" and var not in overrides})
    return path


def state_dir(prefix: str) -> Path:
    """A state dir PostgreSQL's `postgres` user can enter (pytest's tmp dirs are 0700)."""
    path = Path(tempfile.mkdtemp(prefix=f"mlflow-oidc-stack-{prefix}-"))
    path.chmod(0o711)
    return path


def remove_orphaned_stacks(say=print) -> list[str]:
    """Compose projects of throwaway stacks whose state dir is gone: a test run or bench that
    was killed before it could tear them down. Their containers restart with the engine
    (`restart: unless-stopped`), so a new run would share the machine with them, and their
    networks use up Docker's address pools ("Pool overlaps with other one"). Only projects
    whose .env lay in a state dir made by `state_dir` (the temp dir's mlflow-oidc-stack-*)
    lose their containers and volumes: a user's own stack keeps its .env in its checkout.
    Networks no container uses are removed for every mlflow-oidc-stack project (`make up`
    makes them again). Returns the projects whose containers were removed."""
    from ..runtime.engine import docker_cli

    cli = docker_cli()
    if cli is None:
        return []

    def docker(*args: str) -> list[str]:
        return subprocess.run([cli, *args], capture_output=True, text=True).stdout.split()

    project_label = "com.docker.compose.project"
    scratch = Path(tempfile.gettempdir())
    orphaned: dict[str, bool] = {}
    containers = docker("ps", "--all", "--quiet", "--filter", f"label={project_label}")
    fmt = f'{{{{index .Config.Labels "{project_label}"}}}}|{{{{index .Config.Labels "{project_label}.environment_file"}}}}'
    for line in docker("inspect", "--format", fmt, *containers) if containers else []:
        project, _, env_files = line.partition("|")
        if not project.startswith("mlflow-oidc-stack-"):
            continue
        paths = [Path(f) for f in env_files.split(",") if f]
        gone = bool(paths) and all(
            f.parent.parent == scratch and f.parent.name.startswith("mlflow-oidc-stack-") and not f.exists()
            for f in paths
        )
        orphaned[project] = orphaned.get(project, True) and gone
    removed = []
    for project in sorted(p for p, gone in orphaned.items() if gone):
        label = f"label={project_label}={project}"
        ids = docker("ps", "--all", "--quiet", "--filter", label)
        if ids:
            docker("rm", "--force", *ids)
        for kind in ("network", "volume"):
            ids = docker(kind, "ls", "--quiet", "--filter", label)
            if ids:
                docker(kind, "rm", *ids)
        say(f"removed {project}: the containers, networks and volumes of a throwaway stack whose state dir is gone")
        removed.append(project)
    fmt = f'{{{{.ID}}}}|{{{{index .Labels "{project_label}"}}}}'
    for line in docker("network", "ls", "--filter", f"label={project_label}", "--format", fmt):
        nid, _, project = line.partition("|")
        if project.startswith("mlflow-oidc-stack-") and project not in orphaned:
            docker("network", "rm", nid)  # refused while a container uses it: then kept
    return removed

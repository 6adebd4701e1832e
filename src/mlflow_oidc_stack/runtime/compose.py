"""The Compose stack: `make up` with a Docker engine.

Images come first (runtime/images.py builds stand-ins where nothing can be pulled). Then
the services start in two stages, one `up --wait` each, so a failure names the stage and its
cause instead of waiting out every healthcheck:

1. postgres and redis; then every database login of the render is tried inside the
   postgres container, so data created with another .env stops here, with both ways out;
   a first start (no database volume yet) has no such data, and runs both stages as one;
2. everything else at once, in the compose file's dependency order: keycloak, mlflow and the
   user sync boot side by side (MLflow needs Keycloak only for logins, the sync's first run
   waits for both: `service_started`). One after the other, MLflow's boot came after
   Keycloak's whole first start (docs/measured.md#cold-start), and the sync's after both
   (docs/measured.md#start-beside).

Each checkout has its own Compose project (so its own volumes): COMPOSE_PROJECT_NAME when
set, else a name made once and kept in the state dir (`.stack/compose-project`). Two
checkouts on one engine never share data by accident (docs/compose.md).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from .. import StackError
from ..config import envfile
from ..config.facts import DbLogin, Rendered
from ..config.render import base_command, render
from . import images, tls
from .common import check_db_logins, default_state_dir, diagnose, port_in_use
from .progress import Steps

STAGES = [("postgres", "redis"), ()]  # () = everything else
DB_VOLUME = "postgres-data"  # the compose file's volume of PostgreSQL's data, which stage 1 checks


def project_name(env_file: Path, state: Path, create: bool = False) -> str | None:
    """This checkout's Compose project name (see the module doc)."""
    name = os.environ.get("COMPOSE_PROJECT_NAME")
    if not name and Path(env_file).exists():
        name = envfile.read(env_file).get("COMPOSE_PROJECT_NAME")
    if name:
        return name
    recorded = Path(state) / "compose-project"
    if recorded.exists():
        return recorded.read_text().strip()
    if not create:
        return None
    name = f"mlflow-oidc-stack-{secrets.token_hex(4)}"
    recorded.parent.mkdir(parents=True, exist_ok=True)
    recorded.write_text(name + "\n")
    return name


class ComposeStack:
    def __init__(self, env_file: Path, state: Path | None = None, out: TextIO | None = None):
        self.env_file = Path(env_file)
        self.state = Path(state or default_state_dir()).resolve()
        self.out = out or sys.stdout
        self.steps = Steps("compose", self.state / "logs" / "compose.log", self.out)
        self.timings: dict[str, float] = {}

    # --- plumbing ------------------------------------------------------------------------
    @property
    def project(self) -> str:
        name = project_name(self.env_file, self.state)
        if not name:
            raise StackError(f"no Compose project for {self.state} yet: run `make up`")
        return name

    def command(self, *args: str) -> list[str]:
        return base_command(self.env_file, self.project) + list(args)

    def compose(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("text", True)
        return subprocess.run(self.command(*args), **kwargs)

    def states(self) -> dict[str, dict]:
        """`ps --all --format json` by service: State, Health, Status, ExitCode, ... A service's
        second and later replicas (MLFLOW_REPLICAS) are `<service>-2`, ..., as natively."""
        proc = self.compose("ps", "--all", "--format", "json")
        if proc.returncode != 0:
            return {}
        text = proc.stdout.strip()
        rows = json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines() if x]
        out = {}
        for row in rows:
            service, number = row.get("Service"), str(row.get("Name", "")).rsplit("-", 1)[-1]
            out[service if number in ("1", "") or not number.isdigit() else f"{service}-{number}"] = row
        return out

    def running(self) -> bool:
        return any(s.get("State") == "running" for s in self.states().values())

    def exec(
        self, service: str, *cmd: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """Run a command in a service's container; `env` values travel through the caller's
        environment (`-e NAME`), never on a command line."""
        flags = [f for name in (env or {}) for f in ("-e", name)]
        return subprocess.run(
            self.command("exec", "-T", *flags, service, *cmd),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )

    # --- up ------------------------------------------------------------------------------
    def up(self, only: list[str] | None = None) -> Rendered:
        """Start the stack (or only the stages up to the given services) and wait."""
        project_name(self.env_file, self.state, create=True)
        self.steps.say(f"project {self.project} (its own volumes; log: {self.steps.log})")
        rendered = self.images()
        tls.ensure(rendered)  # the HTTPS profile's certificate, before Docker bind-mounts it
        self._preflight(rendered)
        # A first start (no database volume yet) has no data to check: one `up --wait` for
        # everything, so that Keycloak starts as soon as PostgreSQL is healthy instead of after
        # a second Compose run (docs/measured.md#start-beside).
        first = only is None and not self.volume_exists(DB_VOLUME)
        for stage in [()] if first else STAGES:
            services = list(stage) or [s for s in rendered.services if first or not any(s in st for st in STAGES)]
            if only is not None and not set(only) & set(services):
                continue
            start = time.monotonic()
            with self.steps.step(f"{', '.join(services)} healthy"):
                proc = self.compose("up", "--detach", "--wait", "--no-build", *stage)
                if proc.returncode != 0:
                    raise StackError(self._explain_failure(rendered, services, proc))
            for s in services:
                self.timings[s] = time.monotonic() - start
            if "postgres" in stage:
                self._check_data(rendered)
        if only is None:
            self.steps.say(
                f"stack is up. MLflow: {rendered.browser_mlflow_url()}  Keycloak: {rendered.browser_keycloak_url()}"
            )
        return rendered

    def volume_exists(self, volume: str) -> bool:
        """Whether this project's named volume exists (Compose names it <project>_<volume>)."""
        proc = subprocess.run(
            ["docker", "volume", "inspect", f"{self.project}_{volume}"], capture_output=True, text=True, timeout=60
        )
        return proc.returncode == 0

    def images(self) -> Rendered:
        """Every image of the render, pulled or built; returns the render that uses them."""
        return images.ensure(
            render(self.env_file),
            Steps("images", self.state / "logs" / "images.log", self.out),
            lambda: render(self.env_file),
        )

    def _preflight(self, rendered: Rendered) -> None:
        states = self.states()
        for service in rendered.services:
            if states.get(service, {}).get("State") == "running":
                continue
            for port in rendered.ports(service):
                host = "127.0.0.1" if port.host_ip in ("0.0.0.0", "") else port.host_ip
                if port_in_use(host, port.published):
                    var = rendered.port_variable(service, port.target)
                    raise StackError(
                        f"port {port.published} on {host} is already in use, so {service} "
                        f"cannot be published on it: stop what uses it (another checkout's "
                        f"stack? `make down` there), or set {var} in {self.env_file} to a "
                        f"free port"
                    )

    def _check_data(self, rendered: Rendered) -> None:
        results = [(login, self.db_login_error(login)) for login in rendered.db_logins()]
        try:
            check_db_logins(rendered, results, f"the volume {self.project}_{DB_VOLUME}")
        except StackError:
            self.compose("stop")  # nothing half-started stays behind; the data is untouched
            raise

    def db_login_error(self, login: DbLogin) -> str | None:
        """Log in as a client would, over TCP inside the postgres container (its socket is
        trusted, TCP is not), with the client's own credentials."""
        proc = self.exec(
            "postgres",
            "psql",
            "-h",
            login.host,
            "-p",
            str(login.port),
            "-U",
            login.user,
            "-d",
            login.dbname,
            "-w",
            "-tAc",
            "SELECT 1",
            env={"PGPASSWORD": login.password},
            timeout=60,
        )
        if proc.returncode == 0:
            return None
        return " ".join((proc.stderr or proc.stdout).split())[-300:] or f"psql exited {proc.returncode}"

    def _explain_failure(self, rendered: Rendered, services: list[str], proc) -> str:
        states = self.states()
        lines = [
            f"`docker compose up` did not get {', '.join(services)} healthy: "
            f"{' '.join((proc.stderr or proc.stdout).split())[-400:]}"
        ]
        for service in services:
            st = states.get(service, {})
            if st and st.get("Health") != "healthy":
                log = self.compose("logs", "--no-color", "--tail", "40", service).stdout
                lines.append(
                    f"{service}: {st.get('State')} {st.get('Status', '')}; its last log lines:\n"
                    + "\n".join("    " + x for x in log.splitlines()[-15:])
                )
                cause = diagnose(log)
                if cause:
                    lines.append(f"{service}: {cause[0]}: {cause[1]}")
        lines.append(f"full output: {self.steps.log}; `make logs SERVICES=...`, `make doctor`")
        return "\n".join(lines)

    # --- the rest ------------------------------------------------------------------------
    def down(self) -> None:
        if project_name(self.env_file, self.state) is None:
            print(f"compose: not running (no project recorded in {self.state})", file=self.out)
            return
        self.steps.run(self.command("down"), "docker compose down")
        print(f"compose: stopped project {self.project}; its volumes (the data) are kept", file=self.out)

    def reset(self) -> None:
        """Delete the containers, networks and volumes of this checkout's project."""
        if project_name(self.env_file, self.state) is None:
            print("compose: no project recorded; nothing to delete", file=self.out)
            return
        self.steps.run(self.command("down", "--volumes", "--remove-orphans"), "docker compose down -v")
        print(f"compose: deleted project {self.project} and its volumes", file=self.out)

    def ps(self) -> str:
        if project_name(self.env_file, self.state) is None:
            return f"compose: not running (no project recorded in {self.state})"
        return self.compose("ps", "--all").stdout.rstrip()

    def logs(self, services: list[str] | None = None, lines: int = 50, prefix: bool = True) -> str:
        flags = [] if prefix else ["--no-log-prefix"]
        proc = self.compose("logs", "--no-color", *flags, "--tail", str(lines), *(services or []))
        return (proc.stdout + proc.stderr).rstrip()

    def restart(self, service: str) -> None:
        self.steps.run(self.command("restart", service), f"restart {service}")
        self.steps.run(self.command("up", "--detach", "--wait", "--no-build", "--no-recreate"), f"wait for {service}")

    def stop(self, service: str) -> None:
        self.steps.run(self.command("stop", service), f"stop {service}")

    def start(self, service: str) -> None:
        self.steps.run(self.command("up", "--detach", "--wait", "--no-build", service), f"start {service}")

    def kill(self, service: str) -> None:
        """SIGKILL a service's main process from the host, as a crash would (for the crash
        tests). Not `docker kill`: Docker counts that as a manual stop and does not restart."""
        os.kill(self.pids()[service], signal.SIGKILL)

    def healthy(self, service: str, rendered: Rendered | None = None) -> bool:
        """Running and healthy as its compose healthcheck says."""
        st = self.states().get(service, {})
        return st.get("State") == "running" and st.get("Health") in ("healthy", "")

    def pids(self) -> dict[str, int]:
        out = {}
        for service, st in self.states().items():
            proc = subprocess.run(
                ["docker", "inspect", "--format", "{{.State.Pid}}", st.get("Name", "")], capture_output=True, text=True
            )
            if proc.stdout.strip().isdigit() and int(proc.stdout) > 0:
                out[service] = int(proc.stdout)
        return out

"""The pinned Keycloak, once, on a scratch PostgreSQL: from local binaries, no engine needed.

Two makers use it: `make keycloak-schema` (Keycloak builds its database, which is then dumped:
keycloak_schema.py), and the pre-built Keycloak's class archive (Keycloak starts on the
shipped schema and the JVM writes the classes it loaded: keycloak_dist.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import StackError
from ..config.facts import Rendered
from .native import LOOPBACK, _http_ok, find_postgres_bin, free_loopback_port


def run(cmd: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        raise StackError(f"{what} failed: {(proc.stderr or proc.stdout).strip()[-1500:]}")
    return proc


@dataclass
class ScratchPostgres:
    bin: Path  # PostgreSQL's programs
    work: Path  # a private directory, deleted afterwards
    port: int
    user: str
    db: str

    @property
    def client(self) -> dict[str, str]:
        """The environment for psql, pg_dump and pg_isready."""
        return {"PGHOST": LOOPBACK, "PGPORT": str(self.port), "PGUSER": self.user, "PATH": os.environ.get("PATH", "")}


@contextmanager
def scratch_postgres(user: str = "keycloak", db: str = "keycloak") -> Iterator[ScratchPostgres]:
    """A throwaway PostgreSQL on loopback (trust authentication) with one empty database."""
    pg = find_postgres_bin()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # it refuses root
    with tempfile.TemporaryDirectory(prefix="mlflow-oidc-stack-kcscratch-") as tmp:
        work = Path(tmp)
        work.chmod(0o711)
        if as_postgres:
            shutil.chown(work, "postgres")
        data = work / "pg"
        run([*as_postgres, str(pg / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8"], "initdb")  # fmt: skip
        port = free_loopback_port()
        postgres = subprocess.Popen(
            [*as_postgres, str(pg / "postgres"), "-D", str(data), "-c", f"port={port}", "-c",
             f"listen_addresses={LOOPBACK}", "-c", f"unix_socket_directories={work}", "-c", "fsync=off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            scratch = ScratchPostgres(pg, work, port, user, db)
            deadline = time.monotonic() + 60
            while subprocess.run([str(pg / "pg_isready"), "-q"], env=scratch.client).returncode != 0:
                if postgres.poll() is not None or time.monotonic() > deadline:
                    raise StackError("the scratch PostgreSQL did not start")
                time.sleep(0.2)
            run(
                [str(pg / "psql"), "-d", "postgres", "-c", f"CREATE DATABASE {db}"],
                "CREATE DATABASE",
                env=scratch.client,
            )
            yield scratch
        finally:
            postgres.terminate()
            postgres.wait(60)


def start_once(rendered: Rendered, dist: Path, pg: ScratchPostgres, java_opts: str = "", timeout: float = 600) -> None:
    """Start the pre-built Keycloak `dist` on the scratch database (installed as a stack installs
    it), wait until it is ready, and stop it cleanly (Liquibase's lock rows unlocked, the JVM's
    exit hooks run)."""
    from .keycloak_dist import find_java_home, install, keycloak_version

    home = pg.work / "keycloak"
    install(dist, home)
    http, mgmt = free_loopback_port(), free_loopback_port()
    env = {
        **os.environ,
        **rendered.env("keycloak"),  # the service's settings: `start --optimized` must match its build
        "JAVA_HOME": str(find_java_home()),
        "KC_DB_URL": f"jdbc:postgresql://{LOOPBACK}:{pg.port}/{pg.db}",
        "KC_DB_USERNAME": pg.user,
        "KC_DB_PASSWORD": "unused",  # trust authentication
        "KC_HTTP_HOST": LOOPBACK,
        "KC_HTTP_PORT": str(http),
        "KC_HTTP_MANAGEMENT_PORT": str(mgmt),
        "KC_HOSTNAME": f"http://{LOOPBACK}:{http}",
        "KC_BOOTSTRAP_ADMIN_PASSWORD": secrets.token_urlsafe(24),  # its user is never kept
    }
    if java_opts:
        env["JAVA_OPTS_APPEND"] = f"{env.get('JAVA_OPTS_APPEND', '')} {java_opts}".strip()
    log = (pg.work / "keycloak.log").open("w+")
    keycloak = subprocess.Popen(
        [str(home / "bin" / "kc.sh"), "start", "--optimized"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + timeout
        while not _http_ok(f"http://{LOOPBACK}:{mgmt}/health/ready", timeout=2):
            if keycloak.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise StackError(
                    f"Keycloak {keycloak_version(rendered)} did not start on the scratch database:\n{log.read()[-3000:]}"
                )
            time.sleep(0.5)
        keycloak.terminate()
        if keycloak.wait(120) not in (0, 143):
            log.seek(0)
            raise StackError(f"Keycloak did not stop cleanly (exit {keycloak.returncode}):\n{log.read()[-3000:]}")
    finally:
        if keycloak.poll() is None:
            keycloak.kill()
            keycloak.wait()
        log.close()

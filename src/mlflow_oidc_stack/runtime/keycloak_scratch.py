"""The pinned Keycloak, once, on a scratch PostgreSQL: from local binaries, no engine needed.

Two makers use it: `make keycloak-schema` (Keycloak builds its database, which is then dumped:
keycloak_schema.py), and the pre-built Keycloak's class archive (`prebuilt`: Keycloak starts
on the shipped schema and the JVM writes the classes it loaded; see keycloak_dist.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .. import StackError
from ..config.facts import Rendered
from .common import LOOPBACK, _http_ok, find_postgres_bin, free_loopback_port
from .keycloak_dist import (
    SEED,
    archive_wanted,
    build_lock,
    class_archive,
    find_java_home,
    install,
    keycloak_version,
    rendered_for_versions,
)
from .keycloak_dist import ensure as ensure_dist


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


def prebuilt(rendered: Rendered, out: TextIO = sys.stdout) -> Path:
    """The pre-built Keycloak for the render (keycloak_dist.ensure), with its class archive for
    the Java that runs it unless KEYCLOAK_CLASS_ARCHIVE=false: what a native start needs."""
    dist = ensure_dist(rendered, out)
    if archive_wanted(rendered) and not class_archive(dist).exists():
        with build_lock():
            if not class_archive(dist).exists():
                make_class_archive(rendered, dist, out)
    return dist


def make_class_archive(rendered: Rendered, dist: Path, out: TextIO) -> None:
    """One start of `dist` on a scratch PostgreSQL with the shipped schema, up to ready; the JVM
    writes the classes it loaded when it exits. A failure leaves no archive and is only reported:
    Keycloak starts without one."""
    archive = class_archive(dist)
    archive.parent.mkdir(exist_ok=True)
    partial = archive.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    print(
        f"==> Keycloak {keycloak_version(rendered)}: making its class archive (one start, ~30 s)", file=out, flush=True
    )
    try:
        with scratch_postgres() as pg:
            # As the stack starts: on the shipped schema (archive_wanted: the pinned Keycloak only).
            run([str(pg.bin / "psql"), "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", pg.db, "-f", str(SEED)],
                "loading Keycloak's schema", env=pg.client)  # fmt: skip
            start_once(rendered, dist, pg, java_opts=f"-XX:ArchiveClassesAtExit={partial}")
        if not partial.exists():
            raise StackError("the JVM wrote no archive")
    except (StackError, OSError) as exc:
        partial.unlink(missing_ok=True)
        print(f"==> Keycloak starts without a class archive (it could not be made: {exc})", file=out, flush=True)
        return
    partial.rename(archive)


def main() -> int:
    """`scripts/setup`: the pre-built Keycloak with its class archive, for the native stack."""
    try:
        prebuilt(rendered_for_versions())
    except StackError as exc:
        print(f"setup: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What both runtimes share: the state dir, and the check that the data belongs to this .env."""

from __future__ import annotations

import os
import re
import shutil
import socket
import urllib.request
from pathlib import Path

from .. import ROOT, StackError
from ..config.facts import DbLogin, Rendered

LOOPBACK = "127.0.0.1"


def _http_ok(url: str, timeout: float = 3) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:
        return False


def find_postgres_bin() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("postgres")
    if found:
        return Path(found).parent
    raise StackError("PostgreSQL server binaries not found: run `make setup` (installs Debian's postgresql package)")


def free_loopback_port() -> int:
    """A port nothing listens on now, from the kernel's ephemeral range (outside the ranges
    .env and the tests hand out)."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def default_state_dir() -> Path:
    return Path(os.environ.get("STACK_STATE_DIR") or ROOT / ".stack")


def _read_quietly(path: Path) -> dict[str, str]:
    from ..config.envfile import read

    try:
        return read(path)
    except (StackError, OSError):
        return {}


class DataMismatch(StackError):
    """The data was created with other credentials than the .env holds."""


def check_db_logins(rendered: Rendered, results: list[tuple[DbLogin, str | None]], data: str) -> None:
    """Stop with both ways out when the database refuses the configured credentials.

    results: each login with its error (None when it worked). data: where the data lives,
    in words ("the volume mlflow-oidc-stack-1a2b_postgres-data")."""
    failed = [(login, err) for login, err in results if err]
    if not failed:
        return
    login, err = failed[0]
    env_file = rendered.env_file
    if "password authentication failed" in err or "does not exist" in err and "role" in err:
        bak = env_file.with_name(env_file.name + ".bak")
        other = _read_quietly(bak)
        if other.get("POSTGRES_PASSWORD") and other.get("POSTGRES_PASSWORD") != login.password:
            restore = (
                f"restore the .env that created the data ({bak} holds another POSTGRES_PASSWORD: perhaps that one)"
            )
        else:
            restore = "restore the .env that created the data (its POSTGRES_USER and POSTGRES_PASSWORD)"
        raise DataMismatch(
            f"the PostgreSQL data in {data} was created with other credentials than {env_file} "
            f"holds: {login.who} as user {login.user!r} was refused ({err}).\n"
            f"  Either {restore} and run `make up` again,\n"
            f"  or delete this stack's data (every database: MLflow runs, users, Keycloak) with "
            f"`make reset CONFIRM=yes`, then `make up`."
        )
    raise StackError(f"{login.who} cannot use the database: {err}")


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


# Causes that a service's log names: (pattern, what it means, what to do); the first match wins.
CAUSES = [
    (
        re.compile(r'password authentication failed for user "([^"]+)"'),
        "PostgreSQL refuses the password of user {0}: the data was created with another POSTGRES_PASSWORD",
        "restore the .env that created the data, or `make reset CONFIRM=yes` to delete the data and start empty",
    ),
    (
        re.compile(r"database \"([^\"]+)\" does not exist"),
        "database {0} does not exist",
        "compose/postgres/init-databases.sh creates it only on an empty data directory: create it by hand, "
        "or `make reset CONFIRM=yes`",
    ),
    (
        re.compile(r"(?i)address already in use"),
        "a port it listens on is taken",
        "check the service's port settings in .env",
    ),
    (
        re.compile(r"OutOfMemoryError|Cannot allocate memory"),
        "it ran out of memory",
        "give the host or the container more memory",
    ),
]


def diagnose(log: str) -> tuple[str, str] | None:
    """(cause, fix) named by a service's log, if it shows a known failure."""
    for pattern, why, fix in CAUSES:
        m = pattern.search(log)
        if m:
            return why.format(*m.groups()), fix
    return None

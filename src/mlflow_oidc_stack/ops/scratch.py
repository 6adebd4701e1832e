"""Throwaway stacks for the tests and the benchmark: a fresh .env on free ports, and a
state dir the `postgres` user can enter."""

from __future__ import annotations

import os
import random
import socket
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

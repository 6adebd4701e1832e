"""Throwaway stacks for the tests and the benchmark: a fresh .env on free ports, and a
state dir the `postgres` user can enter."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

from ..config import envfile
from ..config.render import render


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_env(path: Path, **overrides: str) -> Path:
    """A fresh .env made the way users make theirs (`make secrets`), with every port that
    something listens on (as the compose file says) moved to a free one."""
    envfile.fill_secrets(path)
    values = {var: str(free_port()) for var in render(path).listen_port_variables()}
    values.update(overrides)
    envfile.set_values(path, values)
    return path


def state_dir(prefix: str) -> Path:
    """A state dir PostgreSQL's `postgres` user can enter (pytest's tmp dirs are 0700)."""
    path = Path(tempfile.mkdtemp(prefix=f"mlflow-oidc-stack-{prefix}-"))
    path.chmod(0o711)
    return path

"""mlflow-oidc-stack: MLflow behind Keycloak single sign-on, with Compose or native binaries.

The console scripts (see pyproject.toml) and the thin wrappers in scripts/ are command-line
entry points into this package. Layers, each importing only the ones above it in this list:

* ``config``   .env, the compose render, and every fact derived from the render;
* ``runtime``  running the services: Compose (with local image builds) or native binaries;
* ``keycloak`` the admin client, browserless login, the bootstrap;
* ``doctor``   the check registry and its static, live and client checks;
* ``ops``      benchmark and throwaway stacks, which use everything below.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = Path("compose") / "docker-compose.yml"


class StackError(Exception):
    """An error a user can act on: the message says what went wrong and what to do."""

    exit_code = 1


def find_root() -> Path:
    """The bundle's checkout: MLFLOW_OIDC_STACK_ROOT, else the nearest parent of this package
    that holds compose/docker-compose.yml (the package is installed editable from it)."""
    override = os.environ.get("MLFLOW_OIDC_STACK_ROOT")
    if override:
        root = Path(override).resolve()
        if not (root / MARKER).is_file():
            raise StackError(f"MLFLOW_OIDC_STACK_ROOT={override} has no {MARKER}: point it at the bundle's checkout")
        return root
    for parent in Path(__file__).resolve().parents:
        if (parent / MARKER).is_file() and (parent / "keycloak" / "realm-export.json").is_file():
            return parent
    raise StackError(
        f"cannot find the bundle's checkout above {Path(__file__).parent}: install "
        "the package editable from a checkout (`make setup`), or set "
        "MLFLOW_OIDC_STACK_ROOT"
    )


ROOT = find_root()
COMPOSE_FILE = ROOT / MARKER
ENV_EXAMPLE = ROOT / ".env.example"
REALM_FILE = ROOT / "keycloak" / "realm-export.json"

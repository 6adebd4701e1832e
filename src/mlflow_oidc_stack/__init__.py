"""mlflow-oidc-stack: MLflow behind Keycloak single sign-on, with Compose or native binaries.

The scripts in ../../scripts are thin command-line wrappers over this package.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "compose" / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
REALM_FILE = ROOT / "keycloak" / "realm-export.json"


class StackError(Exception):
    """An error a user can act on: the message says what went wrong and what to do."""

    exit_code = 1

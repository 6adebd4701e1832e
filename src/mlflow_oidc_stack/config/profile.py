"""The HTTPS profile: one public hostname, MLflow under a path, Keycloak at /auth.

Setting PUBLIC_URL (and optionally MLFLOW_PATH) in `.env` turns it on. Compose then renders
compose/docker-compose.yml with compose/proxy.yml on top (the proxy service, and the settings
of the other services that change behind it). Compose interpolation cannot take a URL
apart, so the port and the Host header a browser sends are derived here from PUBLIC_URL
and handed to every Compose call as PUBLIC_PORT and PUBLIC_HOSTPORT: PUBLIC_URL stays the
one place they are set.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import ROOT, StackError
from . import envfile

PROXY_FILE = ROOT / "compose" / "proxy.yml"
S3_FILE = ROOT / "compose" / "s3.yml"  # ARTIFACT_STORE=s3
ARTIFACT_STORES = ("local", "s3")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KEYCLOAK_PATH = "/auth"  # where the proxy serves Keycloak (KC_HTTP_RELATIVE_PATH)
# The bundle's local CA (runtime/tls.py makes it): it issues the proxy's certificate for
# localhost and Keycloak's own for the back channel.
TLS_DIR = ROOT / ".stack" / "tls"
CA_CERT = TLS_DIR / "ca.crt"
_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")


@dataclass(frozen=True)
class Profile:
    public_url: str  # https://host[:port], no trailing slash
    mlflow_path: str  # /mlflow
    host: str
    port: int

    @property
    def hostport(self) -> str:
        """The Host header browsers send: the port is left out when it is 443."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == 443 else f"{host}:{self.port}"

    @property
    def mlflow_url(self) -> str:
        return self.public_url + self.mlflow_path

    @property
    def keycloak_url(self) -> str:
        return self.public_url + KEYCLOAK_PATH

    def derived(self) -> dict[str, str]:
        """PUBLIC_URL and MLFLOW_PATH as checked (no trailing slash), and what Compose cannot
        take apart itself."""
        return {
            "PUBLIC_URL": self.public_url,
            "MLFLOW_PATH": self.mlflow_path,
            "PUBLIC_PORT": str(self.port),
            "PUBLIC_HOSTPORT": self.hostport,
        }


def settings(env_file: Path) -> dict[str, str]:
    """The .env values as Compose sees them: the calling shell's exported variables win."""
    values = envfile.read(env_file) if Path(env_file).exists() else {}
    return {**values, **{k: v for k, v in os.environ.items() if k in SELECTORS}}


# The .env settings that select compose files and derived values (read here, not only by Compose).
SELECTORS = ("PUBLIC_URL", "MLFLOW_PATH", "ARTIFACT_STORE", "S3_BUCKET", "MLFLOW_REPLICAS", "MLFLOW_PORT")
MAX_REPLICAS = 16


def parse(public_url: str, mlflow_path: str | None, where: str = ".env") -> Profile:
    """PUBLIC_URL and MLFLOW_PATH, checked; a StackError says what to write instead."""
    url = public_url.strip()
    parts = urlsplit(url)
    example = "PUBLIC_URL=https://localhost:8443 (or https://registry.example.org)"
    if parts.scheme != "https" or not parts.hostname:
        raise StackError(
            f"PUBLIC_URL={public_url!r} in {where} is not an https URL: the profile serves MLflow and "
            f"Keycloak over TLS only. Write {example}, or leave PUBLIC_URL empty for plain "
            "http://localhost"
        )
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise StackError(
            f"PUBLIC_URL={public_url!r} in {where} has a path or more: it is the scheme, host and port "
            f"only (MLflow's path is MLFLOW_PATH, Keycloak's is {KEYCLOAK_PATH}). Write {example}"
        )
    if parts.hostname == "0.0.0.0":
        raise StackError(
            f"PUBLIC_URL={public_url!r} in {where} uses 0.0.0.0, a listen address browsers cannot use: "
            "write the name people browse to, e.g. https://localhost:8443"
        )
    try:
        port = parts.port or 443
    except ValueError:
        raise StackError(f"PUBLIC_URL={public_url!r} in {where} has an invalid port. Write {example}") from None
    path = (mlflow_path or "/mlflow").strip()
    if path.endswith("/") and path != "/":
        path = path.rstrip("/")
    if not _PATH.match(path) or path == KEYCLOAK_PATH or path.startswith(KEYCLOAK_PATH + "/"):
        raise StackError(
            f"MLFLOW_PATH={mlflow_path!r} in {where} is not a path MLflow can be served under: write "
            f"one or more /segments of letters, digits, '.', '_', '~' or '-' (e.g. MLFLOW_PATH=/mlflow); "
            f"not {KEYCLOAK_PATH}, which is Keycloak's"
        )
    base = f"https://{parts.hostname if ':' not in parts.hostname else '[' + parts.hostname + ']'}"
    return Profile(base + ("" if port == 443 else f":{port}"), path, parts.hostname, port)


def of(env_file: Path) -> Profile | None:
    """The profile an .env turns on, or None when PUBLIC_URL is empty."""
    values = settings(env_file)
    public = (values.get("PUBLIC_URL") or "").strip()
    if not public:
        return None
    return parse(public, values.get("MLFLOW_PATH"), str(env_file))


def s3_bucket(env_file: Path) -> str | None:
    """The bucket of the S3 artifact store (ARTIFACT_STORE=s3), else None; a StackError says
    what to write instead of a value that is neither store or not a bucket name."""
    values = settings(env_file)
    store = (values.get("ARTIFACT_STORE") or "local").strip()
    if store not in ARTIFACT_STORES:
        raise StackError(
            f"ARTIFACT_STORE={store!r} in {env_file} is not a store the bundle runs: write "
            "ARTIFACT_STORE=local (MLflow's own volume, the default for one host) or ARTIFACT_STORE=s3 "
            "(an S3 bucket that several MLflow servers share; docs/artifacts.md)"
        )
    if store == "local":
        return None
    bucket = (values.get("S3_BUCKET") or "mlflow-artifacts").strip()
    if not _BUCKET.match(bucket) or ".." in bucket:
        raise StackError(
            f"S3_BUCKET={bucket!r} in {env_file} is not an S3 bucket name: write 3 to 63 lower-case "
            "letters, digits, '.' or '-', starting and ending with a letter or digit (e.g. S3_BUCKET=mlflow-artifacts)"
        )
    return bucket


def replicas(env_file: Path) -> int:
    """MLFLOW_REPLICAS, checked: more than one needs the HTTPS profile's proxy, which spreads
    the requests over them (a StackError says what to set)."""
    values = settings(env_file)
    raw = (values.get("MLFLOW_REPLICAS") or "1").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_REPLICAS:
        raise StackError(
            f"MLFLOW_REPLICAS={raw!r} in {env_file} is not a number of MLflow servers: write a whole "
            f"number from 1 to {MAX_REPLICAS} (e.g. MLFLOW_REPLICAS=3)"
        )
    n = int(raw)
    if n > 1 and not (values.get("PUBLIC_URL") or "").strip():
        raise StackError(
            f"MLFLOW_REPLICAS={n} in {env_file} needs the HTTPS profile's proxy to spread requests over "
            "the servers: set PUBLIC_URL (e.g. PUBLIC_URL=https://localhost:8443; docs/https.md), or "
            "MLFLOW_REPLICAS=1"
        )
    return n


def replica_environment(env_file: Path) -> dict[str, str]:
    """With several MLflow servers: the range of their direct ports (one each, from
    MLFLOW_PORT on) and the Host headers those ports receive, which MLflow must allow."""
    n = replicas(env_file)
    if n == 1:
        return {}
    first = int((settings(env_file).get("MLFLOW_PORT") or "5000").strip())
    others = range(first + 1, first + n)
    return {
        "MLFLOW_PORTS": f"{first}-{first + n - 1}",
        "MLFLOW_REPLICA_HOSTS": "".join(f",localhost:{p},127.0.0.1:{p}" for p in others),
    }


def compose_files(env_file: Path, compose_file: Path) -> list[Path]:
    """The compose files an .env selects: the bundle's, plus the proxy profile's and the S3
    store's when they are on."""
    return [Path(compose_file)] + ([PROXY_FILE] if of(env_file) else []) + ([S3_FILE] if s3_bucket(env_file) else [])


def compose_environment(env_file: Path) -> dict[str, str]:
    """What every Compose call gets in its environment besides the caller's: the values derived
    from PUBLIC_URL (none without the profile), the S3 store's destination, and the ports and
    hosts of several MLflow servers."""
    profile = of(env_file)
    bucket = s3_bucket(env_file)
    return {
        **(profile.derived() if profile else {}),
        **({"ARTIFACTS_DESTINATION": f"s3://{bucket}/"} if bucket else {}),
        **replica_environment(env_file),
    }

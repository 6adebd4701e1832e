"""Every fact derived from the rendered compose configuration, in one place.

`Rendered` holds `docker compose config --format json` and answers what the runtimes, the
bootstrap, the doctor and the tests need: service environments and commands, ports and
URLs, which `.env` variable sets a field (from Compose's `--no-interpolate` render, not a
regex over YAML), and the realm file with its `${...}` placeholders resolved as Keycloak
resolves them at import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

# Compose references: ${NAME}, ${NAME:-default}, ${NAME:?message}; `$$` is a literal `$`.
_COMPOSE_REF = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
# Keycloak's realm-file placeholders: ${NAME} or ${NAME:default}.
_REALM_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")

REALM_IMPORT_DIR = "/opt/keycloak/data/import/"


@dataclass
class DbLogin:
    """One client's login to PostgreSQL, as the compose render configures it."""

    who: str  # "mlflow MLFLOW_BACKEND_STORE_URI", "keycloak KC_DB_URL"
    host: str  # as the client dials it (a service name in Compose)
    port: int
    user: str
    password: str
    dbname: str


@dataclass
class Port:
    host_ip: str
    published: int  # the first of a range (one per replica)
    target: int
    count: int = 1  # the range's length: MLflow's replicas each publish one port of it

    @property
    def all(self) -> list[int]:
        return list(range(self.published, self.published + self.count))


def _port(p: dict) -> Port:
    first, _, last = str(p["published"]).partition("-")
    return Port(p.get("host_ip") or "0.0.0.0", int(first), int(p["target"]), int(last or first) - int(first) + 1)


def compose_variables(value: Any) -> list[str]:
    """The variables a compose template string (or any nested value) references, in order."""
    if isinstance(value, dict):
        return [v for item in value.values() for v in compose_variables(item)]
    if isinstance(value, list):
        return [v for item in value for v in compose_variables(item)]
    return _COMPOSE_REF.findall(value) if isinstance(value, str) else []


def resolve_placeholders(value: Any, env: dict[str, str], missing: set[str] | None = None) -> Any:
    """Resolve Keycloak's `${VAR}` / `${VAR:default}` in every string of a realm document.

    A name with neither a value nor a default is left as it is and added to `missing`."""
    if isinstance(value, dict):
        return {k: resolve_placeholders(v, env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_placeholders(v, env, missing) for v in value]
    if isinstance(value, str):

        def one(m: re.Match) -> str:
            if m.group(1) in env:
                return env[m.group(1)]
            if m.group(2) is not None:
                return m.group(2)
            if missing is not None:
                missing.add(m.group(1))
            return m.group(0)

        return _REALM_REF.sub(one, value)
    return value


@dataclass
class Rendered:
    data: dict
    env_file: Path
    warnings: str = ""
    compose_file: Path | None = None
    template_loader: Callable[[], dict] | None = field(default=None, repr=False)

    # --- raw access ------------------------------------------------------------------
    @property
    def services(self) -> dict:
        return self.data["services"]

    def env(self, service: str) -> dict[str, str]:
        return {k: ("" if v is None else str(v)) for k, v in (self.services[service].get("environment") or {}).items()}

    def ports(self, service: str) -> list[Port]:
        return [_port(p) for p in self.services[service].get("ports") or []]

    def replicas(self, service: str) -> int:
        """How many containers of a service run (`deploy.replicas`; MLFLOW_REPLICAS for MLflow)."""
        return int(((self.services[service].get("deploy") or {}).get("replicas")) or 1)

    def replica_urls(self) -> list[str]:
        """Each MLflow server's own direct URL (one port of the published range each)."""
        port = self.published("mlflow", self.internal_port("mlflow"))
        assert port is not None
        return [f"http://localhost:{p}" for p in port.all]

    def published(self, service: str, target: int) -> Port | None:
        return next((p for p in self.ports(service) if p.target == target), None)

    def image(self, service: str) -> str:
        return self.services[service]["image"]

    def image_tag(self, service: str) -> str:
        return self.image(service).rsplit(":", 1)[1]

    def command(self, service: str) -> list[str]:
        return list(self.services[service].get("command") or [])

    def option(self, service: str, flag: str) -> str | None:
        """The value after `flag` in a service's command, if any."""
        cmd = self.command(service)
        return cmd[cmd.index(flag) + 1] if flag in cmd[:-1] else None

    def fixed_addresses(self) -> list[str]:
        """Every fixed address a service has on a compose network (`ipv4_address`)."""
        out = []
        for svc in self.services.values():
            for net in (svc.get("networks") or {}).values():
                if isinstance(net, dict) and net.get("ipv4_address"):
                    out.append(str(net["ipv4_address"]))
        return out

    def volumes(self, service: str) -> list[dict]:
        return list(self.services[service].get("volumes") or [])

    # --- ports and URLs --------------------------------------------------------------
    def internal_port(self, service: str) -> int:
        """The port a service listens on inside the network (what other services dial)."""
        return INTERNAL_PORTS[service](self)

    def listen_port(self, service: str, target: int) -> int:
        """Where a container port listens on the host natively: its published port, else
        the port itself (internal services keep their port on loopback)."""
        published = self.published(service, target)
        return published.published if published else target

    def public_port(self, service: str, target: int) -> int:
        """The published port of a port people and programs use; an error if it is not published."""
        port = self.published(service, target)
        if port is None:
            from .. import StackError

            raise StackError(
                f"the {service} service publishes no port for {target}: compose/docker-compose.yml "
                f"must keep its `ports:` entry"
            )
        return port.published

    def mlflow_url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.public_port('mlflow', self.internal_port('mlflow'))}"

    def keycloak_url(self, host: str = "localhost") -> str:
        """Keycloak's direct URL (on BIND_ADDRESS), with its path (/auth in the HTTPS profile)."""
        return f"http://{host}:{self.public_port('keycloak', 8080)}{self.keycloak_path}"

    def realm_url(self, host: str = "localhost", realm: str | None = None) -> str:
        """The realm's base URL for this host's own OIDC calls (token grants): Keycloak's direct
        URL; behind the HTTPS profile its direct TLS listener, since the realm then refuses
        plain HTTP (sslRequired=all). Pass `realm_verify()` as the TLS verification."""
        tls_port = self.env("keycloak").get("KC_HTTPS_PORT")
        if tls_port:
            base = f"https://{host}:{self.public_port('keycloak', int(tls_port))}{self.keycloak_path}"
        else:
            base = self.keycloak_url(host)
        return f"{base}/realms/{realm or self.realm}"

    def realm_verify(self) -> str | bool:
        """TLS verification for `realm_url()`: the bundle's local CA, which issues Keycloak's
        own certificate behind the HTTPS profile (runtime/tls.py)."""
        if self.env("keycloak").get("KC_HTTPS_PORT"):
            from .profile import CA_CERT

            return str(CA_CERT)
        return True

    @property
    def keycloak_path(self) -> str:
        return (self.env("keycloak").get("KC_HTTP_RELATIVE_PATH") or "").rstrip("/")

    # --- the HTTPS profile (compose/proxy.yml) ----------------------------------------
    @property
    def proxied(self) -> bool:
        return "proxy" in self.services

    @property
    def public_url(self) -> str | None:
        """https://host[:port] of the HTTPS profile, else None."""
        return self.env("proxy")["PUBLIC_URL"].rstrip("/") if self.proxied else None

    def browser_mlflow_url(self) -> str:
        """Where people browse to MLflow: the public URL with MLflow's path, else localhost."""
        if self.public_url:
            return self.public_url + self.env("proxy")["MLFLOW_PATH"]
        return self.mlflow_url()

    def browser_mlflow_urls(self) -> list[str]:
        """Every URL people browse MLflow at: the public one behind the HTTPS profile, else
        localhost and 127.0.0.1 (both are registered as redirect URIs)."""
        if self.public_url:
            return [self.browser_mlflow_url()]
        return [self.mlflow_url(h) for h in ("localhost", "127.0.0.1")]

    def browser_keycloak_url(self) -> str:
        if self.proxied:
            return f"{self.public_url}{self.keycloak_path}"
        return self.keycloak_url()

    def keycloak_management_url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.public_port('keycloak', 9000)}"

    @property
    def realm(self) -> str:
        return self.env("keycloak")["MLFLOW_REALM"]

    def db_logins(self) -> list[DbLogin]:
        """Every login to PostgreSQL that a service makes: MLflow's two stores, Keycloak's."""
        from urllib.parse import unquote, urlsplit

        out = []
        ml = self.env("mlflow") if "mlflow" in self.services else {}
        for name in ("MLFLOW_BACKEND_STORE_URI", "OIDC_USERS_DB_URI"):
            uri = ml.get(name, "")
            if uri.startswith("postgres"):
                u = urlsplit(uri)
                out.append(
                    DbLogin(
                        f"mlflow {name}",
                        u.hostname or "",
                        u.port or 5432,
                        unquote(u.username or ""),
                        unquote(u.password or ""),
                        u.path.lstrip("/"),
                    )
                )
        kc = self.env("keycloak") if "keycloak" in self.services else {}
        if kc.get("KC_DB_URL", "").startswith("jdbc:postgresql://"):
            u = urlsplit(kc["KC_DB_URL"].removeprefix("jdbc:"))
            out.append(
                DbLogin(
                    "keycloak KC_DB_URL",
                    u.hostname or "",
                    u.port or 5432,
                    kc.get("KC_DB_USERNAME", ""),
                    kc.get("KC_DB_PASSWORD", ""),
                    u.path.lstrip("/").split("?")[0],
                )
            )
        return out

    # --- provenance: which .env variable sets what -----------------------------------
    @cached_property
    def template(self) -> dict:
        if self.template_loader is None:
            raise RuntimeError("this render has no template (render it with config.render.render)")
        return self.template_loader()

    def template_env(self, service: str) -> dict[str, str]:
        """A service's environment as written, `${VAR}` left in. Compose gives a mapping, or
        `KEY=value` lines where it merged two files (the HTTPS profile)."""
        raw = self.template["services"][service].get("environment") or {}
        if isinstance(raw, list):
            return dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
        return raw

    def variable_of(self, service: str, env_name: str) -> str | None:
        """The .env variable that sets a service's environment entry, if one does."""
        value = self.template_env(service).get(env_name)
        names = compose_variables(value)
        return names[0] if names else None

    def port_variable(self, service: str, target: int) -> str:
        """The .env variable that sets where a service's port `target` listens natively."""
        tpl = self.template["services"][service]
        for raw, port in zip(tpl.get("ports") or [], self.ports(service)):
            if port.target == target:
                spec = raw if isinstance(raw, str) else str(raw.get("published", ""))
                names = compose_variables(spec.rsplit(":", 1)[0] if isinstance(raw, str) else spec)
                if names:
                    # [${BIND_ADDRESS}:]${PORT}:target -> the port's variable; the HTTPS
                    # profile's port is taken from PUBLIC_URL (config/profile.py).
                    return "PUBLIC_URL" if names[-1] == "PUBLIC_PORT" else names[-1]
        for key, value in self.template_env(service).items():
            if self.env(service).get(key) == str(target) and compose_variables(value):
                return compose_variables(value)[0]
        names = compose_variables(tpl.get("command") or [])
        return names[0] if names else f"the port of {service}"

    def listen_port_variables(self) -> dict[str, str]:
        """Every .env variable that sets a port something listens on natively -> its service."""
        out = {}
        for service in self.services:
            targets = [p.target for p in self.ports(service)]
            try:
                targets.append(self.internal_port(service))
            except KeyError:
                pass
            for target in dict.fromkeys(targets):
                name = self.port_variable(service, target)
                if not name.startswith("the port of"):
                    out[name] = service
        return out

    def referenced_variables(self) -> set[str]:
        """Every variable the compose files interpolate, the HTTPS profile's and the S3 store's
        included when they are off (their settings may sit in .env, empty or not, waiting to be
        turned on), and the selectors that turn them on."""
        from .profile import PROXY_FILE, S3_FILE, SELECTORS

        optional = compose_variables(PROXY_FILE.read_text()) + compose_variables(S3_FILE.read_text())
        return set(compose_variables(self.template)) | set(optional) | set(SELECTORS)

    # --- the realm the keycloak service imports --------------------------------------
    def realm_file(self) -> Path | None:
        for vol in self.volumes("keycloak") if "keycloak" in self.services else []:
            if vol.get("type") == "bind" and str(vol.get("target", "")).startswith(REALM_IMPORT_DIR):
                return Path(vol["source"])
        return None

    def realm_import(self, missing: set[str] | None = None) -> dict | None:
        """The imported realm with its placeholders resolved from the keycloak service's
        environment, as Keycloak resolves them at import; None if there is none."""
        path = self.realm_file()
        if path is None or not path.exists():
            return None
        try:
            doc = json.loads(path.read_text())
        except json.JSONDecodeError:
            return None
        return resolve_placeholders(doc, self.env("keycloak"), missing)


INTERNAL_PORTS: dict[str, Callable[[Rendered], int]] = {
    "postgres": lambda r: int(r.env("postgres")["PGPORT"]),
    "redis": lambda r: int(r.env("redis")["CACHE_REDIS_PORT"]),
    "keycloak": lambda r: 8080,
    "mlflow": lambda r: int(r.option("mlflow", "--port") or 5000),
}

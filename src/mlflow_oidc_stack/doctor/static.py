"""Static doctor checks: `.env` and the compose render, without any running service.

The checks read the render (what the services would really get), and also the raw names
people add by hand: a name in `.env` that the compose file never passes, or a name in a
service's environment that the program never reads. Values of secrets are never printed.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import envfile
from .core import Context, Result, check, fail, ok, warn

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

# Names the plugin (mlflow-oidc-auth 11) reads nowhere, with what to use instead. They were
# right for plugin <= 5.x; since 6.0 sessions are rows in the auth DB and Redis is only
# the permission cache.
_REDIS_FIX = (
    "CACHE_BACKEND=redis and CACHE_REDIS_URL=redis://:<password>@<host>:<port>/<db> "
    "(the mlflow service in compose/docker-compose.yml sets both)"
)
IGNORED_NAMES = {
    "OIDC_SCOPES": "OIDC_SCOPE (singular, space-separated: OIDC_SCOPE=openid profile email)",
    "SESSION_TYPE": "nothing: sessions are rows in the auth database (OIDC_USERS_DB_URI); delete SESSION_TYPE",
    "REDIS_HOST": _REDIS_FIX,
    "REDIS_PORT": _REDIS_FIX,
    "REDIS_DB": _REDIS_FIX,
    "REDIS_PASSWORD": _REDIS_FIX,
    "REDIS_URL": _REDIS_FIX,
}

# Keycloak 26 (hostname v2) removed these; Keycloak only logs a warning and ignores them.
REMOVED_KC = {
    "KC_HOSTNAME_PORT": "put the port into KC_HOSTNAME, a full URL (KC_HOSTNAME=http://localhost:8080)",
    "KC_HOSTNAME_STRICT_HTTPS": "put the scheme into KC_HOSTNAME, a full URL (http://... or https://...)",
    "KC_HOSTNAME_URL": "KC_HOSTNAME (a full URL)",
    "KC_HOSTNAME_ADMIN_URL": "KC_HOSTNAME_ADMIN (a full URL)",
    "KC_HOSTNAME_PATH": "put the path into KC_HOSTNAME, a full URL",
    "KC_HOSTNAME_STRICT_BACKCHANNEL": "KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true",
    "KC_PROXY": "KC_PROXY_HEADERS=xforwarded (or forwarded) behind a proxy",
}
REMOVED_KC_FLAGS = {"--" + n[3:].lower().replace("_", "-"): fix for n, fix in REMOVED_KC.items()}
DEPRECATED_KC = {  # still work in 26, with a warning; names of the keycloak service only
    "KEYCLOAK_ADMIN": "KC_BOOTSTRAP_ADMIN_USERNAME",
    "KEYCLOAK_ADMIN_PASSWORD": "KC_BOOTSTRAP_ADMIN_PASSWORD",
}

# Client scopes a Keycloak 26 realm has by default.
KEYCLOAK_SCOPES = {
    "openid",
    "profile",
    "email",
    "roles",
    "web-origins",
    "acr",
    "basic",
    "address",
    "phone",
    "offline_access",
    "microprofile-jwt",
    "organization",
    "service_account",
}

# MLflow's allowed hosts when --allowed-hosts is unset (mlflow/server/security_utils.py).
MLFLOW_DEFAULT_HOSTS = [
    "localhost",
    "127.0.0.1",
    "[::1]",
    "0.0.0.0",
    "localhost:*",
    "127.0.0.1:*",
    "[[]::1]:*",
    "0.0.0.0:*",
    "192.168.*",
    "10.*",
    *(f"172.{n}.*" for n in range(16, 32)),
    "fc00:*",
    "fd00:*",
]


# --- small helpers --------------------------------------------------------------------


def _env(ctx: Context, service: str) -> dict[str, str]:
    r = ctx.rendered
    return r.env(service) if r is not None and service in r.services else {}


def dotenv(ctx: Context) -> dict[str, str]:
    """The .env values (a check that needs them declares needs=static.env-file)."""
    return ctx.env or {}


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def _published(ctx: Context, service: str, target: int) -> int | None:
    p = ctx.rendered.published(service, target) if ctx.rendered is not None else None
    return p.published if p else None


def _internal_port(ctx: Context, service: str) -> int | None:
    try:
        return ctx.rendered.internal_port(service)
    except (KeyError, TypeError, ValueError):
        return None


def workers(ctx: Context) -> int:
    value = ctx.rendered.option("mlflow", "--workers") or _env(ctx, "mlflow").get("MLFLOW_WORKERS")
    try:
        return int(value) if value else 4  # mlflow server's default
    except ValueError:
        return 4


def group_mapper(client: dict) -> dict | None:
    return next(
        (m for m in client.get("protocolMappers") or [] if m.get("protocolMapper") == "oidc-group-membership-mapper"),
        None,
    )


def plugin_groups(mlflow_env: dict[str, str]) -> tuple[list[str], list[str]]:
    """OIDC_GROUP_NAME / OIDC_ADMIN_GROUP_NAME as the plugin reads them (comma lists)."""

    def split(v):
        return [s.strip() for s in v.split(",") if s.strip()]

    return (
        split(mlflow_env.get("OIDC_GROUP_NAME", "mlflow")),
        split(mlflow_env.get("OIDC_ADMIN_GROUP_NAME", "mlflow-admin")),
    )


def token_groups(body: dict, mlflow_env: dict[str, str], fix: str) -> tuple[Result | None, str, list]:
    """What a real token response's groups claim means to the plugin (live and cluster checks):
    a failure (no claim, or group paths), else None; and which token was read, and its groups."""
    from ..keycloak.admin import jwt_claims

    which = "ID token" if body.get("id_token") else "access token"
    claims = jwt_claims(body.get("id_token") or body.get("access_token", "")) or {}
    attribute = mlflow_env.get("OIDC_GROUPS_ATTRIBUTE", "groups")
    if attribute not in claims:
        return (
            fail(
                f'a real {which} has no {attribute!r} claim: "User is not allowed to login" (older '
                f"plugins: \"Group detection error: '{attribute}'\")",
                fix,
            ),
            which,
            [],
        )
    groups = claims[attribute] if isinstance(claims[attribute], list) else [claims[attribute]]
    paths = [g for g in groups if isinstance(g, str) and g.startswith("/")]
    if paths:
        users, admins = plugin_groups(mlflow_env)
        return (
            fail(
                f"the {which} carries group paths {paths}, which never equal the plugin's names {users + admins}",
                fix + ', or switch "Full group path" off',
            ),
            which,
            groups,
        )
    return None, which, groups


def scopes(mlflow_env: dict[str, str]) -> list[str]:
    raw = mlflow_env.get("OIDC_SCOPE", "openid email profile")
    return [s for s in raw.replace(",", " ").split() if s]


def allowed_hosts(ctx: Context) -> list[str] | None:
    """The host patterns MLflow accepts; None means the check is disabled."""
    r = ctx.rendered
    cmd = r.command("mlflow")
    env = _env(ctx, "mlflow")
    if "--disable-security-middleware" in cmd or env.get("MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE", "").lower() in (
        "true",
        "1",
    ):
        return None
    raw = r.option("mlflow", "--allowed-hosts") or env.get("MLFLOW_SERVER_ALLOWED_HOSTS")
    if not raw:
        return list(MLFLOW_DEFAULT_HOSTS)
    return [h.strip() for h in raw.split(",") if h.strip()]


def host_allowed(host: str, patterns: list[str] | None) -> bool:
    if patterns is None:
        return True
    return any(fnmatch.fnmatch(host, p) if "*" in p else host == p for p in patterns)


def hosts_in_use(ctx: Context) -> tuple[list[str], list[str]]:
    """(Host headers browsers send, Host headers only in-network clients send)."""
    port = _published(ctx, "mlflow", _internal_port(ctx, "mlflow") or 5000)
    browser = [f"localhost:{port}", f"127.0.0.1:{port}"] if port else []
    redirect = _env(ctx, "mlflow").get("OIDC_REDIRECT_URI", "")
    if redirect:
        netloc = urlsplit(redirect).netloc
        if netloc and netloc not in browser and _host(redirect) != "0.0.0.0":
            browser.append(netloc)
    internal = []
    if ctx.mode == "compose" and _internal_port(ctx, "mlflow"):
        internal.append(f"mlflow:{_internal_port(ctx, 'mlflow')}")
    return browser, internal


# --- checks ---------------------------------------------------------------------------


@check("static.env-file", ".env exists", needs=())
def check_env_file(ctx: Context) -> list[Result]:
    if ctx.env is None:
        return [
            fail(
                f"{ctx.env_file} does not exist",
                f"run `make secrets` (creates {ctx.env_file.name} from .env.example with new secrets)",
            )
        ]
    return [ok(f"{ctx.env_file} has {len(dotenv(ctx))} settings")]


@check("static.compose-render", "Compose renders the configuration", needs=("static.env-file",))
def check_compose_render(ctx: Context) -> list[Result]:
    if ctx.rendered is None:
        msg = ctx.render_error.splitlines()[-1] if ctx.render_error else "compose config failed"
        m = re.search(r"required variable (\w+) is missing a value", ctx.render_error)
        fix = (
            f"set {m.group(1)} in {ctx.env_file} (`make secrets` fills every empty secret)"
            if m
            else f"run `docker compose -f {ctx.compose_file} --env-file {ctx.env_file} config` and fix what it reports"
        )
        return [fail(f"compose cannot render the configuration: {msg}", fix)]
    out = [ok(f"{ctx.compose_file.name} renders with {ctx.env_file.name}")]
    unset = re.findall(r'\\?"(\w+)\\?" variable is not set', ctx.rendered.warnings or "")
    if unset:
        out = [
            warn(
                f"compose uses variables that are not set (blank): {', '.join(sorted(set(unset)))}",
                f"set them in {ctx.env_file} (see .env.example)",
            )
        ]
    return out


SECRET_NAME = re.compile(r"(PASSWORD|SECRET)")


@check("static.placeholder-secret", "Secrets are set and are not placeholders", needs=("static.env-file",))
def check_placeholder_secret(ctx: Context) -> list[Result]:
    out = []
    for name in envfile.secret_names():
        value = dotenv(ctx).get(name)
        if value is None or value.strip() == "":
            out.append(
                fail(
                    f"{name} is missing or empty in {ctx.env_file.name}",
                    "run `make secrets` (fills empty or placeholder secrets; keeps the rest)",
                )
            )
        elif envfile.is_placeholder(value):
            out.append(
                fail(
                    f"{name} in {ctx.env_file.name} is a placeholder from a guide, not a secret",
                    f"delete the value of {name} and run `make secrets` (writes a random one)",
                )
            )
    if ctx.rendered is not None:
        for service in ctx.rendered.services:
            for name, value in _env(ctx, service).items():
                if SECRET_NAME.search(name) and value and envfile.is_placeholder(value):
                    out.append(
                        fail(
                            f"{service}'s {name} is the placeholder {value!r}",
                            f"write {name} as a ${{...}} reference to a .env secret in "
                            f"{ctx.compose_file.name}, then `make secrets`",
                        )
                    )
    return out or [ok("every secret is set and none is a known placeholder")]


def _uri_parts(uri: str) -> tuple[str | None, str | None]:
    """(user, password) of a URL-style URI, unquoted."""
    try:
        s = urlsplit(uri)
        return (
            unquote(s.username) if s.username is not None else None,
            unquote(s.password) if s.password is not None else None,
        )
    except ValueError:
        return None, None


@check("static.credential-mismatch", "Each credential has one value everywhere", needs=("static.compose-render",))
def check_credential_mismatch(ctx: Context) -> list[Result]:
    pg, kc, ml, rd = (_env(ctx, s) for s in ("postgres", "keycloak", "mlflow", "redis"))
    e = dotenv(ctx)
    places: dict[str, list[tuple[str, str | None]]] = {
        "the database password": [
            (".env POSTGRES_PASSWORD", e.get("POSTGRES_PASSWORD")),
            ("postgres POSTGRES_PASSWORD", pg.get("POSTGRES_PASSWORD")),
            ("keycloak KC_DB_PASSWORD", kc.get("KC_DB_PASSWORD")),
            ("mlflow MLFLOW_BACKEND_STORE_URI", _uri_parts(ml.get("MLFLOW_BACKEND_STORE_URI", ""))[1]),
            ("mlflow OIDC_USERS_DB_URI", _uri_parts(ml.get("OIDC_USERS_DB_URI", ""))[1]),
        ],
        "the database user": [
            (".env POSTGRES_USER", e.get("POSTGRES_USER")),
            ("postgres POSTGRES_USER", pg.get("POSTGRES_USER")),
            ("keycloak KC_DB_USERNAME", kc.get("KC_DB_USERNAME")),
            ("mlflow MLFLOW_BACKEND_STORE_URI", _uri_parts(ml.get("MLFLOW_BACKEND_STORE_URI", ""))[0]),
            ("mlflow OIDC_USERS_DB_URI", _uri_parts(ml.get("OIDC_USERS_DB_URI", ""))[0]),
        ],
        "the Redis password": [
            (".env CACHE_REDIS_PASSWORD", e.get("CACHE_REDIS_PASSWORD")),
            ("redis CACHE_REDIS_PASSWORD", rd.get("CACHE_REDIS_PASSWORD")),
            ("mlflow CACHE_REDIS_URL", _uri_parts(ml.get("CACHE_REDIS_URL", ""))[1]),
        ],
        "the OIDC client secret": [
            (".env MLFLOW_CLIENT_SECRET", e.get("MLFLOW_CLIENT_SECRET")),
            ("keycloak MLFLOW_CLIENT_SECRET (realm import)", kc.get("MLFLOW_CLIENT_SECRET")),
            ("mlflow OIDC_CLIENT_SECRET", ml.get("OIDC_CLIENT_SECRET")),
        ],
        "the OIDC client id": [
            (".env MLFLOW_CLIENT_ID", e.get("MLFLOW_CLIENT_ID")),
            ("keycloak MLFLOW_CLIENT_ID (realm import)", kc.get("MLFLOW_CLIENT_ID")),
            ("mlflow OIDC_CLIENT_ID", ml.get("OIDC_CLIENT_ID")),
        ],
        "the Keycloak admin password": [
            (".env KC_BOOTSTRAP_ADMIN_PASSWORD", e.get("KC_BOOTSTRAP_ADMIN_PASSWORD")),
            ("keycloak KC_BOOTSTRAP_ADMIN_PASSWORD", kc.get("KC_BOOTSTRAP_ADMIN_PASSWORD")),
        ],
        "the session key": [
            (".env MLFLOW_SECRET_KEY", e.get("MLFLOW_SECRET_KEY")),
            ("mlflow SECRET_KEY", ml.get("SECRET_KEY")),
        ],
    }
    out = []
    for what, found in places.items():
        present = [(p, v) for p, v in found if v]
        values = {v for _, v in present}
        if len(values) > 1:
            first = present[0]
            odd = [p for p, v in present if v != first[1]]
            env_name = first[0].split()[-1] if first[0].startswith(".env") else "the .env variable"
            out.append(
                fail(
                    f"{what} differs: {first[0]} disagrees with {', '.join(odd)}",
                    f"write ${{{env_name}}} in every one of those places in "
                    f"{ctx.compose_file.name}, so .env holds the one value",
                )
            )
    return out or [ok("each credential has one value in .env and in every service that uses it")]


@check("static.ignored-name", "No settings that nothing reads", needs=("static.compose-render",))
def check_ignored_name(ctx: Context) -> list[Result]:
    out = []
    for name in sorted(_env(ctx, "mlflow")):
        if name in IGNORED_NAMES:
            out.append(
                fail(
                    f"the mlflow service sets {name}, which mlflow-oidc-auth 11 never reads",
                    f"use {IGNORED_NAMES[name]}",
                )
            )
    referenced = ctx.rendered.referenced_variables()
    for name in sorted(dotenv(ctx)):
        if name in referenced or name.startswith(("COMPOSE_", "DOCKER_")):
            continue
        if name in IGNORED_NAMES:
            out.append(
                fail(
                    f"{ctx.env_file.name} sets {name}: compose never passes it, and "
                    "mlflow-oidc-auth 11 would not read it",
                    f"delete {name}; use {IGNORED_NAMES[name]}",
                )
            )
        elif name not in REMOVED_KC:  # those are reported by static.keycloak-removed-option
            out.append(
                warn(
                    f"{ctx.env_file.name} sets {name}, which {ctx.compose_file.name} never uses",
                    f"delete {name} from {ctx.env_file.name}, or check its spelling against .env.example",
                )
            )
    return out or [ok("every setting is read by something")]


@check("static.scope", "OIDC_SCOPE is space-separated and names known scopes", needs=("static.compose-render",))
def check_scope(ctx: Context) -> list[Result]:
    env = _env(ctx, "mlflow")
    raw = env.get("OIDC_SCOPE", "openid email profile")
    names = scopes(env)
    out = []
    if "openid" not in names:
        out.append(
            fail(
                f"OIDC_SCOPE={raw!r} lacks openid: without it there is no ID token, so no groups and no login",
                "OIDC_SCOPE=openid profile email",
            )
        )
    if "," in raw:
        out.append(
            warn(
                f"OIDC_SCOPE={raw!r} is comma-separated: plugin 11 splits it, "
                'older plugins sent it whole ("Invalid scopes")',
                "OIDC_SCOPE=" + " ".join(names),
            )
        )
    unknown = [s for s in names if s not in KEYCLOAK_SCOPES]
    if unknown:
        out.append(
            warn(
                f"OIDC_SCOPE asks for {', '.join(unknown)}, which a Keycloak "
                'realm does not have by default ("Invalid scopes")',
                f"remove {', '.join(unknown)} from OIDC_SCOPE (groups come from the client's "
                "groups mapper, not from a scope), or create that client scope",
            )
        )
    return out or [ok(f"OIDC_SCOPE={raw!r}")]


@check(
    "static.keycloak-removed-option", "No Keycloak options that were removed in 26", needs=("static.compose-render",)
)
def check_keycloak_removed_option(ctx: Context) -> list[Result]:
    out = []
    kc = _env(ctx, "keycloak")
    for name in sorted(kc):
        if name in REMOVED_KC:
            out.append(
                fail(
                    f"the keycloak service sets {name}, which Keycloak 26 removed and ignores",
                    f"delete {name}; {REMOVED_KC[name]}",
                )
            )
        elif name in DEPRECATED_KC:
            out.append(
                warn(
                    f"the keycloak service sets {name}, deprecated since Keycloak 26",
                    f"rename it to {DEPRECATED_KC[name]}",
                )
            )
    if ctx.rendered is not None and "keycloak" in ctx.rendered.services:
        for arg in ctx.rendered.command("keycloak"):
            flag = arg.split("=", 1)[0]
            if flag in REMOVED_KC_FLAGS:
                out.append(
                    fail(
                        f"the keycloak command passes {flag}, which Keycloak 26 removed",
                        f"delete {flag}; {REMOVED_KC_FLAGS[flag]}",
                    )
                )
    for name in sorted(dotenv(ctx)):
        if name in REMOVED_KC:
            out.append(
                fail(
                    f"{ctx.env_file.name} sets {name}: Keycloak 26 removed it (and compose does not pass it)",
                    f"delete {name}; {REMOVED_KC[name]}",
                )
            )
    return out or [ok("no removed or deprecated Keycloak options")]


@check(
    "static.keycloak-hostname", "KC_HOSTNAME is a full URL that a browser can reach", needs=("static.compose-render",)
)
def check_keycloak_hostname(ctx: Context) -> list[Result]:
    kc = _env(ctx, "keycloak")
    value = kc.get("KC_HOSTNAME", "")
    pub = _published(ctx, "keycloak", 8080)
    example = f"KC_HOSTNAME=http://localhost:{pub or 8080}"
    if not value:
        return [
            fail(
                "KC_HOSTNAME is unset: Keycloak names itself after each request, so the "
                "server's in-network name (keycloak) reaches the browser",
                f"{example} in the keycloak service",
            )
        ]
    if "://" not in value:
        return [
            fail(f"KC_HOSTNAME={value!r} is not a full URL (Keycloak 26 takes scheme, host and port from it)", example)
        ]
    host, port = _host(value), _port(value)
    services = set(ctx.rendered.services)
    if host in services:
        return [
            fail(
                f"KC_HOSTNAME={value!r} names a container; a browser cannot resolve "
                f'{host!r} ("{host}\'s DNS address could not be found")',
                example,
            )
        ]
    if host == "0.0.0.0":
        return [fail(f"KC_HOSTNAME={value!r}: a browser cannot open 0.0.0.0", example)]
    if ctx.rendered.proxied:
        want = ctx.rendered.browser_keycloak_url()
        if value.rstrip("/") != want:
            return [
                fail(f"KC_HOSTNAME={value!r}, but the HTTPS profile serves Keycloak at {want}", f"KC_HOSTNAME={want}")
            ]
    elif host in LOOPBACK_HOSTS and pub and (port or 80) != pub:
        return [
            fail(
                f"KC_HOSTNAME={value!r}, but Keycloak is published on port {pub}",
                example + " (the port is KEYCLOAK_PORT)",
            )
        ]
    return [ok(f"KC_HOSTNAME={value}")]


@check(
    "static.discovery-url",
    "OIDC_DISCOVERY_URL reaches Keycloak from where MLflow runs",
    needs=("static.compose-render",),
)
def check_discovery_url(ctx: Context) -> list[Result]:
    env = _env(ctx, "mlflow")
    url = env.get("OIDC_DISCOVERY_URL", "")
    realm = ctx.rendered.realm if "keycloak" in ctx.rendered.services else None
    good = f"OIDC_DISCOVERY_URL=http://keycloak:8080/realms/{realm or '<realm>'}/.well-known/openid-configuration"
    if not url:
        return [fail("OIDC_DISCOVERY_URL is unset: the plugin cannot find Keycloak", good)]
    host = _host(url)
    if host in LOOPBACK_HOSTS or host == "0.0.0.0":
        finding = (
            f"OIDC_DISCOVERY_URL uses {host}: inside the mlflow container that is the "
            "container itself (Connection refused)"
        )
        if ctx.in_container:
            return [fail(finding, good)]
        return [warn(finding + "; it works for the native stack only", good)]
    if host in ctx.rendered.services:
        want = _internal_port(ctx, host)
        # Any port the service listens on counts (Keycloak's TLS listener behind the profile).
        listening = {want, *(p.target for p in ctx.rendered.ports(host))}
        default = 443 if urlsplit(url).scheme == "https" else 80
        if want and (_port(url) or default) not in listening:
            return [
                fail(
                    f"OIDC_DISCOVERY_URL dials {host}:{_port(url) or default}, but {host} "
                    f"listens on {want} inside the network",
                    good,
                )
            ]
    path = urlsplit(url).path
    m = re.fullmatch(r"(?:/auth)?/realms/([^/]+)/\.well-known/openid-configuration", path)
    if not m:
        return [fail(f"OIDC_DISCOVERY_URL path {path!r} is not a realm's /.well-known/openid-configuration", good)]
    if realm and m.group(1) != realm:
        return [fail(f"OIDC_DISCOVERY_URL names realm {m.group(1)!r}, but Keycloak imports {realm!r}", good)]
    return [ok(f"OIDC_DISCOVERY_URL={url}")]


@check(
    "static.container-localhost", "No localhost database addresses inside containers", needs=("static.compose-render",)
)
def check_container_localhost(ctx: Context) -> list[Result]:
    out = []
    uris = [
        ("mlflow", n, _env(ctx, "mlflow").get(n, ""))
        for n in ("MLFLOW_BACKEND_STORE_URI", "OIDC_USERS_DB_URI", "MLFLOW_REGISTRY_STORE_URI")
    ]
    uris.append(("keycloak", "KC_DB_URL", _env(ctx, "keycloak").get("KC_DB_URL", "").removeprefix("jdbc:")))
    for service, name, uri in uris:
        host = _host(uri) if "://" in uri else ""
        if host in LOOPBACK_HOSTS:
            finding = (
                f"{service}'s {name} dials {host}: inside the {service} container that is the "
                "container itself (Connection refused)"
            )
            fix = f"use the service name in {name} (postgres:${{POSTGRES_PORT}})"
            out.append(
                fail(finding, fix) if ctx.in_container else warn(finding + "; it works for the native stack only", fix)
            )
    return out or [ok("database addresses use service names")]


@check("static.redis-url", "CACHE_REDIS_URL points at the Redis service", needs=("static.compose-render",))
def check_redis_url(ctx: Context) -> list[Result]:
    env = _env(ctx, "mlflow")
    backend = env.get("CACHE_BACKEND", "local").lower()
    if backend != "redis":
        return [ok(f"CACHE_BACKEND={backend}: the permission cache is per worker, no Redis")]
    url = env.get("CACHE_REDIS_URL", "")
    port = _internal_port(ctx, "redis")
    good = f"CACHE_REDIS_URL=redis://:${{CACHE_REDIS_PASSWORD}}@redis:{port or 6379}/0"
    if not url:
        return [fail("CACHE_BACKEND=redis but CACHE_REDIS_URL is unset (the plugin refuses to start)", good)]
    host = _host(url)
    if host in LOOPBACK_HOSTS:
        finding = (
            f"CACHE_REDIS_URL dials {host}:{_port(url) or 6379}: inside the mlflow container "
            "nothing listens there (Error 111 connecting to localhost:6379)"
        )
        if ctx.in_container:
            return [fail(finding, good)]
        return [warn(finding + "; it works for the native stack only", good)]
    if host == "redis" and port and (_port(url) or 6379) != port:
        return [fail(f"CACHE_REDIS_URL dials redis:{_port(url) or 6379}, but Redis listens on {port}", good)]
    if _env(ctx, "redis").get("CACHE_REDIS_PASSWORD") and not _uri_parts(url)[1]:
        return [
            fail("CACHE_REDIS_URL carries no password, but Redis requires one (NOAUTH Authentication required)", good)
        ]
    return [ok(f"CACHE_REDIS_URL points at {host}:{_port(url) or 6379}")]


@check("static.public-url", "No public URL uses 0.0.0.0", needs=("static.compose-render",))
def check_public_url(ctx: Context) -> list[Result]:
    out = []
    urls = [("mlflow", n, _env(ctx, "mlflow").get(n, "")) for n in ("OIDC_REDIRECT_URI", "OIDC_ISSUER")]
    urls.append(("keycloak", "KC_HOSTNAME", _env(ctx, "keycloak").get("KC_HOSTNAME", "")))
    urls += [(".env", k, v) for k, v in dotenv(ctx).items() if "://" in v]  # URLs, not BIND_ADDRESS
    realm = ctx.rendered.realm_import()
    for client in (realm or {}).get("clients") or []:
        for uri in client.get("redirectUris") or []:
            urls.append(("realm import", f"{client.get('clientId')} redirectUris", uri))
    port = _published(ctx, "mlflow", _internal_port(ctx, "mlflow") or 5000)
    for where, name, value in urls:
        if re.search(r"(^|//|@)0\.0\.0\.0([:/]|$)", value or ""):
            out.append(
                fail(
                    f"{where} {name} uses 0.0.0.0, a listen address that browsers refuse "
                    '("Access to 0.0.0.0 was denied")',
                    f"use localhost in {name}; browse to http://localhost:{port or '${MLFLOW_PORT}'}",
                )
            )
    return out or [ok(f"no URL uses 0.0.0.0; browse to {ctx.rendered.browser_mlflow_url()}")]


@check("static.redirect-uri", "OIDC_REDIRECT_URI matches the URL people browse to", needs=("static.compose-render",))
def check_redirect_uri(ctx: Context) -> list[Result]:
    uri = _env(ctx, "mlflow").get("OIDC_REDIRECT_URI", "")
    expected = ctx.rendered.browser_mlflow_url() + "/callback"
    good = f"OIDC_REDIRECT_URI={expected}"
    if not uri:
        return [
            warn(
                "OIDC_REDIRECT_URI is unset: it follows each request's Host header, so "
                "every host people browse to must be registered in Keycloak",
                good,
            )
        ]
    host, path = _host(uri), urlsplit(uri).path
    want_path = urlsplit(expected).path
    if path.rstrip("/") != want_path:
        extra = " under MLflow's path (MLFLOW_PATH)" if ctx.rendered.proxied else ""
        return [fail(f"OIDC_REDIRECT_URI path is {path!r}; the plugin serves {want_path}{extra}", good)]
    if host in ctx.rendered.services:
        return [fail(f"OIDC_REDIRECT_URI sends the browser to {host!r}, a container name it cannot resolve", good)]
    if host in LOOPBACK_HOSTS and urlsplit(uri)[:2] != urlsplit(expected)[:2] and _host(expected) in LOOPBACK_HOSTS:
        where = "the proxy serves MLflow at" if ctx.rendered.proxied else "MLflow is published at"
        return [
            fail(
                f"OIDC_REDIRECT_URI is on {urlsplit(uri).scheme}://{urlsplit(uri).netloc}, but {where} "
                f"{urlsplit(expected).scheme}://{urlsplit(expected).netloc}: the login comes back to the wrong place",
                good,
            )
        ]
    realm = ctx.rendered.realm_import()
    client_id = _env(ctx, "mlflow").get("OIDC_CLIENT_ID")
    client = next((c for c in (realm or {}).get("clients") or [] if c.get("clientId") == client_id), None)
    if client is not None and not _uri_registered(uri, client.get("redirectUris") or []):
        return [
            fail(
                "the realm import does not register OIDC_REDIRECT_URI for client "
                f'{client_id!r} ("Invalid parameter: redirect_uri")',
                f"add {uri} to redirectUris in {ctx.rendered.realm_file()}, then "
                "`make bootstrap-keycloak` for an existing realm",
            )
        ]
    return [
        ok(
            f"OIDC_REDIRECT_URI={uri}; log in from {urlsplit(uri).scheme}://{urlsplit(uri).netloc} "
            "(the login state is a cookie of that host)"
        )
    ]


def _uri_registered(uri: str, registered: list[str]) -> bool:
    """Keycloak's match: exact, or a trailing-* prefix wildcard."""
    return any(r == uri or (r.endswith("*") and uri.startswith(r[:-1])) for r in registered)


@check("static.bind-address", "Published ports listen on loopback", needs=("static.compose-render",))
def check_bind_address(ctx: Context) -> list[Result]:
    out = []
    for service in ctx.rendered.services:
        for p in ctx.rendered.ports(service):
            if p.host_ip in ("0.0.0.0", "", "::", "[::]"):
                finding = f"{service} port {p.published} listens on every interface, not only on loopback"
                fix = "BIND_ADDRESS=127.0.0.1 in .env (put a TLS proxy in front to serve others)"
                if service in ("postgres", "redis"):
                    out.append(fail(finding + f"; {service} is meant to be internal", fix))
                else:
                    out.append(warn(finding + " (plain HTTP with login cookies)", fix))
    return out or [ok("every published port listens on 127.0.0.1")]


@check("static.secret-key", "SECRET_KEY is set, shared by every worker, and long", needs=("static.compose-render",))
def check_secret_key(ctx: Context) -> list[Result]:
    key = _env(ctx, "mlflow").get("SECRET_KEY", "")
    n = workers(ctx)
    fix = "MLFLOW_SECRET_KEY in .env, passed as SECRET_KEY: run `make secrets` (64 random characters)"
    if not key:
        if n > 1:
            return [
                fail(
                    f"SECRET_KEY is unset with {n} workers: each worker makes its own key, so "
                    "about half the logins fail (mismatching_state)",
                    fix,
                )
            ]
        return [warn("SECRET_KEY is unset: sessions end whenever MLflow restarts", fix)]
    if len(key) < 32:
        return [
            fail(
                f"SECRET_KEY has {len(key)} characters (fewer than 32) and signs the session cookie of {n} worker(s)",
                fix,
            )
        ]
    return [ok(f"SECRET_KEY is set ({len(key)} characters), shared by {n} worker(s)")]


def _psycopg3_available(ctx: Context) -> tuple[bool, str]:
    if not ctx.in_container:
        return importlib.util.find_spec("psycopg") is not None, "this virtualenv"
    build = ctx.rendered.services.get("mlflow", {}).get("build") or {}
    req = Path(build.get("context", "")) / "requirements.txt"
    try:
        text = req.read_text()
    except OSError:
        return False, "the mlflow image"
    return bool(re.search(r"^\s*psycopg(\[[^\]]*\])?\s*([=<>~!]|$)", text, re.M)), f"{req}"


@check("static.psycopg", "postgresql:// URIs have their driver", needs=("static.compose-render",))
def check_psycopg(ctx: Context) -> list[Result]:
    out = []
    env = _env(ctx, "mlflow")
    for name in ("MLFLOW_BACKEND_STORE_URI", "OIDC_USERS_DB_URI", "MLFLOW_REGISTRY_STORE_URI"):
        uri = env.get(name, "")
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        fix = f"write {name} as postgresql+psycopg2://... (psycopg2-binary is installed)"
        if scheme == "postgres":
            out.append(fail(f"{name} uses postgres://, which SQLAlchemy does not know", fix))
        elif scheme in ("postgresql", "postgresql+psycopg"):
            have, where = _psycopg3_available(ctx)
            if not have:
                out.append(
                    fail(
                        f"{name} uses {scheme}://, which loads psycopg 3, and {where} has no psycopg 3",
                        fix + ", or install psycopg[binary]",
                    )
                )
    return out or [ok("every PostgreSQL URI names an installed driver")]


def _db_identity(uri: str) -> tuple | None:
    if not uri or "://" not in uri:
        return None
    s = urlsplit(uri)
    if s.scheme.startswith("sqlite"):
        return ("sqlite", s.path)
    return (s.scheme.split("+")[0], (s.hostname or "").lower(), s.port, s.path.strip("/"))


@check(
    "static.alembic-table", "A shared database has a separate alembic version table", needs=("static.compose-render",)
)
def check_alembic_table(ctx: Context) -> list[Result]:
    env = _env(ctx, "mlflow")
    auth = env.get("OIDC_USERS_DB_URI", "")
    if not auth:
        return [
            warn(
                "OIDC_USERS_DB_URI is unset: sessions and permissions go to sqlite:///auth.db "
                "in the server's working directory",
                "OIDC_USERS_DB_URI=postgresql+psycopg2://...@postgres:5432/mlflow_auth (its own database)",
            )
        ]
    same = _db_identity(auth) == _db_identity(env.get("MLFLOW_BACKEND_STORE_URI", "sqlite:///mlflow.db"))
    table = env.get("OIDC_ALEMBIC_VERSION_TABLE", "alembic_version")
    if same and table in ("", "alembic_version"):
        return [
            fail(
                "OIDC_USERS_DB_URI is MLflow's own database and both use the table "
                "alembic_version: their migrations collide",
                "OIDC_ALEMBIC_VERSION_TABLE=alembic_version_oidc, or a separate database "
                "(AUTH_DB) in OIDC_USERS_DB_URI",
            )
        ]
    if same:
        return [ok(f"shared database, plugin migrations in {table}")]
    return [ok("the plugin has its own database")]


@check("static.group-names", "Group names match between the realm and the plugin", needs=("static.compose-render",))
def check_group_names(ctx: Context) -> list[Result]:
    env = _env(ctx, "mlflow")
    users, admins = plugin_groups(env)
    attribute = env.get("OIDC_GROUPS_ATTRIBUTE", "groups")
    realm = ctx.rendered.realm_import()
    out = []
    for name in users + admins:
        if name.startswith("/"):
            out.append(
                fail(
                    f"the plugin expects group {name!r}, a full path; the groups mapper sends plain names",
                    f"write {name.lstrip('/')} (MLFLOW_USERS_GROUP / MLFLOW_ADMINS_GROUP in .env)",
                )
            )
    if realm is None:
        return out or [ok(f"plugin groups {users + admins} (no realm import to compare)")]
    client_id = env.get("OIDC_CLIENT_ID")
    client = next((c for c in realm.get("clients") or [] if c.get("clientId") == client_id), None)
    realm_groups = {g.get("name") for g in realm.get("groups") or []}
    for name in users + admins:
        plain = name.lstrip("/")
        if plain not in realm_groups:
            which = "OIDC_ADMIN_GROUP_NAME" if name in admins else "OIDC_GROUP_NAME"
            out.append(
                fail(
                    f"{which} names {name!r}, but the realm import has only "
                    f'{sorted(realm_groups)} ("User is not allowed to login")',
                    "set MLFLOW_USERS_GROUP / MLFLOW_ADMINS_GROUP in .env; both the realm and the plugin read them",
                )
            )
    if client is not None:
        mapper = group_mapper(client)
        cfg = (mapper or {}).get("config") or {}
        if mapper is None:
            out.append(
                fail(
                    f"client {client_id!r} in the realm import has no group-membership mapper: tokens carry no groups",
                    "add the groups mapper (`make bootstrap-keycloak`)",
                )
            )
        else:
            if cfg.get("full.path", "true") != "false":
                out.append(
                    fail(
                        "the realm import's groups mapper sends full paths (/mlflow-users), "
                        "which never equal plugin group names",
                        'set "full.path": "false" in the groups mapper',
                    )
                )
            if cfg.get("claim.name") != attribute:
                out.append(
                    fail(
                        f"the groups mapper writes claim {cfg.get('claim.name')!r}; the plugin "
                        f"reads OIDC_GROUPS_ATTRIBUTE={attribute!r}",
                        f'set "claim.name": "{attribute}" in the groups mapper',
                    )
                )
            if cfg.get("id.token.claim") != "true":
                out.append(
                    fail(
                        "the groups mapper leaves groups out of the ID token, the only token "
                        "the plugin reads groups from",
                        'set "id.token.claim": "true"',
                    )
                )
    return out or [
        ok(f"groups {users} and admins {admins} exist in the realm import, sent as plain names in claim {attribute!r}")
    ]


# What an image has besides its program: Caddy's official image (Alpine) has busybox's wget,
# and the bundle's own (compose/images/caddy) installs it.
# What each image has for a healthcheck beyond its own binaries: Caddy's (official and the
# bundle's) has wget, SeaweedFS's (official and the bundle's) has curl.
HEALTHCHECK_TOOLS = {"proxy": {"wget"}, "s3": {"curl"}}


@check("static.keycloak-healthcheck", "Keycloak's healthcheck uses no curl", needs=("static.compose-render",))
def check_keycloak_healthcheck(ctx: Context) -> list[Result]:
    out = []
    for service, svc in ctx.rendered.services.items():
        test = (svc.get("healthcheck") or {}).get("test") or []
        text = " ".join(map(str, test)) if isinstance(test, list) else str(test)
        tool = next((t for t in ("curl", "wget") if re.search(rf"(^|[\s;&|(]){t}\s", text)), None)
        if tool and tool not in HEALTHCHECK_TOOLS.get(service, ()):
            out.append(
                fail(
                    f"{service}'s healthcheck runs {tool}, which its image lacks "
                    f'("{tool}: not found"): it never turns healthy',
                    "probe with bash's /dev/tcp (Keycloak) or python (mlflow), as compose/docker-compose.yml does",
                )
            )
    if "keycloak" in ctx.rendered.services and not ctx.rendered.services["keycloak"].get("healthcheck"):
        out.append(
            warn(
                "keycloak has no healthcheck: the user sync and the proxy cannot wait for service_healthy",
                "add the /dev/tcp healthcheck on the management port 9000",
            )
        )
    return out or [ok("healthchecks use only what each image has")]


@check("static.allowed-hosts", "--allowed-hosts covers every URL in use", needs=("static.compose-render",))
def check_allowed_hosts(ctx: Context) -> list[Result]:
    patterns = allowed_hosts(ctx)
    if patterns is None:
        return [ok("MLflow's host check is disabled")]
    browser, internal = hosts_in_use(ctx)
    missing = [h for h in browser if not host_allowed(h, patterns)]
    fix = "add them to --allowed-hosts in the mlflow command, with the port (e.g. " + ",".join(browser + internal) + ")"
    if missing:
        return [fail(f'--allowed-hosts lacks {", ".join(missing)}: those URLs get 403 "Invalid Host header"', fix)]
    missing = [h for h in internal if not host_allowed(h, patterns)]
    if missing:
        return [
            warn(f'--allowed-hosts lacks {", ".join(missing)}: in-network clients get 403 "Invalid Host header"', fix)
        ]
    return [ok(f"allowed hosts cover {', '.join(browser + internal)}")]


# .env switches whose "off" is the empty value (Compose's ${X:+...} turns them on for any
# value), with what they turn on.
EMPTY_IS_OFF = {"METRICS_ENABLED": "Prometheus metrics of MLflow and Keycloak"}


@check("static.switches", "On/off settings say what they mean", needs=("static.env-file",))
def check_switches(ctx: Context) -> list[Result]:
    out = []
    for name, what in EMPTY_IS_OFF.items():
        value = dotenv(ctx).get(name, "")
        if value and value.lower() != "true":
            out.append(
                warn(
                    f"{name}={value!r} turns on {what}: any value but an empty one means on",
                    f"{name}=true to have them, or {name}= (empty) for off",
                )
            )
    if dotenv(ctx).get("METRICS_ENABLED") and ctx.rendered is not None and "mlflow" in ctx.rendered.services:
        public = [p for p in ctx.rendered.ports("mlflow") if p.host_ip not in ("127.0.0.1", "::1")]
        if public:
            out.append(
                warn(
                    f"METRICS_ENABLED is on and MLflow is published on {public[0].host_ip}: its /metrics "
                    "answers without a login",
                    "BIND_ADDRESS=127.0.0.1 (a proxy in front serves the public URL and never routes /metrics)",
                )
            )
    out += _switches(ctx)
    return out or [ok(", ".join(f"{n}={dotenv(ctx).get(n, '') or '(off)'}" for n in EMPTY_IS_OFF))]


SWITCHES = {
    # name: (what refuses another value, what `true` does)
    "KEYCLOAK_SCHEMA_PRELOAD": (
        "PostgreSQL's init script refuses it, and PostgreSQL does not start on a new data directory",
        "Keycloak's schema ready before its first start",
    ),
    "KEYCLOAK_CLASS_ARCHIVE": (
        "Keycloak's start does not know it (neither the bundle's image nor the native stack)",
        "Keycloak's JVM maps its class archive",
    ),
    "MLFLOW_PRELOAD_APP": (
        "the MLflow server does not know it and exits at start",
        "MLflow's app built once, its workers forked from it",
    ),
}


def _switches(ctx: Context) -> list[Result]:
    """Switches of .env that take true or false only (compose/postgres/keycloak-schema.sh
    refuses anything else, and PostgreSQL then does not start on a new data directory)."""
    out = []
    for name, (refused, does) in SWITCHES.items():
        value = dotenv(ctx).get(name, "true")
        if value not in ("true", "false"):
            out.append(fail(f"{name}={value!r}: {refused}", f"{name}=true ({does}) or false"))
    return out


@check("static.https-profile", "The HTTPS profile's settings fit together", needs=("static.compose-render",))
def check_https_profile(ctx: Context) -> list[Result]:
    """PUBLIC_URL turns the profile on (compose/proxy.yml); every setting behind the proxy
    must then name the public URL, and forwarded headers must be trusted from the proxy only."""
    r = ctx.rendered
    if not r.proxied:
        return [ok("the HTTPS profile is off (PUBLIC_URL is empty): plain HTTP on loopback")]
    ml, kc, px = r.env("mlflow"), r.env("keycloak"), r.env("proxy")
    public, path, realm = r.public_url or "", px.get("MLFLOW_PATH", ""), r.realm
    fix_file = "compose/proxy.yml sets it from PUBLIC_URL: remove the override (docs/https.md)"
    out = []
    want = {
        ("mlflow", "OIDC_ISSUER"): f"{public}{r.keycloak_path}/realms/{realm}",
        ("mlflow", "OIDC_REDIRECT_URI"): f"{public}{path}/callback",
        ("mlflow", "SESSION_COOKIE_SECURE"): "true",
        ("keycloak", "KC_HOSTNAME"): f"{public}{r.keycloak_path}",
        ("keycloak", "KC_PROXY_HEADERS"): "xforwarded",
    }
    for (service, name), value in want.items():
        got = r.env(service).get(name, "")
        if got.rstrip("/") != value:
            out.append(fail(f"{service} {name}={got or '(unset)'}, but behind {public} it must be {value}", fix_file))
    proxies = set(r.fixed_addresses())
    for service, name, entries in (
        ("mlflow", "TRUSTED_PROXIES", ml.get("TRUSTED_PROXIES", "")),
        ("keycloak", "KC_PROXY_TRUSTED_ADDRESSES", kc.get("KC_PROXY_TRUSTED_ADDRESSES", "")),
    ):
        listed = {e.strip().removesuffix("/32") for e in entries.split(",") if e.strip()}
        if not listed:
            out.append(
                fail(
                    f"{service} {name} is empty: forwarded headers are "
                    + ("ignored, so the login leaves MLflow's path" if service == "mlflow" else "taken from anyone"),
                    fix_file,
                )
            )
        elif listed - proxies:
            out.append(
                fail(
                    f"{service} {name}={entries} trusts more than the proxy ({', '.join(sorted(proxies))}): "
                    "a client there can forge X-Forwarded-* (its address, host and path)",
                    f"{name}=<the proxy's address> (PROXY_ADDRESS in .env)",
                )
            )
    origins = [o.strip() for o in ml.get("MLFLOW_SERVER_CORS_ALLOWED_ORIGINS", "").split(",")]
    if public not in origins:
        out.append(
            fail(
                f"MLFLOW_SERVER_CORS_ALLOWED_ORIGINS does not list {public}: MLflow refuses the UI's own "
                'changes (403 "Cross-origin request blocked")',
                fix_file,
            )
        )
    if path == r.keycloak_path:
        out.append(fail(f"MLFLOW_PATH={path} is Keycloak's path", "MLFLOW_PATH=/mlflow"))
    return out or [
        ok(
            f"MLflow at {public}{path}/, Keycloak at {public}{r.keycloak_path}/; Secure cookies; forwarded "
            f"headers trusted from the proxy ({', '.join(sorted(proxies))}) only"
        )
    ]

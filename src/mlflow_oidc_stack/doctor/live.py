"""Live doctor checks: the running stack.

Each service is first judged by what its runtime knows (Compose: the container's state,
health and restart count; native: supervisord's state), so a service that is down or
crash-looping is named as such, with the cause its log gives, and the checks that need it
are skipped instead of blaming a setting.

Reachability is measured from where the MLflow server runs, because that is where the
failures happen ("Connection refused" to localhost from a container): on the host for the
native stack; for Compose inside the mlflow container, or, when it is not running, in a
throwaway container of the same image on the same networks (`compose run --rm --no-deps`).
Both run the same module, mlflow_oidc_stack.probe. Database logins need no mlflow
container: Compose tries them inside the postgres container. Keycloak's admin API and the
browser URLs are checked from the host, where the user and the browser are.
"""

from __future__ import annotations

import inspect
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from .. import StackError, probe
from ..runtime.common import diagnose
from ..runtime.compose import ComposeStack, project_name
from ..runtime.native import LOOPBACK, NativeStack, map_volumes, to_loopback
from .core import Context, Result, Skip, check, fail, ok, skip, warn
from .static import LOOPBACK_HOSTS, allowed_hosts, hosts_in_use, plugin_groups, scopes, token_groups

BACKING = ("postgres", "redis")


# --- where things run ---------------------------------------------------------------------


@dataclass
class State:
    kind: str  # running | starting | unhealthy | restarting | exited | missing
    detail: str  # in words, for the finding
    log: str = ""  # the service's recent log (for the diagnosis)

    @property
    def up(self) -> bool:
        return self.kind == "running"


def compose_stack(ctx: Context) -> ComposeStack:
    def make():
        if project_name(ctx.env_file, ctx.state) is None:
            raise Skip(f"no Compose project is recorded for this checkout ({ctx.state}): `make up` has not run here")
        return ComposeStack(ctx.env_file, ctx.state)

    return ctx.remember("compose", make)


def native_stack(ctx: Context) -> NativeStack:
    return ctx.remember("native", lambda: NativeStack(ctx.env_file, ctx.state))


def states(ctx: Context) -> dict[str, State]:
    return ctx.remember("states", lambda: _compose_states(ctx) if ctx.in_container else _native_states(ctx))


def _compose_states(ctx: Context) -> dict[str, State]:
    try:
        stack = compose_stack(ctx)
    except Skip as exc:
        return {s: State("missing", str(exc)) for s in ctx.rendered.services}
    rows = stack.states()
    out = {}
    for service in ctx.rendered.services:
        row = rows.get(service)
        if row is None:
            out[service] = State("missing", f"the {service} container does not exist (project {stack.project})")
            continue
        name = row.get("Name", "")
        restarts = subprocess.run(
            ["docker", "inspect", "--format", "{{.RestartCount}}", name], capture_output=True, text=True
        ).stdout.strip()
        restarts_n = int(restarts) if restarts.isdigit() else 0
        health, state = row.get("Health", ""), row.get("State", "")
        status = row.get("Status", "")
        log = ""
        if not (state == "running" and health in ("healthy", "")):
            log = stack.logs([service], 400, prefix=False)
        if state == "restarting" or (restarts_n and health != "healthy"):
            out[service] = State("restarting", f"crash-looping: restarted {restarts_n} time(s), now {status}", log)
        elif state != "running":
            out[service] = State("exited", f"{state}: {status}", log)
        elif health == "unhealthy":
            out[service] = State("unhealthy", f"running but unhealthy ({status})", log)
        elif health == "starting":
            out[service] = State("starting", f"still starting ({status})", log)
        else:
            out[service] = State("running", status)
    return out


def _native_states(ctx: Context) -> dict[str, State]:
    stack = native_stack(ctx)
    if not stack.running():
        return {
            s: State("missing", f"the native stack is not running (state dir {ctx.state})")
            for s in ctx.rendered.services
        }
    out = {}
    for service in ctx.rendered.services:
        try:
            info = stack.info(service)
        except Exception as exc:
            out[service] = State("missing", f"supervisord does not know {service}: {exc}")
            continue
        kind = {
            "RUNNING": "running",
            "STARTING": "starting",
            "BACKOFF": "restarting",
            "FATAL": "exited",
            "EXITED": "exited",
            "STOPPED": "exited",
        }.get(info["statename"], "exited")
        log = "" if kind == "running" else stack.tail(service, 400)
        out[service] = State(kind, f"{info['statename'].lower()} ({info.get('description', '')})", log)
    return out


def service_hint(ctx: Context, service: str) -> str:
    return f"`make ps` and `make logs SERVICES={service}`; `make up` starts what is missing"


def down_result(ctx: Context, service: str, st: State) -> Result:
    """A service that is not running: say exactly that, with the cause its log names."""
    cause = diagnose(st.log or "")
    finding = f"{service} is {st.detail}" if st.kind != "missing" else st.detail
    if cause:
        return fail(f"{finding}; its log says why: {cause[0]}", cause[1])
    if st.kind == "starting":
        return warn(
            finding + " (not crash-looping: no restarts so far)",
            f"wait for it, then re-run `make doctor`; {service_hint(ctx, service)}",
        )
    last = next((line.strip() for line in reversed(st.log.splitlines()) if line.strip()), "")
    return fail(finding + (f"; its last log line: {last[:200]}" if last else ""), service_hint(ctx, service))


class Site:
    """Runs probes where the MLflow server runs, and says how that place names services."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.r = ctx.rendered

    def url(self, value: str) -> str:
        return value if self.ctx.in_container else to_loopback(value, self.r)

    def path(self, service: str, value: str) -> str:
        """A file path as `service` names it (its bind mounts), as this site sees it."""
        if self.ctx.in_container:
            return value
        binds = {v["target"]: Path(v["source"]) for v in self.r.volumes(service) if v.get("type") == "bind"}
        return map_volumes(value, binds)

    def http(self, url: str, **extra: Any) -> dict:
        """An http probe spec as the MLflow server would make it: with the CA it trusts for
        the back channel (REQUESTS_CA_BUNDLE, behind the HTTPS profile)."""
        spec = {"kind": "http", "url": url, **extra}
        ca = self.r.env("mlflow").get("REQUESTS_CA_BUNDLE")
        if ca:
            spec["cafile"] = self.path("mlflow", ca)
        return spec

    def address(self, service: str) -> tuple[str, int]:
        port = self.r.internal_port(service)
        return (service, port) if self.ctx.in_container else (LOOPBACK, self.r.listen_port(service, port))

    @property
    def label(self) -> str:
        if not self.ctx.in_container:
            return "from this host"
        return (
            "from inside the mlflow container"
            if states(self.ctx)["mlflow"].up
            else "from a throwaway container of the mlflow image"
        )

    def run(self, specs: list[dict]) -> list[dict]:
        if not self.ctx.in_container:
            return probe.run(specs)
        stack = compose_stack(self.ctx)
        source = inspect.getsource(probe)
        if states(self.ctx)["mlflow"].up:
            cmd = stack.command("exec", "-T", "mlflow", "python", "-c", source)
        else:
            cmd = stack.command("run", "--rm", "--no-deps", "-T", "mlflow", "python", "-c", source)
        try:
            proc = subprocess.run(cmd, input=json.dumps(specs), capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Skip(f"the probe could not run where MLflow runs: {exc}") from None
        if proc.returncode != 0:
            why = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise Skip(f"the probe could not run where MLflow runs ({' '.join(cmd[-6:-3])}): {why[0]}")
        return json.loads(proc.stdout)

    def one(self, spec: dict) -> dict:
        return self.run([spec])[0]


def site(ctx: Context) -> Site:
    return ctx.remember("site", lambda: Site(ctx))


# --- services ---------------------------------------------------------------------------


def _backing(ctx: Context, service: str) -> Result:
    st = states(ctx)[service]
    if not st.up:
        return down_result(ctx, service, st)
    where = site(ctx)
    host, port = where.address(service)
    if ctx.in_container and not states(ctx)["mlflow"].up:
        return ok(
            f"{service} is running and healthy ({st.detail}); not probed from the mlflow "
            "container, which is not running"
        )
    res = where.one({"kind": "tcp", "host": host, "port": port})
    if res.get("ok"):
        return ok(f"{service} accepts connections at {host}:{port} {where.label}")
    return fail(
        f"{service} runs, but nothing answers at {host}:{port} {where.label}: {res.get('error', '')}",
        f"the address the server dials must be {service}'s; {service_hint(ctx, service)}",
    )


@check("live.postgres", "PostgreSQL is up", needs=("static.compose-render",))
def postgres(ctx: Context) -> Result:
    return _backing(ctx, "postgres")


@check("live.redis", "Redis is up", needs=("static.compose-render",))
def redis(ctx: Context) -> Result:
    return _backing(ctx, "redis")


@check("live.keycloak", "Keycloak is ready on its published ports", needs=("static.compose-render",))
def keycloak(ctx: Context) -> Result:
    r = ctx.rendered
    st = states(ctx)["keycloak"]
    if not st.up:
        return down_result(ctx, "keycloak", st)
    kc = probe.run(
        [
            {"kind": "http", "url": r.keycloak_management_url() + "/health/ready"},
            {"kind": "http", "url": r.keycloak_url("127.0.0.1") + "/realms/master"},
        ]
    )
    if kc[0].get("status") == 200 and kc[1].get("status") == 200:
        return ok(f"Keycloak is ready: {r.keycloak_url()} and {r.keycloak_management_url()}/health/ready answer")
    bad = kc[0] if kc[0].get("status") != 200 else kc[1]
    what = bad.get("error") or f"HTTP {bad.get('status')}"
    return fail(
        f"Keycloak runs ({st.detail}) but does not answer on its published ports: {what}",
        f"KEYCLOAK_PORT / KEYCLOAK_MANAGEMENT_PORT in .env must be the ports it publishes; "
        f"{service_hint(ctx, 'keycloak')}",
    )


@check("live.mlflow", "MLflow answers on its published port", needs=("static.compose-render",))
def mlflow(ctx: Context) -> Result:
    r = ctx.rendered
    st = states(ctx)["mlflow"]
    if not st.up:
        return down_result(ctx, "mlflow", st)
    res = probe.http({"url": r.mlflow_url("127.0.0.1") + "/health/ready"})
    if res.get("status") == 200:
        return ok(f"MLflow is ready at {r.mlflow_url()}")
    what = res.get("error") or f"HTTP {res.get('status')}: {res.get('body', '')[:200]}"
    port = r.published("mlflow", r.internal_port("mlflow"))
    return fail(
        f"MLflow runs ({st.detail}) but {r.mlflow_url()}/health/ready does not answer: {what}",
        f"{service_hint(ctx, 'mlflow')}; the port is MLFLOW_PORT={port.published if port else '?'}",
    )


# --- database and redis ---------------------------------------------------------------


@check("live.db-login", "The database login works with the configured credentials", needs=("live.postgres",))
def db_login(ctx: Context) -> Result:
    r = ctx.rendered
    logins = r.db_logins()
    if ctx.in_container:
        stack = compose_stack(ctx)
        errors = [stack.db_login_error(login) for login in logins]
        label = "inside the postgres container, with each client's credentials"
    else:
        errors = []
        for login in logins:
            res = probe.pg(
                {
                    "host": LOOPBACK,
                    "port": r.listen_port("postgres", login.port),
                    "user": login.user,
                    "password": login.password,
                    "dbname": login.dbname,
                }
            )
            errors.append(None if res.get("ok") else res.get("error"))
        label = "from this host"
    bad = [(login, err) for login, err in zip(logins, errors) if err]
    if not bad:
        return ok(f"{len(logins)} database logins work ({label})")
    login, error = bad[0]
    if "password authentication failed" in error:
        fix = (
            "the data was created with another POSTGRES_PASSWORD: restore the .env that created it (see "
            f"{ctx.env_file.name}.bak), or `make reset CONFIRM=yes` to delete the data and start empty"
        )
    elif "does not exist" in error:
        fix = "create the database (compose/postgres/init-databases.sh runs only on an empty data directory)"
    else:
        fix = "check the address and credentials in " + login.who
    return fail(f"{login.who} as {login.user!r}: {error}", fix)


@check("live.redis-auth", "Redis accepts the configured password", needs=("live.redis",))
def redis_auth(ctx: Context) -> Result:
    r = ctx.rendered
    ml = r.env("mlflow")
    if ml.get("CACHE_BACKEND", "local").lower() == "redis" and ml.get("CACHE_REDIS_URL"):
        url, what = ml["CACHE_REDIS_URL"], "CACHE_REDIS_URL"
    else:
        url = (
            f"redis://:{quote(r.env('redis').get('CACHE_REDIS_PASSWORD', ''), safe='')}@redis:"
            f"{r.internal_port('redis')}/0"
        )
        what = "CACHE_REDIS_PASSWORD"
    if ctx.in_container:
        password = urlsplit(url).password or ""
        from urllib.parse import unquote

        proc = compose_stack(ctx).exec(
            "redis", "sh", "-c", 'redis-cli -p "$CACHE_REDIS_PORT" ping', env={"REDISCLI_AUTH": unquote(password)}
        )
        good = "PONG" in proc.stdout
        res = {"ok": good, "error": " ".join((proc.stdout + proc.stderr).split())}
        label = "inside the redis container"
    else:
        res = probe.redis({"url": to_loopback(url, r)})
        label = "from this host"
    if res.get("ok"):
        return ok(f"Redis accepts {what} (AUTH + PING) {label}")
    return fail(
        f"Redis refused {what}: {res.get('error')}",
        "CACHE_REDIS_PASSWORD in .env is the one value for redis-server and CACHE_REDIS_URL; "
        "restart both after changing it (`make down && make up`)",
    )


# --- keycloak ---------------------------------------------------------------------------


def realm_name(ctx: Context) -> str:
    path = urlsplit(ctx.rendered.env("mlflow").get("OIDC_DISCOVERY_URL", "")).path
    parts = path.split("/")
    return parts[parts.index("realms") + 1] if "realms" in parts[:-1] else ctx.rendered.realm


def admin(ctx: Context):
    return ctx.memo["admin"]


@check("live.realm", "The realm exists", needs=("live.keycloak",))
def realm(ctx: Context) -> Result:
    from keycloak.exceptions import KeycloakError

    from ..keycloak.admin import keycloak_admin

    r = ctx.rendered
    name = realm_name(ctx)
    try:
        kc = keycloak_admin(r, realm=name)
        kc.get_realms()
    except KeycloakError as exc:
        return fail(
            f"the Keycloak admin {r.env('keycloak').get('KC_BOOTSTRAP_ADMIN_USERNAME')} cannot log in: "
            f"{str(exc)[:160]}",
            "KC_BOOTSTRAP_ADMIN_PASSWORD applies only on Keycloak's first start: set it in .env to the "
            "admin's current password (or restore the .env that created the data)",
        )
    try:
        rep = kc.get_realm(name)
    except KeycloakError:
        return fail(
            f"Keycloak has no realm {name!r} (OIDC_DISCOVERY_URL names it)",
            "`make bootstrap-keycloak` creates it; or set KEYCLOAK_REALM in .env to an existing realm",
        )
    ctx.memo.update(admin=kc, realm=rep)
    return ok(f"realm {name!r} exists" + ("" if rep.get("enabled", True) else " (disabled!)"))


def _private(host: str) -> bool:
    import ipaddress

    if host in LOOPBACK_HOSTS:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback


@check("live.ssl-required", "The realm's sslRequired fits the URLs in use", needs=("live.realm",))
def ssl_required(ctx: Context) -> Result:
    mode = ctx.memo["realm"].get("sslRequired", "external")
    r = ctx.rendered
    urls = [
        r.env("keycloak").get("KC_HOSTNAME") or r.keycloak_url(),
        site(ctx).url(r.env("mlflow").get("OIDC_DISCOVERY_URL", "")),
    ]
    http = [u for u in urls if u.startswith("http://")]
    fix = (
        "set the realm's sslRequired to none for plain-HTTP development (Realm settings > General > "
        "Require SSL), or serve Keycloak over HTTPS; `make bootstrap-keycloak` sets what "
        "keycloak/realm-export.json says"
    )
    if mode == "all" and http:
        return fail(f'realm sslRequired=all, but {http[0]} is plain HTTP ("HTTPS required")', fix)
    if r.proxied and mode != "all":
        return warn(
            f"realm sslRequired={mode} behind the HTTPS profile: Keycloak still answers the realm's "
            "login and token requests over plain HTTP from loopback and private addresses "
            "(a container, a host tool, a proxy that forgot X-Forwarded-Proto)",
            "`make bootstrap-keycloak` sets sslRequired=all, as the profile's realm does "
            "(MLFLOW_SSL_REQUIRED in compose/proxy.yml; docs/https.md)",
        )
    if mode == "external":
        # A compose service name is an address on the project's own (private) network.
        public = [
            u for u in http if not _private(urlsplit(u).hostname or "") and urlsplit(u).hostname not in r.services
        ]
        if public:
            return warn(
                f"realm sslRequired=external: browsers that reach {public[0]} from a public "
                'address get "HTTPS required"',
                fix,
            )
    return ok(f"realm sslRequired={mode} fits {', '.join(http) or 'HTTPS URLs'}")


@check("live.realm-hardening", "The realm has the hardened defaults", needs=("live.realm",))
def realm_hardening(ctx: Context) -> list[Result]:
    from ..keycloak.bootstrap import HARDENING

    wanted = ctx.rendered.realm_import() or {}
    live = ctx.memo["realm"]
    out = []
    for key in HARDENING:
        if key in wanted and live.get(key) != wanted[key]:
            out.append(
                warn(
                    f"realm {realm_name(ctx)!r}: {key} is {live.get(key)!r}, the bundle's default is "
                    f"{wanted[key]!r} (docs/security.md)",
                    "`make bootstrap-keycloak` sets it, or change it under Realm settings",
                )
            )
    # The client may override the realm's access-token lifespan; the file's value is the cap.
    wanted_client: dict = next(iter(wanted.get("clients") or []), {})
    cap = str((wanted_client.get("attributes") or {}).get("access.token.lifespan") or "")
    cid = ctx.rendered.env("mlflow").get("OIDC_CLIENT_ID", "")
    uuid = admin(ctx).get_client_id(cid) if cap and cid else None
    if uuid:
        have = (admin(ctx).get_client(uuid).get("attributes") or {}).get("access.token.lifespan")
        if have and int(have) > int(cap):
            out.append(
                warn(
                    f"client {cid!r}: access tokens live {have} s, the bundle's default is {cap} s: a "
                    "stolen token works that long, and a disabled user's session lasts that long",
                    "`make bootstrap-keycloak` sets it, or Clients > (client) > Advanced > Access Token Lifespan",
                )
            )
    return out or [
        ok(
            f"realm {realm_name(ctx)!r} has the hardened defaults: brute-force detection, password "
            "policy, session lifespans, short access tokens, refresh-token rotation, login and admin events"
        )
    ]


@check("live.client", "The OIDC client exists and is set up for the login flow", needs=("live.realm",))
def client(ctx: Context) -> Result:
    ml = ctx.rendered.env("mlflow")
    client_id = ml.get("OIDC_CLIENT_ID", "")
    kc = admin(ctx)
    uuid = kc.get_client_id(client_id)
    if not uuid:
        return fail(
            f'realm {realm_name(ctx)!r} has no client {client_id!r} ("Client not found"): '
            "OIDC_CLIENT_ID is stale, or the realm predates it",
            "`make bootstrap-keycloak` creates it; or set MLFLOW_CLIENT_ID in .env to the client that exists",
        )
    rep = kc.get_client(uuid)
    ctx.memo.update(client=rep, client_uuid=uuid)
    problems = []
    if not rep.get("enabled", True):
        problems.append("it is disabled")
    if not rep.get("standardFlowEnabled", True):
        problems.append("the standard (authorization code) flow is off")
    if rep.get("publicClient") and ml.get("OIDC_PUBLIC_CLIENT", "").lower() not in ("true", "1", "t"):
        problems.append("it is public, but the plugin sends a client secret")
    if problems:
        return fail(
            f"client {client_id!r}: {'; '.join(problems)}",
            "`make bootstrap-keycloak` (sets the client as keycloak/realm-export.json says)",
        )
    return ok(f"client {client_id!r} exists, enabled, confidential, code flow on")


@check("live.client-secret", "The client secret matches", needs=("live.client",))
def client_secret(ctx: Context) -> Result:
    ml = ctx.rendered.env("mlflow")
    secret = (admin(ctx).get_client_secrets(ctx.memo["client_uuid"]) or {}).get("value")
    if secret and secret != ml.get("OIDC_CLIENT_SECRET"):
        return fail(
            f"Keycloak's secret for client {ml.get('OIDC_CLIENT_ID')!r} differs from OIDC_CLIENT_SECRET "
            "(the code exchange fails: unauthorized_client)",
            "`make bootstrap-keycloak` sets it from MLFLOW_CLIENT_SECRET in .env; or copy Keycloak's "
            "secret into MLFLOW_CLIENT_SECRET and restart mlflow",
        )
    return ok("Keycloak's client secret equals OIDC_CLIENT_SECRET")


@check("live.redirect-uri", "The redirect URI is registered exactly", needs=("live.client",))
def redirect_uri(ctx: Context) -> Result:
    r = ctx.rendered
    registered = ctx.memo["client"].get("redirectUris") or []
    configured = r.env("mlflow").get("OIDC_REDIRECT_URI", "")
    wanted = [configured] if configured else [r.mlflow_url(h) + "/callback" for h in ("localhost", "127.0.0.1")]
    uris = ", ".join(wanted)
    missing = [u for u in wanted if u not in registered]
    if not missing:
        return ok(f"{uris} registered")
    wild = [u for u in missing if any(x.endswith("*") and u.startswith(x[:-1]) for x in registered)]
    if len(wild) == len(missing):
        return warn(
            f"{', '.join(wild)} matches only a wildcard in {registered}",
            f"register {', '.join(wild)} exactly: `make bootstrap-keycloak`",
        )
    return fail(
        f"{', '.join(missing)} is not among the client's redirect URIs {registered} "
        '("Invalid parameter: redirect_uri")',
        f"add {uris} to the client's Valid redirect URIs: `make bootstrap-keycloak` "
        "(or Clients > ... > Valid redirect URIs)",
    )


@check("live.scopes", "Every requested scope is available to the client", needs=("live.client",))
def client_scopes(ctx: Context) -> Result:
    kc, uuid = admin(ctx), ctx.memo["client_uuid"]
    ml = ctx.rendered.env("mlflow")
    available = {s["name"] for s in kc.get_client_default_client_scopes(uuid)}
    available |= {s["name"] for s in kc.get_client_optional_client_scopes(uuid)}
    wanted = [s for s in scopes(ml) if s != "openid"]
    if ml.get("OIDC_USE_REFRESH_TOKEN", "").lower() in ("true", "1", "t"):
        wanted.append("offline_access")  # the plugin adds it
    missing = [s for s in wanted if s not in available]
    if missing:
        return fail(
            f'client lacks scopes {", ".join(missing)} ("Invalid scopes: {" ".join(["openid", *wanted])}")',
            f"remove {', '.join(missing)} from OIDC_SCOPE, or assign those client scopes to the "
            "client (Clients > Client scopes)",
        )
    return ok(f"the client offers {', '.join(wanted) or 'openid'}")


@check("live.groups-mapper", "The groups mapper puts plain names into the ID token", needs=("live.client",))
def groups_mapper(ctx: Context) -> Result:
    from keycloak.exceptions import KeycloakError

    kc, uuid = admin(ctx), ctx.memo["client_uuid"]
    attribute = ctx.rendered.env("mlflow").get("OIDC_GROUPS_ATTRIBUTE", "groups")
    kind = "oidc-group-membership-mapper"
    mappers = [m for m in kc.get_mappers_from_client(uuid) if m.get("protocolMapper") == kind]
    unreadable = []
    if not mappers:  # a client scope may carry it instead
        for scope in kc.get_client_default_client_scopes(uuid):
            try:
                mappers += [m for m in kc.get_mappers_from_client_scope(scope["id"]) if m.get("protocolMapper") == kind]
            except KeycloakError as exc:
                unreadable.append(f"{scope.get('name')} ({exc.response_code})")
    mine = [m for m in mappers if (m.get("config") or {}).get("claim.name") == attribute]
    fix = "`make bootstrap-keycloak` (restores the groups mapper of keycloak/realm-export.json)"
    if not mine:
        claims = [(m.get("config") or {}).get("claim.name") for m in mappers]
        also = f"; client scopes not readable: {', '.join(unreadable)}" if unreadable else ""
        return fail(
            f"no group-membership mapper writes claim {attribute!r} (found {claims or 'none'}){also}: "
            "logins get no groups",
            fix + (f", or OIDC_GROUPS_ATTRIBUTE={claims[0]}" if claims else ""),
        )
    cfg = mine[0].get("config") or {}
    if cfg.get("id.token.claim") != "true":
        return fail(
            f'mapper {mine[0].get("name")!r} leaves groups out of the ID token ("Add to ID token" is '
            "off); the plugin reads groups from there",
            fix + ', or switch "Add to ID token" on',
        )
    if cfg.get("full.path", "true") != "false":
        return fail(
            f'mapper {mine[0].get("name")!r} sends full paths (/mlflow-users) ("Full group path" is on)',
            fix + ', or switch "Full group path" off',
        )
    return ok(f"mapper {mine[0].get('name')!r}: claim {attribute!r}, plain names, in the ID token")


# --- discovery, endpoints, token -----------------------------------------------------------


@check("live.discovery", "The discovery issuer equals the browser-facing URL", needs=("live.keycloak",))
def discovery(ctx: Context) -> Result:
    r = ctx.rendered
    ml = r.env("mlflow")
    url = ml.get("OIDC_DISCOVERY_URL", "")
    if not url:
        return skip("not checked: OIDC_DISCOVERY_URL is unset (see static.discovery-url)")
    where = site(ctx)
    res = where.one(where.http(where.url(url)))
    if res.get("status") != 200:
        what = res.get("error") or f"HTTP {res.get('status')}"
        return fail(
            f"the server cannot fetch {url} {where.label}: {what} (Keycloak itself is up: see live.keycloak)",
            "OIDC_DISCOVERY_URL must use the in-network name (http://keycloak:8080/...), never "
            "localhost inside a container",
        )
    try:
        doc = json.loads(res["body"])
    except ValueError:
        return fail(
            f"{url} did not return JSON ({res.get('content_type') or 'no content type'}: "
            f"{' '.join(res.get('body', '').split())[:80]})",
            "point OIDC_DISCOVERY_URL at /realms/<realm>/.well-known/openid-configuration",
        )
    ctx.memo["discovery"] = doc
    browser = (r.env("keycloak").get("KC_HOSTNAME") or r.keycloak_url()).rstrip("/")
    expected = f"{browser}/realms/{realm_name(ctx)}"
    issuer = doc.get("issuer", "")
    configured = ml.get("OIDC_ISSUER", "")
    auth_host = urlsplit(doc.get("authorization_endpoint", "")).hostname or ""
    if configured and issuer != configured:
        return fail(
            f'the discovery issuer {issuer} differs from OIDC_ISSUER={configured} ("Authorization '
            'response came from an unexpected issuer", bearer tokens refused)',
            f"OIDC_ISSUER={issuer}, or KC_HOSTNAME so that the issuer is {configured}",
        )
    if issuer != expected:
        return fail(
            f"the discovery issuer {issuer} is not the browser-facing URL {expected}",
            f"KC_HOSTNAME={browser} in the keycloak service (a full URL)",
        )
    if auth_host in r.services:
        return fail(
            f"the authorization endpoint sends browsers to {auth_host!r}, a container name "
            f'("{auth_host}\'s DNS address could not be found")',
            f"KC_HOSTNAME={browser}",
        )
    return ok(f"issuer {issuer} is the browser-facing URL")


@check("live.token-endpoints", "Token and JWKS endpoints are reachable from the server", needs=("live.discovery",))
def token_endpoints(ctx: Context) -> Result:
    doc = ctx.memo["discovery"]
    token_url, jwks_url = doc.get("token_endpoint", ""), doc.get("jwks_uri", "")
    where = site(ctx)
    res = where.run(
        [
            where.http(
                token_url, method="POST", data="", headers={"Content-Type": "application/x-www-form-urlencoded"}
            ),
            where.http(jwks_url),
        ]
    )
    bad = []
    if res[0].get("error") or res[0].get("status", 0) >= 500:
        bad.append(f"token endpoint {token_url}: {res[0].get('error') or res[0].get('status')}")
    if res[1].get("status") != 200 or '"keys"' not in res[1].get("body", ""):
        bad.append(f"JWKS {jwks_url}: {res[1].get('error') or res[1].get('status')}")
    if bad:
        return fail(
            f"unreachable {where.label}: {'; '.join(bad)}",
            "KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true in the keycloak service (back-channel URLs follow "
            "the in-network name the server used)",
        )
    return ok(f"token and JWKS endpoints answer {where.label}")


@check("live.groups-claim", "A real token carries the groups the plugin expects", needs=("live.client",))
def groups_claim(ctx: Context) -> Result:
    import requests

    r = ctx.rendered
    ml = r.env("mlflow")
    rep = ctx.memo["client"]
    if not rep.get("serviceAccountsEnabled"):
        return warn(
            "the client has no service account, so the doctor cannot get a real token (the mapper "
            "itself is checked by live.groups-mapper)",
            "enable the client's service account and add it to the users group: `make bootstrap-keycloak`",
        )
    token_url = f"{r.realm_url(realm=realm_name(ctx))}/protocol/openid-connect/token"
    try:
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
        resp = session.post(
            token_url,
            timeout=20,
            verify=r.realm_verify(),
            data={
                "grant_type": "client_credentials",
                "client_id": ml.get("OIDC_CLIENT_ID", ""),
                "client_secret": ml.get("OIDC_CLIENT_SECRET", ""),
                "scope": "openid",
            },
        )
    except requests.RequestException as exc:
        return fail(f"no token from {token_url}: {exc}", "see live.keycloak")
    if resp.status_code != 200:
        return skip(
            f"not checked: the token endpoint refused the client ({resp.status_code} "
            f"{resp.text[:120]}; see live.client-secret)"
        )
    attribute = ml.get("OIDC_GROUPS_ATTRIBUTE", "groups")
    users, admins = plugin_groups(ml)
    fix = "`make bootstrap-keycloak` (groups mapper: claim name, full.path=false, Add to ID token on)"
    bad, which, groups = token_groups(resp.json(), ml, fix)
    if bad:
        return bad
    if set(groups) & set(users + admins):
        return ok(f"a real {which} carries {attribute}={groups}, matching the plugin")
    kc = admin(ctx)

    def exists(name: str) -> bool:
        from keycloak.exceptions import KeycloakGetError

        try:
            return bool(kc.get_group_by_path(f"/{name}"))
        except KeycloakGetError:
            return False

    missing = [g for g in users + admins if not exists(g)]
    if missing:
        return fail(
            f"the plugin admits {missing}, but realm {realm_name(ctx)!r} has no such group (the token "
            f'carries {groups}): "User is not allowed to login"',
            "MLFLOW_USERS_GROUP / MLFLOW_ADMINS_GROUP in .env must name realm groups; "
            "`make bootstrap-keycloak` creates them",
        )
    return warn(
        f"the service account's token carries {attribute}={groups}, none of the plugin's "
        f"{users + admins}; its groups cannot be compared",
        f"add service-account-{ml.get('OIDC_CLIENT_ID')} to {users[0] if users else 'the users group'}",
    )


# --- allowed hosts --------------------------------------------------------------------------


@check("live.sync-users", "The user sync can read Keycloak and MLflow's users", needs=("live.realm", "live.mlflow"))
def sync_users(ctx: Context) -> Result:
    """What the sync-users service needs each run: a token for its own client, Keycloak's
    user listing, and MLflow's admin user listing (docs/security.md)."""
    r = ctx.rendered
    if "sync-users" not in r.services:
        return ok("no sync-users service in the compose file: offboarding is manual")
    env = r.env("sync-users")
    cid, realm = env.get("SYNC_CLIENT_ID", ""), r.realm
    fix = "`make bootstrap-keycloak` creates the sync's client with SYNC_CLIENT_SECRET from .env (docs/security.md)"
    verify = r.realm_verify()  # the local CA behind the HTTPS profile, else the system's
    token = probe.http(
        {
            "url": f"{r.realm_url('127.0.0.1')}/protocol/openid-connect/token",
            "cafile": verify if isinstance(verify, str) else None,
            "method": "POST",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "data": urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": cid,
                    "client_secret": env.get("SYNC_CLIENT_SECRET", ""),
                }
            ),
        }
    )
    if token.get("status") != 200:
        return fail(
            f"Keycloak refuses the sync's client {cid!r} ({token.get('status') or token.get('error')}): users "
            "disabled or deleted in Keycloak keep their MLflow sessions and access tokens",
            fix,
        )
    bearer = {"Authorization": f"Bearer {json.loads(token['body'])['access_token']}"}
    kc = probe.http({"url": f"{r.keycloak_url('127.0.0.1')}/admin/realms/{realm}/users?max=1", "headers": bearer})
    ml = probe.http({"url": f"{r.mlflow_url('127.0.0.1')}/api/2.0/mlflow/users/details", "headers": bearer})
    if kc.get("status") != 200:
        return fail(f"the sync's client {cid!r} may not list the realm's users ({kc.get('status')})", fix)
    if ml.get("status") != 200:
        return fail(
            f"MLflow refuses the sync's admin listing ({ml.get('status')}): its account must be an MLflow "
            "admin (the admins group, OIDC_TRUST_BEARER_GROUP_CLAIMS=true)",
            fix + "; an MLflow admin can also make service-account-" + cid + " an admin",
        )
    every = r.command("sync-users")
    interval = every[every.index("--every") + 1] if "--every" in every else "?"
    return ok(f"the sync's client {cid!r} reads Keycloak's and MLflow's users; it runs every {interval} s")


@check("live.allowed-hosts", "MLflow accepts the Host headers in use", needs=("live.mlflow",))
def live_allowed_hosts(ctx: Context) -> Result:
    r = ctx.rendered
    browser, internal = hosts_in_use(ctx)
    # /static-files is served by MLflow's Flask app (where the host check lives) without
    # authentication, so a refused Host header shows as 403 instead of the plugin's 401.
    url = r.mlflow_url("127.0.0.1") + "/static-files/doctor-host-probe"
    res = probe.run([{"kind": "http", "url": url, "headers": {"Host": h}} for h in browser])
    if internal:
        res += site(ctx).run([{"kind": "http", "url": f"http://{h}/static-files/doctor-host-probe"} for h in internal])
    refused = [
        h
        for h, x in zip(browser + internal, res)
        if x.get("status") == 403 and "Invalid Host header" in x.get("body", "")
    ]
    if refused:
        patterns = allowed_hosts(ctx) or []
        return fail(
            f'MLflow refuses Host {", ".join(refused)} (403 "Invalid Host header"; allowed: {",".join(patterns)})',
            f"add them, with the port, to --allowed-hosts in the mlflow command (e.g. {','.join(browser + internal)})",
        )
    return ok(f"MLflow accepts Host {', '.join(browser + internal)}")


__all__ = ["State", "Site", "states", "StackError"]


# --- the HTTPS profile (compose/proxy.yml) -------------------------------------------------


def _public_session(ctx: Context):
    """A client on this host, as a browser here would reach the public URL: it trusts the
    bundle's local CA when the proxy serves the bundle's certificate, else the system's CAs."""
    import requests

    from ..runtime import tls

    s = requests.Session()
    s.trust_env = False
    s.verify = tls.public_verify(ctx.rendered)
    return s


@check("live.https-certificate", "The proxy's certificate is valid for the public hostname", needs=("live.mlflow",))
def https_certificate(ctx: Context) -> Result:
    import datetime
    import socket
    import ssl

    r = ctx.rendered
    if not r.proxied:
        return ok("the HTTPS profile is off (PUBLIC_URL is empty): nothing to check")
    parts = urlsplit(r.public_url or "")
    host = parts.hostname or ""
    verify = _public_session(ctx).verify
    context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
    trusted = f"the bundle's CA ({verify})" if isinstance(verify, str) else "the system's CAs"
    published = r.ports("proxy")[0]
    try:
        with (
            socket.create_connection(
                (published.host_ip if published.host_ip != "0.0.0.0" else LOOPBACK, published.published), timeout=10
            ) as raw,
            context.wrap_socket(raw, server_hostname=host) as conn,
        ):
            cert: Any = conn.getpeercert() or {}
    except ssl.SSLCertVerificationError as exc:
        return fail(
            f"the proxy's certificate does not verify for {host} against {trusted}: {exc.verify_message}",
            "leave TLS_CERT_FILE/TLS_KEY_FILE unset for a certificate from the bundle's CA (`make up` "
            f"issues it for {host}), or give a chain and key valid for {host}",
        )
    except OSError as exc:
        return fail(f"nothing answers TLS on {r.public_url}: {exc}", "`make ps`: is the proxy service running?")
    until = datetime.datetime.fromtimestamp(ssl.cert_time_to_seconds(str(cert["notAfter"])), datetime.UTC)
    days = (until - datetime.datetime.now(datetime.UTC)).days
    if days < 30:
        return warn(
            f"the certificate for {host} expires in {days} days ({until:%Y-%m-%d})",
            "renew it (`make up` renews the bundle's own 30 days ahead; your own: replace TLS_CERT_FILE)",
        )
    issuer = {k: v for rdn in cert.get("issuer", ()) for k, v in rdn}  # ((("commonName", "x"),), ...)
    tls_hint = " (make tls-ca prints the CA to trust)" if isinstance(verify, str) else ""
    return ok(
        f"{r.public_url} presents a certificate for {host} from {issuer.get('commonName', '?')}, "
        f"valid until {until:%Y-%m-%d}{tls_hint}"
    )


@check(
    "live.https-login",
    "Through the proxy: the issuer, the login redirect and Secure cookies",
    needs=("live.https-certificate",),
)
def https_login(ctx: Context) -> list[Result]:
    import requests

    r = ctx.rendered
    if not r.proxied:
        return [ok("the HTTPS profile is off (PUBLIC_URL is empty): nothing to check")]
    s = _public_session(ctx)
    public, mlflow = r.public_url, r.browser_mlflow_url()
    realm = realm_name(ctx)
    issuer = f"{public}{r.keycloak_path}/realms/{realm}"
    out: list[Result] = []
    try:
        doc = s.get(f"{issuer}/.well-known/openid-configuration", timeout=20)
        got = doc.json().get("issuer") if doc.status_code == 200 else None
        if got != issuer:
            out.append(
                fail(
                    f"{issuer}/.well-known/openid-configuration answered {doc.status_code} with issuer {got}: "
                    f"the issuer must be the public URL plus {r.keycloak_path}/realms/{realm}",
                    f"KC_HOSTNAME={public}{r.keycloak_path} and KC_HTTP_RELATIVE_PATH={r.keycloak_path} "
                    "(compose/proxy.yml sets both)",
                )
            )
        login = s.get(f"{mlflow}/login", timeout=20, allow_redirects=False)
    except (requests.RequestException, ValueError) as exc:
        return [fail(f"could not reach {public} through the proxy: {exc}", "`make ps`, `make logs SERVICE=proxy`")]
    where = login.headers.get("Location", "")
    from urllib.parse import parse_qs

    redirect = (parse_qs(urlsplit(where).query).get("redirect_uri") or [""])[0]
    if login.status_code not in (302, 303, 307) or not where.startswith(f"{issuer}/"):
        out.append(
            fail(
                f"{mlflow}/login answered {login.status_code} to {where or 'nowhere'}, not to {issuer}/...",
                "TRUSTED_PROXIES must hold the proxy's address (compose/proxy.yml); see static.https-profile",
            )
        )
    elif redirect != f"{mlflow}/callback":
        out.append(
            fail(
                f"the login asks Keycloak to come back to {redirect}, not under {mlflow}/",
                f"OIDC_REDIRECT_URI={mlflow}/callback, registered on the client (`make bootstrap-keycloak`)",
            )
        )
    insecure = [c.name for c in login.cookies if not c.secure]
    if insecure:
        out.append(
            fail(
                f"cookies without Secure over HTTPS: {', '.join(insecure)}",
                "SESSION_COOKIE_SECURE=true in the mlflow service (compose/proxy.yml sets it)",
            )
        )
    return out or [ok(f"issuer {issuer}; /login goes to Keycloak and back to {mlflow}/callback; cookies are Secure")]

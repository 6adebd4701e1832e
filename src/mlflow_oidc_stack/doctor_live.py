"""Live doctor checks: the running stack.

Reachability is measured from where the MLflow server runs, because that is where the
failures happen ("Connection refused" to localhost from a container): on the host for the
native stack, inside the mlflow container for Compose (`docker compose exec mlflow
python -c ...`). Both run the same probe code, PROBE_SOURCE, which needs only the standard
library (and psycopg2, which the server has anyway). Keycloak's admin API and the browser
URLs are checked from the host, where the user and the browser are.

The Compose path cannot run in this repository's tests (no Docker engine here); its probes
are the same function the native tests exercise, only executed in the container.
"""

from __future__ import annotations

import base64
import json
import subprocess
from urllib.parse import urlsplit

from .compose import base_command
from .doctor import Context, Result, fail, ok, skip, warn
from .doctor_static import (LOOPBACK_HOSTS, allowed_hosts,
                            hosts_in_use, plugin_groups, scopes)

# Runs in-process (native) or as `python -c` in the mlflow container (compose). Input: a JSON
# list of probe specs; output: a JSON list of results, one per spec.
PROBE_SOURCE = r'''
import json, socket, sys, urllib.error, urllib.parse, urllib.request

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

def _http(spec):
    data = spec.get("data")
    req = urllib.request.Request(spec["url"], method=spec.get("method", "GET"),
                                 data=data.encode() if data is not None else None,
                                 headers=spec.get("headers") or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        resp = opener.open(req, timeout=spec.get("timeout", 5))
    except urllib.error.HTTPError as e:
        resp = e
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, getattr(e, "reason", e))}
    body = resp.read(20000).decode("utf-8", "replace")
    return {"status": resp.status if hasattr(resp, "status") else resp.code,
            "content_type": resp.headers.get("Content-Type", ""),
            "location": resp.headers.get("Location", ""), "body": body}

def _tcp(spec):
    try:
        socket.create_connection((spec["host"], int(spec["port"])), timeout=spec.get("timeout", 3)).close()
        return {"ok": True}
    except Exception as e:
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}

def _redis(spec):
    u = urllib.parse.urlsplit(spec["url"])
    password = urllib.parse.unquote(u.password or "")
    try:
        s = socket.create_connection((u.hostname, u.port or 6379), timeout=3)
    except Exception as e:
        return {"ok": False, "connected": False, "error": "%s: %s" % (type(e).__name__, e)}
    with s:
        def cmd(*parts):
            s.sendall(("*%d\r\n" % len(parts)).encode() + b"".join(
                ("$%d\r\n" % len(p.encode())).encode() + p.encode() + b"\r\n" for p in parts))
            return s.recv(512).decode("utf-8", "replace").strip()
        if password:
            reply = cmd("AUTH", u.username, password) if u.username else cmd("AUTH", password)
            if not reply.startswith("+OK"):
                return {"ok": False, "connected": True, "error": reply}
        reply = cmd("PING")
        return {"ok": reply.startswith("+PONG"), "connected": True, "error": "" if reply.startswith("+PONG") else reply}

def _pg(spec):
    try:
        import psycopg2
    except ImportError as e:
        return {"ok": False, "error": "psycopg2 is not installed where the server runs: %s" % e}
    try:
        psycopg2.connect(host=spec["host"], port=spec["port"], user=spec["user"],
                         password=spec["password"], dbname=spec["dbname"], connect_timeout=5).close()
        return {"ok": True}
    except Exception as e:
        return {"ok": False, "error": " ".join(str(e).split())}

def run(specs):
    kinds = {"http": _http, "tcp": _tcp, "redis": _redis, "pg": _pg}
    return [kinds[s["kind"]](s) for s in specs]

if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
'''

_NS: dict = {"__name__": "doctor_probe"}
exec(compile(PROBE_SOURCE, "<doctor probe>", "exec"), _NS)
run_probes_here = _NS["run"]


class Where:
    """Runs probes where the MLflow server runs, and says how that place names services."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.r = ctx.rendered

    def url(self, value: str) -> str:
        """A URL as the server dials it: natively, service names become loopback."""
        if self.ctx.in_container:
            return value
        from .native import to_loopback

        return to_loopback(value, self.r)

    def address(self, service: str) -> tuple[str, int]:
        port = self.r.internal_port(service)
        if self.ctx.in_container:
            return service, port
        from .native import LOOPBACK, native_port

        return LOOPBACK, native_port(self.r, service, port)

    def run(self, specs: list[dict]) -> list[dict]:
        if not self.ctx.in_container:
            return run_probes_here(specs)
        cmd = base_command(self.ctx.env_file, compose_file=self.ctx.compose_file) + [
            "exec", "-T", "mlflow", "python", "-c", PROBE_SOURCE]
        try:
            proc = subprocess.run(cmd, input=json.dumps(specs), capture_output=True, text=True,
                                  timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [{"error": f"docker compose exec mlflow failed: {exc}", "ok": False}] * len(specs)
        if proc.returncode != 0:
            why = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no output"]
            return [{"error": f"cannot run inside the mlflow container: {why[0]}", "ok": False}] * len(specs)
        return json.loads(proc.stdout)

    def one(self, spec: dict) -> dict:
        return self.run([spec])[0]

    @property
    def label(self) -> str:
        return "from inside the mlflow container" if self.ctx.in_container else "from this host"

    def service_hint(self, service: str) -> str:
        if self.ctx.in_container:
            return (f"`docker compose ps {service}` and `docker compose logs {service}`; "
                    "`make up` starts what is missing")
        return f"`make ps` and `make logs SERVICES={service}`; `make up` starts what is missing"


def _jwt_payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def compose_states(ctx: Context) -> dict[str, dict]:
    """`docker compose ps --all --format json`, by service (compose mode only)."""
    proc = subprocess.run(base_command(ctx.env_file, compose_file=ctx.compose_file)
                          + ["ps", "--all", "--format", "json"], capture_output=True, text=True)
    if proc.returncode != 0:
        return {}
    text = proc.stdout.strip()
    rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l]
    return {row.get("Service"): row for row in rows}


# --- the checks -----------------------------------------------------------------------

class Live:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.r = ctx.rendered
        self.where = Where(ctx)
        self.ml = self.r.env("mlflow")
        self.results: list[Result] = []
        self.up: dict[str, bool] = {}
        self.admin = None
        self.client: dict | None = None
        self.discovery: dict | None = None

    def add(self, result: Result) -> None:
        self.results.append(result)

    @property
    def realm(self) -> str:
        path = urlsplit(self.ml.get("OIDC_DISCOVERY_URL", "")).path
        parts = path.split("/")
        return parts[parts.index("realms") + 1] if "realms" in parts[:-1] else self.r.realm

    # services ------------------------------------------------------------------------
    def services(self) -> None:
        states = compose_states(self.ctx) if self.ctx.in_container else {}
        specs = []
        for svc in ("postgres", "redis"):
            host, port = self.where.address(svc)
            specs.append({"kind": "tcp", "host": host, "port": port})
        res = self.where.run(specs)
        for svc, result in zip(("postgres", "redis"), res):
            host, port = self.where.address(svc)
            state = states.get(svc, {})
            if result.get("ok"):
                self.up[svc] = True
                self.add(ok(f"live.{svc}", f"{svc} accepts connections at {host}:{port} {self.where.label}"))
            else:
                self.up[svc] = False
                extra = f" (container {state.get('State')}, {state.get('Status', '')})" if state else ""
                self.add(fail(f"live.{svc}", f"nothing answers at {host}:{port} {self.where.label}{extra}: "
                                             f"{result.get('error', '')}", self.where.service_hint(svc)))
        # Keycloak and MLflow: their published ports, from the host (where the browser is).
        kc = run_probes_here([
            {"kind": "http", "url": self.r.keycloak_management_url() + "/health/ready"},
            {"kind": "http", "url": self.r.keycloak_url("127.0.0.1") + "/realms/master"}])
        state = states.get("keycloak", {})
        extra = f" (container {state.get('State')}, {state.get('Status', '')})" if state else ""
        if kc[0].get("status") == 200 and kc[1].get("status") == 200:
            self.up["keycloak"] = True
            self.add(ok("live.keycloak", f"Keycloak is ready: {self.r.keycloak_url()} and "
                                         f"{self.r.keycloak_management_url()}/health/ready answer"))
        else:
            self.up["keycloak"] = False
            bad = kc[0] if kc[0].get("status") != 200 else kc[1]
            what = bad.get("error") or f"HTTP {bad.get('status')}"
            self.add(fail("live.keycloak", f"Keycloak is not ready on its published ports{extra}: {what}",
                          self.where.service_hint("keycloak") + "; Keycloak needs ~60-90 s to start"))
        ml = run_probes_here([{"kind": "http", "url": self.r.mlflow_url("127.0.0.1") + "/health/ready"}])[0]
        state = states.get("mlflow", {})
        extra = f" (container {state.get('State')}, {state.get('Status', '')})" if state else ""
        if ml.get("status") == 200:
            self.up["mlflow"] = True
            self.add(ok("live.mlflow", f"MLflow is ready at {self.r.mlflow_url()}"))
        else:
            self.up["mlflow"] = False
            what = ml.get("error") or f"HTTP {ml.get('status')}: {ml.get('body', '')[:200]}"
            self.add(fail("live.mlflow", f"MLflow does not answer at {self.r.mlflow_url()}/health/ready"
                                         f"{extra}: {what} (server not running, wrong port, or exited)",
                          self.where.service_hint("mlflow") + f"; the port is MLFLOW_PORT="
                          f"{self.r.published('mlflow', self.r.internal_port('mlflow')).published}"))

    # database and redis ----------------------------------------------------------------
    def db_login(self) -> None:
        cid = "live.db-login"
        if not self.up.get("postgres"):
            return self.add(skip(cid, "not checked: PostgreSQL is down (see live.postgres)"))
        logins = []
        for name in ("MLFLOW_BACKEND_STORE_URI", "OIDC_USERS_DB_URI"):
            uri = self.ml.get(name, "")
            if uri.startswith("postgres"):
                u = urlsplit(self.where.url(uri))
                from urllib.parse import unquote

                logins.append((f"mlflow {name}", {"kind": "pg", "host": u.hostname, "port": u.port or 5432,
                                                  "user": unquote(u.username or ""),
                                                  "password": unquote(u.password or ""),
                                                  "dbname": u.path.lstrip("/")}))
        kc = self.r.env("keycloak")
        if kc.get("KC_DB_URL", "").startswith("jdbc:postgresql://"):
            u = urlsplit(self.where.url(kc["KC_DB_URL"].removeprefix("jdbc:")))
            logins.append(("keycloak KC_DB_URL", {"kind": "pg", "host": u.hostname, "port": u.port or 5432,
                                                  "user": kc.get("KC_DB_USERNAME", ""),
                                                  "password": kc.get("KC_DB_PASSWORD", ""),
                                                  "dbname": u.path.lstrip("/").split("?")[0]}))
        results = self.where.run([spec for _, spec in logins])
        bad = [(what, res["error"]) for (what, _), res in zip(logins, results) if not res.get("ok")]
        if not bad:
            return self.add(ok(cid, f"{len(logins)} database logins work {self.where.label}"))
        what, error = bad[0]
        if "password authentication failed" in error:
            fix = ("the data directory keeps the password of its first start: set POSTGRES_PASSWORD in .env "
                   "back to it, or change it in PostgreSQL (ALTER USER ... PASSWORD ...)")
        elif "does not exist" in error:
            fix = "create the database (compose/postgres/init-databases.sh runs only on the first start)"
        else:
            fix = "check the address and credentials in " + what
        self.add(fail(cid, f"{what}: {error}", fix))

    def redis_auth(self) -> None:
        cid = "live.redis-auth"
        if not self.up.get("redis"):
            return self.add(skip(cid, "not checked: Redis is down (see live.redis)"))
        if self.ml.get("CACHE_BACKEND", "local").lower() == "redis" and self.ml.get("CACHE_REDIS_URL"):
            url, what = self.where.url(self.ml["CACHE_REDIS_URL"]), "CACHE_REDIS_URL"
        else:
            host, port = self.where.address("redis")
            from urllib.parse import quote

            url = f"redis://:{quote(self.r.env('redis').get('CACHE_REDIS_PASSWORD', ''), safe='')}@{host}:{port}/0"
            what = "CACHE_REDIS_PASSWORD"
        res = self.where.one({"kind": "redis", "url": url})
        if res.get("ok"):
            return self.add(ok(cid, f"Redis accepts {what} (AUTH + PING) {self.where.label}"))
        self.add(fail(cid, f"Redis refused {what}: {res.get('error')}",
                      "CACHE_REDIS_PASSWORD in .env is the one value for redis-server and CACHE_REDIS_URL; "
                      "restart both after changing it (`make down && make up`)"))

    # keycloak ---------------------------------------------------------------------------
    def keycloak_admin(self) -> bool:
        if not self.up.get("keycloak"):
            for cid in ("live.realm", "live.ssl-required", "live.client", "live.client-secret",
                        "live.redirect-uri", "live.scopes", "live.groups-mapper"):
                self.add(skip(cid, "not checked: Keycloak is not ready (see live.keycloak)"))
            return False
        from keycloak.exceptions import KeycloakError

        from .oidc import keycloak_admin

        try:
            self.admin = keycloak_admin(self.r, realm=self.realm)
            self.admin.get_realms()
        except KeycloakError as exc:
            self.add(fail("live.realm", f"the Keycloak admin {self.r.env('keycloak').get('KC_BOOTSTRAP_ADMIN_USERNAME')}"
                                        f" cannot log in: {str(exc)[:160]}",
                          "KC_BOOTSTRAP_ADMIN_PASSWORD applies only on Keycloak's first start: set it in .env to "
                          "the admin's current password"))
            for cid in ("live.ssl-required", "live.client", "live.client-secret", "live.redirect-uri",
                        "live.scopes", "live.groups-mapper"):
                self.add(skip(cid, "not checked: no admin API access (see live.realm)"))
            return False
        return True

    def realm_checks(self) -> None:
        from keycloak.exceptions import KeycloakError

        try:
            realm = self.admin.get_realm(self.realm)
        except KeycloakError:
            self.add(fail("live.realm", f"Keycloak has no realm {self.realm!r} (OIDC_DISCOVERY_URL names it)",
                          "`make bootstrap-keycloak` creates it; or set KEYCLOAK_REALM in .env to an "
                          "existing realm"))
            for cid in ("live.ssl-required", "live.client", "live.client-secret", "live.redirect-uri",
                        "live.scopes", "live.groups-mapper"):
                self.add(skip(cid, f"not checked: no realm {self.realm!r} (see live.realm)"))
            return
        self.add(ok("live.realm", f"realm {self.realm!r} exists" + ("" if realm.get("enabled", True)
                                                                     else " (disabled!)")))
        self.ssl_required(realm.get("sslRequired", "external"))
        self.client_checks()

    def ssl_required(self, mode: str) -> None:
        cid = "live.ssl-required"
        urls = [self.r.env("keycloak").get("KC_HOSTNAME") or self.r.keycloak_url(),
                self.where.url(self.ml.get("OIDC_DISCOVERY_URL", ""))]
        http = [u for u in urls if u.startswith("http://")]
        fix = (f"set the realm's sslRequired to none for plain-HTTP development "
               f"(Realm settings > General > Require SSL), or serve Keycloak over HTTPS; "
               f"`make bootstrap-keycloak` sets what keycloak/realm-export.json says")
        if mode == "all" and http:
            return self.add(fail(cid, f"realm sslRequired=all, but {http[0]} is plain HTTP "
                                      "(\"HTTPS required\")", fix))
        if mode == "external":
            public = [u for u in http if not _private(urlsplit(u).hostname or "")]
            if public:
                return self.add(warn(cid, f"realm sslRequired=external: browsers that reach {public[0]} "
                                          "from a public address get \"HTTPS required\"", fix))
        self.add(ok(cid, f"realm sslRequired={mode} fits {', '.join(http) or 'HTTPS URLs'}"))

    def client_checks(self) -> None:
        client_id = self.ml.get("OIDC_CLIENT_ID", "")
        uuid = self.admin.get_client_id(client_id)
        if not uuid:
            self.add(fail("live.client", f"realm {self.realm!r} has no client {client_id!r} (\"Client not "
                                         "found\"): OIDC_CLIENT_ID is stale, or the realm predates it",
                          "`make bootstrap-keycloak` creates it; or set MLFLOW_CLIENT_ID in .env to the "
                          "client that exists"))
            for cid in ("live.client-secret", "live.redirect-uri", "live.scopes", "live.groups-mapper"):
                self.add(skip(cid, f"not checked: no client {client_id!r} (see live.client)"))
            return
        client = self.client = self.admin.get_client(uuid)
        problems = []
        if not client.get("enabled", True):
            problems.append("it is disabled")
        if not client.get("standardFlowEnabled", True):
            problems.append("the standard (authorization code) flow is off")
        if client.get("publicClient") and self.ml.get("OIDC_PUBLIC_CLIENT", "").lower() not in ("true", "1", "t"):
            problems.append("it is public, but the plugin sends a client secret")
        if problems:
            self.add(fail("live.client", f"client {client_id!r}: {'; '.join(problems)}",
                          "`make bootstrap-keycloak` (sets the client as keycloak/realm-export.json says)"))
        else:
            self.add(ok("live.client", f"client {client_id!r} exists, enabled, confidential, code flow on"))
        # secret
        cid = "live.client-secret"
        try:
            secret = self.admin.get_client_secrets(uuid).get("value")
        except Exception:
            secret = client.get("secret")
        if secret and secret != self.ml.get("OIDC_CLIENT_SECRET"):
            self.add(fail(cid, f"Keycloak's secret for client {client_id!r} differs from OIDC_CLIENT_SECRET "
                               "(the code exchange fails: unauthorized_client)",
                          "`make bootstrap-keycloak` sets it from MLFLOW_CLIENT_SECRET in .env; or copy "
                          "Keycloak's secret into MLFLOW_CLIENT_SECRET and restart mlflow"))
        else:
            self.add(ok(cid, "Keycloak's client secret equals OIDC_CLIENT_SECRET"))
        self.redirect_uri(client)
        self.scopes(uuid)
        self.groups_mapper(uuid)

    def redirect_uri(self, client: dict) -> None:
        cid = "live.redirect-uri"
        registered = client.get("redirectUris") or []
        configured = self.ml.get("OIDC_REDIRECT_URI", "")
        wanted = [configured] if configured else [
            self.r.mlflow_url(h) + "/callback" for h in ("localhost", "127.0.0.1")]
        fix_uris = ", ".join(wanted)
        fix = (f"add {fix_uris} to the client's Valid redirect URIs: `make bootstrap-keycloak` "
               "(or Clients > ... > Valid redirect URIs)")
        missing = [u for u in wanted if u not in registered]
        if not missing:
            return self.add(ok(cid, f"{fix_uris} registered"))
        wild = [u for u in missing if any(r.endswith("*") and u.startswith(r[:-1]) for r in registered)]
        if len(wild) == len(missing):
            return self.add(warn(cid, f"{', '.join(wild)} matches only a wildcard in {registered}",
                                 f"register {', '.join(wild)} exactly: `make bootstrap-keycloak`"))
        self.add(fail(cid, f"{', '.join(missing)} is not among the client's redirect URIs {registered} "
                           "(\"Invalid parameter: redirect_uri\")", fix))

    def scopes(self, uuid: str) -> None:
        cid = "live.scopes"
        available = {s["name"] for s in self.admin.get_client_default_client_scopes(uuid)}
        available |= {s["name"] for s in self.admin.get_client_optional_client_scopes(uuid)}
        wanted = [s for s in scopes(self.ml) if s != "openid"]
        if self.ml.get("OIDC_USE_REFRESH_TOKEN", "").lower() in ("true", "1", "t"):
            wanted.append("offline_access")  # the plugin adds it
        missing = [s for s in wanted if s not in available]
        if missing:
            return self.add(fail(cid, f"client lacks scopes {', '.join(missing)} (\"Invalid scopes: "
                                      f"{' '.join(['openid', *wanted])}\")",
                                 f"remove {', '.join(missing)} from OIDC_SCOPE, or assign those client "
                                 "scopes to the client (Clients > Client scopes)"))
        self.add(ok(cid, f"the client offers {', '.join(wanted) or 'openid'}"))

    def groups_mapper(self, uuid: str) -> None:
        cid = "live.groups-mapper"
        attribute = self.ml.get("OIDC_GROUPS_ATTRIBUTE", "groups")
        mappers = [m for m in self.admin.get_mappers_from_client(uuid)
                   if m.get("protocolMapper") == "oidc-group-membership-mapper"]
        if not mappers:  # a client scope may carry it instead
            for scope in self.admin.get_client_default_client_scopes(uuid):
                try:
                    mappers += [m for m in self.admin.get_mappers_from_client_scope(scope["id"])
                                if m.get("protocolMapper") == "oidc-group-membership-mapper"]
                except Exception:
                    pass
        mine = [m for m in mappers if (m.get("config") or {}).get("claim.name") == attribute]
        fix = "`make bootstrap-keycloak` (restores the groups mapper of keycloak/realm-export.json)"
        if not mine:
            claims = [(m.get("config") or {}).get("claim.name") for m in mappers]
            return self.add(fail(cid, f"no group-membership mapper writes claim {attribute!r} "
                                      f"(found {claims or 'none'}): logins get no groups",
                                 fix + f", or OIDC_GROUPS_ATTRIBUTE={claims[0]}" if claims else fix))
        cfg = mine[0].get("config") or {}
        if cfg.get("id.token.claim") != "true":
            return self.add(fail(cid, f"mapper {mine[0].get('name')!r} leaves groups out of the ID token "
                                      "(\"Add to ID token\" is off); the plugin reads groups from there",
                                 fix + ", or switch \"Add to ID token\" on"))
        if cfg.get("full.path", "true") != "false":
            return self.add(fail(cid, f"mapper {mine[0].get('name')!r} sends full paths (/mlflow-users) "
                                      "(\"Full group path\" is on)",
                                 fix + ", or switch \"Full group path\" off"))
        self.add(ok(cid, f"mapper {mine[0].get('name')!r}: claim {attribute!r}, plain names, in the ID token"))

    # discovery, endpoints, token --------------------------------------------------------
    def discovery_checks(self) -> None:
        cid = "live.discovery"
        url = self.ml.get("OIDC_DISCOVERY_URL", "")
        if not url:
            self.add(skip(cid, "not checked: OIDC_DISCOVERY_URL is unset (see static.discovery-url)"))
            self.add(skip("live.token-endpoints", "not checked: no discovery document"))
            return
        res = self.where.one({"kind": "http", "url": self.where.url(url)})
        if res.get("status") != 200:
            what = res.get("error") or f"HTTP {res.get('status')}"
            self.add(fail(cid, f"the server cannot fetch {url} {self.where.label}: {what}",
                          "OIDC_DISCOVERY_URL must use the in-network name (http://keycloak:8080/...), "
                          "never localhost inside a container"))
            self.add(skip("live.token-endpoints", "not checked: no discovery document (see live.discovery)"))
            return
        try:
            doc = self.discovery = json.loads(res["body"])
        except ValueError:
            self.add(fail(cid, f"{url} did not return JSON", "point OIDC_DISCOVERY_URL at "
                                                             "/realms/<realm>/.well-known/openid-configuration"))
            return
        browser = (self.r.env("keycloak").get("KC_HOSTNAME") or self.r.keycloak_url()).rstrip("/")
        expected = f"{browser}/realms/{self.realm}"
        issuer = doc.get("issuer", "")
        configured = self.ml.get("OIDC_ISSUER", "")
        auth_host = urlsplit(doc.get("authorization_endpoint", "")).hostname or ""
        if configured and issuer != configured:
            self.add(fail(cid, f"the discovery issuer {issuer} differs from OIDC_ISSUER={configured} "
                               "(\"Authorization response came from an unexpected issuer\", bearer tokens "
                               "refused)", f"OIDC_ISSUER={issuer}, or KC_HOSTNAME so that the issuer is "
                                           f"{configured}"))
        elif issuer != expected:
            self.add(fail(cid, f"the discovery issuer {issuer} is not the browser-facing URL {expected}",
                          f"KC_HOSTNAME={browser} in the keycloak service (a full URL)"))
        elif auth_host in self.r.services:
            self.add(fail(cid, f"the authorization endpoint sends browsers to {auth_host!r}, a container "
                               f"name (\"{auth_host}'s DNS address could not be found\")",
                          f"KC_HOSTNAME={browser}"))
        else:
            self.add(ok(cid, f"issuer {issuer} is the browser-facing URL"))
        self.token_endpoints(doc)

    def token_endpoints(self, doc: dict) -> None:
        cid = "live.token-endpoints"
        token_url, jwks_url = doc.get("token_endpoint", ""), doc.get("jwks_uri", "")
        res = self.where.run([{"kind": "http", "url": token_url, "method": "POST", "data": "",
                               "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
                              {"kind": "http", "url": jwks_url}])
        bad = []
        if res[0].get("error") or res[0].get("status", 0) >= 500:
            bad.append(f"token endpoint {token_url}: {res[0].get('error') or res[0].get('status')}")
        if res[1].get("status") != 200 or '"keys"' not in res[1].get("body", ""):
            bad.append(f"JWKS {jwks_url}: {res[1].get('error') or res[1].get('status')}")
        if bad:
            return self.add(fail(cid, f"unreachable {self.where.label}: {'; '.join(bad)}",
                                 "KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true in the keycloak service (back-channel "
                                 "URLs follow the in-network name the server used)"))
        self.add(ok(cid, f"token and JWKS endpoints answer {self.where.label}"))

    def groups_claim(self) -> None:
        cid = "live.groups-claim"
        if not (self.up.get("keycloak") and self.client):
            return self.add(skip(cid, "not checked: needs Keycloak and the client (see above)"))
        if not self.client.get("serviceAccountsEnabled"):
            return self.add(warn(cid, "the client has no service account, so the doctor cannot get a real "
                                      "token (the mapper itself is checked by live.groups-mapper)",
                                 "enable the client's service account and add it to the users group: "
                                 "`make bootstrap-keycloak`"))
        import requests

        token_url = f"{self.r.keycloak_url()}/realms/{self.realm}/protocol/openid-connect/token"
        try:
            resp = requests.post(token_url, timeout=20, data={
                "grant_type": "client_credentials", "client_id": self.ml.get("OIDC_CLIENT_ID", ""),
                "client_secret": self.ml.get("OIDC_CLIENT_SECRET", ""), "scope": "openid"})
        except requests.RequestException as exc:
            return self.add(fail(cid, f"no token from {token_url}: {exc}", "see live.keycloak"))
        if resp.status_code != 200:
            return self.add(skip(cid, f"not checked: the token endpoint refused the client "
                                      f"({resp.status_code} {resp.text[:120]}; see live.client-secret)"))
        body = resp.json()
        which = "ID token" if body.get("id_token") else "access token"
        claims = _jwt_payload(body.get("id_token") or body["access_token"])
        attribute = self.ml.get("OIDC_GROUPS_ATTRIBUTE", "groups")
        users, admins = plugin_groups(self.ml)
        fix = "`make bootstrap-keycloak` (groups mapper: claim name, full.path=false, Add to ID token on)"
        if attribute not in claims:
            return self.add(fail(cid, f"a real {which} has no {attribute!r} claim: \"User is not allowed to "
                                      f"login\" (older plugins: \"Group detection error: '{attribute}'\")", fix))
        groups = claims[attribute] if isinstance(claims[attribute], list) else [claims[attribute]]
        paths = [g for g in groups if isinstance(g, str) and g.startswith("/")]
        if paths:
            return self.add(fail(cid, f"the {which} carries group paths {paths}, which never equal the "
                                      f"plugin's names {users + admins}", fix + ", or switch \"Full group "
                                                                              "path\" off"))
        if set(groups) & set(users + admins):
            return self.add(ok(cid, f"a real {which} carries {attribute}={groups}, matching the plugin"))
        missing = [g for g in users + admins if not self._group_exists(g)]
        if missing:
            return self.add(fail(cid, f"the plugin admits {missing}, but realm {self.realm!r} has no such "
                                      f"group (the token carries {groups}): \"User is not allowed to login\"",
                                 "MLFLOW_USERS_GROUP / MLFLOW_ADMINS_GROUP in .env must name realm groups; "
                                 "`make bootstrap-keycloak` creates them"))
        self.add(warn(cid, f"the service account's token carries {attribute}={groups}, none of the plugin's "
                           f"{users + admins}; its groups cannot be compared",
                      f"add service-account-{self.ml.get('OIDC_CLIENT_ID')} to {users[0] if users else 'the users group'}"))

    def _group_exists(self, name: str) -> bool:
        try:
            return bool(self.admin and self.admin.get_group_by_path(f"/{name}"))
        except Exception:
            return False

    # allowed hosts -----------------------------------------------------------------------
    def allowed_hosts(self) -> None:
        cid = "live.allowed-hosts"
        if not self.up.get("mlflow"):
            return self.add(skip(cid, "not checked: MLflow is down (see live.mlflow)"))
        browser, internal = hosts_in_use(self.ctx)
        # /static-files is served by MLflow's Flask app (where the host check lives) without
        # authentication, so a refused Host header shows as 403 instead of the plugin's 401.
        url = self.r.mlflow_url("127.0.0.1") + "/static-files/doctor-host-probe"
        res = run_probes_here([{"kind": "http", "url": url, "headers": {"Host": h}} for h in browser])
        if internal:
            res += self.where.run([{"kind": "http", "url": f"http://{h}/static-files/doctor-host-probe"}
                                   for h in internal])
        refused = [h for h, r in zip(browser + internal, res)
                   if r.get("status") == 403 and "Invalid Host header" in r.get("body", "")]
        if refused:
            patterns = allowed_hosts(self.ctx) or []
            return self.add(fail(cid, f"MLflow refuses Host {', '.join(refused)} (403 \"Invalid Host header\"; "
                                      f"allowed: {','.join(patterns)})",
                                 "add them, with the port, to --allowed-hosts in the mlflow command "
                                 f"(e.g. {','.join(browser + internal)})"))
        self.add(ok(cid, f"MLflow accepts Host {', '.join(browser + internal)}"))

    def run(self) -> list[Result]:
        self.services()
        self.db_login()
        self.redis_auth()
        if self.keycloak_admin():
            self.realm_checks()
        self.discovery_checks()
        self.groups_claim()
        self.allowed_hosts()
        return self.results


def _private(host: str) -> bool:
    import ipaddress

    if host in LOOPBACK_HOSTS:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback


def run(ctx: Context) -> list[Result]:
    return Live(ctx).run()

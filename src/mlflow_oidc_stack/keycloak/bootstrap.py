"""`make bootstrap-keycloak`: converge a Keycloak realm to what MLflow needs.

The desired state is keycloak/realm-export.json itself, with its `${...}` placeholders
resolved from the keycloak service's environment as `docker compose config` renders it:
the same file and the same values that Keycloak's `--import-realm` uses. So a realm made
by the import and a realm made (or repaired) by this script cannot drift apart; the
options below only switch what the issue makes optional (direct grants, machine access,
demo users). Nothing here keeps a second copy of a name or a value.

The run reads everything first (so a wrong password, an unreachable Keycloak or an admin
without rights fails before any change), then prints and applies the plan item by item.
Exit codes: 0 done or already conforming, 2 changes pending (`--dry-run`), 1 an error,
64 a usage error (kept apart from 2 so a typo never looks like drift in CI).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import COMPOSE_FILE, REALM_FILE, ROOT, StackError
from ..config import envfile
from ..config.facts import Rendered, resolve_placeholders
from ..config.render import render

EXIT_OK, EXIT_ERROR, EXIT_PENDING, EXIT_USAGE = 0, 1, 2, 64
PROG = "bootstrap-keycloak"

# Realm names end up in every OIDC URL (/realms/<name>/...), client IDs in query strings;
# Keycloak accepts more, but a space or a slash there breaks MLflow's discovery URL.
_REALM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
# Group names are matched exactly against the token's `groups` claim; "/" is Keycloak's
# path separator, so a group named "a/b" could never be found by its path.
_GROUP_NAME = re.compile(r"[^/\s\x00-\x1f](?:[^/\x00-\x1f]{0,98}[^/\s\x00-\x1f])?")

# Keys of the realm file handled by their own step rather than compared as plain values.
# `components` holds the realm's key providers: given to a realm this script creates, as the
# import gives them, and never converged on an existing realm (its keys are its admins').
_REALM_STEPS = {"groups", "users", "clients", "components"}
_CLIENT_STEPS = {
    "clientId",
    "secret",
    "redirectUris",
    "webOrigins",
    "attributes",
    "protocolMappers",
}
_LIST_ATTRIBUTES = {"post.logout.redirect.uris"}  # "##"-separated lists: add missing, prune extra

# The realm settings a security review asks for (docs/security.md says why, one line each).
# Their values are the realm file's; the bootstrap converges them like every other setting,
# and `make doctor` (live.realm-hardening) names each one a running realm lacks.
HARDENING = (
    "bruteForceProtected",
    "permanentLockout",
    "failureFactor",
    "waitIncrementSeconds",
    "maxFailureWaitSeconds",
    "passwordPolicy",
    "ssoSessionIdleTimeout",
    "ssoSessionMaxLifespan",
    "accessTokenLifespan",
    "offlineSessionIdleTimeout",
    "offlineSessionMaxLifespanEnabled",
    "offlineSessionMaxLifespan",
    "revokeRefreshToken",
    "refreshTokenMaxReuse",
    "eventsEnabled",
    "eventsExpiration",
    "adminEventsEnabled",
    "adminEventsDetailsEnabled",
)

DEMO_USERS = (("demo-user", "users"), ("demo-admin", "admins"))  # (username, which group)


# --- settings ---------------------------------------------------------------------------


def env_variables(rendered: Rendered | FromEnvironment) -> dict[str, str]:
    """keycloak service variable -> the .env variable that sets it (Compose's own answer).

    Used only to name the right line of .env in messages and for `--write-env`.
    """
    return {name: var for name in rendered.env("keycloak") if (var := rendered.variable_of("keycloak", name))}


def substitute(value, env: dict[str, str]):
    """Resolve `${VAR}` / `${VAR:default}` in every string, as Keycloak's import does."""
    missing: set[str] = set()
    out = resolve_placeholders(value, env, missing)
    if missing:
        raise StackError(
            f"{REALM_FILE.name} uses ${{{sorted(missing)[0]}}}, which the keycloak "
            f"service's environment in {COMPOSE_FILE.name} does not set"
        )
    return out


@dataclass
class FromEnvironment:
    """The keycloak service's environment as a container gets it, in place of the compose
    render: the Helm chart's hook Job (deploy/helm/mlflow-oidc-stack/templates/bootstrap.yaml)
    sets the realm file's variables from the same values as the in-cluster Keycloak that
    imports the file. Public URLs come from MLFLOW_PUBLIC_URL; there is no .env to name."""

    environ: dict[str, str]
    proxied = False

    @property
    def env_file(self) -> Path:
        return Path("(environment)")

    def env(self, service: str) -> dict[str, str]:
        return dict(self.environ)

    def variable_of(self, service: str, env_name: str) -> str | None:
        return env_name if env_name in self.environ else None

    def browser_mlflow_urls(self) -> list[str]:
        url = self.environ.get("MLFLOW_PUBLIC_URL", "").rstrip("/")
        if not url:
            raise StackError("--from-environment needs MLFLOW_PUBLIC_URL (MLflow's URL as browsers see it)")
        return [url]

    def keycloak_url(self) -> str:
        raise StackError("--from-environment needs --keycloak-url (Keycloak's base URL from where this runs)")


@dataclass
class Options:
    direct_grants: bool = False
    machine_access: bool = True
    demo_users: bool = False
    prune: bool = False
    write_env: bool = False  # read the secret from Keycloak into .env instead of setting it
    service_accounts: list[str] = field(default_factory=list)  # pipeline identities to create
    service_account_group: str | None = None  # their group (default: the users group)


@dataclass
class Machine:
    """A confidential client that only has a service account: the user sync's own client
    (from the realm file) or a pipeline identity (`--service-account NAME`)."""

    client: dict  # the representation to create, protocolMappers included
    groups: list[str]  # group paths of its service-account user
    roles: dict[str, list[str]]  # client -> client roles of its service-account user
    purpose: str
    show_secret: bool = False  # a pipeline's secret is made here and printed once, at creation

    @property
    def client_id(self) -> str:
        return self.client["clientId"]


@dataclass
class Desired:
    realm: dict  # top-level settings only
    groups: list[str]
    client: dict
    service_account_groups: list[str]  # group paths of the client's service-account user
    secret: str | None  # the secret to set, None with --write-env
    demo_users: list[dict] = field(default_factory=list)
    env_names: dict[str, str] = field(default_factory=dict)  # keycloak variable -> .env variable
    machines: list[Machine] = field(default_factory=list)
    admins_group: str = ""
    # Where a pipeline gets its token, and the CA curl needs for it (the HTTPS profile's
    # public URL; without the profile, the Keycloak the bootstrap talks to).
    token_url: str = ""
    token_ca: str = ""
    components: dict = field(default_factory=dict)  # the realm's key providers, for a new realm

    @property
    def name(self) -> str:
        return self.realm["realm"]

    @property
    def client_id(self) -> str:
        return self.client["clientId"]


def desired_state(rendered: Rendered | FromEnvironment, options: Options) -> Desired:
    """The realm file with its placeholders filled from the render, adjusted by the options."""
    env = rendered.env("keycloak")
    doc = substitute(json.loads(REALM_FILE.read_text()), env)
    names = env_variables(rendered)
    validate(doc, env, names, options)
    clients = doc.get("clients") or []
    mine = [c for c in clients if c.get("clientId") == env.get("MLFLOW_CLIENT_ID")]
    if len(mine) != 1:
        raise StackError(
            f"{REALM_FILE.name} should define MLflow's client {env.get('MLFLOW_CLIENT_ID')!r} once, found {len(mine)}"
        )
    client = dict(mine[0])
    machines = []
    for other in clients:
        if other is mine[0]:
            continue
        sa: dict = next((u for u in doc.get("users") or [] if u.get("serviceAccountClientId") == other["clientId"]), {})
        machines.append(
            Machine(dict(other), list(sa.get("groups") or []), dict(sa.get("clientRoles") or {}), "user sync")
        )
    machines += [pipeline_identity(name, client, env, doc, options) for name in options.service_accounts]
    client["directAccessGrantsEnabled"] = options.direct_grants
    client["serviceAccountsEnabled"] = options.machine_access
    groups = [g["name"] for g in doc.get("groups") or []]
    sa_groups: list[str] = []
    if options.machine_access:
        for user in doc.get("users") or []:
            if user.get("serviceAccountClientId") == client["clientId"]:
                sa_groups = list(user.get("groups") or [])
    # Every browser URL of MLflow must come back to MLflow: check the file against the render.
    # Behind the HTTPS profile that is the public URL under MLflow's path.
    for base in rendered.browser_mlflow_urls():
        uri = f"{base}/callback"
        if uri not in client.get("redirectUris", []):
            raise StackError(
                f"{REALM_FILE.name} lacks the redirect URI {uri} that the "
                f"{'environment' if isinstance(rendered, FromEnvironment) else 'compose render'} gives MLflow: "
                "fix the file's redirectUris"
            )
    demo = []
    if options.demo_users:
        by_role = {"users": env["MLFLOW_USERS_GROUP"], "admins": env["MLFLOW_ADMINS_GROUP"]}
        for username, role in DEMO_USERS:
            demo.append(
                {
                    "username": username,
                    "email": f"{username}@example.org",
                    "firstName": "Demo",
                    "lastName": username.split("-")[1].capitalize(),
                    "emailVerified": True,
                    "enabled": True,
                    "requiredActions": [],
                    "groups": [f"/{by_role[role]}"],
                }
            )
    return Desired(
        realm={k: v for k, v in doc.items() if k not in _REALM_STEPS},
        groups=groups,
        client=client,
        service_account_groups=sa_groups,
        secret=None if options.write_env else client.get("secret"),
        demo_users=demo,
        env_names=names,
        machines=machines,
        admins_group=env.get("MLFLOW_ADMINS_GROUP", ""),
        components=doc.get("components") or {},
        **_token_endpoint(rendered, doc["realm"]),
    )


def _token_endpoint(rendered: Rendered | FromEnvironment, realm: str) -> dict[str, str]:
    if isinstance(rendered, FromEnvironment) or not rendered.proxied:
        return {}
    from ..runtime.tls import public_verify

    verify = public_verify(rendered)
    return {
        "token_url": f"{rendered.browser_keycloak_url()}/realms/{realm}/protocol/openid-connect/token",
        "token_ca": verify if isinstance(verify, str) else "",
    }


def pipeline_identity(name: str, mlflow_client: dict, env: dict[str, str], doc: dict, options: Options) -> Machine:
    """`--service-account NAME`: a confidential client with client credentials only, whose
    tokens carry MLflow's audience and the groups claim; its service account is in the users
    group (MLflow creates it on first use, never as admin)."""
    taken = {c.get("clientId") for c in doc.get("clients") or []}
    if not _CLIENT_ID.fullmatch(name) or name in taken:
        raise StackError(
            f"--service-account {name!r}: "
            + (
                f"{name!r} is one of the bundle's own clients"
                if name in taken
                else "use letters, digits, '-', '_', '.' or ':' (no spaces or '/')"
            )
            + ". Nothing was changed."
        )
    group = options.service_account_group or env["MLFLOW_USERS_GROUP"]
    if group == env["MLFLOW_ADMINS_GROUP"]:
        raise StackError(
            f"--service-account {name!r} in {group!r}: a pipeline identity is never an MLflow admin. Put it "
            f"in {env['MLFLOW_USERS_GROUP']!r} (the default) or another group, and grant that group what the "
            "pipeline needs in MLflow. Nothing was changed."
        )
    mappers = [m for m in mlflow_client.get("protocolMappers") or []]
    return Machine(
        {
            "clientId": name,
            "name": f"Pipeline identity {name}",
            "description": "made by make bootstrap-keycloak ARGS=--service-account (docs/sdk.md)",
            "enabled": True,
            "protocol": "openid-connect",
            "publicClient": False,
            "clientAuthenticatorType": "client-secret",
            "secret": secrets.token_urlsafe(32),
            "standardFlowEnabled": False,
            "implicitFlowEnabled": False,
            "directAccessGrantsEnabled": False,
            "serviceAccountsEnabled": True,
            "attributes": {
                "access.token.lifespan": str(mlflow_client.get("attributes", {}).get("access.token.lifespan", "300"))
            },
            "protocolMappers": mappers,
        },
        [f"/{group}"],
        {},
        "pipeline identity",
        show_secret=True,
    )


def validate(doc: dict, env: dict[str, str], names: dict[str, str], options: Options) -> None:
    """Refuse names Keycloak or MLflow cannot use, before anything is read or changed."""

    def where(var: str) -> str:
        return names.get(var, var)

    problems = []
    realm = doc.get("realm", "")
    if not _REALM_NAME.fullmatch(realm):
        problems.append(
            f"{where('MLFLOW_REALM')}={realm!r} is not a usable realm name: use letters, "
            f"digits, '-', '_' or '.', starting with a letter or digit (no spaces or '/')"
        )
    cid = env.get("MLFLOW_CLIENT_ID", "")
    if not _CLIENT_ID.fullmatch(cid):
        problems.append(
            f"{where('MLFLOW_CLIENT_ID')}={cid!r} is not a usable client ID: use "
            f"letters, digits, '-', '_', '.' or ':' (no spaces or '/')"
        )
    secret_vars = ["SYNC_CLIENT_SECRET"] if "SYNC_CLIENT_SECRET" in env else []
    if not options.write_env:
        secret_vars.insert(0, "MLFLOW_CLIENT_SECRET")
    for var in secret_vars:
        secret = env.get(var)
        if envfile.is_placeholder(secret) or re.search(r"\s", secret or ""):
            problems.append(
                f"{where(var)} is empty, a placeholder or has spaces: run `make secrets`"
                + (
                    ", or pass --write-env to take the secret Keycloak already has"
                    if var == "MLFLOW_CLIENT_SECRET"
                    else ""
                )
            )
    group_vars = {
        env.get("MLFLOW_USERS_GROUP"): "MLFLOW_USERS_GROUP",
        env.get("MLFLOW_ADMINS_GROUP"): "MLFLOW_ADMINS_GROUP",
    }
    seen = set()
    for group in doc.get("groups") or []:
        name = group.get("name", "")
        var = where(group_vars.get(name, "MLFLOW_USERS_GROUP"))
        if not _GROUP_NAME.fullmatch(name):
            problems.append(
                f"{var}={name!r} is not a usable group name: no '/', no leading or trailing spaces, 1-100 characters"
            )
        elif name in seen:
            problems.append(
                f"{where('MLFLOW_USERS_GROUP')} and {where('MLFLOW_ADMINS_GROUP')} are "
                f"both {name!r}: the users and the admins group must differ"
            )
        seen.add(name)
    if problems:
        raise StackError("invalid settings in the .env file, nothing was changed:\n  " + "\n  ".join(problems))


# --- Keycloak access --------------------------------------------------------------------


@dataclass
class Target:
    url: str
    admin_user: str
    admin_password: str
    admin_realm: str = "master"


def target_from(
    rendered: Rendered | FromEnvironment,
    url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    admin_realm: str = "master",
) -> Target:
    env = rendered.env("keycloak")
    return Target(
        url or rendered.keycloak_url(),
        user or env["KC_BOOTSTRAP_ADMIN_USERNAME"],
        password if password is not None else env["KC_BOOTSTRAP_ADMIN_PASSWORD"],
        admin_realm,
    )


def connect(target: Target, realm: str):
    """The same python-keycloak client as oidc.keycloak_admin, for any URL and admin."""
    from .admin import admin_client

    return admin_client(target.url, target.admin_user, target.admin_password, realm, target.admin_realm)


def preflight(target: Target) -> None:
    """Is there a Keycloak at the URL? Tells "unreachable" and "not Keycloak" apart from a login error."""
    import requests

    url = f"{target.url.rstrip('/')}/realms/{target.admin_realm}"
    try:
        r = requests.get(url, timeout=10)
    except requests.RequestException as exc:
        reason = type(exc).__name__
        if isinstance(exc, requests.ConnectionError):
            reason = "connection refused or host unreachable"
        raise StackError(
            f"cannot reach Keycloak at {target.url} ({reason}): start the stack with "
            f"`make up` (check it with `make ps`), or pass --keycloak-url with the "
            f"address of your Keycloak. Nothing was changed."
        ) from None
    try:
        ok = r.status_code == 200 and r.json().get("realm") == target.admin_realm
    except ValueError:
        ok = False
    if not ok:
        raise StackError(
            f"{target.url} does not look like Keycloak with a realm "
            f"{target.admin_realm!r} (GET {url} answered {r.status_code}): pass "
            f"Keycloak's base URL (http://host:port, no path) with --keycloak-url, and "
            f"the admin's realm with --admin-realm. Nothing was changed."
        )


def explain(exc: Exception, target: Target, realm: str, env_file: Path, names: dict[str, str]) -> StackError:
    """A Keycloak error as a sentence that says what to do. Never includes a password."""
    from keycloak.exceptions import KeycloakConnectionError

    code = getattr(exc, "response_code", None)
    body = getattr(exc, "response_body", None) or b""
    if isinstance(exc, (KeycloakConnectionError, OSError)):
        return StackError(
            f"lost the connection to Keycloak at {target.url}: check that it is running (`make ps`) and re-run"
        )
    if code == 401 or (code == 400 and b"invalid_grant" in body):
        try:
            detail = json.loads(body).get("error_description") or "wrong user or password"
        except (ValueError, AttributeError):
            detail = "wrong user or password"
        return StackError(
            f"Keycloak refused the admin login of {target.admin_user!r} in realm "
            f"{target.admin_realm!r} ({detail}): check "
            f"{names.get('KC_BOOTSTRAP_ADMIN_USERNAME', 'KC_BOOTSTRAP_ADMIN_USERNAME')} and "
            f"{names.get('KC_BOOTSTRAP_ADMIN_PASSWORD', 'KC_BOOTSTRAP_ADMIN_PASSWORD')} in {env_file} "
            f"(Keycloak creates its bootstrap admin on first start only; changing .env later does "
            f"not change it), or pass --admin-user/--admin-password"
        )
    if code == 403:
        return StackError(
            f"admin {target.admin_user!r} may not manage realm {realm!r} (403 Forbidden): give it "
            f"the master realm's 'admin' role (or 'create-realm' and the realm's 'realm-admin' "
            f"role), or use the bootstrap admin"
        )
    return StackError(f"Keycloak answered an error: {exc}")


# --- reading the current state --------------------------------------------------------


@dataclass
class Current:
    realm: dict | None = None
    groups: dict[str, str] = field(default_factory=dict)  # top-level group name -> id
    client: dict | None = None
    secret: str | None = None
    service_account_groups: set[str] | None = None  # group paths; None: no SA user
    users: dict[str, dict] = field(default_factory=dict)  # demo users by username


def read_current(kc, desired: Desired) -> Current:
    from keycloak.exceptions import KeycloakGetError

    cur = Current()
    try:
        cur.realm = kc.get_realm(desired.name)
    except KeycloakGetError as exc:
        if exc.response_code != 404:
            raise
        return cur
    cur.groups = {g["name"]: g["id"] for g in kc.get_groups({"briefRepresentation": True})}
    uuid = kc.get_client_id(desired.client_id)
    if uuid:
        cur.client = kc.get_client(uuid)
        cur.client["protocolMappers"] = kc.get_mappers_from_client(uuid)
        cur.secret = (kc.get_client_secrets(uuid) or {}).get("value")
        if cur.client.get("serviceAccountsEnabled"):
            sa = kc.get_client_service_account_user(uuid)
            cur.service_account_groups = {g["path"] for g in kc.get_user_groups(sa["id"])}
    for user in desired.demo_users:
        uid = kc.get_user_id(user["username"])
        if uid:
            rep = kc.get_user(uid)
            rep["groups"] = [g["path"] for g in kc.get_user_groups(uid)]
            cur.users[user["username"]] = rep
    return cur


# --- the plan ---------------------------------------------------------------------------


@dataclass
class Change:
    item: str  # what it is about: "realm mlflow", "client mlflow", "group mlflow-users"
    what: str  # what changes, without secret values
    apply: Callable[[], None]
    note: str = ""  # printed after applying (e.g. a demo password, shown once)


def _show(value) -> str:
    return json.dumps(value) if not isinstance(value, str) else f'"{value}"'


def _uris(value) -> list[str]:
    """A list of URIs, each once (two placeholders may give the same one: MLFLOW_ALT_URL is
    MLFLOW_PUBLIC_URL behind the HTTPS profile and in the chart)."""
    items = value.split("##") if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(u for u in items if u))


class Planner:
    def __init__(self, kc, desired: Desired, cur: Current, options: Options, env_file: Path):
        self.kc, self.d, self.cur, self.opt, self.env_file = kc, desired, cur, options, env_file
        self.changes: list[Change] = []
        self.notes: list[str] = []

    def add(self, item, what, apply, note=""):
        self.changes.append(Change(item, what, apply, note))

    # Ids are looked up when a change is applied: earlier changes may have created them.
    def client_uuid(self) -> str:
        return self.kc.get_client_id(self.d.client_id)

    def plan(self) -> list[Change]:
        self.realm()
        self.groups()
        self.client()
        self.secret()
        self.mappers()
        self.service_account()
        self.machines()
        self.demo_users()
        return self.changes

    def realm(self):
        d, cur = self.d.realm, self.cur.realm
        name = self.d.name
        if cur is None:
            settings = ", ".join(f"{k}={_show(v)}" for k, v in d.items() if k != "realm")
            rep = {**d, "components": self.d.components} if self.d.components else dict(d)
            self.add(f"realm {name}", f"create ({settings})", lambda: self.kc.create_realm(rep))
            return
        for key, value in d.items():
            if key != "realm" and cur.get(key) != value:
                self.add(
                    f"realm {name}",
                    f"{key} {_show(cur.get(key))} -> {_show(value)}",
                    lambda k=key, v=value: self.kc.update_realm(name, {k: v}),
                )

    def groups(self):
        for group in self.d.groups:
            if group not in self.cur.groups:
                self.add(
                    f"group {group}", "create", lambda g=group: self.kc.create_group({"name": g}, skip_exists=True)
                )

    def client(self):
        d, cur = self.d.client, self.cur.client
        cid = self.d.client_id
        item = f"client {cid}"
        if cur is None:
            payload = {k: v for k, v in d.items() if k not in ("protocolMappers", "secret")}
            if self.d.secret is not None:
                payload["secret"] = self.d.secret
            flags = ", ".join(
                f"{k}={_show(d[k])}"
                for k in ("standardFlowEnabled", "directAccessGrantsEnabled", "serviceAccountsEnabled")
            )
            self.add(
                item,
                f"create (confidential; {flags}; redirect URIs {', '.join(d['redirectUris'])})",
                lambda: self.kc.create_client(payload),
            )
            return
        for key, value in d.items():
            if key in _CLIENT_STEPS or cur.get(key) == value:
                continue
            self.add(
                item,
                f"{key} {_show(cur.get(key))} -> {_show(value)}",
                lambda k=key, v=value: self.kc.update_client(self.client_uuid(), {k: v}),
            )
        for key, label in (("redirectUris", "redirect URI"), ("webOrigins", "web origin")):
            self._list(
                item,
                label,
                _uris(cur.get(key)),
                _uris(d.get(key)),
                lambda final, k=key: self.kc.update_client(self.client_uuid(), {k: final}),
            )
        attrs = cur.get("attributes") or {}
        for key, value in (d.get("attributes") or {}).items():
            if key in _LIST_ATTRIBUTES:
                self._list(
                    item,
                    f"{key} entry",
                    _uris(attrs.get(key)),
                    _uris(value),
                    lambda final, k=key: self._set_attribute(k, "##".join(final)),
                )
            elif attrs.get(key) != value:
                self.add(
                    item,
                    f"attribute {key} {_show(attrs.get(key))} -> {_show(value)}",
                    lambda k=key, v=value: self._set_attribute(k, v),
                )

    def _set_attribute(self, key, value, cid: str | None = None):
        uuid = self.kc.get_client_id(cid) if cid else self.client_uuid()
        attrs = dict(self.kc.get_client(uuid).get("attributes") or {})
        attrs[key] = value
        self.kc.update_client(uuid, {"attributes": attrs})

    def _list(self, item, label, current, desired, put):
        """Add what is missing; remove extras only with --prune. Each entry is one line."""
        missing = [u for u in desired if u not in current]
        extra = [u for u in current if u not in desired]
        final = current + missing
        if self.opt.prune:
            final = [u for u in final if u not in extra]
        for u in missing:
            self.add(item, f"add {label} {u}", lambda: put(final))
        for u in extra:
            if self.opt.prune:
                self.add(item, f"remove {label} {u} (--prune)", lambda: put(final))
            else:
                self.notes.append(f"{item}: kept extra {label} {u} (not ours; --prune removes it)")

    def secret(self):
        item = f"client {self.d.client_id}"
        var = self.d.env_names.get("MLFLOW_CLIENT_SECRET", "MLFLOW_CLIENT_SECRET")
        if self.d.secret is not None:
            if self.cur.client is not None and self.cur.secret != self.d.secret:
                self.add(
                    item,
                    f"set the client secret from {var} in {self.env_file.name}",
                    lambda: self.kc.update_client(self.client_uuid(), {"secret": self.d.secret}),
                )
            return
        in_env = envfile.read(self.env_file).get(var)
        if self.cur.client is None or self.cur.secret != in_env:
            self.add(
                f"env file {self.env_file}",
                f"write {var} from the secret Keycloak holds",
                lambda: self._write_secret(var),
            )

    def _write_secret(self, var):
        value = self.kc.get_client_secrets(self.client_uuid())["value"]
        envfile.update(self.env_file, {var: value})

    def mappers(self):
        item = f"client {self.d.client_id}"
        cur = {m["name"]: m for m in (self.cur.client or {}).get("protocolMappers") or []}
        wanted = self.d.client.get("protocolMappers") or []
        for m in wanted:
            have = cur.get(m["name"])
            label = f"mapper {m['name']}"
            if have is None:
                self.add(
                    item,
                    f"{label}: create ({m['protocolMapper']})",
                    lambda m=m: self.kc.add_mapper_to_client(self.client_uuid(), dict(m)),
                )
            elif have.get("protocolMapper") != m["protocolMapper"]:
                self.add(
                    item,
                    f"{label}: replace {have.get('protocolMapper')} with {m['protocolMapper']}",
                    lambda m=m, have=have: self._replace_mapper(have, m),
                )
            else:
                config = have.get("config") or {}
                for key, value in m.get("config", {}).items():
                    if config.get(key) != value:
                        self.add(
                            item,
                            f"{label}: {key} {_show(config.get(key))} -> {_show(value)}",
                            lambda m=m, have=have: self._update_mapper(have, m),
                        )
        names = {m["name"] for m in wanted}
        for name, have in cur.items():
            if name in names:
                continue
            if self.opt.prune:
                self.add(
                    item,
                    f"mapper {name}: remove (--prune)",
                    lambda have=have: self.kc.remove_client_mapper(self.client_uuid(), have["id"]),
                )
            else:
                self.notes.append(f"{item}: kept extra mapper {name} (not ours; --prune removes it)")

    def _update_mapper(self, have, m):
        uuid = self.client_uuid()
        fresh = next(x for x in self.kc.get_mappers_from_client(uuid) if x["id"] == have["id"])
        fresh["config"] = {**(fresh.get("config") or {}), **m.get("config", {})}
        self.kc.update_client_mapper(uuid, have["id"], fresh)

    def _replace_mapper(self, have, m):
        uuid = self.client_uuid()
        self.kc.remove_client_mapper(uuid, have["id"])
        self.kc.add_mapper_to_client(uuid, dict(m))

    def service_account(self):
        if not self.d.service_account_groups:
            return
        have = self.cur.service_account_groups or set()
        user = f"service-account-{self.d.client_id}"
        for path in self.d.service_account_groups:
            if path not in have:
                self.add(f"user {user}", f"join group {path} (SDK machine access)", lambda p=path: self._join_sa(p))

    def _join_sa(self, path, cid: str | None = None):
        sa = self.kc.get_client_service_account_user(self.kc.get_client_id(cid) if cid else self.client_uuid())
        self.kc.group_user_add(sa["id"], self.kc.get_group_by_path(path)["id"])

    def machines(self):
        for m in self.d.machines:
            self._machine(m)

    def _machine(self, m: Machine):
        cid, item = m.client_id, f"client {m.client_id}"
        uuid = self.kc.get_client_id(cid) if self.cur.realm is not None else None
        have_groups: set[str] = set()
        have_roles: dict[str, set[str]] = {}
        usage = self._usage(m)
        if uuid is None:
            secret = m.client.get("secret")
            note = f"{m.purpose} {cid}: {usage}"
            if m.show_secret:
                note = f"{m.purpose} {cid}: client secret {secret}  (shown once; Clients > {cid} > Credentials)\n    {usage}"
            self.add(
                item,
                f"create ({m.purpose}: confidential, client credentials only; mappers "
                f"{', '.join(x['name'] for x in m.client.get('protocolMappers') or [])})",
                lambda p=dict(m.client): self.kc.create_client(p),
                note=note,
            )
        else:
            cur = self.kc.get_client(uuid)
            for key in (
                "enabled",
                "publicClient",
                "serviceAccountsEnabled",
                "standardFlowEnabled",
                "directAccessGrantsEnabled",
            ):
                if key in m.client and cur.get(key) != m.client[key]:
                    self.add(
                        item,
                        f"{key} {_show(cur.get(key))} -> {_show(m.client[key])}",
                        lambda k=key, v=m.client[key], c=cid: self.kc.update_client(self.kc.get_client_id(c), {k: v}),
                    )
            attrs = cur.get("attributes") or {}
            for key, value in (m.client.get("attributes") or {}).items():
                if attrs.get(key) != value:
                    self.add(
                        item,
                        f"attribute {key} {_show(attrs.get(key))} -> {_show(value)}",
                        lambda k=key, v=value, c=cid: self._set_attribute(k, v, c),
                    )
            if (
                not m.show_secret
                and m.client.get("secret")
                and (self.kc.get_client_secrets(uuid) or {}).get("value") != m.client["secret"]
            ):
                self.add(
                    item,
                    "secret: set from the .env (differs)",
                    lambda c=cid, v=m.client["secret"]: self.kc.update_client(self.kc.get_client_id(c), {"secret": v}),
                )
            have_mappers = {x["name"] for x in self.kc.get_mappers_from_client(uuid)}
            for mapper in m.client.get("protocolMappers") or []:
                if mapper["name"] not in have_mappers:
                    self.add(
                        item,
                        f"mapper {mapper['name']}: create ({mapper['protocolMapper']})",
                        lambda x=dict(mapper), c=cid: self.kc.add_mapper_to_client(self.kc.get_client_id(c), x),
                    )
            if cur.get("serviceAccountsEnabled"):
                sa = self.kc.get_client_service_account_user(uuid)
                have_groups = {g["path"] for g in self.kc.get_user_groups(sa["id"])}
                for owner in m.roles:
                    owner_uuid = self.kc.get_client_id(owner)
                    have_roles[owner] = {r["name"] for r in self.kc.get_client_roles_of_user(sa["id"], owner_uuid)}
            self.notes.append(f"{m.purpose} {cid}: {usage}")
        user = f"service-account-{cid}"
        for path in m.groups:
            if path not in have_groups:
                self.add(f"user {user}", f"join group {path}", lambda p=path, c=cid: self._join_sa(p, c))
        admins = f"/{self.d.admins_group}"
        if m.show_secret and admins in have_groups:
            self.add(
                f"user {user}",
                f"leave group {admins} (a pipeline identity is never an MLflow admin)",
                lambda c=cid, p=admins: self._machine_leave(c, p),
            )
        for owner, roles in m.roles.items():
            missing = [r for r in roles if r not in have_roles.get(owner, set())]
            if missing:
                self.add(
                    f"user {user}",
                    f"client roles {owner}: add {', '.join(missing)}",
                    lambda o=owner, rs=missing, c=cid: self._machine_roles(c, o, rs),
                )

    def _machine_user(self, cid: str) -> str:
        return self.kc.get_client_service_account_user(self.kc.get_client_id(cid))["id"]

    def _machine_leave(self, cid: str, path: str):
        self.kc.group_user_remove(self._machine_user(cid), self.kc.get_group_by_path(path)["id"])

    def _machine_roles(self, cid: str, owner: str, roles: list[str]):
        owner_uuid = self.kc.get_client_id(owner)
        reps = [self.kc.get_client_role(owner_uuid, r) for r in roles]
        self.kc.assign_client_role(self._machine_user(cid), owner_uuid, reps)

    def _usage(self, m: Machine) -> str:
        if not m.show_secret:
            return "used by `make sync-users` and the sync-users service (docs/security.md)"
        token = (
            self.d.token_url
            or f"{self.kc.connection.server_url.rstrip('/')}/realms/{self.d.name}/protocol/openid-connect/token"
        )
        ca = f"--cacert {self.d.token_ca} " if self.d.token_ca else ""
        return (
            f"use: MLFLOW_TRACKING_TOKEN=$(curl -s {ca}-d grant_type=client_credentials -d client_id={m.client_id} "
            f"-d client_secret=<secret> {token} | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'); "
            f"MLflow creates user service-account-{m.client_id} on first use, in {', '.join(m.groups)}, never as admin: "
            "grant that group what the pipeline needs (docs/sdk.md)"
        )

    def demo_users(self):
        for user in self.d.demo_users:
            name = user["username"]
            have = self.cur.users.get(name)
            if have is None:
                password = secrets.token_urlsafe(18)
                self.add(
                    f"user {name}",
                    f"create demo user in {', '.join(user['groups'])} (dev only)",
                    lambda u=user, pw=password: self._create_user(u, pw),
                    note=f"demo login {name} / {password}  (shown once; not stored anywhere)",
                )
                continue
            for key in ("email", "firstName", "lastName", "emailVerified", "enabled", "requiredActions"):
                if have.get(key, [] if key == "requiredActions" else None) != user[key]:
                    self.add(
                        f"user {name}",
                        f"{key} {_show(have.get(key))} -> {_show(user[key])}",
                        lambda uid=have["id"], k=key, v=user[key]: self.kc.update_user(uid, {k: v}),
                    )
            for path in user["groups"]:
                if path not in have["groups"]:
                    self.add(
                        f"user {name}",
                        f"join group {path}",
                        lambda uid=have["id"], p=path: self.kc.group_user_add(uid, self.kc.get_group_by_path(p)["id"]),
                    )

    def _create_user(self, user, password):
        payload = {k: v for k, v in user.items() if k != "groups"}
        payload["credentials"] = [{"type": "password", "value": password, "temporary": False}]
        uid = self.kc.create_user(payload)
        for path in user["groups"]:
            self.kc.group_user_add(uid, self.kc.get_group_by_path(path)["id"])


# --- running ----------------------------------------------------------------------------


def converge(rendered: Rendered | FromEnvironment, options: Options, target: Target, dry_run: bool, out=print) -> int:
    desired = desired_state(rendered, options)  # validates before any connection
    env_file = Path(rendered.env_file)
    kc = connect(target, desired.name)
    from keycloak.exceptions import KeycloakError

    out(
        f"{PROG}: Keycloak {target.url}, realm {desired.name}, client {desired.client_id}"
        + (" (dry run)" if dry_run else "")
    )
    preflight(target)
    try:
        cur = read_current(kc, desired)
    except (KeycloakError, OSError) as exc:
        raise StackError(
            f"{explain(exc, target, desired.name, env_file, desired.env_names)}. Nothing was changed."
        ) from None
    planner = Planner(kc, desired, cur, options, env_file)
    changes = planner.plan()
    for note in planner.notes:
        out(f"  = {note}")
    if not changes:
        out(f"{PROG}: no changes: realm {desired.name} already conforms")
        return EXIT_OK
    if dry_run:
        for c in changes:
            out(f"  ~ {c.item}: {c.what}")
        out(f"{PROG}: {len(changes)} change(s) pending; run without --dry-run to apply them")
        return EXIT_PENDING
    done = 0
    for c in changes:
        try:
            c.apply()
        except (KeycloakError, OSError) as exc:
            err = explain(exc, target, desired.name, env_file, desired.env_names)
            if done == 0:
                raise StackError(f"{err}. Nothing was changed.") from None
            raise StackError(
                f"{c.item}: {c.what}: failed: {err}.\n{done} of {len(changes)} "
                f"change(s) were applied before it; fix the cause and re-run "
                f"(the bootstrap is safe to repeat)."
            ) from None
        done += 1
        out(f"  + {c.item}: {c.what}")
        if c.note:
            out(f"    {c.note}")
    out(f"{PROG}: {done} change(s) applied; realm {desired.name} conforms")
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description="Converge Keycloak to the realm, client, groups and mappers MLflow needs, as "
        "defined by keycloak/realm-export.json with the values of your .env. Safe to "
        're-run: prints each change, or "no changes".',
        epilog="Exit codes: 0 done or already conforming; 2 changes pending (--dry-run); "
        "1 an error (nothing secret is printed); 64 bad usage. See docs/bootstrap.md.",
    )
    p.add_argument(
        "--env-file",
        default=os.environ.get("ENV_FILE", str(ROOT / ".env")),
        help="the .env to read (default: %(default)s)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan and change nothing; exit 0 if Keycloak conforms, 2 if not",
    )
    p.add_argument(
        "--write-env",
        action="store_true",
        help="read the client secret from Keycloak and store it as MLFLOW_CLIENT_SECRET "
        "in the .env (other lines untouched, old file kept as .bak), instead of "
        "setting Keycloak's secret from the .env",
    )
    p.add_argument(
        "--prune",
        action="store_true",
        help="also remove extra redirect URIs, post-logout URIs, web origins and "
        "protocol mappers of the MLflow client (never other clients or users)",
    )
    p.add_argument(
        "--direct-grants",
        action="store_true",
        help="enable the password grant (directAccessGrantsEnabled); off by default",
    )
    p.add_argument(
        "--no-machine-access",
        dest="machine_access",
        action="store_false",
        help="disable the client's service account (SDK machine access via client_credentials); on by default",
    )
    p.add_argument(
        "--service-account",
        action="append",
        default=[],
        metavar="NAME",
        help="create (or converge) a pipeline identity: a confidential client NAME with client credentials "
        "only, whose tokens MLflow accepts; its service account is in the users group. Prints how to use "
        "it, and its secret once, when created (docs/sdk.md)",
    )
    p.add_argument(
        "--service-account-group",
        metavar="GROUP",
        help="the group of --service-account identities (default: MLFLOW_USERS_GROUP); never the admins group",
    )
    p.add_argument(
        "--demo-users",
        action="store_true",
        help="DEV ONLY: create demo-user and demo-admin with full profiles and random "
        "non-temporary passwords, printed once when created",
    )
    p.add_argument(
        "--keycloak-url",
        help="Keycloak's base URL (default: the browser URL of the stack's Keycloak from the compose render)",
    )
    p.add_argument("--admin-user", help="admin user name (default: KC_BOOTSTRAP_ADMIN_USERNAME from the .env)")
    p.add_argument(
        "--admin-password",
        help="admin password, or '-' to read it from stdin (default: "
        "KC_BOOTSTRAP_ADMIN_PASSWORD from the .env); prefer '-': arguments show in ps",
    )
    p.add_argument("--admin-realm", default="master", help="realm the admin user belongs to (default: %(default)s)")
    p.add_argument(
        "--from-environment",
        action="store_true",
        help="take the realm file's variables, KC_BOOTSTRAP_ADMIN_USERNAME/PASSWORD and MLFLOW_PUBLIC_URL "
        "from the environment instead of the .env and the compose render (the Helm chart's hook Job); "
        "needs --keycloak-url",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = Options(
        direct_grants=args.direct_grants,
        machine_access=args.machine_access,
        demo_users=args.demo_users,
        prune=args.prune,
        write_env=args.write_env,
        service_accounts=args.service_account,
        service_account_group=args.service_account_group,
    )
    try:
        password = args.admin_password
        if password == "-":
            password = sys.stdin.readline().rstrip("\n")
        if args.from_environment and args.write_env:
            parser().error("--write-env writes a .env: it cannot go with --from-environment")
        rendered = FromEnvironment(dict(os.environ)) if args.from_environment else render(Path(args.env_file))
        target = target_from(rendered, args.keycloak_url, args.admin_user, password, args.admin_realm)
        return converge(rendered, options, target, args.dry_run)
    except StackError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; re-run to finish (safe to repeat)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

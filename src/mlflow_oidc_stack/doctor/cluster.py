"""Cluster doctor checks (`mlflow-oidc-doctor --cluster`): the Helm chart's `helm test`.

They run in a pod of the release, so they see what the MLflow servers see: the chart gives
the pod the servers' own OIDC settings (mos.oidcEnv) and MLflow's Service URL (MLFLOW_URL).
No .env and no compose render are involved. The order follows a login: MLflow up, Keycloak's
discovery and back channel, the client's secret, the groups a real token carries, the
redirect URI Keycloak accepts, and finally what MLflow does with no credentials and with a
token. Each failure names the value of the chart to change (docs/troubleshooting.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from .core import Context, Result, check, fail, ok, skip, warn
from .static import plugin_groups, token_groups

REQUIRED = ("MLFLOW_URL", "OIDC_DISCOVERY_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
            "OIDC_REDIRECT_URI")  # fmt: skip
WELL_KNOWN = "/.well-known/openid-configuration"
TIMEOUT = 20


def _get(ctx: Context, url: str, **kwargs) -> Any:
    """A GET, or a POST when `data` is given, from this pod: the response, or a one-line
    reason when nothing answered."""
    import requests

    method = "POST" if "data" in kwargs else "GET"
    try:
        session = ctx.remember("http", requests.Session)
        return session.request(method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


@check("cluster.settings", "The pod has the servers' OIDC settings")
def settings(ctx: Context) -> Result:
    missing = [v for v in REQUIRED if not ctx.environ.get(v)]
    if missing:
        return fail(
            f"{', '.join(missing)} unset: the checks need the MLflow servers' own settings",
            "run the cluster checks as the chart's `helm test <release>`, which sets them",
        )
    return ok(f"MLflow at {ctx.environ['MLFLOW_URL']}, client {ctx.environ['OIDC_CLIENT_ID']!r}")


@check("cluster.mlflow", "MLflow's Service answers and a server is ready", needs=("cluster.settings",))
def mlflow(ctx: Context) -> Result:
    url = ctx.environ["MLFLOW_URL"].rstrip("/") + "/health/ready"
    r = _get(ctx, url)
    if isinstance(r, str) or r.status_code != 200:
        what = r if isinstance(r, str) else f"HTTP {r.status_code}: {' '.join(r.text.split())[:160]}"
        return fail(
            f"{url}: {what}",
            "`kubectl get pods -l app.kubernetes.io/component=mlflow` and `kubectl logs` of a pod that is "
            "not Ready: its last lines name the cause (a database, Redis or Keycloak it cannot reach)",
        )
    return ok(f"{url} answers 200")


@check("cluster.discovery", "Keycloak's discovery answers and its issuer is the chart's", needs=("cluster.settings",))
def discovery(ctx: Context) -> Result:
    env = ctx.environ
    url, wanted = env["OIDC_DISCOVERY_URL"], env["OIDC_ISSUER"]
    r = _get(ctx, url)
    if isinstance(r, str) or r.status_code != 200:
        what = r if isinstance(r, str) else f"HTTP {r.status_code}"
        return fail(
            f"the servers cannot fetch {url}: {what}",
            "keycloak.internalUrl: Keycloak's base URL as pods reach it (with its path, e.g. /auth), and "
            "keycloak.realm: the realm's name",
        )
    try:
        doc = r.json()
    except ValueError:
        return fail(
            f"{url} did not return JSON ({r.headers.get('content-type') or 'no content type'})",
            "keycloak.internalUrl must be Keycloak's base URL (http://host:port[/path]), not another service",
        )
    ctx.memo["discovery"] = doc
    issuer = doc.get("issuer", "")
    if issuer != wanted:
        return fail(
            f'the discovery issuer is {issuer}, not {wanted} ("unexpected issuer": every login and '
            "every bearer token is refused)",
            "keycloak.url must be Keycloak's browser-facing base URL: the issuer is <keycloak.url>/realms/"
            "<realm>. On Keycloak's side, KC_HOSTNAME is that same URL",
        )
    return ok(f"issuer {issuer}")


def _backchannel(ctx: Context, url: str) -> str:
    """An endpoint of the discovery document, at the address the servers use for Keycloak: the
    browser-facing issuer swapped for the discovery URL's realm base (a pod cannot always reach
    the public host)."""
    issuer = ctx.memo["discovery"].get("issuer", "")
    base = ctx.environ["OIDC_DISCOVERY_URL"].removesuffix(WELL_KNOWN)
    return base + url[len(issuer) :] if issuer and url.startswith(issuer) else url


@check(
    "cluster.token-endpoints", "Token and JWKS endpoints answer from inside the cluster", needs=("cluster.discovery",)
)
def token_endpoints(ctx: Context) -> Result:
    doc = ctx.memo["discovery"]
    token_url, jwks_url = doc.get("token_endpoint", ""), doc.get("jwks_uri", "")
    bad = []
    token = _get(ctx, token_url, data={})
    if isinstance(token, str) or token.status_code >= 500:
        bad.append(f"token endpoint {token_url}: {token if isinstance(token, str) else token.status_code}")
    jwks = _get(ctx, jwks_url)
    if isinstance(jwks, str) or jwks.status_code != 200 or '"keys"' not in jwks.text:
        bad.append(f"JWKS {jwks_url}: {jwks if isinstance(jwks, str) else jwks.status_code}")
    if bad:
        return fail(
            f"unreachable from the cluster: {'; '.join(bad)}",
            "KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true in Keycloak (back-channel URLs then follow the address "
            "the servers used), and keycloak.internalUrl set to that address",
        )
    ctx.memo["token_url"] = token_url
    return ok("token and JWKS endpoints answer")


@check(
    "cluster.client-secret",
    "Keycloak accepts the client secret of the chart's Secret",
    needs=("cluster.token-endpoints",),
)
def client_secret(ctx: Context) -> Result:
    env = ctx.environ
    r = _get(
        ctx,
        ctx.memo["token_url"],
        data={
            "grant_type": "client_credentials",
            "client_id": env["OIDC_CLIENT_ID"],
            "client_secret": env["OIDC_CLIENT_SECRET"],
            "scope": "openid",
        },
    )
    if isinstance(r, str):
        return fail(f"no answer from {ctx.memo['token_url']}: {r}", "see cluster.token-endpoints")
    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
    if r.status_code == 200:
        ctx.memo["token"] = body
        return ok(f"client {env['OIDC_CLIENT_ID']!r} gets a token with the Secret's client secret")
    error = f"{body.get('error', r.status_code)}: {body.get('error_description', '')}".strip(": ")
    if r.status_code == 401:
        return fail(
            f"Keycloak refuses client {env['OIDC_CLIENT_ID']!r} with the Secret's secret ({error}): every login "
            "fails at the code exchange (unauthorized_client)",
            "`helm upgrade` the release: its bootstrap Job sets Keycloak's secret from secret.keys.clientSecret. "
            "Or put Keycloak's secret in that key of the Secret and restart the MLflow pods",
        )
    return warn(
        f"no token for client {env['OIDC_CLIENT_ID']!r} by client credentials ({error}): the secret cannot be "
        "checked this way (the client's service account is off)",
        "leave machine access on (the bootstrap's default) so that SDK pipelines and this check get tokens",
    )


@check("cluster.groups-claim", "A real token carries the groups the plugin expects", needs=("cluster.client-secret",))
def groups_claim(ctx: Context) -> Result:
    env = ctx.environ
    attribute = env.get("OIDC_GROUPS_ATTRIBUTE", "groups")
    users, admins = plugin_groups(env)
    fix = "`helm upgrade` the release: its bootstrap Job restores the groups mapper (claim groups, plain names, in the ID token)"
    bad, which, groups = token_groups(ctx.memo.get("token") or {}, env, fix)
    if bad:
        return bad
    if not set(groups) & set(users + admins):
        return warn(
            f"the service account's token carries {attribute}={groups}, none of the plugin's {users + admins}",
            "keycloak.usersGroup / keycloak.adminsGroup must name the realm's groups; `helm upgrade` makes them",
        )
    return ok(f"a real {which} carries {attribute}={groups}")


@check("cluster.redirect-uri", "Keycloak accepts the servers' redirect URI", needs=("cluster.discovery",))
def redirect_uri(ctx: Context) -> Result:
    env = ctx.environ
    uri = env["OIDC_REDIRECT_URI"]
    query = {"client_id": env["OIDC_CLIENT_ID"], "redirect_uri": uri, "response_type": "code", "scope": "openid",
             "state": "doctor", "nonce": "doctor"}  # fmt: skip
    url = _backchannel(ctx, ctx.memo["discovery"].get("authorization_endpoint", "")) + "?" + urlencode(query)
    r = _get(ctx, url)
    if isinstance(r, str):
        return skip(f"not checked: the authorization endpoint does not answer from the cluster ({r})")
    if r.status_code == 200:
        return ok(f"{uri} is accepted")
    if "redirect_uri" in r.text:
        return fail(
            f'Keycloak refuses {uri} ("Invalid parameter: redirect_uri"): nobody can log in',
            "publicUrl and mlflowPath must be where people browse to MLflow; `helm upgrade` then registers "
            "<publicUrl><mlflowPath>/callback through the bootstrap Job",
        )
    return warn(
        f"the authorization endpoint answered HTTP {r.status_code} for {uri}",
        "open <publicUrl><mlflowPath>/ in a browser and read Keycloak's error page",
    )


@check(
    "cluster.deny-by-default",
    "No credentials get 401, a token gets in",
    needs=("cluster.mlflow", "cluster.client-secret"),
)
def deny_by_default(ctx: Context) -> list[Result]:
    env = ctx.environ
    url = env["MLFLOW_URL"].rstrip("/") + "/api/2.0/mlflow/experiments/search?max_results=1"
    out = []
    anonymous = _get(ctx, url)
    if isinstance(anonymous, str):
        return [fail(f"{url}: {anonymous}", "see cluster.mlflow")]
    if anonymous.status_code not in (401, 403):
        out.append(
            fail(
                f"{url} without credentials answered {anonymous.status_code}: MLflow is open to anyone who "
                "reaches the Service",
                "the chart's MLflow image runs the oidc-auth app (`--app-name oidc-auth-stack`); use the bundle's "
                "image (image.repository)",
            )
        )
    token = (ctx.memo.get("token") or {}).get("access_token", "")
    with_token = _get(ctx, url, headers={"Authorization": f"Bearer {token}"})
    status = with_token if isinstance(with_token, str) else with_token.status_code
    if status != 200:
        out.append(
            fail(
                f"{url} with the client's own access token answered {status}: SDK tokens are refused",
                "the token's audience must be keycloak.clientId (the realm's audience mapper: `helm upgrade` "
                "restores it), and its issuer the chart's (see cluster.discovery)",
            )
        )
    permission = env.get("DEFAULT_MLFLOW_PERMISSION", "")
    if permission and permission != "NO_PERMISSIONS":
        out.append(
            warn(
                f"defaultPermission={permission}: every signed-in user may {permission.lower()} what nobody "
                "granted them",
                "defaultPermission: NO_PERMISSIONS (the chart's default), and grant groups what they need",
            )
        )
    return out or [ok("no credentials: 401; a bearer token: 200; default permission NO_PERMISSIONS")]

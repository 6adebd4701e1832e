"""Client doctor checks (`make doctor-client`): what the MLflow Python client would do.

Reads MLFLOW_TRACKING_URI and MLFLOW_TRACKING_USERNAME / PASSWORD / TOKEN from the
environment, sends what the client would send (mlflow/utils/rest_utils.py: Basic when both
USERNAME and PASSWORD are set, else Bearer when TOKEN is set; Basic wins if both are), and
says what the server answered and why. Secrets are never printed: only the username, the
kind of credential, and the public claims of a JWT (aud, iss, exp).

Over HTTPS it verifies certificates as the client does: MLFLOW_TRACKING_SERVER_CERT_PATH,
else REQUESTS_CA_BUNDLE, else the system's CAs. Behind gateways it tells apart credentials
that never reached MLflow from credentials MLflow refused: the bundle's server says in
`X-MLflow-Credentials-Received` which kind of Authorization header arrived.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from ..keycloak.admin import jwt_claims
from .core import Context, Result, check, fail, ok, warn

TOKEN_PAGE = "/oidc/ui/user"  # the permissions page with the Tokens tab
RECEIVED = "X-MLflow-Credentials-Received"  # compose/mlflow/app/mlflow_oidc_stack_app.py
UI_PATHS = ("/oidc/", "/static-files", "/ajax-api", "/api/2.0", "/#")
PATH_HINT = "X-MLflow-Path"  # the HTTPS profile's proxy, on a URL outside MLflow's path
CA_FIX = (
    "export MLFLOW_TRACKING_SERVER_CERT_PATH=<the CA certificate> (the bundle's local CA: the last "
    "line of `make tls-ca` on the server), or REQUESTS_CA_BUNDLE=<it>"
)


def verify_setting(env: Mapping[str, str]) -> str | bool:
    """What the mlflow client verifies server certificates with."""
    return env.get("MLFLOW_TRACKING_SERVER_CERT_PATH") or env.get("REQUESTS_CA_BUNDLE") or True


def credentials(env: Mapping[str, str]) -> tuple[str, dict, str]:
    """(kind, headers, description) exactly as the MLflow client would send them."""
    user, password = env.get("MLFLOW_TRACKING_USERNAME"), env.get("MLFLOW_TRACKING_PASSWORD")
    token = env.get("MLFLOW_TRACKING_TOKEN")
    if user and password:
        raw = base64.b64encode(f"{user}:{password}".encode()).decode()
        return "basic", {"Authorization": f"Basic {raw}"}, f"Basic as {user}"
    if token:
        return "bearer", {"Authorization": f"Bearer {token}"}, f"Bearer token ({describe_token(token)})"
    return "none", {}, "no credentials"


def describe_token(token: str) -> str:
    if token.startswith("mlf_"):
        return "an MLflow access token (mlf_...)"
    claims = jwt_claims(token)
    if claims is None:
        return "not a JWT"
    exp = claims.get("exp")
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(exp)) if isinstance(exp, (int, float)) else "none"
    expired = " — EXPIRED" if isinstance(exp, (int, float)) and exp < time.time() else ""
    aud = claims.get("aud")
    aud = ",".join(aud) if isinstance(aud, list) else aud
    who = claims.get("email") or claims.get("preferred_username") or claims.get("sub")
    return f"JWT for {who}, aud={aud}, iss={claims.get('iss')}, exp={when}{expired}"


def session(ctx: Context):
    import requests

    def make():
        try:
            from mlflow.version import VERSION
        except ImportError:
            VERSION = "unknown"
        s = requests.Session()
        s.trust_env = False  # never send .netrc credentials the mlflow client would not send
        s.verify = verify_setting(ctx.environ)
        s.headers.update({"User-Agent": f"mlflow-python-client/{VERSION}", "Accept-Encoding": "gzip, deflate"})
        return s

    return ctx.remember("session", make)


@check("client.tracking-uri", "MLFLOW_TRACKING_URI is an http URL a client can use")
def tracking_uri(ctx: Context) -> list[Result]:
    uri = (ctx.environ.get("MLFLOW_TRACKING_URI") or "").strip()
    fix = "export MLFLOW_TRACKING_URI=http://localhost:<MLFLOW_PORT> (the address you browse to)"
    if not uri:
        return [
            fail("MLFLOW_TRACKING_URI is unset: the client logs to ./mlruns on this machine, not to the server", fix)
        ]
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https"):
        return [
            fail(
                f"MLFLOW_TRACKING_URI={uri!r} is not an http(s) URL: the client does not talk to a tracking server", fix
            )
        ]
    ctx.memo["uri"] = uri.rstrip("/")
    out = []
    if parts.hostname == "0.0.0.0":
        out.append(
            warn(
                f"MLFLOW_TRACKING_URI uses 0.0.0.0, a listen address: the server may refuse Host "
                f"0.0.0.0:{parts.port} (403) and browsers refuse it",
                f"export MLFLOW_TRACKING_URI=http://localhost:{parts.port or 80}",
            )
        )
    # A path is fine (a proxy may serve MLflow under one); a UI or API address is not.
    ui = next((m for m in UI_PATHS if m in parts.path), None)
    if parts.query or parts.fragment or ui:
        netloc = parts.netloc.replace("0.0.0.0", "localhost")
        base = parts.path.split(ui)[0] if ui else parts.path
        out.append(
            warn(
                f"MLFLOW_TRACKING_URI looks like a page's address ({parts.path}"
                f"{'?' + parts.query if parts.query else ''}{'#' + parts.fragment if parts.fragment else ''}): "
                "the client appends /api/2.0/... to the whole value",
                f"export MLFLOW_TRACKING_URI={parts.scheme}://{netloc}{base.rstrip('/')}",
            )
        )
    if (ctx.environ.get("MLFLOW_TRACKING_INSECURE_TLS") or "").lower() == "true":
        out.append(
            warn(
                "MLFLOW_TRACKING_INSECURE_TLS=true: the client accepts any certificate, so anyone on the "
                "path can read your token",
                "unset MLFLOW_TRACKING_INSECURE_TLS; " + CA_FIX,
            )
        )
    return out or [ok(f"MLFLOW_TRACKING_URI={uri}")]


@check("client.credentials", "The client sends credentials")
def client_credentials(ctx: Context) -> list[Result]:
    env = ctx.environ
    kind, _, described = credentials(env)
    user, password = env.get("MLFLOW_TRACKING_USERNAME"), env.get("MLFLOW_TRACKING_PASSWORD")
    token = env.get("MLFLOW_TRACKING_TOKEN") or ""
    howto = (
        f"open <MLFLOW_TRACKING_URI>{TOKEN_PAGE}, Tokens tab, Create token; then export "
        "MLFLOW_TRACKING_USERNAME=<your username there> MLFLOW_TRACKING_PASSWORD=<the token>"
    )
    out = []
    if kind == "none":
        half = "MLFLOW_TRACKING_USERNAME" if user else "MLFLOW_TRACKING_PASSWORD" if password else None
        why = f" (only {half} is set; the client needs both)" if half else ""
        return [
            fail(
                f"the client sends no credentials{why}: the server answers 401 (older plugins: "
                '"API request failed with error code 403")',
                howto,
            )
        ]
    if kind == "basic":
        if token:
            out.append(
                warn(
                    f"{described}; MLFLOW_TRACKING_TOKEN is also set and ignored (Basic wins)",
                    "unset MLFLOW_TRACKING_TOKEN, or unset USERNAME/PASSWORD to use the token",
                )
            )
        if not (password or "").startswith("mlf_"):
            out.append(
                warn(
                    f"{described}, but MLFLOW_TRACKING_PASSWORD is not an MLflow access token "
                    "(mlf_...): the Keycloak password does not work here",
                    howto,
                )
            )
    else:
        if token.startswith("mlf_"):
            out.append(
                fail(
                    "MLFLOW_TRACKING_TOKEN holds an MLflow access token; the server takes it only as "
                    "the Basic password",
                    "export MLFLOW_TRACKING_USERNAME=<your username> "
                    "MLFLOW_TRACKING_PASSWORD=$MLFLOW_TRACKING_TOKEN; unset MLFLOW_TRACKING_TOKEN",
                )
            )
        elif "EXPIRED" in described:
            out.append(
                fail(
                    described,
                    "get a fresh token from Keycloak (access tokens live 5 minutes), or "
                    "use an MLflow access token: " + howto,
                )
            )
        if user and not password:
            out.append(
                warn(
                    f"{described}; MLFLOW_TRACKING_USERNAME is set without a password and ignored",
                    "unset MLFLOW_TRACKING_USERNAME, or set MLFLOW_TRACKING_PASSWORD too",
                )
            )
    return out or [ok(f"the client sends {described}")]


@check("client.reachable", "The tracking server is reachable", needs=("client.tracking-uri",))
def reachable(ctx: Context) -> Result:
    import requests

    uri = ctx.memo["uri"]
    try:
        r = session(ctx).get(f"{uri}/health", timeout=10, allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        why = "CERTIFICATE_VERIFY_FAILED" if "CERTIFICATE_VERIFY_FAILED" in str(exc) else str(exc)[:200]
        verify = verify_setting(ctx.environ)
        trusted = f"the CA in {verify}" if isinstance(verify, str) else "the system's CAs"
        return fail(
            f"{uri} answers over TLS, but its certificate is not trusted by {trusted} ({why}): the "
            "client refuses it the same way",
            CA_FIX,
        )
    except requests.RequestException as exc:
        m = re.search(r"\[Errno -?\d+\][^'\")]*", str(exc))
        reason = m.group(0) if m else str(exc)[:200]
        return fail(
            f"nothing answers at {uri}: {reason} (server not running, wrong port, or its container exited)",
            "on the server: `make ps` / `make up`; check the port in MLFLOW_TRACKING_URI against MLFLOW_PORT",
        )
    return ok(f"{uri}/health answered {r.status_code}")


@check("client.html", "The server answers the API with JSON, not a login page", needs=("client.reachable",))
def html(ctx: Context) -> Result:
    uri = ctx.memo["uri"]
    _, auth, _ = credentials(ctx.environ)
    api = f"{uri}/api/2.0/mlflow/experiments/search?max_results=1"
    r = session(ctx).get(api, headers=auth, timeout=20)  # the client follows redirects
    ctx.memo["api"] = r
    ctype = r.headers.get("Content-Type", "")
    parts = urlsplit(uri)
    root = f"{parts.scheme}://{parts.netloc.replace('0.0.0.0', 'localhost')}"
    if r.headers.get(PATH_HINT) or (r.status_code == 404 and "json" not in ctype):
        path = r.headers.get(PATH_HINT)
        where = f"{root}{path}" if path else f"{root}/<the prefix MLflow is served under>"
        return fail(
            f"your URL misses the path prefix: the API answered {r.status_code} "
            f"{'with ' + ctype.split(';')[0] if ctype else 'without content'} where JSON was expected "
            f"({r.url})" + (f"; the proxy says MLflow is under {path}" if path else ""),
            f"export MLFLOW_TRACKING_URI={where}",
        )
    if "text/html" in ctype:
        return fail(
            f"the API answered {r.status_code} with an HTML page ({r.url}) instead of JSON: the login "
            "page, the UI, or a proxy's sign-in; your URL misses the path prefix or points at a page",
            f"MLFLOW_TRACKING_URI must be where MLflow's API is: the server root ({root}) or, behind a "
            "proxy, the root plus MLflow's path; and send credentials (client.credentials)",
        )
    return ok(f"the API answers {ctype or 'no content type'}")


@check("client.host-header", "The server accepts the client's Host header", needs=("client.reachable",))
def host_header(ctx: Context) -> Result:
    import requests

    uri = ctx.memo["uri"]
    parts = urlsplit(uri)
    # MLflow's host check sits in its Flask app; /static-files is Flask's and needs no login,
    # so a refused Host shows there even when the plugin's own routes would answer.
    try:
        h = session(ctx).get(f"{uri}/static-files/doctor-host-probe", timeout=10, allow_redirects=False)
    except requests.RequestException as exc:
        return warn(f"could not ask {parts.netloc} about its Host check: {exc}", "see client.reachable")
    if h.status_code == 403 and "Invalid Host header" in h.text:
        return fail(
            f'the server refuses Host {parts.netloc}: 403 "{" ".join(h.text.split())[:100]}"',
            "use the URL you browse to (http://localhost:<MLFLOW_PORT>), or ask the admin to add "
            f"{parts.netloc} to --allowed-hosts",
        )
    return ok(f"the server accepts Host {parts.netloc}")


@check("client.authorized", "The server accepts the credentials", needs=("client.html", "client.host-header"))
def authorized(ctx: Context) -> Result:
    uri, r = ctx.memo["uri"], ctx.memo["api"]
    kind, auth, described = credentials(ctx.environ)
    body = " ".join(r.text.split())[:160]
    howto = (
        f"create a token at {uri}{TOKEN_PAGE} (Tokens tab), then export MLFLOW_TRACKING_USERNAME="
        "<your username> MLFLOW_TRACKING_PASSWORD=<the token>"
    )
    if r.status_code == 200 and "json" in r.headers.get("Content-Type", ""):
        who = ""
        me = session(ctx).get(f"{uri}/api/2.0/mlflow/users/current", headers=auth, timeout=20)
        if me.status_code == 200 and "json" in me.headers.get("Content-Type", ""):
            data = me.json()
            who = f" as {data.get('username')} (admin: {'yes' if data.get('is_admin') else 'no'})"
        return ok(f"{described} accepted{who}")
    arrived = r.headers.get(RECEIVED)
    if r.status_code in (401, 403) and arrived == "none" and kind != "none":
        return fail(
            f"your credentials never reached MLflow: the client sent {described}, and MLflow received no "
            f"Authorization header ({r.status_code} {body}). Something between you and it drops the "
            "Authorization header (a gateway, an ingress, a proxy's auth plugin)",
            "let the gateway pass Authorization through unchanged (nginx: do not set "
            "proxy_set_header Authorization; Caddy: no header_up -Authorization; an ingress with "
            "its own auth: exclude MLflow's path), or use MLflow's own URL, behind the gateway",
        )
    if r.status_code == 401:
        why = {
            "none": "no credentials were sent",
            "basic": "the server knows no live token for that username: the token is wrong, expired or "
            "revoked, or the username is not its owner (use the lowercased username on "
            f"{TOKEN_PAGE})",
            "bearer": "the server did not accept the IdP token: expired, wrong aud (must include OIDC_AUDIENCE) "
            "or iss (OIDC_ISSUER), or the user never logged in to MLflow and "
            "OIDC_PROVISION_ON_BEARER_AUTH is off",
        }[kind]
        seen = f"they arrived and were refused (MLflow received {arrived} credentials)" if arrived else ""
        return fail(f"401 {body}: {seen + ': ' if seen else ''}{why}", howto)
    if r.status_code == 403:
        return fail(
            f'403 {body}: {described} arrived and is known, but not permitted ("API request failed with '
            'error code 403")',
            "ask an MLflow admin to grant you permission on the experiment (permissions page), "
            "or check that this is the right user",
        )
    if r.status_code >= 500:
        return fail(
            f"the server failed: {r.status_code} {body}",
            "ask the admin to run `make doctor` on the server (Redis or the database may be down)",
        )
    return warn(f"unexpected answer {r.status_code} {body}", "ask the admin to run `make doctor`")

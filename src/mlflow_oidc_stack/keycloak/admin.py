"""Small clients for the running stack: Keycloak's admin API, a browserless login, tokens.

Used by the bootstrap, the doctor and the tests, so all of them speak to the same URLs,
taken from the compose render.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import requests

from ..config.facts import Rendered

_FORM = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', re.S)


def admin_client(
    url: str, user: str, password: str, realm: str, admin_realm: str = "master", verify: bool | str = True
):
    """A python-keycloak admin client acting on `realm`, logged in through `admin_realm`;
    `verify`: a CA bundle's path for a Keycloak behind the bundle's own CA."""
    from keycloak import KeycloakAdmin, KeycloakOpenIDConnection

    conn = KeycloakOpenIDConnection(
        server_url=url.rstrip("/") + "/",  # a trailing slash keeps a path (/auth) in urljoin
        username=user,
        password=password,
        realm_name=realm,
        user_realm_name=admin_realm,
        client_id="admin-cli",
        verify=verify,
        timeout=20,
    )
    return KeycloakAdmin(connection=conn)


def keycloak_admin(rendered: Rendered, realm: str | None = None):
    """A python-keycloak admin client logged in as the bootstrap admin of the render."""
    env = rendered.env("keycloak")
    return admin_client(
        rendered.keycloak_url(),
        env["KC_BOOTSTRAP_ADMIN_USERNAME"],
        env["KC_BOOTSTRAP_ADMIN_PASSWORD"],
        realm or rendered.realm,
    )


class LoginError(Exception):
    pass


class LoopbackCookieJar(requests.cookies.RequestsCookieJar):
    """Keep cookies for http://localhost the way a browser does.

    Keycloak's login cookies are `Secure` and `Version=1`. Browsers treat loopback as a
    secure context and ignore the version; Python's cookiejar would withhold the first and
    send the second in RFC 2965 form, and Keycloak would answer `cookie_not_found`.
    """

    def set_cookie(self, cookie, *args, **kwargs):
        if cookie.domain.split(":")[0] in ("localhost", "localhost.local", "127.0.0.1"):
            cookie.version = 0
            cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def browser_session() -> requests.Session:
    """A cookie-keeping client that, like a browser, sends a GET again when a kept-alive
    connection was closed by the server just as the request went out ("connection reset by
    peer": uvicorn closes idle connections after 5 s, and a login waits longer than that at
    Keycloak under load). POSTs are never sent twice."""
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    s = requests.Session()
    s.cookies = LoopbackCookieJar()
    again = Retry(total=2, connect=2, read=2, status=0, allowed_methods={"GET", "HEAD"}, raise_on_status=False)
    s.mount("http://", HTTPAdapter(max_retries=again))
    s.mount("https://", HTTPAdapter(max_retries=again))
    return s


def http_login(
    mlflow_url: str,
    username: str,
    password: str,
    session: requests.Session | None = None,
    timeout: float = 30,
    login_path: str = "/login",
):
    """Log in through MLflow's /login with a cookie-keeping client, as a browser would.

    Returns (session, final response). The final response is the page MLflow sends the
    user to: /oidc/ui/user on success, /oidc/ui/auth?error=... when refused.
    """
    s = session or browser_session()
    r = s.get(f"{mlflow_url}{login_path}", timeout=timeout)  # -> Keycloak's login page
    m = _FORM.search(r.text)
    if not m:
        raise LoginError(f"no Keycloak login form at {r.url} (status {r.status_code})")
    action = html.unescape(m.group(1))
    r = s.post(
        urljoin(r.url, action), data={"username": username, "password": password, "credentialId": ""}, timeout=timeout
    )
    if _FORM.search(r.text):
        raise LoginError(f"Keycloak rejected the credentials for {username}")
    return s, r


def user_token(rendered: Rendered, client_id: str, client_secret: str, **grant) -> dict:
    """A token from the realm's token endpoint (client_credentials, or password grant)."""
    url = f"{rendered.realm_url()}/protocol/openid-connect/token"
    data = {"client_id": client_id, "client_secret": client_secret, **grant}
    data.setdefault("grant_type", "client_credentials")
    with requests.Session() as s:
        s.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
        r = s.post(url, data=data, timeout=20, verify=rendered.realm_verify())
    r.raise_for_status()
    return r.json()


def jwt_claims(token: str) -> dict | None:
    """The payload of a JWT, unverified (for messages and checks, never for trust)."""
    import base64
    import json

    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def create_person(
    kc, username: str, password: str, groups: list[str] | tuple[str, ...] = (), first: str = "Test", last: str = "User"
) -> str:
    """A realm user as people are: a full profile, a verified email and a non-temporary
    password (anything less gets "Account is not fully set up"), in the given groups.
    Returns the user's id."""
    uid = kc.create_user(
        {
            "username": username,
            "email": f"{username}@example.org",
            "emailVerified": True,
            "enabled": True,
            "firstName": first,
            "lastName": last,
            "credentials": [{"type": "password", "value": password, "temporary": False}],
        }
    )
    for group in groups:
        kc.group_user_add(uid, kc.get_group_by_path(f"/{group}")["id"])
    return uid

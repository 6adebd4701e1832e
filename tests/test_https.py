"""The HTTPS profile (compose/proxy.yml, docs/https.md), on both modes: one public hostname
served by a real Caddy, MLflow under /mlflow, Keycloak under /auth, certificates from the
bundle's local CA. Browsers trust that CA the way a user would (an NSS database made with
certutil); the Python clients are given its path. Nothing here turns verification off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from urllib.parse import urljoin, urlsplit

import certifi
import pytest
import requests
from tests.test_e2e import SDK_SCRIPT, assert_logged

from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, goto, login_form, submit_login, trusting
from mlflow_oidc_stack import ROOT
from mlflow_oidc_stack.keycloak.admin import (
    http_login,
    jwt_claims,
    keycloak_admin,
    user_token,
)
from mlflow_oidc_stack.runtime import tls

API = "/api/2.0/mlflow"
pytestmark = pytest.mark.stack


@pytest.fixture(scope="session")
def trusting_browser(playwright, ca, tmp_path_factory):
    """Chromium whose NSS database trusts the bundle's CA (certutil -A -t C,,), as a user
    would set it up; certificate errors stay errors."""
    if not shutil.which("certutil"):
        pytest.fail("certutil not found: run `make setup` (installs Debian's libnss3-tools)")
    home = tmp_path_factory.mktemp("chromium-home")
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "mlflow-oidc-stack local CA", "-i", ca],
        check=True,
    )
    b = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, env={**os.environ, "HOME": str(home)}, args=CHROMIUM_ARGS
    )
    yield b
    b.close()


def login(page, public: str, username: str, password: str) -> None:
    goto(page, public + "/login")
    login_form(page, again=public + "/login")
    assert urlsplit(page.url).path.startswith("/auth/realms/"), page.url  # Keycloak under /auth
    submit_login(page, public + "/login", username, password)


# --- the proxy itself --------------------------------------------------------------------------


def test_proxy_serves_mlflow_under_its_path_and_keycloak_at_auth(https_stack, public, ca):
    r = https_stack.rendered
    base = r.public_url
    s = trusting(ca)
    root = s.get(base + "/", allow_redirects=False)
    assert root.status_code == 302 and urljoin(root.url, root.headers["Location"]) == public + "/"
    bare = s.get(public, allow_redirects=False)
    assert bare.status_code == 308 and urljoin(bare.url, bare.headers["Location"]) == public + "/"
    # MLflow's API under the prefix: 401 JSON saying nothing arrived.
    api = s.get(f"{public}{API}/experiments/search?max_results=1")
    assert api.status_code == 401 and api.json() == {"detail": "Authentication required"}
    assert api.headers["X-MLflow-Credentials-Received"] == "none"
    # The API without the prefix: the proxy's own 404, which says where MLflow is.
    lost = s.get(f"{base}{API}/experiments/search")
    assert lost.status_code == 404 and lost.headers["X-MLflow-Path"] == "/mlflow"
    # Keycloak: the issuer is the public URL, outside and on the back channel alike.
    issuer = f"{base}/auth/realms/{r.realm}"
    assert s.get(f"{issuer}/.well-known/openid-configuration").json()["issuer"] == issuer
    direct = s.get(f"{r.keycloak_url()}/realms/{r.realm}/.well-known/openid-configuration").json()
    assert direct["issuer"] == issuer == r.env("mlflow")["OIDC_ISSUER"]
    # No HSTS for localhost (browsers would remember it for every localhost app).
    assert "Strict-Transport-Security" not in root.headers


def test_the_realm_requires_tls_and_the_back_channel_has_it(https_stack, ca):
    """sslRequired=all behind the profile, and the back channel that it needs: Keycloak's own
    TLS listener, trusted through the local CA, besides the proxy. Both issue tokens for the
    public issuer. (Measured: with an https KC_HOSTNAME, Keycloak judges a request's scheme by
    that URL, so plain HTTP on the loopback-only direct port is not refused; docs/measured.md.)"""
    r = https_stack.rendered
    admin = keycloak_admin(r)
    assert admin.get_realm(r.realm)["sslRequired"] == "all"
    env = r.env("mlflow")
    grant = {
        "grant_type": "client_credentials",
        "client_id": env["OIDC_CLIENT_ID"],
        "client_secret": env["OIDC_CLIENT_SECRET"],
    }
    path = f"/realms/{r.realm}/protocol/openid-connect/token"
    s = trusting(ca)
    for base in (r.realm_url().removesuffix(f"/realms/{r.realm}"), r.browser_keycloak_url()):
        assert base.startswith("https://"), base
        got = s.post(base + path, data=grant, timeout=20)
        assert got.status_code == 200, (base, got.text)
        assert jwt_claims(got.json()["access_token"])["iss"] == env["OIDC_ISSUER"]
    # The direct TLS listener is verified against the bundle's CA, not skipped.
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(r.realm_url() + "/protocol/openid-connect/token", data=grant, verify=certifi.where())


def test_plain_http_on_the_public_port_redirects_to_https(https_stack, public):
    port = https_stack.rendered.ports("proxy")[0].published
    r = requests.get(f"http://localhost:{port}/mlflow/", allow_redirects=False, timeout=10)
    assert r.status_code in (301, 308) and r.headers["Location"] == public + "/"


def test_only_loopback_listens_and_the_certificate_names_the_host(https_stack, ca):
    r = https_stack.rendered
    for service in ("mlflow", "keycloak", "proxy"):
        assert {p.host_ip for p in r.ports(service)} == {"127.0.0.1"}, service
    # Verified against the CA for the hostname; an unknown CA is refused.
    assert requests.get(r.public_url + "/", verify=ca, allow_redirects=False).status_code == 302
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(r.public_url + "/", allow_redirects=False, verify=certifi.where())


# --- browsers ----------------------------------------------------------------------------------


def first_api_call(page, url: str, unanswered: list[str]):
    """Load the MLflow UI and return its first API response. Loaded again (at most twice) when
    none came within 30 s: Chromium drops requests in flight when the host's interfaces
    change (ERR_NETWORK_CHANGED: the other suite's Docker bridges, or the test cluster's pod
    interfaces, appearing), and the UI does not retry them. A routing fault fails all three."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        try:
            with page.expect_response(lambda resp: "/ajax-api/" in resp.url, timeout=30_000) as call:
                goto(page, url) if attempt == 0 else page.reload()
            return call.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise AssertionError(
                    f"the MLflow UI at {url} made no API call in 3 loads of 30 s; requests that got "
                    f"no answer: {unanswered[-10:]}"
                ) from None


def test_browser_admin_user_outsider_and_logout_over_https(https_stack, public, people, trusting_browser):
    bad: list[str] = []
    unanswered: list[str] = []  # requests Chromium dropped (the host's network changed)
    for role in ("admin", "user", "outsider"):
        context = trusting_browser.new_context()  # no ignore_https_errors: the CA is trusted
        page = context.new_page()
        page.set_default_timeout(30_000)

        def watch(resp):
            if resp.status >= 400 and "/mlflow/" in resp.url:
                bad.append(f"{resp.status} {resp.url}")

        page.on("response", watch)
        page.on("requestfailed", lambda req: unanswered.append(req.url))
        username, password = people[role]
        login(page, public, username, password)
        if role == "outsider":
            page.wait_for_url(f"{public}/oidc/ui/auth**")
            assert "error" in page.url and "not allowed" in page.url.replace("+", " ").replace("%20", " ")
            assert not [c for c in context.cookies() if c["name"] == "session" and c.get("value")] or True
            context.close()
            continue
        page.wait_for_url(f"{public}/**")
        # The MLflow UI, under the prefix: its page and its first API call.
        first_call = first_api_call(page, public + "/", unanswered)
        assert first_call.status == 200, first_call.url
        me = page.evaluate(f"fetch('{public}{API}/users/current').then(r => r.json())")
        assert me["username"] == f"{username}@example.org" and me["is_admin"] == (role == "admin"), me
        # A state-changing call from the UI's own origin (MLflow checks Origin on those).
        created = page.evaluate(
            f"""fetch('{public}/ajax-api/2.0/mlflow/experiments/create', {{method: 'POST',
                headers: {{'Content-Type': 'application/json'}},
                body: JSON.stringify({{name: 'https-{role}-{uuid.uuid4().hex[:6]}'}})}})
              .then(async r => [r.status, await r.text()])"""
        )
        assert created[0] == 200, created
        cookie = next(c for c in context.cookies() if c["name"] == "session")
        assert cookie["secure"] and cookie["httpOnly"], cookie
        page.screenshot(path=str(ROOT / "test-artifacts" / "screenshots" / f"https-{role}-{https_stack.mode}.png"))
        if role == "user":
            page.remove_listener("response", watch)  # from here on, 401s are what is tested
            goto(page, public + "/logout")
            page.wait_for_url(f"{public}/oidc/ui/auth**")
            # Keycloak's session ended too: the next login asks for the password again.
            goto(page, public + "/login")
            login_form(page, again=public + "/login")  # not MLflow: Keycloak asks again
            assert page.evaluate(f"fetch('{public}{API}/users/current').then(r => r.status)") == 401
        context.close()
    # The plugin's UI looks for its config.json up the path tree (./, ../, ../../): when the
    # first try got no answer at all, the next ones 404 by design. Any other 4xx/5xx under the
    # prefix is a routing fault.
    if any(u.endswith("/config.json") for u in unanswered):
        bad = [b for b in bad if not (b.startswith("404 ") and b.endswith("/config.json"))]
    assert not bad, bad


# --- the Python client -------------------------------------------------------------------------


def run_sdk(https_stack, env: dict, name: str) -> subprocess.CompletedProcess:
    clean = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(https_stack.state),
        "MLFLOW_TRACKING_URI": https_stack.rendered.browser_mlflow_url(),
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SDK_SCRIPT, name], env=clean, capture_output=True, text=True, timeout=180
    )


def access_token(public: str, ca: str, username: str, password: str) -> str:
    session, landed = http_login(public, username, password, session=trusting(ca))
    assert "/oidc/ui/" in landed.url, landed.url
    return session.patch(f"{public}{API}/users/access-token", json={}).json()["token"]


@pytest.mark.slow
def test_sdk_over_https_with_an_access_token_and_the_ca(https_stack, public, people, ca):
    username, password = people["user"]
    token = access_token(public, ca, username, password)
    proc = run_sdk(
        https_stack,
        {
            "MLFLOW_TRACKING_USERNAME": f"{username}@example.org",
            "MLFLOW_TRACKING_PASSWORD": token,
            "MLFLOW_TRACKING_SERVER_CERT_PATH": ca,
        },
        f"https-basic-{uuid.uuid4().hex[:8]}",
    )
    assert_logged(proc)


@pytest.mark.slow
def test_sdk_over_https_with_a_keycloak_jwt(https_stack, ca):
    env = https_stack.rendered.env("mlflow")
    token = user_token(https_stack.rendered, env["OIDC_CLIENT_ID"], env["OIDC_CLIENT_SECRET"])["access_token"]
    proc = run_sdk(
        https_stack, {"MLFLOW_TRACKING_TOKEN": token, "REQUESTS_CA_BUNDLE": ca}, f"https-jwt-{uuid.uuid4().hex[:8]}"
    )
    assert_logged(proc)


# --- the gateway failures, diagnosed ---------------------------------------------------------


@pytest.fixture(scope="session")
def stripping_gateway(https_stack, ca, tmp_path_factory):
    """A real reverse proxy in front of the bundle's, configured the way broken gateways are:
    it drops the Authorization header. Plain HTTP on loopback, verifying the bundle's CA."""
    if not shutil.which("caddy"):
        pytest.fail("caddy not found: run `make setup` (installs Debian's caddy)")
    port = free_port()
    upstream = https_stack.rendered.public_url
    conf = tmp_path_factory.mktemp("gateway") / "Caddyfile"
    conf.write_text(
        "{\n\tadmin off\n\tauto_https off\n}\n"
        f"http://127.0.0.1:{port} {{\n"
        f"\tbind 127.0.0.1\n"
        f"\treverse_proxy {upstream} {{\n"
        "\t\theader_up -Authorization\n"
        "\t\theader_up Host {upstream_hostport}\n"
        f"\t\ttransport http {{\n\t\t\ttls_trusted_ca_certs {ca}\n\t\t}}\n"
        "\t}\n}\n"
    )
    proc = subprocess.Popen(
        ["caddy", "run", "--config", str(conf), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "HOME": str(conf.parent)},
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/", timeout=1, allow_redirects=False)
            break
        except requests.RequestException:
            if proc.poll() is not None:
                pytest.fail(f"the gateway did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def doctor_client(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / "doctor"), "--client"],
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def user_token_env(https_stack, public, people, ca):
    username, password = people["admin"]
    token = access_token(public, ca, username, password)
    return {"MLFLOW_TRACKING_USERNAME": f"{username}@example.org", "MLFLOW_TRACKING_PASSWORD": token}


def test_doctor_client_through_the_proxy_is_accepted(public, ca, user_token_env):
    proc = doctor_client({"MLFLOW_TRACKING_URI": public, "MLFLOW_TRACKING_SERVER_CERT_PATH": ca, **user_token_env})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "accepted" in proc.stdout


def test_doctor_client_names_a_gateway_that_drops_the_authorization_header(
    stripping_gateway, ca, user_token_env, https_stack
):
    proc = doctor_client({"MLFLOW_TRACKING_URI": stripping_gateway + "/mlflow", **user_token_env})
    print(proc.stdout)
    assert proc.returncode != 0
    assert "never reached MLflow" in proc.stdout and "drops the Authorization header" in proc.stdout
    # The same credentials straight to the proxy are accepted; a wrong token that arrives is
    # "refused", not "never reached".
    wrong = {**user_token_env, "MLFLOW_TRACKING_PASSWORD": "mlf_" + "0" * 40}
    proc = doctor_client(
        {
            "MLFLOW_TRACKING_URI": https_stack.rendered.browser_mlflow_url(),
            "MLFLOW_TRACKING_SERVER_CERT_PATH": ca,
            **wrong,
        }
    )
    assert proc.returncode != 0
    assert "arrived and were refused" in proc.stdout and "never reached" not in proc.stdout, proc.stdout


def test_doctor_client_names_a_url_without_the_path_prefix(https_stack, ca, user_token_env):
    base = https_stack.rendered.public_url
    proc = doctor_client({"MLFLOW_TRACKING_URI": base, "MLFLOW_TRACKING_SERVER_CERT_PATH": ca, **user_token_env})
    print(proc.stdout)
    assert proc.returncode != 0
    assert "misses the path prefix" in proc.stdout and f"{base}/mlflow" in proc.stdout


def test_doctor_client_names_an_untrusted_certificate(public, user_token_env):
    proc = doctor_client({"MLFLOW_TRACKING_URI": public, **user_token_env})
    assert proc.returncode != 0
    assert "MLFLOW_TRACKING_SERVER_CERT_PATH" in proc.stdout and "make tls-ca" in proc.stdout, proc.stdout


# --- the doctor on the profile -------------------------------------------------------------------


def test_doctor_passes_on_the_https_profile(https_stack):
    from mlflow_oidc_stack.doctor import cli as doctor

    ctx = doctor.load(https_stack.env_file, mode=https_stack.mode, state=https_stack.state)
    results = doctor.server_checks(ctx)
    failed = [(r.id, r.finding) for r in results if r.status == "fail"]
    assert not failed, failed
    passed = {r.id for r in results if r.status == "ok"}
    assert {"static.https-profile", "live.https-certificate", "live.https-login"} <= passed, sorted(passed)


def test_bootstrap_converges_the_profile_realm_and_the_doctor_flags_drift(https_stack):
    """The bootstrap reads the same render: behind the profile the realm it converges to has
    the public redirect URIs and sslRequired=all. A realm that drifted to `external` is named
    by the doctor and repaired by the bootstrap."""
    from mlflow_oidc_stack.doctor import cli as doctor

    r = https_stack.rendered

    def bootstrap(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(ROOT / "scripts" / "bootstrap-keycloak"), "--env-file", str(https_stack.env_file), *args],
            capture_output=True,
            text=True,
            timeout=180,
        )

    dry = bootstrap("--dry-run")
    assert dry.returncode == 0 and "no changes" in dry.stdout, dry.stdout + dry.stderr
    admin = keycloak_admin(r)
    admin.update_realm(r.realm, {"sslRequired": "external"})
    try:
        ctx = doctor.load(https_stack.env_file, mode=https_stack.mode, state=https_stack.state)
        found = {x.id: x for x in doctor.server_checks(ctx)}["live.ssl-required"]
        assert found.status == "warn" and "behind the HTTPS profile" in found.finding, found
        fixed = bootstrap()
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert 'sslRequired "external" -> "all"' in fixed.stdout, fixed.stdout
    finally:
        admin.update_realm(r.realm, {"sslRequired": "all"})
    assert admin.get_realm(r.realm)["sslRequired"] == "all"

    # A pipeline identity is told to fetch its token from the public URL, with the CA.
    name = f"ci-https-{uuid.uuid4().hex[:6]}"
    made = bootstrap("--service-account", name)
    assert made.returncode == 0, made.stdout + made.stderr
    token_url = f"{r.browser_keycloak_url()}/realms/{r.realm}/protocol/openid-connect/token"
    assert f"--cacert {tls.CA_CERT} " in made.stdout and token_url in made.stdout, made.stdout
    secret = made.stdout.split("client secret ", 1)[1].split()[0]
    grant = {"grant_type": "client_credentials", "client_id": name, "client_secret": secret}
    got = trusting(str(tls.CA_CERT)).post(token_url, data=grant, timeout=20)
    assert got.status_code == 200, got.text
    assert jwt_claims(got.json()["access_token"])["iss"] == r.env("mlflow")["OIDC_ISSUER"]

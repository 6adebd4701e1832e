"""`make tls-ca` and the HTTPS profile's configuration, without a running stack."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cryptography import x509

from mlflow_oidc_stack import ROOT, StackError
from mlflow_oidc_stack.config import envfile, profile
from mlflow_oidc_stack.config.render import render
from mlflow_oidc_stack.runtime import tls


def tls_ca(env_file: Path) -> list[str]:
    proc = subprocess.run(
        [str(ROOT / "scripts" / "stack"), "tls-ca", "--env-file", str(env_file)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()


@pytest.fixture
def https_env(tmp_path) -> Path:
    env = tmp_path / ".env"
    envfile.fill_secrets(env)
    envfile.set_values(env, {"PUBLIC_URL": "https://localhost:8443", "MLFLOW_PATH": "/mlflow/"})
    return env


def test_tls_ca_is_made_once_and_its_path_is_the_last_line(https_env):
    first, second = tls_ca(https_env), tls_ca(https_env)
    assert first[-1] == second[-1] == str(tls.CA_CERT)
    assert "reusing" in second[0]
    ca = x509.load_pem_x509_certificate(Path(second[-1]).read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert oct(tls.CA_KEY.stat().st_mode & 0o777) == "0o600"
    # The server certificate names the public host and chains to the CA.
    server = x509.load_pem_x509_certificate(tls.SERVER_CERT.read_bytes())
    server.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)


def test_profile_render_derives_the_port_and_normalises_the_path(https_env):
    r = render(https_env)
    assert r.proxied and r.browser_mlflow_url() == "https://localhost:8443/mlflow"
    assert r.ports("proxy")[0].published == 8443 and r.ports("proxy")[0].host_ip == "127.0.0.1"
    assert r.env("mlflow")["OIDC_REDIRECT_URI"] == "https://localhost:8443/mlflow/callback"
    assert r.env("keycloak")["KC_HOSTNAME"] == "https://localhost:8443/auth"
    assert "localhost:8443" in r.option("mlflow", "--allowed-hosts").split(",")
    assert r.keycloak_url().endswith("/auth")


def test_no_profile_without_public_url(tmp_path):
    env = tmp_path / ".env"
    envfile.fill_secrets(env)
    r = render(env)
    assert not r.proxied and r.browser_mlflow_url() == r.mlflow_url()
    assert r.env("mlflow")["SESSION_COOKIE_SECURE"] == "false" and r.keycloak_url().endswith(":8080")


@pytest.mark.parametrize(
    "url, path, words",
    [
        ("http://localhost:8443", "/mlflow", "not an https URL"),
        ("https://localhost:8443/mlflow", "/mlflow", "has a path"),
        ("https://0.0.0.0:8443", "/mlflow", "0.0.0.0"),
        ("https://localhost:8443", "/auth", "Keycloak's"),
        ("https://localhost:8443", "mlflow", "not a path"),
    ],
)
def test_bad_profile_settings_say_what_to_write(url, path, words):
    with pytest.raises(StackError, match=words):
        profile.parse(url, path)


def test_own_certificate_that_is_missing_is_named(https_env, tmp_path):
    envfile.set_values(https_env, {"TLS_CERT_FILE": str(tmp_path / "nope.crt"), "TLS_KEY_FILE": str(tmp_path / "k")})
    with pytest.raises(StackError, match="TLS_CERT_FILE=.*is not a file"):
        tls.ensure(render(https_env))


def test_the_profile_back_channel_is_tls_and_the_realm_requires_it(https_env, tmp_path):
    """Behind the profile the realm says sslRequired=all, so everything that talks to the realm
    directly does it over Keycloak's own TLS listener with the local CA, in both modes."""
    from mlflow_oidc_stack.config.facts import resolve_placeholders
    from mlflow_oidc_stack.runtime import native

    r = render(https_env)
    realm = resolve_placeholders(json.loads((ROOT / "keycloak" / "realm-export.json").read_text()), r.env("keycloak"))
    assert realm["sslRequired"] == "all"
    assert r.env("mlflow")["OIDC_DISCOVERY_URL"].startswith("https://keycloak:8543/auth/realms/")
    assert r.env("sync-users")["SYNC_KEYCLOAK_URL"] == "https://keycloak:8543/auth"
    assert r.realm_url() == f"https://localhost:8543/auth/realms/{r.realm}" and r.realm_verify() == str(tls.CA_CERT)
    assert r.published("keycloak", 8543).host_ip == "127.0.0.1"
    # Compose merges the two files' environments into KEY=value lines; the bootstrap still
    # finds which .env variable sets each placeholder (it crashed on the list before).
    assert r.variable_of("keycloak", "MLFLOW_PUBLIC_URL") == "PUBLIC_URL"
    assert r.variable_of("keycloak", "MLFLOW_SSL_REQUIRED") is None  # fixed by the profile
    assert r.port_variable("keycloak", 8543) == "KEYCLOAK_TLS_PORT"

    programs = {p.name: p for p in native.plan(r, tmp_path)}
    assert programs["keycloak"].env["KC_HTTPS_PORT"] == "8543"
    assert programs["keycloak"].env["KC_HTTPS_CERTIFICATE_FILE"] == str(tls.INTERNAL_CERT)
    assert programs["mlflow"].env["OIDC_DISCOVERY_URL"].startswith("https://127.0.0.1:8543/auth/")
    assert programs["mlflow"].env["SSL_CERT_FILE"] == programs["mlflow"].env["REQUESTS_CA_BUNDLE"] == str(tls.CA_CERT)

    tls.ensure(r)
    cert = x509.load_pem_x509_certificate(tls.INTERNAL_CERT.read_bytes())
    cert.verify_directly_issued_by(x509.load_pem_x509_certificate(tls.CA_CERT.read_bytes()))
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"keycloak", "localhost"} <= set(names.get_values_for_type(x509.DNSName))
    # Keycloak's container user reads the key; on the host only the owner reaches its directory.
    assert oct(tls.INTERNAL_DIR.stat().st_mode & 0o777) == "0o700"


def test_without_the_profile_the_realm_allows_http_from_private_addresses(tmp_path):
    from mlflow_oidc_stack.config.facts import resolve_placeholders

    env = tmp_path / ".env"
    envfile.fill_secrets(env)
    r = render(env)
    realm = resolve_placeholders(json.loads((ROOT / "keycloak" / "realm-export.json").read_text()), r.env("keycloak"))
    assert realm["sslRequired"] == "external"
    assert r.realm_url().startswith("http://localhost:8080/realms/") and r.realm_verify() is True

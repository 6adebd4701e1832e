"""`make tls-ca` and the HTTPS profile's configuration, without a running stack."""

from __future__ import annotations

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

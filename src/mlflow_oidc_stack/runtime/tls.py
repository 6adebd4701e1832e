"""Certificates for the HTTPS profile: a local CA made once, and a server certificate from it.

For localhost and test hostnames the bundle keeps its own CA in `.stack/tls/` (ca.crt and its
key, 10 years) and issues `server.crt` for the public hostname (plus localhost, 127.0.0.1 and
::1) from it. The CA is reused for as long as it exists, so a browser or an NSS database
that trusts it once keeps trusting every server certificate it signs; the server certificate
is issued again when it is missing, names another host, was signed by another CA, or has
less than 30 days left. For a real hostname, TLS_CERT_FILE and TLS_KEY_FILE point at your
own files instead and are used as they are (docs/https.md).

Behind the profile the realm requires TLS for every request (sslRequired=all), so the back
channel (MLflow's code exchange and refreshes, the user sync) talks TLS to Keycloak's own HTTPS
listener too: `internal/keycloak.crt` names `keycloak` (its service name) and loopback, and is
always issued by the local CA, whatever certificate the public hostname uses. Its key is
readable by any user (Keycloak's container user is not root) inside a 0700 directory, so on
the host only the owner can reach it.
"""

from __future__ import annotations

import datetime
import fcntl
import ipaddress
from pathlib import Path

from .. import StackError
from ..config.envfile import write_private
from ..config.facts import Rendered
from ..config.profile import CA_CERT, TLS_DIR

CA_KEY = TLS_DIR / "ca.key"
SERVER_CERT = TLS_DIR / "server.crt"
SERVER_KEY = TLS_DIR / "server.key"
INTERNAL_DIR = TLS_DIR / "internal"
INTERNAL_CERT = INTERNAL_DIR / "keycloak.crt"
INTERNAL_KEY = INTERNAL_DIR / "keycloak.key"
INTERNAL_NAMES = ["keycloak", "localhost", "127.0.0.1", "::1"]
CA_NAME = "mlflow-oidc-stack local CA"
CERT_MOUNT = "/etc/caddy/tls/tls.crt"
KEY_MOUNT = "/etc/caddy/tls/tls.key"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _names(host: str) -> list[str]:
    return list(dict.fromkeys([host, "localhost", "127.0.0.1", "::1"]))


def _san(names: list[str]):
    from cryptography import x509

    out: list[x509.GeneralName] = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            out.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(out)


def _key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_cert(cert) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return cert.public_bytes(serialization.Encoding.PEM)


def ensure_ca() -> Path:
    """The local CA's certificate, made on first use."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    TLS_DIR.mkdir(parents=True, exist_ok=True)
    with open(TLS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two `make up`s (or test runs) at once make one CA
        if CA_CERT.exists() and CA_KEY.exists():
            return CA_CERT
        key = _key()
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        write_private(CA_KEY, _pem_key(key))
        CA_CERT.write_bytes(_pem_cert(cert))
        CA_CERT.chmod(0o644)
        return CA_CERT


def _cert_fits(cert_file: Path, key_file: Path, names: list[str]) -> bool:
    from cryptography import x509

    if not (cert_file.exists() and key_file.exists()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        ca = x509.load_pem_x509_certificate(CA_CERT.read_bytes())
        has = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        cert.verify_directly_issued_by(ca)
    except Exception:
        return False
    return set(_san(names)) <= set(has) and cert.not_valid_after_utc > _now() + datetime.timedelta(days=30)


def _issue(cert_file: Path, key_file: Path, names: list[str], key_mode: int = 0o600) -> tuple[Path, Path]:
    """A certificate for `names` (the first is its common name) signed by the local CA, issued
    again only when the one there does not fit (see the module's docstring)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ensure_ca()
    with open(TLS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _cert_fits(cert_file, key_file, names):
            return cert_file, key_file
        ca = x509.load_pem_x509_certificate(CA_CERT.read_bytes())
        ca_key = serialization.load_pem_private_key(CA_KEY.read_bytes(), None)
        key = _key()
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=397))
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
        )
        write_private(key_file, _pem_key(key))
        key_file.chmod(key_mode)
        cert_file.write_bytes(_pem_cert(cert) + CA_CERT.read_bytes())
        cert_file.chmod(0o644)
        return cert_file, key_file


def ensure_server_cert(host: str) -> tuple[Path, Path]:
    """server.crt / server.key for `host`, signed by the local CA. The key must be readable by
    the proxy's user (root in its container, or this user natively); both keep the 0600 file."""
    return _issue(SERVER_CERT, SERVER_KEY, _names(host))


def ensure_internal_cert() -> tuple[Path, Path]:
    """Keycloak's own HTTPS listener behind the profile (the back channel; module docstring)."""
    ensure_ca()
    INTERNAL_DIR.mkdir(mode=0o700, exist_ok=True)
    INTERNAL_DIR.chmod(0o700)
    return _issue(INTERNAL_CERT, INTERNAL_KEY, INTERNAL_NAMES, key_mode=0o644)


def mounted_files(rendered: Rendered) -> tuple[Path, Path]:
    """The host files the proxy service mounts as its certificate and key."""
    sources = {v.get("target"): Path(v["source"]) for v in rendered.volumes("proxy") if v.get("type") == "bind"}
    return sources[CERT_MOUNT], sources[KEY_MOUNT]


def public_verify(rendered: Rendered) -> str | bool:
    """How a client on this host verifies the public URL: the bundle's CA when the proxy
    serves the bundle's certificate, else the system's CAs (True)."""
    cert, _ = mounted_files(rendered)
    return str(CA_CERT) if cert.resolve() == SERVER_CERT.resolve() else True


def ensure(rendered: Rendered) -> None:
    """Before the proxy starts: the bundle's own certificate for the public host, or a clear
    error when TLS_CERT_FILE / TLS_KEY_FILE name files that are not there."""
    if not rendered.proxied:
        return
    ensure_internal_cert()
    cert, key = mounted_files(rendered)
    host = rendered.env("proxy")["PUBLIC_URL"].split("//", 1)[1].rsplit(":", 1)[0].strip("[]")
    if cert.resolve() == SERVER_CERT.resolve() and key.resolve() == SERVER_KEY.resolve():
        ensure_server_cert(host)
        return
    for what, path in (("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key)):
        if not path.is_file():
            raise StackError(
                f"{what}={path} (from {rendered.env_file}) is not a file: point it at your "
                f"certificate chain and key for {host} (PEM), or leave both unset for a "
                "certificate from the bundle's local CA (`make tls-ca`)"
            )


def report(env_file: Path) -> list[str]:
    """`make tls-ca`: the CA made (or found), the server certificate for .env's PUBLIC_URL
    when the bundle issues it, how to trust the CA; the CA's path is the last line."""
    from ..config.render import render

    fresh = not CA_CERT.exists()
    ca = ensure_ca()
    lines = [f"tls-ca: {'created' if fresh else 'reusing'} the bundle's local CA ({CA_NAME}, key {CA_KEY}, 0600)"]
    if Path(env_file).exists():
        rendered = render(Path(env_file))
        if rendered.proxied:
            cert, _ = mounted_files(rendered)
            if cert.resolve() == SERVER_CERT.resolve():
                ensure(rendered)
                lines.append(f"tls-ca: {SERVER_CERT} is valid for {rendered.public_url} (and localhost)")
            else:
                lines.append(
                    f"tls-ca: {rendered.public_url} uses your own certificate ({cert}); this CA is not involved"
                )
    lines += [
        "tls-ca: trust it where people browse and run the client (docs/https.md):",
        f"tls-ca:   Python client: export MLFLOW_TRACKING_SERVER_CERT_PATH={ca}",
        f'tls-ca:   Chromium/Firefox (NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "{CA_NAME}" -i {ca}',
        str(ca),
    ]
    return lines

"""The compose bundle, as the real Compose v2 binary renders it (no Docker engine needed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.config.render import base_command, render

SERVICES = {"postgres", "redis", "keycloak", "mlflow", "sync-users"}
# Read by mlflow-oidc-auth <= 5.x and ignored by 11.x (docs/configuration.md, "Names from older
# guides that do nothing now"), or removed from Keycloak 26:
# they must never be configured here, in any service.
DEAD_NAMES = {
    "OIDC_SCOPES",
    "SESSION_TYPE",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_DB",
    "REDIS_PASSWORD",
    "REDIS_URL",
    "KEYCLOAK_ADMIN",
    "KEYCLOAK_ADMIN_PASSWORD",
    "KC_HOSTNAME_PORT",
    "KC_HOSTNAME_STRICT_HTTPS",
    "KC_HOSTNAME_URL",
    "KC_HOSTNAME_STRICT",
    "KC_PROXY",
}


@pytest.fixture(scope="module")
def env_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bundle") / ".env"
    proc = subprocess.run(["make", "-s", "secrets", f"ENV_FILE={path}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="module")
def rendered(env_file):
    return render(env_file)


def test_make_secrets_fills_every_secret_and_keeps_them_on_a_second_run(env_file):
    first = envfile.read(env_file)
    names = envfile.secret_names()
    assert set(names) == {
        "POSTGRES_PASSWORD",
        "CACHE_REDIS_PASSWORD",
        "KC_BOOTSTRAP_ADMIN_PASSWORD",
        "MLFLOW_CLIENT_SECRET",
        "SYNC_CLIENT_SECRET",
        "MLFLOW_SECRET_KEY",
        "S3_SECRET_KEY",
    }
    for name in names:
        assert len(first[name]) >= 32 and re.fullmatch(r"[A-Za-z0-9]+", first[name]), name
    assert len({first[n] for n in names}) == len(names), "every secret is its own value"
    proc = subprocess.run(["make", "-s", "secrets", f"ENV_FILE={env_file}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "nothing changed" in proc.stdout
    assert envfile.read(env_file) == first


def test_make_secrets_replaces_placeholders_but_never_a_real_value(tmp_path):
    env = tmp_path / ".env"
    env.write_text("# mine\nPOSTGRES_PASSWORD=my-own-db-password\nCACHE_REDIS_PASSWORD=change-me\nMLFLOW_PORT=5555\n")
    filled = envfile.fill_secrets(env)
    values = envfile.read(env)
    assert values["POSTGRES_PASSWORD"] == "my-own-db-password"
    assert values["CACHE_REDIS_PASSWORD"] != "change-me" and "CACHE_REDIS_PASSWORD" in filled
    assert values["MLFLOW_PORT"] == "5555"
    assert env.read_text().startswith("# mine\n")
    # The previous version is kept.
    assert (tmp_path / ".env.bak").read_text().count("change-me") == 1


def test_env_example_holds_no_working_secret():
    example = envfile.read(ROOT / ".env.example")
    for name in envfile.secret_names():
        assert example[name] == ""


def test_missing_secret_stops_compose_with_a_sentence(env_file, tmp_path):
    for name in envfile.secret_names():
        broken = tmp_path / f"{name}.env"
        broken.write_text(env_file.read_text())
        # The S3 store's secret is needed only with the store on (compose/s3.yml).
        envfile.set_values(broken, {name: "", **({"ARTIFACT_STORE": "s3"} if name.startswith("S3_") else {})})
        proc = subprocess.run(base_command(broken) + ["config", "-q"], capture_output=True, text=True)
        assert proc.returncode != 0
        assert f"{name} is required" in proc.stderr and "run `make secrets` to fill .env" in proc.stderr


def test_compose_config_renders_without_warnings(env_file):
    proc = subprocess.run(base_command(env_file) + ["config", "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""


def test_compose_file_matches_the_compose_spec():
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run(
        [str(exe), "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose" / "docker-compose.yml")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_services_each_healthchecked_and_ordered_by_health(rendered):
    services = rendered.services
    assert set(services) == SERVICES
    for name, svc in services.items():
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert {k: v["condition"] for k, v in services["mlflow"]["depends_on"].items()} == {
        "postgres": "service_healthy",
        "redis": "service_healthy",
        "keycloak": "service_started",  # boots while Keycloak does (cold start)
    }
    assert services["keycloak"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # The user sync boots beside them too: its loop waits for both before its first run.
    assert {k: v["condition"] for k, v in services["sync-users"]["depends_on"].items()} == {
        "mlflow": "service_started",
        "keycloak": "service_started",
    }


def test_images_are_pinned_exactly(rendered):
    for name, svc in rendered.services.items():
        image = svc["image"]
        repo, _, tag = image.rpartition(":")
        assert repo and tag and tag != "latest", image
        assert re.fullmatch(r"\d+\.\d+(\.\d+)?", tag), f"{name}: {image} is not an exact version"
    assert rendered.image_tag("keycloak").startswith("26.")
    dockerfile = (ROOT / "compose" / "mlflow" / "Dockerfile").read_text()
    assert re.search(r"^ARG BASE_IMAGE=python:3\.12\.\d+-slim-bookworm$", dockerfile, re.M)
    assert re.fullmatch(r"python:3\.12\.\d+-slim-bookworm", rendered.services["mlflow"]["build"]["args"]["BASE_IMAGE"])
    # The official images are the defaults; the bundle's own names only where it builds them.
    assert rendered.image("postgres").startswith("postgres:") and rendered.image("redis").startswith("redis:")
    assert rendered.image("keycloak").startswith("quay.io/keycloak/keycloak:")
    pins = [
        x
        for x in (ROOT / "compose" / "mlflow" / "requirements.txt").read_text().splitlines()
        if x and not x.startswith("#")
    ]
    assert all("==" in p for p in pins)
    assert any(p.startswith("mlflow-oidc-auth[cache]==11.0.") for p in pins)
    assert any(p.startswith("psycopg2-binary==") for p in pins)


def test_published_ports_bind_loopback_and_backends_are_not_published(rendered):
    for name in ("keycloak", "mlflow"):
        assert rendered.ports(name), name
        for port in rendered.ports(name):
            assert port.host_ip == "127.0.0.1", (name, port)
    assert not rendered.services["postgres"].get("ports")
    assert not rendered.services["redis"].get("ports")
    assert rendered.data["networks"]["backend"]["internal"] is True


def test_named_volumes_keep_the_data(rendered):
    def named(service):
        return {v["target"] for v in rendered.services[service]["volumes"] if v["type"] == "volume"}

    assert named("postgres") == {"/var/lib/postgresql/data"}
    assert named("redis") == {"/data"}
    assert named("mlflow") == {"/mlflow/artifacts"}


def test_one_database_password_reaches_every_consumer(rendered, env_file):
    password = envfile.read(env_file)["POSTGRES_PASSWORD"]
    kc, ml, pg = rendered.env("keycloak"), rendered.env("mlflow"), rendered.env("postgres")
    assert pg["POSTGRES_PASSWORD"] == password
    assert kc["KC_DB_PASSWORD"] == password
    for uri in (ml["MLFLOW_BACKEND_STORE_URI"], ml["OIDC_USERS_DB_URI"]):
        parts = urlsplit(uri)
        assert parts.scheme == "postgresql+psycopg2"
        assert (parts.username, parts.password) == (pg["POSTGRES_USER"], password)
        assert parts.hostname == "postgres" and parts.port == int(pg["PGPORT"])
    assert kc["KC_DB_USERNAME"] == pg["POSTGRES_USER"]
    assert kc["KC_DB_URL"] == f"jdbc:postgresql://postgres:{pg['PGPORT']}/{pg['EXTRA_DATABASES'].split()[0]}"


def test_separate_databases_per_store(rendered):
    ml, pg, kc = rendered.env("mlflow"), rendered.env("postgres"), rendered.env("keycloak")
    dbs = [
        urlsplit(ml["MLFLOW_BACKEND_STORE_URI"]).path.lstrip("/"),
        urlsplit(ml["OIDC_USERS_DB_URI"]).path.lstrip("/"),
        kc["KC_DB_URL"].rsplit("/", 1)[1],
    ]
    assert len(set(dbs)) == 3
    assert set(dbs) == {pg["POSTGRES_DB"], *pg["EXTRA_DATABASES"].split()}


def test_other_secrets_reach_every_consumer(rendered, env_file):
    values = envfile.read(env_file)
    ml, kc, rd = rendered.env("mlflow"), rendered.env("keycloak"), rendered.env("redis")
    assert rd["CACHE_REDIS_PASSWORD"] == values["CACHE_REDIS_PASSWORD"]
    assert urlsplit(ml["CACHE_REDIS_URL"]).password == values["CACHE_REDIS_PASSWORD"]
    assert urlsplit(ml["CACHE_REDIS_URL"]).port == int(rd["CACHE_REDIS_PORT"])
    assert ml["OIDC_CLIENT_SECRET"] == kc["MLFLOW_CLIENT_SECRET"] == values["MLFLOW_CLIENT_SECRET"]
    assert ml["SECRET_KEY"] == values["MLFLOW_SECRET_KEY"]
    assert kc["KC_BOOTSTRAP_ADMIN_PASSWORD"] == values["KC_BOOTSTRAP_ADMIN_PASSWORD"]


def test_mlflow_plugin_settings(rendered, env_file):
    ml = rendered.env("mlflow")
    values = envfile.read(env_file)
    assert ml["OIDC_DISCOVERY_URL"] == (
        f"http://keycloak:8080/realms/{values['KEYCLOAK_REALM']}/.well-known/openid-configuration"
    )
    assert ml["OIDC_REDIRECT_URI"] == f"http://localhost:{values['MLFLOW_PORT']}/callback"
    assert ml["OIDC_SCOPE"] == "openid profile email"
    assert ml["OIDC_GROUPS_ATTRIBUTE"] == "groups"
    assert ml["CACHE_BACKEND"] == "redis"
    assert ml["SESSION_COOKIE_SECURE"] == "false"
    assert ml["OIDC_ISSUER"] == f"http://localhost:{values['KEYCLOAK_PORT']}/realms/{values['KEYCLOAK_REALM']}"
    assert ml["OIDC_AUDIENCE"] == values["MLFLOW_CLIENT_ID"]
    cmd = rendered.command("mlflow")
    assert cmd[:4] == ["mlflow-oidc-stack-server", "server", "--app-name", "oidc-auth-stack"]
    assert "--serve-artifacts" in cmd and rendered.option("mlflow", "--artifacts-destination") == "/mlflow/artifacts"
    allowed = rendered.option("mlflow", "--allowed-hosts").split(",")
    port = values["MLFLOW_PORT"]
    assert {f"localhost:{port}", f"127.0.0.1:{port}", f"mlflow:{rendered.internal_port('mlflow')}"} <= set(allowed)
    health = " ".join(rendered.services["mlflow"]["healthcheck"]["test"])
    assert "/health/ready" in health


def test_names_the_plugin_ignores_appear_nowhere(rendered):
    for name, svc in rendered.services.items():
        env = set(svc.get("environment") or {})
        assert not env & DEAD_NAMES, (name, env & DEAD_NAMES)
    for path in (ROOT / "compose" / "docker-compose.yml", ROOT / ".env.example"):
        used = set(re.findall(r"(?<![A-Z_])[A-Z][A-Z0-9_]*", path.read_text()))
        assert not used & DEAD_NAMES, (path.name, used & DEAD_NAMES)


def test_keycloak_settings(rendered, env_file):
    kc = rendered.env("keycloak")
    values = envfile.read(env_file)
    assert rendered.command("keycloak") == ["start", "--import-realm"]
    assert kc["KC_DB"] == "postgres"
    assert kc["KC_HTTP_ENABLED"] == "true" and kc["KC_HEALTH_ENABLED"] == "true"
    assert kc["KC_HOSTNAME"] == f"http://localhost:{values['KEYCLOAK_PORT']}"
    assert kc["KC_HOSTNAME_BACKCHANNEL_DYNAMIC"] == "true"
    assert kc["KC_BOOTSTRAP_ADMIN_USERNAME"] == values["KC_BOOTSTRAP_ADMIN_USERNAME"]
    health = " ".join(rendered.services["keycloak"]["healthcheck"]["test"])
    assert "/dev/tcp/127.0.0.1/9000" in health and "curl" not in health
    mounts = {v["target"]: v["source"] for v in rendered.services["keycloak"]["volumes"]}
    assert Path(mounts["/opt/keycloak/data/import/realm-export.json"]) == ROOT / "keycloak" / "realm-export.json"


# --- the realm ---------------------------------------------------------------------------


def resolved_realm(rendered) -> dict:
    """realm-export.json with its ${VAR} placeholders resolved from Keycloak's environment,
    as Keycloak does at import."""
    env = rendered.env("keycloak")
    text = (ROOT / "keycloak" / "realm-export.json").read_text()
    missing = set(re.findall(r"\$\{(\w+)\}", text)) - set(env)
    assert not missing, f"placeholders with no value in keycloak's environment: {missing}"
    return json.loads(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], text))


def test_realm_matches_the_plugin_settings(rendered):
    realm = resolved_realm(rendered)
    ml = rendered.env("mlflow")
    assert f"/realms/{realm['realm']}/" in ml["OIDC_DISCOVERY_URL"]
    client, sync = realm["clients"]
    assert client["clientId"] == ml["OIDC_CLIENT_ID"]
    assert client["secret"] == ml["OIDC_CLIENT_SECRET"]
    assert {g["name"] for g in realm["groups"]} == {ml["OIDC_GROUP_NAME"], ml["OIDC_ADMIN_GROUP_NAME"]}
    assert ml["OIDC_REDIRECT_URI"] in client["redirectUris"]
    # The user sync's own client: client credentials only, in the admins group, may read users.
    sy = rendered.env("sync-users")
    assert sync["clientId"] == sy["SYNC_CLIENT_ID"] and sync["secret"] == sy["SYNC_CLIENT_SECRET"]
    assert sync["serviceAccountsEnabled"] and not sync["standardFlowEnabled"] and not sync["directAccessGrantsEnabled"]
    (sa,) = [u for u in realm["users"] if u.get("serviceAccountClientId") == sync["clientId"]]
    assert sa["groups"] == [f"/{ml['OIDC_ADMIN_GROUP_NAME']}"]
    assert set(sa["clientRoles"]["realm-management"]) == {"view-users", "query-users", "query-groups"}
    assert ml["OIDC_TRUST_BEARER_GROUP_CLAIMS"] == "true"  # how MLflow lets the sync's token be admin


def test_realm_client_mappers_and_urls(rendered):
    realm = resolved_realm(rendered)
    # external (loopback and private addresses may use HTTP); all behind the HTTPS profile
    assert realm["sslRequired"] == "${MLFLOW_SSL_REQUIRED:external}"
    assert "clientScopes" not in realm, "top-level clientScopes would drop Keycloak's default scopes"
    client = realm["clients"][0]
    assert client["publicClient"] is False and client["standardFlowEnabled"] is True
    port = rendered.published("mlflow", 5000).published
    assert sorted(client["redirectUris"]) == sorted(
        [f"http://localhost:{port}/callback", f"http://127.0.0.1:{port}/callback"]
    )
    assert not any("*" in uri for uri in client["redirectUris"])
    assert client["attributes"]["post.logout.redirect.uris"].split("##") == [
        f"http://localhost:{port}/oidc/ui/auth",
        f"http://127.0.0.1:{port}/oidc/ui/auth",
    ]
    mappers = {m["protocolMapper"]: m["config"] for m in client["protocolMappers"]}
    groups = mappers["oidc-group-membership-mapper"]
    assert groups["claim.name"] == "groups" and groups["full.path"] == "false"
    for claim in ("id.token.claim", "access.token.claim", "userinfo.token.claim"):
        assert groups[claim] == "true"
    audience = mappers["oidc-audience-mapper"]
    assert audience["included.client.audience"] == client["clientId"]
    assert audience["access.token.claim"] == "true"


def test_realm_carries_no_known_passwords():
    realm = json.loads((ROOT / "keycloak" / "realm-export.json").read_text())
    for user in realm.get("users", []):
        assert "credentials" not in user, user["username"]
        assert user.get("serviceAccountClientId"), "only the clients' service accounts are imported"


def test_realm_is_hardened(rendered):
    """The defaults a security review asks for (docs/security.md)."""
    realm = resolved_realm(rendered)
    assert realm["bruteForceProtected"] is True and realm["permanentLockout"] is False
    assert "length(12)" in realm["passwordPolicy"] and "notUsername" in realm["passwordPolicy"]
    assert realm["revokeRefreshToken"] is True and realm["refreshTokenMaxReuse"] == 0
    assert realm["eventsEnabled"] is True and realm["adminEventsEnabled"] is True and realm["eventsExpiration"] > 0
    assert realm["ssoSessionIdleTimeout"] <= realm["ssoSessionMaxLifespan"]
    from mlflow_oidc_stack.keycloak.bootstrap import HARDENING

    assert set(HARDENING) <= set(realm)

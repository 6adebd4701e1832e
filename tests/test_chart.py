"""The Helm chart (deploy/helm/mlflow-oidc-stack) on paper: what `helm template` makes of
it, and what it refuses, each refusal naming the value to change. The real helm binary (from
the Go module proxy, cached) renders it; kubeconform checks it in `make lint`.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from mlflow_oidc_stack.config.render import render
from mlflow_oidc_stack.ops.scratch import make_env
from mlflow_oidc_stack.runtime import kubetools

CI = kubetools.chart_dir() / "ci"


@pytest.fixture(scope="module", autouse=True)
def _helm():
    kubetools.helm()


def docs(values: str = "s3-values.yaml", *sets: str) -> list[dict]:
    r = kubetools.template([CI / values], list(sets))
    assert r.returncode == 0, r.stderr
    return [d for d in yaml.safe_load_all(r.stdout) if d]


def refusal(*sets: str, values: str = "s3-values.yaml") -> str:
    r = kubetools.template([CI / values], list(sets))
    assert r.returncode != 0, "rendered, but should have been refused"
    return r.stderr


def kind(documents: list[dict], name: str) -> dict:
    return next(d for d in documents if d["kind"] == name)


def mlflow_env(documents: list[dict]) -> dict[str, dict]:
    container = kind(documents, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e for e in container["env"]}


def test_two_replicas_deny_by_default_a_budget_and_rollouts_that_keep_every_server():
    d = docs()
    deploy = kind(d, "Deployment")
    assert deploy["spec"]["replicas"] == 2
    assert deploy["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": 0, "maxSurge": 1}
    assert mlflow_env(d)["DEFAULT_MLFLOW_PERMISSION"]["value"] == "NO_PERMISSIONS"
    assert kind(d, "PodDisruptionBudget")["spec"]["minAvailable"] == 1
    probes = deploy["spec"]["template"]["spec"]["containers"][0]
    assert probes["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert probes["livenessProbe"]["httpGet"]["path"] == "/health/live"


def test_every_credential_comes_from_the_existing_secret_and_values_hold_none():
    env = mlflow_env(docs())
    secret = {name: e["valueFrom"]["secretKeyRef"] for name, e in env.items() if "valueFrom" in e}
    assert set(secret) == {
        "MLFLOW_BACKEND_STORE_URI",
        "OIDC_USERS_DB_URI",
        "SECRET_KEY",
        "OIDC_CLIENT_SECRET",
        "CACHE_REDIS_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    }
    assert {ref["name"] for ref in secret.values()} == {"mlflow-oidc-stack"}
    # values.yaml names Secrets and keys; it holds no credential.
    values = yaml.safe_load((kubetools.chart_dir() / "values.yaml").read_text())
    names = {"secret.name", "ingress.tlsSecretName"}
    credentials = [
        path
        for path, _ in leaves(values)
        if re.search(r"password|secret|token|key$", path.rsplit(".", 1)[-1], re.I)
        and path not in names
        and not path.startswith(("secret.keys.", "keycloak.caSecret", "keycloak.keys.", "inCluster.keys."))
    ]
    assert credentials == []


def leaves(node, path: str = ""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, f"{path}.{k}" if path else k)
    else:
        yield path, node


def test_the_public_url_path_and_issuer_follow_the_https_profile():
    d = docs()
    env = mlflow_env(d)
    assert env["OIDC_REDIRECT_URI"]["value"] == "https://mlflow.example.org/mlflow/callback"
    assert env["OIDC_ISSUER"]["value"] == "https://mlflow.example.org/auth/realms/mlflow"
    assert env["SESSION_COOKIE_SECURE"]["value"] == "true"
    assert env["TRUSTED_PROXIES"]["value"] == "10.244.0.0/16"
    ingress = kind(d, "Ingress")
    assert ingress["spec"]["tls"][0]["hosts"] == ["mlflow.example.org"]
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["path"] == "/mlflow"
    assert kind(d, "Middleware")["spec"]["stripPrefix"]["prefixes"] == ["/mlflow"]
    args = kind(d, "Deployment")["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--artifacts-destination") + 1] == "s3://mlflow-artifacts/"
    assert "mlflow.example.org" in args[args.index("--allowed-hosts") + 1].split(",")


@pytest.mark.parametrize("profile", [{}, {"PUBLIC_URL": "https://localhost:8443", "ARTIFACT_STORE": "s3"}])
def test_the_chart_sets_what_the_compose_render_sets_for_mlflow(tmp_path, profile):
    """One configuration, two forms: every variable the Compose file gives MLflow (plain, and
    with the HTTPS profile and S3) is set by the chart too, except those only one host has."""
    compose = set(render(make_env(tmp_path / ".env", **profile)).env("mlflow"))
    chart = set(mlflow_env(docs())) | set(mlflow_env(docs("volume-values.yaml")))
    one_host = {"MLFLOW_EXPOSE_PROMETHEUS"}  # the Prometheus exporter: not wired in the chart yet
    assert compose - one_host - chart == set()


@pytest.mark.parametrize(
    "sets, says",
    [
        (
            ['artifacts={"store":"volume","volume":{"accessMode":"ReadWriteOnce"}}'],
            "artifacts.volume.accessMode=ReadWriteOnce",
        ),
        (['artifacts={"store":"s3","s3":{"endpointUrl":""}}'], "artifacts.s3.endpointUrl"),
        (['kubernetesAuth={"enabled":true,"namespaceAllowlist":[]}'], "kubernetesAuth.namespaceAllowlist"),
        (['ingress={"trustedProxies":[]}'], "ingress.trustedProxies"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_naming_it(sets, says):
    assert says in refusal(*sets)


@pytest.mark.parametrize(
    "sets, says",
    [
        (['replicas="two"'], "replicas"),
        (['defaultPermission="ALL"'], "defaultPermission"),
        (['mlflowPath="mlflow/"'], "mlflowPath"),
        (['keycloak={"usersGroup":"/mlflow-users"}'], "usersGroup"),
        (["replica=3"], "replica"),
    ],
)
def test_a_value_of_the_wrong_type_or_name_is_refused_by_the_schema(sets, says):
    err = refusal(*sets)
    assert "values don't meet the specifications of the schema" in err and says in err, err


def test_one_replica_on_a_readwriteonce_volume_is_fine():
    d = docs("volume-values.yaml")
    assert kind(d, "Deployment")["spec"]["replicas"] == 1
    assert kind(d, "PersistentVolumeClaim")["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert not [x for x in d if x["kind"] in ("PodDisruptionBudget", "Middleware")]
    env = mlflow_env(d)
    assert env["OIDC_DISCOVERY_URL"]["value"].startswith("https://keycloak.identity.svc:8443/auth/realms/mlflow/")
    assert env["REQUESTS_CA_BUNDLE"]["value"] == "/etc/mlflow-oidc-stack/ca.crt"
    assert "AWS_SECRET_ACCESS_KEY" not in env


def test_bootstrap_runs_as_a_hook_job_and_the_doctor_as_helm_test_with_the_servers_settings():
    d = docs("in-cluster-values.yaml")
    job = kind(d, "Job")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "post-install,post-upgrade"
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["image"].startswith("mlflow-oidc-stack/tools:")
    assert container["args"][:2] == ["mlflow-oidc-bootstrap", "--from-environment"]
    # The realm the Job converges to is the ConfigMap the in-cluster Keycloak imports, filled
    # from the same variables.
    keycloak = next(x for x in d if x["kind"] == "Deployment" and x["metadata"]["name"].endswith("-keycloak"))
    kc_spec = keycloak["spec"]["template"]["spec"]
    kc_env = {e["name"]: e for e in kc_spec["containers"][0]["env"]}
    job_env = {e["name"]: e for e in container["env"]}
    realm_vars = set(re.findall(r"\$\{([A-Z_]+)", (kubetools.chart_dir() / "files" / "realm-export.json").read_text()))
    for name in realm_vars | {"KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD"}:
        assert job_env[name] == kc_env[name], name
    realm_map = {v["configMap"]["name"] for v in job["spec"]["template"]["spec"]["volumes"] if "configMap" in v}
    assert realm_map == {v["configMap"]["name"] for v in kc_spec["volumes"] if "configMap" in v}
    # `helm test`: the doctor with the servers' own OIDC settings.
    pod = next(x for x in d if x["kind"] == "Pod")
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    doctor = pod["spec"]["containers"][0]
    assert doctor["args"] == ["mlflow-oidc-doctor", "--cluster"]
    pod_env = {e["name"]: e for e in doctor["env"]}
    servers = mlflow_env(d)
    oidc = [n for n in servers if n.startswith("OIDC_") and n not in ("OIDC_USERS_DB_URI",)]
    for name in ("OIDC_DISCOVERY_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_REDIRECT_URI"):
        assert name in oidc and pod_env[name] == servers[name], name
    # Without the bootstrap, no Job and no secret keys it alone needs.
    assert not [x for x in docs("s3-values.yaml", "bootstrap.enabled=false") if x["kind"] == "Job"]


def test_in_cluster_services_get_connection_strings_made_from_their_passwords():
    d = docs("in-cluster-values.yaml")
    env = mlflow_env(d)
    assert env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "POSTGRES_PASSWORD"
    assert env["MLFLOW_BACKEND_STORE_URI"]["value"] == (
        "postgresql+psycopg2://mlflow:$(POSTGRES_PASSWORD)@mlflow-mlflow-oidc-stack-postgres:5432/mlflow"
    )
    assert env["CACHE_REDIS_URL"]["value"] == "redis://:$(CACHE_REDIS_PASSWORD)@mlflow-mlflow-oidc-stack-redis:6379/0"
    assert env["OIDC_DISCOVERY_URL"]["value"].startswith("http://mlflow-mlflow-oidc-stack-keycloak:8080/auth/realms/")
    assert env["MLFLOW_S3_ENDPOINT_URL"]["value"] == "http://mlflow-mlflow-oidc-stack-s3:8333"
    # Kubernetes expands $(NAME) only from variables defined before it in the list.
    names = list(env)
    assert names.index("POSTGRES_PASSWORD") < names.index("MLFLOW_BACKEND_STORE_URI")
    realm = next(x for x in d if x["kind"] == "ConfigMap" and x["metadata"]["name"].endswith("-realm"))
    assert json.loads(realm["data"]["realm-export.json"])["realm"] == "${MLFLOW_REALM}"
    paths = kind(d, "Ingress")["spec"]["rules"][0]["http"]["paths"]
    assert [(x["path"], x["backend"]["service"]["name"]) for x in paths] == [
        ("/mlflow", "mlflow-mlflow-oidc-stack"),
        ("/auth", "mlflow-mlflow-oidc-stack-keycloak"),
    ]
    providers = json.loads(env["AUTH_PROVIDERS"]["value"])
    assert [(x["id"], x["type"]) for x in providers] == [("default", "oidc"), ("cluster", "k8s")]
    assert providers[1]["namespace_allowlist"] == ["ml-jobs"]


def test_values_and_schema_agree():
    schema = json.loads((kubetools.chart_dir() / "values.schema.json").read_text())
    values = yaml.safe_load((kubetools.chart_dir() / "values.yaml").read_text())
    assert set(values) <= set(schema["properties"]), set(values) - set(schema["properties"])

"""The Helm chart on a real cluster (docs/kubernetes.md): what `make k8s-up` makes, checked
the way the other stacks are. The cluster is the one KUBECONFIG points at when it answers,
else this host's single-node test cluster (runtime/kubecluster.py), built and removed here.
Runs in the compose pytest (it needs the Docker engine's images); skips, naming why, where
neither a cluster nor root with a Docker engine is at hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from tests.test_e2e import SDK_SCRIPT, assert_logged

from conftest import CHROMIUM, CHROMIUM_ARGS, MODES, goto, login_form, submit_login, transcript
from mlflow_oidc_stack import ROOT
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.keycloak.admin import admin_client, browser_session, create_person, http_login
from mlflow_oidc_stack.ops.kube import NAMESPACE, KubeInstall
from mlflow_oidc_stack.ops.scratch import make_env, state_dir
from mlflow_oidc_stack.runtime import kubetools, tls
from mlflow_oidc_stack.runtime.engine import engine
from mlflow_oidc_stack.runtime.keycloak_schema import seed_version

pytestmark = pytest.mark.stack
API = "/api/2.0/mlflow"


@dataclass
class Kube:
    install: KubeInstall
    state: Path
    env: dict[str, str]
    built: bool
    people: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def public(self) -> str:
        return self.install.public_url

    @property
    def mlflow_url(self) -> str:  # as run_sdk wants it
        return f"{self.public}/mlflow"

    def kubectl(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        return self.install.kubectl(*args, input=input, check=check)

    def jwt(self, client: str = "mlflow") -> str:
        """A Keycloak access token of a client's own service account: `mlflow` (in the users
        group) or `mlflow-sync` (in the admins group), as pipelines use them."""
        secret = self.env["MLFLOW_CLIENT_SECRET" if client == "mlflow" else "SYNC_CLIENT_SECRET"]
        r = requests.post(
            f"{self.public}/auth/realms/mlflow/protocol/openid-connect/token",
            data={"grant_type": "client_credentials", "client_id": client, "client_secret": secret},
            verify=str(tls.CA_CERT),
            timeout=30,
        )
        r.raise_for_status()
        return r.json()["access_token"]

    def access_token(self, username: str, password: str) -> str:
        """The plugin's own access token for a person, as the UI hands it out after a login."""
        session = browser_session()
        session.trust_env = False
        session.verify = str(tls.CA_CERT)
        session, landed = http_login(self.mlflow_url, username, password, session=session)
        assert "/oidc/ui/" in landed.url, landed.url
        return session.patch(f"{self.mlflow_url}{API}/users/access-token", json={}).json()["token"]


# Module-scoped, as everything built on it: the cluster (etcd, the API server, the kubelet,
# containerd and the release) stops when this module's last test has run, not at the end of
# the compose suite, which it would otherwise slow down for half an hour on a 2-core machine.
@pytest.fixture(scope="module", params=["k8s"])
def kube(request):
    started = time.monotonic()
    install_probe = KubeInstall(Path("/nonexistent"))
    given = install_probe.answers()
    if not given:
        ok, why = engine()
        if not ok:
            MODES["k8s"] = f"skipped: {why}"
            pytest.skip(f"the Kubernetes tests need a cluster at KUBECONFIG, or a Docker engine to build one: {why}")
        if os.geteuid() != 0:
            MODES["k8s"] = "skipped: not root"
            pytest.skip("no cluster answers at KUBECONFIG, and building the test cluster needs root")
    state = state_dir("k8s")
    env_file = make_env(state / "k8s.env")
    install = KubeInstall(env_file, out=open(state / "k8s-up.log", "w"))  # noqa: SIM115
    try:
        install.up()
    except Exception:
        print((state / "k8s-up.log").read_text())
        raise
    MODES["k8s"] = f"ran (up in {time.monotonic() - started:.0f} s)"
    handle = Kube(install, state, envfile.read(env_file), built=not given)
    yield handle
    install.down()
    shutil.rmtree(state, ignore_errors=True)  # its .env (secrets) and log, as the stacks' own
    MODES["k8s"] = MODES["k8s"].removesuffix(")") + f", {time.monotonic() - started:.0f} s in all)"


def wait_through_ingress(get, url: str, what: str, seconds: float, answered) -> None:
    """Poll `url` once a second until `answered(response)`: on a loaded host a route of the
    Ingress comes and goes with its backends' readiness (Traefik answers 404 meanwhile)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if answered(get(url)):
                return
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, f"{what} did not answer through the Ingress within {seconds:.0f} s ({url})"
        time.sleep(1)


@pytest.fixture(scope="module")
def kube_people(kube):
    # Keycloak through the Ingress first: on a loaded host its route may come and go with its
    # readiness for a while after the install.
    wait_through_ingress(
        lambda url: requests.get(url, verify=str(tls.CA_CERT), timeout=10),
        f"{kube.public}/auth/realms/master",
        "Keycloak",
        120,
        lambda r: r.status_code == 200,
    )
    admin = admin_client(
        f"{kube.public}/auth", "admin", kube.env["KC_BOOTSTRAP_ADMIN_PASSWORD"], "mlflow", verify=str(tls.CA_CERT)
    )
    out = {}
    for role, groups in (("admin", ["mlflow-admins"]), ("user", ["mlflow-users"]), ("outsider", [])):
        name, password = f"{role}-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        create_person(admin, name, password, groups, first=role.capitalize(), last="K8s")
        out[role] = (name, password)
    return out


@pytest.fixture(scope="module")
def kube_browser(playwright, tmp_path_factory):
    """Chromium trusting the bundle's CA (as tests/test_https.py's)."""
    home = tmp_path_factory.mktemp("chromium-k8s")
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "ca", "-i", str(tls.CA_CERT)], check=True
    )
    b = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, env={**os.environ, "HOME": str(home)}, args=CHROMIUM_ARGS
    )
    yield b
    b.close()


def sdk(kube: Kube, env: dict, *args: str, script: str = SDK_SCRIPT) -> subprocess.CompletedProcess:
    clean = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(kube.state),
        "MLFLOW_TRACKING_URI": kube.mlflow_url,
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
        "REQUESTS_CA_BUNDLE": str(tls.CA_CERT),
        **env,
    }
    return subprocess.run([sys.executable, "-c", script, *args], env=clean, capture_output=True, text=True, timeout=180)


# --- the install ------------------------------------------------------------------------------


def test_two_mlflow_servers_ready_behind_the_ingress(kube):
    deploy = json.loads(
        kube.kubectl("-n", NAMESPACE, "get", "deployment", "mlflow-mlflow-oidc-stack", "-o", "json").stdout
    )
    assert deploy["status"]["readyReplicas"] == 2
    r = requests.get(f"{kube.mlflow_url}{API}/experiments/search?max_results=1", verify=str(tls.CA_CERT), timeout=20)
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/json"), r.text[:300]


def test_keycloak_started_on_the_shipped_schema(kube):
    """The in-cluster PostgreSQL loaded Keycloak's schema into Keycloak's empty database (the
    same script and file as Compose), and Keycloak started on it: Liquibase ran nothing."""
    log = kube.kubectl("-n", NAMESPACE, "logs", "deployment/mlflow-mlflow-oidc-stack-postgres").stdout
    assert f"keycloak-schema: database keycloak has the schema of Keycloak {seed_version()}" in log, log[-2000:]
    deployments = kube.kubectl(
        "-n", NAMESPACE, "exec", "deployment/mlflow-mlflow-oidc-stack-postgres", "--",
        "psql", "-U", "mlflow", "-d", "keycloak", "-tAc", "SELECT count(DISTINCT deployment_id) FROM databasechangelog",
    ).stdout  # fmt: skip
    assert deployments.strip() == "1"  # one run made every row: the file's


# --- people ------------------------------------------------------------------------------------


def test_browser_login_through_the_ingress_outsider_refused_and_logout(kube, kube_people, kube_browser):
    for role in ("user", "outsider"):
        context = kube_browser.new_context()
        page = context.new_page()
        page.set_default_timeout(60_000)
        username, password = kube_people[role]
        goto(page, kube.mlflow_url + "/login")
        login_form(page, again=kube.mlflow_url + "/login")
        assert urlsplit(page.url).path.startswith("/auth/realms/mlflow/"), page.url
        submit_login(page, kube.mlflow_url + "/login", username, password)
        if role == "outsider":
            page.wait_for_url(f"{kube.mlflow_url}/oidc/ui/auth**")
            assert "not allowed" in page.url.replace("+", " ").replace("%20", " "), page.url
            context.close()
            continue
        page.wait_for_url(f"{kube.mlflow_url}/**")
        me = page.evaluate(f"fetch('{kube.mlflow_url}{API}/users/current').then(r => r.json())")
        assert me["username"] == f"{username}@example.org", me
        # Let the landing page finish its own requests first, as a person would (test_e2e): a
        # navigation away while the UI is still loading is aborted (net::ERR_ABORTED).
        page.wait_for_load_state("networkidle")
        goto(page, kube.mlflow_url + "/logout")
        page.wait_for_url(f"{kube.mlflow_url}/oidc/ui/auth**")
        goto(page, kube.mlflow_url + "/login")
        login_form(page, again=kube.mlflow_url + "/login")  # Keycloak asks again: its session ended
        assert page.evaluate(f"fetch('{kube.mlflow_url}{API}/users/current').then(r => r.status)") == 401
        context.close()


def test_sdk_with_a_token_through_the_ingress(kube, kube_people):
    username, password = kube_people["user"]
    token = kube.access_token(username, password)
    basic = {"MLFLOW_TRACKING_USERNAME": f"{username}@example.org", "MLFLOW_TRACKING_PASSWORD": token}
    assert_logged(sdk(kube, basic, f"k8s-sdk-{uuid.uuid4().hex[:6]}"))
    assert_logged(sdk(kube, {"MLFLOW_TRACKING_TOKEN": kube.jwt()}, f"k8s-jwt-{uuid.uuid4().hex[:6]}"))
    refused = sdk(kube, {}, f"k8s-anon-{uuid.uuid4().hex[:6]}")
    # What the mlflow client says for a 401 (it names no status).
    assert refused.returncode != 0 and "Authentication required" in refused.stderr, refused.stderr[-500:]


# --- jobs ----------------------------------------------------------------------------------------

JOB_SCRIPT = """
import os, pathlib, mlflow
os.environ["MLFLOW_TRACKING_TOKEN"] = pathlib.Path("/var/run/secrets/mlflow/token").read_text()
mlflow.set_experiment(os.environ["EXPERIMENT"])
with mlflow.start_run() as run:
    mlflow.log_metric("loss", 0.25)
print("RUN", run.info.run_id)
"""


def job(kube: Kube, namespace: str, name: str, experiment: str) -> dict:
    """A training Job: the MLflow image, its own service account's token projected for the
    audience MLflow expects, nothing else handed to it."""
    image = kube.install.values(kube.install.images())["image"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "backoffLimit": 0,
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,
                    "containers": [
                        {
                            "name": "train",
                            "image": f"{image['repository']}:{image['tag']}",
                            "imagePullPolicy": "IfNotPresent",
                            "command": ["python", "-c", JOB_SCRIPT],
                            "env": [
                                {
                                    "name": "MLFLOW_TRACKING_URI",
                                    "value": f"http://mlflow-mlflow-oidc-stack.{NAMESPACE}.svc",
                                },
                                {"name": "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "value": "0"},
                                {"name": "EXPERIMENT", "value": experiment},
                                {"name": "GIT_PYTHON_REFRESH", "value": "quiet"},
                            ],
                            "volumeMounts": [
                                {"name": "token", "mountPath": "/var/run/secrets/mlflow", "readOnly": True}
                            ],
                        }
                    ],
                    "volumes": [
                        {
                            "name": "token",
                            "projected": {
                                "sources": [
                                    {
                                        "serviceAccountToken": {
                                            "audience": "mlflow",
                                            "expirationSeconds": 3600,
                                            "path": "token",
                                        }
                                    }
                                ]
                            },
                        }
                    ],
                }
            },
        },
    }


def run_job(kube: Kube, namespace: str, experiment: str) -> tuple[str, str]:
    name = f"train-{uuid.uuid4().hex[:6]}"
    kube.kubectl(
        "apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    )
    kube.kubectl("apply", "-f", "-", input=json.dumps(job(kube, namespace, name, experiment)))
    deadline = time.monotonic() + 180
    status = ""
    while time.monotonic() < deadline:
        got = json.loads(kube.kubectl("-n", namespace, "get", "job", name, "-o", "json").stdout)["status"]
        if got.get("succeeded") or got.get("failed"):
            status = "succeeded" if got.get("succeeded") else "failed"
            break
        time.sleep(1)
    logs = kube.kubectl("-n", namespace, "logs", f"job/{name}", check=False).stdout
    return status, logs


def test_bootstrap_job_and_helm_test_name_a_broken_realm_and_an_upgrade_repairs_it(kube, kube_people):
    """The install ran bootstrap-keycloak as a hook Job, and `helm test` (the doctor's cluster
    checks) passes. Someone then breaks the realm in Keycloak: `helm test` fails naming each
    problem, and `helm upgrade`, which runs the bootstrap again, repairs both."""
    job = kube.kubectl(
        "-n", NAMESPACE, "get", "job", "-l", "app.kubernetes.io/component=bootstrap-keycloak", "-o", "name"
    ).stdout.strip()
    log = kube.kubectl("-n", NAMESPACE, "logs", job).stdout
    assert "realm mlflow conforms" in log or "no changes" in log, log
    passed, report = kube.install.helm_test()
    assert passed and "0 fail" in report and "FAIL" not in report, report

    admin = admin_client(
        f"{kube.public}/auth", "admin", kube.env["KC_BOOTSTRAP_ADMIN_PASSWORD"], "mlflow", verify=str(tls.CA_CERT)
    )
    cid = admin.get_client_id("mlflow")
    mapper = next(
        m for m in admin.get_mappers_from_client(cid) if m["protocolMapper"] == "oidc-group-membership-mapper"
    )
    admin.remove_client_mapper(cid, mapper["id"])
    client = admin.get_client(cid)
    admin.update_client(cid, {**client, "redirectUris": ["https://elsewhere.example.org/callback"]})

    passed, report = kube.install.helm_test()
    transcript("k8s-helm-test", f"helm test on a broken realm:\n{report}")
    assert not passed, report
    assert "FAIL  cluster.groups-claim" in report and "no 'groups' claim" in report, report
    assert "FAIL  cluster.redirect-uri" in report and "Invalid parameter: redirect_uri" in report, report
    assert "fix: `helm upgrade` the release" in report, report

    kube.install.install(kube.install.images())  # the same values: the bootstrap Job runs again
    log = kube.kubectl("-n", NAMESPACE, "logs", job).stdout
    transcript("k8s-helm-test", f"the bootstrap Job of that helm upgrade:\n{log}")
    assert "redirect URI" in log and "create (oidc-group-membership-mapper)" in log and "conforms" in log, log
    passed, report = kube.install.helm_test()
    assert passed and "FAIL" not in report, report
    # People log in again (the groups claim is back).
    browser = logged_in(kube, *kube_people["user"])
    assert browser.get(f"{kube.mlflow_url}{API}/users/current", timeout=30).status_code == 200


def test_a_job_logs_a_run_with_its_own_service_account_token_and_another_namespace_is_refused(kube):
    experiment = f"k8s-job-{uuid.uuid4().hex[:6]}"
    status, logs = run_job(kube, "ml-jobs", experiment)
    transcript("k8s-job", f"Job in ml-jobs (allowlisted), its own token: {status}\n{logs.strip()[-400:]}")
    assert status == "succeeded" and "RUN " in logs, logs[-1500:]
    # The run is there, made by the Job's identity.
    admin_token = kube.jwt("mlflow-sync")
    r = requests.get(
        f"{kube.mlflow_url}{API}/experiments/get-by-name",
        params={"experiment_name": experiment},
        headers={"Authorization": f"Bearer {admin_token}"},
        verify=str(tls.CA_CERT),
        timeout=20,
    )
    assert r.status_code == 200, r.text[:300]
    status, logs = run_job(kube, "not-allowed", f"k8s-job-{uuid.uuid4().hex[:6]}")
    transcript("k8s-job", f"Job in not-allowed: {status}\n{logs.strip().splitlines()[-1]}")
    assert status == "failed" and "Authentication required" in logs, logs[-1500:]


# --- disruption ----------------------------------------------------------------------------------


class Loop:
    """A client calling MLflow through the Ingress until stopped, counting the requests that
    failed (a retry is one more request after a failure): an SDK with a bearer token, or a
    logged-in browser session (its cookie), as `session` says."""

    def __init__(self, kube: Kube, token: str | None = None, session: requests.Session | None = None):
        self.kube = kube
        self.ok = self.failed = 0
        self.errors: list[str] = []
        self.stop = threading.Event()
        if session is None:
            session = requests.Session()
            session.trust_env = False  # REQUESTS_CA_BUNDLE, where set, would win over `verify`
            session.verify = str(tls.CA_CERT)
            session.headers["Authorization"] = f"Bearer {token}"
        self.session = session
        self.url = (
            f"{kube.mlflow_url}{API}/experiments/search?max_results=5"
            if token
            else f"{kube.mlflow_url}{API}/users/current"
        )
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                r = self.session.get(self.url, timeout=30)
                if r.status_code == 200:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.errors.append(f"{r.status_code} {r.text[:120]}")
            except requests.RequestException as exc:
                self.failed += 1
                self.errors.append(str(exc)[:160])
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(60)

    def __str__(self) -> str:
        return f"{self.ok} requests answered, {self.failed} failed: {self.errors[:5]}"


def logged_in(kube: Kube, username: str, password: str) -> requests.Session:
    """A browser's session: logged in through Keycloak, holding MLflow's session cookie."""
    session = browser_session()
    session.trust_env = False
    session.verify = str(tls.CA_CERT)
    # After an earlier test deleted a pod or rolled the release, the Ingress may have no ready
    # MLflow behind it for a while on a loaded host (404 from Traefik): wait for it, as a
    # person would.
    wait_through_ingress(
        lambda url: session.get(url, timeout=10, allow_redirects=False),
        f"{kube.mlflow_url}/health",
        "MLflow",
        180,
        lambda r: r.status_code < 400,
    )
    session, landed = http_login(kube.mlflow_url, username, password, session=session)
    assert "/oidc/ui/" in landed.url, landed.url
    return session


def test_deleting_an_mlflow_pod_costs_at_most_one_retried_request(kube, kube_people):
    pods = kube.kubectl(
        "-n", NAMESPACE, "get", "pods", "-l", "app.kubernetes.io/component=mlflow", "-o", "name"
    ).stdout.split()
    assert len(pods) == 2, pods
    browser = logged_in(kube, *kube_people["user"])
    with Loop(kube, token=kube.jwt()) as sdk_loop, Loop(kube, session=browser) as browser_loop:
        time.sleep(3)
        kube.kubectl("-n", NAMESPACE, "delete", pods[0], "--wait=false")
        time.sleep(20)
        # At least 50 requests each across the deletion: on a loaded host that takes longer.
        deadline = time.monotonic() + 60
        while min(sdk_loop.ok, browser_loop.ok) <= 50 and time.monotonic() < deadline:
            time.sleep(1)
    transcript("k8s-disruption", f"pod delete ({pods[0]}): SDK loop {sdk_loop}; browser session {browser_loop}")
    assert sdk_loop.ok > 50 and sdk_loop.failed <= 1, str(sdk_loop)
    assert browser_loop.ok > 50 and browser_loop.failed <= 1, str(browser_loop)
    # The session survived: it lives in the auth database, not in the pod.
    assert browser.get(f"{kube.mlflow_url}{API}/users/current", timeout=30).status_code == 200


def test_helm_upgrade_rolls_without_a_failed_request(kube, kube_people):
    browser = logged_in(kube, *kube_people["user"])
    with Loop(kube, token=kube.jwt()) as sdk_loop, Loop(kube, session=browser) as browser_loop:
        time.sleep(3)
        started = time.monotonic()
        kube.install.install(kube.install.images(), extra=["--set", "workers=1"])
        took = time.monotonic() - started
        time.sleep(5)
    transcript(
        "k8s-disruption",
        f"helm upgrade (workers 2 -> 1) took {took:.0f} s: SDK loop {sdk_loop}; browser session {browser_loop}",
    )
    assert sdk_loop.ok > 50 and sdk_loop.failed == 0, str(sdk_loop)
    assert browser_loop.ok > 50 and browser_loop.failed == 0, str(browser_loop)


# --- backup ------------------------------------------------------------------------------------


def backup_cli(kube: Kube, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / "backup"), *args, "--k8s", "--env-file", str(kube.install.env_file)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **env},
    )


def experiments(kube: Kube) -> set[str]:
    r = requests.get(
        f"{kube.mlflow_url}{API}/experiments/search?max_results=1000",
        headers={"Authorization": f"Bearer {kube.jwt('mlflow-sync')}"},  # an admin: sees every experiment
        verify=str(tls.CA_CERT),
        timeout=30,
    )
    r.raise_for_status()
    return {e["name"] for e in r.json().get("experiments", [])}


def test_backup_of_the_release_holds_what_make_backup_holds_and_restore_brings_it_back(kube, kube_people, tmp_path):
    """`make backup ARGS=--k8s`: the archive of one host (pg_dump of the three databases, the
    bucket's objects at their keys, a manifest), from the release's services. What was logged
    before it is back after `make restore ARGS=--k8s`; what came after is gone."""
    before, after = f"k8s-before-{uuid.uuid4().hex[:6]}", f"k8s-after-{uuid.uuid4().hex[:6]}"
    assert_logged(sdk(kube, {"MLFLOW_TRACKING_TOKEN": kube.jwt()}, before))
    proc = backup_cli(kube, "backup", "--output", str(tmp_path / "b.tar"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with tarfile.open(tmp_path / "b.tar") as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        tar.extract("artifacts.tar", tmp_path, filter="data")
    assert set(manifest["databases"]) == {"mlflow", "mlflow_auth", "keycloak"}, manifest
    assert {f"db/{db}.dump" for db in manifest["databases"]} | {"artifacts.tar", "manifest.json"} == names
    with tarfile.open(tmp_path / "artifacts.tar") as inner:
        assert [m.name for m in inner if m.name.endswith("/notes.txt")], "the run's artifact is in the archive"
    transcript("k8s-backup", proc.stdout.strip())

    assert_logged(sdk(kube, {"MLFLOW_TRACKING_TOKEN": kube.jwt()}, after))
    refused = backup_cli(kube, "restore", str(tmp_path / "b.tar"))
    assert refused.returncode == 1 and "already holds data" in refused.stderr, refused.stderr
    proc = backup_cli(kube, "restore", str(tmp_path / "b.tar"), CONFIRM="yes")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    transcript("k8s-backup", proc.stdout.strip())
    names = experiments(kube)
    assert before in names and after not in names, names
    # Keycloak's database came back too: people log in as before.
    browser = logged_in(kube, *kube_people["user"])
    assert browser.get(f"{kube.mlflow_url}{API}/users/current", timeout=30).status_code == 200


# --- bad input ---------------------------------------------------------------------------------


def test_a_missing_secret_or_key_is_named_at_install(kube):
    """On a live cluster the chart looks the Secret up first: its absence, or a missing key,
    fails the install by name instead of leaving pods in CreateContainerConfigError."""
    namespace = f"no-secret-{uuid.uuid4().hex[:4]}"
    kube.kubectl("create", "namespace", namespace)
    values = kube.install.state / "values.json"  # what k8s-up installed with

    def dry_run() -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                str(kubetools.helm()),
                "install",
                "probe",
                str(kubetools.chart_dir()),
                "--namespace",
                namespace,
                "--kubeconfig",
                str(kube.install.kubeconfig),
                "--values",
                str(values),
                "--dry-run=server",
            ],  # fmt: skip
            capture_output=True,
            text=True,
        )

    try:
        r = dry_run()
        assert r.returncode != 0 and f"Secret {namespace}/mlflow-oidc-stack (secret.name) does not exist" in r.stderr, (
            r.stderr
        )
        kube.kubectl(
            "-n", namespace, "create", "secret", "generic", "mlflow-oidc-stack", "--from-literal=MLFLOW_SECRET_KEY=x"
        )
        r = dry_run()
        assert r.returncode != 0 and "has no key MLFLOW_CLIENT_SECRET" in r.stderr, r.stderr
    finally:
        kube.kubectl("delete", "namespace", namespace, "--wait=false", check=False)

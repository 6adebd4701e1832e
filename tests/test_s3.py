"""The S3 artifact store (ARTIFACT_STORE=s3, compose/s3.yml): a real S3 server (SeaweedFS)
in both modes, the bucket made at start, MLflow's proxied artifacts (clients hold no S3
credentials), and `make backup` / `make restore` of the bucket.

It runs on the HTTPS profile's stack (tests/conftest.py `https_stack`), which turns the S3
store on as well: the shape a team outgrowing one host runs."""

from __future__ import annotations

import json
import tarfile
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from tests.test_https import access_token, run_sdk
from tests.test_zz_recovery import backup_cli

from conftest import trusting
from mlflow_oidc_stack import StackError
from mlflow_oidc_stack.config import envfile
from mlflow_oidc_stack.config.render import render
from mlflow_oidc_stack.ops.backup import S3Artifacts
from mlflow_oidc_stack.runtime.native import depends_on, plan

API = "/ajax-api/2.0/mlflow"


def objects(r) -> dict[str, int]:
    """The bucket's objects and sizes, read as `make backup` reads them."""
    return dict(S3Artifacts(r).keys())


@pytest.fixture(scope="module")
def logged_run(https_stack, people, public, ca):
    """A run logged over HTTPS by a user's SDK with an access token and no S3 credential at all
    (run_sdk passes only PATH, HOME and the MLflow variables)."""
    username, password = people["user"]
    token = access_token(public, ca, username, password)
    name = f"s3-{uuid.uuid4().hex[:8]}"
    env = {
        "MLFLOW_TRACKING_USERNAME": f"{username}@example.org",
        "MLFLOW_TRACKING_PASSWORD": token,
        "MLFLOW_TRACKING_SERVER_CERT_PATH": ca,
    }
    proc = run_sdk(https_stack, env, name)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["artifact"] == "artifact from the sdk"
    return name, (f"{username}@example.org", token)


@pytest.mark.stack
def test_the_render_runs_an_s3_server_and_mlflow_proxies_the_bucket(https_stack):
    r = https_stack.rendered
    bucket = r.env("s3")["S3_BUCKET"]
    assert r.option("mlflow", "--artifacts-destination") == f"s3://{bucket}/"
    assert "--serve-artifacts" in r.command("mlflow")
    assert r.env("mlflow")["MLFLOW_S3_ENDPOINT_URL"] == "http://s3:8333"
    assert {p.host_ip for p in r.ports("s3")} == {"127.0.0.1"}
    # Made at start: it exists before anything was uploaded.
    S3Artifacts(r).client.head_bucket(Bucket=bucket)


@pytest.mark.stack
@pytest.mark.slow
def test_an_artifact_logged_through_mlflow_lands_in_the_bucket(https_stack, logged_run, public, ca):
    r = https_stack.rendered
    name, (login, token) = logged_run
    s = trusting(ca)
    s.auth = (login, token)
    exp = s.get(f"{public}{API}/experiments/get-by-name", params={"experiment_name": name}).json()
    run = s.post(f"{public}{API}/runs/search", json={"experiment_ids": [exp["experiment"]["experiment_id"]]}).json()
    info = run["runs"][0]["info"]
    # The client sees MLflow's proxied scheme, never the bucket.
    assert info["artifact_uri"].startswith("mlflow-artifacts:/"), info["artifact_uri"]
    # Nothing sends a client to the S3 server: no presigned or multipart transfers offered, and
    # their endpoints refused (MLflow 3.17 would hand out URLs of http://s3:8333).
    caps = s.get(f"{public}/api/3.0/mlflow/server-info").json()
    assert caps["multipart_downloads_enabled"] is False and caps["multipart_uploads_enabled"] is False
    path = f"{exp['experiment']['experiment_id']}/{info['run_id']}/artifacts/notes.txt"
    assert s.get(f"{public}/api/2.0/mlflow-artifacts/presigned/{path}").status_code == 404
    keys = [k for k in objects(r) if info["run_id"] in k and k.endswith("/notes.txt")]
    assert len(keys) == 1, objects(r)
    body = S3Artifacts(r).client.get_object(Bucket=r.env("s3")["S3_BUCKET"], Key=keys[0])["Body"].read()
    assert body == b"artifact from the sdk"


@pytest.mark.stack
def test_the_bucket_refuses_anonymous_and_wrong_credentials(https_stack):
    r = https_stack.rendered
    bucket = r.env("s3")["S3_BUCKET"]
    anonymous = requests.get(f"http://127.0.0.1:{r.public_port('s3', 8333)}/{bucket}?list-type=2", timeout=10)
    assert anonymous.status_code == 403, anonymous.text[:300]
    env = r.env("s3")
    wrong = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{r.public_port('s3', 8333)}",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key="not-" + env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    with pytest.raises(ClientError) as refused:
        wrong.list_objects_v2(Bucket=bucket)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.stack
@pytest.mark.slow
def test_backup_holds_the_bucket_and_restore_puts_a_lost_object_back(https_stack, logged_run, tmp_path):
    r = https_stack.rendered
    before = objects(r)
    proc = backup_cli(https_stack, "backup", "--output", str(tmp_path / "b.tar"))
    assert proc.returncode == 0, proc.stderr
    with tarfile.open(tmp_path / "b.tar") as tar:
        tar.extract("artifacts.tar", tmp_path, filter="data")
    with tarfile.open(tmp_path / "artifacts.tar") as inner:
        held = {m.name.removeprefix("./"): m.size for m in inner if m.isfile()}
    assert held == before, "the archive holds every object of the bucket at its key"

    # An object is lost; restore puts it back (CONFIRM: the stack holds data).
    lost = next(k for k in before if k.endswith("/notes.txt"))
    S3Artifacts(r).client.delete_object(Bucket=r.env("s3")["S3_BUCKET"], Key=lost)
    assert lost not in objects(r)
    proc = backup_cli(https_stack, "restore", str(tmp_path / "b.tar"), CONFIRM="yes")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert objects(r) == before
    assert requests.get(f"{r.mlflow_url()}/health/ready", timeout=10).status_code == 200


@pytest.mark.stack
def test_a_restarted_s3_server_is_the_same_cluster_and_still_grows_volumes(https_stack):
    """SeaweedFS's master keeps its state in `<dir>/m<master port>`. If a start found none (a
    new dir, or a new port), it minted a new cluster id and froze volume growth for the data
    the volume server holds ("volume growth frozen"): uploads to a new bucket failed. The
    native stack keeps the data dir in its state dir and the internal ports across starts."""
    r = https_stack.rendered
    if https_stack.native:
        weed = [p.command for p in plan(r, https_stack.state) if p.name == "s3"]
        assert weed == [p.command for p in plan(r, https_stack.state) if p.name == "s3"]
        assert f"-dir={https_stack.state / 'volumes'}/" in " ".join(weed[0]), weed
    https_stack.restart("s3")
    client = S3Artifacts(r).client
    bucket = f"restarted-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=bucket)
    try:
        client.put_object(Bucket=bucket, Key="k", Body=b"after a restart")
        assert client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"after a restart"
        client.delete_object(Bucket=bucket, Key="k")
    finally:
        client.delete_bucket(Bucket=bucket)
    assert "volume growth frozen" not in https_stack.runtime.logs(["s3"], lines=100000)


# --- bad input, no stack -------------------------------------------------------------------


@pytest.mark.parametrize(
    "setting, says",
    [
        ({"ARTIFACT_STORE": "minio"}, "ARTIFACT_STORE='minio'"),
        ({"ARTIFACT_STORE": "s3", "S3_BUCKET": "My_Bucket"}, "S3_BUCKET='My_Bucket'"),
    ],
)
def test_a_wrong_store_or_bucket_name_is_refused_by_name(tmp_path: Path, setting, says):
    env = tmp_path / ".env"
    envfile.fill_secrets(env)
    envfile.set_values(env, setting)
    with pytest.raises(StackError) as err:
        render(env)
    assert says in str(err.value) and "write" in str(err.value)


def test_local_stays_the_default_and_s3_adds_only_the_store(tmp_path: Path):
    env = tmp_path / ".env"
    envfile.fill_secrets(env)
    local = render(env)
    assert "s3" not in local.services
    assert local.option("mlflow", "--artifacts-destination") == "/mlflow/artifacts"
    envfile.set_values(env, {"ARTIFACT_STORE": "s3"})
    s3 = render(env)
    assert set(s3.services) - set(local.services) == {"s3"}
    assert depends_on(s3, "mlflow")["s3"] == "service_healthy"
    assert s3.option("mlflow", "--artifacts-destination") == "s3://mlflow-artifacts/"
    assert s3.env("s3")["AWS_SECRET_ACCESS_KEY"] == s3.env("mlflow")["AWS_SECRET_ACCESS_KEY"] != ""
    cmd = s3.command("s3")
    assert "-master.telemetry=false" in cmd and "-admin.ui=false" in cmd, "nothing leaves the machine"

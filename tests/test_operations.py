"""Day two (issue 16): logs that stay bounded, and metrics ops can scrape, in both modes."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import requests

from conftest import ROOT
from mlflow_oidc_stack.keycloak.admin import http_login

pytestmark = pytest.mark.stack


def test_metrics_of_mlflow_and_keycloak_can_be_scraped(stack, make_user, groups):
    r = stack.rendered
    kc = requests.get(r.keycloak_management_url() + "/metrics", timeout=20)
    assert kc.status_code == 200, kc.text[:200]
    assert re.search(r"^jvm_memory_used_bytes", kc.text, re.M), "the JVM heap is there"
    assert re.search(r"^agroal_", kc.text, re.M) or "db" in kc.text, "and the DB pool"
    # The plugin lets MLflow's exporter through without a login: it is as private as the
    # port (loopback), which is what docs/operations.md says.
    anonymous = requests.get(r.mlflow_url() + "/metrics", timeout=20)
    assert anonymous.status_code == 200, anonymous.status_code
    user = make_user(groups["users"], prefix="scraper")
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    token = session.patch(f"{stack.mlflow_url}/api/2.0/mlflow/users/access-token", json={}).json()["token"]
    for _ in range(3):
        requests.get(
            f"{stack.mlflow_url}/api/2.0/mlflow/experiments/search?max_results=1",
            auth=(user.email.lower(), token),
            timeout=20,
        )
    scraped = requests.get(r.mlflow_url() + "/metrics", auth=(user.email.lower(), token), timeout=20)
    assert scraped.status_code == 200, scraped.text[:200]
    assert re.search(r"^mlflow_http_request_total\{", scraped.text, re.M), scraped.text[:300]
    names = sorted(set(re.findall(r"^([a-z_]+?)(?:_bucket|_count|_sum|_total|_created)?[{ ]", scraped.text, re.M)))
    print(f"\n[{stack.mode}] MLflow /metrics without credentials: {anonymous.status_code}; series: {names}")
    # Neither is published anywhere but on loopback.
    for service in ("keycloak", "mlflow"):
        assert all(p.host_ip == "127.0.0.1" for p in r.ports(service))


def test_every_service_has_a_bounded_log(stack):
    if stack.mode == "compose":
        for service, st in stack.runtime.states().items():
            cfg = subprocess.run(
                ["docker", "inspect", "--format", "{{json .HostConfig.LogConfig}}", st["Name"]],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert '"max-size":"20m"' in cfg and '"max-file":"2"' in cfg, (service, cfg)
    else:
        conf = (stack.state / "supervisord.conf").read_text()
        programs = re.findall(r"^\[program:([\w-]+)\]", conf, re.M)
        assert set(programs) == set(stack.rendered.services)
        assert conf.count("stdout_logfile_maxbytes=20MB") == len(programs)
        assert conf.count("stdout_logfile_backups=2") == len(programs)


def test_make_logs_shows_one_service(stack):
    env = {"STACK": stack.mode}
    proc = subprocess.run(
        ["make", "-s", "logs", "SERVICE=redis", f"ENV_FILE={stack.env_file}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env, "STACK_STATE_DIR": str(stack.state)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Ready to accept connections" in proc.stdout or "ready to accept connections" in proc.stdout.lower()
    assert "keycloak" not in proc.stdout.lower().split("\n")[0]

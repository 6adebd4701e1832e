"""`make k8s-up` / `make k8s-down`: the Helm chart, self-contained, on a Kubernetes cluster
(docs/kubernetes.md#make-k8s-up).

k8s-up uses the cluster KUBECONFIG points at when one answers; otherwise it builds the
single-node test cluster of this host (runtime/kubecluster.py) and loads the bundle's images
into it. Then, in namespace `mlflow`:

* the Secret the chart reads, from this checkout's .env (the same secrets as `make up`);
* the TLS certificate for the public host, from the bundle's local CA (`make tls-ca`);
* `helm upgrade --install` with every service in the release (`inCluster`) and 2 MLflow
  servers, waiting until all are ready and the bootstrap Job has converged Keycloak;
* `helm test`: the doctor's cluster checks, from inside the cluster.

Its last two lines are `KUBECONFIG=<path>` and the URL to browse.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from .. import ROOT, StackError
from ..config import envfile
from ..config.render import render
from ..runtime import images, kubetools, tls
from ..runtime.common import default_state_dir
from ..runtime.kubecluster import INGRESS_SOURCE, Cluster
from ..runtime.progress import Steps

NAMESPACE = "mlflow"
RELEASE = "mlflow"
# The Secret's keys: what the chart reads, from the .env variable of the same meaning.
SECRET_FROM_ENV = {
    "MLFLOW_SECRET_KEY": "MLFLOW_SECRET_KEY",
    "MLFLOW_CLIENT_SECRET": "MLFLOW_CLIENT_SECRET",
    "POSTGRES_PASSWORD": "POSTGRES_PASSWORD",
    "CACHE_REDIS_PASSWORD": "CACHE_REDIS_PASSWORD",
    "KC_BOOTSTRAP_ADMIN_PASSWORD": "KC_BOOTSTRAP_ADMIN_PASSWORD",
    "SYNC_CLIENT_SECRET": "SYNC_CLIENT_SECRET",
    "AWS_ACCESS_KEY_ID": "S3_ACCESS_KEY",
    "AWS_SECRET_ACCESS_KEY": "S3_SECRET_KEY",
}
SERVICES = ("mlflow", "postgres", "redis", "keycloak", "s3")


class KubeInstall:
    def __init__(self, env_file: Path, port: int = 9443, out: TextIO = sys.stdout):
        self.env_file = env_file
        self.port = port
        self.out = out
        self.state = default_state_dir() / "k8s"
        self.kubeconfig = Path(os.environ.get("KUBECONFIG", ""))
        self.cluster = Cluster(out)

    release = RELEASE
    namespace = NAMESPACE

    def connect(self) -> None:
        """Use the cluster KUBECONFIG points at when it answers, else this host's test cluster;
        an error when neither does."""
        if self.answers():
            return
        self.kubeconfig = self.cluster.kubeconfig
        if not self.answers():
            raise StackError("no cluster answers (KUBECONFIG, or this host's test cluster): `make k8s-up` first")

    @property
    def public_url(self) -> str:
        return f"https://localhost:{self.port}"

    def say(self, text: str) -> None:
        print(f"k8s-up: {text}", file=self.out, flush=True)

    def kubectl(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        return self.cluster.kubectl(*args, input=input, check=check, kubeconfig=self.kubeconfig)

    def answers(self) -> bool:
        if not self.kubeconfig.is_file():
            return False
        self.cluster.pypi()
        return self.kubectl("get", "--raw", "/readyz", check=False).returncode == 0

    # --- up ----------------------------------------------------------------------------------

    def up(self) -> None:
        done = envfile.ensure_secrets(self.env_file)
        if done:
            self.say(done)
        image_refs = self.images()
        if self.answers():
            self.say(f"using the cluster KUBECONFIG points at ({self.kubeconfig})")
            if self.kubeconfig.resolve() == self.cluster.kubeconfig.resolve():
                self.cluster.load_images(list(image_refs.values()))
        else:
            self.say("no cluster answers at KUBECONFIG: building this host's test cluster")
            self.kubeconfig = self.cluster.up(list(image_refs.values()), ingress_port=self.port)
        self.secrets()
        self.install(image_refs)
        started = time.monotonic()
        passed, report = self.helm_test()
        if not passed:
            raise StackError(f"helm test (the doctor's cluster checks) failed; fix the FAIL lines:\n{report}")
        self.say(f"helm test: the doctor's cluster checks pass ({time.monotonic() - started:.1f} s)")
        print(f"KUBECONFIG={self.kubeconfig}", file=self.out)
        print(f"{self.public_url}/mlflow/", file=self.out)

    def profile_env(self) -> Path:
        """The bundle's .env with the HTTPS profile and S3 on: the images the chart runs are
        those of that render (built where none can be pulled, as for `make up`)."""
        self.state.mkdir(parents=True, exist_ok=True)
        scratch = self.state / "images.env"
        shutil.copyfile(self.env_file, scratch)
        scratch.chmod(0o600)
        envfile.set_values(scratch, {"PUBLIC_URL": self.public_url, "ARTIFACT_STORE": "s3"})
        return scratch

    def images(self) -> dict[str, str]:
        scratch = self.profile_env()
        steps = Steps("k8s-up", self.state / "images.log", self.out)
        rendered = images.ensure(render(scratch), steps, lambda: render(scratch))
        refs = {service: rendered.image(service) for service in SERVICES}
        refs["tools"] = images.tools_image(rendered, steps, self.state / "tools")
        return refs

    def secrets(self) -> None:
        env = envfile.read(self.env_file)
        missing = [var for var in SECRET_FROM_ENV.values() if not env.get(var)]
        if missing:
            raise StackError(f"{self.env_file} has no {', '.join(missing)}: run `make secrets`, then `make k8s-up`")
        self.kubectl("apply", "-f", "-", input=json.dumps(namespace(NAMESPACE)))
        self.kubectl("apply", "-f", "-", input=json.dumps(namespace("ml-jobs")))
        data = {key: env[var] for key, var in SECRET_FROM_ENV.items()}
        secret = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "mlflow-oidc-stack", "namespace": NAMESPACE},
            "type": "Opaque",
            "stringData": data,
        }
        self.kubectl("apply", "-f", "-", input=json.dumps(secret))
        cert, key = tls.ensure_server_cert("localhost")
        tls_secret = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "mlflow-tls", "namespace": NAMESPACE},
            "type": "kubernetes.io/tls",
            "stringData": {"tls.crt": cert.read_text(), "tls.key": key.read_text()},
        }
        self.kubectl("apply", "-f", "-", input=json.dumps(tls_secret))

    def values(self, image_refs: dict[str, str]) -> dict:
        def image(service: str) -> dict:
            repository, tag = image_refs[service].rsplit(":", 1)
            return {"repository": repository, "tag": tag, "pullPolicy": "IfNotPresent"}

        return {
            "publicUrl": self.public_url,
            "keycloak": {"url": f"{self.public_url}/auth"},
            "image": image("mlflow"),
            "tools": {"image": image("tools")},
            "ingress": {"className": "traefik", "trustedProxies": [INGRESS_SOURCE]},
            "kubernetesAuth": {"enabled": True, "namespaceAllowlist": ["ml-jobs"]},
            "inCluster": {
                "enabled": True,
                "persistence": {"enabled": False},
                **{s: {"image": image(s)} for s in ("postgres", "redis", "keycloak", "s3")},
            },
        }

    def install(self, image_refs: dict[str, str], extra: list[str] | None = None) -> None:
        values = self.state / "values.json"
        values.write_text(json.dumps(self.values(image_refs), indent=1))
        cmd = [str(kubetools.helm(self.out)), "upgrade", "--install", RELEASE, str(kubetools.chart_dir()),
               "--namespace", NAMESPACE, "--kubeconfig", str(self.kubeconfig), "--values", str(values),
               "--wait", "--timeout", "10m", *(extra or [])]  # fmt: skip
        self.say("helm upgrade --install (waits until every pod is ready, then for the bootstrap Job)")
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            pods = self.kubectl("-n", NAMESPACE, "get", "pods", "-o", "wide", check=False).stdout
            raise StackError(f"helm install failed: {proc.stderr.strip()[-1500:]}\npods:\n{pods}")
        self.say(f"helm upgrade --install: {time.monotonic() - started:.1f} s")

    def helm_test(self) -> tuple[bool, str]:
        """`helm test`: the doctor's cluster checks in a pod of the release. Returns whether
        they passed, and the doctor's report (the pod's log)."""
        proc = subprocess.run(
            [
                str(kubetools.helm(self.out)),
                "test",
                RELEASE,
                "--namespace",
                NAMESPACE,
                "--kubeconfig",
                str(self.kubeconfig),
                "--logs",
                "--timeout",
                "5m",
            ],  # fmt: skip
            capture_output=True,
            text=True,
        )
        return proc.returncode == 0, (proc.stdout + proc.stderr).strip()

    # --- down --------------------------------------------------------------------------------

    def down(self) -> None:
        if (
            self.kubeconfig.is_file()
            and self.kubeconfig.resolve() != self.cluster.kubeconfig.resolve()
            and self.answers()
        ):
            subprocess.run(
                [
                    str(kubetools.helm()),
                    "uninstall",
                    RELEASE,
                    "--namespace",
                    NAMESPACE,
                    "--kubeconfig",
                    str(self.kubeconfig),
                ],
                capture_output=True,
            )
            self.say(f"uninstalled {RELEASE} from the cluster at {self.kubeconfig}")
            return
        self.cluster.down()


def namespace(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlflow-oidc-k8s", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("--env-file", type=Path, default=ROOT / ".env")
    parser.add_argument("--port", type=int, default=int(os.environ.get("K8S_PUBLIC_PORT", "9443")))
    args = parser.parse_args(argv)
    install = KubeInstall(args.env_file, args.port)
    try:
        install.up() if args.action == "up" else install.down()
    except StackError as exc:
        print(f"k8s: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

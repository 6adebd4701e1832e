"""The Kubernetes tools the chart's lint and the test cluster use, from package registries,
each built or unpacked once per version and cached under ~/.cache/mlflow-oidc-stack/kube/:

* helm and kubeconform: `go install` from the Go module proxy (neither module has a
  `replace`, so `module@version` works);
* kubeconform's schemas: the JSON schemas shipped in the PyPI wheel `kubernetes-validate`,
  made readable offline (their `$id` and absolute `$ref`s point at kubernetes.io, which
  kubeconform would try to fetch and then report only "could not find schema").

`python -m mlflow_oidc_stack.runtime.kubetools` builds what is missing (`make test` starts
it in the background, as it does SeaweedFS).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TextIO

from .. import StackError
from .gobuild import go_binary, install, locked, run, source_build
from .keycloak_dist import cache_dir

HELM = ("helm.sh/helm/v4/cmd/helm", "v4.3.1", "-X helm.sh/helm/v4/internal/version.version={v}")
KUBECONFORM = ("github.com/yannh/kubeconform/cmd/kubeconform", "v0.8.0", "-X main.version={v}")
# The test cluster's DNS (its image is made from this binary).
COREDNS = ("github.com/coredns/coredns", "v1.15.0", "-X github.com/coredns/coredns/coremain.GitCommit=v1.15.0")
# The test cluster's Ingress controller (its module has `replace`s: built from its source).
# v3.7.12 and .13 need module versions the proxy does not serve (lego's DNS providers);
# every 3.7 pins a commit of Traefik's go-http-auth fork that it does not serve either: the
# one 3.6 pins (the package's API is the same) stands in.
TRAEFIK = ("github.com/traefik/traefik/v3", "v3.7.11", "cmd/traefik")
# The module replaces github.com/traefik/traefik/dynamic/ext with its own directory, a nested
# module that module zips leave out (and the proxy does not serve): its two extension points
# are empty structs upstream, as here.
TRAEFIK_FILES = {
    "pkg/config/dynamic/ext/go.mod": "module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n",
    "pkg/config/dynamic/ext/ext.go": (
        "// Package ext holds the extension points of Traefik's dynamic configuration.\n"
        "package ext\n\n// HTTP is a dynamic.HTTP extension.\ntype HTTP struct{}\n\n"
        "// Router is a dynamic.Router extension.\ntype Router struct{}\n"
    ),
}
TRAEFIK_REPLACE = {
    "github.com/abbot/go-http-auth": "github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e"
}
# kubernetes-validate ships schemas for v1.25..v1.37; the chart is checked against this one.
SCHEMAS_WHEEL = ("kubernetes-validate", "1.37.0")
KUBERNETES_VERSION = "1.36.0"


def kube_cache() -> Path:
    return cache_dir() / "kube"


def _go_tool(spec: tuple[str, str, str], out: TextIO | None) -> Path:
    module, version, xflag = spec
    name = module.rsplit("/", 1)[-1]
    return install(module, version, xflag.format(v=version), kube_cache() / f"{name}-{version}" / name, out, name)


def helm(out: TextIO | None = None) -> Path:
    return _go_tool(HELM, out)


def kubeconform(out: TextIO | None = None) -> Path:
    return _go_tool(KUBECONFORM, out)


def coredns(out: TextIO | None = None) -> Path:
    return _go_tool(COREDNS, out)


def traefik(out: TextIO | None = None) -> Path:
    module, version, package = TRAEFIK
    ldflags = f"-X {module}/pkg/version.Version={version}"
    target = kube_cache() / f"traefik-{version}" / "traefik"
    return source_build(
        module,
        version,
        package,
        ldflags,
        target,
        out,
        f"Traefik {version}",
        replace=TRAEFIK_REPLACE,
        files=TRAEFIK_FILES,
    )


def schemas(out: TextIO | None = None) -> Path:
    """A directory kubeconform reads as `-schema-location DIR/{{.ResourceKind}}{{.KindSuffix}}.json`:
    the strict schemas of KUBERNETES_VERSION with file-relative references."""
    name, version = SCHEMAS_WHEEL
    target = kube_cache() / f"schemas-{version}" / f"v{KUBERNETES_VERSION}-standalone-strict"

    def make(target: Path) -> None:
        if out:
            print(f"fetching the Kubernetes JSON schemas ({name}=={version} from PyPI), once", file=out)
        with tempfile.TemporaryDirectory(prefix="schemas-") as tmp:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    "--only-binary",
                    ":all:",
                    "-d",
                    tmp,
                    f"{name}=={version}",
                ],  # fmt: skip
                capture_output=True,
                text=True,
            )
            wheels = list(Path(tmp).glob("*.whl"))
            if proc.returncode != 0 or not wheels:
                raise StackError(f"downloading {name}=={version} from PyPI failed: {proc.stderr.strip()[-500:]}")
            prefix = f"kubernetes_validate/kubernetes-json-schema/v{KUBERNETES_VERSION}-local-strict/"
            partial = target.with_name(target.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            with zipfile.ZipFile(wheels[0]) as whl:
                members = [m for m in whl.namelist() if m.startswith(prefix) and m.endswith(".json")]
                if not members:
                    raise StackError(f"{name}=={version} has no schemas for Kubernetes v{KUBERNETES_VERSION}")
                for member in members:
                    doc = json.loads(whl.read(member))
                    doc.pop("$id", None)
                    base = member[len(prefix) :]
                    _relative_refs(doc, "#" if base == "_definitions.json" else "_definitions.json#")
                    (partial / base).write_text(json.dumps(doc))
            partial.replace(target)

    return locked(target, make)


def _relative_refs(node, target: str) -> None:
    absolute = "/api/_definitions.json#"
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(absolute):
            node["$ref"] = target + ref[len(absolute) :]
        for value in node.values():
            _relative_refs(value, target)
    elif isinstance(node, list):
        for value in node:
            _relative_refs(value, target)


# The test cluster's server binaries (docs/kubernetes.md#the-test-cluster), built from the
# Go module proxy: k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them
# with directories its module zip does not have, so a wrapper module replaces each with the
# published k8s.io/<name> STAGING version; the k8s.io/sample-* ones (some not served at all)
# are stubbed, as nothing built imports them.
KUBERNETES = ("v1.36.3", "v0.36.3")
SERVER_COMMANDS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy")


def kubernetes_bin(out: TextIO | None = None) -> Path:
    """The directory holding SERVER_COMMANDS of KUBERNETES (minutes of `go build`, once)."""
    version, staging = KUBERNETES
    target = kube_cache() / f"kubernetes-{version}" / "bin"

    def make(target: Path) -> None:
        if out:
            print(f"building Kubernetes {version} from the Go module proxy, once (6-15 minutes)", file=out)
        go = go_binary(f"Kubernetes {version} (the test cluster)")
        with tempfile.TemporaryDirectory(prefix="kubernetes-build-") as tmp:
            log = Path(tmp) / "build.log"
            what = f"Kubernetes {version}"
            run([go, "mod", "download", f"k8s.io/kubernetes@{version}"], tmp, log, what)
            modcache = subprocess.run([go, "env", "GOMODCACHE"], capture_output=True, text=True).stdout.strip()
            upstream = (Path(modcache) / "cache/download/k8s.io/kubernetes/@v" / f"{version}.mod").read_text()
            block = upstream[upstream.index("replace (") : upstream.index(")", upstream.index("replace ("))]
            modules = [line.split()[0] for line in block.splitlines()[1:] if "=>" in line]
            lines = []
            for module in modules:
                if module.startswith("k8s.io/sample-"):
                    stub = Path(tmp) / "stub" / module.removeprefix("k8s.io/")
                    stub.mkdir(parents=True)
                    (stub / "go.mod").write_text(f"module {module}\n\ngo 1.26.0\n")
                    lines.append(f"\t{module} => ./stub/{module.removeprefix('k8s.io/')}")
                else:
                    lines.append(f"\t{module} => {module} {staging}")
            (Path(tmp) / "go.mod").write_text(
                "module kwrap\n\ngo 1.26.0\n\ngodebug default=go1.26\n\n"
                f"require k8s.io/kubernetes {version}\n\nreplace (\n" + "\n".join(lines) + "\n)\n"
            )
            packages = [f"k8s.io/kubernetes/cmd/{c}" for c in SERVER_COMMANDS]
            run([go, "get", *(f"{p}@{version}" for p in packages)], tmp, log, what)
            minor = version.split(".")[1]
            ldflags = "-s -w"
            for pkg in ("k8s.io/client-go/pkg/version", "k8s.io/component-base/version"):
                ldflags += (
                    f" -X {pkg}.gitVersion={version} -X {pkg}.gitMajor=1 -X {pkg}.gitMinor={minor}"
                    f" -X {pkg}.gitTreeState=clean -X {pkg}.gitCommit={'0' * 40}"
                )
            partial = target.with_name("bin.partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            run(["nice", "-n", "10", go, "build", "-trimpath", "-tags", "selinux,notest,grpcnotrace",
                 "-ldflags", ldflags, "-o", str(partial) + "/", *packages], tmp, log, what)  # fmt: skip
            partial.replace(target)

    return locked(target, make)


def ensure_all(out: TextIO | None = None) -> None:
    helm(out)
    kubeconform(out)
    schemas(out)


def chart_dir() -> Path:
    from .. import ROOT

    return ROOT / "deploy" / "helm" / "mlflow-oidc-stack"


def template(values: list[Path] | None = None, sets: list[str] | None = None) -> subprocess.CompletedProcess:
    """`helm template` of the chart with these values files and --set-json pairs."""
    cmd = [str(helm()), "template", "mlflow", str(chart_dir()), "--namespace", "mlflow"]
    for f in values or []:
        cmd += ["--values", str(f)]
    for pair in sets or []:
        cmd += ["--set-json", pair]
    return subprocess.run(cmd, capture_output=True, text=True)


# Kinds of the Ingress controller's own API (Traefik's Middleware): no schema in the
# Kubernetes set; the server-side dry run against the test cluster checks them.
CUSTOM_KINDS = ("Middleware",)


def lint_chart(out: TextIO) -> bool:
    """`helm lint`, then `helm template | kubeconform -strict` against the Kubernetes API's
    schemas, for each values file in the chart's ci/ (what a site sets at the least)."""
    ensure_all(out)
    ok = True
    for values in sorted((chart_dir() / "ci").glob("*.yaml")):
        name = values.relative_to(chart_dir())
        lint = subprocess.run(
            [str(helm()), "lint", "--strict", str(chart_dir()), "--values", str(values)],
            capture_output=True,
            text=True,
        )
        if lint.returncode != 0:
            ok = False
            print(f"helm lint ({name}) failed:\n{lint.stdout}{lint.stderr}", file=out)
            continue
        rendered = template([values])
        if rendered.returncode != 0:
            ok = False
            print(f"helm template ({name}) failed:\n{rendered.stderr}", file=out)
            continue
        location = str(schemas()) + "/{{.ResourceKind}}{{.KindSuffix}}.json"
        check = subprocess.run(
            [
                str(kubeconform()),
                "-strict",
                "-summary",
                "-kubernetes-version",
                KUBERNETES_VERSION,
                "-schema-location",
                location,
                "-skip",
                ",".join(CUSTOM_KINDS),
                "-",
            ],  # fmt: skip
            input=rendered.stdout,
            capture_output=True,
            text=True,
        )
        ok = ok and check.returncode == 0
        print(f"chart ({name}): helm lint ok; kubeconform: {check.stdout.strip()}{check.stderr.strip()}", file=out)
    return ok


if __name__ == "__main__":
    try:
        if sys.argv[1:] == ["lint"]:
            sys.exit(0 if lint_chart(sys.stdout) else 1)
        if sys.argv[1:] == ["kubernetes"]:
            print(kubernetes_bin(sys.stdout))
            print(coredns(sys.stdout))
            print(traefik(sys.stdout))
            sys.exit(0)
        ensure_all(out=sys.stdout)
    except StackError as exc:
        print(f"kubetools: {exc}", file=sys.stderr)
        sys.exit(1)

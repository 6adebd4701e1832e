"""Fetches the Keycloak distribution the compose image pins, once, from Maven Central.

The version is the tag of the `keycloak` image in the compose render, so the native stack
always runs what Compose would. The tarball and a pre-built copy (`kc.sh build` for
PostgreSQL with health endpoints, matching the compose settings) are cached under
~/.cache/mlflow-oidc-stack; each `make up` runs a fresh copy of the pre-built one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from . import ENV_EXAMPLE, ROOT, StackError
from .compose import Rendered, render
from .envfile import fill_secrets
from .native import cache_dir, find_java_home

ARTIFACT = "org.keycloak:keycloak-quarkus-dist:{version}:tar.gz"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy"


def rendered_for_versions() -> Rendered:
    """The render of the user's .env, or of a throwaway copy of .env.example if there is none."""
    env = ROOT / ".env"
    if env.exists():
        return render(env)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / ".env"
        fill_secrets(scratch, ENV_EXAMPLE)
        return render(scratch)


def build_options(rendered: Rendered) -> list[str]:
    """Build-time options of the compose service, so `kc.sh start` needs no re-build."""
    env = rendered.env("keycloak")
    opts = [f"--db={env['KC_DB']}"]
    if env.get("KC_HEALTH_ENABLED") == "true":
        opts.append("--health-enabled=true")
    if env.get("KC_CACHE"):
        opts.append(f"--cache={env['KC_CACHE']}")
    return opts


def ensure(rendered: Rendered, out=sys.stdout) -> Path:
    version = rendered.image_tag("keycloak")
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    home = cache / f"keycloak-{version}"
    marker = home / ".prebuilt"
    opts = build_options(rendered)
    if marker.exists() and marker.read_text() == " ".join(opts):
        print(f"==> Keycloak {version}: cached in {home}", file=out)
        return home
    tgz = cache / f"keycloak-quarkus-dist-{version}.tar.gz"
    if not tgz.exists():
        if not shutil.which("mvn"):
            raise StackError("Maven (mvn) is needed to fetch Keycloak from Maven Central: "
                             "apt-get install maven")
        print(f"==> downloading Keycloak {version} from Maven Central (~170 MB)", file=out, flush=True)
        proc = subprocess.run(["mvn", "-B", DEPENDENCY_PLUGIN,
                               f"-Dartifact={ARTIFACT.format(version=version)}",
                               f"-DoutputDirectory={cache}"], capture_output=True, text=True)
        if proc.returncode != 0 or not tgz.exists():
            tail = "\n".join(proc.stdout.splitlines()[-15:])
            raise StackError(f"could not fetch keycloak-quarkus-dist {version} from Maven Central "
                             f"(is that version published there?):\n{tail}")
    print(f"==> unpacking and pre-building Keycloak {version} ({' '.join(opts)})", file=out, flush=True)
    tmp = cache / f".keycloak-{version}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="tar")
    (top,) = list(tmp.iterdir())
    env = {**os.environ, "JAVA_HOME": str(find_java_home())}
    proc = subprocess.run([str(top / "bin" / "kc.sh"), "build", *opts], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StackError(f"kc.sh build failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    (top / ".prebuilt").write_text(" ".join(opts))
    shutil.rmtree(home, ignore_errors=True)
    top.rename(home)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"==> Keycloak {version} ready in {home}", file=out)
    return home


def main() -> int:
    try:
        ensure(rendered_for_versions())
    except StackError as exc:
        print(f"setup: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

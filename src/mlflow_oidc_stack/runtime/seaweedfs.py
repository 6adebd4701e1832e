"""SeaweedFS's `weed`, the S3 artifact store's server (compose/s3.yml), built from the Go
module proxy once per version.

The version is the tag of the `s3` image in the compose render (the official image,
chrislusf/seaweedfs:<tag>), so both modes run what Compose would. SeaweedFS publishes no
Go module versions, only commits: RELEASES maps each release tag the bundle supports to
the commit's pseudo-version on the module proxy. The module declares a `replace`, so
`go install module@version` refuses it: the module's own source (from the module cache,
checked against go.sum by the go command) is built as the main module instead. The binary
is cached under ~/.cache/mlflow-oidc-stack/seaweedfs-<tag>/weed:

* native mode runs it;
* compose mode copies it into the bundle's stand-in image where the official one cannot be
  pulled (compose/images/seaweedfs).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TextIO

from .. import StackError
from .keycloak_dist import cache_dir

MODULE = "github.com/seaweedfs/seaweedfs"
# release tag (the image's) -> the commit's version on the Go module proxy
RELEASES = {"4.53": "v0.0.0-20261109003541-7506e5f91cd6"}


def binary_path(tag: str) -> Path:
    return cache_dir() / f"seaweedfs-{tag}" / "weed"


def go_binary(what: str = "the S3 store's server (SeaweedFS)") -> str:
    """The Go toolchain that builds `what` from the Go module proxy."""
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if not go:
        raise StackError(
            f"{what} is built from the Go module proxy and needs Go >= 1.26: "
            "install it (Debian: golang-go from trixie, or https://go.dev/dl)"
            + (", or set ARTIFACT_STORE=local" if "SeaweedFS" in what else "")
        )
    return go


def ensure(tag: str, out: TextIO | None = None) -> Path:
    """`weed` of release `tag` (the bundle's stand-in tags add `-<suite>`), built once (a few
    minutes) and cached."""
    tag = tag.split("-", 1)[0]
    target = binary_path(tag)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # One build at a time (`make test` starts both modes at once): the second waits for it.
    with open(target.with_name("build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return target
        _build(tag, target, out)
    return target


def _build(tag: str, target: Path, out: TextIO | None) -> None:
    if tag not in RELEASES:
        raise StackError(
            f"SeaweedFS {tag} (the s3 service's image tag) is not a release the bundle knows how to build "
            f"natively: use one of {', '.join(sorted(RELEASES))} in SEAWEEDFS_IMAGE, or add its commit's "
            "version to runtime/seaweedfs.py RELEASES"
        )
    version = RELEASES[tag]
    go = go_binary()
    if out:
        print(f"building SeaweedFS {tag} ({MODULE}@{version}) from the Go module proxy, once (a few minutes)", file=out)
    env = {**os.environ, "CGO_ENABLED": "0"}
    with tempfile.TemporaryDirectory(prefix="seaweedfs-build-") as tmp:
        log = Path(tmp) / "build.log"

        def run(cmd: list[str], cwd: str) -> None:
            with open(log, "a") as f:
                proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=f, stderr=subprocess.STDOUT)
            if proc.returncode != 0:
                tail = "\n".join(log.read_text().splitlines()[-15:])
                raise StackError(f"building SeaweedFS {tag} failed ({' '.join(cmd[:3])}):\n{tail}")

        run([go, "mod", "download", "-json", f"{MODULE}@{version}"], tmp)
        modcache = subprocess.run([go, "env", "GOMODCACHE"], capture_output=True, text=True, env=env).stdout.strip()
        src = Path(modcache) / f"{MODULE}@{version}"
        work = Path(tmp) / "src"  # the module cache is read-only; go build writes nothing there
        shutil.copytree(src, work, ignore=shutil.ignore_patterns("*_test.go"))
        for path in work.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        partial = target.with_name("weed.partial")
        ldflags = f"-s -w -X {MODULE}/weed/util/version.COMMIT={version.rsplit('-', 1)[-1][:8]}"
        run(
            ["nice", "-n", "10", go, "build", "-trimpath", "-ldflags", ldflags, "-o", str(partial), "./weed"], str(work)
        )
        partial.replace(target)


def default_tag() -> str:
    """The release compose/s3.yml names when SEAWEEDFS_IMAGE is unset."""
    from ..config.profile import S3_FILE

    m = re.search(r"SEAWEEDFS_IMAGE:-[^}]*:([0-9][^}\s]*)\}", S3_FILE.read_text())
    if not m:
        raise StackError(f"{S3_FILE} names no default SeaweedFS image tag")
    return m.group(1)


if __name__ == "__main__":  # `make test` builds it ahead, while other tests run
    import sys

    try:
        print(ensure(default_tag(), out=sys.stdout))
    except StackError as exc:
        print(f"seaweedfs: {exc}", file=sys.stderr)
        sys.exit(1)

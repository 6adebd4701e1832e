"""Binaries built from the Go module proxy, once per version, cached under
~/.cache/mlflow-oidc-stack (SeaweedFS for the S3 store; helm, kubeconform, CoreDNS, Traefik
and Kubernetes itself for the chart and its test cluster).

Two ways, by what the module allows:

* `install`: `go install module/cmd@version`, for modules without `replace` directives;
* `source_build`: the module's own source (from the module cache, checked against go.sum by
  the go command) built as the main module, for those with `replace` directives, which
  `go install` refuses.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .. import StackError


def go_binary(what: str, otherwise: str = "") -> str:
    """The Go toolchain that builds `what`; `otherwise` says how to do without it."""
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if not go:
        raise StackError(
            f"{what} is built from the Go module proxy and needs Go >= 1.26: "
            "install it (Debian: golang-go from trixie, or https://go.dev/dl)"
            + (f", or {otherwise}" if otherwise else "")
        )
    return go


def locked(target: Path, make: Callable[[Path], None]) -> Path:
    """`target`, made by `make(target)` unless it exists; one build at a time across processes
    (`make test` runs two pytest processes that may both want it): the second waits."""
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            make(target)
    return target


def run(cmd: list[str], cwd: str, log: Path, what: str, **env: str) -> None:
    """One step of a build, its output appended to `log`; its tail in the error."""
    env = {**os.environ, "CGO_ENABLED": "0", **env}
    with open(log, "a") as f:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-15:])
        raise StackError(f"building {what} failed ({' '.join(cmd[1:3])}):\n{tail}")


def install(module_cmd: str, version: str, ldflags: str, target: Path, out: TextIO | None, what: str) -> Path:
    """`go install module_cmd@version` into `target` (its name is the command's)."""

    def make(target: Path) -> None:
        if out:
            print(f"building {what} ({module_cmd}@{version}) from the Go module proxy, once (minutes)", file=out)
        go = go_binary(what)
        with tempfile.TemporaryDirectory(prefix="gobuild-") as tmp:
            gobin = Path(tmp) / "bin"
            cmd = ["nice", "-n", "10", go, "install", "-trimpath",
                   "-ldflags", f"-s -w {ldflags}".strip(), f"{module_cmd}@{version}"]  # fmt: skip
            run(cmd, tmp, Path(tmp) / "build.log", what, GOBIN=str(gobin))
            shutil.move(str(gobin / module_cmd.rsplit("/", 1)[-1]), str(target))

    return locked(target, make)


def source_build(
    module: str,
    version: str,
    package: str,
    ldflags: str,
    target: Path,
    out: TextIO | None,
    what: str,
    otherwise: str = "",
    replace: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
) -> Path:
    """`go build ./package` of `module@version`'s source as the main module, into `target`.
    `replace`: module => module@version replacements added to its go.mod, for a dependency
    whose pinned version the module proxy does not serve (go.sum gets the served one's
    checksum, verified against the checksum database through the proxy). `files`: files to
    add to the source (path relative to it: text), e.g. a nested module the zip leaves out."""

    def make(target: Path) -> None:
        if out:
            print(f"building {what} ({module}@{version}) from the Go module proxy, once (minutes)", file=out)
        go = go_binary(what, otherwise)
        with tempfile.TemporaryDirectory(prefix="gobuild-") as tmp:
            log = Path(tmp) / "build.log"
            run([go, "mod", "download", "-json", f"{module}@{version}"], tmp, log, what)
            modcache = subprocess.run([go, "env", "GOMODCACHE"], capture_output=True, text=True).stdout.strip()
            work = Path(tmp) / "src"  # the module cache is read-only; go build writes nothing there
            shutil.copytree(Path(modcache) / f"{module}@{version}", work, ignore=shutil.ignore_patterns("*_test.go"))
            for path in work.rglob("*"):
                path.chmod(path.stat().st_mode | 0o200)
            for rel, text in (files or {}).items():
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                (work / rel).write_text(text)
            for old, new in (replace or {}).items():
                run([go, "mod", "edit", f"-replace={old}={new}"], str(work), log, what)
            partial = target.with_name(target.name + ".partial")
            cmd = ["nice", "-n", "10", go, "build", "-trimpath", "-ldflags", f"-s -w {ldflags}".strip(),
                   *(["-mod=mod"] if replace else []), "-o", str(partial), f"./{package}"]  # fmt: skip
            run(cmd, str(work), log, what)
            partial.replace(target)

    return locked(target, make)

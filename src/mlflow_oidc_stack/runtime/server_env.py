"""The MLflow server's own virtualenv for the native stack, one per plugin version.

The plugin version is the mlflow service's build argument MLFLOW_OIDC_AUTH_VERSION (set in
.env), the same that picks the lock file of the image (compose/mlflow/locks/<version>.lock:
every pin with its hashes). The environment lives in ~/.cache/mlflow-oidc-stack, keyed on
the version and the lock's content, so the pinned server is installed once per machine, a
`make upgrade` to another version gets a fresh one, and the tools venv (.venv) never holds
the server.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from .. import ROOT, StackError
from ..config.facts import Rendered
from .keycloak_dist import cache_dir

LOCKS = ROOT / "compose" / "mlflow" / "locks"
APP = ROOT / "compose" / "mlflow" / "app"


def plugin_version(rendered: Rendered) -> str:
    args = (rendered.services["mlflow"].get("build") or {}).get("args") or {}
    return str(args.get("MLFLOW_OIDC_AUTH_VERSION", ""))


def supported() -> list[str]:
    return sorted(p.stem for p in LOCKS.glob("*.lock"))


def lock_for(version: str) -> Path:
    lock = LOCKS / f"{version}.lock"
    if not lock.exists():
        raise StackError(
            f"MLFLOW_OIDC_AUTH_VERSION={version} has no lock file ({lock}): supported "
            f"versions are {', '.join(supported())}"
        )
    return lock


def home(version: str) -> Path:
    digest = hashlib.sha256(lock_for(version).read_bytes())
    for f in sorted(APP.glob("*")):
        if f.is_file():
            digest.update(f.read_bytes())
    return cache_dir() / f"mlflow-server-{version}-{digest.hexdigest()[:8]}"


def ensure(version: str, out: TextIO = sys.stdout) -> Path:
    """The server environment of `version`, installed if missing."""
    target = home(version)
    if (target / ".ready").exists():
        return target
    print(
        f"==> installing the MLflow server with mlflow-oidc-auth {version} into {target} "
        "(--require-hashes; about a minute)",
        file=out,
        flush=True,
    )
    # Built in place (a venv's scripts name its path); `.ready` marks it complete.
    partial = target
    shutil.rmtree(partial, ignore_errors=True)
    python = getattr(sys, "_base_executable", sys.executable)
    steps = [
        [python, "-m", "venv", str(partial)],
        [
            str(partial / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "--require-hashes",
            "-r",
            str(lock_for(version)),
        ],
    ]
    for cmd in steps:
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise StackError(f"installing the MLflow server failed ({' '.join(cmd[:4])}):\n{proc.stderr[-2000:]}")
    with tempfile.TemporaryDirectory() as tmp:  # a local build writes build/ next to its sources
        for f in APP.glob("*"):
            if f.is_file():
                shutil.copy2(f, tmp)
        proc = subprocess.run(
            [
                str(partial / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-build-isolation",
                tmp,
            ],
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise StackError(f"installing compose/mlflow/app failed:\n{proc.stderr[-2000:]}")
    (target / ".ready").write_text(version + "\n")
    return target


def main() -> int:
    from .keycloak_dist import rendered_for_versions

    try:
        ensure(plugin_version(rendered_for_versions()))
    except StackError as exc:
        print(f"setup: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

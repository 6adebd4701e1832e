"""scripts/setup: what it does when the machine lacks what mlflow-oidc-auth 11 needs."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

SYSTEM_PYTHON_IS_NEW = bool(glob.glob("/usr/bin/python3.1[2-9]") + glob.glob("/usr/local/bin/python3.1[2-9]")) or (
    shutil.which("python3", path="/usr/bin:/bin") is not None
    and subprocess.run(["/usr/bin/python3", "-c", "import sys; sys.exit(sys.version_info < (3, 12))"]).returncode == 0
)


def copy_of_setup(tmp_path):
    for rel in (
        "scripts/setup",
        "compose/mlflow/requirements.txt",
        "requirements/tools.lock",
        "requirements/native.lock",
        "requirements/test.lock",
        "requirements/tools.txt",
        "requirements/native.txt",
        "requirements/test.txt",
        "pyproject.toml",
    ):
        dest = tmp_path / "repo" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)
    (tmp_path / "home").mkdir()
    return tmp_path / "repo"


def run_setup(repo, tmp_path, **env):
    return subprocess.run(
        ["bash", str(repo / "scripts" / "setup"), "compose"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(SYSTEM_PYTHON_IS_NEW, reason="this system's own Python is >= 3.12")
def test_without_python_312_setup_stops_with_what_to_install(tmp_path):
    repo = copy_of_setup(tmp_path)
    proc = run_setup(repo, tmp_path)
    assert proc.returncode == 1
    assert "no Python >= 3.12 found" in proc.stderr
    assert "PYTHON=/path/to/python3.12 make setup" in proc.stderr
    assert not (repo / ".venv").exists(), "nothing half-made is left behind"


@pytest.mark.skipif(SYSTEM_PYTHON_IS_NEW, reason="this system's own Python is >= 3.12")
def test_an_older_python_given_explicitly_is_refused_even_when_a_newer_one_is_on_path(tmp_path):
    repo = copy_of_setup(tmp_path)
    newer = tmp_path / "bin"
    newer.mkdir()
    (newer / "python3.12").symlink_to(sys._base_executable)  # a real Python >= 3.12 on PATH
    proc = subprocess.run(
        ["bash", str(repo / "scripts" / "setup"), "compose"],
        env={"PATH": f"{newer}:/usr/bin:/bin", "HOME": str(tmp_path / "home"), "PYTHON": "/usr/bin/python3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PYTHON=/usr/bin/python3 is not Python >= 3.12" in proc.stderr
    assert not (repo / ".venv").exists()


def test_unknown_option_is_a_usage_error(tmp_path):
    repo = copy_of_setup(tmp_path)
    proc = subprocess.run(["bash", str(repo / "scripts" / "setup"), "--frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2 and "unknown option --frobnicate" in proc.stderr


@pytest.mark.slow
def test_compose_mode_setup_installs_only_the_tools(tmp_path):
    """`make up` in compose mode installs nothing on the host but the tools venv (and the
    compose plugin where the CLI lacks it): no Debian package, no server, no test tooling."""
    repo = tmp_path / "repo"
    repo.mkdir()
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True)
    for rel in files.stdout.split():
        if (ROOT / rel).is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, repo / rel)
    dpkg_before = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\\n"], capture_output=True, text=True).stdout
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "STACK_STATE_DIR")}
    proc = subprocess.run(
        ["bash", str(repo / "scripts" / "setup"), "compose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "apt-get" not in proc.stdout and "Keycloak" not in proc.stdout, proc.stdout
    dpkg_after = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\\n"], capture_output=True, text=True).stdout
    assert dpkg_after == dpkg_before
    frozen = subprocess.run(
        [str(repo / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {line.split("==")[0].lower().replace("_", "-") for line in frozen.splitlines() if "==" in line}
    allowed = {
        re.match(r"^([A-Za-z0-9_.-]+)==", line).group(1).lower().replace("_", "-")
        for line in (repo / "requirements" / "tools.lock").read_text().splitlines()
        if re.match(r"^[A-Za-z0-9_.-]+==", line)
    }
    assert installed - allowed - {"pip", "mlflow-oidc-stack"} == set()
    for heavy in ("mlflow", "mlflow-oidc-auth", "supervisor", "pytest", "playwright"):
        assert heavy not in installed
    assert not (repo / ".stack" / "keycloak").exists()

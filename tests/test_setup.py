"""scripts/setup: what it does when the machine lacks what mlflow-oidc-auth 11 needs."""

from __future__ import annotations

import glob
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

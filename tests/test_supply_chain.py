"""Supply chain (issue 9): every Python pin carries hashes and is installed with
--require-hashes, and the Keycloak tarball is checked against Maven Central's SHA-512."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from mlflow_oidc_stack import StackError
from mlflow_oidc_stack.runtime import keycloak_dist

SERVER_LOCKS = sorted((ROOT / "compose" / "mlflow" / "locks").glob("*.lock"))
LOCKS = [*SERVER_LOCKS, *(ROOT / "requirements" / f"{n}.lock" for n in ("tools", "native", "test"))]
DEFAULT = re.search(r"mlflow-oidc-auth\[cache\]==(\S+)", (ROOT / "compose/mlflow/requirements.txt").read_text())[1]


def locked(path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a lock file."""
    out, current = {}, None
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\[\]-]+)==([^ ;\\]+)", line)
        if m:
            current = m.group(1).split("[")[0].lower().replace("_", "-")
            out[current] = (m.group(2), [])
        for h in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
            out[current][1].append(h)
    return out


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_pin_of_every_lock_has_hashes(lock):
    pins = locked(lock)
    assert pins and all(hashes for _, hashes in pins.values()), [n for n, (_, h) in pins.items() if not h]


def test_locks_honour_the_top_level_pins_and_agree_with_the_image():
    image = locked(ROOT / "compose/mlflow/locks" / f"{DEFAULT}.lock")
    for txt, lock in (
        (ROOT / "compose/mlflow/requirements.txt", ROOT / "compose/mlflow/locks" / f"{DEFAULT}.lock"),
        *((ROOT / f"requirements/{n}.txt", ROOT / f"requirements/{n}.lock") for n in ("tools", "native", "test")),
    ):
        pins = locked(lock)
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", txt.read_text(), re.M):
            assert pins[name.lower().replace("_", "-")][0] == version, (txt.name, name)
    for lock in (ROOT / "requirements/native.lock", ROOT / "requirements/test.lock"):
        for name, (version, _) in locked(lock).items():  # shared packages: the image's versions
            if name in image:
                assert image[name][0] == version, (lock.name, name)
    for lock in SERVER_LOCKS:  # each supported version's lock pins that version of the plugin
        assert locked(lock)["mlflow-oidc-auth"][0] == lock.stem


def test_installs_require_hashes():
    assert "--require-hashes -r /tmp/build/requirements.lock" in (ROOT / "compose/mlflow/Dockerfile").read_text()
    setup = (ROOT / "scripts" / "setup").read_text()
    assert '--require-hashes -r "$LOCK"' in setup and "--no-build-isolation" in setup


@pytest.mark.slow
def test_a_keycloak_tarball_that_does_not_match_the_published_checksum_is_deleted(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    version = "26.7.3"
    cached = tmp_path / "mlflow-oidc-stack" / f"keycloak-quarkus-dist-{version}.tar.gz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not the real distribution")  # a tampered or truncated download
    with pytest.raises(StackError, match="does not match Maven Central's published SHA-512"):
        keycloak_dist.tarball(version)
    assert not cached.exists(), "the bad file is deleted, never used"

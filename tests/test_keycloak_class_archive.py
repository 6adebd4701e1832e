"""Keycloak's JVM maps a class archive of Keycloak's classes (issue 11's cold start): made once
per pre-built Keycloak by one start on a scratch PostgreSQL (natively: keycloak_dist; in
Compose: the bundle's image, compose/images/keycloak), and mapped by every start after that
(docs/measured.md#keycloak-class-archive)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlflow_oidc_stack import StackError
from mlflow_oidc_stack.config.render import render
from mlflow_oidc_stack.ops.scratch import make_env
from mlflow_oidc_stack.runtime.keycloak_dist import archive_options, class_archive, install
from mlflow_oidc_stack.runtime.keycloak_scratch import prebuilt

ARCHIVE = re.compile(r"/cds/keycloak[-\w]*\.jsa$")


def _jvm(pid: int) -> int:
    """The java process in the tree of `pid` (kc.sh execs it; the image's entrypoint too)."""
    todo = [pid]
    while todo:
        p = todo.pop()
        if Path(f"/proc/{p}/comm").read_text().strip() == "java":
            return p
        for task in Path(f"/proc/{p}/task").iterdir():
            children = task / "children"
            if children.exists():
                todo += [int(c) for c in children.read_text().split()]
    raise AssertionError(f"no java process under PID {pid}")


@pytest.mark.stack
def test_keycloak_maps_its_class_archive(stack):
    """The session's Keycloak (both modes) runs with the archive mapped: the JVM took it (a
    mismatched archive is dropped silently, and Keycloak would only start slower)."""
    pid = _jvm(stack.runtime.pids()["keycloak"])
    mapped = {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines() if ".jsa" in line}
    assert any(ARCHIVE.search(m) for m in mapped), f"Keycloak's JVM maps no class archive of its own: {mapped}"


def test_the_switch(tmp_path):
    """KEYCLOAK_CLASS_ARCHIVE=false: no archive option; anything but true or false: what to write."""
    rendered = render(make_env(tmp_path / ".env", KEYCLOAK_CLASS_ARCHIVE="false"))
    assert archive_options(rendered, tmp_path) == ""
    bad = render(make_env(tmp_path / "bad.env", KEYCLOAK_CLASS_ARCHIVE="yes"))
    with pytest.raises(StackError, match="KEYCLOAK_CLASS_ARCHIVE=yes in .env: write true or false"):
        archive_options(bad, tmp_path)


@pytest.mark.slow
def test_the_prebuilt_keycloak_has_its_archive(tmp_path):
    """Natively: the pre-built Keycloak has an archive for the Java that runs it, and a stack's
    copy reads the cached jars through its lib/ link, where the archive saw them."""
    rendered = render(make_env(tmp_path / ".env"))
    dist = prebuilt(rendered)
    assert class_archive(dist).stat().st_size > 50 << 20
    assert archive_options(rendered, dist) == f"-XX:SharedArchiveFile={class_archive(dist)} -Xlog:cds=off"
    install(dist, tmp_path / "keycloak")
    assert (tmp_path / "keycloak" / "lib").resolve() == (dist / "lib").resolve()
    assert not (tmp_path / "keycloak" / "cds").exists() and (tmp_path / "keycloak" / "bin" / "kc.sh").exists()

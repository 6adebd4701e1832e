"""Keycloak's schema ships ready (issue 11's cold start): compose/postgres/keycloak/schema.sql is
what the pinned Keycloak builds on an empty database, and both modes load it into Keycloak's
empty database before Keycloak's first start, which then skips its ~210 Liquibase changesets
(docs/measured.md#keycloak-schema)."""

from __future__ import annotations

import difflib
import os
import subprocess

import pytest

from mlflow_oidc_stack.ops.backup import data_access
from mlflow_oidc_stack.runtime.keycloak_dist import keycloak_version, rendered_for_versions
from mlflow_oidc_stack.runtime.keycloak_schema import SEED, check, comparable, generate, seed_version
from mlflow_oidc_stack.runtime.native import find_postgres_bin


def _changelog(text: str) -> list[list[str]]:
    """The changelog rows the file holds (tab-separated, as COPY reads them)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("COPY public.databasechangelog ("))
    end = lines.index("\\.", start)
    return [line.split("\t") for line in lines[start + 1 : end]]


def test_the_schema_is_the_pinned_keycloaks(tmp_path):
    """A Keycloak bump without `make keycloak-schema` would still start (Keycloak applies its
    new changesets), but slower: this names the fix."""
    pinned = keycloak_version(rendered_for_versions(tmp_path / "no.env"))
    assert seed_version() == pinned, (
        f"{SEED.name} holds Keycloak {seed_version()}'s schema, the compose file pins {pinned}: "
        "run `make keycloak-schema`"
    )
    rows = _changelog(SEED.read_text())
    assert len(rows) > 200 and all(row[5] in ("EXECUTED", "MARK_RAN") for row in rows)


def test_comparable_masks_only_the_runs_dates_and_id():
    text = SEED.read_text()
    row = "\t".join(_changelog(text)[0])
    other = row.split("\t")
    other[3], other[13] = "2001-01-01 00:00:00", "0000000001"
    assert comparable(text) == comparable(text.replace(row, "\t".join(other)))
    other[6] = "9:00000000000000000000000000000000"  # a changeset's checksum is not masked
    assert comparable(text) != comparable(text.replace(row, "\t".join(other)))


@pytest.mark.slow
def test_the_shipped_schema_is_what_keycloak_builds(tmp_path):
    """Keycloak builds its database on a scratch PostgreSQL (local binaries, as
    `make keycloak-schema` does); the shipped file must be that database, but for when each
    changeset ran."""
    diff = check(generate(rendered_for_versions(tmp_path / "no.env")))
    assert not diff, "\n".join(diff[:40]) + "\nrun `make keycloak-schema`"


@pytest.mark.stack
def test_keycloak_started_on_the_shipped_schema(stack):
    """The session's stack (both modes): Keycloak's changelog is the shipped one (same rows, the
    file's deployment id: Liquibase ran nothing), and Keycloak went on from there (its model
    version recorded, the realm imported)."""
    r = stack.rendered
    db = r.env("postgres")["KEYCLOAK_DB"]
    data = data_access(stack.mode, stack.env_file, stack.state)
    shipped = _changelog(SEED.read_text())
    rows = data.psql(db, "SELECT id || '|' || filename || '|' || md5sum || '|' || deployment_id FROM databasechangelog")
    expected = sorted(f"{row[0]}|{row[2]}|{row[6]}|{row[13]}" for row in shipped)
    found = sorted(rows.splitlines())
    diff = list(difflib.unified_diff(expected, found, "shipped", "Keycloak's database", lineterm=""))
    assert not diff, "\n".join(diff[:40])
    assert data.psql(db, "SELECT version FROM migration_model ORDER BY update_time DESC LIMIT 1") == seed_version()
    realm = r.env("keycloak")["MLFLOW_REALM"]
    assert data.psql(db, f"SELECT count(*) FROM realm WHERE name IN ('master', '{realm}')") == "2"


def run_script(stack, db: str, **env: str) -> subprocess.CompletedProcess:
    """compose/postgres/keycloak-schema.sh as PostgreSQL's init runs it, on database `db`: in
    the postgres container, or natively from the stack's mirror of /docker-entrypoint-initdb.d."""
    pg = stack.rendered.env("postgres")
    env = {"KEYCLOAK_DB": db, "KEYCLOAK_IMAGE": pg["KEYCLOAK_IMAGE"], "KEYCLOAK_SCHEMA_PRELOAD": "true", **env}
    if stack.mode == "compose":
        return stack.runtime.exec("postgres", "sh", "/docker-entrypoint-initdb.d/20-keycloak-schema.sh", env=env)
    initdb = stack.state / "run" / "initdb.d"
    client = {
        "PATH": f"{find_postgres_bin()}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": pg["PGPORT"],
        "PGPASSWORD": pg["POSTGRES_PASSWORD"],
        "POSTGRES_USER": pg["POSTGRES_USER"],
        "INITDB_DIR": str(initdb),
    }
    return subprocess.run(
        ["sh", str(initdb / "20-keycloak-schema.sh")], capture_output=True, text=True, env={**client, **env}
    )


@pytest.mark.stack
def test_the_script_loads_only_an_empty_database_of_its_keycloak(stack):
    """Another Keycloak (an older pin, as before `make upgrade`; a digest) or
    KEYCLOAK_SCHEMA_PRELOAD=false: Keycloak builds its own schema. A bad switch stops with
    what to write. The file's Keycloak: loaded once, then left alone."""
    data = data_access(stack.mode, stack.env_file, stack.state)
    db = f"kcschema_{os.urandom(3).hex()}"
    data.psql("postgres", f'CREATE DATABASE "{db}"')

    def tables() -> int:
        return int(data.psql(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))

    try:
        for env, said in [
            ({"KEYCLOAK_IMAGE": "quay.io/keycloak/keycloak:26.5.6"}, "the stack runs Keycloak 26.5.6"),
            ({"KEYCLOAK_IMAGE": "quay.io/keycloak/keycloak@sha256:" + "0" * 64}, "the stack runs Keycloak"),
            ({"KEYCLOAK_SCHEMA_PRELOAD": "false"}, "KEYCLOAK_SCHEMA_PRELOAD=false"),
        ]:
            proc = run_script(stack, db, **env)
            assert proc.returncode == 0, proc.stderr
            assert said in proc.stdout and "Keycloak builds its schema itself" in proc.stdout, proc.stdout
            assert tables() == 0
        bad = run_script(stack, db, KEYCLOAK_SCHEMA_PRELOAD="yes")
        assert bad.returncode != 0 and "KEYCLOAK_SCHEMA_PRELOAD=yes in .env: write true or false" in bad.stderr
        assert tables() == 0

        loaded = run_script(stack, db)
        assert loaded.returncode == 0, loaded.stderr
        assert f"database {db} has the schema of Keycloak {seed_version()}" in loaded.stdout
        assert int(data.psql(db, "SELECT count(*) FROM databasechangelog")) == len(_changelog(SEED.read_text()))
        before = tables()
        again = run_script(stack, db)
        assert again.returncode == 0 and f"database {db} has tables: left alone" in again.stdout
        assert tables() == before
    finally:
        data.psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

"""Keycloak's schema, ready for Keycloak's empty database (compose/postgres/keycloak/schema.sql).

On an empty database Keycloak's first start runs ~210 Liquibase changesets before anything
else: 20-35 s of a first `make up` on 2 cores (docs/measured.md#keycloak-schema). The bundle
ships what those changesets build instead, and compose/postgres/keycloak-schema.sh loads it
into the empty database before Keycloak starts, in both modes. Keycloak then finds its
changelog complete, skips the migration, and goes on as on any database it built (master
realm, realm import). A newer Keycloak applies only the changesets it adds.

The file is made, not written: `make keycloak-schema` starts a scratch PostgreSQL and the
pinned Keycloak from local binaries (no engine needed), lets Keycloak build its database,
and dumps the schema plus the rows of Liquibase's changelog and lock tables: no realm, no
user, no key. `--check` makes it again and compares (the tests do).

Keycloak's own "manual" migration strategy (a SQL script written instead of run) is not used:
while writing it, Liquibase tests each changeset's preconditions against the empty database
rather than against what the earlier changesets would have made, and the script it wrote for
26.7.3 built a different schema (an extra column and index, five changesets marked as run
instead of executed; measured, docs/measured.md#keycloak-schema).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path
from typing import TextIO

from .. import ROOT, StackError
from ..config.facts import Rendered
from .keycloak_dist import MARK, SEED, keycloak_version, rendered_for_versions, seed_version
from .keycloak_scratch import prebuilt, run, scratch_postgres, start_once

TABLES = ("databasechangelog", "databasechangeloglock")


def _clean(dump: str) -> str:
    """pg_dump's text without what differs from run to run or between PostgreSQL builds."""
    drop = ("\\restrict ", "\\unrestrict ", "-- Dumped from ", "-- Dumped by ")
    return "".join(line for line in dump.splitlines(keepends=True) if not line.startswith(drop))


def generate(rendered: Rendered, out: TextIO = sys.stdout, timeout: float = 600) -> str:
    """The schema file's text: the database that the render's Keycloak builds on its first start."""
    version = keycloak_version(rendered)
    home = prebuilt(rendered, out)
    with scratch_postgres() as pg:
        print(f"==> Keycloak {version} builds its database on a scratch PostgreSQL (1-2 min)", file=out, flush=True)
        start_once(rendered, home, pg, timeout=timeout)
        dump = [str(pg.bin / "pg_dump"), "--no-owner", "--no-privileges", "-d", pg.db]
        schema = run([*dump, "--schema-only"], "pg_dump --schema-only", env=pg.client).stdout
        rows = run([*dump, "--data-only", *(f"--table={t}" for t in TABLES)], "pg_dump", env=pg.client).stdout
    header = (
        f"{MARK}Keycloak {version}\n"
        f"-- Made by `make keycloak-schema` (src/mlflow_oidc_stack/runtime/keycloak_schema.py); do not edit.\n"
        f"-- A pg_dump of the database Keycloak {version} built on its first start: its tables, and the\n"
        f"-- rows of Liquibase's changelog; no realm, no user. compose/postgres/keycloak-schema.sh loads\n"
        f"-- it into Keycloak's empty database so that Keycloak's first start skips its migrations.\n"
    )
    return header + _clean(schema) + _clean(rows)


_CHANGELOG_COPY = re.compile(r"^COPY public\.databasechangelog \(")


def comparable(text: str) -> list[str]:
    """The file's lines without what differs between two makes: when each changeset ran
    (dateexecuted) and the run's deployment id."""
    lines, in_changelog = [], False
    for line in text.splitlines():
        if in_changelog and line == "\\.":
            in_changelog = False
        elif in_changelog:
            cols = line.split("\t")
            cols[3] = cols[13] = "*"
            line = "\t".join(cols)
        elif _CHANGELOG_COPY.match(line):
            in_changelog = True
        lines.append(line)
    return lines


def check(made: str, path: Path = SEED) -> list[str]:
    """A unified diff (empty when equal) between the shipped file and what Keycloak built."""
    shipped = comparable(path.read_text()) if path.exists() else []
    return list(difflib.unified_diff(shipped, comparable(made), str(path.relative_to(ROOT)), "made now", lineterm=""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make keycloak-schema",
        description=f"Make {SEED.relative_to(ROOT)} from what the pinned Keycloak builds on a scratch PostgreSQL.",
    )
    parser.add_argument("--check", action="store_true", help="make it, compare with the shipped file, write nothing")
    args = parser.parse_args(argv)
    try:
        made = generate(rendered_for_versions())
    except StackError as exc:
        print(f"keycloak-schema: {exc}", file=sys.stderr)
        return 1
    diff = check(made)
    if args.check:
        if diff:
            print("\n".join(diff[:60]))
            print(f"keycloak-schema: {SEED.relative_to(ROOT)} is not what Keycloak builds: run `make keycloak-schema`")
            return 1
        print(f"keycloak-schema: {SEED.relative_to(ROOT)} is what Keycloak {seed_version()} builds")
        return 0
    if not diff:  # only the run's dates and deployment id would change
        print(f"keycloak-schema: {SEED.relative_to(ROOT)} is already what Keycloak {seed_version()} builds")
        return 0
    tmp = SEED.with_suffix(".partial")
    tmp.write_text(made)
    tmp.replace(SEED)
    print(f"keycloak-schema: wrote {SEED.relative_to(ROOT)} (Keycloak {seed_version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

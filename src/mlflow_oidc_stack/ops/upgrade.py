"""`make upgrade`: move a running stack to the pins of the checked-out version.

Pre-flight, no impact yet:
1. compare what runs (the .env's pins) with what this checkout ships (.env.example's):
   the auth plugin (MLFLOW_OIDC_AUTH_VERSION), Keycloak (KEYCLOAK_IMAGE), PostgreSQL, Redis
   and MLflow's base image. A pin that would move backwards is refused, and so is a
   PostgreSQL major version (that goes through backup and restore: docs/operations.md);
2. take a backup (`make backup`); if that fails, stop: nothing is touched.

Then impact:
3. write the new pins into .env (the old one is kept as .env.pre-upgrade);
4. get the new images (Compose) or server venv and Keycloak build (native);
5. stop Keycloak and MLflow, and run MLflow's schema migration (`mlflow db upgrade`) with
   the new server; the plugin migrates its database and Keycloak its own as they start;
6. start everything and wait for health, then run the doctor.

When a step of 3-6 fails, the stack is stopped (never left running half-migrated), and the
exact commands that bring back the previous state are printed. Exit codes: 0 upgraded or
nothing to do, 1 failed or refused.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .. import ENV_EXAMPLE, ROOT, StackError
from ..config import envfile
from ..config.facts import Rendered
from ..config.render import render
from ..runtime.cli import choose_mode, stack_for
from ..runtime.common import default_state_dir
from ..runtime.compose import ComposeStack
from ..runtime.keycloak_dist import keycloak_version
from ..runtime.keycloak_scratch import prebuilt as keycloak_prebuilt
from ..runtime.native import plan
from ..runtime.server_env import ensure as server_env
from ..runtime.server_env import plugin_version
from .backup import CLIENTS, backup

# The .env variables `make upgrade` moves, with how to read a component's version from them.
PINS = ["MLFLOW_OIDC_AUTH_VERSION", "KEYCLOAK_IMAGE", "POSTGRES_IMAGE", "REDIS_IMAGE", "MLFLOW_BASE_IMAGE"]


def version_of(variable: str, value: str) -> str:
    if variable == "MLFLOW_OIDC_AUTH_VERSION":
        return value
    tag = value.rsplit(":", 1)[-1] if ":" in value.rsplit("/", 1)[-1] else ""
    return tag.split("-", 1)[0]  # 26.7.3-metrics, 15-bookworm, 3.12.12-slim-bookworm


def as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def is_stand_in(value: str) -> bool:
    return value.startswith("mlflow-oidc-stack/")


def compare(current: str, target: str) -> int:
    """-1 older, 0 same, 1 newer; a stand-in tag (15-bookworm) compares by what it carries."""
    a, b = as_tuple(current), as_tuple(target)
    n = min(len(a), len(b))
    return (a[:n] > b[:n]) - (a[:n] < b[:n])


def plan_changes(env: dict[str, str], example: dict[str, str]) -> list[tuple[str, str, str]]:
    """(variable, current value, target value) for each pin that moves; refusals raise."""
    changes = []
    for var in PINS:
        cur, new = env.get(var, example.get(var, "")), example.get(var, "")
        if not new or cur == new:
            continue
        cv, nv = version_of(var, cur), version_of(var, new)
        if is_stand_in(cur) and compare(cv, nv) == 0:
            continue  # the bundle's own build of the same version
        if var != "MLFLOW_BASE_IMAGE" and compare(nv, cv) < 0:  # a base image carries no data
            raise StackError(
                f"{var} would move backwards ({cur} -> {new}): `make upgrade` never downgrades. "
                "Check out the version that matches this stack, or restore a backup taken with "
                "it. Nothing was changed."
            )
        if var == "POSTGRES_IMAGE" and as_tuple(cv)[:1] != as_tuple(nv)[:1]:
            raise StackError(
                f"PostgreSQL {cv} -> {nv} is a major upgrade: it goes through `make backup`, a new "
                "stack on the new major, and `make restore` (docs/operations.md, PostgreSQL major "
                "upgrades). Nothing was changed."
            )
        if var == "MLFLOW_BASE_IMAGE" and is_stand_in(cur):
            continue  # the bundle's Python stand-in serves any base pin
        changes.append((var, cur, new))
    return changes


def components(r: Rendered) -> dict[str, str]:
    return {
        "mlflow-oidc-auth": plugin_version(r),
        "keycloak": keycloak_version(r),
        "postgres": version_of("POSTGRES_IMAGE", r.image("postgres")),
        "redis": version_of("REDIS_IMAGE", r.image("redis")),
    }


def migrate_tracking_store(mode: str, stack, r: Rendered) -> None:
    """`mlflow db upgrade` with the new server, against the tracking store."""
    if mode == "compose":
        cmd = stack.command(
            "run", "--rm", "--no-deps", "-T", "mlflow", "sh", "-c", 'exec mlflow db upgrade "$MLFLOW_BACKEND_STORE_URI"'
        )
        env = None
    else:
        program = next(p for p in plan(r, stack.state) if p.name == "mlflow")
        cmd = [program.command[0], "db", "upgrade", program.env["MLFLOW_BACKEND_STORE_URI"]]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **program.env}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        raise StackError(f"mlflow db upgrade failed:\n{(proc.stdout + proc.stderr)[-2000:]}")


def upgrade(mode: str, env_file: Path, state: Path, say=print) -> int:
    started = time.monotonic()
    env, example = envfile.read(env_file), envfile.read(ENV_EXAMPLE)
    changes = plan_changes(env, example)
    before = components(render(env_file))
    if not changes:
        say(f"upgrade: nothing to do: the stack already runs this checkout's pins ({before})")
        return 0
    say("upgrade: pre-flight, no impact yet: " + "; ".join(f"{v} {c} -> {n}" for v, c, n in changes))
    stack = stack_for(mode, env_file, state)
    t = time.monotonic()
    try:
        archive = backup(mode, env_file, state, say=lambda m: None)
    except StackError as exc:
        raise StackError(f"the backup before the upgrade failed, so nothing was changed: {exc}") from None
    say(f"upgrade: backup {archive} ({time.monotonic() - t:.0f} s)")
    saved = env_file.with_name(env_file.name + ".pre-upgrade")
    envfile.copy_private(env_file, saved)
    undo = (
        f"cp {saved} {env_file} && make up ENV_FILE={env_file} && "
        f"make restore ENV_FILE={env_file} BACKUP={archive} CONFIRM=yes"
    )
    try:
        say("upgrade: impact starts: new pins in .env")
        envfile.update(env_file, {v: n for v, _, n in changes})
        r = render(env_file)
        t = time.monotonic()
        if isinstance(stack, ComposeStack):
            r = stack.images()
        else:
            server_env(plugin_version(r), out=io.StringIO())
            keycloak_prebuilt(r, out=io.StringIO())
        say(f"upgrade: new images / server environment ready ({time.monotonic() - t:.0f} s)")
        t = time.monotonic()
        if isinstance(stack, ComposeStack):
            stack.compose("stop", *CLIENTS)
        else:
            for name in CLIENTS:
                stack.stop(name)
        stack.up(only=["postgres"])
        migrate_tracking_store(mode, stack, r)
        say(f"upgrade: MLflow's tracking store migrated ({time.monotonic() - t:.0f} s)")
        t = time.monotonic()
        stack.up()
        say(
            f"upgrade: stack up on the new pins; Keycloak and the plugin migrated their databases as "
            f"they started ({time.monotonic() - t:.0f} s)"
        )
    except (StackError, subprocess.SubprocessError, OSError) as exc:
        try:
            stack.down()
        except StackError:
            pass
        raise StackError(
            f"the upgrade failed and the stack is stopped (never left half-migrated): {exc}\n"
            f"  To go back to the previous pins and data:\n    {undo}"
        ) from None
    from ..doctor.cli import load, report_text, server_checks

    results = server_checks(load(env_file, mode=mode, state=state))
    failed = [x for x in results if x.status == "fail"]
    after = components(render(env_file))
    for name in before:
        say(
            f"upgrade: {name:<16} {before[name]} -> {after[name]}"
            + ("" if before[name] != after[name] else " (unchanged)")
        )
    if failed:
        report_text(failed, ["after the upgrade, the doctor finds:"])
        say(f"upgrade: to go back: {undo}")
        return 1
    say(
        f"upgrade: done in {time.monotonic() - started:.0f} s; doctor: {len(results)} checks, none failed; "
        f"backup kept: {archive}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="upgrade", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env-file", default=os.environ.get("ENV_FILE", str(ROOT / ".env")))
    parser.add_argument("--state-dir", default=str(default_state_dir()))
    args = parser.parse_args(argv)
    try:
        mode, _ = choose_mode(Path(args.state_dir), for_up=False)
        return upgrade(mode, Path(args.env_file), Path(args.state_dir))
    except StackError as exc:
        print(f"upgrade: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

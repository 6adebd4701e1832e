"""`make doctor` / `make doctor-client`: find the known failures and say what to change.

Every check has a stable id, a status (ok, warn, fail, or skip when a check it needs did
not pass or its probe cannot run), a one-line finding, the fix (the exact variable or
command) and a link to its section of docs/troubleshooting.md. The checks are declared
with `@check` (doctor/core.py); the docs have one section per id, and a test asserts the
mapping is one-to-one.

Four families:

* static (`.env` and the compose render): needs no running service;
* live (the running stack): each service's state as its runtime knows it, then probes run
  where the MLflow server runs (on the host natively, in the mlflow container for Compose);
* client (`--client`): what the MLflow Python client does with MLFLOW_TRACKING_URI and
  MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN, for data scientists;
* cluster (`--cluster`): a Helm release from inside its cluster, with the MLflow servers'
  own OIDC settings in the environment (the chart's `helm test`).

Exit status: 0 when no check failed (warnings allowed), 1 when any failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from .. import COMPOSE_FILE, ROOT, StackError
from ..config import envfile
from ..config.render import render
from ..runtime.cli import choose_mode
from ..runtime.common import default_state_dir
from . import client, cluster, live, static  # noqa: F401  (they declare the checks)
from .core import REGISTRY, STATUSES, Context, Result, exit_code, link, run

_LABEL = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "skip": "skip"}


def load(
    env_file: Path,
    compose_file: Path | None = None,
    mode: str | None = None,
    state: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Context:
    state = Path(state or default_state_dir())
    if mode:
        why = "--mode was given"
    else:
        try:
            mode, why = choose_mode(state, for_up=False)
        except StackError as exc:
            mode, why = "native", str(exc)
    ctx = Context(
        Path(env_file),
        Path(compose_file or COMPOSE_FILE),
        mode,
        why,
        state,
        environ=dict(os.environ if environ is None else environ),
    )
    try:
        ctx.env = envfile.read(ctx.env_file)
    except StackError:
        return ctx
    try:
        ctx.rendered = render(ctx.env_file, ctx.compose_file)
    except StackError as exc:
        ctx.render_error = str(exc)
    return ctx


def server_checks(ctx: Context, with_static: bool = True, with_live: bool = True) -> list[Result]:
    return run(ctx, [f for f, on in (("static", with_static), ("live", with_live)) if on])


def environment_checks(family: str, environ: dict[str, str]) -> list[Result]:
    """The client or cluster family: everything they look at is in `environ`."""
    ctx = Context(ROOT / ".env", COMPOSE_FILE, family, "", default_state_dir(), environ=dict(environ))
    return run(ctx, [family])


def client_checks(environ: dict[str, str]) -> list[Result]:
    return environment_checks("client", environ)


def report_text(results: list[Result], header: list[str], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for line in header:
        print(f"doctor: {line}", file=out)
    width = max((len(r.id) for r in results), default=0)
    for r in results:
        print(f"  {_LABEL[r.status]}  {r.id:<{width}}  {r.finding}", file=out)
        if r.status in ("warn", "fail"):
            pad = " " * (8 + width)
            print(f"{pad}fix: {r.fix}", file=out)
            print(f"{pad}see: {r.link}", file=out)
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s] or s in ("ok", "fail"))
    print(f"doctor: {summary}" + (" — fix the FAIL lines above" if counts["fail"] else ""), file=out)


def report_json(results: list[Result], meta: dict, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    json.dump({**meta, "summary": counts, "checks": [r.as_dict() for r in results]}, out, indent=2)
    out.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="doctor", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--env-file",
        default=os.environ.get("ENV_FILE", str(ROOT / ".env")),
        help="the .env to check (default: %(default)s)",
    )
    parser.add_argument(
        "--compose-file",
        default=os.environ.get("DOCTOR_COMPOSE_FILE", str(COMPOSE_FILE)),
        help="the compose file to render (default: %(default)s)",
    )
    parser.add_argument(
        "--state-dir", default=None, help="state dir of the stack (default: .stack, or STACK_STATE_DIR)"
    )
    parser.add_argument(
        "--mode",
        choices=["compose", "native"],
        default=None,
        help="which stack to check (default: what `make up` chose, STACK=..., or whether a Docker engine answers)",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--static-only", action="store_true", help="check .env and the compose render only (no running stack needed)"
    )
    group.add_argument("--live-only", action="store_true", help="check the running stack only")
    group.add_argument(
        "--client",
        action="store_true",
        help="check what the MLflow client does with MLFLOW_TRACKING_URI and "
        "MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN from the environment",
    )
    group.add_argument(
        "--cluster",
        action="store_true",
        help="check a Helm release from inside its cluster, with the MLflow servers' OIDC settings and "
        "MLFLOW_URL in the environment (what `helm test` runs)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--list", action="store_true", help="list every check id and exit")
    args = parser.parse_args(argv)

    if args.list:
        for c in REGISTRY.values():
            print(f"{c.id:<32} {c.title}  ({link(c.id)})")
        return 0
    try:
        if args.client:
            results = client_checks(dict(os.environ))
            uri = os.environ.get("MLFLOW_TRACKING_URI", "")
            meta = {"kind": "client", "tracking_uri": uri}
            header = [f"client checks for MLFLOW_TRACKING_URI={uri or '(unset)'}"]
        elif args.cluster:
            results = environment_checks("cluster", dict(os.environ))
            meta = {"kind": "cluster", "mlflow_url": os.environ.get("MLFLOW_URL", "")}
            header = [f"cluster checks for MLflow at {os.environ.get('MLFLOW_URL') or '(MLFLOW_URL unset)'}"]
        else:
            ctx = load(
                Path(args.env_file),
                Path(args.compose_file),
                args.mode,
                Path(args.state_dir) if args.state_dir else None,
            )
            results = server_checks(ctx, with_static=not args.live_only, with_live=not args.static_only)
            meta = {"kind": "server", "mode": ctx.mode, "mode_reason": ctx.mode_reason, "env_file": str(ctx.env_file)}
            header = [f"mode {ctx.mode} ({ctx.mode_reason}); env file {ctx.env_file}"]
            if ctx.rendered is not None:
                header.append(
                    f"browse to {ctx.rendered.browser_mlflow_url()} (MLflow) and "
                    f"{ctx.rendered.browser_keycloak_url()} (Keycloak)"
                )
    except StackError as exc:
        print(f"doctor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    if args.json:
        report_json(results, meta)
    else:
        report_text(results, header)
    return exit_code(results)


if __name__ == "__main__":
    sys.exit(main())

"""`make sync-users`: run the user sync once, now, against this checkout's stack.

The sync itself is compose/mlflow/app/mlflow_oidc_stack_sync.py, which the stack also runs
every SYNC_USERS_INTERVAL seconds (the `sync-users` service). This runs the same code with
the same settings, once: inside the stack's MLflow image in compose mode, with the MLflow
server environment's Python natively. ARGS are the sync's own (`--dry-run`,
`--allow-empty`); its exit code is returned: 0 done, 1 could not run (nothing changed),
2 a dry run found changes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .. import ROOT, StackError
from ..config.render import render
from ..runtime.cli import choose_mode
from ..runtime.common import default_state_dir
from ..runtime.compose import ComposeStack
from ..runtime.native import mlflow_bin, to_loopback, unescape

SERVICE, MODULE = "sync-users", "mlflow_oidc_stack_sync"


def run(env_file: Path, state: Path, args: list[str]) -> int:
    mode, _ = choose_mode(state, for_up=False)
    rendered = render(env_file)
    if SERVICE not in rendered.services:
        raise StackError(f"the compose file has no {SERVICE} service")
    if mode == "compose":
        stack = ComposeStack(env_file, state)
        running = stack.states().get(SERVICE, {}).get("State") == "running"
        verb = ["exec", "-T", SERVICE] if running else ["run", "--rm", "--no-deps", "-T", SERVICE]
        return subprocess.run(stack.command(*verb, "python", "-m", MODULE, *args)).returncode
    env = {k: to_loopback(unescape(v), rendered) for k, v in rendered.env(SERVICE).items()}
    python = mlflow_bin(rendered).parent / "python"
    return subprocess.run(
        [str(python), "-m", MODULE, *args], env={"PATH": os.environ.get("PATH", ""), **env}
    ).returncode


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="sync-users",
        description=__doc__.split("\n\n")[0],
        epilog="Other arguments go to the sync: --dry-run, --allow-empty.",
    )
    p.add_argument("--env-file", default=os.environ.get("ENV_FILE", str(ROOT / ".env")))
    p.add_argument("--state-dir", default=str(default_state_dir()))
    known, rest = p.parse_known_args(argv)
    unknown = [a for a in rest if a not in ("--dry-run", "--allow-empty")]
    if unknown:
        p.print_usage(sys.stderr)
        print(f"sync-users: unknown argument(s) {' '.join(unknown)}: use --dry-run or --allow-empty", file=sys.stderr)
        return 64
    try:
        return run(Path(known.env_file), Path(known.state_dir), rest)
    except StackError as exc:
        print(f"sync-users: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

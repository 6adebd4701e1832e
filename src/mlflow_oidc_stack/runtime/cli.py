"""`make up|down|ps|logs|reset`: Compose when a Docker engine answers, the native stack otherwise.

STACK=compose|native forces a mode. The mode `up` chose is remembered in the state dir, so
`down`, `ps`, `logs` and `reset` act on the same stack.

Exit codes: 0 done; 1 an error (the message says what to do); 2 `reset` refused (no
CONFIRM=yes and no terminal to ask); 64 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import ROOT, StackError
from ..config.envfile import ensure_secrets
from .common import default_state_dir
from .compose import ComposeStack
from .engine import engine
from .native import SPECS, NativeStack

MODES = ("compose", "native")
EXIT_REFUSED, EXIT_USAGE = 2, 64


def choose_mode(state: Path, for_up: bool) -> tuple[str, str]:
    forced = os.environ.get("STACK", "").strip().lower()
    if forced:
        if forced not in MODES:
            raise StackError(f"STACK={forced!r} is not a mode: use STACK=compose or STACK=native")
        return forced, f"STACK={forced} was set"
    remembered = state / "mode"
    if not for_up and remembered.exists():
        return remembered.read_text().strip(), f"`make up` chose it (recorded in {remembered})"
    ok, why = engine()
    return ("compose" if ok else "native"), why


def stack_for(mode: str, env_file: Path, state: Path):
    return ComposeStack(env_file, state) if mode == "compose" else NativeStack(env_file, state)


def confirm_reset(mode: str, state: Path, env_file: Path) -> bool:
    if os.environ.get("CONFIRM", "").lower() == "yes":
        return True
    what = (
        "every volume of this checkout's Compose project"
        if mode == "compose"
        else f"everything under {state / 'volumes'}"
    )
    if not sys.stdin.isatty():
        print(
            f"stack: reset deletes {what}: every database (MLflow runs, users, Keycloak), Redis and "
            f"the artifacts. Run `make reset CONFIRM=yes` to do it.",
            file=sys.stderr,
        )
        return False
    answer = input(f"Delete {what} ({mode} mode)? Type 'yes' to delete: ")
    return answer.strip().lower() == "yes"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="stack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["up", "down", "ps", "logs", "reset", "images", "mode", "tls-ca"])
    parser.add_argument("services", nargs="*", help="for logs: which services (default: all)")
    parser.add_argument("--env-file", default=os.environ.get("ENV_FILE", str(ROOT / ".env")))
    parser.add_argument(
        "--state-dir",
        default=str(default_state_dir()),
        help="state (mode, logs; native data and pids); default: %(default)s",
    )
    parser.add_argument("--lines", type=int, default=50, help="for logs: lines per service")
    args = parser.parse_intermixed_args(argv)
    env_file, state = Path(args.env_file), Path(args.state_dir)
    try:
        for s in args.services:
            if s not in SPECS:
                raise StackError(f"unknown service {s!r}: choose from {', '.join(SPECS)}")
        if args.action in ("up", "images"):
            # A new .env, or secrets added to .env.example since this one was made (filled;
            # a value that is set is never changed).
            done = ensure_secrets(env_file)
            if done:
                print(f"stack: {done}")
        if args.action == "tls-ca":
            from . import tls

            print("\n".join(tls.report(env_file)))
            return 0
        mode, why = choose_mode(state, for_up=args.action == "up")
        if args.action == "mode":
            print(f"{mode}: {why}")
            return 0
        if args.action == "up":
            print(f"stack: mode {mode}: {why}", flush=True)
            state.mkdir(parents=True, exist_ok=True)
            (state / "mode").write_text(mode + "\n")
        stack = stack_for(mode, env_file, state)
        if args.action == "up":
            stack.up()
        elif args.action == "down":
            stack.down()
        elif args.action == "images":
            if mode != "compose":
                raise StackError(f"images are for compose mode; this is {mode} mode ({why})")
            stack.images()
        elif args.action == "reset":
            if not confirm_reset(mode, state, env_file):
                return EXIT_REFUSED
            stack.reset()
        elif args.action == "ps":
            print(stack.ps())
        elif args.action == "logs":
            print(stack.logs(args.services or None, args.lines))
        return 0
    except StackError as exc:
        print(f"stack: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

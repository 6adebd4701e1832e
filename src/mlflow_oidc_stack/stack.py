"""`make up|down|ps|logs`: Compose when a Docker engine answers, the native stack otherwise.

STACK=compose|native forces a mode. The mode `up` chose is remembered in the state dir, so
`down`, `ps` and `logs` act on the same stack.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import ROOT, StackError
from .compose import base_command
from .envfile import fill_secrets
from .native import SERVICES, NativeStack, default_state_dir

MODES = ("compose", "native")


def docker_engine() -> tuple[bool, str]:
    """(answers, why): whether a Docker engine answers a ping."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True, "a Docker engine answered"
    except Exception as exc:  # docker raises DockerException, or requests' errors
        reason = str(exc).split("\n")[0][:160] or type(exc).__name__
        return False, f"no Docker engine answered ({reason})"


def choose_mode(state: Path, for_up: bool) -> tuple[str, str]:
    forced = os.environ.get("STACK", "").strip().lower()
    if forced:
        if forced not in MODES:
            raise StackError(f"STACK={forced!r} is not a mode: use STACK=compose or STACK=native")
        return forced, f"STACK={forced} was set"
    remembered = state / "mode"
    if not for_up and remembered.exists():
        return remembered.read_text().strip(), f"`make up` chose it (recorded in {remembered})"
    ok, why = docker_engine()
    return ("compose" if ok else "native"), why


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="stack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["up", "down", "ps", "logs", "mode"])
    parser.add_argument("services", nargs="*", help="for logs: which services (default: all)")
    parser.add_argument("--env-file", default=os.environ.get("ENV_FILE", str(ROOT / ".env")))
    parser.add_argument("--state-dir", default=str(default_state_dir()),
                        help="native state (data, logs, pids); default: %(default)s")
    parser.add_argument("--lines", type=int, default=50, help="for logs: lines per service")
    args = parser.parse_intermixed_args(argv)
    env_file, state = Path(args.env_file), Path(args.state_dir)
    try:
        for s in args.services:
            if s not in SERVICES:
                raise StackError(f"unknown service {s!r}: choose from {', '.join(SERVICES)}")
        if args.action == "up" and not env_file.exists():
            filled = fill_secrets(env_file)
            print(f"stack: created {env_file} with new secrets ({', '.join(filled)})")
        mode, why = choose_mode(state, for_up=args.action == "up")
        if args.action == "mode":
            print(f"{mode}: {why}")
            return 0
        if args.action == "up":
            print(f"stack: mode {mode}: {why}", flush=True)
            state.mkdir(parents=True, exist_ok=True)
            (state / "mode").write_text(mode + "\n")
        if mode == "compose":
            return _compose(args.action, env_file, args.services, args.lines)
        stack = NativeStack(env_file, state)
        if args.action == "up":
            stack.up()
        elif args.action == "down":
            stack.down()
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


def _compose(action: str, env_file: Path, services: list[str], lines: int) -> int:
    cmd = base_command(env_file)
    if action == "up":
        cmd += ["up", "--wait", "--build", "--detach"]
    elif action == "down":
        cmd += ["down"]  # named volumes are kept; `down -v` would delete the data
    elif action == "ps":
        cmd += ["ps"]
    elif action == "logs":
        cmd += ["logs", "--tail", str(lines), *services]
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())

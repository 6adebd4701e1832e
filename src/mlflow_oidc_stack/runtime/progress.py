"""One line per step, with its duration; the full output of every command goes to a log file.

    images: base image mlflow-oidc-stack/debian:bookworm (debootstrap) ... 41 s
    images: postgres -> mlflow-oidc-stack/postgres:15-bookworm ... 38 s

On failure the step says FAILED and the error carries the tail of the log and its path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .. import StackError


def tail(path: Path, lines: int = 25, skip: str | None = None) -> str:
    """The log's last lines; without those holding `skip` (a service's repeated probe reports)."""
    try:
        text = Path(path).read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if not skip or skip not in line][-lines:])
    except FileNotFoundError:
        return f"(no log at {path})"


class Steps:
    def __init__(self, prefix: str, log: Path, out: TextIO | None = None):
        self.prefix = prefix
        self.log = Path(log)
        self.out = out or sys.stdout
        self.log.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # private from the start
        os.chmod(self.log, 0o600)

    def say(self, message: str) -> None:
        print(f"{self.prefix}: {message}", file=self.out, flush=True)

    def note(self, message: str) -> None:
        with open(self.log, "a") as f:
            f.write(f"\n### {time.strftime('%H:%M:%S')} {message}\n")

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        print(f"{self.prefix}: {what} ...", end="", file=self.out, flush=True)
        self.note(what)
        start = time.monotonic()
        try:
            yield
        except BaseException:
            print(f" FAILED after {time.monotonic() - start:.0f} s", file=self.out, flush=True)
            raise
        print(f" {time.monotonic() - start:.0f} s", file=self.out, flush=True)

    def run(self, cmd: list[str], what: str, **kwargs) -> None:
        """Run a command with its output appended to the log; on failure, a StackError that
        shows the log's tail."""
        with open(self.log, "a") as f:
            f.write("$ " + " ".join(cmd) + "\n")
            f.flush()
            proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, **kwargs)
        if proc.returncode != 0:
            raise StackError(f"{what} failed (exit {proc.returncode}); the end of {self.log}:\n{tail(self.log)}")

"""`make bench`'s smoke test: it runs end to end and prints what it promises. No figure is
asserted: speed and memory are compared in the bench's own output, never in a test."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from mlflow_oidc_stack import ROOT
from mlflow_oidc_stack.runtime.engine import engine

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.mark.parametrize("bench_mode", ["native", "compose"])
def test_bench_quick_prints_the_table_and_one_json_line(bench_mode):
    if bench_mode == "compose":
        answers, why = engine()
        if not answers:
            pytest.skip(f"the compose bench needs a Docker engine: {why}")
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mlflow-oidc-bench"), "--quick", "--json", "--mode", bench_mode],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["mode"] == bench_mode
    for key in ("read_ratio", "write_ratio", "cold_start_s", "idle_pss_mib_total", "login_rate_per_s"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert set(figures["idle_pss_mib"]) >= {"postgres", "redis", "keycloak", "mlflow"}
    assert set(figures["throughput_rps"]) == {"auth off", "Basic token", "Bearer JWT"}
    text = "\n".join(lines)
    assert "auth on / auth off" in text and "Idle memory" in text and "Cold start" in text


def test_a_killed_bench_takes_its_stack_down(tmp_path):
    """`kill` on a running bench (SIGTERM, as a CI job's cancel sends): its native stack stops
    and its state dir is deleted, as after Ctrl-C."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-kill-"))
    tmp.chmod(0o711)  # PostgreSQL's user must reach the state dir below it
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "mlflow-oidc-bench"), "--quick", "--mode", "native"],
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while not list(tmp.glob("mlflow-oidc-stack-bench-*/supervisor.sock")):  # its stack is starting
            assert proc.poll() is None and time.monotonic() < deadline, "the bench's stack did not start"
            time.sleep(0.5)
        (state,) = list(tmp.glob("mlflow-oidc-stack-bench-*"))
        time.sleep(5)  # its services are starting
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(120) == 128 + signal.SIGTERM
        assert not state.exists(), "the bench's state dir was left behind"
        deadline = time.monotonic() + 30
        while left := subprocess.run(["pgrep", "-f", str(state)], capture_output=True, text=True).stdout.split():
            assert time.monotonic() < deadline, f"processes of the killed bench's stack still run: {left}"
            time.sleep(1)
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)

"""`make bench`: measured figures of a fresh native stack, printed side by side.

It starts a throwaway native stack (own state dir and free ports) and measures:
* bring-up: seconds from `up` until each service is healthy, and until the first login;
* idle memory: RSS of each service's process tree, after the stack has settled, and the
  MLflow server's with its GenAI job runner switched on, beside the default (off);
* request latency: unauthenticated /health/live, an API call with a user access token
  (Basic) and with a Keycloak JWT (Bearer), alternated across rounds with fresh
  connections (`Connection: close`; keep-alive stalls on uvicorn), reporting medians.
Nothing here is a pass/fail target; the figures are for comparing changes.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from ..config import envfile
from ..config.render import render
from ..keycloak.admin import create_person, http_login, keycloak_admin, user_token
from ..runtime.native import SPECS, NativeStack, plan
from .scratch import make_env, state_dir


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def mlflow_rss_with_jobs(stack: NativeStack, env_file: Path, state: Path, settle: float) -> float:
    """RSS of the MLflow server's tree with MLflow's job runner on (the bundle's default is off).

    The same program as the stack's, from a render of a copy of .env with
    MLFLOW_ENABLE_JOB_EXECUTION=true, run in place of the supervised one.
    """
    variant = env_file.with_name(".env.jobs")
    envfile.copy_private(env_file, variant)
    envfile.set_values(variant, {"MLFLOW_ENABLE_JOB_EXECUTION": "true"})
    rendered = render(variant)
    program = next(p for p in plan(rendered, state) if p.name == "mlflow")
    stack.stop("mlflow")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(state), **program.env}
    with open(state / "logs" / "mlflow-jobs.log", "wb") as log:
        proc = subprocess.Popen(
            program.command, env=env, cwd=program.cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 300
        while not SPECS["mlflow"].healthy(rendered):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mlflow with job execution did not start; see {state / 'logs'}")
            time.sleep(1)
        time.sleep(settle)
        return tree_rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = fn()
        out.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"request failed: {r.status_code} {r.text[:200]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20, help="per case per round")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--settle", type=float, default=20, help="seconds idle before measuring memory")
    parser.add_argument(
        "--no-job-compare",
        action="store_true",
        help="skip measuring MLflow with its job runner on (MLFLOW_ENABLE_JOB_EXECUTION=true)",
    )
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="mlflow-oidc-bench-"))
    env_file = make_env(tmp / ".env", MLFLOW_WORKERS=args.workers)
    state = state_dir("bench")
    stack = NativeStack(env_file, state, out=io.StringIO())
    try:
        t0 = time.monotonic()
        rendered = stack.up(timeout=600)
        up_s = time.monotonic() - t0
        admin = keycloak_admin(rendered)
        name = f"bench-{uuid.uuid4().hex[:6]}"
        password = uuid.uuid4().hex
        create_person(admin, name, password, [rendered.env("mlflow")["OIDC_GROUP_NAME"]], first="Bench", last="User")
        session, _ = http_login(rendered.mlflow_url(), name, password)
        first_login_s = time.monotonic() - t0
        t = time.perf_counter()
        for _ in range(5):
            http_login(rendered.mlflow_url(), name, password)
        login_ms = (time.perf_counter() - t) * 1000 / 5

        time.sleep(args.settle)
        rss = {svc: tree_rss_mb(pid) for svc, pid in stack.pids().items()}

        base = rendered.mlflow_url()
        token = session.patch(f"{base}/api/2.0/mlflow/users/access-token", json={}).json()["token"]
        env = rendered.env("mlflow")
        jwt = user_token(rendered, env["OIDC_CLIENT_ID"], env["OIDC_CLIENT_SECRET"])["access_token"]
        close = {"Connection": "close"}
        api = f"{base}/api/2.0/mlflow/experiments/search?max_results=1"
        cases = {
            "health (no auth)": lambda: requests.get(f"{base}/health/live", headers=close, timeout=30),
            "API, Basic token": lambda: requests.get(
                api, headers=close, auth=(f"{name}@example.org", token), timeout=30
            ),
            "API, Bearer JWT": lambda: requests.get(
                api, headers={**close, "Authorization": f"Bearer {jwt}"}, timeout=30
            ),
        }
        for fn in cases.values():  # warm-up
            timed(fn, 3)
        samples: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.rounds):
            for label, fn in cases.items():  # alternate cases within each round
                samples[label] += timed(fn, args.requests)
        jobs_rss = None
        if not args.no_job_compare:
            jobs_rss = mlflow_rss_with_jobs(stack, env_file, state, args.settle)
    finally:
        stack.down()
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nmlflow-oidc-stack bench (native, {args.workers} workers, {os.cpu_count()} cores)")
    print("\nBring-up (seconds)")
    print(f"  {'service':<12}{'healthy after':>14}")
    for svc in SPECS:
        print(f"  {svc:<12}{stack.timings.get(svc, float('nan')):>14.1f}")
    print(f"  {'whole up':<12}{up_s:>14.1f}")
    print(f"  {'first login':<12}{first_login_s:>14.1f}   (from the start of `up`)")
    print(f"  browserless login round trip: {login_ms:.0f} ms (mean of 5)")
    print(f"\nIdle memory after {args.settle:.0f} s (RSS of each process tree, MB)")
    for svc in SPECS:
        print(f"  {svc:<12}{rss.get(svc, float('nan')):>10.0f}")
    print(f"  {'total':<12}{sum(rss.values()):>10.0f}")
    if jobs_rss is not None:
        print(
            f"  mlflow, job runner off (default) vs on: {rss.get('mlflow', float('nan')):.0f} MB vs {jobs_rss:.0f} MB"
        )
    print("  (RSS counts PostgreSQL's shared buffers once per backend process)")
    print(f"\nRequest latency, ms ({args.rounds} rounds x {args.requests}, fresh connections)")
    print(f"  {'case':<20}{'median':>8}{'p90':>8}{'min':>8}")
    for label, xs in samples.items():
        xs = sorted(xs)
        print(f"  {label:<20}{statistics.median(xs):>8.1f}{xs[int(len(xs) * 0.9)]:>8.1f}{xs[0]:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

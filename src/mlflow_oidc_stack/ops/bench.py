"""`make bench`: measured figures of fresh stacks, printed side by side in one run.

It starts throwaway stacks (own state dir and free ports; in Compose its own project and
volumes), native and, when a Docker engine answers, Compose (`--mode`), and measures:
* cold start: seconds from `up` until each service is healthy, and until the first login, on a
  set-up machine (images built, natively Keycloak pre-built: done first, untimed);
  and the password-login rate (4 logins at once, through MLflow and Keycloak's form);
* idle memory: PSS of each service's process tree after the stack has settled (and RSS,
  which counts shared pages once per process), optionally MLflow's with its job runner on;
* throughput with wrk (Debian's): the bundle's MLflow server as configured (oidc-auth, Redis
  cache, workers) with an access token over Basic and with a Keycloak JWT, and the same MLflow
  with auth off on the same database, for reads (experiments/search, runs/get) and writes
  (runs/log-metric), fresh connections, rounds in rotated order; the ratio auth on / auth off
  per round with its spread.
`--json` ends with one JSON line of the figures. Nothing here is a pass/fail target: the figures
are for comparing changes, measured side by side.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from ..config import envfile
from ..config.facts import Rendered
from ..config.render import render
from ..keycloak.admin import create_person, http_login, keycloak_admin, user_token
from ..runtime.compose import ComposeStack, project_name
from ..runtime.engine import engine
from ..runtime.keycloak_scratch import prebuilt as keycloak_prebuilt
from ..runtime.native import SPECS, NativeStack, plan
from . import profile
from .scratch import free_port, make_env, state_dir


def _tree_kib(pid: int, path: str, field: str) -> int:
    """Sum of one `field:` (kB) of /proc/<pid>/<path> over a process and its descendants."""
    total = 0
    for p in tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/{path}").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return _tree_kib(pid, "status", "VmRSS") / 1024


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
        stop(proc)


def tree_pids(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_pss_mib(pid: int) -> float:
    """Proportional set size of a process tree, MiB: shared pages are split among the processes
    that map them, so the sum over services is what the stack really holds (RSS counts
    PostgreSQL's shared buffers and uvicorn's preloaded pages once per process)."""
    return _tree_kib(pid, "smaps_rollup", "Pss") / 1024


# --- throughput: the bundle's server against the same MLflow with auth off -----------------------

_LUA = """wrk.method = {method}
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Connection"] = "close"
{auth}
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk(
    url: str, method: str, body: str, authorization: str | None, seconds: float, connections: int, tmp: Path
) -> float:
    """Requests per second from wrk (Debian's), fresh connections (`Connection: close`):
    keep-alive on uvicorn with several workers stalls on delayed ACKs (docs/measured.md)."""
    script = tmp / f"wrk-{uuid.uuid4().hex[:8]}.lua"
    auth = f'wrk.headers["Authorization"] = {_lua_string(authorization)}' if authorization else ""
    script.write_text(_LUA.format(method=_lua_string(method), body=_lua_string(body), auth=auth))
    try:
        proc = subprocess.run(
            ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s", "-s", str(script), url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        script.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {proc.stderr.strip() or proc.stdout.strip()}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", proc.stdout)
    if bad:
        raise RuntimeError(f"{bad.group(1)} requests to {url} were refused or failed:\n{proc.stdout}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", proc.stdout)
    if not rate:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{proc.stdout}")
    return float(rate.group(1))


def auth_off_command(command: list[str], port: int, published: int) -> list[str]:
    """The bundle's MLflow server command with the auth app taken out (MLflow's own app),
    listening on `port`, and answering the Host header 127.0.0.1:`published`."""
    cmd = [str(c) for c in command]
    i = cmd.index("--app-name")
    del cmd[i : i + 2]
    cmd[cmd.index("--port") + 1] = str(port)
    cmd[cmd.index("--allowed-hosts") + 1] = f"localhost:{published},127.0.0.1:{published}"
    return cmd


class AuthOff:
    """The same MLflow with auth off, on the same database, artifact store and workers, on a
    free loopback port: a process beside the native stack, or a container of the compose
    project's image on its network."""

    def __init__(self, stack, rendered: Rendered, state: Path, port: int):
        self.log = state / "logs" / "mlflow-auth-off.log"
        self.proc: subprocess.Popen | None = None
        self.container: str | None = None
        if isinstance(stack, ComposeStack):
            self.container = f"{stack.project}-mlflow-auth-off"
            cmd = auth_off_command(rendered.services["mlflow"]["command"], 5000, port)
            proc = stack.compose(
                "run", "--detach", "--no-deps", "--rm", "--name", self.container,
                "--publish", f"127.0.0.1:{port}:5000", "mlflow", *cmd,
            )  # fmt: skip
            if proc.returncode != 0:
                raise RuntimeError(f"MLflow with auth off did not start: {proc.stderr.strip()[-600:]}")
        else:
            program = next(p for p in plan(rendered, state) if p.name == "mlflow")
            cmd = auth_off_command(program.command, port, port)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(state), **program.env}
            with open(self.log, "wb") as log:
                self.proc = subprocess.Popen(
                    cmd, env=env, cwd=program.cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if (self.proc is not None and self.proc.poll() is not None) or time.monotonic() > deadline:
                where = self._output()
                self.stop()
                raise RuntimeError(f"MLflow with auth off did not start: {where}")
            time.sleep(0.5)

    def _output(self) -> str:
        if self.container is None:
            return f"see {self.log}"
        proc = subprocess.run(["docker", "logs", "--tail", "30", self.container], capture_output=True, text=True)
        return (proc.stdout + proc.stderr).strip()[-2000:]

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None
        if self.container is not None:
            self.log.write_text(self._output() + "\n")
            subprocess.run(["docker", "rm", "--force", self.container], capture_output=True)
            self.container = None


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def operations(run_id: str) -> dict[str, tuple[str, str, str]]:
    """What the bench measures: name -> (method, path, JSON body or "")."""
    return {
        "search": ("GET", "/api/2.0/mlflow/experiments/search?max_results=10", ""),
        "runs-get": ("GET", f"/api/2.0/mlflow/runs/get?run_id={run_id}", ""),
        "log-metric": (
            "POST",
            "/api/2.0/mlflow/runs/log-metric",
            json.dumps({"run_id": run_id, "key": "bench", "value": 1.0, "timestamp": 1, "step": 0}),
        ),
    }


def throughput(
    sides: dict[str, tuple[str, str | None]], run_id: str, rounds: int, seconds: float, connections: int, tmp: Path
) -> dict[str, dict[str, list[float]]]:
    """req/s per side and operation, each round in another order (rotated), so a side is never
    always first on a warm or cold machine."""
    ops = operations(run_id)
    out: dict[str, dict[str, list[float]]] = {side: {op: [] for op in ops} for side in sides}
    cases = [(side, op) for op in ops for side in sides]
    for r in range(rounds):
        shift = r % len(cases)
        for side, op in cases[shift:] + cases[:shift]:
            base, authorization = sides[side]
            method, path, body = ops[op]
            out[side][op].append(wrk(base + path, method, body, authorization, seconds, connections, tmp))
    return out


def ratios(results: dict[str, dict[str, list[float]]], side: str) -> dict[str, list[float]]:
    """auth-on / auth-off per round: reads (search and runs-get together) and writes."""
    on, off = results[side], results["auth off"]
    n = len(off["search"])
    reads = [(on["search"][i] + on["runs-get"][i]) / (off["search"][i] + off["runs-get"][i]) for i in range(n)]
    writes = [on["log-metric"][i] / off["log-metric"][i] for i in range(n)]
    return {"read": reads, "write": writes}


def login_rate(base: str, username: str, password: str, threads: int, per_thread: int) -> float:
    """Password logins per second through MLflow's /login and Keycloak's form, `threads` at once."""
    from concurrent.futures import ThreadPoolExecutor

    def some(_):
        for _ in range(per_thread):
            http_login(base, username, password)

    t = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(some, range(threads)))
    return threads * per_thread / (time.perf_counter() - t)


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    """`NAME:KEY=VALUE;KEY=VALUE` -> (NAME, {KEY: VALUE}); values may hold spaces and commas."""
    name, sep, rest = text.partition(":")
    pairs = [p for p in rest.split(";") if p.strip()]
    if not sep or not name.strip() or not pairs or any("=" not in p for p in pairs):
        raise argparse.ArgumentTypeError(
            f"--variant {text!r}: write NAME:KEY=VALUE[;KEY=VALUE...], e.g. "
            "'before:KEYCLOAK_JAVA_HEAP=-Xms64m -Xmx512m;POSTGRES_SHARED_BUFFERS=128MB'"
        )
    out = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", key.strip()):
            raise argparse.ArgumentTypeError(f"--variant {text!r}: {key.strip()!r} is not a .env variable name")
        out[key.strip()] = value.strip()
    return name.strip(), out


def measure(args, mode: str, overrides: dict[str, str], label: str) -> dict:
    """Every figure of one configuration, on a fresh throwaway stack of `mode`."""
    state = state_dir("bench")
    # In the state dir: a compose project whose .env is gone is an orphan the test runs remove.
    env_file = make_env(state / ".env", **overrides)
    stack = (NativeStack if mode == "native" else ComposeStack)(env_file, state, out=io.StringIO())
    off = None
    fig: dict = {"label": label, "mode": mode, "overrides": overrides}
    try:
        # Set-up is not start: the cold start is timed on a machine that has what `make up`
        # needs (images built; natively Keycloak pre-built with its class archive).
        if isinstance(stack, ComposeStack):
            stack.images()
        else:
            keycloak_prebuilt(render(env_file), out=io.StringIO())
        t0 = time.monotonic()
        rendered = stack.up()
        fig["up_s"] = time.monotonic() - t0
        admin = keycloak_admin(rendered)
        name = f"bench-{uuid.uuid4().hex[:6]}"
        password = uuid.uuid4().hex
        create_person(
            admin, name, password, [rendered.env("mlflow")["OIDC_ADMIN_GROUP_NAME"]], first="Bench", last="User"
        )
        session, _ = http_login(rendered.mlflow_url(), name, password)
        fig["cold_start_s"] = time.monotonic() - t0
        fig["timings"] = dict(stack.timings)
        fig["login_rate"] = login_rate(rendered.mlflow_url(), name, password, 4, 2 if args.quick else 5)

        time.sleep(args.settle)
        pids = stack.pids()
        fig["pss"] = {svc: tree_pss_mib(pid) for svc, pid in pids.items()}
        fig["rss"] = {svc: tree_rss_mb(pid) for svc, pid in pids.items()}

        base = rendered.mlflow_url()
        token = session.patch(f"{base}/api/2.0/mlflow/users/access-token", json={}).json()["token"]
        basic = "Basic " + base64.b64encode(f"{name}@example.org:{token}".encode()).decode()
        env = rendered.env("mlflow")
        jwt = user_token(rendered, env["OIDC_CLIENT_ID"], env["OIDC_CLIENT_SECRET"])["access_token"]
        # The run belongs to the JWT's identity (a non-admin): the admin behind the Basic token
        # may read and write it too, so both sides do the same work on the same run.
        as_jwt = {"Authorization": f"Bearer {jwt}"}
        exp = requests.post(
            f"{base}/api/2.0/mlflow/experiments/create", json={"name": name}, headers=as_jwt, timeout=30
        ).json()["experiment_id"]
        run = requests.post(
            f"{base}/api/2.0/mlflow/runs/create", json={"experiment_id": exp}, headers=as_jwt, timeout=30
        ).json()
        run_id = run["run"]["info"]["run_id"]
        off_port = free_port()
        off = AuthOff(stack, rendered, state, off_port)
        sides = {
            "auth off": (f"http://127.0.0.1:{off_port}", None),
            "Basic token": (base.replace("localhost", "127.0.0.1"), basic),
            "Bearer JWT": (base.replace("localhost", "127.0.0.1"), f"Bearer {jwt}"),
        }
        # The JWT lives 5 minutes: a fresh one per round would change what is measured, so
        # the rounds stay well inside it (3 rounds x 9 cases x 5 s = 135 s by default).
        fig["results"] = throughput(sides, run_id, args.rounds, args.seconds, args.connections, state)
        if args.profile and isinstance(stack, NativeStack):
            fig["profile"] = profile.profile(
                rendered, stack, sides, operations(run_id), max(args.seconds * 2, 4), state, wrk
            )
        off.stop()
        off = None
        fig["jobs_rss"] = (
            mlflow_rss_with_jobs(stack, env_file, state, args.settle)
            if args.job_compare and isinstance(stack, NativeStack)
            else None
        )
        fig["workers"] = rendered.option("mlflow", "--workers")
        # A restart on the same data: what `make up` costs on a machine that ran it before.
        stack.down()
        t1 = time.monotonic()
        stack.up()
        http_login(rendered.mlflow_url(), name, password)
        fig["restart_s"] = time.monotonic() - t1
    finally:
        if off is not None:
            off.stop()
        if isinstance(stack, NativeStack):
            stack.down()
        elif project_name(env_file, state) is not None:
            stack.reset()  # its containers, network and volumes
        shutil.rmtree(state, ignore_errors=True)
    fig["ratios"] = {side: ratios(fig["results"], side) for side in ("Basic token", "Bearer JWT")}
    return fig


def report(fig: dict, args) -> None:
    print(
        f"\nmlflow-oidc-stack bench: {fig['label'].removesuffix(f' ({fig["mode"]})')} ({fig['mode']}, "
        f"{fig['workers']} workers, {os.cpu_count()} cores)"
    )
    if fig["overrides"]:
        print("  .env: " + "; ".join(f"{k}={v}" for k, v in fig["overrides"].items()))
    print("\nCold start (seconds from `up`)")
    for svc in SPECS:
        if svc in fig["timings"]:
            print(f"  {svc + ' healthy':<22}{fig['timings'][svc]:>8.1f}   (its own wait)")
    print(f"  {'whole up':<22}{fig['up_s']:>8.1f}")
    print(f"  {'first login':<22}{fig['cold_start_s']:>8.1f}")
    print(f"  {'restart, first login':<22}{fig['restart_s']:>8.1f}   (down, then up on the same data)")
    print(f"  password logins, 4 at once: {fig['login_rate']:.1f}/s")
    pss, rss = fig["pss"], fig["rss"]
    print(f"\nIdle memory after {args.settle:.0f} s (MiB; PSS splits shared pages, RSS counts them per process)")
    print(f"  {'service':<12}{'PSS':>8}{'RSS':>8}")
    for svc in pss:
        print(f"  {svc:<12}{pss[svc]:>8.0f}{rss[svc]:>8.0f}")
    print(f"  {'total':<12}{sum(pss.values()):>8.0f}{sum(rss.values()):>8.0f}")
    if fig["jobs_rss"] is not None:
        print(
            f"  mlflow RSS, job runner off (default) vs on: {rss.get('mlflow', float('nan')):.0f} vs {fig['jobs_rss']:.0f}"
        )
    print(
        f"\nThroughput, req/s (wrk, {args.connections} connections, Connection: close, {args.seconds:g} s per case, "
        f"{args.rounds} round(s) in rotated order; median [min-max])"
    )
    ops = ["search", "runs-get", "log-metric"]
    print(f"  {'side':<14}" + "".join(f"{op:>22}" for op in ops))
    for side, per_op in fig["results"].items():
        cells = [f"{statistics.median(per_op[op]):.0f} [{min(per_op[op]):.0f}-{max(per_op[op]):.0f}]" for op in ops]
        print(f"  {side:<14}" + "".join(f"{c:>22}" for c in cells))
    print("\n  auth on / auth off (per round; median [min-max])")
    for side, r in fig["ratios"].items():
        print(f"  {side:<14} reads {_ratio_cell(r['read'])}   writes {_ratio_cell(r['write'])}")
    if fig.get("profile"):
        profile.report(fig["profile"])


def summary(fig: dict) -> dict:
    out: dict[str, object] = {}
    for side, key in (("Basic token", ""), ("Bearer JWT", "_jwt")):
        for kind in ("read", "write"):
            xs = fig["ratios"][side][kind]
            out[f"{kind}_ratio{key}"] = round(statistics.median(xs), 3)
            out[f"{kind}_ratio{key}_spread"] = [round(min(xs), 3), round(max(xs), 3)]
    out.update(
        {
            "mode": fig["mode"],
            "workers": int(fig["workers"] or 0),
            "cold_start_s": round(fig["cold_start_s"], 1),
            "restart_s": round(fig["restart_s"], 1),
            "up_s": round(fig["up_s"], 1),
            "login_rate_per_s": round(fig["login_rate"], 2),
            "idle_pss_mib_total": round(sum(fig["pss"].values()), 1),
            "idle_pss_mib": {k: round(v, 1) for k, v in fig["pss"].items()},
            "throughput_rps": {
                side: {op: round(statistics.median(v), 1) for op, v in per_op.items()}
                for side, per_op in fig["results"].items()
            },
        }
    )
    if fig.get("profile"):
        out["profile"] = fig["profile"]["summary"]
    return out


def compare(figs: list[dict]) -> None:
    """The configurations side by side: one column each, measured in this run."""
    med = statistics.median
    rows: list[tuple[str, list[str]]] = [
        ("cold start, first login (s)", [f"{f['cold_start_s']:.1f}" for f in figs]),
        ("restart, first login (s)", [f"{f['restart_s']:.1f}" for f in figs]),
        ("password logins/s", [f"{f['login_rate']:.1f}" for f in figs]),
        ("idle PSS total (MiB)", [f"{sum(f['pss'].values()):.0f}" for f in figs]),
    ]
    for svc in figs[-1]["pss"]:
        rows.append((f"  {svc} PSS", [f"{f['pss'].get(svc, float('nan')):.0f}" for f in figs]))
    for side in ("Basic token", "Bearer JWT"):
        for kind in ("read", "write"):
            rows.append((f"{side} {kind} ratio", [_ratio_cell(f["ratios"][side][kind]) for f in figs]))
    for side in ("auth off", "Basic token"):
        for op in ("search", "runs-get", "log-metric"):
            rows.append((f"{side} {op} req/s", [f"{med(f['results'][side][op]):.0f}" for f in figs]))
    width = max(20, *(len(f["label"]) + 2 for f in figs))
    print("\nSide by side (each column a fresh stack in this run)")
    print(f"  {'':<30}" + "".join(f"{f['label']:>{width}}" for f in figs))
    for title, cells in rows:
        print(f"  {title:<30}" + "".join(f"{c:>{width}}" for c in cells))


def _ratio_cell(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]"


def _stop(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="throughput rounds (each side and operation once)")
    parser.add_argument("--seconds", type=float, default=5, help="wrk duration per case")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--workers", default=None, help="MLFLOW_WORKERS (default: as .env.example)")
    parser.add_argument("--settle", type=float, default=20, help="seconds idle before measuring memory")
    parser.add_argument("--job-compare", action="store_true", help="also MLflow's memory with its job runner on")
    parser.add_argument(
        "--variant",
        action="append",
        type=parse_variant,
        default=[],
        metavar="NAME:KEY=VALUE[;KEY=VALUE]",
        help="also measure a stack whose .env differs so (e.g. the settings before a change), "
        "printed side by side with the bundle's; repeatable",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also where the auth time goes: SQL statements and cache hits per request, and "
        "py-spy samples of MLflow's workers under load",
    )
    parser.add_argument(
        "--mode",
        choices=("auto", "native", "compose", "both"),
        default="auto",
        help="which stacks to measure: native, compose (a Docker engine), or both side by side; "
        "auto (default): both when a Docker engine answers, else native",
    )
    parser.add_argument("--quick", action="store_true", help="one short round, little settling (the smoke test)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args(argv)
    if args.quick:
        # 3 s per case: on a busy host (the test suites, a cluster) a request over fresh
        # connections took more than the 1 s once, and a side then had no answer to count.
        args.rounds, args.seconds, args.settle = 1, 3, 2
    if not shutil.which("wrk"):
        print("bench: wrk not found: run `make setup` for tests (installs Debian's wrk)", file=sys.stderr)
        return 1

    modes = ["native", "compose"] if args.mode in ("auto", "both") else [args.mode]
    if args.mode == "auto" and (args.profile or args.job_compare):
        modes = ["native"]  # both are native-only figures
    if "compose" in modes:
        answers, why = engine()
        if not answers and args.mode == "auto":
            print(f"bench: native only: {why} (start one for the compose figures too)", file=sys.stderr)
            modes = ["native"]
        elif not answers:
            print(f"bench: --mode {args.mode} needs a Docker engine, and {why}: start one (`make up` says how)",
                  file=sys.stderr)  # fmt: skip
            return 1
    if "compose" in modes and (args.profile or args.job_compare):
        print("bench: --profile and --job-compare measure the native stack only; add --mode native", file=sys.stderr)
        return 1
    # `kill` (SIGTERM) tears down like Ctrl-C: the stacks' `finally` runs. Without this a killed
    # bench left its native stack running (supervisord and every service).
    signal.signal(signal.SIGTERM, _stop)
    base = {"MLFLOW_WORKERS": args.workers} if args.workers else {}
    figs = []
    bundles: dict[str, dict] = {}  # each mode's column of the bundle's own configuration
    # Per mode, the variants first and the bundle's configuration last, so the bundle's (the
    # last mode's) is the detailed report just above the side-by-side table.
    for mode in modes:
        for name, overrides in [*args.variant, ("bundle", {})]:
            label = name if len(modes) == 1 else f"{name} ({mode})"
            print(f"bench: measuring {label} ...", file=sys.stderr, flush=True)
            figs.append(measure(args, mode, {**base, **overrides}, label))
        bundles[mode] = figs[-1]
    report(figs[-1], args)
    if len(figs) > 1:
        compare(figs)
    if args.json:
        out = summary(figs[-1])
        if len(figs) > 1:
            out["variants"] = {f["label"]: summary(f) for f in figs[:-1]}
        if len(modes) > 1:  # each mode's bundle column; the top level is the last mode's
            out["modes"] = {mode: summary(f) for mode, f in bundles.items()}
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench ARGS=--profile`: where the plugin's time goes, on the bench's native stack.

For each operation the throughput measures (experiments/search, runs/get, runs/log-metric),
with the Basic access token and with auth off on the same database:

* SQL statements per request, per database: PostgreSQL logs every statement for a moment
  (`log_statement=all`, with the database in the line prefix; reset afterwards), and the
  bench counts the lines of a fixed number of sequential requests;
* the permission cache: Redis' keyspace hits and misses per request (`INFO stats`);
* CPU: py-spy samples the MLflow server's workers (`--subprocesses`, active samples only)
  while wrk loads them, and the samples are attributed to what they were doing: token
  hashing, JWT checks, permission resolution, the plugin's and MLflow's SQL, the cache, the
  HTTP stack, MLflow's own handlers.

The figures are for reading, not asserting (docs/measured.md keeps the last ones).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import requests

from ..config.facts import Rendered
from ..probe import resp
from ..runtime.native import NativeStack, to_loopback
from .backup import NativeData

SEQUENTIAL = 20  # requests per operation for the SQL and cache counts

# What a sample was doing: the first rule whose pattern matches one of its frames wins, in
# this order (a token check inside permission resolution counts as the token check).
CATEGORIES = [
    ("token hashing (pbkdf2)", re.compile(r"check_password_hash|pbkdf2|_hash_internal")),
    ("JWT / JWKS checks", re.compile(r"\bjwt\b|jose|authlib/jose|jwks|validate_token|decode_jwt", re.I)),
    (
        "plugin SQL",
        re.compile(r"mlflow_oidc_auth/(?:sqlalchemy_store\.py|repository/|db/)[^;]*;.*(?:sqlalchemy|psycopg)"),
    ),
    ("permission resolution", re.compile(r"mlflow_oidc_auth/(?:permissions|utils/permissions|validators|bridge)")),
    ("permission cache (Redis)", re.compile(r"redis/|cachetools|mlflow_oidc_auth/cache")),
    ("MLflow SQL", re.compile(r"mlflow/store/[^;]*;.*(?:sqlalchemy|psycopg)")),
    ("MLflow handlers", re.compile(r"mlflow/server/handlers")),
    ("plugin middleware, other", re.compile(r"mlflow_oidc_auth/")),
    ("HTTP stack (uvicorn, starlette, a2wsgi)", re.compile(r"uvicorn|starlette|fastapi|a2wsgi|wsgi|flask|werkzeug")),
]


def _redis_stats(rendered: Rendered) -> dict[str, int]:
    u = urllib.parse.urlsplit(to_loopback(rendered.env("mlflow")["CACHE_REDIS_URL"], rendered))
    with socket.create_connection((u.hostname, u.port or 6379), timeout=5) as s:
        if u.password:
            resp(s, "AUTH", urllib.parse.unquote(u.password))
        text = resp(s, "INFO", "stats", bufsize=65536).decode("utf-8", "replace")
    return {k: int(v) for k, v in re.findall(r"^(keyspace_hits|keyspace_misses):(\d+)", text, re.M)}


Operation = tuple[str, str, str]  # method, path, JSON body or "" (bench.operations)


def _call(base: str, authorization: str | None, op: Operation) -> None:
    method, path, body = op
    headers = {"Authorization": authorization} if authorization else {}
    if body:
        headers["Content-Type"] = "application/json"
    r = requests.request(method, base + path, data=body or None, headers=headers, timeout=30)
    r.raise_for_status()


def sql_and_cache(
    rendered: Rendered, stack: NativeStack, sides: dict[str, tuple[str, str | None]], ops: dict[str, Operation]
) -> dict[str, dict[str, dict[str, float]]]:
    """Per side and operation: SQL statements per request by database, cache hits/misses."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    keycloak_db = rendered.env("keycloak")["KC_DB_URL"].rsplit("/", 1)[-1]
    log = stack.state / "logs" / "postgres.log"
    db = NativeData(stack, rendered)
    db.psql("postgres", "ALTER SYSTEM SET log_statement = 'all'")
    db.psql("postgres", "ALTER SYSTEM SET log_line_prefix = '%m [%p] db=%d '")
    db.psql("postgres", "SELECT pg_reload_conf()")
    time.sleep(1)
    try:
        for side, (base, authorization) in sides.items():
            out[side] = {}
            for op in ops:
                _call(base, authorization, ops[op])  # warm: caches filled, connections open
                time.sleep(0.5)
                start = log.stat().st_size
                before = _redis_stats(rendered)
                for _ in range(SEQUENTIAL):
                    _call(base, authorization, ops[op])
                time.sleep(1)  # the log lines of the last requests
                after = _redis_stats(rendered)
                with open(log, "rb") as f:
                    f.seek(start)
                    text = f.read().decode("utf-8", "replace")
                per_db = Counter(re.findall(r" db=(\S+) LOG:\s+(?:statement|execute [^:]*):", text))
                per_db.pop(keycloak_db, None)  # Keycloak's own background work, not these requests
                row = {f"sql {db}": n / SEQUENTIAL for db, n in per_db.items()}
                row["sql total"] = sum(per_db.values()) / SEQUENTIAL
                for key in ("keyspace_hits", "keyspace_misses"):
                    row[key.replace("keyspace_", "cache ")] = (after.get(key, 0) - before.get(key, 0)) / SEQUENTIAL
                out[side][op] = row
    finally:
        db.psql("postgres", "ALTER SYSTEM RESET log_statement")
        db.psql("postgres", "ALTER SYSTEM RESET log_line_prefix")
        db.psql("postgres", "SELECT pg_reload_conf()")
    return out


def sample(pid: int, seconds: float, out: Path, load) -> list[tuple[list[str], int]]:
    """py-spy's collapsed stacks of a process tree while `load()` runs."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    proc = subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--subprocesses", "--format", "raw", "--rate", "250"]
        + ["--duration", str(int(seconds)), "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)
    load()
    _, err = proc.communicate(timeout=seconds + 60)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed: {err.strip()[-500:]}")
    stacks = []
    for line in out.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def attribute(stacks: list[tuple[list[str], int]]) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Shares of the samples per category, and the plugin's functions by inclusive share."""
    total = sum(n for _, n in stacks) or 1
    cats: Counter = Counter()
    plugin: Counter = Counter()
    for frames, n in stacks:
        joined = ";".join(frames)
        for name, pattern in CATEGORIES:
            if pattern.search(joined):
                cats[name] += n
                break
        else:
            cats["other (Python, asyncio, threads)"] += n
        seen = set()
        for f in frames:
            m = re.match(r"(\S+) \((?:.*/)?(mlflow_oidc_auth/\S+?):\d+\)", f)
            if m and (m.group(1), m.group(2)) not in seen:
                seen.add((m.group(1), m.group(2)))
                plugin[f"{m.group(1)} ({m.group(2)})"] += n
    return {k: v / total for k, v in cats.most_common()}, [(k, v / total) for k, v in plugin.most_common(12)]


def profile(
    rendered: Rendered,
    stack: NativeStack,
    sides: dict[str, tuple[str, str | None]],
    ops: dict[str, Operation],
    seconds: float,
    tmp: Path,
    wrk: Callable[..., float],
) -> dict:
    """`ops` and `wrk(url, method, body, authorization, seconds, connections, tmp)` are the
    bench's operations and load."""
    counts = sql_and_cache(rendered, stack, sides, ops)
    base, authorization = sides["Basic token"]
    pid = stack.pids()["mlflow"]
    cpu: dict[str, dict] = {}
    for op, (method, path, body) in ops.items():

        def load(method=method, path=path, body=body):
            wrk(base + path, method, body, authorization, seconds, 8, tmp)

        stacks = sample(pid, seconds + 2, tmp / f"spy-{op}.txt", load)
        cats, top = attribute(stacks)
        cpu[op] = {"categories": cats, "plugin_functions": top, "samples": sum(n for _, n in stacks)}
    summary = {
        "sql_per_request": {side: {op: row["sql total"] for op, row in per.items()} for side, per in counts.items()},
        "cache_per_request": {
            op: {k: v for k, v in row.items() if k.startswith("cache")} for op, row in counts["Basic token"].items()
        },
        "cpu_share": {op: {k: round(v, 3) for k, v in c["categories"].items()} for op, c in cpu.items()},
    }
    return {"counts": counts, "cpu": cpu, "summary": summary}


def report(prof: dict) -> None:
    print(f"\nWhere the time goes ({SEQUENTIAL} sequential requests per operation; py-spy under wrk load)")
    print("  SQL statements and cache lookups per request")
    for side, per in prof["counts"].items():
        for op, row in per.items():
            dbs = ", ".join(
                f"{k[4:]} {v:.1f}" for k, v in sorted(row.items()) if k.startswith("sql ") and k != "sql total"
            )
            cache = f"cache hits {row.get('cache hits', 0):.1f} misses {row.get('cache misses', 0):.1f}"
            print(f"  {side:<12} {op:<11} {row['sql total']:>5.1f} SQL ({dbs or 'none'}); {cache}")
    for op, c in prof["cpu"].items():
        print(f"\n  CPU samples, {op} with the Basic token ({c['samples']} samples, active only)")
        for name, share in c["categories"].items():
            print(f"    {share:>6.1%}  {name}")
        print("    the plugin's functions, inclusive:")
        for name, share in c["plugin_functions"][:8]:
            print(f"    {share:>6.1%}  {name}")

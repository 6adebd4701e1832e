"""`make doctor` / `make doctor-client`: find the known failures and say what to change.

Every check has a stable id, a status (ok, warn, fail, or skip when a check it depends on
already failed), a one-line finding, the fix (the exact variable or command) and a link to
its section of docs/troubleshooting.md. The registry below is the one list of checks: the
docs have one section per id, and tests/test_doctor.py asserts the mapping is one-to-one.

Three groups:

* static (`.env` and the compose render): needs no running service;
* live (the running stack): reachability probes run where the MLflow server runs, i.e. on
  the host for the native stack and inside the mlflow container for Compose;
* client (`--client`): what the MLflow Python client does with MLFLOW_TRACKING_URI and
  MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN, for data scientists.

Exit status: 0 when no check failed (warnings allowed), 1 when any failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from . import COMPOSE_FILE, ROOT, StackError, compose

DOC = "docs/troubleshooting.md"

# id -> title. The section anchor is the id with "." replaced by "-".
CHECKS: dict[str, str] = {
    # --- static: .env and the compose render -------------------------------------------
    "static.env-file": ".env exists",
    "static.compose-render": "Compose renders the configuration",
    "static.placeholder-secret": "Secrets are set and are not placeholders",
    "static.credential-mismatch": "Each credential has one value everywhere",
    "static.ignored-name": "No settings that nothing reads",
    "static.scope": "OIDC_SCOPE is space-separated and names known scopes",
    "static.keycloak-removed-option": "No Keycloak options that were removed in 26",
    "static.keycloak-hostname": "KC_HOSTNAME is a full URL that a browser can reach",
    "static.discovery-url": "OIDC_DISCOVERY_URL reaches Keycloak from where MLflow runs",
    "static.container-localhost": "No localhost database addresses inside containers",
    "static.redis-url": "CACHE_REDIS_URL points at the Redis service",
    "static.public-url": "No public URL uses 0.0.0.0",
    "static.redirect-uri": "OIDC_REDIRECT_URI matches the URL people browse to",
    "static.bind-address": "Published ports listen on loopback",
    "static.secret-key": "SECRET_KEY is set, shared by every worker, and long",
    "static.psycopg": "postgresql:// URIs have their driver",
    "static.alembic-table": "A shared database has a separate alembic version table",
    "static.group-names": "Group names match between the realm and the plugin",
    "static.keycloak-healthcheck": "Keycloak's healthcheck uses no curl",
    "static.allowed-hosts": "--allowed-hosts covers every URL in use",
    # --- live: the running stack -------------------------------------------------------
    "live.postgres": "PostgreSQL is up",
    "live.redis": "Redis is up",
    "live.keycloak": "Keycloak is ready on its published ports",
    "live.mlflow": "MLflow answers on its published port",
    "live.db-login": "The database login works with the configured credentials",
    "live.redis-auth": "Redis accepts the configured password",
    "live.realm": "The realm exists",
    "live.ssl-required": "The realm's sslRequired fits the URLs in use",
    "live.client": "The OIDC client exists and is set up for the login flow",
    "live.client-secret": "The client secret matches",
    "live.redirect-uri": "The redirect URI is registered exactly",
    "live.scopes": "Every requested scope is available to the client",
    "live.discovery": "The discovery issuer equals the browser-facing URL",
    "live.token-endpoints": "Token and JWKS endpoints are reachable from the server",
    "live.groups-mapper": "The groups mapper puts plain names into the ID token",
    "live.groups-claim": "A real token carries the groups the plugin expects",
    "live.allowed-hosts": "MLflow accepts the Host headers in use",
    # --- client: the MLflow Python client ----------------------------------------------
    "client.tracking-uri": "MLFLOW_TRACKING_URI is an http URL a client can use",
    "client.reachable": "The tracking server is reachable",
    "client.credentials": "The client sends credentials",
    "client.html": "The server answers the API with JSON, not a login page",
    "client.host-header": "The server accepts the client's Host header",
    "client.authorized": "The server accepts the credentials",
}

STATUSES = ("ok", "warn", "fail", "skip")


def anchor(check_id: str) -> str:
    return check_id.replace(".", "-")


def link(check_id: str) -> str:
    return f"{DOC}#{anchor(check_id)}"


@dataclass
class Result:
    id: str
    status: str
    finding: str
    fix: str = ""

    def __post_init__(self):
        if self.id not in CHECKS:
            raise KeyError(f"unregistered doctor check {self.id!r}")
        if self.status not in STATUSES:
            raise ValueError(self.status)

    @property
    def title(self) -> str:
        return CHECKS[self.id]

    @property
    def link(self) -> str:
        return link(self.id)

    def as_dict(self) -> dict:
        return {**asdict(self), "title": self.title, "link": self.link}


def ok(cid: str, finding: str) -> Result:
    return Result(cid, "ok", finding)


def warn(cid: str, finding: str, fix: str) -> Result:
    return Result(cid, "warn", finding, fix)


def fail(cid: str, finding: str, fix: str) -> Result:
    return Result(cid, "fail", finding, fix)


def skip(cid: str, finding: str) -> Result:
    return Result(cid, "skip", finding)


def worst(results: list[Result]) -> str:
    for status in ("fail", "warn"):
        if any(r.status == status for r in results):
            return status
    return "ok"


def by_id(results: list[Result]) -> dict[str, Result]:
    """The most severe result for each id (a check may report several findings)."""
    order = {"fail": 0, "warn": 1, "ok": 2, "skip": 3}
    out: dict[str, Result] = {}
    for r in sorted(results, key=lambda r: order[r.status]):
        out.setdefault(r.id, r)
    return out


# --- the configuration the checks look at --------------------------------------------

@dataclass
class Context:
    env_file: Path
    compose_file: Path
    mode: str
    mode_reason: str
    state: Path
    env: dict | None = None        # .env values, None when unreadable
    rendered: object = None        # compose.Rendered, None when the render failed
    render_error: str = ""

    @property
    def in_container(self) -> bool:
        return self.mode == "compose"


def load(env_file: Path, compose_file: Path | None = None, mode: str | None = None,
         state: Path | None = None) -> Context:
    from . import envfile
    from .native import default_state_dir
    from .stack import choose_mode

    state = Path(state or default_state_dir())
    if mode:
        why = "--mode was given"
    else:
        try:
            mode, why = choose_mode(state, for_up=False)
        except StackError as exc:
            mode, why = "native", str(exc)
    ctx = Context(Path(env_file), Path(compose_file or COMPOSE_FILE), mode, why, state)
    try:
        ctx.env = envfile.read(ctx.env_file)
    except StackError:
        ctx.env = None
        return ctx
    try:
        ctx.rendered = compose.render(ctx.env_file, ctx.compose_file)
    except StackError as exc:
        ctx.render_error = str(exc)
    return ctx


# --- output ---------------------------------------------------------------------------

_LABEL = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "skip": "skip"}


def report_text(results: list[Result], header: list[str], out=None) -> None:
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


def report_json(results: list[Result], meta: dict, out=None) -> None:
    out = out or sys.stdout
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    json.dump({**meta, "summary": counts, "checks": [r.as_dict() for r in results]}, out, indent=2)
    out.write("\n")


def exit_code(results: list[Result]) -> int:
    return 1 if any(r.status == "fail" for r in results) else 0


# --- entry points ---------------------------------------------------------------------

def run_server_checks(ctx: Context, static: bool = True, live: bool = True) -> list[Result]:
    results: list[Result] = []
    if static:
        from . import doctor_static

        results += doctor_static.run(ctx)
    if live:
        from . import doctor_live

        if ctx.rendered is None:
            results.append(skip("live.mlflow", "live checks need a configuration that renders "
                                               "(see the static checks)"))
        else:
            results += doctor_live.run(ctx)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="doctor", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env-file", default=os.environ.get("ENV_FILE", str(ROOT / ".env")),
                        help="the .env to check (default: %(default)s)")
    parser.add_argument("--compose-file", default=os.environ.get("DOCTOR_COMPOSE_FILE",
                                                                 str(COMPOSE_FILE)),
                        help="the compose file to render (default: %(default)s)")
    parser.add_argument("--state-dir", default=None,
                        help="native stack state dir (default: .stack, or STACK_STATE_DIR)")
    parser.add_argument("--mode", choices=["compose", "native"], default=None,
                        help="which stack to check (default: what `make up` chose, "
                             "STACK=..., or whether a Docker engine answers)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--static-only", action="store_true",
                       help="check .env and the compose render only (no running stack needed)")
    group.add_argument("--live-only", action="store_true", help="check the running stack only")
    group.add_argument("--client", action="store_true",
                       help="check what the MLflow client does with MLFLOW_TRACKING_URI and "
                            "MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN from the environment")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--list", action="store_true", help="list every check id and exit")
    args = parser.parse_args(argv)

    if args.list:
        for cid, title in CHECKS.items():
            print(f"{cid:<32} {title}  ({link(cid)})")
        return 0
    try:
        if args.client:
            from . import doctor_client

            results = doctor_client.run(os.environ)
            meta = {"kind": "client", "tracking_uri": os.environ.get("MLFLOW_TRACKING_URI", "")}
            header = [f"client checks for MLFLOW_TRACKING_URI="
                      f"{os.environ.get('MLFLOW_TRACKING_URI', '(unset)')}"]
        else:
            ctx = load(Path(args.env_file), Path(args.compose_file), args.mode,
                       Path(args.state_dir) if args.state_dir else None)
            results = run_server_checks(ctx, static=not args.live_only, live=not args.static_only)
            meta = {"kind": "server", "mode": ctx.mode, "mode_reason": ctx.mode_reason,
                    "env_file": str(ctx.env_file)}
            header = [f"mode {ctx.mode} ({ctx.mode_reason}); env file {ctx.env_file}"]
            if ctx.rendered is not None:
                header.append(f"browse to {ctx.rendered.mlflow_url()} (MLflow) and "
                              f"{ctx.rendered.keycloak_url()} (Keycloak)")
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

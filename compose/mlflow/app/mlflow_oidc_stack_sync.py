"""Offboarding: MLflow's users reconciled with Keycloak (docs/security.md).

A person who is disabled in Keycloak, deleted there, or in neither of the groups that may
use MLflow is deactivated in MLflow through the plugin's admin API
(`PATCH /api/2.0/mlflow/users/<name>/active`), which revokes their sessions and access
tokens in one transaction. A person who may use MLflow again is reactivated; their revoked
tokens stay revoked. Accounts the sync does not own are never touched: its own, MLflow's
service accounts, and Keycloak clients' service accounts (`service-account-*`, whose only
credential is a Keycloak token that Keycloak itself stops issuing).

It signs in as its own Keycloak client (client credentials, `<client>-sync`): the client's
service account may read the realm's users and groups, and is in the admins group, which
MLflow trusts from a token (OIDC_TRUST_BEARER_GROUP_CLAIMS).

Runs in the bundle's MLflow image (the `sync-users` service) and the native server venv
(a supervisord program); `make sync-users` runs it once. Settings come from the
environment, as the compose file sets them (SYNC_*). Needs only the standard library and
requests.

Exit codes: 0 done (or nothing to do), 1 could not run (nothing was changed), 2 a dry run
found changes to make.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field

import requests

API = "/api/2.0/mlflow/users"
PAGE = 200


class SyncError(Exception):
    """The sync could not run; nothing was changed."""


@dataclass
class Settings:
    keycloak_url: str
    realm: str
    client_id: str
    client_secret: str
    mlflow_url: str
    groups: list[str]
    timeout: float = 30

    @classmethod
    def from_env(cls, env=os.environ) -> Settings:
        names = (
            "SYNC_KEYCLOAK_URL",
            "SYNC_REALM",
            "SYNC_CLIENT_ID",
            "SYNC_CLIENT_SECRET",
            "SYNC_MLFLOW_URL",
            "SYNC_GROUPS",
        )
        missing = [n for n in names if not env.get(n)]
        if missing:
            raise SyncError(f"{', '.join(missing)} not set: run it as `make sync-users`, which sets them from .env")
        return cls(
            env["SYNC_KEYCLOAK_URL"].rstrip("/"),
            env["SYNC_REALM"],
            env["SYNC_CLIENT_ID"],
            env["SYNC_CLIENT_SECRET"],
            env["SYNC_MLFLOW_URL"].rstrip("/"),
            [g.strip() for g in env["SYNC_GROUPS"].split(",") if g.strip()],
        )

    @property
    def own_username(self) -> str:
        return f"service-account-{self.client_id}".lower()


@dataclass
class Change:
    username: str
    active: bool  # what the user becomes
    reason: str
    done: str = ""  # filled when applied: "" (not yet), "ok", or why it was refused


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # accounts left alone, with why
    checked: int = 0


def _get(session: requests.Session, url: str, what: str, timeout: float, **params):
    try:
        r = session.get(url, params=params, timeout=timeout)
    except requests.RequestException as exc:
        raise SyncError(f"{what}: {url} did not answer ({type(exc).__name__})") from exc
    if r.status_code != 200:
        raise SyncError(f"{what}: {url} answered {r.status_code} {r.text[:200]}")
    return r.json()


def token(s: Settings) -> str:
    url = f"{s.keycloak_url}/realms/{s.realm}/protocol/openid-connect/token"
    try:
        r = requests.post(
            url,
            data={"grant_type": "client_credentials", "client_id": s.client_id, "client_secret": s.client_secret},
            timeout=s.timeout,
        )
    except requests.RequestException as exc:
        raise SyncError(f"Keycloak did not answer at {url} ({type(exc).__name__})") from exc
    if r.status_code != 200:
        raise SyncError(
            f"Keycloak refused the sync client {s.client_id!r} ({r.status_code} {r.text[:200]}): "
            "`make bootstrap-keycloak` creates it with the secret in .env"
        )
    return r.json()["access_token"]


def _paged(session, url, what, timeout, **params) -> list[dict]:
    out: list[dict] = []
    while True:
        page = _get(session, url, what, timeout, first=len(out), max=PAGE, **params)
        out += page
        if len(page) < PAGE:
            return out


def keycloak_people(s: Settings, session: requests.Session) -> tuple[dict[str, str], int, int]:
    """MLflow username -> why they may not use MLflow ("" when they may); how many group
    members Keycloak listed (service accounts included); how many users it listed. MLflow
    names a person by their email, else their Keycloak username, lowercased."""
    admin = f"{s.keycloak_url}/admin/realms/{s.realm}"
    members: set[str] = set()
    for name in s.groups:
        found = [
            g
            for g in _get(session, f"{admin}/groups", "listing Keycloak's groups", s.timeout, search=name, exact="true")
            if g.get("name") == name
        ]
        if not found:
            raise SyncError(f"Keycloak's realm {s.realm!r} has no group {name!r}: `make bootstrap-keycloak` creates it")
        url = f"{admin}/groups/{found[0]['id']}/members"
        for m in _paged(session, url, f"listing the members of {name}", s.timeout, briefRepresentation="true"):
            members.add(m["id"])
    status: dict[str, str] = {}
    users = _paged(session, f"{admin}/users", "listing Keycloak's users", s.timeout, briefRepresentation="true")
    for u in users:
        if not u.get("enabled", False):
            why = "disabled in Keycloak"
        elif u["id"] not in members:
            why = f"in neither {' nor '.join(s.groups)} in Keycloak"
        else:
            why = ""
        for key in {(u.get("email") or "").lower(), (u.get("username") or "").lower()} - {""}:
            # An email shared by two accounts: either one allowed is enough.
            status[key] = "" if status.get(key) == "" else why
    return status, len(members), len(users)


def plan(s: Settings, session: requests.Session, allow_empty: bool = False) -> Plan:
    people, members, listed = keycloak_people(s, session)
    users = _get(session, f"{s.mlflow_url}{API}/details", "listing MLflow's users", s.timeout)
    result = Plan(checked=len(users))
    for u in users:
        name = u["username"].lower()
        if name == s.own_username:
            result.kept.append(f"{name}: the sync's own account")
            continue
        if u.get("is_service_account") or name.startswith("service-account-"):
            result.kept.append(f"{name}: a service account (not a person)")
            continue
        why = people.get(name, "deleted in Keycloak")
        if why and u.get("active", True):
            result.changes.append(Change(name, False, why))
        elif not why and not u.get("active", True):
            result.changes.append(Change(name, True, "may use MLflow again in Keycloak"))
    going = [c for c in result.changes if not c.active]
    # The sync's own service account is a member of the admins group, and people exist: a
    # listing without either is a listing that went wrong, not a realm where all have left.
    if going and (members == 0 or listed == 0) and not allow_empty:
        empty = f"no member of {' or '.join(s.groups)}" if members == 0 else "no users"
        raise SyncError(
            f"Keycloak listed {empty} (not even the sync's own account): refusing to deactivate "
            f"{len(going)} user(s) on an empty listing. If that is really meant, run "
            "`make sync-users ARGS=--allow-empty`"
        )
    return result


def apply(s: Settings, session: requests.Session, changes: list[Change]) -> None:
    for c in changes:
        url = f"{s.mlflow_url}{API}/{requests.utils.quote(c.username, safe='')}/active"
        try:
            r = session.patch(url, json={"active": c.active}, timeout=s.timeout)
        except requests.RequestException as exc:
            c.done = f"MLflow did not answer ({type(exc).__name__})"
            continue
        if r.status_code == 200:
            c.done = "ok"
        else:  # 409: the plugin's own guards (the last active admin, a directory-owned user)
            c.done = f"refused by MLflow: {r.status_code} {r.text[:200]}"


def not_answering(s: Settings) -> list[str]:
    """Which of Keycloak's realm and MLflow do not answer yet: the first run needs both."""
    out = []
    for what, url in (
        ("Keycloak", f"{s.keycloak_url}/realms/{s.realm}/.well-known/openid-configuration"),
        ("MLflow", f"{s.mlflow_url}/health/ready"),
    ):
        try:
            answered = requests.get(url, timeout=5).status_code == 200
        except requests.RequestException:
            answered = False
        if not answered:
            out.append(what)
    return out


def run_once(s: Settings, dry_run: bool = False, allow_empty: bool = False, out=print) -> int:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token(s)}"
        p = plan(s, session, allow_empty)
        if not dry_run:
            apply(s, session, p.changes)
    for c in p.changes:
        verb = "reactivate" if c.active else "deactivate (revokes sessions and access tokens)"
        if dry_run:
            out(f"sync-users: would {verb}: {c.username} ({c.reason})")
        elif c.done == "ok":
            done = (
                "reactivated (revoked tokens stay revoked)"
                if c.active
                else "deactivated: sessions and access tokens revoked"
            )
            out(f"sync-users: {done}: {c.username} ({c.reason})")
        else:
            out(f"sync-users: could not {verb.split(' ')[0]} {c.username}: {c.done}")
    failed = [c for c in p.changes if not dry_run and c.done != "ok"]
    out(
        f"sync-users: {p.checked} MLflow user(s) checked, {len(p.changes)} change(s)"
        + (" to make (dry run: nothing changed)" if dry_run else "")
        + (f", {len(p.kept)} account(s) not the sync's to change" if p.kept else "")
    )
    if failed:
        return 1
    return 2 if dry_run and p.changes else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="sync-users", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="print what would change; change nothing")
    ap.add_argument(
        "--allow-empty", action="store_true", help="deactivate even when Keycloak lists nobody who may use MLflow"
    )
    ap.add_argument(
        "--every", type=float, metavar="SECONDS", help="run again every SECONDS, forever (the stack's service)"
    )
    ap.add_argument(
        "--heartbeat", metavar="FILE", help="with --every: write the last run's summary here after each run"
    )
    args = ap.parse_args(argv)
    try:
        s = Settings.from_env()
    except SyncError as exc:
        print(f"sync-users: {exc}", file=sys.stderr)
        return 1
    if args.every is None:
        try:
            return run_once(s, args.dry_run, args.allow_empty)
        except SyncError as exc:
            print(f"sync-users: {exc}. Nothing was changed.", file=sys.stderr)
            return 1
    if args.every <= 0:
        print("sync-users: --every needs a number of seconds above 0 (SYNC_USERS_INTERVAL in .env)", file=sys.stderr)
        return 1
    print(
        f"sync-users: every {args.every:g} s: Keycloak {s.keycloak_url} realm {s.realm}, MLflow {s.mlflow_url}",
        flush=True,
    )
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    def beat() -> None:  # the service's healthcheck: the loop is alive (its last words inside)
        if args.heartbeat:
            with open(args.heartbeat, "w") as f:
                f.write(lines[-1] + "\n" if lines else "")

    # The stack starts this loop beside Keycloak and MLflow, so that a cold start does not
    # wait for it (docs/measured.md#start-beside). The first run waits until both answer,
    # asking once a second, for at most one interval (5 minutes at least); then the runs say
    # what fails, as always.
    deadline = time.monotonic() + max(args.every, 300)
    said: list[str] = []
    while (missing := not_answering(s)) and time.monotonic() < deadline:
        if missing != said:
            say(f"sync-users: waiting for {' and '.join(missing)} to answer before the first run")
            said = missing
        beat()
        time.sleep(1)

    while True:
        started = time.monotonic()
        lines.clear()
        try:
            run_once(s, args.dry_run, args.allow_empty, out=say)
        except SyncError as exc:
            say(f"sync-users: {exc}. Nothing was changed; trying again in {args.every:g} s.")
        except Exception as exc:  # the loop outlives any one bad run
            say(f"sync-users: unexpected {type(exc).__name__}: {exc}. Nothing more was changed.")
        beat()
        time.sleep(max(0.0, args.every - (time.monotonic() - started)))


if __name__ == "__main__":
    sys.exit(main())

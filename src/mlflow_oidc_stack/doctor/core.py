"""The doctor's registry: results, the context checks read, and the `@check` declaration.

A check is declared once:

    @check("live.db-login", "The database login works with the configured credentials",
           needs=("live.postgres",))
    def db_login(ctx: Context) -> Result | list[Result]: ...

Its id gives its family (static, live, client), its docs anchor
(docs/troubleshooting.md#live-db-login) and its place in `--list` and `--json`. `needs`
names the checks that must have passed (ok or warn) first; otherwise it is skipped with a
line that points at the one that did not, so a fix line never blames a setting when the
real cause is that a service is down. Every check runs under a guard: an exception becomes
a finding that names it, never a traceback, and never hides the other checks.
This module imports nothing from the check families; they import it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DOC = "docs/troubleshooting.md"
STATUSES = ("ok", "warn", "fail", "skip")
FAMILIES = ("static", "live", "client", "cluster")


@dataclass
class Result:
    status: str
    finding: str
    fix: str = ""
    id: str = ""  # filled in from the declaration by the runner

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(self.status)

    @property
    def title(self) -> str:
        return REGISTRY[self.id].title

    @property
    def link(self) -> str:
        return link(self.id)

    def as_dict(self) -> dict:
        return {**asdict(self), "title": self.title, "link": self.link}


def ok(finding: str) -> Result:
    return Result("ok", finding)


def warn(finding: str, fix: str) -> Result:
    return Result("warn", finding, fix)


def fail(finding: str, fix: str) -> Result:
    return Result("fail", finding, fix)


def skip(finding: str) -> Result:
    return Result("skip", finding)


class Skip(Exception):
    """Raised by a check whose probe cannot run; the message says exactly why."""


@dataclass
class Context:
    """What the checks look at. `memo` holds what one check learns for the next (an admin
    client, the discovery document), so nothing is asked twice."""

    env_file: Path
    compose_file: Path
    mode: str
    mode_reason: str
    state: Path
    env: dict[str, str] | None = None  # .env values, None when unreadable
    rendered: Any = None  # config.facts.Rendered, None when the render failed
    render_error: str = ""
    environ: dict[str, str] = field(default_factory=dict)  # the client checks' environment
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def in_container(self) -> bool:
        return self.mode == "compose"

    def remember(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    needs: tuple[str, ...]
    func: Callable[[Context], Result | list[Result]]

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


REGISTRY: dict[str, Check] = {}


def check(check_id: str, title: str, needs: Iterable[str] = ()):
    family = check_id.split(".", 1)[0]
    if family not in FAMILIES:
        raise ValueError(f"{check_id}: the family must be one of {FAMILIES}")

    def declare(func: Callable[[Context], Result | list[Result]]):
        if check_id in REGISTRY:
            raise ValueError(f"doctor check {check_id} is declared twice")
        for need in needs:
            if need not in REGISTRY:
                raise ValueError(f"{check_id} needs {need}, which is not declared before it")
        REGISTRY[check_id] = Check(check_id, title, tuple(needs), func)
        return func

    return declare


def anchor(check_id: str) -> str:
    return check_id.replace(".", "-")


def link(check_id: str) -> str:
    return f"{DOC}#{anchor(check_id)}"


def _guarded(c: Check, ctx: Context) -> list[Result]:
    try:
        out = c.func(ctx)
    except Skip as exc:
        out = skip(f"not checked: {exc}")
    except Exception as exc:  # a check that crashes must not hide the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        out = warn(
            f"the check itself failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
            f"({Path(where.filename).name}:{where.lineno})",
            "report this with the output of `make doctor ARGS=--json`",
        )
    results = out if isinstance(out, list) else [out]
    if not results:
        results = [warn("the check returned no result", "report this with `make doctor ARGS=--json`")]
    for r in results:
        r.id = c.id
    return results


def run(ctx: Context, families: Iterable[str]) -> list[Result]:
    """Run the checks of the given families in declaration order. A needed check of another
    family runs too (its result decides skips) but is reported only if its family was asked."""
    wanted = set(families)
    status: dict[str, str] = {}
    reported: list[Result] = []

    def evaluate(c: Check) -> list[Result]:
        for need in c.needs:
            if need not in status:
                evaluate(REGISTRY[need])
            if status[need] not in ("ok", "warn"):
                why = "failed" if status[need] == "fail" else "was not checked"
                results = [Result("skip", f"not checked: {need} {why} (see {need})", id=c.id)]
                break
        else:
            results = _guarded(c, ctx)
        status[c.id] = worst(results)
        if c.family in wanted:
            reported.extend(results)
        return results

    for c in REGISTRY.values():
        if c.id not in status and c.family in wanted:
            evaluate(c)
    order = {cid: i for i, cid in enumerate(REGISTRY)}
    return sorted(reported, key=lambda r: order[r.id])


def worst(results: list[Result]) -> str:
    """fail > warn > ok; skip only when nothing was checked."""
    for s in ("fail", "warn", "ok"):
        if any(r.status == s for r in results):
            return s
    return "skip"


def by_id(results: list[Result]) -> dict[str, Result]:
    """The most severe result for each id (a check may report several findings)."""
    order = {"fail": 0, "warn": 1, "ok": 2, "skip": 3}
    out: dict[str, Result] = {}
    for r in sorted(results, key=lambda r: order[r.status]):
        out.setdefault(r.id, r)
    return out


def exit_code(results: list[Result]) -> int:
    return 1 if any(r.status == "fail" for r in results) else 0

"""Shared fixtures: one running stack per test session and mode, in its own state dir and ports.

Every stack test runs on both modes: `native` (local binaries under supervisord) and
`compose` (the Docker engine, with the bundle's own images where none can be pulled). Both
start the way `make up` does, through the same runtime classes. The compose variant runs
when a Docker engine answers and skips with the reason otherwise; the summary line after
the run says which modes ran. Each test makes its own users and experiments.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from keycloak.exceptions import KeycloakError

from mlflow_oidc_stack import ROOT
from mlflow_oidc_stack.config.facts import Rendered
from mlflow_oidc_stack.keycloak.admin import browser_session, create_person, keycloak_admin
from mlflow_oidc_stack.ops.scratch import free_port, make_env, remove_orphaned_stacks, state_dir  # noqa: F401
from mlflow_oidc_stack.runtime import tls
from mlflow_oidc_stack.runtime.compose import ComposeStack
from mlflow_oidc_stack.runtime.engine import engine
from mlflow_oidc_stack.runtime.native import NativeStack

ARTIFACTS = ROOT / "test-artifacts"
MODES: dict[str, str] = {}  # mode -> what happened, for the summary


@dataclass
class StackHandle:
    mode: str
    env_file: Path
    rendered: Rendered
    state: Path
    runtime: NativeStack | ComposeStack

    @property
    def native(self) -> NativeStack | None:
        return self.runtime if isinstance(self.runtime, NativeStack) else None

    @property
    def mlflow_url(self) -> str:
        return self.rendered.mlflow_url()

    def restart(self, service: str) -> None:
        self.runtime.restart(service)

    def stop(self, service: str) -> None:
        self.runtime.stop(service)

    def start(self, service: str) -> None:
        self.runtime.start(service)

    def logs(self) -> str:
        return self.runtime.logs(lines=80)


_STACKS: list[StackHandle] = []


def run_stack_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`scripts/stack` as a user runs it, with no terminal to answer questions."""
    return subprocess.run(
        [str(ROOT / "scripts" / "stack"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _run_stack(mode: str, kind: str, **settings: str):
    """Start one stack the way `make up` does, in its own state dir and ports; yield its handle,
    then delete it with its data. `kind` names it in the summary ("stack", "https")."""
    key = mode if kind == "stack" else f"{mode} {kind}"
    if mode == "compose":
        ok, why = engine()
        if not ok:
            MODES[key] = f"skipped: {why}"
            pytest.skip(f"compose variant needs a Docker engine: {why}")
    started = time.monotonic()
    state = state_dir(f"{kind}-{mode}")
    env_file = make_env(state / "test.env", **settings)
    with open(state / "up.log", "w") as log:  # what `make up` would print, kept for failures
        runtime = (NativeStack if mode == "native" else ComposeStack)(env_file, state, out=log)
        try:
            rendered = runtime.up()
        except Exception:
            log.flush()
            print((state / "up.log").read_text())
            print(runtime.logs(lines=120))
            runtime.reset()
            MODES[key] = "failed to start"
            raise
        MODES[key] = f"ran (up in {time.monotonic() - started:.0f} s)"
        handle = StackHandle(mode, env_file, rendered, state, runtime)
        _STACKS.append(handle)
        yield handle
        _STACKS.remove(handle)
        runtime.reset()
        MODES[key] = MODES[key].removesuffix(")") + f", {time.monotonic() - started:.0f} s in all)"
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session", params=["native", "compose"])
def stack(request) -> StackHandle:
    # Metrics on: the tests scrape them (docs/operations.md); everything else as shipped.
    yield from _run_stack(request.param, "stack", MLFLOW_WORKERS="3", METRICS_ENABLED="true", SYNC_USERS_INTERVAL="10")


@pytest.fixture(scope="session", params=["native", "compose"])
def https_stack(request) -> StackHandle:
    """The HTTPS profile (compose/proxy.yml): PUBLIC_URL on a free port, MLflow under /mlflow,
    artifacts in S3, two MLflow servers."""
    yield from _run_stack(
        request.param,
        "https",
        PUBLIC_URL=f"https://localhost:{free_port()}",
        MLFLOW_PATH="/mlflow",
        # The S3 artifact store and two MLflow servers too (compose/s3.yml, tests/test_s3.py,
        # tests/test_replicas.py): the shape of a team that outgrows one host.
        ARTIFACT_STORE="s3",
        MLFLOW_REPLICAS="2",
    )


# --- the HTTPS profile's stack: its CA, public URL and people (tests/test_https.py, test_s3.py) ---


@pytest.fixture(scope="session")
def ca() -> str:
    return str(tls.CA_CERT)


def trusting(ca: str) -> requests.Session:
    """A cookie-keeping client that trusts the bundle's CA. Not from the environment: requests
    lets REQUESTS_CA_BUNDLE (set on many machines) win over a session's own `verify`."""
    s = browser_session()
    s.trust_env = False
    s.verify = ca
    return s


@pytest.fixture(scope="session")
def public(https_stack) -> str:
    """https://localhost:<port>/mlflow"""
    return https_stack.rendered.browser_mlflow_url()


@pytest.fixture(scope="session")
def people(https_stack):
    """An admin, a user and an outsider (in neither group), made once for the module."""
    admin = keycloak_admin(https_stack.rendered)
    env = https_stack.rendered.env("mlflow")
    out, made = {}, []
    for role, groups in (
        ("admin", [env["OIDC_ADMIN_GROUP_NAME"]]),
        ("user", [env["OIDC_GROUP_NAME"]]),
        ("outsider", []),
    ):
        name, password = f"{role}-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        made.append(create_person(admin, name, password, groups, first=role.capitalize(), last="Https"))
        out[role] = (name, password)
    yield out
    for uid in made:
        admin.delete_user(uid)


def pytest_addoption(parser):
    parser.addoption(
        "--stack-mode",
        choices=["native", "compose", "both"],
        default="both",
        help="run one mode's stack tests (native: with the tests that need no stack; compose: its "
        "stack tests only). `make test` runs one pytest per mode at once.",
    )


def pytest_sessionstart(session):
    """The compose run first removes the throwaway stacks a killed run left behind: with the
    engine they came back up, and would share the machine with this run (tests/test_compose.py
    has the test)."""
    if session.config.getoption("--stack-mode") != "native" and engine()[0]:
        remove_orphaned_stacks(say=lambda line: print(f"\nconftest: {line}"))


def pytest_collection_modifyitems(config, items):
    """Tests marked `compose_only` make no sense natively (images, Compose ports, PostgreSQL
    17): their native variants are deselected, not skipped, so a skip always means a mode
    that could not run. `--stack-mode` deselects the other mode's half."""
    only = config.getoption("--stack-mode")
    keep, drop = [], []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        # The Kubernetes tests (tests/test_k8s.py) run with compose: they need its images.
        mode = (
            params.get("stack")
            or params.get("https_stack")
            or params.get("bench_mode")
            or ("compose" if "kube" in params else None)
        )
        out = item.get_closest_marker("compose_only") and mode == "native"
        # Which of `make test`'s two runs takes it. The bench's smoke tests start stacks of
        # their own, so both run with native: the compose run also has the Kubernetes tests,
        # and was the longer one by about 15 minutes in CI.
        lane = "native" if "bench_mode" in params else mode
        if only == "native":
            out = out or lane == "compose"
        elif only == "compose":
            out = out or lane != "compose"
        (drop if out else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    # The tests on the HTTPS profile's stack last (in their order): that stack then starts
    # after the heavy tests of the session's own stack (recovery, upgrades), instead of idling
    # beside them, two Keycloaks and three MLflow servers on a 2-core machine.
    items[:] = sorted(keep, key=lambda item: "https_stack" in getattr(item, "fixturenames", ()))


def pytest_terminal_summary(terminalreporter):
    if MODES:
        ran = "; ".join(f"{mode} {what}" for mode, what in sorted(MODES.items()))
        terminalreporter.write_line(f"stack modes: {ran}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and _STACKS:
        # Like CI dumping `compose logs` on a failure: the stack's recent logs, saved.
        ARTIFACTS.mkdir(exist_ok=True)
        for handle in _STACKS:
            (ARTIFACTS / f"{item.name}-{handle.mode}-logs.txt").write_text(handle.logs())


# --- users ------------------------------------------------------------------------------


@dataclass
class User:
    username: str
    password: str
    email: str
    id: str
    groups: list[str]


@pytest.fixture(scope="session")
def kc_admin(stack):
    from mlflow_oidc_stack.keycloak.admin import keycloak_admin

    return keycloak_admin(stack.rendered)


@pytest.fixture
def make_user(kc_admin, stack):
    """Create a realm user with a full profile and non-temporary password; removed afterwards."""
    created = []

    def _make(*groups: str, prefix: str = "user") -> User:
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        password = uuid.uuid4().hex
        email = f"{name}@example.org"
        try:
            uid = create_person(kc_admin, name, password, groups, first=prefix.capitalize(), last=name.split("-")[-1])
        except KeycloakError:
            # A restore or reset earlier in the session replaced Keycloak's database, and with
            # it the admin's session: log in again, once.
            kc_admin.connection.get_token()
            uid = create_person(kc_admin, name, password, groups, first=prefix.capitalize(), last=name.split("-")[-1])
        created.append(uid)
        return User(name, password, email, uid, list(groups))

    yield _make
    for uid in created:
        try:
            kc_admin.delete_user(uid)
        except Exception:
            pass


@pytest.fixture(scope="session")
def groups(stack):
    env = stack.rendered.env("mlflow")
    return {"users": env["OIDC_GROUP_NAME"], "admins": env["OIDC_ADMIN_GROUP_NAME"]}


# --- browser ----------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the session: its sync API cannot run twice at once in a process."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make setup` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


FAILED: dict[int, list[tuple[str, str]]] = {}  # id(page) -> (url, failure) of its failed requests


@pytest.fixture
def page(browser):
    context = browser.new_context()
    p = context.new_page()
    p.set_default_timeout(30_000)
    failed = FAILED.setdefault(id(p), [])
    p.on("requestfailed", lambda request: failed.append((request.url, request.failure or "")))
    yield p
    FAILED.pop(id(p), None)
    context.close()


def see(page, text: str, seconds: float = 30) -> None:
    """Wait for `text` on the page. When it does not come and a request of the page
    failed with ERR_NETWORK_CHANGED (the UI's own XHRs, after the redirects `submit_login`
    watches; see `goto`), reload, as a person would, at most twice. Otherwise fail with what
    the page is instead: its URL, first words and failed requests."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        try:
            page.get_by_text(text).first.wait_for(timeout=seconds * 1000)
            return
        except PlaywrightTimeout:
            failed = FAILED.get(id(page), [])
            if attempt < 2 and any("ERR_NETWORK_CHANGED" in failure for _, failure in failed):
                print(f"{text!r} not shown at {page.url}: the host's network changed; reloading")
                page.reload()
                continue
            try:
                words = " ".join(page.inner_text("body").split())[:300]
            except Exception as exc:
                words = f"(unreadable: {exc})"
            raise AssertionError(
                f"{text!r} did not appear within {seconds:.0f} s: the page is {page.url}, "
                f"saying {words!r}; last failed requests: {failed[-5:] or 'none'}"
            ) from None


def transcript(name: str, text: str) -> None:
    """Print, and keep in test-artifacts/transcripts/<name>.txt (appended, both modes): what a
    closing note quotes, from the run that proved it."""
    print(text)
    path = ARTIFACTS / "transcripts" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        f.write(text.rstrip("\n") + "\n")


def goto(page, url: str):
    """page.goto, once more when Chromium aborts the navigation with ERR_NETWORK_CHANGED:
    Docker adding a bridge for the other mode's stack (both modes run at once) changes the
    host's interfaces, and Chromium drops what is in flight. A person would reload."""
    for attempt in range(3):
        try:
            return page.goto(url)
        except Exception as exc:
            if "ERR_NETWORK_CHANGED" not in str(exc) or attempt == 2:
                raise
            time.sleep(1)


def login_form(page, again: str | None = None, seconds: float = 60) -> None:
    """Wait for Keycloak's login form. Where Chromium shows its own error page instead (the
    ERR_NETWORK_CHANGED of `goto`, met on the way through redirects), open `again` once more,
    as a person would reload. When the form does not come, fail with what the page is
    instead (its URL, title and first words), so that a one-line summary names the cause."""
    deadline = time.monotonic() + seconds
    reloads = 0
    while True:
        try:
            if page.query_selector("#kc-form-login"):
                return
        except Exception:  # the page is navigating; its document is being replaced
            pass
        if page.url.startswith("chrome-error://") and again and reloads < 2:
            reloads += 1
            time.sleep(1)
            goto(page, again)
            continue
        if time.monotonic() > deadline:
            try:
                title, text = page.title(), page.inner_text("body")[:300]
            except Exception as exc:
                title, text = "?", f"(unreadable: {exc})"
            words = " ".join(text.split())
            raise AssertionError(
                f"Keycloak's login form did not appear within {seconds:.0f} s: "
                f"the page is {page.url} titled {title!r}, saying {words!r}"
            )
        time.sleep(0.25)


def submit_login(page, start: str, username: str, password: str) -> None:
    """Open `start` (MLflow's /login), fill Keycloak's form and submit it. When the host's
    network changed during the attempt (Chromium fails a request with ERR_NETWORK_CHANGED, as
    in `goto`), the whole login is made again from a clean slate, as a person would: Chromium
    reloads a failed page by itself, and a reloaded callback presents a state the server has
    already consumed ("Invalid state parameter"), so that attempt cannot stand."""
    for attempt in range(3):
        changed: list[str] = []

        def note(request, changed=changed):
            if "ERR_NETWORK_CHANGED" in (request.failure or ""):
                changed.append(request.url)

        page.on("requestfailed", note)
        try:
            goto(page, start)
            login_form(page, again=start)
            page.fill("#username", username)
            page.fill("#password", password)
            page.click("#kc-login")
            page.wait_for_load_state()
            time.sleep(0.5)  # let a failed callback's automatic reload show itself
        finally:
            page.remove_listener("requestfailed", note)
        if not (changed or page.url.startswith("chrome-error://")) or attempt == 2:
            return
        print(f"login of {username}: the host's network changed ({', '.join(changed[:3]) or page.url}); starting over")
        page.context.clear_cookies()  # Keycloak's session too: the form is shown again
        time.sleep(1)


def browser_login(page, stack: StackHandle, user: User) -> None:
    """Go to MLflow at http://localhost:<port>, through Keycloak's login page."""
    submit_login(page, stack.mlflow_url + "/login", user.username, user.password)
    page.wait_for_url(f"{stack.mlflow_url}/**")


@pytest.fixture(scope="session", autouse=True)
def _artifacts_dir():
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)

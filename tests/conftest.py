"""Shared fixtures: one running stack per test session, in its own state dir and ports.

The stack is the native one (local binaries) by default. The `compose` variant runs the
same tests against the Compose stack through testcontainers when a Docker engine answers,
and skips with the reason otherwise. Each test makes its own users and experiments.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mlflow_oidc_stack.compose import Rendered, base_command, render  # noqa: E402
from mlflow_oidc_stack.native import NativeStack  # noqa: E402
from mlflow_oidc_stack.scratch import free_port, make_env, state_dir  # noqa: E402,F401
from mlflow_oidc_stack.stack import docker_engine  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
COMPOSE_TEST_PROJECT = "mlflow-oidc-stack-test"


@dataclass
class StackHandle:
    mode: str
    env_file: Path
    rendered: Rendered
    state: Path
    native: NativeStack | None = None
    compose: object = None

    @property
    def mlflow_url(self) -> str:
        return self.rendered.mlflow_url()

    def _compose(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(base_command(self.env_file, COMPOSE_TEST_PROJECT) + list(args), **kwargs)

    def restart(self, service: str) -> None:
        if self.native:
            self.native.restart(service, self.rendered)
        else:
            self._compose("restart", service, check=True)
            self._compose("up", "--wait", "--no-recreate", check=True)

    def stop(self, service: str) -> None:
        if self.native:
            self.native.stop(service)
        else:
            self._compose("stop", service, check=True)

    def start(self, service: str) -> None:
        if self.native:
            self.native.start(service, self.rendered)
        else:
            self._compose("up", "--wait", service, check=True)

    def logs(self) -> str:
        if self.native:
            return self.native.logs(lines=80)
        proc = self._compose("logs", "--tail", "80", capture_output=True, text=True)
        return proc.stdout + proc.stderr


_STACKS: list[StackHandle] = []


@pytest.fixture(scope="session", params=["native", "compose"])
def stack(request, tmp_path_factory) -> StackHandle:
    mode = request.param
    if mode == "compose":
        ok, why = docker_engine()
        if not ok:
            pytest.skip(f"compose variant needs a Docker engine: {why}")
    reuse = os.environ.get("TEST_REUSE_STACK")  # "ENV_FILE:STATE_DIR" of a running native stack
    if reuse and mode == "native":
        # For quick local iterations only: a stack started with `scripts/stack up`.
        env_file, state = (Path(p) for p in reuse.split(":", 1))
        native = NativeStack(env_file, state)
        handle = StackHandle(mode, env_file, render(env_file), state, native=native)
        _STACKS.append(handle)
        yield handle
        return
    base = tmp_path_factory.mktemp(f"stack-{mode}")
    env_file = make_env(base / ".env", MLFLOW_WORKERS="3")
    rendered = render(env_file)
    # PostgreSQL runs as the `postgres` user when we are root: its data must be reachable
    # by that user, which pytest's private (0700) tmp dirs are not.
    state = state_dir(f"test-{mode}")
    if mode == "native":
        native = NativeStack(env_file, state)
        try:
            native.up(timeout=420)
        except Exception:
            print(native.logs(lines=120))
            native.down()
            raise
        handle = StackHandle(mode, env_file, rendered, state, native=native)
        _STACKS.append(handle)
        yield handle
        native.down()
        shutil.rmtree(state, ignore_errors=True)
    else:
        from testcontainers.compose import DockerCompose

        # The tests' own project (and volumes), never the user's `mlflow-oidc-stack`:
        # COMPOSE_PROJECT_NAME outranks the file's `name:`; StackHandle passes the same -p.
        os.environ["COMPOSE_PROJECT_NAME"] = COMPOSE_TEST_PROJECT
        compose = DockerCompose(context=str(ROOT / "compose"), compose_file_name="docker-compose.yml",
                                env_file=str(env_file), build=True, wait=True)
        compose.start()
        handle = StackHandle(mode, env_file, rendered, state, compose=compose)
        _STACKS.append(handle)
        yield handle
        compose.stop()


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
    from mlflow_oidc_stack.oidc import keycloak_admin

    return keycloak_admin(stack.rendered)


@pytest.fixture
def make_user(kc_admin, stack):
    """Create a realm user with a full profile and non-temporary password; removed afterwards."""
    created = []

    def _make(*groups: str, prefix: str = "user") -> User:
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        password = uuid.uuid4().hex
        email = f"{name}@example.org"
        uid = kc_admin.create_user({
            "username": name, "email": email, "emailVerified": True, "enabled": True,
            "firstName": prefix.capitalize(), "lastName": name.split("-")[-1],
            "credentials": [{"type": "password", "value": password, "temporary": False}]})
        for group in groups:
            kc_admin.group_user_add(uid, kc_admin.get_group_by_path(f"/{group}")["id"])
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
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make setup` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    p = context.new_page()
    p.set_default_timeout(30_000)
    yield p
    context.close()


def browser_login(page, stack: StackHandle, user: User) -> None:
    """Go to MLflow at http://localhost:<port>, through Keycloak's login page."""
    page.goto(stack.mlflow_url + "/login")
    page.wait_for_selector("#kc-form-login")
    page.fill("#username", user.username)
    page.fill("#password", user.password)
    page.click("#kc-login")
    page.wait_for_url(f"{stack.mlflow_url}/**")


@pytest.fixture(scope="session", autouse=True)
def _artifacts_dir():
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)

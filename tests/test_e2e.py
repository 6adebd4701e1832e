"""End-to-end: real Keycloak, PostgreSQL, Redis, mlflow-oidc-auth and Chromium.

Every test runs against the session's stack (native here; the compose variant of the same
tests skips without a Docker engine) and makes its own users and experiments.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from conftest import ARTIFACTS, browser_login, goto, login_form, see
from mlflow_oidc_stack.keycloak.admin import browser_session, http_login, user_token
from mlflow_oidc_stack.ops.bench import tree_pids
from mlflow_oidc_stack.runtime import server_env

pytestmark = pytest.mark.stack

API = "/api/2.0/mlflow"


def current_user(session_or_request, base: str):
    return session_or_request.get(f"{base}{API}/users/current")


def screenshot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"{name}.png"), full_page=True)


def test_keycloak_starts_its_build_without_building_again(stack):
    """The image (compose) and the pre-built copy (native) carry exactly the render's build
    options, so `kc.sh start` goes straight to starting: no ~20 s "Updating the server image"
    on every `make up` (a build that left metrics-enabled unset against a start that said
    false did that)."""
    log = stack.runtime.logs(["keycloak"], lines=5000)
    assert "started in" in log, log[-2000:]
    assert "Changes detected in configuration" not in log, log[:2000]
    assert "Quarkus augmentation completed" not in log, log[:2000]


def test_the_mlflow_server_process_is_its_uvicorn(stack):
    """`mlflow-oidc-stack-server` becomes the uvicorn that `mlflow server` launches: no idle
    parent holding a copy of the app (~230 MiB), and signals reach uvicorn directly."""
    if stack.mode == "native":
        cmdline = Path(f"/proc/{stack.runtime.pids()['mlflow']}/cmdline").read_bytes()
    else:
        proc = subprocess.run(
            stack.runtime.command("exec", "-T", "mlflow", "cat", "/proc/1/cmdline"), capture_output=True, timeout=60
        )
        assert proc.returncode == 0, proc.stderr
        cmdline = proc.stdout
    args = cmdline.decode().split("\0")
    assert "uvicorn" in args and "mlflow" not in [Path(a).name for a in args[:2]], args


def _mlflow_processes(stack) -> dict[int, tuple[int, str, str]]:
    """pid: (parent pid, command line, mapped files) of every process of the MLflow server."""
    script = (
        "for d in /proc/[0-9]*; do p=${d#/proc/}; [ -r $d/maps ] || continue; "
        # \\100 is `@`: the marker must not be in this script's own command line, which is listed too.
        'printf "\\100\\100%s %s " "$p" "$(cut -d" " -f4 $d/stat)"; tr "\\0" " " < $d/cmdline; echo; '
        "awk '{print $6}' $d/maps | sort -u; done"
    )
    if stack.mode == "native":
        pids = tree_pids(stack.runtime.pids()["mlflow"])
        out = subprocess.run(
            ["sh", "-c", script.replace("/proc/[0-9]*", " ".join(f"/proc/{p}" for p in pids))],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    else:
        proc = subprocess.run(
            stack.runtime.command("exec", "-T", "mlflow", "sh", "-c", script),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        out = proc.stdout
    found = {}
    for block in out.split("@@")[1:]:
        head, _, maps = block.partition("\n")
        pid, ppid, cmdline = (head.split(" ", 2) + ["", ""])[:3]
        if not (pid.isdigit() and ppid.isdigit()):  # a process that ended while it was listed
            continue
        found[int(pid)] = (int(ppid), cmdline.strip(), maps)
    # Not the health check's `python -c` (Docker runs it beside the server).
    return {
        pid: info
        for pid, info in found.items()
        if "mlflow_oidc_stack_server" in info[1] or "multiprocessing" in info[1]
    }


def test_the_mlflow_workers_are_forked_from_the_built_app(stack):
    """MLFLOW_PRELOAD_APP (default true): the server builds the app once and forks its workers
    from it, instead of each worker importing it again in a fresh interpreter (measured: 9 s
    less CPU at start, 166 MiB less PSS, docs/measured.md#mlflow-preload)."""
    assert stack.rendered.env("mlflow")["MLFLOW_PRELOAD_APP"] == "true"
    procs = _mlflow_processes(stack)
    masters = [pid for pid, (ppid, _, _) in procs.items() if ppid not in procs]
    assert len(masters) == 1, procs.keys()
    master = masters[0]
    workers = [pid for pid, (ppid, _, _) in procs.items() if ppid == master]
    assert len(workers) == int(stack.rendered.option("mlflow", "--workers")), {p: i[:2] for p, i in procs.items()}
    cmdline, maps = procs[master][1], procs[master][2]
    assert "mlflow_oidc_stack_server uvicorn" in cmdline, cmdline
    # The app is built in the server itself (pydantic's core comes with FastAPI, which uvicorn
    # alone never imports), and a forked worker keeps its parent's command line, where a
    # spawned one would run `multiprocessing.spawn`.
    assert "/pydantic_core/_pydantic_core" in maps, "the app is not built in the server process"
    for pid in workers:
        assert procs[pid][1] == cmdline, (pid, procs[pid][1])


def test_mlflow_preload_app_takes_true_or_false(stack, tmp_path):
    """Another MLFLOW_PRELOAD_APP stops the server before it starts, saying what to write."""
    if stack.mode == "native":
        venv = server_env.home(server_env.plugin_version(stack.rendered))
        cmd = [str(venv / "bin" / "mlflow-oidc-stack-server"), "server"]
        proc = subprocess.run(
            cmd,
            env={"PATH": "/usr/bin:/bin", "MLFLOW_PRELOAD_APP": "yes"},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    else:
        image = stack.rendered.image("mlflow")
        proc = subprocess.run(
            ["docker", "run", "--rm", "-e", "MLFLOW_PRELOAD_APP=yes", "--entrypoint", "mlflow-oidc-stack-server"]
            + [image, "server"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode != 0, proc.stdout
    assert "MLFLOW_PRELOAD_APP='yes' is neither true nor false" in proc.stderr, proc.stderr[-2000:]
    assert "Write MLFLOW_PRELOAD_APP=true in .env" in proc.stderr


def test_the_mlflow_workers_serve_with_uvloop_and_httptools(stack):
    """The workers run uvicorn's C event loop and HTTP parser (MLFLOW_UVICORN_LOOP/HTTP), not
    the pure-Python asyncio and h11: their shared objects are mapped in the workers."""
    maps = "".join(files for _, _, files in _mlflow_processes(stack).values())
    assert "/uvloop/loop." in maps, "uvloop is not loaded in MLflow's workers"
    assert "/httptools/parser/parser." in maps, "httptools' parser is not loaded in MLflow's workers"


def test_keycloak_runs_with_the_quick_compiler_only(stack):
    """Keycloak's JVM gets KEYCLOAK_JAVA_OPTS_APPEND (`-XX:TieredStopAtLevel=1`: 72 MiB less
    PSS, docs/measured.md#keycloak-c1) and the heap of KEYCLOAK_JAVA_HEAP, as .env says."""
    if stack.mode == "native":
        cmdlines = ""
        for pid in tree_pids(stack.runtime.pids()["keycloak"]):
            try:
                cmdlines += Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ") + "\n"
            except OSError:
                pass
    else:
        proc = subprocess.run(
            stack.runtime.command(
                "exec", "-T", "keycloak", "sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done"
            ),
            capture_output=True,
            text=True,
            timeout=60,
        )
        cmdlines = proc.stdout
    java = [line for line in cmdlines.splitlines() if "io.quarkus" in line or "quarkus-run.jar" in line]
    assert java, cmdlines[-2000:]
    env = stack.rendered.env("keycloak")
    for flag in (*env["JAVA_OPTS_APPEND"].split(), *env["JAVA_OPTS_KC_HEAP"].split()):
        assert flag in java[0].split(), f"{flag} is not on Keycloak's JVM command line: {java[0][:1500]}"
    assert "-XX:TieredStopAtLevel=1" in java[0].split()


# --- 1-3, 5: browser logins ------------------------------------------------------------------


@pytest.mark.browser
def test_admin_logs_in_with_chromium_and_lands_as_admin(stack, make_user, groups, page):
    admin = make_user(groups["admins"], prefix="admin")
    browser_login(page, stack, admin)
    assert urlsplit(page.url).path == "/oidc/ui/user", page.url
    see(page, "You have administrator privileges")
    see(page, f"Hello, Admin {admin.username.split('-')[-1]}")
    screenshot(page, f"admin-landing-{stack.mode}")
    me = current_user(page.request, stack.mlflow_url)
    assert me.status == 200
    assert me.json()["is_admin"] is True
    assert me.json()["username"] == admin.email.lower()


@pytest.mark.browser
def test_users_group_member_is_not_admin_and_can_log_a_run(stack, make_user, groups, page):
    user = make_user(groups["users"], prefix="member")
    browser_login(page, stack, user)
    see(page, f"Hello, Member {user.username.split('-')[-1]}")
    assert page.get_by_text("You have administrator privileges").count() == 0
    screenshot(page, f"member-landing-{stack.mode}")
    api = page.request
    me = current_user(api, stack.mlflow_url).json()
    assert me["is_admin"] is False
    assert [g["group_name"] for g in me["groups"]] == [groups["users"]]

    exp = api.post(f"{stack.mlflow_url}{API}/experiments/create", data={"name": f"exp-{user.username}"})
    assert exp.status == 200, exp.text()
    exp_id = exp.json()["experiment_id"]
    run = api.post(f"{stack.mlflow_url}{API}/runs/create", data={"experiment_id": exp_id, "start_time": 1})
    assert run.status == 200, run.text()
    run_id = run.json()["run"]["info"]["run_id"]
    logged = api.post(
        f"{stack.mlflow_url}{API}/runs/log-metric",
        data={"run_id": run_id, "key": "loss", "value": 0.25, "timestamp": 1, "step": 0},
    )
    assert logged.status == 200, logged.text()
    got = api.get(f"{stack.mlflow_url}{API}/runs/get?run_id={run_id}").json()
    assert got["run"]["data"]["metrics"][0]["value"] == 0.25


@pytest.mark.browser
def test_user_in_neither_group_is_refused_and_gets_no_session(stack, make_user, page):
    outsider = make_user(prefix="outsider")
    browser_login(page, stack, outsider)
    assert urlsplit(page.url).path == "/oidc/ui/auth", page.url
    see(page, "User is not allowed to login")
    screenshot(page, f"refused-{stack.mode}")
    assert current_user(page.request, stack.mlflow_url).status == 401
    assert "error=User+is+not+allowed+to+login" in page.url


def keycloak_sessions(kc_admin, stack, user) -> list:
    """The user's online SSO sessions and the offline sessions MLflow's refresh token holds."""
    realm = stack.rendered.realm
    online = kc_admin.connection.raw_get(f"admin/realms/{realm}/users/{user.id}/sessions").json()
    client = kc_admin.get_client_id(stack.rendered.env("mlflow")["OIDC_CLIENT_ID"])
    offline = kc_admin.connection.raw_get(f"admin/realms/{realm}/users/{user.id}/offline-sessions/{client}").json()
    return online + offline


def silent_authorize(page, stack) -> dict:
    """Ask Keycloak, with the browser's cookies, for a code without a login page
    (`prompt=none`), and return the redirect's query: `code` while the SSO session lives,
    `error=login_required` once it is gone. The redirect is not followed, so MLflow's own
    session is left alone. (A second login through MLflow would retire the first session
    while the first page's UI still has requests in flight.)"""
    env = stack.rendered.env("mlflow")
    params = {
        "response_type": "code",
        "client_id": env["OIDC_CLIENT_ID"],
        "scope": "openid",
        "redirect_uri": env["OIDC_REDIRECT_URI"],
        "prompt": "none",
        "state": uuid.uuid4().hex,
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }
    url = f"{stack.rendered.keycloak_url()}/realms/{stack.rendered.realm}/protocol/openid-connect/auth"
    r = page.request.get(url, params=params, max_redirects=0)
    assert r.status == 302, r.status
    location = urlsplit(r.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == env["OIDC_REDIRECT_URI"]
    return parse_qs(location.query)


@pytest.mark.browser
def test_logout_ends_mlflow_and_keycloak_sessions(stack, make_user, groups, page, kc_admin):
    user = make_user(groups["users"], prefix="leaver")
    browser_login(page, stack, user)
    assert current_user(page.request, stack.mlflow_url).status == 200
    # MLflow's login holds an offline session at Keycloak (OIDC_USE_REFRESH_TOKEN asks for
    # offline_access); Keycloak keeps no browser SSO session beside it (docs/security.md).
    assert keycloak_sessions(kc_admin, stack, user), "Keycloak should hold the login's session"

    # Let the landing page finish its own requests first, as a person would: a request still
    # in flight when the session ends gets 401, and the UI answers that by starting a new
    # login, which races the logout's own redirects.
    page.wait_for_load_state("networkidle")
    goto(page, f"{stack.mlflow_url}/logout")
    page.wait_for_url(f"{stack.mlflow_url}/oidc/ui/auth**")
    screenshot(page, f"logged-out-{stack.mode}")
    assert current_user(page.request, stack.mlflow_url).status == 401
    assert keycloak_sessions(kc_admin, stack, user) == []
    assert silent_authorize(page, stack).get("error") == ["login_required"]
    # A new login must ask for the password again: no single sign-on left behind.
    goto(page, f"{stack.mlflow_url}/login")
    login_form(page, again=f"{stack.mlflow_url}/login")


# --- 4: unauthenticated -------------------------------------------------------------------


def test_unauthenticated_api_is_401_json_and_pages_go_to_login(stack):
    r = requests.get(f"{stack.mlflow_url}{API}/experiments/search?max_results=1", timeout=10)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"detail": "Authentication required"}

    page = requests.get(stack.mlflow_url + "/", headers={"Accept": "text/html"}, allow_redirects=False, timeout=10)
    assert page.status_code in (302, 303, 307)
    assert urlsplit(page.headers["location"]).path.rstrip("/") == "/oidc/ui"


# --- 6: the mlflow Python client ------------------------------------------------------------

SDK_SCRIPT = textwrap.dedent("""
    import json, os, pathlib, sys, tempfile
    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_experiment(sys.argv[1])
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", "0.5")
        mlflow.log_metric("rmse", 0.125)
        path = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
        path.write_text("artifact from the sdk")
        mlflow.log_artifact(str(path))
    client = MlflowClient()
    got = client.get_run(run.info.run_id)
    local = client.download_artifacts(run.info.run_id, "notes.txt", tempfile.mkdtemp())
    print(json.dumps({"params": got.data.params, "metrics": got.data.metrics,
                      "artifact": pathlib.Path(local).read_text()}))
""")


def run_sdk(stack, env: dict, *args: str, script: str = SDK_SCRIPT) -> subprocess.CompletedProcess:
    clean = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(stack.state),
        "MLFLOW_TRACKING_URI": stack.mlflow_url,
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
        **env,
    }
    return subprocess.run([sys.executable, "-c", script, *args], env=clean, capture_output=True, text=True, timeout=180)


def assert_logged(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"params": {"alpha": "0.5"}, "metrics": {"rmse": 0.125}, "artifact": "artifact from the sdk"}


@pytest.mark.slow
def test_sdk_with_user_access_token_logs_params_metrics_and_artifacts(stack, make_user, groups):
    user = make_user(groups["users"], prefix="sdk")
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    token = session.patch(f"{stack.mlflow_url}{API}/users/access-token", json={}).json()["token"]
    proc = run_sdk(
        stack,
        {"MLFLOW_TRACKING_USERNAME": user.email.lower(), "MLFLOW_TRACKING_PASSWORD": token},
        f"sdk-basic-{user.username}",
    )
    assert_logged(proc)


@pytest.mark.slow
def test_sdk_with_keycloak_access_token(stack):
    env = stack.rendered.env("mlflow")
    token = user_token(stack.rendered, env["OIDC_CLIENT_ID"], env["OIDC_CLIENT_SECRET"])["access_token"]
    proc = run_sdk(stack, {"MLFLOW_TRACKING_TOKEN": token}, f"sdk-bearer-{uuid.uuid4().hex[:8]}")
    assert_logged(proc)


REFUSAL_SCRIPT = textwrap.dedent("""
    import json
    import mlflow
    from mlflow.exceptions import MlflowException
    try:
        mlflow.search_experiments()
    except MlflowException as exc:
        print(json.dumps({"status": exc.get_http_status_code(), "message": exc.message}))
    else:
        print(json.dumps({"status": 200}))
""")


def test_sdk_without_credentials_gets_a_clear_401_not_html(stack):
    proc = run_sdk(stack, {}, script=REFUSAL_SCRIPT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    # mlflow wraps any non-MLflow error body as INTERNAL_ERROR; what the user reads is the
    # server's 401 JSON body, not a login page.
    assert "Authentication required" in out["message"], out
    assert "<html" not in out["message"].lower()
    raw = requests.get(f"{stack.mlflow_url}/api/2.0/mlflow/experiments/search?max_results=1", timeout=10)
    assert raw.status_code == 401


def test_sdk_with_a_wrong_token_is_refused(stack, make_user, groups):
    user = make_user(groups["users"], prefix="wrongtoken")
    proc = run_sdk(
        stack,
        {"MLFLOW_TRACKING_USERNAME": user.email, "MLFLOW_TRACKING_PASSWORD": "not-a-token"},
        script=REFUSAL_SCRIPT,
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "Authentication required" in out["message"], out
    raw = requests.get(
        f"{stack.mlflow_url}/api/2.0/mlflow/experiments/search?max_results=1",
        auth=(user.email, "not-a-token"),
        timeout=10,
    )
    assert raw.status_code == 401


# --- 7: shared SECRET_KEY across workers ------------------------------------------------------


@pytest.mark.slow
def test_twenty_fresh_logins_all_succeed_with_several_workers(stack, make_user, groups):
    workers = int(stack.rendered.option("mlflow", "--workers"))
    assert workers >= 2, "this test needs several server workers"
    user = make_user(groups["users"], prefix="repeat")
    failures = []
    for i in range(20):
        session, final = http_login(stack.mlflow_url, user.username, user.password)
        if urlsplit(final.url).path != "/oidc/ui/user" or current_user(session, stack.mlflow_url).status_code != 200:
            failures.append((i, final.url))
    assert failures == []


# --- 8: sessions survive restarts --------------------------------------------------------------


@pytest.mark.slow
def test_session_survives_mlflow_and_redis_restarts(stack, make_user, groups):
    user = make_user(groups["users"], prefix="survivor")
    session, _ = http_login(stack.mlflow_url, user.username, user.password)
    created = session.post(f"{stack.mlflow_url}{API}/experiments/create", json={"name": f"exp-{user.username}"})
    assert created.status_code == 200
    exp_id = created.json()["experiment_id"]

    def still_works():
        assert current_user(session, stack.mlflow_url).status_code == 200
        got = session.get(f"{stack.mlflow_url}{API}/experiments/get?experiment_id={exp_id}")
        assert got.status_code == 200, got.text

    still_works()
    stack.restart("mlflow")
    still_works()
    stack.restart("redis")
    still_works()


# --- 9: the login flow over plain HTTP ---------------------------------------------------------


def test_http_login_flow_with_a_cookie_keeping_client(stack, make_user, groups):
    user = make_user(groups["users"], prefix="http")
    env = stack.rendered.env("mlflow")
    s = browser_session()
    first = s.get(f"{stack.mlflow_url}/login", allow_redirects=False, timeout=10)
    assert first.status_code == 302
    authorize = urlsplit(first.headers["location"])
    # The browser is sent to Keycloak's browser URL, never to an in-network name.
    assert f"{authorize.scheme}://{authorize.netloc}" == stack.rendered.keycloak_url()
    query = parse_qs(authorize.query)
    assert query["redirect_uri"] == [env["OIDC_REDIRECT_URI"]]
    assert query["client_id"] == [env["OIDC_CLIENT_ID"]]
    assert {"openid", "profile", "email"} <= set(query["scope"][0].split())
    assert query["code_challenge_method"] == ["S256"]
    cookie = first.headers["set-cookie"].lower()
    assert cookie.startswith("session=") and "httponly" in cookie and "samesite=lax" in cookie

    session, final = http_login(stack.mlflow_url, user.username, user.password, session=s)
    assert urlsplit(final.url).path == "/oidc/ui/user"
    assert [urlsplit(h.url).path for h in final.history][-1] == "/callback"
    assert current_user(session, stack.mlflow_url).json()["username"] == user.email.lower()

    # A cookie jar that did not start the login cannot finish it (state is in the cookie).
    fresh = browser_session()
    callback = [h.url for h in final.history if urlsplit(h.url).path == "/callback"][0]
    replay = fresh.get(callback, timeout=10)
    assert urlsplit(replay.url).path == "/oidc/ui/auth"
    assert current_user(fresh, stack.mlflow_url).status_code == 401


def test_wrong_password_stays_on_keycloak_and_gets_no_session(stack, make_user, groups):
    from mlflow_oidc_stack.keycloak.admin import LoginError

    user = make_user(groups["users"], prefix="typo")
    s = browser_session()
    with pytest.raises(LoginError, match="rejected the credentials"):
        http_login(stack.mlflow_url, user.username, "wrong-" + user.password, session=s)
    assert current_user(s, stack.mlflow_url).status_code == 401

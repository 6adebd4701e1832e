"""`mlflow-oidc-stack-server server ...`: `mlflow server`, which then becomes the uvicorn it
starts instead of waiting for it.

`mlflow server` imports the whole app (the plugin, MLflow's stores) to prepare the database,
then starts uvicorn as a child and only waits on it, forwarding signals. That idle parent
held ~230 MiB (PSS) for the server's lifetime (docs/measured.md). When MLflow's job runner is
off (the bundle's default), the parent has nothing left to do once uvicorn is launched: here
it execs uvicorn in its place, with the same command and environment MLflow built. Same PID,
so supervisord and Docker signal uvicorn directly. With the job runner on, MLflow's own
launcher runs unchanged (it starts the runner after the server).

Several servers (MLFLOW_REPLICAS) start at once on one database. MLflow creates its tables
and runs its migrations while it prepares, and two servers doing it at once on an empty
database collide (measured: `duplicate key value violates unique constraint
"pg_type_typname_nsp_index"` for `CREATE TABLE alembic_version`, and that server exits). So the
preparation runs under a PostgreSQL advisory lock on the tracking database, released just
before uvicorn takes over: the servers prepare one after the other, and the later ones find
the tables made.

The app is built once, and the workers are forked from it. `mlflow server` imports the app
only to ask whether it is a factory, with the environment it then hands uvicorn still unset;
and uvicorn starts each worker as a fresh interpreter (multiprocessing's spawn) that imports
the whole app again. So the app was built three times per start, on the two cores Keycloak's
start needs too (docs/measured.md#mlflow-preload). Here the `mlflow server` parent answers
"not a factory" for the bundle's app without importing it, and execs
`mlflow_oidc_stack_server uvicorn <MLflow's uvicorn arguments>`. That process builds the app
once, in MLflow's final environment and under the same advisory lock (the plugin migrates its
own database and backfills rows while its app is built), then runs uvicorn's own command line
with its workers forked from it. The workers find the app imported: no second import, and
the pages it fills are shared until a worker writes to them. Before the fork, the database
pools are emptied (a pooled connection must not be shared by two processes) and the
collector's objects frozen, so that a worker's garbage collection does not copy them.
MLFLOW_PRELOAD_APP=false (.env) keeps uvicorn's own start: each worker imports the app.
"""

from __future__ import annotations

import gc
import os
import sys

PREPARE_LOCK = 0x6D6C666C6F77  # pg_advisory_lock key: "mlflow"
_lock = None  # the connection that holds it


def _prepare_alone() -> None:
    """Hold the advisory lock on the tracking database (PostgreSQL only) until `_release`."""
    global _lock
    uri = os.environ.get("MLFLOW_BACKEND_STORE_URI", "")
    if not uri.startswith("postgresql"):
        return
    import psycopg2

    try:
        _lock = psycopg2.connect("postgresql://" + uri.split("://", 1)[1])
        _lock.autocommit = True
        with _lock.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (PREPARE_LOCK,))
    except psycopg2.Error as exc:  # MLflow reports an unreachable database itself
        print(f"mlflow-oidc-stack-server: preparing without the lock ({exc})", file=sys.stderr)
        _lock = None


def _release() -> None:
    global _lock
    if _lock is not None:
        _lock.close()  # the session ends, and its advisory lock with it
        _lock = None


APP = "mlflow_oidc_stack_app:app"  # the `oidc-auth-stack` entry point (pyproject.toml)
UVICORN = [sys.executable, "-m", "uvicorn"]  # how `_build_uvicorn_command` starts uvicorn


def _preload() -> bool:
    value = os.environ.get("MLFLOW_PRELOAD_APP", "true")
    if value not in ("true", "false"):
        sys.exit(
            f"mlflow-oidc-stack-server: MLFLOW_PRELOAD_APP={value!r} is neither true nor false. "
            "Write MLFLOW_PRELOAD_APP=true in .env (the app is built once and the workers forked "
            "from it) or false (each worker imports the app)."
        )
    return value == "true"


def _exec_in_place(cmd, *, extra_env=None, **_kwargs):
    """Become the server MLflow launches; uvicorn with the bundle's app becomes
    `_serve_forked` (this module, `uvicorn` mode) with the same arguments."""
    _release()
    cmd = [str(c) for c in cmd]
    if cmd[: len(UVICORN)] == UVICORN and cmd[-1] == APP and _preload():
        cmd = [sys.executable, "-m", "mlflow_oidc_stack_server", "uvicorn", *cmd[len(UVICORN) :]]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(cmd[0], cmd, {**os.environ, **(extra_env or {})})


def _no_pooled_connections() -> None:
    """Close every SQLAlchemy pool's idle connections: a forked worker would otherwise talk
    to PostgreSQL over a socket its siblings use too."""
    try:
        from sqlalchemy.engine import Engine
    except ImportError:
        return
    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()


def _serve_forked(args: list[str]) -> None:
    """uvicorn's command line, with the app built here once and the workers forked from it."""
    import multiprocessing

    import uvicorn._subprocess
    from uvicorn.config import Config
    from uvicorn.importer import import_from_string
    from uvicorn.main import main as uvicorn_main

    params = uvicorn_main.make_context("uvicorn", list(args)).params
    # The logging and the environment file the workers get, for the build's messages too.
    Config(app=params["app"], log_config=params["log_config"], env_file=params["env_file"])
    _prepare_alone()
    try:
        import_from_string(params["app"])
    finally:
        _release()
    if (params["workers"] or 1) > 1:
        _no_pooled_connections()
        gc.collect()
        gc.freeze()
        # Each worker is a `multiprocessing` child of uvicorn's supervisor (uvicorn/_subprocess.py).
        uvicorn._subprocess.spawn = multiprocessing.get_context("fork")
    uvicorn_main.main(args=list(args), prog_name="uvicorn")


def main() -> None:
    if sys.argv[1:2] == ["uvicorn"]:
        _serve_forked(sys.argv[2:])
        return
    preload = sys.argv[1:2] == ["server"] and _preload()
    import mlflow.server
    from mlflow.cli import cli
    from mlflow.environment_variables import MLFLOW_SERVER_ENABLE_JOB_EXECUTION

    if not MLFLOW_SERVER_ENABLE_JOB_EXECUTION.get():
        # `_run_server` starts the server with the module's `_exec_cmd` (mlflow/server/__init__.py).
        mlflow.server._exec_cmd = _exec_in_place
        if sys.argv[1:2] == ["server"]:
            _prepare_alone()
            if preload:
                # It imports the app only to ask this; the bundle's app is an object, not a factory.
                is_factory = mlflow.server._is_factory
                mlflow.server._is_factory = lambda app: False if app == APP else is_factory(app)
    cli(prog_name="mlflow")


if __name__ == "__main__":
    main()

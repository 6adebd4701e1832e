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
"""

from __future__ import annotations

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


def _exec_in_place(cmd, *, extra_env=None, **_kwargs):
    _release()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(cmd[0], [str(c) for c in cmd], {**os.environ, **(extra_env or {})})


def main() -> None:
    import mlflow.server
    from mlflow.cli import cli
    from mlflow.environment_variables import MLFLOW_SERVER_ENABLE_JOB_EXECUTION

    if not MLFLOW_SERVER_ENABLE_JOB_EXECUTION.get():
        # `_run_server` starts the server with the module's `_exec_cmd` (mlflow/server/__init__.py).
        mlflow.server._exec_cmd = _exec_in_place
        if sys.argv[1:2] == ["server"]:
            _prepare_alone()
    cli(prog_name="mlflow")


if __name__ == "__main__":
    main()

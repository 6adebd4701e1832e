"""`mlflow-oidc-stack-server server ...`: `mlflow server`, which then becomes the uvicorn it
starts instead of waiting for it.

`mlflow server` imports the whole app (the plugin, MLflow's stores) to prepare the database,
then starts uvicorn as a child and only waits on it, forwarding signals. That idle parent
held ~230 MiB (PSS) for the server's lifetime (docs/measured.md). When MLflow's job runner is
off (the bundle's default), the parent has nothing left to do once uvicorn is launched: here
it execs uvicorn in its place, with the same command and environment MLflow built. Same PID,
so supervisord and Docker signal uvicorn directly. With the job runner on, MLflow's own
launcher runs unchanged (it starts the runner after the server).
"""

from __future__ import annotations

import os
import sys


def _exec_in_place(cmd, *, extra_env=None, **_kwargs):
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
    cli(prog_name="mlflow")


if __name__ == "__main__":
    main()

"""mlflow-oidc-auth's app, with the provider metadata loaded before a logout.

The plugin (11.0.2) builds the Keycloak end-session redirect from
`oauth.oidc.server_metadata`, which authlib fills only when that worker process has itself
served a login (`/login` or `/callback`). With several uvicorn workers, a `/logout` that
lands on a worker which never served a login finds no `end_session_endpoint`: it ends the
MLflow session but not Keycloak's, so the next `/login` signs the user straight back in.
Measured here: 1 of every few logouts with 3 workers; always the first logout after a
restart (docs/measured.md). This wrapper loads the metadata (cached by authlib after the
first time) before passing `/logout` to the plugin, which is otherwise untouched.
"""

from __future__ import annotations

import logging

from mlflow_oidc_auth.app import app as plugin_app

logger = logging.getLogger("mlflow_oidc_stack_app")


async def _load_provider_metadata() -> None:
    from mlflow_oidc_auth.oauth import oauth

    try:
        client = oauth.oidc
        if not (getattr(client, "server_metadata", None) or {}).get("end_session_endpoint"):
            await client.load_server_metadata()
    except Exception as exc:  # the plugin's own logout still runs and ends MLflow's session
        logger.warning("could not load the OIDC provider metadata before logout: %s", exc)


class _App:
    """An ASGI app object, not a function: `mlflow server` treats a plain function as an app
    factory and would call it with no arguments."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith("/logout"):
            await _load_provider_metadata()
        await plugin_app(scope, receive, send)


app = _App()

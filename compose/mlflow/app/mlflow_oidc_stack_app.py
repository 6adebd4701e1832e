"""mlflow-oidc-auth's app, with fixes wrapped around it (docs/upstream.md has them).

1. The provider metadata is loaded before a logout, and the refresh token is revoked on the
   back channel (`_revocation_on_the_back_channel`).

The plugin (11.0.2) builds the Keycloak end-session redirect from
`oauth.oidc.server_metadata`, which authlib fills only when that worker process has itself
served a login (`/login` or `/callback`). With several uvicorn workers, a `/logout` that
lands on a worker which never served a login finds no `end_session_endpoint`: it ends the
MLflow session but not Keycloak's, so the next `/login` signs the user straight back in.
Measured here: 1 of every few logouts with 3 workers; always the first logout after a
restart (docs/measured.md). This wrapper loads the metadata (cached by authlib after the
first time) before passing `/logout` to the plugin, which is otherwise untouched.

2. Concurrent first logins do not fail. The plugin provisions a login (user row, groups,
memberships, identity binding) as a read-then-insert in several transactions, so two callbacks
for the same user at once (two tabs, a script) race: the loser hits a unique constraint and
the browser lands on `/oidc/ui/auth?error=Failed to update user/groups` (measured: 1 of 50
concurrent logins, tests/test_load.py). Every step is an upsert once the winner has
committed, so the loser's provisioning is run again, at most twice more.

3. A refusal says what credentials arrived. A 401 or 403 carries
`X-MLflow-Credentials-Received: none|basic|bearer|other`, the scheme of the Authorization
header as it reached this server (never its value). The plugin's 401 is the same whether a
gateway dropped the header or the token was wrong (measured, docs/measured.md); comparing
what the client sent with this header tells them apart (`make doctor-client`).

4. Artifacts go through MLflow only. With an S3 destination (ARTIFACT_STORE=s3), MLflow 3.17
advertises presigned multipart downloads and uploads in `/server-info`, and its client then
fetches from and puts to the S3 endpoint directly, at the address MLflow itself uses
(`http://s3:8333`, which no client can reach: measured, a 66 s hang, then "Failed to download
artifacts"). The bundle's contract is proxied artifacts: clients talk to MLflow alone, and S3 is
never exposed. So `/server-info` says neither is on, and the presigned and multipart-upload
endpoints answer 404 (a client that forces them falls back to the proxied path).

5. The login's token exchange waits as long as the plugin's own OIDC_HTTP_TIMEOUT_SECONDS.
The plugin applies that setting to discovery and JWKS fetches only; the callback's code-for-
token request keeps httpx's 5 s default, and 50 logins at once on 2 busy cores left some of
them behind Keycloak's password hashing for longer: "Failed to process authentication
response" (`OIDC token exchange error (httpx2.ReadTimeout)`, tests/test_load.py in CI).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import mlflow.server.handlers as _mlflow_handlers
import mlflow.server.server_info_api as _mlflow_server_info
import mlflow_oidc_auth.routers.auth as _auth_router
from authlib.integrations.starlette_client import StarletteOAuth2App
from mlflow_oidc_auth.app import app as plugin_app
from mlflow_oidc_auth.config import config as _plugin_config
from mlflow_oidc_auth.repository.user_identity import UserIdentityRepository

logger = logging.getLogger("mlflow_oidc_stack_app")


def _revocation_on_the_back_channel(metadata: dict) -> None:
    """Keycloak with KC_HOSTNAME_BACKCHANNEL_DYNAMIC advertises its token endpoint on the host
    the server asked (`keycloak:8080`) but its revocation endpoint on the browser-facing one
    (`localhost:8080`), which does not answer inside the MLflow container: the plugin's logout
    then fails to revoke the session's refresh token (`auth.token_revocation_failed ...
    ConnectError`, measured) and the offline session outlives the logout. Same path, the
    token endpoint's origin."""
    token, revoke = metadata.get("token_endpoint"), metadata.get("revocation_endpoint")
    if isinstance(token, str) and isinstance(revoke, str):
        t, r = urlsplit(token), urlsplit(revoke)
        if (t.scheme, t.netloc) != (r.scheme, r.netloc):
            metadata["revocation_endpoint"] = urlunsplit((t.scheme, t.netloc, r.path, r.query, r.fragment))


async def _load_provider_metadata() -> None:
    from mlflow_oidc_auth.oauth import oauth

    try:
        client = oauth.oidc
        if not (getattr(client, "server_metadata", None) or {}).get("end_session_endpoint"):
            await client.load_server_metadata()
        _revocation_on_the_back_channel(client.server_metadata)
    except Exception as exc:  # the plugin's own logout still runs and ends MLflow's session
        logger.warning("could not load the OIDC provider metadata before logout: %s", exc)


_RACE_MARKERS = ("unique", "duplicate", "already exists", "integrityerror")


def _is_insert_race(exc: BaseException) -> bool:
    """A unique-constraint loss, however the plugin's store wrapped it."""
    seen: BaseException | None = exc
    while seen is not None:
        text = f"{type(seen).__name__} {seen}".lower()
        if any(marker in text for marker in _RACE_MARKERS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _again_on_race(fn):
    """`fn`, run again (at most twice more) when it loses a unique-constraint race."""

    def again(*args, **kwargs):
        for attempt in range(3):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if attempt == 2 or not _is_insert_race(exc):
                    raise
                logger.warning("a concurrent login wrote the same rows first; trying again: %s", exc)
        raise AssertionError("unreachable")

    again.__wrapped__ = fn  # type: ignore[attr-defined]
    return again


# The callback looks `_provision_login` up in its module at call time, so this replaces it
# there. The identity binding is a step of its own that reports a failure as "Could not
# complete sign-in" rather than raising, so it gets the same treatment where it is defined.
_auth_router._provision_login = _again_on_race(_auth_router._provision_login)
UserIdentityRepository.link = _again_on_race(UserIdentityRepository.link)  # type: ignore[method-assign]


def _proxied_artifacts_only(build):
    """The server-info payload, saying that no artifact transfer bypasses MLflow."""

    def payload():
        out = build()
        out["multipart_uploads_enabled"] = False
        out["multipart_downloads_enabled"] = False
        return out

    payload.__wrapped__ = build  # type: ignore[attr-defined]
    return payload


_plain_oauth_client = StarletteOAuth2App._get_oauth_client


def _oauth_client_with_timeout(self, **metadata):
    if "timeout" not in self.client_kwargs:
        metadata.setdefault("timeout", _plugin_config.OIDC_HTTP_TIMEOUT_SECONDS)
    return _plain_oauth_client(self, **metadata)


StarletteOAuth2App._get_oauth_client = _oauth_client_with_timeout  # type: ignore[method-assign]

# Flask's handler looks the builder up in its module; the FastAPI route imported the name.
_mlflow_handlers.build_server_info_payload = _proxied_artifacts_only(_mlflow_handlers.build_server_info_payload)
_mlflow_server_info.build_server_info_payload = _mlflow_handlers.build_server_info_payload
# Direct-to-storage transfers: presigned download URLs, multipart uploads with presigned parts.
_DIRECT_TO_STORAGE = ("/mlflow-artifacts/presigned", "/mlflow-artifacts/mpu/", "/mlflow/artifacts/presigned-")


async def _not_found(send) -> None:
    body = b'{"error_code": "ENDPOINT_NOT_FOUND", "message": "artifacts are served through MLflow only"}'
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


CREDENTIALS_HEADER = b"x-mlflow-credentials-received"


def _credentials_received(scope) -> bytes:
    for name, value in scope.get("headers") or []:
        if name == b"authorization":
            scheme = value.split(b" ", 1)[0].lower()
            return scheme if scheme in (b"basic", b"bearer") else b"other"
    return b"none"


class _App:
    """An ASGI app object, not a function: `mlflow server` treats a plain function as an app
    factory and would call it with no arguments."""

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await plugin_app(scope, receive, send)
            return
        if any(part in scope["path"] for part in _DIRECT_TO_STORAGE):
            await _not_found(send)
            return
        if scope["path"].rstrip("/").endswith("/logout"):
            await _load_provider_metadata()
        received = _credentials_received(scope)

        async def send_saying_what_arrived(message):
            if message["type"] == "http.response.start" and message.get("status") in (401, 403):
                message = {**message, "headers": [*message.get("headers", []), (CREDENTIALS_HEADER, received)]}
            await send(message)

        await plugin_app(scope, receive, send_saying_what_arrived)


app = _App()

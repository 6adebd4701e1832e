"""Network probes that run where a service's clients run.

Standard library only (psycopg2 optional), and importing nothing from this package: the
doctor runs this module in-process for the native stack, and ships its source into the
mlflow container (`python - < probe.py`) for Compose, so both modes probe with the same code.
As a script it reads a JSON list of probe specs on stdin and writes a JSON list of results.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(spec: dict) -> dict:
    data = spec.get("data")
    req = urllib.request.Request(
        spec["url"],
        method=spec.get("method", "GET"),
        data=data.encode() if data is not None else None,
        headers=spec.get("headers") or {},
    )
    handlers: list = [_NoRedirect]
    if spec.get("cafile"):  # verify against this CA only (the HTTPS profile's back channel)
        import ssl

        handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=spec["cafile"])))
    opener = urllib.request.build_opener(*handlers)
    try:
        resp = opener.open(req, timeout=spec.get("timeout", 5))
    except urllib.error.HTTPError as exc:
        resp = exc
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"}
    body = resp.read(20000).decode("utf-8", "replace")
    return {
        "status": getattr(resp, "status", None) or resp.code,
        "content_type": resp.headers.get("Content-Type", ""),
        "location": resp.headers.get("Location", ""),
        "body": body,
    }


def tcp(spec: dict) -> dict:
    try:
        socket.create_connection((spec["host"], int(spec["port"])), timeout=spec.get("timeout", 3)).close()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}


def resp(sock: socket.socket, *parts: str, bufsize: int = 512) -> bytes:
    """One Redis command over RESP, and what the server answered (up to `bufsize` bytes)."""
    sock.sendall(
        f"*{len(parts)}\r\n".encode()
        + b"".join(f"${len(p.encode())}\r\n".encode() + p.encode() + b"\r\n" for p in parts)
    )
    return sock.recv(bufsize)


def redis(spec: dict) -> dict:
    """AUTH (when the URL has a password) and PING over RESP; ok only on +PONG."""
    u = urllib.parse.urlsplit(spec["url"])
    password = urllib.parse.unquote(u.password or "")
    try:
        s = socket.create_connection((u.hostname, u.port or 6379), timeout=spec.get("timeout", 3))
    except Exception as exc:
        return {"ok": False, "connected": False, "error": f"{type(exc).__name__}: {exc}"}
    with s:

        def cmd(*parts: str) -> str:
            return resp(s, *parts).decode("utf-8", "replace").strip()

        try:
            if password:
                reply = cmd("AUTH", u.username, password) if u.username else cmd("AUTH", password)
                if not reply.startswith("+OK"):
                    return {"ok": False, "connected": True, "error": reply}
            reply = cmd("PING")
        except OSError as exc:
            return {"ok": False, "connected": True, "error": f"{type(exc).__name__}: {exc}"}
        good = reply.startswith("+PONG")
        return {"ok": good, "connected": True, "error": "" if good else reply}


def pg(spec: dict) -> dict:
    try:
        import psycopg2
    except ImportError as exc:
        return {"ok": False, "error": f"psycopg2 is not installed where the probe runs: {exc}"}
    try:
        psycopg2.connect(
            host=spec["host"],
            port=spec["port"],
            user=spec["user"],
            password=spec["password"],
            dbname=spec["dbname"],
            connect_timeout=5,
        ).close()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": " ".join(str(exc).split())}


KINDS = {"http": http, "tcp": tcp, "redis": redis, "pg": pg}


def run(specs: list[dict]) -> list[dict]:
    return [KINDS[s["kind"]](s) for s in specs]


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)

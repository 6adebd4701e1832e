"""Reading `.env` files and filling their secrets (`make secrets`).

The secrets are the PASSWORD/SECRET variables that `.env.example` leaves empty: an empty value cannot
work, because compose refuses it (`${VAR:?...}`). Filling never overwrites a value that
is set, so running it twice keeps every value.

Reading uses python-dotenv without interpolation: a `.env` is data here, and Compose does
the interpolation when it renders (config/render.py). Writing keeps every other line as it
is, and every file that may hold a secret is created 0600 from its first byte.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import string
import sys
from pathlib import Path

from .. import ENV_EXAMPLE, ROOT, StackError

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")

# Values people paste from guides; treated like an empty value, never as a real secret.
PLACEHOLDERS = {
    "",
    "change-me",
    "changeme",
    "change_me",
    "changethis",
    "secret",
    "password",
    "admin",
    "xxx",
    "todo",
    "replace-me",
    "<secret>",
    "your-secret-here",
}

_ALPHABET = string.ascii_letters + string.digits  # safe inside URLs and JDBC strings


def write_private(path: Path, data: str | bytes) -> None:
    """Write a file that may hold secrets: 0600 from its first byte, then renamed into place
    (an interrupted write leaves the old file whole)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing leftover keeps its mode otherwise
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def copy_private(src: Path, dest: Path) -> None:
    write_private(dest, Path(src).read_bytes())


def parse(text: str) -> dict[str, str]:
    """Parse dotenv text as Compose does (python-dotenv, no interpolation)."""
    from io import StringIO

    from dotenv import dotenv_values

    return {k: ("" if v is None else v) for k, v in dotenv_values(stream=StringIO(text), interpolate=False).items()}


def read(path: Path) -> dict[str, str]:
    try:
        return parse(Path(path).read_text())
    except FileNotFoundError:
        raise StackError(f"{path} does not exist: run `make secrets` to create it from .env.example") from None


SECRET_NAME = re.compile(r"PASSWORD|SECRET")


def secret_names(example: Path = ENV_EXAMPLE) -> list[str]:
    """The secrets: the PASSWORD and SECRET variables that `.env.example` leaves empty on
    purpose (other empty settings, such as METRICS_ENABLED, are empty because empty is off)."""
    return [k for k, v in read(example).items() if v == "" and SECRET_NAME.search(k)]


def is_placeholder(value: str | None) -> bool:
    return value is None or value.strip().lower() in PLACEHOLDERS


def generate(name: str) -> str:
    length = 64 if name.endswith("SECRET_KEY") else 32
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def set_values(path: Path, updates: dict[str, str]) -> None:
    """Set KEY=value lines in place, keeping every other line (comments included) as it is."""
    path = Path(path)
    lines = path.read_text().splitlines() if path.exists() else []
    pending = dict(updates)
    out = []
    for line in lines:
        m = _LINE.match(line)
        if m and m.group(1) in pending:
            out.append(f"{m.group(1)}={pending.pop(m.group(1))}")
        else:
            out.append(line)
    out.extend(f"{k}={v}" for k, v in pending.items())
    write_private(path, "\n".join(out) + "\n")


def backup(path: Path) -> Path:
    """Keep the current version as `<name>.bak` (0600) before a change."""
    bak = Path(path).with_name(Path(path).name + ".bak")
    copy_private(path, bak)
    return bak


def update(path: Path, updates: dict[str, str]) -> None:
    """Change settings of an existing .env, keeping the previous version as .bak."""
    if Path(path).exists():
        backup(path)
    set_values(path, updates)


def fill_secrets(env_path: Path, example: Path = ENV_EXAMPLE) -> list[str]:
    """Create env_path from the example if needed and fill empty or placeholder secrets.

    Returns the names that were filled. Values that are set are never changed; when an
    existing file is changed, the previous version is kept as `<name>.bak`.
    """
    env_path = Path(env_path)
    created = not env_path.exists()
    if created:
        copy_private(example, env_path)
    current = read(env_path)
    example_values = read(example)
    names = secret_names(example)
    updates: dict[str, str] = {}
    for name in names:
        if is_placeholder(current.get(name)):
            updates[name] = generate(name)
    # Settings added to .env.example since this .env was made: add them with their default.
    for name, value in example_values.items():
        if name not in current and name not in updates:
            updates[name] = value
    if updates:
        if not created:
            backup(env_path)
        set_values(env_path, updates)
    return [n for n in updates if n in names]


def ensure_secrets(env_path: Path) -> str | None:
    """What `make up` does before starting: a new .env with fresh secrets, or the secrets added
    to .env.example since this one was made (filled; a value that is set is never changed).
    An empty secret that has its line is the user's to fill (`make secrets`). Returns what
    was done, in words, or None."""
    env_path = Path(env_path)
    if not env_path.exists():
        return f"created {env_path} with new secrets ({', '.join(fill_secrets(env_path))})"
    if set(secret_names()) - set(read(env_path)):
        filled = fill_secrets(env_path)
        return f"added new secrets to {env_path} ({', '.join(filled)}; previous file kept as .bak)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="secrets",
        description="Create .env from .env.example and fill every empty secret with a strong "
        "random value. Values already set are never overwritten; safe to re-run.",
    )
    parser.add_argument(
        "--env-file",
        default=os.environ.get("ENV_FILE", str(ROOT / ".env")),
        help="the .env file to create or fill (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    env_path = Path(args.env_file)
    try:
        filled = fill_secrets(env_path)
    except (OSError, StackError) as exc:
        print(f"secrets: {exc}", file=sys.stderr)
        return 1
    if filled:
        print(f"secrets: wrote {len(filled)} new secret(s) to {env_path}: {', '.join(filled)}")
    else:
        print(f"secrets: {env_path} already has every secret; nothing changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

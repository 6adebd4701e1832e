"""`make backup` / `make restore`: everything the stack keeps, in one archive, with the
servers' own tools.

An archive (`.tar`, mode 0600 from its first byte) holds:

* `manifest.json`: what it is (kind, format), the mode, the time, the versions (images,
  PostgreSQL server, mlflow-oidc-auth pin, Keycloak), and the SHA-256 of every member;
* `db/<database>.dump`: `pg_dump --format=custom` of MLflow's tracking store, the auth
  plugin's database and Keycloak's (users, password hashes, groups, clients);
* `artifacts.tar`: the artifact store (MLflow's volume, or the objects of the S3 bucket with
  ARTIFACT_STORE=s3, at their keys: the same tree either way, so one restores onto the other);
* `env`: the `.env`, only with `--with-env` (it holds every secret).

Restore checks the whole archive first (readable, ours, every checksum), so a broken or
foreign file is refused before anything is touched. It refuses to overwrite existing data
unless CONFIRM=yes. It then starts PostgreSQL only, recreates and restores the three
databases with pg_restore, puts the artifacts back, and starts the whole stack.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from .. import ROOT, StackError
from ..config import envfile
from ..config.facts import Rendered
from ..config.render import render
from ..runtime.cli import choose_mode
from ..runtime.common import default_state_dir
from ..runtime.compose import ComposeStack
from ..runtime.keycloak_dist import keycloak_version
from ..runtime.native import LOOPBACK, NativeStack, find_postgres_bin, volume_dirs
from ..runtime.server_env import plugin_version

KIND = "mlflow-oidc-stack-backup"
FORMAT = 1
ARTIFACTS = "/mlflow/artifacts"


def databases(r: Rendered) -> list[str]:
    """The databases of the render: every store a service logs in to."""
    return list(dict.fromkeys(login.dbname for login in r.db_logins()))


# --- how each runtime reaches the data ----------------------------------------------------


class S3Artifacts:
    """The bucket of ARTIFACT_STORE=s3 (compose/s3.yml), through the S3 server's port on
    loopback with MLflow's own identity. Objects go into the tar at their keys."""

    def __init__(self, r: Rendered, endpoint: str | None = None):
        import boto3

        env = r.env("s3")
        self.bucket = env["S3_BUCKET"]
        endpoint = endpoint or f"http://{LOOPBACK}:{r.public_port('s3', 8333)}"
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )
        self.where = f"s3://{self.bucket} at {endpoint}"

    @contextlib.contextmanager
    def errors(self, doing: str):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError) as exc:
            raise StackError(f"{doing} {self.where} failed ({exc}): is the stack up (`make up`)?") from None

    def keys(self):
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for obj in page.get("Contents") or []:
                yield obj["Key"], obj["Size"]

    def out(self, out: BinaryIO) -> None:
        with self.errors("reading the artifacts from"), tarfile.open(fileobj=out, mode="w|") as tar:
            for key, size in self.keys():
                info = tarfile.TarInfo("./" + key)
                info.size, info.mtime, info.mode = size, int(time.time()), 0o644
                tar.addfile(info, self.client.get_object(Bucket=self.bucket, Key=key)["Body"])

    def into(self, src: Path) -> None:
        with self.errors("restoring the artifacts into"), tarfile.open(src) as tar:
            for member in tar:
                if member.isfile():
                    body = tar.extractfile(member)
                    assert body is not None
                    self.client.upload_fileobj(body, self.bucket, member.name.removeprefix("./"))

    def empty(self) -> bool:
        with self.errors("listing"):
            return next(self.keys(), None) is None


class _Data:
    """What both runtimes do alike; the subclasses say how they reach PostgreSQL and the
    artifact store (MLflow's volume; the S3 bucket is reached alike in both)."""

    stack: Any  # ComposeStack or NativeStack: both have up(only=...)
    r: Rendered

    def psql(self, db: str, sql: str) -> str:
        raise NotImplementedError

    def start_db(self) -> None:
        """PostgreSQL, and the S3 server when artifacts live there."""
        self.stack.up(only=["postgres", *(["s3"] if self.s3 else [])])

    @cached_property
    def s3(self) -> S3Artifacts | None:
        return S3Artifacts(self.r) if "s3" in self.r.services else None

    def artifacts_out(self, out: BinaryIO) -> None:
        self.s3.out(out) if self.s3 else self.volume_out(out)

    def artifacts_in(self, src: Path) -> None:
        self.s3.into(src) if self.s3 else self.volume_in(src)

    def artifacts_empty(self) -> bool:
        return self.s3.empty() if self.s3 else self.volume_empty()

    def volume_out(self, out: BinaryIO) -> None:
        raise NotImplementedError

    def volume_in(self, src: Path) -> None:
        raise NotImplementedError

    def volume_empty(self) -> bool:
        raise NotImplementedError

    def start_all(self) -> None:
        self.stack.up()

    def postgres_version(self) -> str:
        return self.psql("postgres", "SHOW server_version")

    def close(self) -> None:
        """Let go of what reaching the data took (KubeData's port-forward)."""


class ComposeData(_Data):
    stack: ComposeStack

    def __init__(self, stack: ComposeStack, r: Rendered):
        self.stack, self.r = stack, r
        self.user = r.env("postgres")["POSTGRES_USER"]

    def psql(self, db: str, sql: str) -> str:
        proc = self.stack.exec("postgres", "psql", "-v", "ON_ERROR_STOP=1", "-U", self.user, "-d", db, "-tAc", sql)
        if proc.returncode != 0:
            raise StackError(f"psql on {db} failed: {proc.stderr.strip()}")
        return proc.stdout.strip()

    def dump(self, db: str, out: BinaryIO) -> None:
        proc = subprocess.run(
            self.stack.command("exec", "-T", "postgres", "pg_dump", "-U", self.user, "--format=custom", db),
            stdout=out,
            stderr=subprocess.PIPE,
        )
        if proc.returncode != 0:
            raise StackError(f"pg_dump {db} failed: {proc.stderr.decode(errors='replace').strip()}")

    def restore(self, db: str, dump: Path) -> None:
        with open(dump, "rb") as f:
            proc = subprocess.run(
                self.stack.command(
                    "exec", "-T", "postgres", "pg_restore", "-U", self.user, "--no-owner", "--role", self.user, "-d", db
                ),
                stdin=f,
                capture_output=True,
            )
        if proc.returncode != 0:
            raise StackError(f"pg_restore {db} failed: {proc.stderr.decode(errors='replace').strip()[-800:]}")

    def _artifacts(self, *cmd: str, **kwargs) -> subprocess.CompletedProcess:
        # A throwaway container of the mlflow image with the artifact volume: works whether the
        # mlflow container runs or not.
        return subprocess.run(
            self.stack.command(
                "run", "--rm", "--no-deps", "-T", "--user", "root", "--entrypoint", "tar", "mlflow", *cmd
            ),
            **kwargs,
        )

    def volume_out(self, out: BinaryIO) -> None:
        proc = self._artifacts("-C", ARTIFACTS, "-cf", "-", ".", stdout=out, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            raise StackError(f"reading the artifacts failed: {proc.stderr.decode(errors='replace').strip()}")

    def volume_in(self, src: Path) -> None:
        with open(src, "rb") as f:
            proc = self._artifacts("-C", ARTIFACTS, "--same-owner", "-xf", "-", stdin=f, capture_output=True)
        if proc.returncode != 0:
            raise StackError(f"restoring the artifacts failed: {proc.stderr.decode(errors='replace').strip()}")
        fix = subprocess.run(
            self.stack.command(
                "run",
                "--rm",
                "--no-deps",
                "-T",
                "--user",
                "root",
                "--entrypoint",
                "chown",
                "mlflow",
                "-R",
                "mlflow:mlflow",
                ARTIFACTS,
            ),
            capture_output=True,
        )
        if fix.returncode != 0:
            raise StackError(f"chown of the artifacts failed: {fix.stderr.decode(errors='replace')}")

    def volume_empty(self) -> bool:
        proc = self._artifacts("-C", ARTIFACTS, "-cf", "/dev/null", ".", capture_output=True)
        listing = subprocess.run(
            self.stack.command("run", "--rm", "--no-deps", "-T", "--entrypoint", "ls", "mlflow", "-A", ARTIFACTS),
            capture_output=True,
            text=True,
        )
        return proc.returncode == 0 and not listing.stdout.strip()

    def stop_clients(self) -> None:
        self.stack.compose("stop", *CLIENTS)


class NativeData(_Data):
    stack: NativeStack

    def __init__(self, stack: NativeStack, r: Rendered):
        self.stack, self.r = stack, r
        env = r.env("postgres")
        self.user, self.password = env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]
        self.port = str(r.listen_port("postgres", r.internal_port("postgres")))
        self.artifacts = volume_dirs(r, "mlflow", stack.state)[ARTIFACTS]

    def _pg(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        env = {**os.environ, "PGPASSWORD": self.password}
        return subprocess.run(
            [str(find_postgres_bin() / tool), "-h", LOOPBACK, "-p", self.port, "-U", self.user, *args],
            env=env,
            **kwargs,
        )

    def psql(self, db: str, sql: str) -> str:
        proc = self._pg("psql", "-v", "ON_ERROR_STOP=1", "-d", db, "-tAc", sql, capture_output=True, text=True)
        if proc.returncode != 0:
            raise StackError(f"psql on {db} failed: {proc.stderr.strip()}")
        return proc.stdout.strip()

    def dump(self, db: str, out: BinaryIO) -> None:
        proc = self._pg("pg_dump", "--format=custom", db, stdout=out, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            raise StackError(f"pg_dump {db} failed: {proc.stderr.decode(errors='replace').strip()}")

    def restore(self, db: str, dump: Path) -> None:
        proc = self._pg("pg_restore", "--no-owner", "--role", self.user, "-d", db, str(dump), capture_output=True)
        if proc.returncode != 0:
            raise StackError(f"pg_restore {db} failed: {proc.stderr.decode(errors='replace').strip()[-800:]}")

    def volume_out(self, out: BinaryIO) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=out, mode="w|") as tar:
            tar.add(self.artifacts, arcname=".")

    def volume_in(self, src: Path) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        with tarfile.open(src) as tar:
            tar.extractall(self.artifacts, filter="data")

    def volume_empty(self) -> bool:
        return not self.artifacts.exists() or not any(self.artifacts.iterdir())

    def stop_clients(self) -> None:
        if self.stack.running():
            for name in CLIENTS:
                self.stack.stop(name)


class KubeData(_Data):
    """The chart's release with its services in the cluster (`make k8s-up`, inCluster): the same
    three databases through `kubectl exec` in the PostgreSQL pod, the same bucket through
    `kubectl port-forward` to the S3 Service. The render is k8s-up's own (its .env with the
    HTTPS profile and S3), whose secrets the release was installed with."""

    def __init__(self, install, r: Rendered):
        self.install, self.r = install, r
        self.user = "mlflow"  # the chart's in-cluster PostgreSQL user (templates/incluster.yaml)
        self.forward: subprocess.Popen | None = None
        self.replicas: dict[str, int] = {}
        if not self.name("postgres"):
            raise StackError(
                f"release {install.release} in namespace {install.namespace} has no in-cluster PostgreSQL "
                "(inCluster.enabled=false): back up its external databases and bucket where they run, "
                "with pg_dump -Fc and your S3 tooling (docs/kubernetes.md#backing-up)"
            )

    def argv(self, *args: str) -> list[str]:
        """A kubectl command line in the release's namespace, for streamed input or output."""
        return self.install.cluster.kubectl_argv(
            "--namespace", self.install.namespace, *args, kubeconfig=self.install.kubeconfig
        )

    def kubectl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.install.kubectl("--namespace", self.install.namespace, *args, check=check)

    def selector(self, component: str) -> str:
        return f"app.kubernetes.io/instance={self.install.release},app.kubernetes.io/component={component}"

    def name(self, component: str) -> str:
        """deployment/<name> of one of the release's services (by its labels)."""
        return self.kubectl("get", "deployment", "-l", self.selector(component), "-o", "name").stdout.strip()

    def _pg(self, *cmd: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv("exec", "-i", self.name("postgres"), "--", *cmd), **kwargs)

    def psql(self, db: str, sql: str) -> str:
        proc = self._pg(
            "psql", "-v", "ON_ERROR_STOP=1", "-U", self.user, "-d", db, "-tAc", sql, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise StackError(f"psql on {db} failed: {proc.stderr.strip()}")
        return proc.stdout.strip()

    def dump(self, db: str, out: BinaryIO) -> None:
        proc = self._pg("pg_dump", "-U", self.user, "--format=custom", db, stdout=out, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            raise StackError(f"pg_dump {db} failed: {proc.stderr.decode(errors='replace').strip()}")

    def restore(self, db: str, dump: Path) -> None:
        with open(dump, "rb") as f:
            proc = self._pg(
                "pg_restore", "-U", self.user, "--no-owner", "--role", self.user, "-d", db, stdin=f, capture_output=True
            )
        if proc.returncode != 0:
            raise StackError(f"pg_restore {db} failed: {proc.stderr.decode(errors='replace').strip()[-800:]}")

    @cached_property
    def s3(self) -> S3Artifacts | None:
        if "s3" not in self.r.services or not self.name("s3"):
            return None
        self.forward = subprocess.Popen(
            self.argv(
                "port-forward", self.name("s3").replace("deployment.apps/", "service/"), ":8333", "--address", LOOPBACK
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.forward.stdout is not None
        line = self.forward.stdout.readline()  # Forwarding from 127.0.0.1:<port> -> 8333
        if "Forwarding from" not in line:
            why = self.forward.stderr.read() if self.forward.stderr else ""
            raise StackError(f"kubectl port-forward to the S3 Service failed: {line}{why[-400:]}")
        port = line.split("->")[0].rsplit(":", 1)[1].strip()
        return S3Artifacts(self.r, endpoint=f"http://{LOOPBACK}:{port}")

    def volume_out(self, out: BinaryIO) -> None:
        raise StackError(
            "the release keeps its artifacts on a volume: `make backup ARGS=--k8s` reads the S3 store only"
        )

    volume_in = volume_out  # type: ignore[assignment]

    def volume_empty(self) -> bool:
        return True

    def start_db(self) -> None:
        for component in ("postgres", "s3"):
            if self.name(component):
                self.kubectl("rollout", "status", self.name(component), "--timeout=5m", check=False)

    def stop_clients(self) -> None:
        """MLflow's servers and Keycloak hold the databases open: scale both to 0, and remember
        how many there were."""
        for component in ("mlflow", "keycloak"):
            name = self.name(component)
            self.replicas[name] = int(self.kubectl("get", name, "-o", "jsonpath={.spec.replicas}").stdout or 1)
            self.kubectl("scale", name, "--replicas=0")
            self.kubectl("wait", "--for=delete", "pod", "-l", self.selector(component), "--timeout=3m", check=False)

    def start_all(self) -> None:
        for name, n in self.replicas.items():
            self.kubectl("scale", name, f"--replicas={n}")
        for name in self.replicas:
            proc = self.kubectl("rollout", "status", name, "--timeout=10m", check=False)
            if proc.returncode != 0:
                raise StackError(f"{name} did not come back after the restore: {proc.stderr.strip()[-400:]}")

    def close(self) -> None:
        if self.forward:
            self.forward.terminate()
            self.forward.wait()


def data_access(mode: str, env_file: Path, state: Path, out=None):
    if mode == "k8s":
        from .kube import KubeInstall

        install = KubeInstall(env_file, out=out or io.StringIO())
        install.connect()
        return KubeData(install, render(install.profile_env()))
    r = render(env_file)
    if mode == "compose":
        return ComposeData(ComposeStack(env_file, state, out=out), r)
    return NativeData(NativeStack(env_file, state, out=out), r)


# --- backup -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _private_file(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def versions(data, r: Rendered) -> dict:
    plugin = plugin_version(r)
    return {
        "postgres": data.postgres_version(),
        "keycloak": keycloak_version(r),
        "mlflow_oidc_auth": plugin,
        "images": {s: r.image(s) for s in r.services},
    }


def backup(mode: str, env_file: Path, state: Path, dest: Path | None = None, with_env: bool = False, say=print) -> Path:
    with contextlib.closing(data_access(mode, env_file, state, out=io.StringIO())) as data:
        return _backup(data, mode, env_file, dest, with_env, say)


def _backup(data, mode: str, env_file: Path, dest: Path | None, with_env: bool, say) -> Path:
    r = data.r
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    dest = Path(dest or ROOT / "backups" / f"mlflow-oidc-stack-{stamp}.tar")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        data.psql("postgres", "SELECT 1")
    except StackError as exc:
        raise StackError(
            f"the stack's PostgreSQL does not answer ({exc}): `make up` first; a backup is "
            "taken from the running stack with pg_dump"
        ) from None
    with tempfile.TemporaryDirectory(prefix="backup-", dir=dest.parent) as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        members: dict[str, Path] = {}
        (work / "db").mkdir()
        for db in databases(r):
            t = time.monotonic()
            path = work / "db" / f"{db}.dump"
            with _private_file(path) as f:
                data.dump(db, f)
            members[f"db/{db}.dump"] = path
            say(f"backup: database {db}: {path.stat().st_size / 1e6:.1f} MB ({time.monotonic() - t:.1f} s)")
        t = time.monotonic()
        path = work / "artifacts.tar"
        with _private_file(path) as f:
            data.artifacts_out(f)
        members["artifacts.tar"] = path
        say(f"backup: artifacts: {path.stat().st_size / 1e6:.1f} MB ({time.monotonic() - t:.1f} s)")
        if with_env:
            path = work / "env"
            envfile.copy_private(env_file, path)
            members["env"] = path
            say("backup: .env included (--with-env): the archive holds every secret; keep it safe")
        manifest = {
            "kind": KIND,
            "format": FORMAT,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "mode": mode,
            "databases": databases(r),
            "versions": versions(data, r),
            "with_env": with_env,
            "sha256": {name: _sha256(p) for name, p in members.items()},
        }
        mpath = work / "manifest.json"
        with _private_file(mpath) as f:
            f.write(json.dumps(manifest, indent=2).encode())
        partial = dest.with_name(dest.name + ".partial")
        with _private_file(partial) as f, tarfile.open(fileobj=f, mode="w") as tar:
            tar.add(mpath, arcname="manifest.json")
            for name, p in members.items():
                tar.add(p, arcname=name)
        os.replace(partial, dest)
    return dest


# --- restore ------------------------------------------------------------------------------


def read_archive(path: Path, into: Path) -> dict:
    """Unpack and verify an archive; a StackError names what is wrong. Touches nothing else."""
    if not path.is_file():
        raise StackError(f"{path} does not exist")
    try:
        with tarfile.open(path) as tar:
            names = tar.getnames()
            if "manifest.json" not in names:
                raise StackError(f"{path} is not a mlflow-oidc-stack backup (no manifest.json); nothing was changed")
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise StackError(f"{path} is not a readable backup archive ({exc}); nothing was changed") from None
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except ValueError:
        raise StackError(f"{path}: manifest.json is not JSON; nothing was changed") from None
    if manifest.get("kind") != KIND:
        raise StackError(
            f"{path} is not a mlflow-oidc-stack backup (kind {manifest.get('kind')!r}); nothing was changed"
        )
    if manifest.get("format") != FORMAT:
        raise StackError(
            f"{path} has backup format {manifest.get('format')}, this version reads {FORMAT}; nothing was changed"
        )
    for name, digest in (manifest.get("sha256") or {}).items():
        member = into / name
        if not member.is_file() or _sha256(member) != digest:
            raise StackError(
                f"{path} is damaged: {name} is missing or does not match its checksum; nothing was changed"
            )
    for db in manifest.get("databases") or []:
        if f"db/{db}.dump" not in manifest.get("sha256", {}):
            raise StackError(f"{path} lacks the dump of database {db}; nothing was changed")
    return manifest


# What writes to the databases, stopped while they are restored (the user sync first: it
# writes through MLflow).
CLIENTS = ("sync-users", "mlflow", "keycloak")


def _own_sync_account(r: Rendered) -> str:
    client = (r.env("sync-users") if "sync-users" in r.services else {}).get("SYNC_CLIENT_ID", "")
    return f"service-account-{client}".lower().replace("'", "''")


def existing_data(data, r: Rendered) -> list[str]:
    """What a restore would overwrite: users, runs, experiments beyond Default, artifacts."""
    found = []
    try:
        data.start_db()
    except StackError:
        raise
    ml = r.env("mlflow")
    from urllib.parse import urlsplit

    tracking = urlsplit(ml["MLFLOW_BACKEND_STORE_URI"]).path.lstrip("/")
    auth = urlsplit(ml["OIDC_USERS_DB_URI"]).path.lstrip("/")
    queries = [
        (tracking, "SELECT count(*) FROM runs", "runs"),
        (tracking, "SELECT count(*) FROM experiments WHERE experiment_id <> 0", "experiments"),
        (tracking, "SELECT count(*) FROM registered_models", "registered models"),
        # The user sync's own account appears on its first run, in an empty stack too.
        (auth, f"SELECT count(*) FROM users WHERE username <> '{_own_sync_account(r)}'", "MLflow users"),
        (
            r.env("keycloak")["KC_DB_URL"].rsplit("/", 1)[1].split("?")[0],
            f"SELECT count(*) FROM user_entity u JOIN realm re ON re.id = u.realm_id "
            f"WHERE re.name = '{r.realm}' AND u.service_account_client_link IS NULL",
            "Keycloak users",
        ),
    ]
    for db, sql, what in queries:
        try:
            n = int(data.psql(db, sql) or 0)
        except (StackError, ValueError):
            continue  # no such table yet: an empty store
        if n:
            found.append(f"{n} {what}")
    if not data.artifacts_empty():
        found.append("artifacts")
    return found


def restore(mode: str, env_file: Path, state: Path, archive: Path, confirm: bool, say=print) -> dict:
    with tempfile.TemporaryDirectory(prefix="restore-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        manifest = read_archive(archive, work)
        with contextlib.closing(data_access(mode, env_file, state, out=io.StringIO())) as data:
            return _restore(data, work, manifest, archive, confirm, say)


def _restore(data, work: Path, manifest: dict, archive: Path, confirm: bool, say) -> dict:
    r = data.r
    missing = [db for db in databases(r) if db not in manifest["databases"]]
    if missing:
        raise StackError(f"{archive} has no dump of {', '.join(missing)}, which this stack uses; nothing was changed")
    say(
        f"restore: {archive.name}: {manifest['mode']} backup of {manifest['created']} "
        f"(PostgreSQL {manifest['versions']['postgres']}, Keycloak {manifest['versions']['keycloak']})"
    )
    found = existing_data(data, r)
    if found and not confirm:
        raise StackError(
            f"this stack already holds data ({', '.join(found)}): restoring would replace it. "
            "Run `make backup` first if you want to keep it, then `make restore "
            f"BACKUP={archive} CONFIRM=yes`; nothing was changed"
        )
    data.stop_clients()
    owner = data.user
    for db in manifest["databases"]:
        t = time.monotonic()
        data.psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        data.psql("postgres", f'CREATE DATABASE "{db}" OWNER "{owner}"')
        data.restore(db, work / "db" / f"{db}.dump")
        say(f"restore: database {db} ({time.monotonic() - t:.1f} s)")
    t = time.monotonic()
    data.artifacts_in(work / "artifacts.tar")
    say(f"restore: artifacts ({time.monotonic() - t:.1f} s)")
    t = time.monotonic()
    data.start_all()
    say(f"restore: stack up again ({time.monotonic() - t:.1f} s)")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="backup", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("backup", help="write an archive of the running stack")
    b.add_argument("--with-env", action="store_true", help="also store the .env (every secret) in the archive")
    b.add_argument("--output", help="the archive's path (default: backups/mlflow-oidc-stack-<time>.tar)")
    rs = sub.add_parser("restore", help="restore an archive onto this checkout's stack")
    rs.add_argument("archive")
    for p in (b, rs):
        p.add_argument("--env-file", default=os.environ.get("ENV_FILE", str(ROOT / ".env")))
        p.add_argument("--state-dir", default=str(default_state_dir()))
        p.add_argument(
            "--k8s",
            action="store_true",
            help="the Helm release of `make k8s-up` (KUBECONFIG's cluster, else this host's test cluster) "
            "instead of the Compose or native stack",
        )
    args = parser.parse_args(argv)
    env_file, state = Path(args.env_file), Path(args.state_dir)
    try:
        mode = "k8s" if args.k8s else choose_mode(state, for_up=False)[0]
        if args.action == "backup":
            path = backup(mode, env_file, state, Path(args.output) if args.output else None, args.with_env)
            print(f"backup: {path.stat().st_size / 1e6:.1f} MB, mode 0600")
            print(path)
        else:
            restore(mode, env_file, state, Path(args.archive), os.environ.get("CONFIRM", "").lower() == "yes")
            print("restore: done; users, tokens, runs and artifacts are back")
        return 0
    except StackError as exc:
        print(f"{args.action}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

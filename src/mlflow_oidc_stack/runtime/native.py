"""The native stack: the compose services run from local binaries, without a Docker engine.

Configuration is the render of compose/docker-compose.yml (`docker compose config --format
json`): each service's environment, command, published ports and volumes. The only changes
are the ones a host without containers needs, each made here in one place:

* service hostnames (`postgres:5432`, `keycloak:8080`, ...) become loopback addresses
  (`to_loopback`);
* container paths of named volumes become directories under the state dir (`map_volumes`);
* listeners bind to the published address and port instead of 0.0.0.0 inside a container.

What differs per service (how to prepare it, what to run, how to tell it is healthy) is one
`ServiceSpec` each. Processes run under supervisord (one per state dir), driven through its
XML-RPC interface, so they are started and stopped by PID with their whole process group,
and `make down` leaves no orphans.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import xmlrpc.client
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from .. import ROOT, StackError, probe
from ..config.envfile import write_private
from ..config.facts import Rendered
from ..config.render import render
from . import server_env
from .common import (
    LOOPBACK,
    DataMismatch,
    _http_ok,
    check_db_logins,
    default_state_dir,
    find_postgres_bin,
    free_loopback_port,
    port_in_use,
)
from .keycloak_dist import archive_options, find_java_home
from .keycloak_dist import install as install_keycloak
from .keycloak_scratch import prebuilt as keycloak_prebuilt

# How long `up` waits for every service to be healthy. Keycloak's first start on an empty
# database is CPU-bound (schema, realm import): 34 s on an idle 2-core machine, but 2 min 41 s
# for the schema alone beside two test suites and Go builds (docs/measured.md). Compose waits
# as long or longer (150 probes, each up to 5 s, after a 60 s start period).
UP_TIMEOUT = 600.0
# Keycloak logs every failed health probe ("Reporting health down status") at INFO: four a
# second while it starts. A log tail without them shows where the start is.
PROBE_REPORT = "SRHCK01001"
__all__ = ["NativeStack", "default_state_dir", "to_loopback", "map_volumes", "plan", "SPECS"]


# --- configuration mapping ------------------------------------------------------------------


def to_loopback(value: str, rendered: Rendered) -> str:
    """Rewrite `service:port` addresses in a URL, JDBC URL or host list to loopback.

    `http://keycloak:8080/realms/x` -> `http://127.0.0.1:<published port>/realms/x`;
    `...@postgres:5432/db` -> `...@127.0.0.1:5432/db`. Only a service name directly
    preceded by `//`, `@`, `,` or the start of the value and followed by its internal port
    is rewritten, so passwords or paths that merely contain a service name are left alone.
    """
    for service in rendered.services:
        ports = [p.target for p in rendered.ports(service)]
        try:
            ports.append(rendered.internal_port(service))
        except (KeyError, TypeError, ValueError):
            pass
        for port in dict.fromkeys(ports):  # e.g. Keycloak's 8080, and 8543 behind the HTTPS profile
            pattern = re.compile(rf"(^|//|@|,){re.escape(service)}:{port}(?![0-9])")
            value = pattern.sub(rf"\g<1>{LOOPBACK}:{rendered.listen_port(service, port)}", value)
    # A service's fixed address on a compose network (the HTTPS profile's proxy, which MLflow
    # and Keycloak trust for forwarded headers) is loopback too.
    for address in rendered.fixed_addresses():
        value = re.sub(rf"(?<![0-9.]){re.escape(address)}(?![0-9])", LOOPBACK, value)
    return value


def unescape(value: str) -> str:
    """Compose keeps `$$` (a literal `$`) escaped in its render; a shell needs one `$`."""
    return value.replace("$$", "$")


def volume_dirs(rendered: Rendered, service: str, state: Path) -> dict[str, Path]:
    """Container path -> host path, for a service's named volumes and bind mounts."""
    out = {}
    for vol in rendered.volumes(service):
        if vol.get("type") == "volume":
            out[vol["target"]] = state / "volumes" / vol["source"]
        elif vol.get("type") == "bind":
            out[vol["target"]] = Path(vol["source"])
    return out


def map_volumes(value: str, mounts: dict[str, Path]) -> str:
    """A container path in a value becomes its host path: the whole value, or what follows
    the `=` of a command-line flag (`-dir=/data`)."""
    flag, eq, rest = value.partition("=")
    if eq and flag.startswith("-"):
        return flag + eq + map_volumes(rest, mounts)
    for target, host in sorted(mounts.items(), key=lambda kv: -len(kv[0])):
        if value == target or value.startswith(target + "/"):
            return str(host) + value[len(target) :]
    return value


# --- what runs ------------------------------------------------------------------------


@dataclass
class Listen:
    host: str
    port: int
    variable: str  # the .env variable that sets it


@dataclass
class Program:
    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    listens: list[Listen]
    mounts: dict[str, Path]
    user: str | None = None
    log_max_bytes: str = "20MB"  # from the service's compose `logging` options
    log_backups: int = 2
    service: str = ""  # the compose service it runs: its name, or mlflow for mlflow-2, mlflow-3...

    def __post_init__(self) -> None:
        self.service = self.service or self.name


def mlflow_bin(rendered: Rendered) -> Path:
    """`mlflow` of the server environment of the render's plugin version (installed by
    `make setup` for the default, on first use for another)."""
    return server_env.ensure(server_env.plugin_version(rendered), out=sys.stderr) / "bin" / "mlflow"


def make_volume_dirs(p: Program) -> None:
    """The program's working dir and the host dirs of its named volumes."""
    p.cwd.mkdir(parents=True, exist_ok=True)
    for host in p.mounts.values():
        if "volumes" in host.parts:
            host.mkdir(parents=True, exist_ok=True)


class ServiceSpec:
    """How one compose service runs natively. Subclasses override what differs."""

    name = ""

    def user(self) -> str | None:
        return None

    def program(
        self, r: Rendered, state: Path, env: dict[str, str], command: list[str], mounts: dict[str, Path]
    ) -> Program:
        port = r.internal_port(self.name)
        return Program(
            self.name,
            command,
            env,
            state,
            [Listen(LOOPBACK, port, r.port_variable(self.name, port))],
            mounts,
            self.user(),
        )

    def prepare(self, stack: NativeStack, p: Program, r: Rendered) -> None:
        """Before supervisord starts (data dirs, initdb, a fresh Keycloak copy)."""
        p.cwd.mkdir(parents=True, exist_ok=True)

    def healthy(self, r: Rendered, p: Program | None = None) -> bool:
        """Answering its health probe (`p`: which of a service's replicas)."""
        raise NotImplementedError

    def started(self, stack: NativeStack, p: Program, r: Rendered) -> None:
        """After the service is healthy, before its dependants start."""


INITDB_D = "/docker-entrypoint-initdb.d"


class Postgres(ServiceSpec):
    name = "postgres"
    DATA = "/var/lib/postgresql/data"

    def user(self) -> str | None:
        return "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root

    def program(self, r, state, env, command, mounts):
        port = r.internal_port("postgres")
        assert command[0] == "postgres", command
        cmd = [
            str(find_postgres_bin() / "postgres"),
            "-D",
            str(mounts[self.DATA]),
            *command[1:],
            "-c",
            f"listen_addresses={LOOPBACK}",
            "-c",
            f"unix_socket_directories={state / 'run'}",
        ]
        return Program(
            "postgres",
            cmd,
            env,
            mounts[self.DATA],
            [Listen(LOOPBACK, port, r.port_variable("postgres", port))],
            mounts,
            self.user(),
        )

    def prepare(self, stack, p, r):
        run = stack.state / "run"
        if p.user:
            shutil.chown(run, p.user)
        data = p.mounts[self.DATA]
        if (data / "PG_VERSION").exists():
            return
        env = r.env("postgres")
        data.mkdir(parents=True, exist_ok=True)
        pwfile = run / "initdb.pw"
        stack.write_private(pwfile, env["POSTGRES_PASSWORD"] + "\n")
        try:
            if p.user:
                for path in (data, pwfile):
                    shutil.chown(path, p.user)
            stack.say("native: initialising PostgreSQL data directory")
            cmd = [
                str(find_postgres_bin() / "initdb"),
                "-D",
                str(data),
                "-U",
                env["POSTGRES_USER"],
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
            if p.user:
                cmd = ["runuser", "-u", p.user, "--"] + cmd
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                shutil.rmtree(data, ignore_errors=True)  # it was empty before: nothing is lost
                raise StackError(f"initdb failed: {proc.stderr.strip() or proc.stdout.strip()}")
        finally:
            pwfile.unlink(missing_ok=True)

    def healthy(self, r, p=None):
        env = r.env("postgres")
        return (
            subprocess.run(
                [
                    str(find_postgres_bin() / "pg_isready"),
                    "-q",
                    "-h",
                    LOOPBACK,
                    "-p",
                    env["PGPORT"],
                    "-U",
                    env["POSTGRES_USER"],
                    "-d",
                    env["POSTGRES_DB"],
                ]
            ).returncode
            == 0
        )

    def started(self, stack, p, r):
        # The data must belong to this .env before anything else logs in with it: try the
        # first client's login against the `postgres` database, which every cluster has.
        logins = r.db_logins()
        data = str(p.mounts[self.DATA])
        check_db_logins(r, [(login, self._login_error(r, login, "postgres")) for login in logins[:1]], data)
        env = r.env("postgres")
        run_env = {
            "PATH": f"{find_postgres_bin()}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            **env,
            "PGHOST": LOOPBACK,
            "PGPASSWORD": env["POSTGRES_PASSWORD"],
        }
        # The container's /docker-entrypoint-initdb.d, mirrored with links to the mounted files
        # (a script finds its companions under INITDB_DIR); its top-level *.sh run in order.
        initdb_dir = stack.state / "run" / "initdb.d"
        shutil.rmtree(initdb_dir, ignore_errors=True)
        for target, source in p.mounts.items():
            if target.startswith(INITDB_D + "/"):
                link = initdb_dir / Path(target).relative_to(INITDB_D)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(source)
        run_env["INITDB_DIR"] = str(initdb_dir)
        for script in sorted(initdb_dir.glob("*.sh")):
            proc = subprocess.run(["sh", str(script)], env=run_env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise StackError(f"{script.name} failed: {proc.stderr.strip()}")
        check_db_logins(r, [(login, self._login_error(r, login)) for login in logins], data)

    @staticmethod
    def _login_error(r, login, dbname: str | None = None) -> str | None:
        result = probe.pg(
            {
                "host": LOOPBACK,
                "port": r.listen_port("postgres", login.port),
                "user": login.user,
                "password": login.password,
                "dbname": dbname or login.dbname,
            }
        )
        return None if result.get("ok") else result.get("error")


class Redis(ServiceSpec):
    name = "redis"

    def program(self, r, state, env, command, mounts):
        env["REDIS_BIND"] = LOOPBACK  # the compose default binds every interface of the container
        port = r.internal_port("redis")
        return Program(
            "redis", command, env, mounts["/data"], [Listen(LOOPBACK, port, r.port_variable("redis", port))], mounts
        )

    def healthy(self, r, p=None):
        env = r.env("redis")
        return probe.redis({"url": f"redis://:{env['CACHE_REDIS_PASSWORD']}@{LOOPBACK}:{r.internal_port('redis')}/0"})[
            "ok"
        ]


class Keycloak(ServiceSpec):
    name = "keycloak"
    HOME = "/opt/keycloak"

    def program(self, r, state, env, command, mounts):
        home = state / "keycloak"
        http = r.published("keycloak", 8080)
        mgmt = r.published("keycloak", 9000)
        if http is None or mgmt is None:
            raise StackError("the keycloak service must publish ports 8080 and 9000 for the native stack")
        env.update(
            {
                "JAVA_HOME": str(find_java_home()),
                "KC_HTTP_HOST": http.host_ip,
                "KC_HTTP_PORT": str(http.published),
                "KC_HTTP_MANAGEMENT_PORT": str(mgmt.published),
            }
        )
        listens = [
            Listen(http.host_ip, http.published, r.port_variable("keycloak", 8080)),
            Listen(mgmt.host_ip, mgmt.published, r.port_variable("keycloak", 9000)),
        ]
        if env.get("KC_HTTPS_PORT"):  # the HTTPS profile's back channel (compose/proxy.yml)
            https = r.published("keycloak", int(env["KC_HTTPS_PORT"]))
            if https is None:
                raise StackError(f"the keycloak service must publish its KC_HTTPS_PORT {env['KC_HTTPS_PORT']}")
            env["KC_HTTPS_PORT"] = str(https.published)
            listens.append(Listen(https.host_ip, https.published, r.port_variable("keycloak", https.target)))
        # The pre-built copy was built with exactly the render's build options
        # (keycloak_dist.build_options), so `start` may skip its change check and re-build.
        if command[:1] == ["start"] and "--optimized" not in command:
            command = ["start", "--optimized", *command[1:]]
        return Program(
            "keycloak",
            [str(home / "bin" / "kc.sh"), *command],
            env,
            home,
            listens,
            mounts,
        )

    def prepare(self, stack, p, r):
        from . import tls

        tls.ensure(r)  # behind the HTTPS profile: its own certificate, and the CA MLflow trusts
        dist = keycloak_prebuilt(r, out=io.StringIO())  # made by `make setup`; rebuilt if options changed
        # `start` writes into its install dir: every start gets a fresh copy of the cached one.
        install_keycloak(dist, p.cwd)
        if options := archive_options(r, dist):
            p.env["JAVA_OPTS_APPEND"] = f"{p.env.get('JAVA_OPTS_APPEND', '')} {options}".strip()
        for target, source in p.mounts.items():
            if target.startswith(self.HOME + "/lib/"):
                raise StackError(f"the native stack cannot mount {target}: lib/ is the cached Keycloak's")
            if target.startswith(self.HOME + "/"):
                dest = p.cwd / Path(target).relative_to(self.HOME)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)

    def healthy(self, r, p=None):
        return _http_ok(r.keycloak_management_url() + "/health/ready")


class Mlflow(ServiceSpec):
    name = "mlflow"

    def program(self, r, state, env, command, mounts):
        http = r.published("mlflow", r.internal_port("mlflow"))
        cmd = list(command)
        # `mlflow` or the bundle's launcher around it, from the server environment.
        assert cmd[0] in ("mlflow", "mlflow-oidc-stack-server"), cmd
        cmd[0] = str(mlflow_bin(r).with_name(cmd[0]))
        cmd[cmd.index("--host") + 1] = http.host_ip
        cmd[cmd.index("--port") + 1] = str(http.published)
        return Program(
            "mlflow",
            cmd,
            env,
            state / "mlflow",
            [Listen(http.host_ip, http.published, r.port_variable("mlflow", r.internal_port("mlflow")))],
            mounts,
        )

    def prepare(self, stack, p, r):
        make_volume_dirs(p)

    def healthy(self, r, p=None):
        url = f"http://{LOOPBACK}:{p.listens[0].port}" if p else r.mlflow_url(LOOPBACK)
        return _http_ok(url + "/health/ready")

    @staticmethod
    def replicas(r: Rendered, first: Program) -> list[Program]:
        """MLFLOW_REPLICAS servers: the first as planned, the others (mlflow-2, ...) on the next
        ports of the published range, with their own working dirs."""
        out = [first]
        for i, port in enumerate(r.published("mlflow", r.internal_port("mlflow")).all[1:], start=2):  # type: ignore[union-attr]
            cmd = list(first.command)
            cmd[cmd.index("--port") + 1] = str(port)
            listen = Listen(first.listens[0].host, port, first.listens[0].variable)
            out.append(
                replace(
                    first,
                    name=f"mlflow-{i}",
                    command=cmd,
                    env=dict(first.env),
                    cwd=first.cwd.with_name(f"mlflow-{i}"),
                    listens=[listen],
                    service="mlflow",
                )
            )
        return out


class SyncUsers(ServiceSpec):
    """The user sync's loop (compose/mlflow/app/mlflow_oidc_stack_sync.py), run by the MLflow
    server environment's Python. It listens on nothing; running is healthy."""

    name = "sync-users"

    def program(self, r, state, env, command, mounts):
        cmd = list(command)
        assert cmd[0] == "python", cmd
        cmd[0] = str(mlflow_bin(r).parent / "python")
        if "--heartbeat" in cmd:  # the container's /tmp file: the state dir's, here
            cmd[cmd.index("--heartbeat") + 1] = str(state / self.name / "last")
        return Program(self.name, cmd, env, state / self.name, [], mounts)

    def healthy(self, r, p=None):
        return True


def find_caddy() -> str:
    found = shutil.which("caddy")
    if not found:
        raise StackError(
            "caddy not found: the HTTPS profile (PUBLIC_URL in .env) needs it; run `make setup` "
            "(installs Debian's caddy package)"
        )
    return found


class Proxy(ServiceSpec):
    """The HTTPS profile's Caddy (compose/proxy.yml), Debian's binary, listening on the
    published address and port of PUBLIC_URL."""

    name = "proxy"

    def program(self, r, state, env, command, mounts):
        port = r.ports(self.name)[0]
        cmd = list(command)
        assert cmd[0] == "caddy", cmd
        cmd[0] = find_caddy()
        env["PROXY_BIND"] = port.host_ip
        env["CADDY_ADMIN"] = "off"  # no admin port to share among stacks; the health probe is the public port
        # Every MLflow server (MLFLOW_REPLICAS): Caddy spreads the requests over them.
        mlflow = r.published("mlflow", r.internal_port("mlflow"))
        if mlflow is not None and mlflow.count > 1:
            env["MLFLOW_UPSTREAM"] = " ".join(f"{LOOPBACK}:{port}" for port in mlflow.all)
        return Program(
            self.name, cmd, env, state / self.name, [Listen(port.host_ip, port.published, "PUBLIC_URL")], mounts
        )

    def prepare(self, stack, p, r):
        from . import tls

        tls.ensure(r)
        make_volume_dirs(p)

    def healthy(self, r, p=None):
        return proxy_redirects(r)


class S3(ServiceSpec):
    """The S3 artifact store's SeaweedFS (compose/s3.yml): `weed` built from the Go module
    proxy (runtime/seaweedfs.py). Every component listens on loopback: the S3 gateway on its
    published port, the master, volume server and filer (and their gRPC ports) on free ones."""

    name = "s3"
    GATEWAY = 8333
    INTERNAL = (
        "master.port",
        "master.port.grpc",
        "volume.port",
        "volume.port.grpc",
        "filer.port",
        "filer.port.grpc",
        "s3.port.grpc",
    )

    def program(self, r, state, env, command, mounts):
        from . import seaweedfs

        port = r.published(self.name, self.GATEWAY)
        if port is None:
            raise StackError(f"the s3 service must publish its port {self.GATEWAY} for the native stack")
        weed = seaweedfs.ensure(r.image_tag(self.name), out=sys.stderr)
        flags = {"ip": LOOPBACK, "ip.bind": port.host_ip, "s3.port": str(port.published)}
        flags.update(self.internal_ports(mounts["/data"]))
        cmd = [str(weed)] + [a for a in command if a.split("=", 1)[0].lstrip("-") not in flags]
        at = next(i for i, a in enumerate(cmd) if a == "mini") + 1
        cmd[at:at] = [f"-{k}={v}" for k, v in flags.items()]
        return Program(
            self.name,
            cmd,
            env,
            mounts["/data"],
            [Listen(port.host_ip, port.published, r.port_variable(self.name, self.GATEWAY))],
            mounts,
        )

    def internal_ports(self, data: Path) -> dict[str, str]:
        """The internal ports, chosen free on the first start and the same on every later one
        (kept beside the data dir, deleted with it by `make reset`). The master keeps its
        state in `<dir>/m<port>`: a new port would be a new master, which mints a new cluster
        id, and SeaweedFS then freezes volume growth for the data the volume server holds from
        the old one ("volume growth frozen ... the master state was rebuilt"): every upload
        to a new bucket, or past a full volume, would fail."""
        kept = self.ports_file(data)
        ports = json.loads(kept.read_text()) if kept.exists() else {}
        if set(ports) != set(self.INTERNAL):
            ports = {name: free_loopback_port() for name in self.INTERNAL}
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps(ports, indent=1) + "\n")
        return {name: str(number) for name, number in ports.items()}

    @staticmethod
    def ports_file(data: Path) -> Path:
        return data.parent / f"{data.name}.native-ports.json"

    def prepare(self, stack, p, r):
        make_volume_dirs(p)
        kept = self.ports_file(p.mounts["/data"])
        for arg in p.command:
            name, _, number = arg.lstrip("-").partition("=")
            if name in self.INTERNAL and port_in_use(LOOPBACK, int(number)):
                raise StackError(
                    f"s3: its {name} {number} (kept in {kept}, so that SeaweedFS's master finds its "
                    f"state again) is in use by another program: stop that program, then `make up` again"
                )

    def healthy(self, r, p=None):
        return _http_ok(f"http://{LOOPBACK}:{r.public_port(self.name, self.GATEWAY)}/healthz")


def proxy_redirects(r: Rendered) -> bool:
    """The proxy answers plain HTTP on its public port with a redirect to HTTPS (Caddy's
    http_redirect listener): alive, and no certificate needed to tell."""
    import http.client

    port = r.ports("proxy")[0]
    conn = http.client.HTTPConnection(
        LOOPBACK if port.host_ip in ("0.0.0.0", "") else port.host_ip, port.published, timeout=3
    )
    try:
        conn.request("GET", "/")
        resp = conn.getresponse()
        return 300 <= resp.status < 400 and resp.getheader("Location", "").startswith("https://")
    except OSError:
        return False
    finally:
        conn.close()


SPECS: dict[str, ServiceSpec] = {
    s.name: s for s in (Postgres(), Redis(), Keycloak(), Mlflow(), SyncUsers(), Proxy(), S3())
}


def depends_on(rendered: Rendered, service: str) -> dict[str, str]:
    """A service's depends_on as {service: condition}; Compose renders the long form."""
    raw = rendered.services[service].get("depends_on") or {}
    if isinstance(raw, list):
        return {name: "service_started" for name in raw}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in raw.items()}


def start_levels(rendered: Rendered) -> list[list[str]]:
    """The services in dependency levels (compose's depends_on): each level needs only the
    ones before it, so the services of one level can start together."""
    deps = {name: set(svc.get("depends_on") or {}) for name, svc in rendered.services.items()}
    levels: list[list[str]] = []
    done: set[str] = set()
    while len(done) < len(deps):
        level = sorted(n for n, d in deps.items() if n not in done and d <= done)
        if not level:
            raise StackError(f"depends_on cycle among {sorted(set(deps) - done)}")
        levels.append(level)
        done.update(level)
    return levels


def start_order(rendered: Rendered) -> list[str]:
    return [name for level in start_levels(rendered) for name in level]


def plan(rendered: Rendered, state: Path) -> list[Program]:
    programs = []
    for name in start_order(rendered):
        if name not in SPECS:
            raise StackError(f"the native stack does not know how to run the compose service {name!r}")
        mounts = volume_dirs(rendered, name, state)
        # Container paths in the environment (certificates, data dirs) are the mounts' host paths.
        env = {k: map_volumes(to_loopback(unescape(v), rendered), mounts) for k, v in rendered.env(name).items()}
        command = [map_volumes(to_loopback(unescape(a), rendered), mounts) for a in rendered.command(name)]
        program = SPECS[name].program(rendered, state, env, command, mounts)
        options = (rendered.services[name].get("logging") or {}).get("options") or {}
        if options.get("max-size"):
            m = re.fullmatch(r"(\d+)([kmg]?)b?", str(options["max-size"]).lower())
            if m:
                program.log_max_bytes = m.group(1) + {"": "", "k": "KB", "m": "MB", "g": "GB"}[m.group(2)]
        if str(options.get("max-file", "")).isdigit():
            program.log_backups = int(options["max-file"])
        programs.extend(Mlflow.replicas(rendered, program) if name == "mlflow" else [program])
    return programs


# --- supervisord ----------------------------------------------------------------------


def _supervisor_conf(programs: list[Program], state: Path, wrappers: dict[str, Path]) -> str:
    logs = state / "logs"
    lines = [
        "[unix_http_server]",
        f"file={state / 'supervisor.sock'}",
        "chmod=0700",
        "",
        "[supervisord]",
        f"logfile={logs / 'supervisord.log'}",
        f"pidfile={state / 'supervisord.pid'}",
        f"directory={state}",
        "nodaemon=false",
        "minfds=4096",
        "umask=077",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
    ]
    for p in programs:
        lines += [
            f"[program:{p.name}]",
            f"command={wrappers[p.name]}",
            f"directory={p.cwd}",
            "autostart=false",
            "autorestart=unexpected",
            "startsecs=0",
            "stopasgroup=true",
            "killasgroup=true",
            "stopwaitsecs=30",
            "redirect_stderr=true",
            f"stdout_logfile={logs / (p.name + '.log')}",
            f"stdout_logfile_maxbytes={p.log_max_bytes}",
            f"stdout_logfile_backups={p.log_backups}",
        ]
        if p.user:
            lines.append(f"user={p.user}")
        lines.append("")
    return "\n".join(lines).replace("%", "%%")


class NativeStack:
    def __init__(self, env_file: Path | None = None, state: Path | None = None, out: TextIO | None = None):
        self.env_file = Path(env_file or ROOT / ".env")
        self.state = Path(state or default_state_dir()).resolve()
        self.out = out or sys.stdout
        self.timings: dict[str, float] = {}  # seconds from `start` to healthy, per service

    def say(self, msg: str) -> None:
        print(msg, file=self.out, flush=True)

    @staticmethod
    def write_private(path: Path, text: str) -> None:
        write_private(path, text)

    # supervisord ----------------------------------------------------------------------
    def rpc(self):
        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(None, None, f"unix://{self.state / 'supervisor.sock'}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def info(self, name: str) -> dict:
        return self.rpc().getProcessInfo(name)

    def supervisor_pid(self) -> int | None:
        try:
            pid = int((self.state / "supervisord.pid").read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def running(self) -> bool:
        return self.supervisor_pid() is not None

    # up -------------------------------------------------------------------------------
    def up(self, timeout: float = UP_TIMEOUT, only: list[str] | None = None) -> Rendered:
        """Start the stack (or only some services, with what they need first) and wait."""
        rendered = render(self.env_file)
        if self.running():
            self.say(f"native: already running (state {self.state}); checking health")
        programs = plan(rendered, self.state)
        if not self.running():
            self._preflight(programs)
            for d in ("logs", "run", "volumes", "bin"):
                (self.state / d).mkdir(parents=True, exist_ok=True)
                os.chmod(self.state / d, 0o700 if d == "logs" else 0o711)  # postgres must reach bin/ and run/
            for p in programs:
                SPECS[p.service].prepare(self, p, rendered)
            wrappers = {p.name: self._wrapper(p) for p in programs}
            conf = self.state / "supervisord.conf"
            self.write_private(conf, _supervisor_conf(programs, self.state, wrappers))
            exe = Path(sys.executable).with_name("supervisord")
            # A clean environment: the services get only what the compose render gives them.
            clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": str(self.state)}
            # umask 077: every file supervisord and the services write (logs, data) is private.
            proc = subprocess.run([str(exe), "-c", str(conf)], env=clean, capture_output=True, text=True, umask=0o077)
            if proc.returncode != 0:
                raise StackError(f"supervisord did not start: {proc.stdout}{proc.stderr}")
            self._wait_for(lambda: (self.state / "supervisor.sock").exists(), 20, "supervisord")
        deadline = time.monotonic() + timeout
        try:
            self._start_all(rendered, [p for p in programs if only is None or p.name in only], deadline)
        except DataMismatch:
            self.down(quiet=True)  # nothing half-started stays behind; the data is untouched
            raise
        if only is None:
            self.say(
                f"native: stack is up. MLflow: {rendered.browser_mlflow_url()}  "
                f"Keycloak: {rendered.browser_keycloak_url()}  (state: {self.state})"
            )
        return rendered

    def _preflight(self, programs: list[Program]) -> None:
        for p in programs:
            if p.user:
                self.state.mkdir(parents=True, exist_ok=True)
                probe_ = subprocess.run(["runuser", "-u", p.user, "--", "test", "-x", str(self.state)])
                if probe_.returncode != 0:
                    raise StackError(
                        f"{p.name} runs as the {p.user!r} user, which cannot enter {self.state}: "
                        f"choose a state dir whose parents are world-traversable "
                        f"(STACK_STATE_DIR=/var/tmp/mlflow-oidc-stack), or `chmod o+x` them"
                    )
        for p in programs:
            for listen in p.listens:
                if port_in_use(listen.host, listen.port):
                    raise StackError(
                        f"port {listen.port} on {listen.host} is already in use, so {p.name} cannot "
                        f"listen on it: stop what uses it, or set {listen.variable} in {self.env_file} "
                        f"to a free port"
                    )

    def _wrapper(self, p: Program) -> Path:
        """A tiny exec script per program: the command may span lines (redis' heredoc), and the
        environment (secrets included) stays out of the supervisord config, in a 0700 file."""
        path = self.state / "bin" / p.name
        group = shlex.quote(str(self.state / "run" / f"{p.name}.pgid"))
        body = ["#!/bin/sh", "# Written by the native stack from the compose render; rewritten on up."]
        body += [f"export {k}={shlex.quote(v)}" for k, v in p.env.items()]
        # supervisord makes each program a process-group leader. A service killed with
        # SIGKILL leaves its children behind (uvicorn's workers, PostgreSQL's backends), which
        # would keep its port or shared memory and make the restart fail: end that old group
        # first, then record this one.
        body += [
            f'old=$(cat {group} 2>/dev/null); [ -n "$old" ] && [ "$old" != $$ ] && kill -KILL -"$old" 2>/dev/null',
            f"echo $$ > {group}",
        ]
        body.append("exec " + " ".join(shlex.quote(a) for a in p.command))
        self.write_private(path, "\n".join(body) + "\n")
        os.chmod(path, 0o700)
        if p.user:
            shutil.chown(path, p.user)
        return path

    def _start_all(self, rendered: Rendered, programs: list[Program], deadline: float, hooks: bool = True) -> None:
        """Start each program as soon as what it depends on is ready, as Compose does with
        depends_on (`service_started`: running; `service_healthy`: healthy), so independent
        services start together (MLflow does not wait for Keycloak's health). Then wait until
        every one is healthy, polling each one's health check every 0.25 s."""
        names = {p.name for p in programs}
        conditions = {p.name: depends_on(rendered, p.service) for p in programs}
        started: dict[str, float] = {}
        healthy: set[str] = set()
        last_note = time.monotonic()

        def ready(dep: str, condition: str) -> bool:
            if dep not in names:  # not part of this call: already up
                return True
            return dep in healthy if condition == "service_healthy" else dep in started

        while True:
            for p in programs:
                if p.name not in started and all(ready(d, c) for d, c in conditions[p.name].items()):
                    if self.info(p.name)["statename"] != "RUNNING":
                        self.say(f"native: starting {p.name}")
                        self.rpc().startProcess(p.name, False)
                    started[p.name] = time.monotonic()
            for p in programs:
                if p.name not in started or p.name in healthy:
                    continue
                if SPECS[p.service].healthy(rendered, p):
                    took = time.monotonic() - started[p.name]
                    self.timings[p.name] = took
                    self.say(f"native: {p.name} is healthy ({took:.0f}s)")
                    if hooks:
                        SPECS[p.service].started(self, p, rendered)
                    healthy.add(p.name)
                elif self.info(p.name)["statename"] in ("FATAL", "EXITED", "BACKOFF"):
                    raise StackError(
                        f"{p.name} exited while starting:\n{self.tail(p.name)}\n"
                        f"(full log: {self.state / 'logs' / (p.name + '.log')})"
                    )
            waiting = [p.name for p in programs if p.name not in healthy]
            if not waiting:
                return
            if time.monotonic() > deadline:
                late = next((n for n in waiting if n in started), waiting[0])
                raise StackError(
                    f"{late} did not become healthy in time:\n{self.tail(late, skip=PROBE_REPORT)}\n"
                    f"(full log: {self.state / 'logs' / (late + '.log')})"
                )
            if time.monotonic() - last_note > 15:
                self.say(f"native: waiting for {', '.join(waiting)}")
                last_note = time.monotonic()
            time.sleep(0.25)

    def _wait_for(self, cond, seconds: float, what: str) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if cond():
                return
            time.sleep(0.2)
        raise StackError(f"{what} did not start; see {self.state / 'logs'}")

    def tail(self, name: str, lines: int = 30, skip: str | None = None) -> str:
        from .progress import tail

        return tail(self.state / "logs" / f"{name}.log", lines, skip)

    # restart / stop / down / ps / logs -------------------------------------------------
    def _program(self, name: str, rendered: Rendered) -> Program:
        return next(p for p in plan(rendered, self.state) if p.name == name)

    def restart(self, name: str, rendered: Rendered | None = None, timeout: float = 180) -> None:
        self.stop(name)
        self.start(name, rendered, timeout)

    def start(self, name: str, rendered: Rendered | None = None, timeout: float = 180) -> None:
        rendered = rendered or render(self.env_file)
        self._start_all(rendered, [self._program(name, rendered)], time.monotonic() + timeout, hooks=False)

    def stop(self, name: str) -> None:
        try:
            state = self.info(name)["statename"]
        except xmlrpc.client.Fault as exc:
            if "BAD_NAME" in exc.faultString:  # a stack started before this service existed
                return
            raise
        if state in ("RUNNING", "STARTING", "BACKOFF"):
            self.rpc().stopProcess(name, True)

    def down(self, quiet: bool = False) -> None:
        pid = self.supervisor_pid()
        if pid is None:
            if not quiet:
                self.say(f"native: not running (state {self.state})")
            return
        # Stop in reverse dependency order, then supervisord itself.
        try:
            infos = {i["name"]: i for i in self.rpc().getAllProcessInfo()}
            for name in reversed(start_order(render(self.env_file))):
                if infos.get(name, {}).get("statename") in ("RUNNING", "STARTING", "BACKOFF"):
                    self.rpc().stopProcess(name, True)
        except (OSError, xmlrpc.client.Fault, StackError):
            pass  # supervisord stops every program itself on SIGTERM
        os.kill(pid, signal.SIGTERM)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                os.kill(pid, 0)
            except OSError:
                break
            time.sleep(0.2)
        else:
            raise StackError(f"supervisord (pid {pid}) did not stop; see {self.state / 'logs'}")
        if not quiet:
            self.say(f"native: stopped; data kept in {self.state / 'volumes'}")

    def reset(self) -> None:
        """Delete every piece of this stack's data: databases, Redis, artifacts, Keycloak copy."""
        self.down(quiet=True)
        for d in ("volumes", "keycloak", "mlflow", "run"):
            shutil.rmtree(self.state / d, ignore_errors=True)
        self.say(f"native: deleted the data in {self.state / 'volumes'}")

    def kill(self, name: str) -> None:
        """SIGKILL a service's whole process group, as a crash would (for the crash tests)."""
        os.killpg(self.pids()[name], signal.SIGKILL)

    def healthy(self, name: str, rendered: Rendered | None = None) -> bool:
        """Running under supervisord and answering its health probe."""
        try:
            if self.info(name)["statename"] != "RUNNING":
                return False
        except (OSError, xmlrpc.client.Fault):
            return False
        rendered = rendered or render(self.env_file)
        if name in SPECS:
            return SPECS[name].healthy(rendered)
        p = self._program(name, rendered)  # a replica: mlflow-2, ...
        return SPECS[p.service].healthy(rendered, p)

    def pids(self) -> dict[str, int]:
        """The main PID of each running service."""
        if not self.running():
            return {}
        return {i["name"]: i["pid"] for i in self.rpc().getAllProcessInfo() if i["pid"] > 0}

    def ps(self) -> str:
        if not self.running():
            return f"native: not running (state {self.state})"
        rows = self.rpc().getAllProcessInfo()
        return "\n".join(f"{i['name']:<12}{i['statename']:<10}{i['description']}" for i in rows)

    def logs(self, names: list[str] | None = None, lines: int = 50) -> str:
        if not names:
            try:
                names = start_order(render(self.env_file))
            except StackError:
                names = list(SPECS)
        return "\n".join(f"==> {n} <==\n{self.tail(n, lines)}" for n in names)

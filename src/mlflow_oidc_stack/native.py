"""The native stack: the compose services run from local binaries, without a Docker engine.

Configuration is the render of compose/docker-compose.yml (`docker compose config --format
json`): each service's environment, command, published ports and volumes. The only changes
are the ones a host without containers needs, each made here in one place:

* service hostnames (`postgres:5432`, `keycloak:8080`, ...) become loopback addresses
  (`to_loopback`);
* container paths of named volumes become directories under the state dir (`map_volumes`);
* listeners bind to the published address and port instead of 0.0.0.0 inside a container.

Processes run under supervisord (one per state dir), so they are started and stopped by PID
with their whole process group, and `make down` leaves no orphans.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import ROOT, StackError
from .compose import Rendered, render

SERVICES = ("postgres", "redis", "keycloak", "mlflow")  # start order (depends_on)
LOOPBACK = "127.0.0.1"


def default_state_dir() -> Path:
    return Path(os.environ.get("STACK_STATE_DIR") or ROOT / ".stack")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mlflow-oidc-stack"


# --- configuration mapping ------------------------------------------------------------------

def native_port(rendered: Rendered, service: str, target: int) -> int:
    """Where a container port listens natively: its published port, else the port itself."""
    published = rendered.published(service, target)
    return published.published if published else target


def to_loopback(value: str, rendered: Rendered) -> str:
    """Rewrite `service:port` addresses in a URL, JDBC URL or host list to loopback.

    `http://keycloak:8080/realms/x` -> `http://127.0.0.1:<published port>/realms/x`;
    `...@postgres:5432/db` -> `...@127.0.0.1:5432/db`. Only a service name directly
    preceded by `//`, `@`, `,` or the start of the value and followed by its internal port
    is rewritten, so passwords or paths that merely contain a service name are left alone.
    """
    for service in rendered.services:
        try:
            port = rendered.internal_port(service)
        except (KeyError, TypeError, ValueError):
            continue
        pattern = re.compile(rf"(^|//|@|,){re.escape(service)}:{port}(?![0-9])")
        value = pattern.sub(lambda m: f"{m.group(1)}{LOOPBACK}:{native_port(rendered, service, port)}",
                            value)
    return value


def unescape(value: str) -> str:
    """Compose keeps `$$` (a literal `$`) escaped in its render; a shell needs one `$`."""
    return value.replace("$$", "$")


def volume_dirs(rendered: Rendered, service: str, state: Path) -> dict[str, Path]:
    """Container path -> host path, for a service's named volumes and bind mounts."""
    out = {}
    for vol in rendered.services[service].get("volumes") or []:
        if vol.get("type") == "volume":
            out[vol["target"]] = state / "volumes" / vol["source"]
        elif vol.get("type") == "bind":
            out[vol["target"]] = Path(vol["source"])
    return out


def map_volumes(value: str, mounts: dict[str, Path]) -> str:
    for target, host in sorted(mounts.items(), key=lambda kv: -len(kv[0])):
        if value == target or value.startswith(target + "/"):
            return str(host) + value[len(target):]
    return value


def port_variable(service: str, target: int) -> str:
    """The .env variable that sets a service's port, read from the compose file itself."""
    import yaml

    raw = yaml.safe_load((ROOT / "compose" / "docker-compose.yml").read_text())
    svc = raw["services"][service]
    for spec in svc.get("ports") or []:
        m = re.search(r"\$\{(\w+)[^}]*\}:" + str(target) + r"$", str(spec))
        if m:
            return m.group(1)
    for value in (svc.get("environment") or {}).values():
        m = re.fullmatch(r"\$\{(\w+):-" + str(target) + r"\}", str(value))
        if m:
            return m.group(1)
    text = " ".join(map(str, svc.get("command") or []))
    m = re.search(r"\$\{(\w+)(?::-[^}]*)?\}", text)
    return m.group(1) if m else f"the port of {service}"


# --- the plan: what each service runs natively ------------------------------------------

@dataclass
class Program:
    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    ports: list[tuple[str, int, str]]  # (host, port, .env variable)
    user: str | None = None
    extra: dict = field(default_factory=dict)


def _run_as() -> str | None:
    """PostgreSQL refuses to run as root: use the `postgres` account then."""
    return "postgres" if os.geteuid() == 0 else None


def find_postgres_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("postgres")
    if found:
        return Path(found).parent
    raise StackError("PostgreSQL server binaries not found: run `make setup` "
                     "(installs Debian's postgresql package)")


def find_java_home() -> Path:
    """A JDK that runs the pinned Keycloak (17, 21 or 25), JAVA_HOME first."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        # Newest LTS first: 25, 21, then 17.
        for major in ("25", "21", "17"):
            candidates += sorted(p for p in jvm.iterdir() if re.search(rf"(^|-){major}([.-]|$)", p.name))
    for home in candidates:
        if (home / "bin" / "java").exists():
            return home
    raise StackError("no Java 17, 21 or 25 found for Keycloak: install a JDK "
                     "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME")


def keycloak_dist(version: str) -> Path:
    """The cached, pre-built Keycloak distribution that `make setup` prepared."""
    home = cache_dir() / f"keycloak-{version}"
    if not (home / "bin" / "kc.sh").exists():
        raise StackError(f"Keycloak {version} is not in {cache_dir()}: run `make setup`")
    return home


def mlflow_bin() -> Path:
    exe = Path(sys.executable).with_name("mlflow")
    if not exe.exists():
        raise StackError(f"{exe} not found: run `make setup` to create the virtualenv")
    return exe


def plan(rendered: Rendered, state: Path) -> list[Program]:
    programs = []
    for name in SERVICES:
        mounts = volume_dirs(rendered, name, state)
        env = {k: to_loopback(unescape(v), rendered) for k, v in rendered.env(name).items()}
        command = [map_volumes(to_loopback(unescape(a), rendered), mounts)
                   for a in rendered.command(name)]
        programs.append(_BUILDERS[name](rendered, state, env, command, mounts))
    return programs


def _postgres(rendered, state, env, command, mounts) -> Program:
    port = rendered.internal_port("postgres")
    data = mounts["/var/lib/postgresql/data"]
    assert command[0] == "postgres", command
    cmd = [str(find_postgres_bin() / "postgres"), "-D", str(data), *command[1:],
           "-c", f"listen_addresses={LOOPBACK}", "-c", f"unix_socket_directories={state / 'run'}"]
    init_scripts = sorted(h for t, h in mounts.items() if t.startswith("/docker-entrypoint-initdb.d/"))
    return Program("postgres", cmd, env, data, [(LOOPBACK, port, port_variable("postgres", port))],
                   user=_run_as(), extra={"data": data, "init_scripts": init_scripts})


def _redis(rendered, state, env, command, mounts) -> Program:
    port = rendered.internal_port("redis")
    env["REDIS_BIND"] = LOOPBACK  # the compose default binds every interface of the container
    return Program("redis", command, env, mounts["/data"], [(LOOPBACK, port, port_variable("redis", port))])


def _keycloak(rendered, state, env, command, mounts) -> Program:
    home = state / "keycloak"
    http = rendered.published("keycloak", 8080)
    mgmt = rendered.published("keycloak", 9000)
    env.update({
        "JAVA_HOME": str(find_java_home()),
        "KC_HTTP_HOST": http.host_ip,
        "KC_HTTP_PORT": str(http.published),
        "KC_HTTP_MANAGEMENT_PORT": str(mgmt.published),
    })
    imports = {t: h for t, h in mounts.items() if t.startswith("/opt/keycloak/")}
    return Program("keycloak", [str(home / "bin" / "kc.sh"), *command], env, home,
                   [(http.host_ip, http.published, port_variable("keycloak", 8080)),
                    (mgmt.host_ip, mgmt.published, port_variable("keycloak", 9000))],
                   extra={"home": home, "version": rendered.image_tag("keycloak"), "files": imports})


def _mlflow(rendered, state, env, command, mounts) -> Program:
    http = rendered.published("mlflow", rendered.internal_port("mlflow"))
    cmd = list(command)
    assert cmd[0] == "mlflow", cmd
    cmd[0] = str(mlflow_bin())
    cmd[cmd.index("--host") + 1] = http.host_ip
    cmd[cmd.index("--port") + 1] = str(http.published)
    workdir = state / "mlflow"
    return Program("mlflow", cmd, env, workdir,
                   [(http.host_ip, http.published, port_variable("mlflow", rendered.internal_port("mlflow")))],
                   extra={"dirs": [Path(h) for t, h in mounts.items()]})


_BUILDERS = {"postgres": _postgres, "redis": _redis, "keycloak": _keycloak, "mlflow": _mlflow}


# --- health probes --------------------------------------------------------------------

def _http_ok(url: str, timeout: float = 3) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:
        return False


def healthy(rendered: Rendered, name: str) -> bool:
    if name == "postgres":
        env = rendered.env("postgres")
        proc = subprocess.run([str(find_postgres_bin() / "pg_isready"), "-q", "-h", LOOPBACK,
                               "-p", env["PGPORT"], "-U", env["POSTGRES_USER"], "-d", env["POSTGRES_DB"]])
        return proc.returncode == 0
    if name == "redis":
        return redis_ping(LOOPBACK, rendered.internal_port("redis"), rendered.env("redis")["CACHE_REDIS_PASSWORD"])
    if name == "keycloak":
        return _http_ok(rendered.keycloak_management_url() + "/health/ready")
    if name == "mlflow":
        return _http_ok(rendered.mlflow_url(LOOPBACK) + "/health/ready")
    raise KeyError(name)


def redis_ping(host: str, port: int, password: str, timeout: float = 3) -> bool:
    """AUTH + PING over RESP; True only on +PONG."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            def cmd(*parts):
                s.sendall(f"*{len(parts)}\r\n".encode() + b"".join(
                    f"${len(p.encode())}\r\n{p}\r\n".encode() for p in parts))
                return s.recv(256)
            if not cmd("AUTH", password).startswith(b"+OK"):
                return False
            return cmd("PING").startswith(b"+PONG")
    except OSError:
        return False


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


# --- supervisord ----------------------------------------------------------------------

def _wrapper(p: Program, state: Path) -> Path:
    """A tiny exec script per program: the command may span lines (redis' heredoc), and the
    environment (secrets included) stays out of the supervisord config, in a 0700 file."""
    import shlex

    path = state / "bin" / p.name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ["#!/bin/sh", "# Written by the native stack from the compose render; rewritten on up."]
    body += [f"export {k}={shlex.quote(v)}" for k, v in p.env.items()]
    body.append("exec " + " ".join(shlex.quote(a) for a in p.command))
    path.write_text("\n".join(body) + "\n")
    os.chmod(path, 0o700)
    if p.user:
        shutil.chown(path, p.user)
    return path


def _supervisor_conf(programs: list[Program], state: Path) -> str:
    logs = state / "logs"
    lines = [
        "[unix_http_server]", f"file={state / 'supervisor.sock'}", "chmod=0700", "",
        "[supervisord]", f"logfile={logs / 'supervisord.log'}", f"pidfile={state / 'supervisord.pid'}",
        f"directory={state}", "nodaemon=false", "minfds=4096", "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface", "",
        "[supervisorctl]", f"serverurl=unix://{state / 'supervisor.sock'}", "",
    ]
    for p in programs:
        lines += [
            f"[program:{p.name}]",
            f"command={_wrapper(p, state)}",
            f"directory={p.cwd}", "autostart=false", "autorestart=unexpected", "startsecs=0",
            "stopasgroup=true", "killasgroup=true", "stopwaitsecs=30", "redirect_stderr=true",
            f"stdout_logfile={logs / (p.name + '.log')}", "stdout_logfile_maxbytes=20MB",
            "stdout_logfile_backups=2",
        ]
        if p.user:
            lines.append(f"user={p.user}")
        lines.append("")
    return "\n".join(lines).replace("%", "%%")


class NativeStack:
    def __init__(self, env_file: Path | None = None, state: Path | None = None,
                 out=sys.stdout):
        self.env_file = Path(env_file or ROOT / ".env")
        self.state = Path(state or default_state_dir()).resolve()
        self.out = out
        self.timings: dict[str, float] = {}  # seconds from `start` to healthy, per service

    def say(self, msg: str) -> None:
        print(msg, file=self.out, flush=True)

    # supervisorctl --------------------------------------------------------------------
    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        exe = Path(sys.executable).with_name("supervisorctl")
        proc = subprocess.run([str(exe), "-c", str(self.state / "supervisord.conf"), *args],
                              capture_output=True, text=True)
        if check and proc.returncode not in (0, 3):
            raise StackError(f"supervisorctl {' '.join(args)} failed: {proc.stdout}{proc.stderr}")
        return proc

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
    def up(self, timeout: float = 300) -> Rendered:
        rendered = render(self.env_file)
        if self.running():
            self.say(f"native: already running (state {self.state}); checking health")
        programs = plan(rendered, self.state)
        if not self.running():
            self._preflight(programs)
            self._prepare(programs, rendered)
            self.state.joinpath("supervisord.conf").write_text(_supervisor_conf(programs, self.state))
            os.chmod(self.state / "supervisord.conf", 0o600)  # it holds the services' secrets
            exe = Path(sys.executable).with_name("supervisord")
            # A clean environment: the services get only what the compose render gives them.
            clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
                     "HOME": str(self.state)}
            proc = subprocess.run([str(exe), "-c", str(self.state / "supervisord.conf")],
                                  env=clean, capture_output=True, text=True)
            if proc.returncode != 0:
                raise StackError(f"supervisord did not start: {proc.stdout}{proc.stderr}")
            self._wait_for(lambda: (self.state / "supervisor.sock").exists(), 20, "supervisord")
        deadline = time.monotonic() + timeout
        for p in programs:
            status = self._ctl("status", p.name, check=False).stdout
            if "RUNNING" not in status:
                self.say(f"native: starting {p.name}")
                self._ctl("start", p.name)
            self._wait_healthy(rendered, p, deadline)
            if p.name == "postgres":
                self._init_databases(rendered, p)
        self.say(f"native: stack is up. MLflow: {rendered.mlflow_url()}  "
                 f"Keycloak: {rendered.keycloak_url()}  (state: {self.state})")
        return rendered

    def _preflight(self, programs: list[Program]) -> None:
        for p in programs:
            if p.user:
                self.state.mkdir(parents=True, exist_ok=True)
                probe = subprocess.run(["runuser", "-u", p.user, "--", "test", "-x", str(self.state)])
                if probe.returncode != 0:
                    raise StackError(
                        f"{p.name} runs as the {p.user!r} user, which cannot enter {self.state}: "
                        f"choose a state dir whose parents are world-traversable "
                        f"(STACK_STATE_DIR=/var/tmp/mlflow-oidc-stack), or `chmod o+x` them")
        for p in programs:
            for host, port, var in p.ports:
                if port_in_use(host, port):
                    raise StackError(
                        f"port {port} on {host} is already in use, so {p.name} cannot listen on "
                        f"it: stop what uses it, or set {var} in {self.env_file} to a free port")

    def _prepare(self, programs: list[Program], rendered: Rendered) -> None:
        for d in ("logs", "run", "volumes"):
            (self.state / d).mkdir(parents=True, exist_ok=True)
        for p in programs:
            if p.name == "postgres":
                self._initdb(p, rendered)
            elif p.name == "redis":
                p.cwd.mkdir(parents=True, exist_ok=True)
            elif p.name == "keycloak":
                self._fresh_keycloak(p)
            elif p.name == "mlflow":
                p.cwd.mkdir(parents=True, exist_ok=True)
                for d in p.extra["dirs"]:
                    d.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.state / "run", "postgres")

    def _initdb(self, p: Program, rendered: Rendered) -> None:
        data: Path = p.extra["data"]
        if (data / "PG_VERSION").exists():
            return
        env = rendered.env("postgres")
        data.mkdir(parents=True, exist_ok=True)
        pwfile = self.state / "run" / "initdb.pw"
        pwfile.write_text(env["POSTGRES_PASSWORD"] + "\n")
        os.chmod(pwfile, 0o600)
        try:
            if p.user:
                for path in (data, pwfile):
                    shutil.chown(path, p.user)
            self.say("native: initialising PostgreSQL data directory")
            cmd = [str(find_postgres_bin() / "initdb"), "-D", str(data), "-U", env["POSTGRES_USER"],
                   f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]
            if p.user:
                cmd = ["runuser", "-u", p.user, "--"] + cmd
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                shutil.rmtree(data, ignore_errors=True)  # it was empty before: nothing is lost
                raise StackError(f"initdb failed: {proc.stderr.strip() or proc.stdout.strip()}")
        finally:
            pwfile.unlink(missing_ok=True)

    def _init_databases(self, rendered: Rendered, p: Program) -> None:
        env = rendered.env("postgres")
        run_env = {"PATH": f"{find_postgres_bin()}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                   **env, "PGHOST": LOOPBACK, "PGPASSWORD": env["POSTGRES_PASSWORD"]}
        for script in p.extra["init_scripts"]:
            proc = subprocess.run(["sh", str(script)], env=run_env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise StackError(f"{script.name} failed: {proc.stderr.strip()}")

    def _fresh_keycloak(self, p: Program) -> None:
        home: Path = p.extra["home"]
        dist = keycloak_dist(p.extra["version"])
        if home.exists():
            shutil.rmtree(home)
        # start writes into its install dir: every start gets a fresh copy of the cached one.
        shutil.copytree(dist, home, symlinks=True)
        for target, source in p.extra["files"].items():
            dest = home / Path(target).relative_to("/opt/keycloak")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)

    def _wait_healthy(self, rendered: Rendered, p: Program, deadline: float) -> None:
        start = time.monotonic()
        last_note = start
        while time.monotonic() < deadline:
            if healthy(rendered, p.name):
                self.timings[p.name] = time.monotonic() - start
                self.say(f"native: {p.name} is healthy ({time.monotonic() - start:.0f}s)")
                return
            status = self._ctl("status", p.name, check=False).stdout
            if any(s in status for s in ("FATAL", "EXITED", "BACKOFF")):
                raise StackError(f"{p.name} exited while starting:\n{self.tail(p.name)}\n"
                                 f"(full log: {self.state / 'logs' / (p.name + '.log')})")
            if time.monotonic() - last_note > 15:
                self.say(f"native: waiting for {p.name} ({time.monotonic() - start:.0f}s)")
                last_note = time.monotonic()
            time.sleep(1)
        raise StackError(f"{p.name} did not become healthy in time:\n{self.tail(p.name)}\n"
                         f"(full log: {self.state / 'logs' / (p.name + '.log')})")

    def _wait_for(self, cond, seconds: float, what: str) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if cond():
                return
            time.sleep(0.2)
        raise StackError(f"{what} did not start; see {self.state / 'logs'}")

    def tail(self, name: str, lines: int = 30) -> str:
        log = self.state / "logs" / f"{name}.log"
        try:
            return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return f"(no log at {log})"

    # restart / down / ps / logs -------------------------------------------------------
    def restart(self, name: str, rendered: Rendered | None = None, timeout: float = 180) -> None:
        self._ctl_and_wait("restart", name, rendered, timeout)

    def start(self, name: str, rendered: Rendered | None = None, timeout: float = 180) -> None:
        self._ctl_and_wait("start", name, rendered, timeout)

    def stop(self, name: str) -> None:
        self._ctl("stop", name)

    def _ctl_and_wait(self, action: str, name: str, rendered: Rendered | None, timeout: float) -> None:
        rendered = rendered or render(self.env_file)
        self._ctl(action, name)
        program = next(p for p in plan(rendered, self.state) if p.name == name)
        self._wait_healthy(rendered, program, time.monotonic() + timeout)

    def down(self) -> None:
        pid = self.supervisor_pid()
        if pid is None:
            self.say(f"native: not running (state {self.state})")
            return
        # Stop in reverse dependency order, then supervisord itself.
        for name in reversed(SERVICES):
            self._ctl("stop", name, check=False)
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
        self.say(f"native: stopped; data kept in {self.state / 'volumes'}")

    def pids(self) -> dict[str, int]:
        """The main PID of each running service."""
        out = {}
        for name in SERVICES:
            proc = self._ctl("pid", name, check=False)
            if proc.stdout.strip().isdigit() and int(proc.stdout) > 0:
                out[name] = int(proc.stdout)
        return out

    def ps(self) -> str:
        if not self.running():
            return f"native: not running (state {self.state})"
        return self._ctl("status", check=False).stdout.rstrip()

    def logs(self, names: list[str] | None = None, lines: int = 50) -> str:
        return "\n".join(f"==> {n} <==\n{self.tail(n, lines)}" for n in (names or SERVICES))

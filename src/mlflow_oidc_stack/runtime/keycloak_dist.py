"""The Keycloak distribution the compose file pins, fetched once from Maven Central.

The version is the tag of the `keycloak` image in the compose render, so both modes run
what Compose would. The tarball is downloaded over HTTPS and checked against the SHA-512
that Maven Central publishes beside it before anything uses it; a mismatch deletes the
download. It is cached under ~/.cache/mlflow-oidc-stack (XDG_CACHE_HOME), keyed on the
version:

* compose mode puts the tarball into the build context of the bundle's Keycloak image
  (only when quay.io cannot be reached);
* native mode unpacks it and pre-builds it (`kc.sh build` with the compose service's
  build-time options); each `make up` runs a fresh copy of that pre-built directory, whose
  `lib/` (the jars, read only) is a link to the cached one.

The pre-built copy also gets a class archive for the Java that runs it (`cds/`): the JVM's
dynamic CDS archive of the classes Keycloak loads up to ready, written by one start on a
scratch PostgreSQL. A start that maps it skips parsing and verifying ~20,000 classes
(docs/measured.md#keycloak-class-archive). Only for the pinned Keycloak (the shipped schema's
version); KEYCLOAK_CLASS_ARCHIVE=false in .env leaves it unused.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .. import ENV_EXAMPLE, ROOT, StackError
from ..config.envfile import fill_secrets
from ..config.facts import Rendered
from ..config.render import render

REPOSITORY = os.environ.get("MAVEN_REPOSITORY_URL", "https://repo1.maven.org/maven2").rstrip("/")
PATH = "org/keycloak/keycloak-quarkus-dist/{v}/keycloak-quarkus-dist-{v}.tar.gz"
# Keycloak's schema (`make keycloak-schema`, keycloak_schema.py): its first line names its version.
SEED = ROOT / "compose" / "postgres" / "keycloak" / "schema.sql"
MARK = "-- Keycloak schema: "


def seed_version(path: Path = SEED) -> str | None:
    """The Keycloak version whose schema the file holds (its first line), None without one."""
    try:
        with path.open() as f:
            first = f.readline()
    except FileNotFoundError:
        return None
    return first.removeprefix(MARK + "Keycloak ").strip() if first.startswith(MARK) else None


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mlflow-oidc-stack"


def rendered_for_versions(env_file: Path | None = None) -> Rendered:
    """The render of the given .env (ENV_FILE, else ./.env), or of a throwaway copy of
    .env.example when there is none yet."""
    env = Path(env_file or os.environ.get("ENV_FILE") or ROOT / ".env")
    if env.exists():
        return render(env)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / ".env"
        fill_secrets(scratch, ENV_EXAMPLE)
        return render(scratch)


def build_options(rendered: Rendered) -> list[str]:
    """Build-time options of the compose service, so `kc.sh start` needs no re-build."""
    env = rendered.env("keycloak")
    opts = [f"--db={env['KC_DB']}"]
    # Each switch the service sets is given explicitly, `false` too: a build that leaves one
    # unset differs from a start that says `false`, and `kc.sh start` then re-builds for ~20 s
    # on every start ("Changes detected in configuration", docs/measured.md).
    for var, option in (("KC_HEALTH_ENABLED", "health-enabled"), ("KC_METRICS_ENABLED", "metrics-enabled")):
        if env.get(var) in ("true", "false"):
            opts.append(f"--{option}={env[var]}")
    if env.get("KC_CACHE"):
        opts.append(f"--cache={env['KC_CACHE']}")
    if env.get("KC_HTTP_RELATIVE_PATH"):
        opts.append(f"--http-relative-path={env['KC_HTTP_RELATIVE_PATH']}")
    if env.get("KC_HTTP_MANAGEMENT_RELATIVE_PATH"):
        opts.append(f"--http-management-relative-path={env['KC_HTTP_MANAGEMENT_RELATIVE_PATH']}")
    return opts


def _get(url: str):
    import requests

    try:
        r = requests.get(url, stream=True, timeout=60)
    except requests.RequestException as exc:
        raise StackError(f"cannot download {url}: {exc}") from None
    if r.status_code != 200:
        raise StackError(
            f"{url} answered {r.status_code}: is that Keycloak version published on "
            "Maven Central? (not every patch tag is)"
        )
    return r


def tarball(version: str, out: TextIO = sys.stdout) -> Path:
    """The verified distribution tarball of `version`, downloaded once."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"keycloak-quarkus-dist-{version}.tar.gz"
    verified = tgz.with_name(tgz.name + ".sha512-verified")
    if tgz.exists() and verified.exists():
        return tgz
    url = f"{REPOSITORY}/{PATH.format(v=version)}"
    expected = _get(url + ".sha512").text.split()[0].strip().lower()
    if tgz.exists():
        partial = tgz  # cached by an older setup without a verification mark: check it
    else:
        print(f"==> downloading Keycloak {version} from {REPOSITORY} (~170 MB)", file=out, flush=True)
        partial = tgz.with_name(tgz.name + ".partial")
        with _get(url) as r, open(partial, "wb") as f:
            for chunk in r.iter_content(1 << 20):
                f.write(chunk)
    digest = hashlib.sha512()
    with open(partial, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        partial.unlink(missing_ok=True)
        raise StackError(
            f"the Keycloak {version} download does not match Maven Central's published "
            f"SHA-512 ({url}.sha512); it was deleted. Re-run to download it again; if it "
            "fails again, something between you and Maven Central changes the file."
        )
    if partial != tgz:
        partial.rename(tgz)
    verified.write_text(expected + "\n")
    return tgz


def ensure(rendered: Rendered, out: TextIO = sys.stdout) -> Path:
    """The unpacked, pre-built distribution for the native stack."""
    version = keycloak_version(rendered)
    opts = build_options(rendered)
    # One pre-built copy per version and set of build options (metrics on or off, a path).
    home = cache_dir() / f"keycloak-{version}-{hashlib.sha256(' '.join(opts).encode()).hexdigest()[:8]}"
    marker = home / ".prebuilt"

    def cached() -> bool:
        return marker.exists() and marker.read_text() == " ".join(opts)

    if cached():
        print(f"==> Keycloak {version}: cached in {home}", file=out)
        return home
    with build_lock():
        if not cached():
            _build(version, opts, home, out)
    return home


@contextmanager
def build_lock() -> Iterator[None]:
    """One build at a time across processes: two at once (`make test` runs one pytest per mode,
    or two checkouts) shared the partial directory and broke each other's build."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / ".keycloak.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def install(dist: Path, dest: Path) -> None:
    """A copy of the pre-built `dist` to start from (`start` writes into its install dir: data/,
    conf/); its lib/ is a link to the cached jars, which a start only reads. The JVM finds the
    class archive's jars where they were when it was made (Java 17 checks the path)."""
    if dest.exists() or dest.is_symlink():
        shutil.rmtree(dest)
    shutil.copytree(dist, dest, symlinks=True, ignore=lambda d, names: ["lib", "cds"] if Path(d) == dist else [])
    (dest / "lib").symlink_to(dist / "lib")


def archive_wanted(rendered: Rendered) -> bool:
    """KEYCLOAK_CLASS_ARCHIVE, natively: only for the pinned Keycloak (the shipped schema's
    version). An archive made in another directory made Keycloak 26.5.6 (an older pin, as
    before `make upgrade`) fail at start: `CodeSource.getLocation()` null in Quarkus'
    QuarkusEntryPoint (docs/measured.md#keycloak-class-archive); 26.7.3 maps it and starts."""
    value = rendered.env("keycloak").get("KEYCLOAK_CLASS_ARCHIVE", "true")
    if value not in ("true", "false"):
        raise StackError(f"KEYCLOAK_CLASS_ARCHIVE={value} in .env: write true or false")
    return value == "true" and keycloak_version(rendered) == seed_version()


def class_archive(dist: Path) -> Path:
    """Where the class archive of `dist` for the Java that runs it is (it may not exist): an
    archive holds one JVM build's view of the classes, so each Java gets its own."""
    java = find_java_home().resolve()
    release = (java / "release").read_text() if (java / "release").exists() else ""
    key = hashlib.sha256(f"{java}\n{release}".encode()).hexdigest()[:12]
    return dist / "cds" / f"keycloak-{key}.jsa"


def archive_options(rendered: Rendered, dist: Path) -> str:
    """JVM options that map the class archive of `dist`, when there is one and it is wanted.
    The JVM's own CDS log is off: its "[error][cds]" lines about module options that were not
    recorded at dump time are noise (the archive is still mapped)."""
    if not archive_wanted(rendered) or not class_archive(dist).exists():
        return ""
    return f"-XX:SharedArchiveFile={class_archive(dist)} -Xlog:cds=off"


def _build(version: str, opts: list[str], home: Path, out: TextIO) -> None:
    tgz = tarball(version, out)
    print(f"==> unpacking and pre-building Keycloak {version} ({' '.join(opts)})", file=out, flush=True)
    tmp = cache_dir() / f".{home.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="tar")
    (top,) = list(tmp.iterdir())
    env = {**os.environ, "JAVA_HOME": str(find_java_home())}
    proc = subprocess.run([str(top / "bin" / "kc.sh"), "build", *opts], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StackError(f"kc.sh build failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    (top / ".prebuilt").write_text(" ".join(opts))
    shutil.rmtree(home, ignore_errors=True)
    top.rename(home)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"==> Keycloak {version} ready in {home}", file=out)


def find_java_home() -> Path:
    """A JDK that runs the pinned Keycloak (17, 21 or 25), JAVA_HOME first: kc.sh honours
    only JAVA_HOME or JAVA, not the `java` on PATH."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        for major in ("25", "21", "17"):  # newest LTS first
            candidates += sorted(p for p in jvm.iterdir() if re.search(rf"(^|-){major}([.-]|$)", p.name))
    for home in candidates:
        if (home / "bin" / "java").exists():
            return home
    raise StackError(
        "no Java 17, 21 or 25 found for Keycloak: install a JDK "
        "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
    )


def keycloak_version(rendered: Rendered) -> str:
    """The Keycloak version: the keycloak image's tag, without a stand-in's suffix."""
    return rendered.image_tag("keycloak").split("-", 1)[0]

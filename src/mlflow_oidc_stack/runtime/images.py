"""The images the compose file needs, on hosts where no image registry answers.

`make up` in compose mode asks, for each image of the render: is it here? can it be pulled?
The official images stay the default wherever they can be pulled. When one cannot be, the
bundle builds its own stand-in from packages (compose/images/<name>/Dockerfile): Debian's
archive for PostgreSQL, Redis, OpenJDK and Python, Maven Central for Keycloak, PyPI for
MLflow. The base is `debian:<suite>-slim` when that can be pulled, else a `debootstrap`
of the suite imported with `docker import`.

Stand-ins carry the bundle's own names (mlflow-oidc-stack/...), never an official image's,
which would silently shadow it on a host that can pull later; `make up` writes the name
into the variable of .env that selects the image (POSTGRES_IMAGE, ...), so what runs is
visible in one place. Each build is labelled with a hash of its inputs (Dockerfile context,
build arguments, base image), so a changed recipe is rebuilt and an unchanged one is reused.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import ROOT, StackError
from ..config import envfile
from ..config.facts import Rendered
from . import seaweedfs
from .keycloak_dist import SEED, build_options, tarball
from .progress import Steps

NAMESPACE = "mlflow-oidc-stack"
LABEL = "org.mlflow-oidc-stack.inputs"
IMAGES_DIR = ROOT / "compose" / "images"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
DEBIAN_MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
DEBIAN_SECURITY_MIRROR = os.environ.get("DEBIAN_SECURITY_MIRROR", "http://deb.debian.org/debian-security")


def _docker(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, **kwargs)


def image_id(ref: str) -> str | None:
    proc = _docker("image", "inspect", "--format", "{{.Id}}", ref)
    return proc.stdout.strip() if proc.returncode == 0 else None


def image_label(ref: str) -> str | None:
    proc = _docker("image", "inspect", "--format", f'{{{{index .Config.Labels "{LABEL}"}}}}', ref)
    return proc.stdout.strip() if proc.returncode == 0 else None


def is_ours(ref: str) -> bool:
    return ref.startswith(NAMESPACE + "/")


def _tag(ref: str) -> str:
    return ref.rsplit(":", 1)[1] if ":" in ref.rsplit("/", 1)[-1] else "latest"


# --- recipes: what stands in for which official image -----------------------------------


def _pg_suite(tag: str) -> str:
    major = tag.split(".")[0]
    suites = {"15": "bookworm", "17": "trixie"}
    if major not in suites:
        raise StackError(
            f"no local build for PostgreSQL {major}: Debian packages PostgreSQL 15 "
            "(bookworm) and 17 (trixie); set POSTGRES_IMAGE to one of those versions"
        )
    return suites[major]


def _redis_suite(tag: str) -> str:
    if not tag.startswith("7.0"):
        raise StackError(
            f"no local build for Redis {tag}: Debian bookworm packages Redis 7.0; set REDIS_IMAGE=redis:7.0.x"
        )
    return "bookworm"


def _caddy_suite(tag: str) -> str:
    if not tag.startswith("2."):
        raise StackError(
            f"no local build for Caddy {tag}: Debian bookworm packages Caddy 2.6; set CADDY_IMAGE=caddy:2.6.2"
        )
    return "bookworm"


def _python_suite(tag: str) -> str:
    return "trixie"  # bookworm has only Python 3.11; trixie's 3.13 meets mlflow-oidc-auth 11


@dataclass(frozen=True)
class Recipe:
    name: str  # compose/images/<name>
    variable: str  # the .env variable that selects the image
    reference: Callable[[Rendered], str]  # the image the render uses now
    suite: Callable[[str], str]  # official tag -> Debian suite of the base
    local_tag: Callable[[Rendered, str, str], str]  # (render, official tag, suite) -> the stand-in's tag
    args: Callable[[Rendered, str], dict[str, str]] = lambda r, tag: {}
    files: Callable[[Rendered, str, Steps], dict[str, Path]] = lambda r, tag, s: {}
    options_in_tag: bool = False  # local_tag encodes build options of the render

    def local_ref(self, rendered: Rendered, official: str) -> str:
        tag = _tag(official)
        return f"{NAMESPACE}/{self.name}:{self.local_tag(rendered, tag, self.suite(tag))}"


def _mlflow_base(r: Rendered) -> str:
    return ((r.services["mlflow"].get("build") or {}).get("args") or {}).get("BASE_IMAGE", "")


RECIPES = [
    Recipe(
        "postgres",
        "POSTGRES_IMAGE",
        lambda r: r.image("postgres"),
        _pg_suite,
        lambda r, tag, suite: f"{tag.split('.')[0]}-{suite}",
        args=lambda r, tag: {"PG_MAJOR": tag.split(".")[0]},
    ),
    Recipe("redis", "REDIS_IMAGE", lambda r: r.image("redis"), _redis_suite, lambda r, tag, suite: f"7.0-{suite}"),
    Recipe(
        "keycloak",
        "KEYCLOAK_IMAGE",
        lambda r: r.image("keycloak"),
        lambda tag: "trixie",  # its OpenJDK 25 (compose/images/keycloak/Dockerfile)
        # Build options are baked in: metrics on, or a path (the HTTPS profile's /auth), gives
        # another image (another tag), so stacks with and without them never rebuild each other's.
        lambda r, tag, suite: (
            tag
            + ("-metrics" if "--metrics-enabled=true" in build_options(r) else "")
            + ("-path" if any(o.startswith("--http-relative-path=") for o in build_options(r)) else "")
        ),
        args=lambda r, tag: {"KC_BUILD_OPTIONS": " ".join(build_options(r))},
        # The shipped schema: the image's class archive is made by one start on it.
        files=lambda r, tag, steps: {"keycloak.tar.gz": tarball(tag, steps.out), "keycloak-schema.sql": SEED},
        options_in_tag=True,
    ),
    Recipe("python", "MLFLOW_BASE_IMAGE", _mlflow_base, _python_suite, lambda r, tag, suite: f"3.13-{suite}"),
    # The HTTPS profile's proxy (compose/proxy.yml); nothing to do without it.
    Recipe(
        "caddy",
        "CADDY_IMAGE",
        lambda r: r.image("proxy") if r.proxied else "",
        _caddy_suite,
        lambda r, tag, suite: f"2.6-{suite}",
    ),
    # The S3 artifact store's server (compose/s3.yml); nothing to do without it.
    Recipe(
        "seaweedfs",
        "SEAWEEDFS_IMAGE",
        lambda r: r.image("s3") if "s3" in r.services else "",
        lambda tag: "bookworm",
        lambda r, tag, suite: f"{tag}-{suite}",
        files=lambda r, tag, steps: {"weed": seaweedfs.ensure(tag, out=steps.out)},
    ),
]


# --- building -------------------------------------------------------------------------


@dataclass
class Builder:
    steps: Steps
    env_file: Path
    pull_failures: dict[str, str] = field(default_factory=dict)  # registry -> why
    changed: dict[str, str] = field(default_factory=dict)  # .env variable -> new value

    def pull(self, ref: str) -> bool:
        registry = ref.split("/")[0] if "." in ref.split("/")[0] else "docker.io"
        if registry in self.pull_failures:
            return False
        with open(self.steps.log, "a") as log:
            log.write(f"$ docker pull {ref}\n")
            log.flush()
            proc = subprocess.run(["docker", "pull", ref], stdout=log, stderr=subprocess.PIPE, text=True)
            log.write(proc.stderr)
        if proc.returncode == 0:
            self.steps.say(f"pulled {ref}")
            return True
        why = (proc.stderr.strip().splitlines() or ["no answer"])[-1]
        first = not self.pull_failures
        self.pull_failures[registry] = why
        self.steps.say(f"cannot pull {ref}: {why}")
        if first:
            self.steps.say(
                "where an image cannot be pulled, the bundle builds its own stand-in from "
                "Debian, Maven Central and PyPI packages (a few minutes, once; log: "
                f"{self.steps.log}). Without Docker, STACK=native runs the same stack from "
                "local binaries."
            )
        return False

    def base(self, suite: str) -> str:
        ref = f"{NAMESPACE}/debian:{suite}"
        if image_id(ref):
            return ref
        official = f"debian:{suite}-slim"
        if image_id(official) or self.pull(official):
            return official
        if os.geteuid() != 0:
            raise StackError(
                f"building the base image {ref} needs root (debootstrap): run "
                "`sudo make up` once, or make debian:{suite}-slim pullable, or use "
                "STACK=native"
            )
        if not shutil.which("debootstrap"):
            self.steps.run(
                ["apt-get", "install", "-y", "-q", "--no-install-recommends", "debootstrap"],
                "apt-get install debootstrap",
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        with self.steps.step(f"base image {ref} (debootstrap {suite} from {DEBIAN_MIRROR})"):
            root = Path(tempfile.mkdtemp(prefix=f"debootstrap-{suite}-", dir="/var/tmp"))
            try:
                self.steps.run(
                    ["debootstrap", "--variant=minbase", suite, str(root), DEBIAN_MIRROR], f"debootstrap {suite}"
                )
                (root / "etc" / "apt" / "sources.list").write_text(
                    f"deb {DEBIAN_MIRROR} {suite} main\n"
                    f"deb {DEBIAN_MIRROR} {suite}-updates main\n"
                    f"deb {DEBIAN_SECURITY_MIRROR} {suite}-security main\n"
                )
                for d in ("var/lib/apt/lists", "var/cache/apt/archives"):
                    for p in (root / d).glob("*"):
                        if p.is_file():
                            p.unlink()
                tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
                with open(self.steps.log, "a") as log:
                    imp = subprocess.run(
                        ["docker", "import", "-c", 'CMD ["bash"]', "-c", "ENV LANG=C.UTF-8", "-", ref],
                        stdin=tar.stdout,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                tar.wait()
                if imp.returncode != 0 or tar.returncode != 0:
                    raise StackError(f"docker import of {ref} failed; see {self.steps.log}")
            finally:
                shutil.rmtree(root, ignore_errors=True)
        return ref

    def build(self, ref: str, context: Path, args: dict[str, str], files: dict[str, Path], why: str) -> None:
        """Build `ref` from `context` (plus extra files) unless an image with the same inputs exists."""
        digest = hashlib.sha256()
        for path in sorted(p for p in context.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(context)).encode() + b"\0" + path.read_bytes())
        for k, v in sorted(args.items()):
            digest.update(f"{k}={v}\0".encode())
            if k == "BASE_IMAGE":
                digest.update((image_id(v) or "").encode())
        for name, path in sorted(files.items()):
            digest.update(name.encode() + b"\0")
            marker = path.with_name(path.name + ".sha512-verified")
            digest.update(marker.read_bytes() if marker.exists() else path.read_bytes())
        inputs = digest.hexdigest()[:16]
        if image_label(ref) == inputs:
            return
        with self.steps.step(f"{why} {ref}"), tempfile.TemporaryDirectory(prefix="image-context-") as tmp:
            ctx = Path(tmp) / "context"
            shutil.copytree(context, ctx)
            for name, path in files.items():
                os.link(path, ctx / name) if os.stat(path).st_dev == os.stat(tmp).st_dev else shutil.copyfile(
                    path, ctx / name
                )
            cmd = ["docker", "build", "--pull=false", "-t", ref, "--label", f"{LABEL}={inputs}"]
            for k, v in args.items():
                cmd += ["--build-arg", f"{k}={v}"]
            self.steps.run(cmd + [str(ctx)], f"docker build {ref}")

    def stand_in(self, recipe: Recipe, rendered: Rendered) -> None:
        ref = recipe.reference(rendered)
        if not ref:
            return
        if is_ours(ref):  # a stand-in already (e.g. selected in .env): keep it built
            target, tag = ref, _tag(ref).removesuffix("-path").removesuffix("-metrics")
            tag = tag.removesuffix("-bookworm").removesuffix("-trixie")
            if recipe.options_in_tag:
                # The tag names the build options (Keycloak's -metrics, -path): take them from
                # this render, not from .env, or a tag would hold another build's options and
                # `kc.sh start` would re-build on every start.
                target = f"{NAMESPACE}/{recipe.name}:{recipe.local_tag(rendered, tag, recipe.suite(tag))}"
        else:
            if image_id(ref) or self.pull(ref):
                return
            target, tag = recipe.local_ref(rendered, ref), _tag(ref)
        args = {"BASE_IMAGE": self.base(recipe.suite(tag)), **recipe.args(rendered, tag)}
        self.build(target, IMAGES_DIR / recipe.name, args, recipe.files(rendered, tag, self.steps), f"{recipe.name}:")
        if target != ref:
            self.changed[recipe.variable] = target

    def bundle_image(self, rendered: Rendered, service: str) -> None:
        """An image the bundle always builds itself (compose `build:`), e.g. mlflow's."""
        build = rendered.services[service].get("build")
        if not build:
            return
        context = Path(build["context"])
        args = {k: str(v) for k, v in (build.get("args") or {}).items()}
        files = {"extra-ca.crt": HOST_CA} if HOST_CA.exists() else {}
        self.build(rendered.image(service), context, args, files, f"{service}:")


# What the tools image holds of this checkout (compose/tools/Dockerfile): the package, and the
# files it finds its root by and reads (the compose files, the realm).
TOOLS_FILES = ("pyproject.toml", "src/mlflow_oidc_stack", "compose/docker-compose.yml", "compose/proxy.yml",
               "compose/s3.yml", "keycloak/realm-export.json", ".env.example")  # fmt: skip


def bundle_tar(dest: Path) -> Path:
    """TOOLS_FILES as a tar whose bytes depend on their contents only (sorted, no times or
    owners), so an unchanged checkout gives the same build inputs and no rebuild."""
    import io
    import tarfile

    paths: list[Path] = []
    for name in TOOLS_FILES:
        p = ROOT / name
        paths += sorted(q for q in p.rglob("*") if q.is_file() and "__pycache__" not in q.parts) if p.is_dir() else [p]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for p in paths:
            info = tarfile.TarInfo(str(p.relative_to(ROOT)))
            data = p.read_bytes()
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    if not dest.exists() or dest.read_bytes() != buf.getvalue():
        dest.write_bytes(buf.getvalue())
    return dest


def tools_image(rendered: Rendered, steps: Steps, work: Path) -> str:
    """The tools image (bootstrap-keycloak and the doctor, for the Helm chart's hook Job and
    `helm test`), on the MLflow image's base; rebuilt when the package changes."""
    from importlib.metadata import version

    ref = f"{NAMESPACE}/tools:{version('mlflow-oidc-stack')}"
    work.mkdir(parents=True, exist_ok=True)
    files = {"tools.lock": ROOT / "requirements" / "tools.lock", "bundle.tar": bundle_tar(work / "bundle.tar")}
    if HOST_CA.exists():
        files["extra-ca.crt"] = HOST_CA
    Builder(steps, rendered.env_file).build(
        ref, ROOT / "compose" / "tools", {"BASE_IMAGE": _mlflow_base(rendered)}, files, "tools:"
    )
    return ref


def ensure(rendered: Rendered, steps: Steps, render_again: Callable[[], Rendered]) -> Rendered:
    """Make every image of the render available; returns the (re-)render that uses them."""
    builder = Builder(steps, rendered.env_file)
    for recipe in RECIPES:
        builder.stand_in(recipe, rendered)
    if builder.changed:
        envfile.update(rendered.env_file, builder.changed)
        for name, value in builder.changed.items():
            steps.say(
                f"set {name}={value} in {rendered.env_file} (the official image cannot be pulled; "
                f"the previous .env is kept as {rendered.env_file.name}.bak)"
            )
        rendered = render_again()
    for service in rendered.services:
        builder.bundle_image(rendered, service)
    return rendered

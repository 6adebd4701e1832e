"""SeaweedFS's `weed`, the S3 artifact store's server (compose/s3.yml), built from the Go
module proxy once per version.

The version is the tag of the `s3` image in the compose render (the official image,
chrislusf/seaweedfs:<tag>), so both modes run what Compose would. SeaweedFS publishes no
Go module versions, only commits: RELEASES maps each release tag the bundle supports to
the commit's pseudo-version on the module proxy. The module declares a `replace`, so
`go install module@version` refuses it: the module's own source (from the module cache,
checked against go.sum by the go command) is built as the main module instead. The binary
is cached under ~/.cache/mlflow-oidc-stack/seaweedfs-<tag>/weed:

* native mode runs it;
* compose mode copies it into the bundle's stand-in image where the official one cannot be
  pulled (compose/images/seaweedfs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from .. import StackError
from .gobuild import source_build
from .keycloak_dist import cache_dir

MODULE = "github.com/seaweedfs/seaweedfs"
# release tag (the image's) -> the commit's version on the Go module proxy
RELEASES = {"4.53": "v0.0.0-20261109003541-7506e5f91cd6"}


def binary_path(tag: str) -> Path:
    return cache_dir() / f"seaweedfs-{tag}" / "weed"


def ensure(tag: str, out: TextIO | None = None) -> Path:
    """`weed` of release `tag` (the bundle's stand-in tags add `-<suite>`), built once (a few
    minutes) and cached."""
    tag = tag.split("-", 1)[0]
    if tag not in RELEASES and not binary_path(tag).exists():
        raise StackError(
            f"SeaweedFS {tag} (the s3 service's image tag) is not a release the bundle knows how to build "
            f"natively: use one of {', '.join(sorted(RELEASES))} in SEAWEEDFS_IMAGE, or add its commit's "
            "version to runtime/seaweedfs.py RELEASES"
        )
    version = RELEASES.get(tag, "")
    ldflags = f"-X {MODULE}/weed/util/version.COMMIT={version.rsplit('-', 1)[-1][:8]}"
    return source_build(
        MODULE, version, "weed", ldflags, binary_path(tag), out, f"SeaweedFS {tag}", "set ARTIFACT_STORE=local"
    )


def default_tag() -> str:
    """The release compose/s3.yml names when SEAWEEDFS_IMAGE is unset."""
    from ..config.profile import S3_FILE

    m = re.search(r"SEAWEEDFS_IMAGE:-[^}]*:([0-9][^}\s]*)\}", S3_FILE.read_text())
    if not m:
        raise StackError(f"{S3_FILE} names no default SeaweedFS image tag")
    return m.group(1)


if __name__ == "__main__":  # `make test` builds it ahead, while other tests run
    import sys

    try:
        print(ensure(default_tag(), out=sys.stdout))
    except StackError as exc:
        print(f"seaweedfs: {exc}", file=sys.stderr)
        sys.exit(1)

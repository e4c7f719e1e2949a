"""Install an OS definition shipped with pyganeti (e.g. `noop`) into the root's OS search path."""

from __future__ import annotations

import re
import shlex
import shutil
from importlib import resources
from pathlib import Path

from pyganeti import errors
from pyganeti.osprovider.discovery import SCRIPTS, VARIANTS_FILE
from pyganeti.paths import Paths


def builtin_os_names() -> list[str]:
    base = resources.files("pyganeti.osprovider") / "builtin"
    return sorted(entry.name for entry in base.iterdir() if entry.is_dir())


def install_builtin_os(paths: Paths, name: str = "noop") -> Path:
    """Copy built-in OS `name` into the first OS search directory; returns its directory.

    Re-installing replaces the previous copy. A built-in OS that ships no variants.list
    (guix) gets a link to the one in its variants directory, which the host configuration
    renders (etc/ganeti/instance-NAME/variants/variants.list, ganeti-instance-guix's layout).
    """
    source = resources.files("pyganeti.osprovider") / "builtin" / name
    if not source.is_dir():
        raise errors.OpPrereqError(
            f"no built-in OS named {name!r} (available: {', '.join(builtin_os_names())})",
            errors.ECODE_NOENT,
        )
    target = paths.os_search_path[0] / name
    staging = target.with_name(f".{name}.installing")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True, mode=0o755)
    for entry in source.iterdir():
        if not entry.is_file():
            continue
        dest = staging / entry.name
        dest.write_bytes(entry.read_bytes())
        # Package installs may drop the exec bit: scripts get it back explicitly.
        dest.chmod(0o755 if entry.name in SCRIPTS else 0o644)
    if not (source / VARIANTS_FILE).is_file():
        (staging / VARIANTS_FILE).symlink_to(paths.os_variants_dir(name) / VARIANTS_FILE)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target


# The built-in image OS; not "image", which is the third-party ganeti-instance-image.
IMAGE_OS = "diskimage"
_VARIANT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def add_image_variant(paths: Paths, variant: str, image: Path, image_format: str = "") -> Path:
    """Declare variant `variant` of the built-in diskimage OS: `image` (raw or qcow2) here.

    Writes etc/ganeti/instance-diskimage/variants/VARIANT.conf (IMAGE=, IMAGE_FORMAT=) and adds
    the name to variants.list there; returns the .conf path. Replaces an existing variant.
    """
    if not _VARIANT_NAME.match(variant):
        raise errors.OpPrereqError(
            f"invalid variant name {variant!r}: letters, digits, '_', '.', '-' only",
            errors.ECODE_INVAL,
        )
    if image_format not in ("", "raw", "qcow2"):
        raise errors.OpPrereqError(
            f"image format {image_format!r} is not raw or qcow2", errors.ECODE_INVAL
        )
    if not image.is_absolute() or not image.is_file():
        raise errors.OpPrereqError(
            f"image {str(image)!r} is not an existing file (absolute path)", errors.ECODE_NOENT
        )
    variants_dir = paths.os_variants_dir(IMAGE_OS)
    variants_dir.mkdir(parents=True, exist_ok=True)
    conf = variants_dir / f"{variant}.conf"
    # The create script sources this file, so values are shell-quoted.
    conf.write_text(f"IMAGE={shlex.quote(str(image))}\nIMAGE_FORMAT={shlex.quote(image_format)}\n")
    listing = variants_dir / VARIANTS_FILE
    names = listing.read_text().split() if listing.exists() else []
    if variant not in names:
        listing.write_text("".join(f"{n}\n" for n in [*names, variant]))
    return conf

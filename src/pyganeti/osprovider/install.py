"""Install an OS definition shipped with pyganeti (e.g. `noop`) into the root's OS search path."""

from __future__ import annotations

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

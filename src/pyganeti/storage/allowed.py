"""The file-storage-paths allow-list: every file disk or directory must lie inside it."""

from __future__ import annotations

import os
from pathlib import Path

from pyganeti import errors
from pyganeti.paths import Paths


def allowed_dirs(paths: Paths) -> list[Path]:
    """Absolute directories listed in etc/ganeti/file-storage-paths ('#' starts a comment)."""
    try:
        text = paths.file_storage_paths.read_text()
    except FileNotFoundError:
        return []
    result = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and os.path.isabs(line):
            result.append(Path(line))
    return result


def check_path(paths: Paths, path: str | os.PathLike[str]) -> Path:
    """`path` with symlinks and '..' resolved, if inside an allowed directory.

    Raises FileStoragePathError naming the path and the allowed list otherwise.
    """
    raw = os.fspath(path)
    if not os.path.isabs(raw):
        raise errors.FileStoragePathError(f"file storage path {raw!r} is not absolute")
    real = Path(os.path.realpath(raw))
    allowed = allowed_dirs(paths)
    for base in allowed:
        real_base = Path(os.path.realpath(base))
        if real == real_base or real.is_relative_to(real_base):
            return real
    listed = ", ".join(str(p) for p in allowed) or "none"
    raise errors.FileStoragePathError(
        f"path {raw} (resolved to {real}) is not inside an allowed file storage directory"
        f" (allowed in {paths.file_storage_paths}: {listed})"
    )

"""Unix socket paths of any length: sun_path holds only 108 bytes, but a relocated root
can be deep, so long paths are reached through an O_PATH handle on their directory."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

# Leave room for the terminating NUL and some slack.
MAX_SUN_PATH = 100


@contextlib.contextmanager
def usable(path: str | os.PathLike[str]) -> Iterator[str]:
    """A path that bind()/connect() accept and that names the same socket as `path`."""
    text = os.fspath(path)
    if len(text.encode()) <= MAX_SUN_PATH:
        yield text
        return
    directory, name = os.path.split(text)
    fd = os.open(directory or ".", os.O_PATH | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{name}"
    finally:
        os.close(fd)

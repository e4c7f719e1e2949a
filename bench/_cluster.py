"""Bring up a throwaway single-node cluster for a benchmark (real daemons, temp root)."""

from __future__ import annotations

import contextlib
import os
import platform
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pyganeti.cli.umbrella import up
from pyganeti.daemons import util
from pyganeti.paths import Paths


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def free_address() -> str:
    for last in range(1, 255):
        address = f"127.0.5.{last}"
        with socket.socket() as sock:
            try:
                sock.bind((address, 1811))
            except OSError:
                continue
        return address
    raise RuntimeError("no free loopback address")


@contextlib.contextmanager
def cluster() -> Iterator[Paths]:
    with tempfile.TemporaryDirectory(prefix="pyganeti-bench-") as tmp:
        paths = Paths.from_root(Path(tmp))
        assert up(paths, node_ip=free_address(), quiet=True) == 0
        try:
            yield paths
        finally:
            util.stop_all(paths)


def ganeti_python() -> str | None:
    """The system interpreter with Debian's Ganeti importable, if installed."""
    if Path("/usr/share/ganeti/3.0/ganeti/luxi.py").exists():
        probe = subprocess.run(["/usr/bin/python3", "-c", "import sys"], check=False)
        if probe.returncode == 0:
            return "/usr/bin/python3"
    return None

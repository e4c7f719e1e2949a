"""A real single-node cluster in a temporary root: real daemons on a private loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyganeti.cli.umbrella import up
from pyganeti.daemons import util
from pyganeti.luxi.client import Client
from pyganeti.paths import Paths

BIN = Path(sys.executable).parent


def free_node_address() -> str:
    """A 127.0.N.M address no other test uses: xdist workers get their own /24."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base = 10 + int(worker.removeprefix("gw") or 0)
    # Concurrent pytest sessions on one machine get different /24s as well.
    third = os.getpid() % 200 + 1
    for last in range(1, 255):
        address = f"127.{base}.{third}.{last}"
        with socket.socket() as sock:
            try:
                sock.bind((address, 1811))
            except OSError:
                continue
        return address
    raise RuntimeError("no free loopback address")


@dataclass
class Cluster:
    paths: Paths

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["GANETI_ROOT"] = str(self.paths.root)
        return env

    def run(
        self, *argv: str, check: bool = False, timeout: float = 120, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a gnt-* (or pyganeti) command against this cluster."""
        exe = str(BIN / argv[0]) if (BIN / argv[0]).exists() else argv[0]
        proc = subprocess.run(
            [exe, *argv[1:]],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=stdin,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
            )
        return proc

    def luxi(self) -> Client:
        return Client(self.paths)

    def pid(self, daemon: str) -> int | None:
        return util.read_pid(self.paths, util.get_daemon(daemon))

    def start(self, daemon: str) -> None:
        assert util.start(self.paths, daemon, quiet=True) == 0

    def stop(self) -> None:
        util.stop_all(self.paths)


def make_cluster(root: Path) -> Cluster:
    paths = Paths.from_root(root)
    node_ip = free_node_address()
    try:
        assert up(paths, node_ip=node_ip, quiet=True) == 0
    except BaseException:
        util.stop_all(paths)  # never leave half a cluster running
        raise
    return Cluster(paths)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    # A short root: Ganeti's own luxi client (a test peer) cannot reach unix sockets
    # whose path exceeds sun_path, and pytest's tmp_path can be deep.
    root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
    handle = make_cluster(root)
    try:
        yield handle
    finally:
        handle.stop()
        if not os.environ.get("PYGANETI_KEEP_ROOTS"):  # keep them to read daemon logs
            shutil.rmtree(root, ignore_errors=True)

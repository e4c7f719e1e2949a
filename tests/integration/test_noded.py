"""The real ganeti-noded process in a temporary root, called over TLS on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyganeti import PROTOCOL_VERSION, certs, errors
from pyganeti.osprovider import install_builtin_os
from pyganeti.paths import Paths
from pyganeti.rpc.client import RpcClient

SRC = str(Path(__file__).resolve().parents[2] / "src")
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cert") / "server.pem"
    certs.generate_cluster_cert(path, "cluster.test")
    return path


@pytest.fixture
def paths(tmp_path: Path, pem: Path) -> Paths:
    p = Paths.from_root(tmp_path / "node1")
    p.ensure_dirs()
    p.config_file.write_text("{}")
    shutil.copy(pem, p.server_pem)
    p.file_storage_paths.write_text(f"{p.file_storage_dir}\n")
    return p


class Noded:
    def __init__(self, paths: Paths, port: int) -> None:
        self.paths = paths
        self.port = port
        self.proc: subprocess.Popen[str] | None = None

    def start(self, *extra: str) -> subprocess.Popen[str]:
        where = [] if "-i" in extra else ["-b", HOST]  # -b and -i exclude each other
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pyganeti.daemons.noded", "--root", str(self.paths.root),
             *where, "-p", str(self.port), *extra],
            env={**os.environ, "PYTHONPATH": SRC},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        return self.proc

    def wait_ready(self, client: RpcClient) -> None:
        deadline = time.monotonic() + 30
        while True:
            assert self.proc is not None and self.proc.poll() is None, self.proc.communicate()
            try:
                client.call(HOST, "version")
                return
            except errors.RemoteError:
                assert time.monotonic() < deadline, "noded did not come up"
                time.sleep(0.05)

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        self.proc.communicate(timeout=30)
        return self.proc.returncode


@pytest.fixture
def noded(paths: Paths) -> Iterator[tuple[Noded, RpcClient]]:
    daemon = Noded(paths, _free_port())
    client = RpcClient(paths, port=daemon.port)
    daemon.start()
    try:
        daemon.wait_ready(client)
        yield daemon, client
    finally:
        client.close()
        if daemon.proc is not None and daemon.proc.poll() is None:
            daemon.proc.kill()
            daemon.proc.communicate()


def _instance(paths: Paths) -> dict[str, Any]:
    return {
        "name": "inst1.example.com", "uuid": "i-1", "os": "noop+default", "hypervisor": "fake",
        "primary_node": "n-1", "admin_state": "up", "disk_template": "file",
        "beparams": {"maxmem": 64, "minmem": 64, "vcpus": 1}, "hvparams": {}, "osparams": {},
        "nics": [],
        "disks": [{"uuid": "d-1", "dev_type": "file", "size": 8, "mode": "rw", "iv_name": "disk/0",
                   "logical_id": ["loop", str(paths.file_storage_dir / "inst1" / "d-1.file")],
                   "params": {}, "name": None}],
    }  # fmt: skip


def test_noded_serves_rpcs_and_stops_cleanly(noded: tuple[Noded, RpcClient]) -> None:
    daemon, client = noded
    paths = daemon.paths
    assert daemon.paths.pid_file("ganeti-noded").read_text().strip() == str(daemon.proc.pid)  # type: ignore[union-attr]
    assert client.call(HOST, "version") == PROTOCOL_VERSION
    info = client.call(HOST, "node_info", storage_units=[["file", str(paths.file_storage_dir), []]],
                       hv_names=["fake"])  # fmt: skip
    assert info["hv"][0]["memory_total"] > 0 and info["storage"][0]["storage_free"] > 0

    inst = _instance(paths)
    client.call(HOST, "file_storage_dir_create", path=str(paths.file_storage_dir / "inst1"))
    disk = inst["disks"][0]
    path = client.call(HOST, "blockdev_create", disk=disk, size=8, instance_name=inst["name"])
    assert Path(path).stat().st_size == 8 << 20
    assert client.call(HOST, "blockdev_getsize", disks=[disk]) == [8]

    install_builtin_os(paths)
    assert [o["name"] for o in client.call(HOST, "os_diagnose")] == ["noop"]
    log = client.call(HOST, "instance_os_add", instance=inst)
    assert Path(log).is_file()

    client.call(HOST, "instance_start", instance=inst)
    assert set(client.call(HOST, "all_instances_info", hypervisors=["fake"])) == {inst["name"]}
    with pytest.raises(errors.HypervisorError, match=r"already running"):
        client.call(HOST, "instance_start", instance=inst)
    with pytest.raises(errors.FileStoragePathError, match=r"not inside an allowed"):
        client.call(
            HOST, "blockdev_create", disk={**disk, "logical_id": ["loop", "/tmp/x"]}, size=1
        )

    # The fake instance lives on disk: a restarted noded still reports it.
    assert daemon.stop() == 0
    assert not paths.pid_file("ganeti-noded").exists()
    daemon.start()
    daemon.wait_ready(client)
    assert client.call(HOST, "instance_list", hypervisors=["fake"]) == [inst["name"]]
    client.call(HOST, "instance_shutdown", instance=inst, timeout=5)
    assert client.call(HOST, "instance_list", hypervisors=["fake"]) == []
    assert daemon.stop() == 0
    assert "ganeti-noded stopped" in paths.daemon_log("ganeti-noded").read_text()


def test_latency_over_keepalive(noded: tuple[Noded, RpcClient]) -> None:
    # Not a timing assertion: only that many calls reuse one TLS connection.
    _, client = noded
    for _ in range(50):
        client.call(HOST, "version")
    assert len(client._clients[HOST]._transport._pool.connections) == 1


def test_interface_binding_without_tls(paths: Paths) -> None:
    daemon = Noded(paths, _free_port())
    client = RpcClient(paths, port=daemon.port, ssl=False)
    daemon.start("-i", "lo", "--no-ssl", "--max-clients", "2")
    try:
        daemon.wait_ready(client)
        assert client.call(HOST, "version") == PROTOCOL_VERSION
        assert daemon.stop() == 0
    finally:
        client.close()
        if daemon.proc is not None and daemon.proc.poll() is None:
            daemon.proc.kill()


def test_bad_options_are_refused(paths: Paths) -> None:
    proc = Noded(paths, _free_port()).start("--max-clients", "0")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "--max-clients must be at least 1" in err
    proc = Noded(paths, _free_port()).start("-i", "nosuchif0")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "interface 'nosuchif0'" in err


def test_refuses_to_start_without_cluster(tmp_path: Path) -> None:
    paths = Paths.from_root(tmp_path / "empty")
    daemon = Noded(paths, _free_port())
    proc = daemon.start()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == errors.EXIT_NOTCLUSTER
    assert f"no cluster is initialised under {paths.root}" in err


def test_refuses_to_start_without_certificate(paths: Paths) -> None:
    paths.server_pem.unlink()
    proc = Noded(paths, _free_port()).start()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert f"cannot read the cluster certificate {paths.server_pem}" in err


def test_second_noded_is_refused(noded: tuple[Noded, RpcClient]) -> None:
    daemon, _ = noded
    other = Noded(daemon.paths, _free_port()).start()
    _, err = other.communicate(timeout=30)
    assert other.returncode == 1
    assert "already running" in err

"""Hypervisor-level live migration between two QEMU processes of two node roots on one
machine (loopback), with the guest still answering on the target's console afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.hypervisor.base import AttachedDisk
from pyganeti.hypervisor.kvm import KvmHypervisor
from pyganeti.hypervisor.kvm.guestimage import BOOT_MARKER, GuestImage, build_guest
from pyganeti.paths import Paths

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="needs QEMU"),
]


@pytest.fixture(scope="module")
def guest(tmp_path_factory: pytest.TempPathFactory) -> GuestImage:
    try:
        return build_guest(tmp_path_factory.mktemp("guest"))
    except Exception as err:
        pytest.skip(f"cannot build the test guest: {err}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.3)


def log_text(hv: KvmHypervisor, name: str) -> str:
    return hv.console_log(name, 1 << 20, False).decode(errors="replace")


def type_line(hv: KvmHypervisor, name: str, line: str) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(hv.rt.console_socket(name)))
        sock.sendall(line.encode() + b"\n")
        time.sleep(0.3)


@pytest.fixture
def two_nodes(tmp_path: Path) -> Iterator[tuple[KvmHypervisor, KvmHypervisor]]:
    nodes = []
    for n in ("a", "b"):
        paths = Paths.from_root(tmp_path / n)
        paths.ensure_dirs()
        nodes.append(KvmHypervisor(paths))
    yield nodes[0], nodes[1]
    for hv in nodes:
        for name in hv.rt.names():
            pid = hv.rt.qemu_pid(name)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
            record = hv.rt.read_conf(name) or {}
            if record.get("logger_pid"):
                with_pid = int(record["logger_pid"])
                with contextlib.suppress(ProcessLookupError):
                    os.kill(with_pid, signal.SIGKILL)
        socket_dir = hv.rt.socket_dir
        if hv.rt.ctrl_dir.is_symlink():
            shutil.rmtree(socket_dir, ignore_errors=True)


def test_live_migration_keeps_the_guest_running(
    two_nodes: tuple[KvmHypervisor, KvmHypervisor], guest: GuestImage, tmp_path: Path
) -> None:
    source, target = two_nodes
    disk = tmp_path / "disk0"
    disk.write_bytes(b"MARKER:migrating\n" + bytes(4 << 20))
    instance = {
        "name": "mig1",
        "uuid": "6a0f3c1e-0000-4000-8000-000000000001",
        "hypervisor": "kvm",
        "hvparams": {
            "kernel_path": str(guest.kernel),
            "initrd_path": str(guest.initrd),
            "root_path": "",
            "kernel_args": "panic=-1 quiet",
            "migration_port": free_port(),
            "migration_downtime": 300,
            "migration_bandwidth": 1000,
        },
        "beparams": {"maxmem": 128, "minmem": 128, "vcpus": 1},
        "nics": [],
    }
    disks = [AttachedDisk({"mode": "rw"}, str(disk))]
    source.start(instance, disks, False)
    wait_for("the guest to boot", lambda: BOOT_MARKER in log_text(source, "mig1"))
    old_pid = source.rt.qemu_pid("mig1")

    # Migrating to a target that does not listen fails and leaves the source running.
    with pytest.raises(errors.HypervisorError, match="mig1"):
        source.migrate_instance(instance, "127.0.0.1", True)
    source.finalize_migration_src(instance, False, True)
    assert source.get_instance_info("mig1") is not None

    target.accept_instance(instance, disks, "127.0.0.1")
    assert target.get_instance_info("mig1") is not None  # QEMU waits for the state
    source.migrate_instance(instance, "127.0.0.1", True)
    assert source.get_migration_status(instance)["status"] == "completed"
    target.finalize_migration_dst(instance, True)
    source.finalize_migration_src(instance, True, True)

    assert old_pid is not None and source.get_instance_info("mig1") is None
    assert source.list_instances() == [] and target.list_instances() == ["mig1"]
    # The guest kept its state: the same shell answers on the target's console.
    type_line(target, "mig1", "echo MIGRATED-$((6*7))")
    wait_for("the migrated guest to answer", lambda: "MIGRATED-42" in log_text(target, "mig1"), 60)
    assert BOOT_MARKER not in log_text(target, "mig1")  # no reboot happened on the target
    record = target.runtime_record("mig1")
    assert record is not None and "-incoming" not in record["argv"]
    target.stop(instance, True, 0)
    assert target.list_instances() == []

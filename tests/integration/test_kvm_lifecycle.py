"""A real VM through the whole stack: gnt-instance add -H kvm on a file disk, boot a
kernel+initramfs built from Debian packages, read the disk's marker from the console log,
guest-initiated shutdowns (ERROR_down / USER_down), kill -TERM, Ganeti's ACPI shutdown,
reboot, restarts of noded and ganeti-kvmd while the VM runs, and a removal that leaves
no process, tap or runtime file behind."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cluster_fixture import Cluster

from pyganeti.daemons import util
from pyganeti.hypervisor.kvm import accel
from pyganeti.hypervisor.kvm.guestimage import BOOT_MARKER, GuestImage, build_guest
from pyganeti.hypervisor.kvm.runtime import RuntimeDir, pid_alive

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        shutil.which("qemu-system-x86_64") is None or shutil.which("apt-get") is None,
        reason="needs qemu-system-x86 and apt-get",
    ),
]

BOOT_TIMEOUT = 240.0
NAME = "vm1"


@pytest.fixture(scope="module")
def guest(tmp_path_factory: pytest.TempPathFactory) -> GuestImage:
    try:
        return build_guest(tmp_path_factory.mktemp("guest"))
    except Exception as err:  # no package registry: nothing to boot
        pytest.skip(f"cannot build the test guest: {err}")


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = BOOT_TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.3)


def status(cluster: Cluster, name: str = NAME) -> str:
    with cluster.luxi() as client:
        result = client.query("instance", ["status"], None)
    return str(result["data"][0][0][1])


def console_text(rt: RuntimeDir) -> str:
    path = rt.console_log(NAME)
    return path.read_text(errors="replace") if path.exists() else ""


def boots(rt: RuntimeDir) -> int:
    return console_text(rt).count(BOOT_MARKER)


def wait_boot(rt: RuntimeDir, count: int) -> None:
    try:
        wait_for(f"boot #{count} marker on the console", lambda: boots(rt) >= count)
    except pytest.fail.Exception:
        noded = rt.paths.daemon_log("ganeti-noded").read_text()[-2000:]
        pytest.fail(f"no boot #{count}; console:\n{console_text(rt)[-3000:]}\nnoded:\n{noded}")


def type_on_console(rt: RuntimeDir, line: str) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(rt.console_socket(NAME)))
        sock.sendall(line.encode() + b"\n")
        time.sleep(0.5)


def kvmd_watches(cluster: Cluster, pid: int) -> bool:
    log = cluster.paths.daemon_log("ganeti-kvmd")
    return log.exists() and f"(QEMU pid {pid})" in log.read_text()


def gnt(cluster: Cluster, *argv: str) -> str:
    return cluster.run("gnt-instance", *argv, check=True, timeout=300).stdout


def qemu_and_loggers(rt: RuntimeDir) -> list[int]:
    """Pids of processes using this cluster's KVM sockets (QEMU or console loggers)."""
    found = []
    marker = str(rt.socket_dir).encode()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if marker in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(int(entry))
            except OSError:
                pass
    return found


def test_kvm_instance_lifecycle(cluster: Cluster, guest: GuestImage) -> None:
    rt = RuntimeDir(cluster.paths)
    cluster.run(
        "gnt-cluster", "modify", "--enabled-hypervisors=fake,kvm", "--user-shutdown=yes",
        check=True,
    )  # fmt: skip
    # Bad hypervisor parameters are refused before anything is created.
    for bad, named in (("nic_type=virtio", "nic_type='virtio'"), ("bogus=1", "bogus")):
        refused = cluster.run("gnt-instance", "add", "-o", "noop+default", "-t", "file",
                              "-s", "16M", "--no-nics", "-H", f"kvm:{bad}", "--no-start",
                              "--no-name-check", "--no-ip-check", "bad1")  # fmt: skip
        assert refused.returncode != 0 and named in refused.stderr + refused.stdout
    assert not (cluster.paths.file_storage_dir / "bad1").exists()
    assert "bad1" not in cluster.run("gnt-instance", "list", "--no-headers", "-o", "name").stdout
    hv = (
        f"kvm:kernel_path={guest.kernel},initrd_path={guest.initrd},root_path=,"
        "kernel_args=panic=-1 quiet,user_shutdown=false"
    )
    gnt(cluster, "add", "-o", "noop+default", "-t", "file", "-s", "16M", "--no-nics", "-H", hv,
        "-B", "maxmem=128M,minmem=128M,vcpus=1", "--no-start", "--no-name-check",
        "--no-ip-check", NAME)  # fmt: skip
    disk = cluster.paths.file_storage_dir / NAME / "disk0"
    with disk.open("r+b") as fh:
        fh.write(b"MARKER:from-the-file-disk\n")
    try:
        # 1. Boot; the console log shows the guest read our file disk.
        gnt(cluster, "startup", NAME)
        wait_boot(rt, 1)
        assert "disk=/dev/vda MARKER:from-the-file-disk" in console_text(rt)
        assert status(cluster) == "running"
        record = rt.read_conf(NAME)
        assert record is not None
        expected = accel.choose(cluster.paths, "/usr/bin/kvm", "")
        assert record["accel"] == expected.accel and record["accel_reason"] == expected.reason
        assert ["-accel", expected.accel] == record["argv"][3:5]
        pid = rt.qemu_pid(NAME)
        assert pid is not None

        # Restarting noded and ganeti-kvmd loses nothing: the VM is still reported, its
        # console logger still relays (and logs), and later steps still control it.
        for daemon in ("ganeti-noded", "ganeti-kvmd"):
            assert util.stop(cluster.paths, daemon) == 0
            cluster.start(daemon)
        assert status(cluster) == "running" and rt.qemu_pid(NAME) == pid
        type_on_console(rt, "echo ALIVE-$((2+3))")
        wait_for("the guest to answer after the restart", lambda: "ALIVE-5" in console_text(rt))

        # 2. The guest powers itself off without user_shutdown: ERROR_down.
        wait_for("kvmd watching", lambda: kvmd_watches(cluster, pid), 30)
        type_on_console(rt, "poweroff -f")
        wait_for("QEMU exit", lambda: not pid_alive(pid), 60)
        wait_for("ERROR_down", lambda: status(cluster) == "ERROR_down", 30)

        # 3. With user_shutdown: start, Ganeti's ACPI shutdown is not a user shutdown.
        gnt(cluster, "modify", "-H", "user_shutdown=true", NAME)
        gnt(cluster, "startup", NAME)
        wait_boot(rt, 2)
        pid = rt.qemu_pid(NAME)
        assert pid is not None
        wait_for("kvmd watching", lambda: kvmd_watches(cluster, pid), 30)
        gnt(cluster, "shutdown", "--timeout=60", NAME)
        assert not pid_alive(pid) and not rt.shutdown_marker(NAME).exists()
        assert status(cluster) == "ADMIN_down"

        # 4. Start, soft reboot (a new QEMU), then the guest powers off: USER_down.
        gnt(cluster, "startup", NAME)
        wait_boot(rt, 3)
        old = rt.qemu_pid(NAME)
        gnt(cluster, "reboot", "--type=soft", NAME)
        wait_boot(rt, 4)
        pid = rt.qemu_pid(NAME)
        assert pid is not None and pid != old and not pid_alive(old or 0)
        wait_for("kvmd watching", lambda: kvmd_watches(cluster, pid), 30)
        type_on_console(rt, "poweroff -f")
        wait_for("USER_down", lambda: status(cluster) == "USER_down", 60)
        assert not pid_alive(pid)

        # 5. kill -TERM of QEMU counts as a user shutdown, as in Ganeti.
        gnt(cluster, "startup", NAME)
        pid = rt.qemu_pid(NAME)
        assert pid is not None and status(cluster) == "running"
        wait_for("kvmd watching", lambda: kvmd_watches(cluster, pid), 30)
        os.kill(pid, signal.SIGTERM)
        wait_for("USER_down after SIGTERM", lambda: status(cluster) == "USER_down", 60)

        # 6. Removal leaves nothing behind.
        gnt(cluster, "remove", "-f", "--shutdown-timeout=10", NAME)
        assert qemu_and_loggers(rt) == []
        for sub in ("pid", "conf"):
            assert os.listdir(rt.root / sub) == []
        left = os.listdir(rt.socket_dir) if rt.socket_dir.exists() else []  # may be pruned
        assert [n for n in left if n.startswith(NAME)] == []
        assert not disk.exists()
        taps = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
        assert "gnt" not in taps
    finally:
        for leftover in qemu_and_loggers(rt):
            os.kill(leftover, signal.SIGKILL)

"""The guest VM service boots a Linux guest built from Debian packages, delivers its
secrets through the forwarded secrets port, and forwards SSH and VNC ports to it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from pyganeti.host.guest_vm import RECEIVER_SCRIPT
from pyganeti.host.records import GuestVmConfiguration, HostConfiguration
from pyganeti.host.render.services import expand

CACHE = Path(os.environ.get("PYGANETI_TEST_CACHE", "/var/tmp/pyganeti-test-cache"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("qemu-system-x86_64") is None or shutil.which("apt-get") is None,
        reason="needs qemu-system-x86 and apt-get",
    ),
]

# The test guest's init: stands in for an OS image that runs the receiver at boot and
# serves SSH and VNC (here two echo servers on guest ports 2222 and 5900).
GUEST_INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /lib/modules/mii.ko
# QEMU emulates an RTL8139C+, which 8139cp drives (8139too declines it).
insmod /lib/modules/8139cp.ko
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
/secrets-receiver 1004 /
echo "SECRET-CHECK $(stat -c '%a %u' /etc/test/secret) $(cat /etc/test/secret)"
nc -ll -p 2222 -e cat &
nc -ll -p 5900 -e cat &
while true; do sleep 60; done
"""


def _debian_files(workdir: Path) -> tuple[Path, Path, dict[str, Path]]:
    """Kernel, static busybox and the rtl8139 modules, from Debian's packages."""
    CACHE.mkdir(parents=True, exist_ok=True)
    depends = subprocess.run(
        ["apt-cache", "depends", "linux-image-amd64"], capture_output=True, text=True, check=False
    ).stdout
    kernel_pkg = next(
        (line.split()[-1] for line in depends.splitlines() if "Depends: linux-image-" in line), None
    )
    if kernel_pkg is None:
        pytest.skip("apt cannot resolve linux-image-amd64 (run apt-get update)")
    for pkg in (kernel_pkg, "busybox-static"):
        if not list(CACHE.glob(f"{pkg}_*.deb")):
            got = subprocess.run(
                ["apt-get", "download", pkg], cwd=CACHE, capture_output=True, text=True, check=False
            )
            if got.returncode != 0:
                pytest.skip(f"cannot download {pkg}: {got.stderr.strip()}")
    # Unpacking the kernel package is the slow part: do it once per package version.
    debs = sorted([*CACHE.glob(f"{kernel_pkg}_*.deb"), *CACHE.glob("busybox-static_*.deb")])
    tree = CACHE / ("tree-" + "-".join(d.stem for d in debs))
    if not (tree / ".complete").exists():
        shutil.rmtree(tree, ignore_errors=True)
        for deb in debs:
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
        (tree / ".complete").touch()
    kernel = next((tree / "boot").glob("vmlinuz-*"))
    modules = {
        m.name: m for m in (tree / "lib/modules").rglob("*.ko") if m.name in ("mii.ko", "8139cp.ko")
    }
    return kernel, tree / "bin/busybox", modules


def _cpio(entries: list[tuple[str, int, bytes, int]]) -> bytes:
    """A newc cpio archive of (name, mode, data, rdev-minor-of-major-5) entries."""
    out = bytearray()
    for ino, (name, mode, data, minor) in enumerate([*entries, ("TRAILER!!!", 0, b"", 0)], 1):
        raw = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 5 if minor else 0, minor, len(raw), 0]
        out += b"070701" + b"".join(f"{f:08x}".encode() for f in fields) + raw
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def _initramfs(path: Path, busybox: Path, modules: dict[str, Path]) -> None:
    d, x, f = 0o040755, 0o100755, 0o100644
    entries = [
        (n, d, b"", 0) for n in ("bin", "dev", "proc", "sys", "etc", "tmp", "lib", "lib/modules")
    ]
    entries += [
        ("dev/console", 0o020600, b"", 1),
        ("bin/busybox", x, busybox.read_bytes(), 0),
        ("init", x, GUEST_INIT.encode(), 0),
        ("secrets-receiver", x, RECEIVER_SCRIPT.encode(), 0),
    ]
    entries += [(f"lib/modules/{name}", f, p.read_bytes(), 0) for name, p in modules.items()]
    path.write_bytes(_cpio(entries))


def _echo(port: int, deadline: float) -> bytes:
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(b"ping\n")
                reply = sock.recv(16)
                if reply:
                    return reply
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"nothing answered through port {port}")
        time.sleep(0.5)


def test_guest_boots_with_secrets_and_forwarded_ports(tmp_path: Path) -> None:
    kernel, busybox, modules = _debian_files(tmp_path)
    initrd = tmp_path / "initrd.cpio"
    _initramfs(initrd, busybox, modules)
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(1 << 20))
    secrets = tmp_path / "childhurd"
    (secrets / "etc/test").mkdir(parents=True)
    (secrets / "etc/test/secret").write_text("s3cret")
    (secrets / "etc/test/secret").chmod(0o600)
    vm = GuestVmConfiguration(
        image=str(image),
        id=5,
        memory_size=256,
        secret_root=str(secrets),
        disk_size=4 << 20,
        options=(
            "--snapshot",
            "-kernel",
            str(kernel),
            "-initrd",
            str(initrd),
            "-append",
            "console=ttyS0 panic=-1 quiet",
            "-no-reboot",
        ),
    )
    root = tmp_path / "root"
    service = expand(HostConfiguration(hurd_vm=(vm,)), str(root)).service("childhurd5")
    assert service.name == "hurd-vm5" and not service.respawn
    for d in service.directories:
        Path(d).mkdir(parents=True, exist_ok=True)
    log = tmp_path / "vm.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            service.command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + 240
        while "SECRET-CHECK" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"guest never reported its secrets:\n{log.read_text()}")
            time.sleep(0.5)
        text = log.read_text(errors="replace")
        assert "SECRET-CHECK 600 0 s3cret" in text  # content, mode and owner arrived
        assert "secrets delivered (guest tar status 0)" in text
        assert _echo(vm.ssh_port, deadline) == b"ping\n"
        assert _echo(vm.vnc_port, deadline) == b"ping\n"
        assert (root / "var/run/pyganeti-host/hurd-vm5-disk.qcow2").exists()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()

"""Disk boot through the BIOS: an instance whose disk holds a boot sector, no kernel."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from cluster_fixture import Cluster

from pyganeti.hypervisor.kvm import accel
from pyganeti.hypervisor.kvm.runtime import RuntimeDir
from pyganeti.osprovider.install import IMAGE_OS, add_image_variant, install_builtin_os

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="needs QEMU"),
]


def test_instance_boots_from_its_disk_through_the_bios(cluster: Cluster, tmp_path: Path) -> None:
    # The acceleration probe's boot sector prints "K" on the serial port, then halts.
    image = tmp_path / "bootsector.raw"
    image.write_bytes(accel.boot_sector().ljust(1024 * 1024, b"\0"))
    install_builtin_os(cluster.paths, IMAGE_OS)
    add_image_variant(cluster.paths, "bootsector", image, "raw")
    cluster.run("gnt-cluster", "modify", "--enabled-hypervisors=fake,kvm", check=True)
    cluster.run(
        "gnt-instance", "add", "-t", "file", "-s", "16M", "-o", "diskimage+bootsector",
        "--no-nics", "-H", "kvm:kernel_path=,initrd_path=,boot_order=disk",
        "-B", "maxmem=64M,minmem=64M", "--no-name-check", "--no-ip-check", "bios1",
        check=True,
    )  # fmt: skip
    log = RuntimeDir(cluster.paths).console_log("bios1")
    try:
        deadline = time.monotonic() + 120
        text = ""
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace") if log.exists() else ""
            # Nothing else writes to the serial port: "K" means the boot sector ran.
            if text.strip() == "K":
                break
            time.sleep(0.5)
        else:
            raise AssertionError(f"no boot sector output in the console log:\n{text[-2000:]}")
        listed = cluster.run("gnt-instance", "list", "--no-headers", "-o", "status", "bios1")
        assert listed.stdout.strip() == "running"
    finally:
        cluster.run("gnt-instance", "remove", "-f", "--shutdown-timeout=5", "bios1")
    assert cluster.run("gnt-instance", "list", "--no-headers").stdout == ""

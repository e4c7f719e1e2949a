"""gnt-instance console --show-log: the console log (with its rotated backups) of a KVM
instance provisioned by the diskimage OS, before its first boot, while it runs and after it
stopped; refusals for a hypervisor that keeps no logs and for an unknown instance."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from cluster_fixture import Cluster
from test_kvm_lifecycle import (  # the lifecycle test's guest and helpers
    NAME,
    gnt,
    guest,  # noqa: F401 - module-scoped fixture
    pytestmark,  # noqa: F401 - same requirements (qemu, apt-get), slow
    qemu_and_loggers,
    status,
    wait_boot,
)

from pyganeti.hypervisor.kvm.guestimage import BOOT_MARKER, GuestImage
from pyganeti.hypervisor.kvm.runtime import RuntimeDir
from pyganeti.osprovider.install import IMAGE_OS, add_image_variant, install_builtin_os


def show_log(cluster: Cluster, name: str = NAME) -> tuple[int, str, str]:
    proc = cluster.run("gnt-instance", "console", "--show-log", name)
    return proc.returncode, proc.stdout, proc.stderr


def test_console_show_log(cluster: Cluster, guest: GuestImage, tmp_path: Path) -> None:  # noqa: F811
    rt = RuntimeDir(cluster.paths)
    cluster.run("gnt-cluster", "modify", "--enabled-hypervisors=fake,kvm", check=True)
    # Refusals: an unknown instance, an instance whose hypervisor keeps no console log.
    code, out, err = show_log(cluster, "nosuch")
    assert code != 0 and "nosuch" in err and out == ""
    gnt(cluster, "add", "-o", "noop+default", "-t", "file", "-s", "16M", "--no-nics",
        "-H", "fake", "--no-start", "--no-name-check", "--no-ip-check", "fake1")  # fmt: skip
    code, out, err = show_log(cluster, "fake1")
    assert code != 0 and "hypervisor fake keeps no console logs" in err + out

    hv = (
        f"kvm:kernel_path={guest.kernel},initrd_path={guest.initrd},root_path=,"
        "kernel_args=panic=-1 quiet"
    )
    # The disk comes from the diskimage OS: the guest prints the image's marker line.
    install_builtin_os(cluster.paths, IMAGE_OS)
    image = tmp_path / "marker.img"
    image.write_bytes(b"MARKER:from-the-image\n".ljust(1 << 20, b"\0"))
    add_image_variant(cluster.paths, "marker", image, "raw")
    gnt(cluster, "add", "-o", "diskimage+marker", "-t", "file", "-s", "16M", "--no-nics", "-H", hv,
        "-B", "maxmem=128M,minmem=128M,vcpus=1", "--no-start", "--no-name-check",
        "--no-ip-check", NAME)  # fmt: skip
    try:
        # Never started: nothing logged yet, said on stderr; not an error.
        code, out, err = show_log(cluster)
        assert code == 0 and out == "" and "No console output has been logged" in err

        start = time.monotonic()
        gnt(cluster, "startup", NAME)
        wait_boot(rt, 1)
        print(f"startup to the guest's marker line: {time.monotonic() - start:.1f} s")
        code, out, _ = show_log(cluster)
        assert code == 0 and f"{BOOT_MARKER} disk=/dev/vda MARKER:from-the-image" in out

        # Stopped: the log is still there, rotated backups first (oldest first).
        gnt(cluster, "shutdown", "--timeout=30", NAME)
        assert status(cluster) == "ADMIN_down" and qemu_and_loggers(rt) == []
        log = rt.console_log(NAME)
        log.with_name(log.name + ".2").write_text("OLDEST-BACKUP\n")
        log.with_name(log.name + ".1").write_text("NEWER-BACKUP\n")
        code, out, _ = show_log(cluster)
        assert code == 0
        assert out.startswith("OLDEST-BACKUP\nNEWER-BACKUP\n") and BOOT_MARKER in out
        assert out.endswith(log.read_text(errors="replace"))

        # Removal drops the logs with the instance.
        gnt(cluster, "remove", "-f", NAME)
        assert not log.exists() and not log.with_name(log.name + ".1").exists()
        code, _, err = show_log(cluster)
        assert code != 0 and NAME in err
    finally:
        for leftover in qemu_and_loggers(rt):
            os.kill(leftover, signal.SIGKILL)

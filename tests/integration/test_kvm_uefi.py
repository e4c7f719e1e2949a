"""boot_type=uefi: the VM starts Debian's OVMF firmware (its own variable store kept in
the runtime directory) and the firmware reaches its shell on the serial console."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from pyganeti.hypervisor.kvm import KvmHypervisor, params
from pyganeti.paths import Paths

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        shutil.which("qemu-system-x86_64") is None or not os.path.exists(params.OVMF_CODE),
        reason="needs QEMU and Debian's ovmf",
    ),
]


def test_uefi_firmware_boots_to_its_shell(tmp_path: Path) -> None:
    hv = KvmHypervisor(Paths.from_root(tmp_path / "r"))
    instance = {
        "name": "efi1",
        "hvparams": {"boot_type": "uefi", "kernel_path": ""},
        "beparams": {"maxmem": 128, "vcpus": 1},
        "nics": [],
    }
    hv.start(instance, [], False)
    try:
        assert hv.rt.uefi_vars("efi1").stat().st_size == os.path.getsize(params.OVMF_VARS)
        log = hv.rt.console_log("efi1")
        deadline = time.monotonic() + 180
        while b"UEFI Interactive Shell" not in (log.read_bytes() if log.exists() else b""):
            assert time.monotonic() < deadline, "OVMF never reached its shell"
            time.sleep(0.3)
        hv.stop(instance, True, 0)
        assert hv.list_instances() == [] and hv.rt.uefi_vars("efi1").exists()
        hv.remove_instance_files("efi1")
        assert not hv.rt.uefi_vars("efi1").exists() and not log.exists()
    finally:
        pid = hv.rt.qemu_pid("efi1")
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
        if hv.rt.ctrl_dir.is_symlink():
            shutil.rmtree(hv.rt.socket_dir, ignore_errors=True)

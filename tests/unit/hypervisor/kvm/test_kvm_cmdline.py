"""The QEMU command line built from an instance, its disks, NICs and runtime paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.hypervisor.base import AttachedDisk
from pyganeti.hypervisor.kvm import cmdline, params

SOCKETS = cmdline.Sockets(
    qmp=Path("/r/x.qmp"), kvmd=Path("/r/x.kvmd"), serial=Path("/r/x.serial"),
    pid_file=Path("/r/pid/x"), guest_agent=Path("/r/x.qga"), uefi_vars=Path("/r/x.fd"),
)  # fmt: skip


def instance(**hv: Any) -> dict[str, Any]:
    return {
        "name": "x1",
        "uuid": "6a0f3c1e-0000-4000-8000-000000000001",
        "hvparams": params.filled(hv),
        "beparams": {"maxmem": 256, "vcpus": 2},
        "network_port": 5907,
    }


def build(inst: dict[str, Any], **kw: Any) -> list[str]:
    spec = cmdline.LaunchSpec(
        disks=kw.pop("disks", [AttachedDisk({"mode": "rw"}, "/d/disk0")]),
        nics=kw.pop("nics", [cmdline.NicSpec("gnt1234.0", "aa:00:00:11:22:33")]),
        sockets=SOCKETS,
        accel=kw.pop("accel", "tcg"),
        **kw,
    )
    return cmdline.build(inst, spec)


def after(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == flag]


def test_direct_kernel_boot_with_serial_console_and_qmp_sockets() -> None:
    argv = build(instance(kernel_path="/k", initrd_path="/i", kernel_args="ro quiet"))
    assert argv[0] == "/usr/bin/kvm" and after(argv, "-accel") == ["tcg"]
    assert after(argv, "-m") == ["256"] and after(argv, "-smp") == ["2"]
    assert after(argv, "-kernel") == ["/k"] and after(argv, "-initrd") == ["/i"]
    assert after(argv, "-append") == ["root=/dev/vda1 ro quiet console=ttyS0,38400"]
    assert after(argv, "-qmp") == [
        "unix:/r/x.qmp,server=on,wait=off", "unix:/r/x.kvmd,server=on,wait=off"
    ]  # fmt: skip
    assert after(argv, "-chardev") == ["socket,id=serial0,path=/r/x.serial,reconnect=1"]
    assert after(argv, "-uuid") == ["6a0f3c1e-0000-4000-8000-000000000001"]
    assert "-boot" not in argv and "-no-reboot" not in argv and "-daemonize" in argv
    assert after(argv, "-drive") == ["file=/d/disk0,format=raw,aio=threads,if=none,id=disk0"]
    assert after(argv, "-device") == [
        "virtio-blk-pci,drive=disk0,id=disk0-dev",
        "virtio-net-pci,netdev=net0,mac=aa:00:00:11:22:33,id=nic0",
    ]
    assert after(argv, "-netdev") == ["tap,id=net0,ifname=gnt1234.0,script=no,downscript=no"]


def test_disk_boot_emulated_devices_and_options() -> None:
    inst = instance(
        kernel_path="", boot_order="disk", disk_type="ide", nic_type="e1000", acpi=False,
        reboot_behavior="exit", cpu_type="host", cpu_cores=2, machine_version="pc-i440fx-7.2",
        disk_cache="writeback", kvm_extra="-rtc base=utc", vnc_bind_address="127.0.0.1",
    )  # fmt: skip
    argv = build(inst, disks=[AttachedDisk({"mode": "ro"}, "/d/0")], accel="kvm")
    assert after(argv, "-boot") == ["c"] and "-kernel" not in argv
    assert "-no-acpi" in argv and "-no-reboot" in argv
    assert after(argv, "-cpu") == ["host"] and after(argv, "-smp") == ["2,cores=2"]
    assert after(argv, "-machine") == ["pc-i440fx-7.2"]
    assert after(argv, "-drive") == [
        "file=/d/0,format=raw,readonly=on,cache=writeback,aio=threads,if=none,id=disk0"
    ]
    assert "ide-hd,drive=disk0,id=disk0-dev,bootindex=1" in after(argv, "-device")
    assert "e1000,netdev=net0,mac=aa:00:00:11:22:33,id=nic0" in after(argv, "-device")
    assert after(argv, "-vnc") == ["127.0.0.1:7"]
    assert argv[-2:] == ["-rtc", "base=utc"]  # kvm_extra comes last


def test_incoming_migration_and_paused_start() -> None:
    argv = build(instance(), incoming="tcp:127.0.0.1:8102", extra=["-S"])
    assert after(argv, "-incoming") == ["tcp:127.0.0.1:8102"] and argv[-1] == "-S"


def test_unsupported_settings_fail_clearly() -> None:
    with pytest.raises(errors.HypervisorError, match=r"not supported .*spice_bind='0\.0\.0\.0'"):
        build(instance(spice_bind="0.0.0.0"))
    with pytest.raises(errors.HypervisorError, match="VNC needs a network_port"):
        build({**instance(vnc_bind_address="0.0.0.0"), "network_port": None})
    with pytest.raises(errors.HypervisorError, match="beparam maxmem"):
        build({**instance(), "beparams": {"vcpus": 1}})


def test_boot_types_select_firmware_or_kernel() -> None:
    uefi = build(instance(boot_type="uefi", kernel_path="/k"))
    assert "-kernel" not in uefi and after(uefi, "-boot") == ["c"]
    assert after(uefi, "-drive")[:2] == [
        f"if=pflash,format=raw,unit=0,readonly=on,file={params.OVMF_CODE}",
        "if=pflash,format=raw,unit=1,file=/r/x.fd",
    ]
    bios = build(instance(boot_type="bios", kernel_path="/k"))
    assert "-kernel" not in bios and "pflash" not in " ".join(bios)
    assert after(build(instance(kernel_path="/k")), "-kernel") == ["/k"]  # empty: direct
    with pytest.raises(errors.HypervisorError, match="boot_type=direct needs a kernel_path"):
        params.check_syntax(params.filled({"boot_type": "direct", "kernel_path": ""}))
    with pytest.raises(errors.HypervisorError, match="boot_type='efi' is invalid"):
        params.check_syntax(params.filled({"boot_type": "efi"}))

"""The QEMU command line of an instance: a pure function of instance, disks, NICs and
runtime paths, so it can be saved with the runtime and replayed (reboot, migration)."""

from __future__ import annotations

import shlex
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyganeti import errors
from pyganeti.hypervisor.base import AttachedDisk
from pyganeti.hypervisor.kvm import params

# nic_type → QEMU device model ("paravirtual" is virtio).
NIC_MODELS = {
    "paravirtual": "virtio-net-pci", "e1000": "e1000", "rtl8139": "rtl8139",
    "i82551": "i82551", "i82557b": "i82557b", "i82559er": "i82559er", "ne2k_pci": "ne2k_pci",
    "ne2k_isa": "ne2k_isa", "pcnet": "pcnet",
}  # fmt: skip
# disk_type → QEMU device model; the others use QEMU's legacy -drive if=TYPE form.
DISK_MODELS = {
    "paravirtual": "virtio-blk-pci", "ide": "ide-hd", "scsi": "scsi-hd", "scsi-hd": "scsi-hd",
    "scsi-block": "scsi-block", "scsi-generic": "scsi-generic", "scsi-cd": "scsi-cd",
}  # fmt: skip
LEGACY_DISK_IF = {"mtd": "mtd", "pflash": "pflash", "sd": "sd"}
BOOT_FLAGS = {"disk": "c", "cdrom": "d", "floppy": "a", "network": "n"}
VNC_BASE_PORT = 5900

# Parameters accepted (Ganeti declares them) whose non-default values this backend
# cannot honour yet: starting such an instance fails with a clear error.
UNSUPPORTED = {
    "spice_bind": "",
    "use_chroot": False,
    "vnc_tls": False,
    "vnc_password_file": "",
    "usb_devices": "",
    "soundhw": "",
}


@dataclass(frozen=True)
class NicSpec:
    tap: str
    mac: str


@dataclass(frozen=True)
class Sockets:
    qmp: Path
    kvmd: Path
    serial: Path
    pid_file: Path
    guest_agent: Path
    uefi_vars: Path


@dataclass(frozen=True)
class LaunchSpec:
    """Everything the command line depends on besides the instance itself."""

    disks: list[AttachedDisk]
    nics: list[NicSpec]
    sockets: Sockets
    accel: str
    incoming: str | None = None
    extra: list[str] = field(default_factory=list)


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise errors.HypervisorError(f"{what} must be a non-negative integer, not {value!r}")
    return value


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def unsupported_settings(hv: dict[str, Any]) -> list[str]:
    return [
        f"{key}={hv[key]!r}"
        for key, default in UNSUPPORTED.items()
        if hv.get(key, default) != default
    ]


def kernel_append(hv: dict[str, Any]) -> str:
    parts = []
    if hv.get("root_path"):
        parts.append(f"root={hv['root_path']}")
    if hv.get("kernel_args"):
        parts.append(str(hv["kernel_args"]))
    if hv.get("serial_console"):
        parts.append(f"console=ttyS0,{hv.get('serial_speed', 38400)}")
    return " ".join(parts)


def _disk_args(hv: dict[str, Any], disks: list[AttachedDisk]) -> list[str]:
    dtype = str(hv.get("disk_type", "paravirtual"))
    args: list[str] = []
    if dtype.startswith("scsi"):
        args += ["-device", f"{hv.get('scsi_controller_type', 'lsi')},id=scsi0"]
    boot_disk = hv.get("boot_order") == "disk" and params.effective_boot_type(hv) != "direct"
    for idx, attached in enumerate(disks):
        opts = [f"file={attached.path}", "format=raw"]
        if attached.disk.get("mode") == "ro":
            opts.append("readonly=on")
        if hv.get("disk_cache", "default") != "default":
            opts.append(f"cache={hv['disk_cache']}")
        if hv.get("disk_aio"):
            opts.append(f"aio={hv['disk_aio']}")
        if hv.get("disk_discard", "default") != "default":
            opts.append(f"discard={hv['disk_discard']}")
        if dtype in LEGACY_DISK_IF:
            args += ["-drive", ",".join([*opts, f"if={LEGACY_DISK_IF[dtype]}"])]
            continue
        drive_id = f"disk{idx}"
        args += ["-drive", ",".join([*opts, "if=none", f"id={drive_id}"])]
        device = [DISK_MODELS[dtype], f"drive={drive_id}", f"id={drive_id}-dev"]
        if dtype.startswith("scsi"):
            device.append("bus=scsi0.0")
        if boot_disk and idx == 0:
            device.append("bootindex=1")
        args += ["-device", ",".join(device)]
    return args


def _cdrom_args(hv: dict[str, Any]) -> list[str]:
    args: list[str] = []
    for key in ("cdrom_image_path", "cdrom2_image_path"):
        image = hv.get(key)
        if image:
            iface = hv.get("cdrom_disk_type") or "ide"
            iface = "virtio" if iface == "paravirtual" else iface
            args += ["-drive", f"file={image},media=cdrom,readonly=on,if={iface}"]
    if hv.get("floppy_image_path"):
        args += ["-drive", f"file={hv['floppy_image_path']},if=floppy"]
    return args


def _nic_args(hv: dict[str, Any], nics: list[NicSpec]) -> list[str]:
    model = NIC_MODELS[str(hv.get("nic_type", "paravirtual"))]
    args: list[str] = []
    for idx, nic in enumerate(nics):
        netdev = [f"tap,id=net{idx}", f"ifname={nic.tap}", "script=no", "downscript=no"]
        if hv.get("vhost_net"):
            netdev.append("vhost=on")
        queues = hv.get("virtio_net_queues", 1)
        if model == "virtio-net-pci" and isinstance(queues, int) and queues > 1:
            netdev.append(f"queues={queues}")
        if not hv.get("vnet_hdr", True):
            netdev.append("vnet_hdr=off")
        args += ["-netdev", ",".join(netdev)]
        args += ["-device", f"{model},netdev=net{idx},mac={nic.mac},id=nic{idx}"]
    return args


def _display_args(instance: dict[str, Any], hv: dict[str, Any]) -> list[str]:
    bind = hv.get("vnc_bind_address")
    if not bind:
        return ["-display", "none"]
    port = instance.get("network_port")
    if not isinstance(port, int) or port < VNC_BASE_PORT:
        raise errors.HypervisorError(
            f"instance {instance.get('name')}: VNC needs a network_port of at least"
            f" {VNC_BASE_PORT}, not {port!r}"
        )
    args = ["-vnc", f"{bind}:{port - VNC_BASE_PORT}"]
    if hv.get("keymap"):
        args += ["-k", str(hv["keymap"])]
    if hv.get("usb_mouse"):
        args += ["-usb", "-device", f"usb-{hv['usb_mouse']}"]
    if hv.get("vga"):
        args += ["-vga", str(hv["vga"])]
    return args


def build(instance: dict[str, Any], spec: LaunchSpec) -> list[str]:
    """The argv starting the VM (QEMU daemonizes once it is set up)."""
    hv: dict[str, Any] = instance.get("hvparams") or {}
    be: dict[str, Any] = instance.get("beparams") or {}
    name = str(instance.get("name"))
    bad = unsupported_settings(hv)
    if bad:
        raise errors.HypervisorError(
            f"instance {name}: not supported by this KVM backend yet: {', '.join(bad)}"
        )
    memory = _int(be.get("maxmem", be.get("memory")), "beparam maxmem")
    vcpus = _int(be.get("vcpus", 1), "beparam vcpus")
    smp = [str(vcpus)]
    for key in ("cores", "threads", "sockets"):
        value = _int(hv.get(f"cpu_{key}", 0), f"cpu_{key}")
        if value:
            smp.append(f"{key}={value}")
    argv = [
        str(hv.get("kvm_path", "/usr/bin/kvm")),
        "-name", name,
        "-accel", spec.accel,
        "-m", str(memory),
        "-smp", ",".join(smp),
        "-nodefaults", "-no-user-config",
        "-daemonize", "-pidfile", str(spec.sockets.pid_file),
        "-qmp", f"unix:{spec.sockets.qmp},server=on,wait=off",
        "-qmp", f"unix:{spec.sockets.kvmd},server=on,wait=off",
    ]  # fmt: skip
    if _is_uuid(instance.get("uuid")):
        argv += ["-uuid", str(instance["uuid"])]
    if hv.get("machine_version"):
        argv += ["-machine", str(hv["machine_version"])]
    if not hv.get("acpi", True):
        argv.append("-no-acpi")
    if hv.get("reboot_behavior") == "exit":
        argv.append("-no-reboot")
    if hv.get("cpu_type"):
        argv += ["-cpu", str(hv["cpu_type"])]
    if hv.get("mem_path"):
        argv += ["-mem-path", str(hv["mem_path"])]
    if hv.get("use_localtime"):
        argv += ["-rtc", "base=localtime"]
    if hv.get("security_model") == "user":
        argv += ["-runas", str(hv["security_domain"])]
    boot_type = params.effective_boot_type(hv)
    if boot_type == "uefi":
        argv += [
            "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={params.OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,unit=1,file={spec.sockets.uefi_vars}",
        ]  # fmt: skip
    if boot_type == "direct":
        argv += ["-kernel", str(hv["kernel_path"])]
        if hv.get("initrd_path"):
            argv += ["-initrd", str(hv["initrd_path"])]
        argv += ["-append", kernel_append(hv)]
    else:
        argv += ["-boot", BOOT_FLAGS[str(hv.get("boot_order", "disk"))]]
    if hv.get("serial_console", True):
        argv += [
            "-chardev", f"socket,id=serial0,path={spec.sockets.serial},reconnect=1",
            "-serial", "chardev:serial0",
        ]  # fmt: skip
    argv += _display_args(instance, hv)
    if hv.get("use_guest_agent"):
        argv += [
            "-chardev", f"socket,id=qga0,path={spec.sockets.guest_agent},server=on,wait=off",
            "-device", "virtio-serial", "-device",
            "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
        ]  # fmt: skip
    argv += _disk_args(hv, spec.disks)
    argv += _cdrom_args(hv)
    argv += _nic_args(hv, spec.nics)
    if spec.incoming:
        argv += ["-incoming", spec.incoming]
    if hv.get("kvm_extra"):
        argv += shlex.split(str(hv["kvm_extra"]))
    return argv + spec.extra

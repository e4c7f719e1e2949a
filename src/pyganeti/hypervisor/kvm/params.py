"""Ganeti's KVM hypervisor parameters: names, defaults, value checks and cross-checks.

Syntax checks (`check_syntax`) need no node; `check_on_node` also checks that the files
and directories named exist on this node.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.hypervisor.base import Param, check_parameters, choice, is_bool, is_int, is_str

NAME = "kvm"

NIC_TYPES = (
    "e1000", "i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "paravirtual", "pcnet",
    "rtl8139",
)  # fmt: skip
DISK_TYPES = (
    "ide", "mtd", "paravirtual", "pflash", "scsi", "scsi-block", "scsi-cd", "scsi-generic",
    "scsi-hd", "sd",
)  # fmt: skip
BOOT_ORDERS = ("cdrom", "disk", "floppy", "network")
SCSI_CONTROLLERS = ("lsi", "megasas", "virtio-scsi-pci")
CACHE_TYPES = ("default", "none", "writeback", "writethrough")
DISCARD_TYPES = ("default", "ignore", "unmap")
AIO_TYPES = ("native", "threads")
MOUSE_TYPES = ("mouse", "tablet")
SECURITY_MODELS = ("none", "pool", "user")
KVM_FLAGS = ("disabled", "enabled")
MIGRATION_MODES = ("live", "non-live")
REBOOT_BEHAVIORS = ("reboot", "exit")
SPICE_LOSSLESS = ("auto_glz", "auto_lz", "glz", "lz", "off", "quic")
SPICE_LOSSY = ("always", "auto", "never")
SPICE_VIDEO = ("all", "filter", "off")
QEMU_PCI_SLOTS = 32
BOOT_TYPES = ("bios", "uefi", "direct")
# Debian's ovmf package: firmware code (read-only) and the template of each VM's variables.
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def _or_empty(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: v == "" or check(v)


def _abs_path(v: Any) -> bool:
    return isinstance(v, str) and os.path.isabs(v) and "\0" not in v


def _opt_path(v: Any) -> bool:
    return v == "" or _abs_path(v)


def _path_or_url(v: Any) -> bool:
    return _opt_path(v) or (isinstance(v, str) and v.split("://", 1)[0] in ("http", "https"))


def _nonneg(v: Any) -> bool:
    return is_int(v) and v >= 0


def _port(v: Any) -> bool:
    return is_int(v) and 0 < v < 65536


def _cpu_mask(v: Any) -> bool:
    """ "all", or CPU lists like "0-2,5" separated by ":" per vCPU."""
    if not isinstance(v, str) or not v:
        return False
    for part in v.split(":"):
        if part == "all":
            continue
        for item in part.split(","):
            lo, _, hi = item.partition("-")
            if not lo.isdigit() or (hi and (not hi.isdigit() or int(hi) < int(lo))):
                return False
    return True


def _boot_order(v: Any) -> bool:
    return isinstance(v, str) and v in BOOT_ORDERS


def _P(check: Callable[[Any], bool], default: Any, doc: str, expected: str) -> Param:
    return Param(check, default, doc, expected)


def _S(default: str, doc: str) -> Param:
    return Param(is_str, default, doc, "a string")


def _B(default: bool, doc: str) -> Param:
    return Param(is_bool, default, doc, "a boolean")


def _IN(values: tuple[str, ...], default: str, doc: str, allow_empty: bool = False) -> Param:
    check = choice(*values)
    expected = "one of " + ", ".join(values)
    if allow_empty:
        check = _or_empty(check)
        expected += " (or empty)"
    return Param(check, default, doc, expected)


_FILE = "an absolute path (or empty)"

PARAMETERS: dict[str, Param] = {
    "kvm_path": _P(_abs_path, "/usr/bin/kvm", "the QEMU binary", "an absolute path"),
    "kernel_path": _P(_opt_path, "/boot/vmlinuz-3-kvmU", "kernel for direct boot", _FILE),
    "initrd_path": _P(_opt_path, "", "initrd for direct boot", _FILE),
    "root_path": _S("/dev/vda1", "root= given to a directly booted kernel"),
    "kernel_args": _S("ro", "extra kernel command line"),
    "acpi": _B(True, "ACPI (needed for a clean powerdown)"),
    "serial_console": _B(True, "serial console on a unix socket, logged"),
    "serial_speed": _P(_nonneg, 38400, "serial console speed", "a non-negative integer"),
    "vnc_bind_address": _S("", "VNC listen address (empty: no VNC)"),
    "vnc_tls": _B(False, "VNC over TLS"),
    "vnc_x509_path": _P(_opt_path, "", "directory of VNC TLS certificates", _FILE),
    "vnc_x509_verify": _B(False, "verify VNC clients' certificates"),
    "vnc_password_file": _P(_opt_path, "", "file holding the VNC password", _FILE),
    "spice_bind": _S("", "SPICE listen address (empty: no SPICE)"),
    "spice_ip_version": _P(
        lambda v: v in (0, 4, 6) and is_int(v), 0, "SPICE IP version", "0, 4 or 6"
    ),
    "spice_password_file": _P(_opt_path, "", "SPICE password file", _FILE),
    "spice_image_compression": _IN(SPICE_LOSSLESS, "", "SPICE lossless compression", True),
    "spice_jpeg_wan_compression": _IN(SPICE_LOSSY, "", "SPICE JPEG WAN compression", True),
    "spice_zlib_glz_wan_compression": _IN(SPICE_LOSSY, "", "SPICE zlib-glz compression", True),
    "spice_streaming_video": _IN(SPICE_VIDEO, "", "SPICE video stream detection", True),
    "spice_playback_compression": _B(True, "SPICE audio compression"),
    "spice_use_tls": _B(False, "SPICE over TLS"),
    "spice_tls_ciphers": _S("HIGH:-DES:-3DES:-EXPORT:-DH", "SPICE TLS ciphers"),
    "spice_use_vdagent": _B(True, "SPICE guest agent channel"),
    "floppy_image_path": _P(_opt_path, "", "floppy image", _FILE),
    "cdrom_image_path": _P(_path_or_url, "", "CD-ROM image", "an absolute path or URL"),
    "cdrom2_image_path": _P(_path_or_url, "", "second CD-ROM image", "an absolute path or URL"),
    "boot_order": _P(_boot_order, "disk", "boot device", "one of " + ", ".join(BOOT_ORDERS)),
    "nic_type": _IN(NIC_TYPES, "paravirtual", "emulated NIC model"),
    "disk_type": _IN(DISK_TYPES, "paravirtual", "emulated disk interface"),
    "cdrom_disk_type": _IN(DISK_TYPES, "", "CD-ROM interface", True),
    "scsi_controller_type": _IN(SCSI_CONTROLLERS, "lsi", "SCSI controller model"),
    "disk_discard": _IN(DISCARD_TYPES, "default", "discard requests"),
    "usb_mouse": _IN(MOUSE_TYPES, "", "USB pointing device", True),
    "keymap": _S("", "VNC keyboard layout"),
    "migration_port": _P(_port, 8102, "TCP port for migration", "a port number 1-65535"),
    "migration_bandwidth": _P(_nonneg, 32, "migration bandwidth in MiB/s", "non-negative int"),
    "migration_downtime": _P(_nonneg, 30, "max migration downtime in ms", "non-negative int"),
    "migration_mode": _IN(MIGRATION_MODES, "live", "default migration mode"),
    "migration_caps": _S("", "QEMU migration capabilities, ':' separated"),
    "use_guest_agent": _B(False, "QEMU guest agent channel"),
    "use_localtime": _B(False, "guest RTC in local time"),
    "disk_cache": _IN(CACHE_TYPES, "default", "disk cache mode"),
    "disk_aio": _IN(AIO_TYPES, "threads", "disk asynchronous I/O mode"),
    "security_model": _IN(SECURITY_MODELS, "none", "user QEMU runs as"),
    "security_domain": _S("", "the user for security_model=user"),
    "kvm_flag": _IN(KVM_FLAGS, "", "force KVM acceleration on or off (empty: probe)", True),
    "vhost_net": _B(False, "vhost-net for paravirtual NICs"),
    "virtio_net_queues": _P(
        lambda v: is_int(v) and 1 <= v <= 8, 1, "virtio-net queues", "an integer 1-8"
    ),
    "use_chroot": _B(False, "run QEMU in an empty chroot"),
    "user_shutdown": _B(False, "report guest-initiated shutdowns as USER_down"),
    "mem_path": _P(_opt_path, "", "directory for guest memory (hugetlbfs)", _FILE),
    "reboot_behavior": _IN(REBOOT_BEHAVIORS, "reboot", "what a guest reboot does"),
    "cpu_mask": _P(_cpu_mask, "all", "host CPUs for the vCPUs", 'CPU list(s) or "all"'),
    "cpu_type": _S("", "emulated CPU model (empty: QEMU default)"),
    "cpu_cores": _P(_nonneg, 0, "cores per socket (0: QEMU default)", "non-negative int"),
    "cpu_threads": _P(_nonneg, 0, "threads per core (0: QEMU default)", "non-negative int"),
    "cpu_sockets": _P(_nonneg, 0, "sockets (0: QEMU default)", "non-negative int"),
    "soundhw": _S("", "emulated sound device"),
    "usb_devices": _S("", "USB devices to pass through"),
    "vga": _S("", "emulated graphics card"),
    "kvm_extra": _S("", "extra QEMU arguments"),
    "machine_version": _S("", "QEMU machine type (empty: QEMU default)"),
    "kvm_pci_reservations": _P(
        lambda v: is_int(v) and 0 <= v <= QEMU_PCI_SLOTS,
        12,
        "PCI slots QEMU manages itself",
        f"an integer 0-{QEMU_PCI_SLOTS}",
    ),
    "vnet_hdr": _B(True, "IFF_VNET_HDR on tap devices"),
    # Not in Ganeti 3.0: firmware choice, asked for by Ganeti users since 2019.
    "boot_type": _IN(
        BOOT_TYPES,
        "",
        "bios, uefi (OVMF) or direct kernel boot; empty: direct with a kernel_path, else bios",
        allow_empty=True,
    ),
}


def effective_boot_type(hvparams: dict[str, Any]) -> str:
    boot_type = str(hvparams.get("boot_type") or "")
    if boot_type:
        return boot_type
    return "direct" if hvparams.get("kernel_path") else "bios"


_SPICE_NEEDS_BIND = (
    "spice_ip_version", "spice_password_file", "spice_image_compression",
    "spice_jpeg_wan_compression", "spice_zlib_glz_wan_compression", "spice_streaming_video",
    "spice_use_tls",
)  # fmt: skip


_TRUE = ("yes", "true", "on", "1")
_FALSE = ("no", "false", "off", "0")


def coerce(hvparams: dict[str, Any]) -> dict[str, Any]:
    """Typed values for strings given on the command line (by each default's type).

    Values that do not convert are left as they are, so the checks name them.
    """
    out = dict(hvparams)
    for key, value in hvparams.items():
        spec = PARAMETERS.get(key)
        if spec is None or not isinstance(value, str):
            continue
        if isinstance(spec.default, bool):
            if value.lower() in _TRUE:
                out[key] = True
            elif value.lower() in _FALSE:
                out[key] = False
        elif isinstance(spec.default, int):
            with contextlib.suppress(ValueError):
                out[key] = int(value)
    return out


def check_syntax(hvparams: dict[str, Any]) -> None:
    """Value checks of each parameter, then Ganeti's cross-parameter rules."""
    check_parameters(NAME, PARAMETERS, hvparams)
    problems = list(_cross_problems(hvparams))
    if problems:
        raise errors.HypervisorError(f"hypervisor {NAME}: " + "; ".join(problems))


def _cross_problems(p: dict[str, Any]) -> list[str]:
    out = []
    if p.get("boot_type") == "direct" and not p.get("kernel_path"):
        out.append("boot_type=direct needs a kernel_path")
    if p.get("kernel_path") == "" and p.get("initrd_path"):
        out.append("initrd_path needs a kernel_path")
    if p.get("boot_order") == "cdrom" and not p.get("cdrom_image_path", "x"):
        out.append("boot_order=cdrom needs a cdrom_image_path")
    model, domain = p.get("security_model"), p.get("security_domain", "")
    if model == "user" and not domain:
        out.append("security_model=user needs a security_domain")
    if model in ("none", "pool") and domain:
        out.append(f"security_domain must be empty with security_model={model}")
    if not p.get("vnc_bind_address"):
        for key in ("vnc_tls", "vnc_x509_verify"):
            if p.get(key):
                out.append(f"{key} needs a vnc_bind_address")
    if p.get("vnc_x509_verify") and not p.get("vnc_x509_path"):
        out.append("vnc_x509_verify needs a vnc_x509_path")
    if not p.get("spice_bind"):
        for key in _SPICE_NEEDS_BIND:
            if p.get(key):
                out.append(f"{key} needs a spice_bind")
    if p.get("vhost_net") is True and p.get("nic_type", "paravirtual") != "paravirtual":
        out.append("vhost_net needs nic_type=paravirtual")
    return out


def check_on_node(hvparams: dict[str, Any]) -> None:
    """Syntax, plus: files and directories the parameters name exist on this node."""
    check_syntax(hvparams)
    missing = []
    for key in ("kvm_path", "kernel_path", "initrd_path", "floppy_image_path",
                "vnc_password_file", "spice_password_file"):  # fmt: skip
        value = hvparams.get(key)
        if value and not os.path.isfile(value):
            missing.append(f"{key}: file {value} does not exist")
    for key in ("cdrom_image_path", "cdrom2_image_path"):
        value = hvparams.get(key)
        if value and "://" not in value and not os.path.isfile(value):
            missing.append(f"{key}: file {value} does not exist")
    for key in ("mem_path", "vnc_x509_path"):
        value = hvparams.get(key)
        if value and not os.path.isdir(value):
            missing.append(f"{key}: directory {value} does not exist")
    if effective_boot_type(hvparams) == "uefi":
        for firmware in (OVMF_CODE, OVMF_VARS):
            if not os.path.isfile(firmware):
                missing.append(f"boot_type=uefi: {firmware} does not exist (install ovmf)")
    elif effective_boot_type(hvparams) == "bios":
        for key in ("kernel_path", "initrd_path"):
            missing = [m for m in missing if not m.startswith(f"{key}:")]
    if missing:
        raise errors.HypervisorError(f"hypervisor {NAME}: " + "; ".join(missing))


def filled(hvparams: dict[str, Any] | None) -> dict[str, Any]:
    """`hvparams` over the defaults (the master normally sends them filled already)."""
    return {**{k: spec.default for k, spec in PARAMETERS.items()}, **(hvparams or {})}

"""The guest VM record: Guix's `hurd-vm-configuration`, generalised to any disk image.

The seed's `os` and `image` (an OS built into an image by Guix) become one `image`
field, the path of a prebuilt disk image: a GNU/Hurd image plugs in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pyganeti.host.records.schema import (
    Record,
    check_each,
    check_non_empty,
    check_positive,
    setting,
)

SECRETS_GUEST_PORT = 1004
SSH_GUEST_PORT = 2222
VNC_GUEST_PORT = 5900


def _check_absolute(value: object) -> str | None:
    if isinstance(value, str) and not value.startswith("/"):
        return f"{value!r} is not an absolute path"
    return None


def _check_disk_size(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        return f"disk size must be positive, got {value}"
    return None


@dataclass(frozen=True, kw_only=True)
class GuestVmConfiguration(Record):
    """A QEMU virtual machine run as a service, with secrets delivered at boot."""

    RECORD = "hurd-vm-configuration"
    DOC = (
        "Runs a virtual machine (the childhurd, generalised to any disk image) with"
        " user-mode networking forwarding host ports on 127.0.0.1 to the guest's secrets"
        " (1004), SSH (2222) and VNC (5900) ports. The service is named hurd-vm, alias"
        " childhurd, with the id appended when set."
    )

    image: str = setting(
        doc="Absolute path of the disk image to boot (replaces the seed's os and image:"
        " pyganeti boots prebuilt images).",
        check=_check_absolute,
    )
    qemu: str = setting(
        "qemu-minimal",
        doc="The QEMU package: a name means qemu-system-x86_64 is found on PATH; a value"
        " containing '/' is a prefix whose bin/ holds it.",
        check=check_non_empty,
    )
    disk_size: int | Literal["guess"] = setting(
        "guess",
        doc="Size of the disk image in bytes; 'guess' uses the image as it is. A larger"
        " size grows a copy of the image before boot.",
        check=_check_disk_size,
    )
    memory_size: int = setting(
        512, doc="Memory of the virtual machine, in mebibytes.", check=check_positive
    )
    options: tuple[str, ...] = setting(
        ("--snapshot",),
        doc="Extra options for QEMU (e.g. --enable-kvm where KVM is usable).",
        check=check_each(check_non_empty),
    )
    id: int | None = setting(
        None,
        doc="When set, a positive integer parameterising the instance: appended to the"
        " service name (childhurd1) and used to offset the forwarded ports.",
        check=check_positive,
    )
    net_options: tuple[str, ...] | None = setting(
        None,
        doc="QEMU network options; none (the default) gives an rtl8139 NIC on user-mode"
        " networking forwarding 127.0.0.1 ports secrets 11004+1000*id, ssh 10022+1000*id"
        " and vnc 15900+1000*id to guest ports 1004, 2222 and 5900.",
        check=check_each(check_non_empty),
        default_doc="hurd-vm-net-options",
    )
    secret_root: str = setting(
        "/etc/childhurd",
        doc="Directory whose files are delivered into the guest at boot through the"
        " secrets port, with their permissions.",
        check=_check_absolute,
    )

    @property
    def secrets_port(self) -> int:
        return 11004 + 1000 * (self.id or 0)

    @property
    def ssh_port(self) -> int:
        return 10022 + 1000 * (self.id or 0)

    @property
    def vnc_port(self) -> int:
        return 15900 + 1000 * (self.id or 0)

    @property
    def service_names(self) -> tuple[str, str]:
        """The service's name and alias: hurd-vm and childhurd, id appended when set."""
        suffix = "" if self.id is None else str(self.id)
        return (f"hurd-vm{suffix}", f"childhurd{suffix}")

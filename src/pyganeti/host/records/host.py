"""The whole host: which services run on this machine, each with its record.

A host file's top-level tables are the services: [ganeti], [libvirt], [virtlog],
[qemu-binfmt] and [[hurd-vm]] (one per guest VM). An absent table disables the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyganeti.host.records.ganeti import GanetiConfiguration
from pyganeti.host.records.guest_vm import GuestVmConfiguration
from pyganeti.host.records.libvirt import LibvirtConfiguration
from pyganeti.host.records.qemu_binfmt import QemuBinfmtConfiguration
from pyganeti.host.records.schema import Record, setting
from pyganeti.host.records.virtlog import VirtlogConfiguration


def _check_vm_ids(value: object) -> str | None:
    if isinstance(value, tuple):
        ids = [vm.id for vm in value if isinstance(vm, GuestVmConfiguration)]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            shown = sorted(dup, key=lambda i: -1 if i is None else i)[0]
            return f"two guest VMs share id {shown} (their service names and ports clash)"
    return None


@dataclass(frozen=True, kw_only=True)
class HostConfiguration(Record):
    """Every service configured on this host."""

    RECORD = "host-configuration"
    DOC = "The services of one host; each key is a service, absent means not run."

    ganeti: GanetiConfiguration | None = setting(  # noqa: RUF009
        None,
        doc="The Ganeti services (ganeti-service-type), if this host is a node.",
        default_doc="none (not a Ganeti node)",
    )
    libvirt: LibvirtConfiguration | None = setting(  # noqa: RUF009
        None, doc="The libvirt daemon (libvirt-service-type).", default_doc="none"
    )
    virtlog: VirtlogConfiguration | None = setting(  # noqa: RUF009
        None, doc="The virtlog daemon (virtlog-service-type).", default_doc="none"
    )
    qemu_binfmt: QemuBinfmtConfiguration | None = setting(  # noqa: RUF009
        None, doc="Transparent QEMU emulation (qemu-binfmt-service-type).", default_doc="none"
    )
    hurd_vm: tuple[GuestVmConfiguration, ...] = setting(
        (),
        doc="Guest virtual machines (hurd-vm-service-type), one table each.",
        check=_check_vm_ids,
    )

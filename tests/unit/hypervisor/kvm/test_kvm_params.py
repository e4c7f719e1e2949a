"""KVM hypervisor parameters: Ganeti's names and defaults, bad values refused clearly."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti import errors
from pyganeti.hypervisor.kvm import KvmHypervisor, params
from pyganeti.paths import Paths

# Ganeti 3.0's HVC_DEFAULTS["kvm"] for a sample of parameters.
GANETI_DEFAULTS = {
    "kernel_path": "/boot/vmlinuz-3-kvmU", "root_path": "/dev/vda1", "kernel_args": "ro",
    "serial_console": True, "serial_speed": 38400, "vnc_bind_address": "", "vnc_tls": False,
    "boot_order": "disk", "disk_type": "paravirtual", "nic_type": "paravirtual",
    "cdrom_image_path": "", "machine_version": "", "cpu_type": "", "cpu_cores": 0,
    "cpu_threads": 0, "mem_path": "", "use_chroot": False, "security_model": "none",
    "kvm_flag": "", "vhost_net": False, "migration_downtime": 30, "reboot_behavior": "reboot",
    "user_shutdown": False, "kvm_extra": "", "kvm_path": "/usr/bin/kvm", "acpi": True,
    "migration_port": 8102, "migration_bandwidth": 32, "disk_cache": "default",
    "kvm_pci_reservations": 12, "vnet_hdr": True, "cpu_mask": "all",
}  # fmt: skip


def test_defaults_are_ganetis() -> None:
    defaults = {k: p.default for k, p in KvmHypervisor.PARAMETERS.items()}
    assert {k: defaults[k] for k in GANETI_DEFAULTS} == GANETI_DEFAULTS
    params.check_syntax(params.filled({}))  # the defaults pass their own checks


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"bogus_param": 1}, "unknown parameter(s) bogus_param"),
        ({"nic_type": "virtio"}, "nic_type='virtio' is invalid"),
        ({"disk_type": "nvme"}, "disk_type='nvme' is invalid"),
        ({"boot_order": "usb"}, "boot_order='usb' is invalid"),
        ({"serial_console": "yes"}, "serial_console='yes' is invalid (expected a boolean)"),
        ({"migration_port": 70000}, "migration_port=70000 is invalid"),
        ({"migration_downtime": -1}, "migration_downtime=-1 is invalid"),
        ({"kernel_path": "vmlinuz"}, "kernel_path='vmlinuz' is invalid"),
        ({"kvm_flag": "maybe"}, "kvm_flag='maybe' is invalid"),
        ({"reboot_behavior": "halt"}, "reboot_behavior='halt' is invalid"),
        ({"cpu_mask": "0-x"}, "cpu_mask='0-x' is invalid"),
        ({"kvm_pci_reservations": 33}, "kvm_pci_reservations=33 is invalid"),
        ({"security_model": "user"}, "security_model=user needs a security_domain"),
        ({"security_domain": "qemu"}, "security_domain must be empty"),
        ({"vnc_tls": True}, "vnc_tls needs a vnc_bind_address"),
        ({"spice_use_tls": True}, "spice_use_tls needs a spice_bind"),
        ({"boot_order": "cdrom"}, "boot_order=cdrom needs a cdrom_image_path"),
        ({"kernel_path": "", "initrd_path": "/boot/initrd"}, "initrd_path needs a kernel_path"),
        ({"vhost_net": True, "nic_type": "e1000"}, "vhost_net needs nic_type=paravirtual"),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(bad: dict[str, Any], named: str) -> None:
    values = params.filled(bad)
    with pytest.raises(errors.HypervisorError, match="hypervisor kvm") as info:
        KvmHypervisor.check_parameter_syntax(values)
    assert named in str(info.value)


def test_coerce_types_command_line_strings_and_leaves_garbage_for_the_checks() -> None:
    typed = params.coerce(
        {"user_shutdown": "yes", "acpi": "false", "serial_speed": "115200", "vnc_tls": "perhaps"}
    )
    assert typed == {
        "user_shutdown": True, "acpi": False, "serial_speed": 115200, "vnc_tls": "perhaps"
    }  # fmt: skip
    with pytest.raises(errors.HypervisorError, match="vnc_tls='perhaps'"):
        params.check_syntax(params.filled(typed))


def test_node_check_names_missing_files(tmp_path: Any) -> None:
    hv = KvmHypervisor(Paths.from_root(tmp_path))
    kernel = tmp_path / "vmlinuz"
    kernel.write_bytes(b"k")
    hv.validate_parameters(params.filled({"kernel_path": str(kernel), "kvm_path": str(kernel)}))
    with pytest.raises(errors.HypervisorError) as info:
        hv.validate_parameters(
            params.filled({"kernel_path": str(tmp_path / "nope"), "mem_path": "/nonexistent"})
        )
    assert f"kernel_path: file {tmp_path / 'nope'} does not exist" in str(info.value)
    assert "mem_path: directory /nonexistent does not exist" in str(info.value)

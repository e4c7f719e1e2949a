"""The guest VM record (hurd-vm-configuration generalised)."""

from __future__ import annotations

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records import GuestVmConfiguration, HostConfiguration


def test_defaults_and_ports_without_id() -> None:
    vm = GuestVmConfiguration(image="/images/guest.qcow2")
    assert (vm.memory_size, vm.options, vm.disk_size) == (512, ("--snapshot",), "guess")
    assert vm.secret_root == "/etc/childhurd" and vm.qemu == "qemu-minimal"
    assert (vm.secrets_port, vm.ssh_port, vm.vnc_port) == (11004, 10022, 15900)
    assert vm.service_names == ("hurd-vm", "childhurd")


def test_id_offsets_ports_and_names() -> None:
    vm = GuestVmConfiguration(image="/i.img", id=2)
    assert (vm.secrets_port, vm.ssh_port, vm.vnc_port) == (13004, 12022, 17900)
    assert vm.service_names == ("hurd-vm2", "childhurd2")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"image": "rel.img"}, "image"),
        ({"image": "/i", "id": 0}, "id"),
        ({"image": "/i", "disk_size": "big"}, "disk-size"),
        ({"image": "/i", "disk_size": -5}, "disk-size"),
        ({"image": "/i", "memory_size": 0}, "memory-size"),
        ({"image": "/i", "secret_root": "etc"}, "secret-root"),
    ],
)
def test_bad_values(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(HostConfigError) as err:
        GuestVmConfiguration(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_two_vms_with_one_id_clash() -> None:
    with pytest.raises(HostConfigError, match="share id 1"):
        HostConfiguration(
            hurd_vm=(GuestVmConfiguration(image="/a", id=1), GuestVmConfiguration(image="/b", id=1))
        )

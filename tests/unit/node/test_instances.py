"""Instance lifecycle through the node functions (fake hypervisor, file disks)."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti import errors
from pyganeti.node import instances as ni
from pyganeti.node import storage as ns
from pyganeti.node.context import NodeContext


def create_disks(ctx: NodeContext, instance: dict[str, Any]) -> None:
    for disk in instance["disks"]:
        ns.blockdev_create(ctx, disk, disk["size"], True, False, instance["name"])


def test_start_needs_its_disks(ctx: NodeContext, instance: dict[str, Any]) -> None:
    with pytest.raises(errors.BlockDeviceError, match=r"disk/0: file .* does not exist"):
        ni.instance_start(ctx, instance, False)
    assert ni.instance_list(ctx, ["fake"], {}) == []


def test_lifecycle(ctx: NodeContext, instance: dict[str, Any]) -> None:
    create_disks(ctx, instance)
    ni.instance_start(ctx, instance, False)
    assert ni.instance_list(ctx, ["fake"], {}) == ["web1"]
    info = ni.instance_info(ctx, "web1", "fake", {})
    assert (info["memory"], info["vcpus"], info["state"]) == (128, 1, "running")
    assert set(ni.all_instances_info(ctx, ["fake"], {})) == {"web1"}
    for kind in ("soft", "hard", "full"):
        ni.instance_reboot(ctx, instance, kind, 10)
    assert ni.instance_info(ctx, "web1", "fake", {})["state"] == "running"
    ni.instance_shutdown(ctx, instance, 10)
    assert ni.instance_info(ctx, "web1", "fake", {}) == {}
    ni.instance_shutdown(ctx, instance, 10)  # already down: fine
    with pytest.raises(errors.OpExecError, match=r"not running"):
        ni.instance_reboot(ctx, instance, "soft", 10)


def test_reboot_type_checked(ctx: NodeContext, instance: dict[str, Any]) -> None:
    with pytest.raises(errors.OpExecError, match=r"invalid reboot type 'gentle'"):
        ni.instance_reboot(ctx, instance, "gentle", 10)


def test_user_shutdown_and_cleanup(ctx: NodeContext, instance: dict[str, Any]) -> None:
    create_disks(ctx, instance)
    ni.instance_start(ctx, instance, False)
    ni.fake_user_shutdown(ctx, "web1")
    assert ni.all_instances_info(ctx, ["fake"], {})["web1"]["state"] == "user down"
    ni.instance_shutdown(ctx, instance, 10)
    assert ni.instance_list(ctx, ["fake"], {}) == []


def test_unknown_hypervisor_and_console(ctx: NodeContext, instance: dict[str, Any]) -> None:
    with pytest.raises(errors.HypervisorError, match=r"unknown hypervisor 'xen-pvm'"):
        ni.instance_start(ctx, {**instance, "hypervisor": "xen-pvm"}, False)
    with pytest.raises(errors.OpExecError, match=r"no name"):
        ni.instance_start(ctx, {"hypervisor": "fake"}, False)
    console = ni.instance_console_info(ctx, instance)
    assert console == {
        "instance": "web1",
        "kind": "msg",
        "message": "Console not available for fake hypervisor",
    }

"""Instance lifecycle and queries on this node (start, stop, reboot, info, console)."""

from __future__ import annotations

import logging
from typing import Any

from pyganeti import errors
from pyganeti.hypervisor import AttachedDisk
from pyganeti.hypervisor.fake import FakeHypervisor
from pyganeti.node.context import NodeContext

log = logging.getLogger(__name__)

REBOOT_TYPES = ("soft", "hard", "full")


def _name(instance: dict[str, Any]) -> str:
    name = instance.get("name") if isinstance(instance, dict) else None
    if not isinstance(name, str) or not name:
        raise errors.OpExecError("instance object has no name")
    return name


def attach_disks(ctx: NodeContext, instance: dict[str, Any]) -> list[AttachedDisk]:
    """Assemble every disk of `instance` and return where each one is on this node."""
    attached = []
    for disk in instance.get("disks") or []:
        path = ctx.disk_backend(disk).assemble(disk)
        attached.append(AttachedDisk(disk, path))
    return attached


def instance_start(ctx: NodeContext, instance: dict[str, Any], startup_paused: bool) -> None:
    name = _name(instance)
    hv = ctx.hypervisor(instance.get("hypervisor"))
    hv.start(instance, attach_disks(ctx, instance), startup_paused)
    log.info("started instance %s", name)


def instance_shutdown(ctx: NodeContext, instance: dict[str, Any], timeout: int) -> None:
    """Stop the instance; an instance that is not running is already where we want it."""
    name = _name(instance)
    hv = ctx.hypervisor(instance.get("hypervisor"))
    if name not in hv.list_instances(instance.get("hvparams")):
        log.info("instance %s is not running, nothing to shut down", name)
        return
    hv.stop(instance, False, timeout)
    log.info("stopped instance %s", name)


def instance_reboot(
    ctx: NodeContext, instance: dict[str, Any], reboot_type: str, shutdown_timeout: int
) -> None:
    name = _name(instance)
    if reboot_type not in REBOOT_TYPES:
        raise errors.OpExecError(
            f"invalid reboot type {reboot_type!r} (expected one of {', '.join(REBOOT_TYPES)})"
        )
    hv = ctx.hypervisor(instance.get("hypervisor"))
    info = hv.get_instance_info(name, instance.get("hvparams"))
    if info is None or info.state != "running":
        raise errors.OpExecError(f"Cannot reboot instance {name} that is not running")
    if reboot_type == "soft":
        hv.reboot(instance)
        return
    # hard and full: a real power cycle of the VM (the master re-activates disks for full).
    hv.stop(instance, False, shutdown_timeout)
    hv.start(instance, attach_disks(ctx, instance), False)


def instance_info(
    ctx: NodeContext, instance_name: str, hypervisor: str, hvparams: dict[str, Any]
) -> dict[str, Any]:
    """{memory, vcpus, state, time} of a known instance, or {} when the hypervisor lacks it."""
    info = ctx.hypervisor(hypervisor).get_instance_info(instance_name, hvparams)
    if info is None:
        return {}
    return {"memory": info.memory, "vcpus": info.vcpus, "state": info.state, "time": info.time}


def all_instances_info(
    ctx: NodeContext, hypervisors: list[str], all_hvparams: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for hv_name in hypervisors:
        hv = ctx.hypervisor(hv_name)
        for info in hv.get_all_instances_info(all_hvparams.get(hv_name)):
            if info.name in result:
                raise errors.HypervisorError(
                    f"instance {info.name} is running under more than one hypervisor"
                )
            result[info.name] = {
                "memory": info.memory,
                "vcpus": info.vcpus,
                "state": info.state,
                "time": info.time,
            }
    return result


def instance_list(
    ctx: NodeContext, hypervisors: list[str], all_hvparams: dict[str, dict[str, Any]]
) -> list[str]:
    names: set[str] = set()
    for hv_name in hypervisors:
        names.update(ctx.hypervisor(hv_name).list_instances(all_hvparams.get(hv_name)))
    return sorted(names)


def instance_console_info(ctx: NodeContext, instance: dict[str, Any]) -> dict[str, Any]:
    _name(instance)
    return ctx.hypervisor(instance.get("hypervisor")).get_console_info(instance)


def fake_user_shutdown(ctx: NodeContext, instance_name: str) -> None:
    """Simulate a guest of the fake hypervisor powering itself off (state "user down")."""
    hv = ctx.hypervisor("fake")
    if not isinstance(hv, FakeHypervisor):
        raise errors.HypervisorError("user shutdown can only be simulated on the fake hypervisor")
    hv.mark_user_down(instance_name)

"""Instance migration on this node: accept, migrate, status and finalize (either side).

Hypervisors that migrate offer accept_instance, migrate_instance, get_migration_status,
finalize_migration_dst and finalize_migration_src (the KVM backend does).
"""

from __future__ import annotations

import logging
from typing import Any

from pyganeti import errors
from pyganeti.node.context import NodeContext
from pyganeti.node.instances import attach_disks

log = logging.getLogger(__name__)


def _backend(ctx: NodeContext, instance: dict[str, Any], method: str) -> Any:
    hv = ctx.hypervisor(instance.get("hypervisor"))
    fn = getattr(hv, method, None)
    if fn is None:
        raise errors.HypervisorError(
            f"hypervisor {instance.get('hypervisor')} cannot migrate instances ({method})"
        )
    return fn


def accept_instance(ctx: NodeContext, instance: dict[str, Any], address: str) -> None:
    """Target side: start the instance waiting for incoming migration on `address`."""
    _backend(ctx, instance, "accept_instance")(instance, attach_disks(ctx, instance), address)
    log.info("accepting instance %s on %s", instance.get("name"), address)


def instance_migrate(ctx: NodeContext, instance: dict[str, Any], target: str, live: bool) -> None:
    """Source side: send the running instance to `target`; returns once completed."""
    _backend(ctx, instance, "migrate_instance")(instance, target, live)


def instance_get_migration_status(ctx: NodeContext, instance: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = _backend(ctx, instance, "get_migration_status")(instance)
    return result


def instance_finalize_migration_dst(
    ctx: NodeContext, instance: dict[str, Any], success: bool
) -> None:
    _backend(ctx, instance, "finalize_migration_dst")(instance, success)


def instance_finalize_migration_src(
    ctx: NodeContext, instance: dict[str, Any], success: bool, live: bool
) -> None:
    _backend(ctx, instance, "finalize_migration_src")(instance, success, live)

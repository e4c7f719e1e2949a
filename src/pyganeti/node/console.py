"""Instance console logs on this node (gnt-instance console --show-log)."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.node.context import NodeContext


def _log_backend(ctx: NodeContext, hypervisor: str) -> Any:
    hv = ctx.hypervisor(hypervisor)
    if not hasattr(hv, "console_log"):
        raise errors.HypervisorError(f"hypervisor {hypervisor} keeps no console logs")
    return hv


def instance_console_log(
    ctx: NodeContext, instance_name: str, hypervisor: str, max_bytes: int, with_backups: bool
) -> str:
    """The tail of the instance's console log (and its rotated backups, oldest first)."""
    if max_bytes < 1:
        raise errors.OpExecError(f"max_bytes must be positive, not {max_bytes}")
    data: bytes = _log_backend(ctx, hypervisor).console_log(instance_name, max_bytes, with_backups)
    return data.decode(errors="replace")


def instance_hypervisor_files_remove(ctx: NodeContext, instance_name: str, hypervisor: str) -> None:
    """Delete what outlives the instance's runs (console logs, UEFI variables) on removal.

    Hypervisors that keep no such files (fake) have nothing to delete.
    """
    hv = ctx.hypervisor(hypervisor)
    if hasattr(hv, "remove_instance_files"):
        hv.remove_instance_files(instance_name)

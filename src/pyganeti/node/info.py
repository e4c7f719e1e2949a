"""Node facts for the master: version, resources (node_info), health checks (node_verify)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyganeti import PROTOCOL_VERSION, __version__, errors
from pyganeti.hypervisor import linuxinfo
from pyganeti.node.context import NodeContext
from pyganeti.node.storage import storage_space
from pyganeti.osprovider import discovery
from pyganeti.storage.allowed import check_path


def version(ctx: NodeContext) -> int:
    """The node RPC protocol version (the master refuses nodes that differ)."""
    return PROTOCOL_VERSION


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def node_info(
    ctx: NodeContext, storage_units: list[list[Any]], hv_names: list[str]
) -> dict[str, Any]:
    """Boot id, memory and CPUs of the node, free space per storage unit, info per hypervisor."""
    hv_info = []
    for name in hv_names:
        info = ctx.hypervisor(name).get_node_info(None)
        hv_info.append({"name": name, **info})
    return {
        "bootid": _boot_id(),
        "memory": linuxinfo.read_meminfo(),
        "cpu": linuxinfo.read_cpuinfo(),
        "storage": storage_space(ctx, storage_units),
        "hv": hv_info,
    }


def _check_file_storage_paths(ctx: NodeContext, dirs: list[str]) -> list[str]:
    problems = []
    for d in dirs:
        try:
            check_path(ctx.paths, d)
        except errors.FileStoragePathError as err:
            problems.append(str(err))
    return problems


def _check_hypervisors(ctx: NodeContext, names: list[str]) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for name in names:
        try:
            result[name] = ctx.hypervisor(name).verify(None)
        except errors.GenericError as err:
            result[name] = str(err)
    return result


def _check_hvparams(ctx: NodeContext, items: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for name, params in items.items():
        try:
            ctx.hypervisor(name).validate_parameters(params)
            result[name] = None
        except errors.GenericError as err:
            result[name] = str(err)
    return result


_CHECKS: dict[str, Callable[[NodeContext, Any], Any]] = {
    "version": lambda ctx, _: [PROTOCOL_VERSION, __version__],
    "time": lambda ctx, _: time.time(),
    "file_storage_paths": _check_file_storage_paths,
    "os": lambda ctx, _: discovery.diagnose(ctx.paths),
    "hypervisor": _check_hypervisors,
    "hvparams": _check_hvparams,
    "storage_space": storage_space,
}


def node_verify(ctx: NodeContext, checks: dict[str, Any]) -> dict[str, Any]:
    """Run the requested checks ({check name: argument}); returns {check name: findings}.

    Checks: version, time, file_storage_paths [dirs], os, hypervisor [names],
    hvparams {hv: params}, storage_space [units].
    """
    unknown = sorted(set(checks) - set(_CHECKS))
    if unknown:
        raise errors.ProgrammerError(
            f"unknown node_verify check(s) {', '.join(unknown)}"
            f" (known: {', '.join(sorted(_CHECKS))})"
        )
    return {name: _CHECKS[name](ctx, arg) for name, arg in checks.items()}

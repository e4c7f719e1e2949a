"""Block devices and file storage directories on this node."""

from __future__ import annotations

import logging
from typing import Any

from pyganeti import errors
from pyganeti.node.context import NodeContext
from pyganeti.storage import filestorage
from pyganeti.storage.base import disk_label

log = logging.getLogger(__name__)


def blockdev_create(
    ctx: NodeContext,
    disk: dict[str, Any],
    size: int,
    on_primary: bool,
    exclusive_storage: bool,
    instance_name: str,
) -> str:
    """Create the disk; returns its node-local path."""
    path = ctx.disk_backend(disk).create(disk, size, exclusive_storage)
    log.info(
        "created disk %s of instance %s at %s (%d MiB)", disk_label(disk), instance_name, path, size
    )
    return path


def blockdev_remove(ctx: NodeContext, disk: dict[str, Any]) -> None:
    ctx.disk_backend(disk).remove(disk)


def blockdev_rename(ctx: NodeContext, disk: dict[str, Any], new_logical_id: list[Any]) -> None:
    ctx.disk_backend(disk).rename(disk, new_logical_id)


def blockdev_grow(ctx: NodeContext, disk: dict[str, Any], amount: int, dryrun: bool) -> None:
    ctx.disk_backend(disk).grow(disk, amount, dryrun)


def blockdev_getsize(ctx: NodeContext, disks: list[dict[str, Any]]) -> list[int | None]:
    """Current size in MiB of each disk (None for a disk that is not present)."""
    return [ctx.disk_backend(disk).get_size(disk) for disk in disks]


def blockdev_assemble(ctx: NodeContext, disk: dict[str, Any]) -> str:
    return ctx.disk_backend(disk).assemble(disk)


def blockdev_shutdown(ctx: NodeContext, disk: dict[str, Any]) -> None:
    ctx.disk_backend(disk).shutdown(disk)


def file_storage_dir_create(ctx: NodeContext, path: str) -> None:
    filestorage.dir_create(ctx.paths, path)


def file_storage_dir_remove(ctx: NodeContext, path: str) -> None:
    filestorage.dir_remove(ctx.paths, path)


def file_storage_dir_rename(ctx: NodeContext, old_path: str, new_path: str) -> None:
    filestorage.dir_rename(ctx.paths, old_path, new_path)


def storage_space(ctx: NodeContext, storage_units: list[list[Any]]) -> list[dict[str, Any]]:
    """Free/total MiB of each [type, key, params] storage unit (file and sharedfile)."""
    result = []
    for unit in storage_units:
        if not isinstance(unit, (list, tuple)) or len(unit) < 2:
            raise errors.StorageError(f"storage unit must be [type, key, params], not {unit!r}")
        kind, key = unit[0], unit[1]
        if kind not in ("file", "sharedfile"):
            raise errors.StorageError(
                f"storage type {kind!r} is not supported on this node (supported: file, sharedfile)"
            )
        result.append({"type": kind, "name": key, **filestorage.space_info(str(key))})
    return result

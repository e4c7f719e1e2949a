"""The disk backend protocol; disks are Ganeti disk dicts (uuid, dev_type, size, logical_id...)."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from pyganeti import errors


class DiskBackend(Protocol):
    """Operations on one kind of disk (dev_type); sizes are in MiB."""

    DEV_TYPE: ClassVar[str]

    def create(self, disk: dict[str, Any], size: int, exclusive_storage: bool) -> str: ...

    def remove(self, disk: dict[str, Any]) -> None: ...

    def rename(self, disk: dict[str, Any], new_logical_id: list[Any]) -> None: ...

    def grow(self, disk: dict[str, Any], amount: int, dryrun: bool) -> None: ...

    def get_size(self, disk: dict[str, Any]) -> int | None: ...

    def assemble(self, disk: dict[str, Any]) -> str: ...

    def shutdown(self, disk: dict[str, Any]) -> None: ...


def disk_label(disk: dict[str, Any]) -> str:
    """How error messages name a disk."""
    return str(disk.get("iv_name") or disk.get("name") or disk.get("uuid") or "<unnamed disk>")


def require_size(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise errors.BlockDeviceError(f"{what} must be a non-negative integer (MiB), not {value!r}")
    return value

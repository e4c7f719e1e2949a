"""Disk dev_type → backend class."""

from __future__ import annotations

from pyganeti import errors
from pyganeti.paths import Paths
from pyganeti.storage.base import DiskBackend
from pyganeti.storage.filestorage import FileDisk, SharedFileDisk

# Diskless instances have no disk objects at all, so "diskless" never reaches this table.
_BACKENDS: dict[str, type[FileDisk]] = {
    FileDisk.DEV_TYPE: FileDisk,
    SharedFileDisk.DEV_TYPE: SharedFileDisk,
}


def known_dev_types() -> list[str]:
    return sorted(_BACKENDS)


def get_backend(dev_type: object, paths: Paths) -> DiskBackend:
    """The backend for `dev_type`; BlockDeviceError naming the supported ones otherwise."""
    cls = _BACKENDS.get(dev_type) if isinstance(dev_type, str) else None
    if cls is None:
        raise errors.BlockDeviceError(
            f"unsupported disk type {dev_type!r} (supported: {', '.join(known_dev_types())})"
        )
    return cls(paths)

"""File-backed disks (dev_type "file" and "sharedfile"): sparse files inside allowed directories.

A disk's logical_id is Ganeti's [driver, absolute path]; the master chooses the path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pyganeti import errors
from pyganeti.paths import Paths
from pyganeti.storage.allowed import check_path
from pyganeti.storage.base import DiskBackend, disk_label, require_size

FILE_DRIVERS = ("loop", "blktap", "blktap2")
_MIB = 1024 * 1024


def parse_logical_id(logical_id: Any, what: str) -> tuple[str, str]:
    """(driver, path) from a file disk's logical_id, or BlockDeviceError naming the problem."""
    if (
        not isinstance(logical_id, (list, tuple))
        or len(logical_id) != 2
        or not all(isinstance(x, str) for x in logical_id)
    ):
        raise errors.BlockDeviceError(
            f"{what}: logical_id must be [driver, path], not {logical_id!r}"
        )
    driver, path = logical_id
    if driver not in FILE_DRIVERS:
        raise errors.BlockDeviceError(
            f"{what}: unknown file driver {driver!r} (known: {', '.join(FILE_DRIVERS)})"
        )
    if not os.path.isabs(path):
        raise errors.BlockDeviceError(f"{what}: file path {path!r} is not absolute")
    return driver, path


class FileDisk:
    """A disk that is a (sparse) file on the node's local filesystem."""

    DEV_TYPE: ClassVar[str] = "file"

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def _path(self, disk: dict[str, Any], must_exist: bool = True) -> Path:
        _, raw = parse_logical_id(disk.get("logical_id"), f"disk {disk_label(disk)}")
        path = check_path(self.paths, raw)
        if must_exist and not path.is_file():
            raise errors.BlockDeviceError(f"disk {disk_label(disk)}: file {raw} does not exist")
        return path

    def create(self, disk: dict[str, Any], size: int, exclusive_storage: bool) -> str:
        require_size(size, "disk size")
        if exclusive_storage:
            raise errors.BlockDeviceError("exclusive storage is not supported for file disks")
        path = self._path(disk, must_exist=False)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise errors.BlockDeviceError(
                f"disk {disk_label(disk)}: file {path} already exists"
            ) from None
        try:
            # Sparse: only metadata is written, blocks are allocated on use.
            os.ftruncate(fd, size * _MIB)
        except OSError as err:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise errors.BlockDeviceError(
                f"cannot size {path} to {size} MiB: {err.strerror}"
            ) from None
        os.close(fd)
        return str(path)

    def remove(self, disk: dict[str, Any]) -> None:
        path = self._path(disk, must_exist=False)
        try:
            path.unlink()
        except FileNotFoundError:
            # Removing an absent disk is success, as in Ganeti (removal is retried).
            return
        except OSError as err:
            raise errors.BlockDeviceError(f"cannot remove {path}: {err.strerror}") from None

    def rename(self, disk: dict[str, Any], new_logical_id: list[Any]) -> None:
        old = self._path(disk)
        _, raw_new = parse_logical_id(new_logical_id, f"disk {disk_label(disk)} new logical_id")
        new = check_path(self.paths, raw_new)
        if new.exists():
            raise errors.BlockDeviceError(f"cannot rename {old} to {new}: target exists")
        new.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        try:
            os.rename(old, new)
        except OSError as err:
            raise errors.BlockDeviceError(f"cannot rename {old} to {new}: {err.strerror}") from None

    def grow(self, disk: dict[str, Any], amount: int, dryrun: bool) -> None:
        require_size(amount, "grow amount")
        path = self._path(disk)
        current = path.stat().st_size
        free = space_info(path.parent)["storage_free"]
        if amount > free:
            raise errors.BlockDeviceError(
                f"not enough space to grow {path} by {amount} MiB ({free} MiB free)"
            )
        if dryrun:
            return
        try:
            os.truncate(path, current + amount * _MIB)
        except OSError as err:
            raise errors.BlockDeviceError(f"cannot grow {path}: {err.strerror}") from None

    def get_size(self, disk: dict[str, Any]) -> int | None:
        try:
            path = self._path(disk)
        except errors.BlockDeviceError:
            return None
        return path.stat().st_size // _MIB

    def assemble(self, disk: dict[str, Any]) -> str:
        return str(self._path(disk))

    def shutdown(self, disk: dict[str, Any]) -> None:
        # Nothing is attached for a plain file; only check the disk is where it should be.
        self._path(disk, must_exist=False)


class SharedFileDisk(FileDisk):
    """A file disk on storage shared by all nodes (same rules, other base directory)."""

    DEV_TYPE: ClassVar[str] = "sharedfile"


def space_info(path: str | os.PathLike[str]) -> dict[str, int]:
    """Free and total space (MiB) of the filesystem holding `path`."""
    try:
        st = os.statvfs(path)
    except OSError as err:
        raise errors.StorageError(f"cannot get free space of {path}: {err.strerror}") from None
    return {
        "storage_free": st.f_bavail * st.f_frsize // _MIB,
        "storage_size": st.f_blocks * st.f_frsize // _MIB,
    }


def dir_create(paths: Paths, path: str) -> None:
    real = check_path(paths, path)
    if real.exists() and not real.is_dir():
        raise errors.FileStoragePathError(f"{path} exists and is not a directory")
    real.mkdir(parents=True, exist_ok=True, mode=0o750)


def dir_remove(paths: Paths, path: str) -> None:
    """Remove an (empty) instance storage directory; absent is fine."""
    real = check_path(paths, path)
    if not real.exists():
        return
    if not real.is_dir():
        raise errors.FileStoragePathError(f"{path} is not a directory")
    try:
        real.rmdir()
    except OSError as err:
        raise errors.FileStoragePathError(
            f"cannot remove directory {path}: {err.strerror}"
        ) from None


def dir_rename(paths: Paths, old: str, new: str) -> None:
    real_old = check_path(paths, old)
    real_new = check_path(paths, new)
    if not real_old.is_dir():
        raise errors.FileStoragePathError(f"cannot rename {old}: not an existing directory")
    if real_new.exists():
        raise errors.FileStoragePathError(f"cannot rename {old} to {new}: target exists")
    try:
        os.rename(real_old, real_new)
    except OSError as err:
        raise errors.FileStoragePathError(f"cannot rename {old} to {new}: {err.strerror}") from None


if TYPE_CHECKING:
    # mypy proves both classes satisfy the backend protocol.
    _file: type[DiskBackend] = FileDisk
    _shared: type[DiskBackend] = SharedFileDisk

"""File disks and storage directories, confined to file-storage-paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.paths import Paths
from pyganeti.storage import filestorage, get_backend, known_dev_types
from pyganeti.storage.allowed import allowed_dirs, check_path

MIB = 1024 * 1024


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    p = Paths.from_root(tmp_path / "root")
    p.ensure_dirs()
    p.file_storage_paths.write_text(
        f"# allowed\n{p.file_storage_dir}\n\n"
        f"{p.shared_file_storage_dir}  # shared\nrelative/ignored\n"
    )
    return p


def disk(path: Path | str, dev_type: str = "file", **extra: Any) -> dict[str, Any]:
    return {"uuid": "d1", "iv_name": "disk/0", "dev_type": dev_type, "size": 10,
            "logical_id": ["loop", str(path)], "mode": "rw", **extra}  # fmt: skip


def test_allow_list_parsing(paths: Paths) -> None:
    assert allowed_dirs(paths) == [paths.file_storage_dir, paths.shared_file_storage_dir]
    paths.file_storage_paths.unlink()
    assert allowed_dirs(paths) == []
    with pytest.raises(errors.FileStoragePathError, match=r"allowed in .*: none"):
        check_path(paths, paths.file_storage_dir / "x")


def test_create_grow_size_remove(paths: Paths) -> None:
    be = get_backend("file", paths)
    target = paths.file_storage_dir / "inst1" / "d1.file"
    d = disk(target)
    assert be.get_size(d) is None
    assert be.create(d, 10, False) == str(target)
    assert target.stat().st_size == 10 * MIB
    assert target.stat().st_blocks * 512 < MIB  # sparse
    assert be.get_size(d) == 10
    with pytest.raises(errors.BlockDeviceError, match=r"already exists"):
        be.create(d, 10, False)
    be.grow(d, 5, dryrun=True)
    assert be.get_size(d) == 10
    be.grow(d, 5, dryrun=False)
    assert be.get_size(d) == 15
    with pytest.raises(errors.BlockDeviceError, match=r"not enough space"):
        be.grow(d, 1 << 40, dryrun=False)
    assert be.get_size(d) == 15
    assert be.assemble(d) == str(target)
    be.shutdown(d)
    be.remove(d)
    assert not target.exists()
    be.remove(d)  # idempotent
    with pytest.raises(errors.BlockDeviceError, match=r"does not exist"):
        be.assemble(d)


def test_path_outside_allowed_dirs_is_refused(paths: Paths, tmp_path: Path) -> None:
    be = get_backend("file", paths)
    outside = tmp_path / "elsewhere" / "d.file"
    with pytest.raises(errors.FileStoragePathError, match=r"elsewhere/d.file.*not inside"):
        be.create(disk(outside), 1, False)
    assert not outside.parent.exists()
    # '..' is resolved before the check.
    sneaky = f"{paths.file_storage_dir}/../../escape.file"
    with pytest.raises(errors.FileStoragePathError, match=r"escape.file"):
        be.create(disk(sneaky), 1, False)
    assert not Path(os.path.normpath(sneaky)).exists()


def test_symlink_escape_is_refused(paths: Paths, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (paths.file_storage_dir / "link").symlink_to(outside)
    be = get_backend("file", paths)
    with pytest.raises(errors.FileStoragePathError, match=r"resolved to .*outside"):
        be.create(disk(paths.file_storage_dir / "link" / "d.file"), 1, False)
    assert list(outside.iterdir()) == []


def test_bad_disk_objects(paths: Paths) -> None:
    be = get_backend("file", paths)
    with pytest.raises(errors.BlockDeviceError, match=r"disk disk/0: logical_id must be"):
        be.create({"iv_name": "disk/0", "logical_id": "x"}, 1, False)
    with pytest.raises(errors.BlockDeviceError, match=r"unknown file driver 'nbd'"):
        be.create({"logical_id": ["nbd", "/x"]}, 1, False)
    with pytest.raises(errors.BlockDeviceError, match=r"not absolute"):
        be.create({"logical_id": ["loop", "rel/x"]}, 1, False)
    with pytest.raises(errors.BlockDeviceError, match=r"non-negative integer"):
        be.create(disk(paths.file_storage_dir / "x"), -1, False)
    with pytest.raises(errors.BlockDeviceError, match=r"exclusive storage"):
        be.create(disk(paths.file_storage_dir / "x"), 1, True)
    assert not (paths.file_storage_dir / "x").exists()
    with pytest.raises(errors.BlockDeviceError, match=r"unsupported disk type 'drbd'.*file"):
        get_backend("drbd", paths)
    assert known_dev_types() == ["file", "sharedfile"]


def test_rename(paths: Paths) -> None:
    be = get_backend("file", paths)
    old = paths.file_storage_dir / "i" / "a.file"
    new = paths.file_storage_dir / "j" / "b.file"
    be.create(disk(old), 1, False)
    be.rename(disk(old), ["loop", str(new)])
    assert new.is_file() and not old.exists()
    be.create(disk(old), 1, False)
    with pytest.raises(errors.BlockDeviceError, match=r"target exists"):
        be.rename(disk(old), ["loop", str(new)])
    with pytest.raises(errors.FileStoragePathError):
        be.rename(disk(old), ["loop", "/tmp/escaped.file"])
    assert old.is_file()


def test_sharedfile(paths: Paths) -> None:
    be = get_backend("sharedfile", paths)
    target = paths.shared_file_storage_dir / "i" / "d.file"
    be.create(disk(target, "sharedfile"), 2, False)
    assert be.get_size(disk(target, "sharedfile")) == 2


def test_storage_dirs(paths: Paths, tmp_path: Path) -> None:
    d = paths.file_storage_dir / "inst"
    filestorage.dir_create(paths, str(d))
    assert d.is_dir()
    filestorage.dir_create(paths, str(d))  # idempotent
    filestorage.dir_rename(paths, str(d), str(paths.file_storage_dir / "renamed"))
    assert (paths.file_storage_dir / "renamed").is_dir()
    with pytest.raises(errors.FileStoragePathError, match=r"not an existing directory"):
        filestorage.dir_rename(paths, str(d), str(paths.file_storage_dir / "x"))
    (paths.file_storage_dir / "renamed" / "f").write_text("x")
    with pytest.raises(errors.FileStoragePathError, match=r"cannot remove"):
        filestorage.dir_remove(paths, str(paths.file_storage_dir / "renamed"))
    (paths.file_storage_dir / "renamed" / "f").unlink()
    filestorage.dir_remove(paths, str(paths.file_storage_dir / "renamed"))
    assert not (paths.file_storage_dir / "renamed").exists()
    with pytest.raises(errors.FileStoragePathError, match=r"not inside"):
        filestorage.dir_create(paths, str(tmp_path / "evil"))
    assert not (tmp_path / "evil").exists()


def test_space_info(paths: Paths) -> None:
    info = filestorage.space_info(paths.file_storage_dir)
    assert 0 < info["storage_free"] <= info["storage_size"]
    with pytest.raises(errors.StorageError, match=r"cannot get free space"):
        filestorage.space_info(paths.root / "missing")

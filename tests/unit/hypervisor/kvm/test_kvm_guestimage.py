"""The test-guest builder's pure parts: newc cpio archives and module dependency order."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pyganeti.hypervisor.kvm.guestimage import cpio_newc, module_closure, module_depends


def fake_module(path: Path, depends: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x7fELF....\0license=GPL\0depends=" + depends.encode() + b"\0name=x\0")


def test_modules_come_after_their_dependencies(tmp_path: Path) -> None:
    fake_module(tmp_path / "a/virtio_net.ko", "net_failover,virtio")
    fake_module(tmp_path / "b/net_failover.ko", "failover")
    fake_module(tmp_path / "b/failover.ko", "")
    fake_module(tmp_path / "c/virtio.ko", "")
    assert module_depends(tmp_path / "a/virtio_net.ko") == ["net_failover", "virtio"]
    order = [p.stem for p in module_closure(tmp_path, ("virtio_net", "builtin_one"))]
    assert order == ["failover", "net_failover", "virtio", "virtio_net"]


@pytest.mark.skipif(shutil.which("cpio") is None, reason="needs cpio to read the archive")
def test_cpio_archive_is_readable_by_cpio(tmp_path: Path) -> None:
    archive = cpio_newc([("bin", 0o040755, b"", 0), ("bin/hello", 0o100755, b"hi\n", 0)])
    listing = subprocess.run(
        ["cpio", "-t"], input=archive, capture_output=True, check=True, cwd=tmp_path
    )
    assert listing.stdout.decode().split() == ["bin", "bin/hello"]

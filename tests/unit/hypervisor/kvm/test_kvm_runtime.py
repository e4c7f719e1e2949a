"""Runtime files: layout, short socket directories for deep roots, pid-reuse safety."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyganeti import errors
from pyganeti.hypervisor.kvm.runtime import RuntimeDir, check_name
from pyganeti.paths import Paths


@pytest.fixture(autouse=True)
def no_short_dirs_left(tmp_path: Path) -> Iterator[None]:
    """Deep test roots put sockets in /tmp/pyganeti-kvm-*: remove what a test made."""
    yield
    for link in tmp_path.rglob("ctrl"):
        if link.is_symlink():
            shutil.rmtree(link.resolve(), ignore_errors=True)


def test_records_pids_markers_and_removal(tmp_path: Path) -> None:
    rt = RuntimeDir(Paths.from_root(tmp_path))
    proc = subprocess.Popen(["sleep", "60"])
    try:
        rt.write_pid("vm1", proc.pid)
        rt.write_conf("vm1", {"argv": ["qemu"]})
        assert rt.qemu_pid("vm1") == proc.pid and rt.read_conf("vm1") == {"argv": ["qemu"]}
        rt.mark_user_shutdown("vm2")
        assert rt.names() == ["vm1", "vm2"] and rt.is_user_shutdown("vm2")
    finally:
        proc.kill()
        proc.wait()
    assert rt.qemu_pid("vm1") is None  # dead
    rt.remove("vm1")
    rt.remove("vm2", keep_marker=True)
    assert rt.names() == ["vm2"] and not rt.pid_file("vm1").exists()


def test_a_reused_pid_is_not_taken_for_qemu(tmp_path: Path) -> None:
    rt = RuntimeDir(Paths.from_root(tmp_path))
    rt.ensure()
    # Our own pid with another start time: a recycled pid must not count as the VM.
    rt.pid_file("vm1").write_text(f"{os.getpid()} 1\n")
    assert rt.qemu_pid("vm1") is None
    rt.write_pid("vm1", os.getpid())
    assert rt.qemu_pid("vm1") == os.getpid()


def test_deep_roots_get_a_short_socket_directory(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 80)
    rt = RuntimeDir(Paths.from_root(deep))
    rt.ensure()
    assert rt.ctrl_dir.is_symlink() and len(str(rt.qmp_socket("vm1"))) < 108
    assert rt.qmp_socket("vm1").parent == rt.socket_dir == rt.ctrl_dir.resolve()
    shallow = RuntimeDir(Paths.from_root("/r"))
    assert shallow.socket_dir == Path("/r/var/run/ganeti/kvm-hypervisor/ctrl")


def test_queries_create_nothing(tmp_path: Path) -> None:
    rt = RuntimeDir(Paths.from_root(tmp_path / ("d" * 80)))
    assert rt.names() == [] and rt.qemu_pid("vm1") is None and not rt.is_user_shutdown("vm1")
    assert not rt.socket_dir.exists() and not rt.root.exists()


def test_corrupt_records_and_bad_names_are_errors(tmp_path: Path) -> None:
    rt = RuntimeDir(Paths.from_root(tmp_path))
    rt.ensure()
    rt.conf_file("vm1").write_text("{not json")
    with pytest.raises(errors.HypervisorError, match="corrupt KVM runtime of vm1"):
        rt.read_conf("vm1")
    for bad in ("", "../x", ".hidden", "a" * 65):
        with pytest.raises(errors.HypervisorError, match="invalid instance name"):
            check_name(bad)

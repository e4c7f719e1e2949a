"""/proc parsing for node memory and CPU facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyganeti import errors
from pyganeti.hypervisor import linuxinfo


def test_meminfo(tmp_path: Path) -> None:
    f = tmp_path / "meminfo"
    f.write_text("MemTotal: 2048000 kB\nMemFree: 1024000 kB\nCached: 10240 kB\nActive: 4096 kB\n")
    assert linuxinfo.read_meminfo(f) == {
        "memory_total": 2000,
        "memory_free": 1010,
        "memory_dom0": 4,
    }


def test_meminfo_errors(tmp_path: Path) -> None:
    with pytest.raises(errors.HypervisorError, match=r"cannot read"):
        linuxinfo.read_meminfo(tmp_path / "missing")
    f = tmp_path / "meminfo"
    f.write_text("MemFree: 1 kB\n")
    with pytest.raises(errors.HypervisorError, match=r"no MemTotal"):
        linuxinfo.read_meminfo(f)


def test_cpuinfo(tmp_path: Path) -> None:
    f = tmp_path / "cpuinfo"
    f.write_text(
        "processor\t: 0\nphysical id\t: 0\n\nprocessor\t: 1\nphysical id\t: 1\n\n"
        "processor\t: 2\nphysical id\t: 1\n"
    )
    info = linuxinfo.read_cpuinfo(f)
    assert (info["cpu_total"], info["cpu_sockets"]) == (3, 2)
    assert info["cpu_nodes"] >= 1


def test_real_proc_is_readable() -> None:
    assert linuxinfo.read_meminfo()["memory_total"] > 0
    assert linuxinfo.read_cpuinfo()["cpu_total"] > 0

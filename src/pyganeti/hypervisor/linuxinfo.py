"""Node memory and CPU facts read from /proc (for hypervisors that see the whole host)."""

from __future__ import annotations

import os
from pathlib import Path

from pyganeti import errors


def read_meminfo(path: str | os.PathLike[str] = "/proc/meminfo") -> dict[str, int]:
    """memory_total, memory_free (MemFree+Buffers+Cached) and memory_dom0 (Active), in MiB."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as err:
        raise errors.HypervisorError(f"cannot read {path}: {err.strerror}") from None
    values: dict[str, int] = {}
    for line in lines:
        key, sep, rest = line.partition(":")
        fields = rest.split()
        if sep and fields and fields[0].isdigit():
            values[key.strip()] = int(fields[0]) // 1024
    if "MemTotal" not in values:
        raise errors.HypervisorError(f"no MemTotal line in {path}")
    return {
        "memory_total": values["MemTotal"],
        "memory_free": sum(values.get(k, 0) for k in ("MemFree", "Buffers", "Cached")),
        "memory_dom0": values.get("Active", 0),
    }


def read_cpuinfo(path: str | os.PathLike[str] = "/proc/cpuinfo") -> dict[str, int]:
    """cpu_total, cpu_dom0, cpu_nodes (NUMA nodes) and cpu_sockets."""
    try:
        text = Path(path).read_text()
    except OSError as err:
        raise errors.HypervisorError(f"cannot read {path}: {err.strerror}") from None
    total = 0
    sockets: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "processor":
            total += 1
        elif key == "physical id":
            sockets.add(value.strip())
    total = total or os.cpu_count() or 1
    return {
        "cpu_total": total,
        "cpu_dom0": total,
        "cpu_nodes": _numa_nodes(),
        "cpu_sockets": max(len(sockets), 1),
    }


def _numa_nodes() -> int:
    try:
        names = os.listdir("/sys/devices/system/node")
    except OSError:
        return 1
    return max(sum(1 for n in names if n.startswith("node") and n[4:].isdigit()), 1)

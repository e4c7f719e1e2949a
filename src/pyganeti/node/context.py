"""The state node-side functions share: the node's paths and its hypervisor objects."""

from __future__ import annotations

import threading
from typing import Any

from pyganeti import errors
from pyganeti.hypervisor import Hypervisor, get_hypervisor
from pyganeti.paths import Paths
from pyganeti.storage import DiskBackend, get_backend


class NodeContext:
    """Passed as first argument to every node-side RPC implementation (thread-safe)."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._hypervisors: dict[str, Hypervisor] = {}
        self._lock = threading.Lock()

    def hypervisor(self, name: Any) -> Hypervisor:
        if not isinstance(name, str):
            raise errors.HypervisorError(f"hypervisor name must be a string, not {name!r}")
        with self._lock:
            hv = self._hypervisors.get(name)
            if hv is None:
                hv = get_hypervisor(name, self.paths)
                self._hypervisors[name] = hv
            return hv

    def disk_backend(self, disk: dict[str, Any]) -> DiskBackend:
        if not isinstance(disk, dict):
            raise errors.BlockDeviceError(f"a disk must be an object, not {disk!r}")
        return get_backend(disk.get("dev_type"), self.paths)

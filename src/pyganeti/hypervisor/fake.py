"""The fake hypervisor: instances are state files under Paths.fake_hv_dir, nothing runs.

One JSON file per instance (so state survives a noded restart). Node memory is the real
MemTotal minus the memory of running fake instances; starting what does not fit is refused.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pyganeti import errors
from pyganeti.hypervisor import linuxinfo
from pyganeti.hypervisor.base import (
    CONS_MESSAGE,
    STATE_RUNNING,
    STATE_USER_DOWN,
    AttachedDisk,
    Hypervisor,
    InstanceInfo,
    NeedsPaths,
    Param,
    beparam_int,
    check_parameters,
    choice,
)
from pyganeti.paths import Paths

# Check-free-then-write must not interleave between handler threads of one noded.
_STATE_LOCK = threading.Lock()


class FakeHypervisor(NeedsPaths):
    """Ganeti's fake hypervisor semantics, with user-shutdown simulation added."""

    NAME: ClassVar[str] = "fake"
    PARAMETERS: ClassVar[dict[str, Param]] = {
        "migration_mode": Param(
            choice("live", "non-live"), "live", "how instances are migrated", "live or non-live"
        ),
    }
    CAN_MIGRATE: ClassVar[bool] = True
    SUPPORTS_USER_SHUTDOWN: ClassVar[bool] = True

    def __init__(
        self, paths: Paths, meminfo: str = "/proc/meminfo", cpuinfo: str = "/proc/cpuinfo"
    ):
        super().__init__(paths)
        self.meminfo = meminfo
        self.cpuinfo = cpuinfo

    @property
    def state_dir(self) -> Path:
        return self.paths.fake_hv_dir

    def _file(self, name: str) -> Path:
        if not name or "/" in name or name.startswith(".") or "\0" in name:
            raise errors.HypervisorError(f"invalid instance name {name!r}")
        return self.state_dir / name

    def _read(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._file(name).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise errors.HypervisorError(f"corrupt fake state for instance {name}: {err}") from None
        if not isinstance(data, dict):
            raise errors.HypervisorError(f"corrupt fake state for instance {name}: not an object")
        return data

    def _write(self, name: str, record: dict[str, Any]) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        target = self._file(name)
        tmp = target.with_name(f".{name}.tmp")
        tmp.write_text(json.dumps(record))
        os.replace(tmp, target)

    def _names(self) -> list[str]:
        try:
            return sorted(n for n in os.listdir(self.state_dir) if not n.startswith("."))
        except FileNotFoundError:
            return []

    @staticmethod
    def _info(name: str, record: dict[str, Any]) -> InstanceInfo:
        return InstanceInfo(
            name=name,
            id=str(record.get("id", "0")),
            memory=int(record.get("memory", 0)),
            vcpus=int(record.get("vcpus", 1)),
            state=str(record.get("state", STATE_RUNNING)),
            time=max(time.time() - float(record.get("started", time.time())), 0.0),
        )

    # --- queries ----------------------------------------------------------
    def list_instances(self, hvparams: dict[str, Any] | None = None) -> list[str]:
        return self._names()

    def get_instance_info(
        self, name: str, hvparams: dict[str, Any] | None = None
    ) -> InstanceInfo | None:
        record = self._read(name)
        return None if record is None else self._info(name, record)

    def get_all_instances_info(self, hvparams: dict[str, Any] | None = None) -> list[InstanceInfo]:
        result = []
        for name in self._names():
            record = self._read(name)
            if record is not None:
                result.append(self._info(name, record))
        return result

    def _used_memory(self) -> int:
        # A user-down instance has no running VM any more, so it holds no memory.
        return sum(i.memory for i in self.get_all_instances_info() if i.state == STATE_RUNNING)

    def get_node_info(self, hvparams: dict[str, Any] | None = None) -> dict[str, int]:
        mem = linuxinfo.read_meminfo(self.meminfo)
        result = {**mem, **linuxinfo.read_cpuinfo(self.cpuinfo)}
        result["memory_free"] = max(mem["memory_total"] - self._used_memory(), 0)
        return result

    def verify(self, hvparams: dict[str, Any] | None = None) -> str | None:
        if not self.state_dir.is_dir():
            return f"The required directory '{self.state_dir}' does not exist"
        return None

    @classmethod
    def check_parameter_syntax(cls, hvparams: dict[str, Any]) -> None:
        check_parameters(cls.NAME, cls.PARAMETERS, hvparams)

    def validate_parameters(self, hvparams: dict[str, Any]) -> None:
        self.check_parameter_syntax(hvparams)

    def get_console_info(self, instance: dict[str, Any]) -> dict[str, Any]:
        return {
            "instance": instance.get("name"),
            "kind": CONS_MESSAGE,
            "message": "Console not available for fake hypervisor",
        }

    # --- actions ------------------------------------------------------------
    def start(
        self, instance: dict[str, Any], disks: list[AttachedDisk], startup_paused: bool
    ) -> None:
        name = str(instance.get("name", ""))
        maxmem = beparam_int(instance, "maxmem")
        minmem = beparam_int(instance, "minmem")
        vcpus = beparam_int(instance, "vcpus")
        for disk in disks:
            if not os.path.exists(disk.path):
                raise errors.HypervisorError(
                    f"Failed to start instance {name}: disk {disk.path} does not exist"
                )
        with _STATE_LOCK:
            current = self._read(name)
            if current is not None and current.get("state") == STATE_RUNNING:
                raise errors.HypervisorError(f"Failed to start instance {name}: already running")
            free = self.get_node_info()["memory_free"]
            if free < minmem:
                raise errors.HypervisorError(
                    f"Not enough memory to start instance {name}: it needs at least {minmem} MiB,"
                    f" the node has {free} MiB free"
                )
            # Like Ganeti: start with maxmem when it fits, else with whatever is free.
            memory = min(maxmem, free)
            self._write(
                name,
                {
                    "id": instance.get("uuid", "0"),
                    "memory": memory,
                    "vcpus": vcpus,
                    "state": STATE_RUNNING,
                    "paused": bool(startup_paused),
                    "started": time.time(),
                },
            )

    def stop(
        self, instance: dict[str, Any], force: bool, timeout: int | None, name: str | None = None
    ) -> None:
        name = name or str(instance.get("name", ""))
        with _STATE_LOCK:
            if self._read(name) is None:
                raise errors.HypervisorError(f"Failed to stop instance {name}: not running")
            self._file(name).unlink(missing_ok=True)

    def reboot(self, instance: dict[str, Any]) -> None:
        name = str(instance.get("name", ""))
        record = self._read(name)
        if record is None or record.get("state") != STATE_RUNNING:
            raise errors.HypervisorError(f"Failed to reboot instance {name}: not running")
        record["started"] = time.time()
        self._write(name, record)

    def mark_user_down(self, name: str) -> None:
        """Simulate the guest shutting itself down (reported as state "user down")."""
        with _STATE_LOCK:
            record = self._read(name)
            if record is None or record.get("state") != STATE_RUNNING:
                raise errors.HypervisorError(f"Cannot mark instance {name} user-down: not running")
            record["state"] = STATE_USER_DOWN
            self._write(name, record)


if TYPE_CHECKING:
    # mypy proves the fake satisfies the protocol the node code programs against.
    _conforms: type[Hypervisor] = FakeHypervisor

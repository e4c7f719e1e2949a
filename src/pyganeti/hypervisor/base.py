"""The hypervisor protocol, its data types and declared-parameter checking.

Instances arrive as plain dicts in Ganeti's objects layout with hvparams/beparams filled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Protocol

from pyganeti import errors
from pyganeti.paths import Paths

# Instance states reported by get_instance_info / get_all_instances_info.
STATE_RUNNING = "running"
STATE_USER_DOWN = "user down"  # shut down from inside; the master shows USER_down

# Console kinds (Ganeti's CONS_* values).
CONS_MESSAGE = "msg"
CONS_SSH = "ssh"
CONS_VNC = "vnc"
CONS_SPICE = "spice"


@dataclass(frozen=True)
class Param:
    """A declared hypervisor parameter: validator, default and documentation."""

    check: Callable[[Any], bool]
    default: Any
    doc: str
    expected: str  # human description of valid values, used in error messages


def choice(*values: str) -> Callable[[Any], bool]:
    return lambda v: v in values


def is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_str(v: Any) -> bool:
    return isinstance(v, str)


@dataclass(frozen=True)
class InstanceInfo:
    """What the hypervisor knows about one instance (memory in MiB, time in seconds)."""

    name: str
    id: str
    memory: int
    vcpus: int
    state: str
    time: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AttachedDisk:
    """A disk ready for an instance: its dict, the node-local path and an optional URI."""

    disk: dict[str, Any]
    path: str
    uri: str | None = None


class Hypervisor(Protocol):
    """What a hypervisor backend offers; classes are constructed with the node's Paths."""

    NAME: ClassVar[str]
    PARAMETERS: ClassVar[dict[str, Param]]
    CAN_MIGRATE: ClassVar[bool]
    SUPPORTS_USER_SHUTDOWN: ClassVar[bool]

    def start(
        self, instance: dict[str, Any], disks: list[AttachedDisk], startup_paused: bool
    ) -> None: ...

    def stop(
        self, instance: dict[str, Any], force: bool, timeout: int | None, name: str | None = None
    ) -> None: ...

    def reboot(self, instance: dict[str, Any]) -> None: ...

    def get_instance_info(
        self, name: str, hvparams: dict[str, Any] | None = None
    ) -> InstanceInfo | None: ...

    def list_instances(self, hvparams: dict[str, Any] | None = None) -> list[str]: ...

    def get_all_instances_info(
        self, hvparams: dict[str, Any] | None = None
    ) -> list[InstanceInfo]: ...

    def get_node_info(self, hvparams: dict[str, Any] | None = None) -> dict[str, int]: ...

    def verify(self, hvparams: dict[str, Any] | None = None) -> str | None: ...

    @classmethod
    def check_parameter_syntax(cls, hvparams: dict[str, Any]) -> None: ...

    def validate_parameters(self, hvparams: dict[str, Any]) -> None: ...

    def get_console_info(self, instance: dict[str, Any]) -> dict[str, Any]: ...


def check_parameters(hv_name: str, declared: dict[str, Param], hvparams: dict[str, Any]) -> None:
    """Reject unknown names and invalid values (HypervisorError naming each problem)."""
    problems: list[str] = []
    unknown = sorted(set(hvparams) - set(declared))
    if unknown:
        problems.append(f"unknown parameter(s) {', '.join(unknown)}")
    for key, value in sorted(hvparams.items()):
        spec = declared.get(key)
        if spec is not None and not spec.check(value):
            problems.append(f"parameter {key}={value!r} is invalid (expected {spec.expected})")
    if problems:
        raise errors.HypervisorError(f"hypervisor {hv_name}: " + "; ".join(problems))


def default_parameters(declared: dict[str, Param]) -> dict[str, Any]:
    return {key: spec.default for key, spec in declared.items()}


def beparam_int(instance: dict[str, Any], key: str) -> int:
    """An integer backend parameter of `instance`, or a HypervisorError naming what is missing."""
    value = instance.get("beparams", {}).get(key)
    if not is_int(value):
        raise errors.HypervisorError(
            f"instance {instance.get('name')}: backend parameter {key} is missing or not an"
            f" integer ({value!r})"
        )
    return int(value)


class NeedsPaths:
    """Small mixin: backends keep the node's Paths."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

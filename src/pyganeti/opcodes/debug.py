"""Opcodes for testing and debugging (gnt-debug): delays, allocator runs, queue checks."""

from typing import Any, ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import (
    DiskTemplate,
    EvacMode,
    Hypervisor,
    IAllocatorDirection,
    IAllocatorMode,
)
from pyganeti.opcodes.types import (
    MaybeNonEmptyStringList,
    MaybeNonNegativeInt,
    MaybeString,
    NicParams,
    NonEmptyString,
    NonEmptyStringList,
    NonNegativeInt,
    SecretObject,
)


@opcode
class OpTestDelay(OpCode):
    """Sleep on the master and/or on nodes; a negative duration fails the job.

    The master sleeps first, then the listed nodes; the whole is repeated ``repeat`` times.
    """

    OP_ID: ClassVar[str] = "OP_TEST_DELAY"
    OP_DSC_FIELD: ClassVar[str | None] = "duration"

    duration: float = param("Seconds to sleep")
    on_master: bool = param("Sleep on the master node", default=True)
    on_nodes: NonEmptyStringList = param("Nodes to sleep on", default=[])
    on_node_uuids: MaybeNonEmptyStringList = param(
        "UUIDs of the nodes, filled in once the names are resolved", default=None
    )
    repeat: NonNegativeInt = param("Times to repeat the sleep (0 means once)", default=0)
    interruptible: bool = param("Let the sleep be cut short through a socket", default=False)
    no_locks: bool = param("Take no locks while sleeping", default=True)


@opcode
class OpTestAllocator(OpCode):
    """Build an instance allocator request (direction "in") or run an allocator ("out")."""

    OP_ID: ClassVar[str] = "OP_TEST_ALLOCATOR"
    OP_DSC_FIELD: ClassVar[str | None] = "iallocator"

    direction: IAllocatorDirection = param("Return the request (in) or the allocator's answer")
    mode: IAllocatorMode = param("Kind of allocation request")
    name: NonEmptyString = param("Subject of the request: new instance, node to evacuate...")
    nics: list[NicParams] | None = param(g.NICS, default=None)
    disks: list[Any] | None = param(g.DISKS, default=None)
    hypervisor: Hypervisor | None = param(g.HYPERVISOR, default=None)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    tags: NonEmptyStringList = param("Tags of the instance", default=[])
    memory: MaybeNonNegativeInt = param("Memory of the instance, in MiB", default=None)
    vcpus: MaybeNonNegativeInt = param("Virtual CPUs of the instance", default=None)
    os: MaybeString = param("OS of the instance", default=None)
    disk_template: DiskTemplate | None = param(g.DISK_TEMPLATE, default=None)
    instances: MaybeNonEmptyStringList = param("Instances the request is about", default=None)
    evac_mode: EvacMode | None = param("Which instances a node evacuation moves", default=None)
    target_groups: MaybeNonEmptyStringList = param(g.TARGET_GROUPS, default=None)
    spindle_use: NonNegativeInt = param("Spindles the instance uses", default=1)
    count: NonNegativeInt = param("Number of instances to allocate", default=1)
    group_name: MaybeString = param(g.MAYBE_GROUP_NAME, default=None)


@opcode
class OpTestJqueue(OpCode):
    """Exercise the job queue: notifications, log messages, failure."""

    OP_ID: ClassVar[str] = "OP_TEST_JQUEUE"

    notify_waitlock: bool = param("Notify the client while waiting for locks", default=False)
    notify_exec: bool = param("Notify the client when execution starts", default=False)
    log_messages: list[str] = param("Messages to log during execution", default=[])
    fail: bool = param("Fail the opcode at the end", default=False)


@opcode
class OpTestOsParams(OpCode):
    """Check that secret OS parameters reach the logical unit intact."""

    OP_ID: ClassVar[str] = "OP_TEST_OS_PARAMS"

    osparams_secret: SecretObject | None = param(g.OSPARAMS_SECRET, default=None)


@opcode
class OpTestDummy(OpCode):
    """Carry arbitrary values for unit tests; never executed by a logical unit."""

    OP_ID: ClassVar[str] = "OP_TEST_DUMMY"
    WITH_LU: ClassVar[bool] = False

    result: Any = param("Value to return", default=None)
    messages: Any = param("Messages to log", default=None)
    fail: Any = param("Whether to fail", default=None)
    submit_jobs: Any = param("Jobs to submit", default=None)

"""Opcodes acting on an instance's disks: replace, activate, deactivate, recreate, grow."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import ReplaceDisksMode
from pyganeti.opcodes.types import (
    DiskIndex,
    MaybeNonEmptyStringList,
    MaybeString,
    NonEmptyStringList,
    NonNegativeInt,
    RecreateDisks,
)


@opcode
class OpInstanceReplaceDisks(OpCode):
    """Rebuild the mirror of an instance's disks on the same or a new secondary node."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_REPLACE_DISKS"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    early_release: bool = param(g.EARLY_RELEASE, default=False)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    mode: ReplaceDisksMode = param("Which side to replace")
    disks: list[DiskIndex] = param("Indices of the disks to replace; all if empty", default=[])
    remote_node: MaybeString = param(g.REMOTE_NODE, default=None)
    remote_node_uuid: MaybeString = param(g.REMOTE_NODE_UUID, default=None)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)


@opcode
class OpInstanceActivateDisks(OpCode):
    """Make an instance's disks available on its nodes.

    Returns [node, disk name, device path] for each disk on the primary node.
    """

    OP_ID: ClassVar[str] = "OP_INSTANCE_ACTIVATE_DISKS"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    ignore_size: bool = param("Use the real disk sizes, not the recorded ones", default=False)
    wait_for_sync: bool = param(g.WAIT_FOR_SYNC, default=False)


@opcode
class OpInstanceDeactivateDisks(OpCode):
    """Shut down the disks of a stopped instance."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_DEACTIVATE_DISKS"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    force: bool = param(g.FORCE, default=False)


@opcode
class OpInstanceRecreateDisks(OpCode):
    """Create an instance's disks anew (empty), optionally on other nodes."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_RECREATE_DISKS"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    disks: RecreateDisks = param(
        "Disks to recreate, as indices or [index, changed parameters]; all if empty",
        default=[],
    )
    nodes: NonEmptyStringList = param("Nodes to recreate the disks on", default=[])
    node_uuids: MaybeNonEmptyStringList = param(
        "UUIDs of the nodes, filled in once the names are resolved", default=None
    )
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)


@opcode
class OpInstanceGrowDisk(OpCode):
    """Grow one disk of an instance."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_GROW_DISK"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    wait_for_sync: bool = param(g.WAIT_FOR_SYNC, default=True)
    disk: DiskIndex = param("Index of the disk to grow")
    amount: NonNegativeInt = param("MiB to add, or the new size if absolute")
    absolute: bool = param("Take amount as the new size rather than an increment", default=False)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)

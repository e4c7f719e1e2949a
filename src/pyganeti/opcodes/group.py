"""Node group opcodes: create, change, rename, remove, assign nodes, evacuate, verify disks."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import AllocPolicy, DiskTemplate
from pyganeti.opcodes.types import (
    JsonObject,
    MaybeJsonObject,
    MaybeNonEmptyStringList,
    MaybeString,
    NonEmptyString,
    NonEmptyStringList,
)


@opcode
class OpGroupVerifyDisks(OpCode):
    """Check the disks of a group's instances.

    Returns [nodes with errors, instances whose disks need activating, missing volumes].
    """

    OP_ID: ClassVar[str] = "OP_GROUP_VERIFY_DISKS"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)


@opcode
class OpGroupAdd(OpCode):
    """Create a node group."""

    OP_ID: ClassVar[str] = "OP_GROUP_ADD"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param("Name of the new group")
    alloc_policy: AllocPolicy | None = param(g.ALLOC_POLICY, default=None)
    ndparams: MaybeJsonObject = param("Node parameter defaults of the group", default=None)
    diskparams: dict[DiskTemplate, JsonObject] | None = param(g.DISKPARAMS, default=None)
    hv_state: MaybeJsonObject = param(g.HV_STATE, default=None)
    disk_state: MaybeJsonObject = param(g.DISK_STATE, default=None)
    ipolicy: MaybeJsonObject = param("Instance policy of the group", default=None)


@opcode
class OpGroupAssignNodes(OpCode):
    """Move nodes into a node group."""

    OP_ID: ClassVar[str] = "OP_GROUP_ASSIGN_NODES"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    force: bool = param(g.FORCE, default=False)
    nodes: NonEmptyStringList = param("Names of the nodes to move")
    node_uuids: MaybeNonEmptyStringList = param(
        "UUIDs of the nodes, filled in once the names are resolved", default=None
    )


@opcode
class OpGroupSetParams(OpCode):
    """Change the parameters of a node group; unset parameters stay as they are."""

    OP_ID: ClassVar[str] = "OP_GROUP_SET_PARAMS"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    alloc_policy: AllocPolicy | None = param(g.ALLOC_POLICY, default=None)
    ndparams: MaybeJsonObject = param("Node parameter defaults of the group", default=None)
    diskparams: dict[DiskTemplate, JsonObject] | None = param(g.DISKPARAMS, default=None)
    hv_state: MaybeJsonObject = param(g.HV_STATE, default=None)
    disk_state: MaybeJsonObject = param(g.DISK_STATE, default=None)
    ipolicy: MaybeJsonObject = param("Instance policy of the group", default=None)


@opcode
class OpGroupRemove(OpCode):
    """Remove an empty node group."""

    OP_ID: ClassVar[str] = "OP_GROUP_REMOVE"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)


@opcode
class OpGroupRename(OpCode):
    """Rename a node group."""

    OP_ID: ClassVar[str] = "OP_GROUP_RENAME"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    new_name: NonEmptyString = param("New name of the group")


@opcode
class OpGroupEvacuate(OpCode):
    """Move every instance out of a node group (submits one job per move)."""

    OP_ID: ClassVar[str] = "OP_GROUP_EVACUATE"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    early_release: bool = param(g.EARLY_RELEASE, default=False)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    target_groups: MaybeNonEmptyStringList = param(g.TARGET_GROUPS, default=None)
    sequential: bool = param("Run the resulting jobs one after another", default=False)
    force_failover: bool = param("Fail instances over instead of migrating them", default=False)

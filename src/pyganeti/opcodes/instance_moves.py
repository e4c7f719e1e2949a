"""Opcodes moving an instance between nodes or groups: failover, migrate, move, change group."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import MigrationMode
from pyganeti.opcodes.types import (
    MaybeBool,
    MaybeNonEmptyStringList,
    MaybeString,
    NonEmptyString,
    NonNegativeInt,
)


@opcode
class OpInstanceFailover(OpCode):
    """Stop an instance and start it on another node (its secondary, for mirrored disks)."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_FAILOVER"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    shutdown_timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)
    ignore_consistency: bool = param(g.IGNORE_CONSISTENCY, default=False)
    target_node: MaybeString = param(g.TARGET_NODE, default=None)
    target_node_uuid: MaybeString = param(g.TARGET_NODE_UUID, default=None)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    cleanup: bool = param(g.MIGRATION_CLEANUP, default=False)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)


@opcode
class OpInstanceMigrate(OpCode):
    """Move a running instance to another node without stopping it."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_MIGRATE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    mode: MigrationMode | None = param(g.MIGRATION_MODE, default=None)
    live: MaybeBool = param(g.MIGRATION_LIVE, default=None)
    target_node: MaybeString = param(g.TARGET_NODE, default=None)
    target_node_uuid: MaybeString = param(g.TARGET_NODE_UUID, default=None)
    allow_runtime_changes: bool = param(g.ALLOW_RUNTIME_CHANGES, default=True)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    cleanup: bool = param(g.MIGRATION_CLEANUP, default=False)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    allow_failover: bool = param("Fail over instead if migration is impossible", default=False)
    ignore_hvversions: bool = param(
        "Migrate even between different hypervisor versions", default=False
    )


@opcode
class OpInstanceMove(OpCode):
    """Stop an instance, copy its disks to another node and start it there."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_MOVE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    shutdown_timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    target_node: NonEmptyString = param(g.TARGET_NODE)
    target_node_uuid: MaybeString = param(g.TARGET_NODE_UUID, default=None)
    compress: str = param(g.COMPRESS, default="none")
    ignore_consistency: bool = param(g.IGNORE_CONSISTENCY, default=False)


@opcode
class OpInstanceChangeGroup(OpCode):
    """Move an instance to another node group (submits the jobs doing it)."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_CHANGE_GROUP"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    early_release: bool = param(g.EARLY_RELEASE, default=False)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    target_groups: MaybeNonEmptyStringList = param(g.TARGET_GROUPS, default=None)

"""Node opcodes: membership, parameters, storage units, power, evacuation, node commands."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import EvacMode, MigrationMode, OobCommand, StorageType
from pyganeti.opcodes.types import (
    JsonObject,
    MaybeBool,
    MaybeJsonObject,
    MaybeNonEmptyStringList,
    MaybeString,
    NonEmptyString,
    NonEmptyStringList,
)


@opcode
class OpNodeRemove(OpCode):
    """Remove a node that no longer holds instances."""

    OP_ID: ClassVar[str] = "OP_NODE_REMOVE"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)


@opcode
class OpNodeAdd(OpCode):
    """Add a node to the cluster, or re-add one whose setup was lost."""

    OP_ID: ClassVar[str] = "OP_NODE_ADD"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param("Name of the node (expanded to its FQDN)")
    hv_state: MaybeJsonObject = param(g.HV_STATE, default=None)
    disk_state: MaybeJsonObject = param(g.DISK_STATE, default=None)
    primary_ip: MaybeString = param(
        "Primary IP address; resolved from the name and filled in during the add",
        default=None,
    )
    secondary_ip: MaybeString = param(
        "Secondary IP address, required on dual-network clusters", default=None
    )
    readd: bool = param("Re-add a node that is already in the configuration", default=False)
    group: MaybeString = param("Node group to put the node in", default=None)
    master_capable: MaybeBool = param(g.MASTER_CAPABLE, default=None)
    vm_capable: MaybeBool = param(g.VM_CAPABLE, default=None)
    ndparams: MaybeJsonObject = param(g.NDPARAMS, default=None)
    node_setup: bool = param("Set up SSH access to the new node first", default=False)


@opcode
class OpNodeQueryvols(OpCode):
    """List the logical volumes on nodes."""

    OP_ID: ClassVar[str] = "OP_NODE_QUERYVOLS"

    output_fields: NonEmptyStringList = param(g.OUTPUT_FIELDS)
    nodes: NonEmptyStringList = param("Nodes to query; all if empty", default=[])


@opcode
class OpNodeQueryStorage(OpCode):
    """List storage units on nodes."""

    OP_ID: ClassVar[str] = "OP_NODE_QUERY_STORAGE"

    output_fields: NonEmptyStringList = param(g.OUTPUT_FIELDS)
    storage_type: StorageType | None = param(g.STORAGE_TYPE, default=None)
    nodes: NonEmptyStringList = param("Nodes to query; all if empty", default=[])
    name: MaybeString = param(g.STORAGE_NAME, default=None)


@opcode
class OpNodeModifyStorage(OpCode):
    """Change the properties of a storage unit on a node."""

    OP_ID: ClassVar[str] = "OP_NODE_MODIFY_STORAGE"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)
    storage_type: StorageType = param(g.STORAGE_TYPE)
    name: MaybeString = param(g.STORAGE_NAME, default=None)
    changes: JsonObject = param("Properties to change and their new values")


@opcode
class OpRepairNodeStorage(OpCode):
    """Repair a storage unit (such as a volume group) on a node."""

    OP_ID: ClassVar[str] = "OP_REPAIR_NODE_STORAGE"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)
    storage_type: StorageType = param(g.STORAGE_TYPE)
    name: MaybeString = param(g.STORAGE_NAME, default=None)
    ignore_consistency: bool = param(g.IGNORE_CONSISTENCY, default=False)


@opcode
class OpNodeSetParams(OpCode):
    """Change a node's roles, flags and parameters; unset parameters stay as they are."""

    OP_ID: ClassVar[str] = "OP_NODE_SET_PARAMS"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)
    force: bool = param(g.FORCE, default=False)
    hv_state: MaybeJsonObject = param(g.HV_STATE, default=None)
    disk_state: MaybeJsonObject = param(g.DISK_STATE, default=None)
    master_candidate: MaybeBool = param("Make the node a master candidate or not", default=None)
    offline: MaybeBool = param("Mark the node offline or online", default=None)
    drained: MaybeBool = param("Mark the node drained or not", default=None)
    auto_promote: bool = param(
        "Promote other nodes to master candidate if this change requires it", default=False
    )
    master_capable: MaybeBool = param(g.MASTER_CAPABLE, default=None)
    vm_capable: MaybeBool = param(g.VM_CAPABLE, default=None)
    secondary_ip: MaybeString = param(g.SECONDARY_IP, default=None)
    ndparams: MaybeJsonObject = param(g.NDPARAMS, default=None)
    powered: MaybeBool = param("Record the node as powered on or off", default=None)


@opcode
class OpNodePowercycle(OpCode):
    """Power-cycle a node through its hypervisor."""

    OP_ID: ClassVar[str] = "OP_NODE_POWERCYCLE"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)
    force: bool = param(g.FORCE, default=False)


@opcode
class OpNodeMigrate(OpCode):
    """Migrate every primary instance off a node (submits one job per instance)."""

    OP_ID: ClassVar[str] = "OP_NODE_MIGRATE"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)
    mode: MigrationMode | None = param(g.MIGRATION_MODE, default=None)
    live: MaybeBool = param(g.MIGRATION_LIVE, default=None)
    target_node: MaybeString = param(g.TARGET_NODE, default=None)
    target_node_uuid: MaybeString = param(g.TARGET_NODE_UUID, default=None)
    allow_runtime_changes: bool = param(g.ALLOW_RUNTIME_CHANGES, default=True)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)


@opcode
class OpNodeEvacuate(OpCode):
    """Move instances off a node (submits one job per move)."""

    OP_ID: ClassVar[str] = "OP_NODE_EVACUATE"
    OP_DSC_FIELD: ClassVar[str | None] = "node_name"

    early_release: bool = param(g.EARLY_RELEASE, default=False)
    node_name: NonEmptyString = param(g.NODE_NAME)
    node_uuid: MaybeString = param(g.NODE_UUID, default=None)
    remote_node: MaybeString = param(g.REMOTE_NODE, default=None)
    remote_node_uuid: MaybeString = param(g.REMOTE_NODE_UUID, default=None)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    mode: EvacMode = param("Which instances to move: primary, secondary or all")
    ignore_soft_errors: MaybeBool = param(
        "Let the allocator ignore soft constraint violations", default=None
    )


@opcode
class OpOobCommand(OpCode):
    """Run an out-of-band management command (power, health) on nodes."""

    OP_ID: ClassVar[str] = "OP_OOB_COMMAND"

    node_names: NonEmptyStringList = param("Nodes to run the command on", default=[])
    node_uuids: MaybeNonEmptyStringList = param(
        "UUIDs of the nodes, filled in once the names are resolved", default=None
    )
    command: OobCommand = param("Out-of-band command to run")
    timeout: int = param("Seconds before the out-of-band helper is killed", default=60)
    ignore_status: bool = param("Power off even nodes not marked offline", default=False)
    power_delay: float = param("Seconds to wait between powering on nodes", default=2.0)


@opcode
class OpRestrictedCommand(OpCode):
    """Run a command from the nodes' allowed list on one or more nodes."""

    OP_ID: ClassVar[str] = "OP_RESTRICTED_COMMAND"

    use_locking: bool = param(g.USE_LOCKING, default=False)
    nodes: NonEmptyStringList = param("Nodes to run the command on (at least one)")
    node_uuids: MaybeNonEmptyStringList = param(
        "UUIDs of the nodes, filled in once the names are resolved", default=None
    )
    command: NonEmptyString = param("Name of the restricted command")

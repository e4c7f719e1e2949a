"""The explicit list of every opcode and the lookup from a wire dict to its class."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pyganeti import errors
from pyganeti.opcodes import (
    backup,
    cluster,
    debug,
    extensions,
    group,
    instance,
    instance_disks,
    instance_moves,
    instance_power,
    network,
    node,
    providers,
    query,
    tags,
)
from pyganeti.opcodes.base import OP_ID_KEY, OpCode
from pyganeti.opcodes.checks import show

#: Every opcode of Ganeti 3.0, grouped by domain.
ALL_OPCODES: tuple[type[OpCode], ...] = (
    cluster.OpClusterPostInit,
    cluster.OpClusterDestroy,
    cluster.OpClusterQuery,
    cluster.OpClusterVerify,
    cluster.OpClusterVerifyConfig,
    cluster.OpClusterVerifyGroup,
    cluster.OpClusterVerifyDisks,
    cluster.OpClusterRepairDiskSizes,
    cluster.OpClusterConfigQuery,
    cluster.OpClusterRename,
    cluster.OpClusterSetParams,
    cluster.OpClusterRedistConf,
    cluster.OpClusterActivateMasterIp,
    cluster.OpClusterDeactivateMasterIp,
    cluster.OpClusterRenewCrypto,
    group.OpGroupVerifyDisks,
    group.OpGroupAdd,
    group.OpGroupAssignNodes,
    group.OpGroupSetParams,
    group.OpGroupRemove,
    group.OpGroupRename,
    group.OpGroupEvacuate,
    node.OpNodeRemove,
    node.OpNodeAdd,
    node.OpNodeQueryvols,
    node.OpNodeQueryStorage,
    node.OpNodeModifyStorage,
    node.OpRepairNodeStorage,
    node.OpNodeSetParams,
    node.OpNodePowercycle,
    node.OpNodeMigrate,
    node.OpNodeEvacuate,
    node.OpOobCommand,
    node.OpRestrictedCommand,
    instance.OpInstanceCreate,
    instance.OpInstanceMultiAlloc,
    instance.OpInstanceReinstall,
    instance.OpInstanceRemove,
    instance.OpInstanceRename,
    instance.OpInstanceConsole,
    instance.OpInstanceQueryData,
    instance.OpInstanceSetParams,
    instance_power.OpInstanceStartup,
    instance_power.OpInstanceShutdown,
    instance_power.OpInstanceReboot,
    instance_moves.OpInstanceFailover,
    instance_moves.OpInstanceMigrate,
    instance_moves.OpInstanceMove,
    instance_moves.OpInstanceChangeGroup,
    instance_disks.OpInstanceReplaceDisks,
    instance_disks.OpInstanceActivateDisks,
    instance_disks.OpInstanceDeactivateDisks,
    instance_disks.OpInstanceRecreateDisks,
    instance_disks.OpInstanceGrowDisk,
    backup.OpBackupPrepare,
    backup.OpBackupExport,
    backup.OpBackupRemove,
    tags.OpTagsGet,
    tags.OpTagsSearch,
    tags.OpTagsSet,
    tags.OpTagsDel,
    network.OpNetworkAdd,
    network.OpNetworkRemove,
    network.OpNetworkSetParams,
    network.OpNetworkConnect,
    network.OpNetworkDisconnect,
    providers.OpOsDiagnose,
    providers.OpExtStorageDiagnose,
    query.OpQuery,
    query.OpQueryFields,
    debug.OpTestDelay,
    debug.OpTestAllocator,
    debug.OpTestJqueue,
    debug.OpTestOsParams,
    debug.OpTestDummy,
)


def _index(classes: tuple[type[OpCode], ...]) -> Mapping[str, type[OpCode]]:
    index: dict[str, type[OpCode]] = {}
    for cls in classes:
        if cls.OP_ID in index:
            raise TypeError(f"{cls.OP_ID} declared twice: {index[cls.OP_ID]} and {cls}")
        index[cls.OP_ID] = cls
    return MappingProxyType(index)


#: pyganeti's own opcodes, not in Ganeti 3.0.
EXTENSION_OPCODES: tuple[type[OpCode], ...] = (extensions.OpInstanceConsoleLog,)

#: OP_ID -> opcode class (Ganeti's and pyganeti's).
OPCODES: Mapping[str, type[OpCode]] = _index(ALL_OPCODES + EXTENSION_OPCODES)


def lookup(op_id: str) -> type[OpCode]:
    """The opcode class of an OP_ID; OpCodeUnknown naming it otherwise."""
    try:
        return OPCODES[op_id]
    except (KeyError, TypeError):
        raise errors.OpCodeUnknown(f"Unknown opcode {op_id!r}") from None


def from_dict(data: Mapping[str, Any]) -> OpCode:
    """Validate a wire dict {"OP_ID": ..., param: value} into its opcode.

    Raises OpCodeUnknown for an unknown OP_ID and OpPrereqError(ECODE_INVAL) naming the
    opcode and parameter for anything else wrong; the input is never modified.
    """
    if not isinstance(data, Mapping):
        raise errors.OpPrereqError(
            f"An opcode must be a dictionary, got {show(data)}", errors.ECODE_INVAL
        )
    if OP_ID_KEY not in data:
        raise errors.OpPrereqError(
            f"Opcode data lacks {OP_ID_KEY}: {show(sorted(map(str, data)))}",
            errors.ECODE_INVAL,
        )
    return lookup(data[OP_ID_KEY]).from_dict(data)


def summarize(data: Mapping[str, Any]) -> str:
    """Ganeti's summary of a wire opcode dict ("INSTANCE_STARTUP(inst1)") without
    validating it: OP_ID without "OP_", plus the OP_DSC_FIELD value when it has one."""
    op_id = str(data.get("OP_ID", ""))
    text = op_id[3:] if op_id.startswith("OP_") else op_id
    cls = OPCODES.get(op_id)
    field = cls.OP_DSC_FIELD if cls is not None else None
    if field is None:
        return text
    value = data.get(field)
    if isinstance(value, list | tuple):
        value = ",".join(str(item) for item in value)
    return f"{text}({value})"

"""The explicit table from opcode id to logical unit (no name magic)."""

from __future__ import annotations

from pyganeti import errors
from pyganeti.cmdlib import (
    cluster,
    cluster_verify,
    instance_create,
    instance_disks,
    instance_modify,
    instance_power,
    instance_query,
    instance_remove,
    instance_rename,
    node,
    os_diagnose,
    query,
    tags,
    test_delay,
)
from pyganeti.cmdlib.base import LogicalUnit

LOGICAL_UNITS: dict[str, type[LogicalUnit]] = {
    "OP_TEST_DELAY": test_delay.LUTestDelay,
    "OP_CLUSTER_QUERY": cluster.LUClusterQuery,
    "OP_CLUSTER_POST_INIT": cluster.LUClusterPostInit,
    "OP_CLUSTER_DESTROY": cluster.LUClusterDestroy,
    "OP_CLUSTER_SET_PARAMS": cluster.LUClusterSetParams,
    "OP_CLUSTER_REDIST_CONF": cluster.LUClusterRedistConf,
    "OP_CLUSTER_VERIFY": cluster_verify.LUClusterVerify,
    "OP_CLUSTER_VERIFY_CONFIG": cluster_verify.LUClusterVerifyConfig,
    "OP_CLUSTER_VERIFY_GROUP": cluster_verify.LUClusterVerifyGroup,
    "OP_CLUSTER_VERIFY_DISKS": cluster_verify.LUClusterVerifyDisks,
    "OP_TAGS_GET": tags.LUTagsGet,
    "OP_TAGS_SET": tags.LUTagsSet,
    "OP_TAGS_DEL": tags.LUTagsDel,
    "OP_TAGS_SEARCH": tags.LUTagsSearch,
    "OP_INSTANCE_CREATE": instance_create.LUInstanceCreate,
    "OP_INSTANCE_REMOVE": instance_remove.LUInstanceRemove,
    "OP_INSTANCE_STARTUP": instance_power.LUInstanceStartup,
    "OP_INSTANCE_SHUTDOWN": instance_power.LUInstanceShutdown,
    "OP_INSTANCE_REBOOT": instance_power.LUInstanceReboot,
    "OP_INSTANCE_SET_PARAMS": instance_modify.LUInstanceSetParams,
    "OP_INSTANCE_RENAME": instance_rename.LUInstanceRename,
    "OP_INSTANCE_REINSTALL": instance_rename.LUInstanceReinstall,
    "OP_INSTANCE_QUERY_DATA": instance_query.LUInstanceQueryData,
    "OP_INSTANCE_CONSOLE": instance_query.LUInstanceConsole,
    "OP_INSTANCE_CONSOLE_LOG": instance_query.LUInstanceConsoleLog,
    "OP_INSTANCE_ACTIVATE_DISKS": instance_disks.LUInstanceActivateDisks,
    "OP_INSTANCE_DEACTIVATE_DISKS": instance_disks.LUInstanceDeactivateDisks,
    "OP_NODE_SET_PARAMS": node.LUNodeSetParams,
    "OP_OS_DIAGNOSE": os_diagnose.LUOsDiagnose,
    "OP_QUERY": query.LUQuery,
    "OP_QUERY_FIELDS": query.LUQueryFields,
}


def lu_class(op_id: str) -> type[LogicalUnit]:
    """The logical unit of `op_id`; a clear error for opcodes not implemented yet."""
    try:
        return LOGICAL_UNITS[op_id]
    except KeyError:
        raise errors.OpPrereqError(
            f"Opcode {op_id} is not implemented by this pyganeti release", errors.ECODE_INVAL
        ) from None

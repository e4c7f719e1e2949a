"""OP_NODE_SET_PARAMS: node flags and parameters (single-node scope in this release)."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import LogicalUnit
from pyganeti.locking import Level
from pyganeti.objects import params


class LUNodeSetParams(LogicalUnit):
    HPATH = "node-modify"
    HTYPE = "NODE"

    def check_arguments(self) -> None:
        op = self.op
        unsupported = [
            n for n in ("secondary_ip", "hv_state", "disk_state") if getattr(op, n, None)
        ]
        if unsupported:
            raise errors.OpPrereqError(
                f"Changing {', '.join(unsupported)} is not supported yet", errors.ECODE_INVAL
            )
        flags = [f for f in (op.master_candidate, op.offline, op.drained) if f]
        if len(flags) > 1:
            raise errors.OpPrereqError(
                "Only one of master_candidate, offline and drained can be set", errors.ECODE_INVAL
            )
        if (
            all(
                getattr(op, n) is None
                for n in (
                    "master_candidate",
                    "offline",
                    "drained",
                    "master_capable",
                    "vm_capable",
                    "powered",
                )
            )
            and not op.ndparams
        ):
            raise errors.OpPrereqError("Please pass at least one modification", errors.ECODE_INVAL)

    def expand_names(self) -> None:
        self.node = self.cfg.expand("nodes", self.op.node_name or self.op.node_uuid)
        self.needed_locks[Level.NODE] = [self.node["name"]]

    def build_hooks_env(self) -> dict[str, Any]:
        return {
            "OP_TARGET": self.node["name"],
            "MASTER_CANDIDATE": str(self.op.master_candidate),
            "OFFLINE": str(self.op.offline),
            "DRAINED": str(self.op.drained),
        }

    def check_prereq(self) -> None:
        node = self.cfg.get("nodes", self.node["uuid"])
        assert node is not None
        self.node = node
        is_master = node["uuid"] == self.cfg.cluster["master_node"]
        op = self.op
        if is_master and (
            op.offline or op.drained or op.master_candidate is False or op.master_capable is False
        ):
            raise errors.OpPrereqError(
                f"The master node {node['name']} cannot be set offline, drained, demoted or"
                " made not master-capable",
                errors.ECODE_INVAL,
            )
        if op.vm_capable is False and any(
            i["primary_node"] == node["uuid"] for i in self.cfg.values("instances")
        ):
            raise errors.OpPrereqError(
                f"Node {node['name']} has instances; it cannot become non-vm-capable",
                errors.ECODE_STATE,
            )

    def exec(self) -> Any:
        node, op = dict(self.node), self.op
        changes: list[list[Any]] = []
        for key in (
            "master_candidate",
            "offline",
            "drained",
            "master_capable",
            "vm_capable",
            "powered",
        ):
            value = getattr(op, key)
            if value is not None and node.get(key) != value:
                node[key] = value
                changes.append([key, str(value)])
                if value and key in ("offline", "drained"):
                    node["master_candidate"] = False
        if op.ndparams:
            node["ndparams"] = params.update_params(node.get("ndparams", {}), op.ndparams)
            changes += [[f"ndparams/{k}", v] for k, v in op.ndparams.items()]
        self.cfg.put("nodes", node)
        return changes

"""Runs one opcode: opcode → logical unit, locks level by level, hooks, exec.

Locks are taken in Ganeti's fixed level order (cluster, instance, node group, node,
node-res, network) and each request is granted as a whole set, which is what makes a
deadlock impossible. All locks of an opcode are released when it ends.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import LogicalUnit, LUEnv
from pyganeti.cmdlib.registry import lu_class
from pyganeti.config.client import WConfdClient
from pyganeti.locking import ALL, BGL, Level
from pyganeti.opcodes.registry import from_dict

log = logging.getLogger(__name__)

HOOKS_VERSION = 2
HOOKS_PATH = "/sbin:/bin:/usr/sbin:/usr/bin"


class OpContext:
    """What the job executor lends the processor while one opcode runs."""

    def __init__(
        self,
        owner: str,
        priority: int,
        set_running: Callable[[], None],
        canceled: Callable[[], bool],
    ) -> None:
        self.owner = owner
        self.priority = priority
        self.set_running = set_running
        self.canceled = canceled


def _hook_value(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


class Processor:
    def __init__(self, wconfd: WConfdClient) -> None:
        self.wconfd = wconfd

    def execute(self, op_dict: dict[str, Any], env: LUEnv, ctx: OpContext) -> Any:
        op = from_dict(op_dict)
        lu = lu_class(op.OP_ID)(op, env)
        lu.check_arguments()
        env.cfg.replica.sync()
        lu.expand_names()
        # Locks are released by the caller when the opcode ends, whatever happens.
        self._acquire_all(lu, ctx)
        ctx.set_running()
        env.cfg.replica.sync()
        lu.check_prereq()
        hooks = _Hooks(lu, env, op.OP_ID) if lu.HPATH else None
        if hooks is not None:
            hooks.run("pre")
        if getattr(op, "dry_run", False):
            return lu.dry_run_result
        result = lu.exec()
        if hooks is not None:
            hooks.run("post")
        return result

    def _acquire_all(self, lu: LogicalUnit, ctx: OpContext) -> None:
        # The big cluster lock: shared for everyone, exclusive for cluster-wide changes.
        lu.needed_locks.setdefault(Level.CLUSTER, [BGL])
        lu.share_locks.setdefault(Level.CLUSTER, not lu.REQ_BGL)
        for level in sorted(Level, key=lambda lv: lv.order):
            lu.declare_locks(level)
            wanted = lu.needed_locks.get(level)
            if wanted is None or (wanted is not ALL and not wanted):
                continue
            if ctx.canceled():
                raise errors.JobCanceled("Job canceled while waiting for locks")
            names = None if wanted is ALL else sorted(set(wanted))
            self.wconfd.acquire(
                ctx.owner,
                os.getpid(),
                level.value,
                names,
                lu.share_locks.get(level, False),
                None,
                ctx.priority,
            )


class _Hooks:
    """Builds the GANETI_* environment and runs hooks on nodes through noded."""

    def __init__(self, lu: LogicalUnit, env: LUEnv, op_id: str) -> None:
        self.lu = lu
        self.env = env
        self.op_id = op_id
        self.pre_env: dict[str, str] = {}

    def _base(self, phase: str) -> dict[str, str]:
        cluster = self.env.cfg.cluster
        master = self.env.cfg.get("nodes", cluster.get("master_node", ""))
        out = {
            "PATH": HOOKS_PATH,
            "GANETI_HOOKS_VERSION": str(HOOKS_VERSION),
            "GANETI_OP_CODE": self.op_id,
            "GANETI_DATA_DIR": str(self.env.paths.data_dir),
            "GANETI_HOOKS_PHASE": phase,
            "GANETI_HOOKS_PATH": str(self.lu.HPATH),
            "GANETI_CLUSTER": str(cluster.get("cluster_name", "")),
            "GANETI_MASTER": str(master["name"]) if master else "",
        }
        if self.lu.HTYPE:
            out["GANETI_OBJECT_TYPE"] = self.lu.HTYPE
        return out

    def run(self, phase: str) -> None:
        prefix = "GANETI_" if phase == "pre" else "GANETI_POST_"
        own = {f"{prefix}{k}": _hook_value(v) for k, v in self.lu.build_hooks_env().items()}
        env = self._base(phase)
        env.update(own)
        if phase == "pre":
            self.pre_env = own
        else:
            env.update(self.pre_env)
        pre_nodes, post_nodes = self.lu.build_hooks_nodes()
        nodes = pre_nodes if phase == "pre" else post_nodes
        failures: list[str] = []
        for node_uuid in dict.fromkeys(nodes):
            address = self.lu.node_address(node_uuid)
            start = time.monotonic()
            try:
                results = self.env.rpc.call(
                    address, "hooks_runner", hpath=self.lu.HPATH, phase=phase, env=env
                )
            except errors.GenericError as err:
                failures.append(f"node {node_uuid}: {err}")
                continue
            for script, status, output in results:
                if status == "fail":
                    failures.append(f"{script} on node {node_uuid}: {output.strip()}")
            log.debug(
                "hooks %s/%s on %s took %.3fs",
                self.lu.HPATH,
                phase,
                node_uuid,
                time.monotonic() - start,
            )
        if failures and phase == "pre":
            raise errors.OpPrereqError(
                "Hooks failure: " + "; ".join(failures), errors.ECODE_ENVIRON
            )
        for failure in failures:
            self.env.feedback(f"Warning: post-phase hook failed: {failure}")

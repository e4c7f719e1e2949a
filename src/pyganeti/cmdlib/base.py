"""The logical-unit contract and the environment a logical unit works in."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pyganeti import errors
from pyganeti.config.client import WConfdClient
from pyganeti.config.replica import ConfigReplica
from pyganeti.locking import ALL, AllSet, Level
from pyganeti.paths import Paths
from pyganeti.rpc.client import RpcClient

Feedback = Callable[[str], None]
LockSpec = list[str] | AllSet


def new_uuid() -> str:
    return str(uuidlib.uuid4())


class ConfigAccess:
    """What a logical unit sees of the configuration: replica reads, wconfd writes."""

    def __init__(self, replica: ConfigReplica, wconfd: WConfdClient, owner: str) -> None:
        self.replica = replica
        self.wconfd = wconfd
        self.owner = owner

    # reads
    @property
    def cluster(self) -> dict[str, Any]:
        return self.replica.cluster

    def get(self, kind: str, uuid: str) -> dict[str, Any] | None:
        return self.replica.get(kind, uuid)

    def expand(self, kind: str, name: str) -> dict[str, Any]:
        return self.replica.expand(kind, name)

    def by_name(self, kind: str, name: str) -> dict[str, Any] | None:
        return self.replica.by_name(kind, name)

    def values(self, kind: str) -> list[dict[str, Any]]:
        return self.replica.values(kind)

    def names(self, kind: str) -> list[str]:
        return self.replica.names(kind)

    def master_node(self) -> dict[str, Any]:
        node = self.get("nodes", self.cluster["master_node"])
        if node is None:
            raise errors.ConfigurationError("The master node is missing from the config")
        return node

    def instance_disks(self, inst: dict[str, Any]) -> list[dict[str, Any]]:
        disks = []
        for uuid in inst.get("disks", []):
            disk = self.get("disks", uuid)
            if disk is None:
                raise errors.ConfigurationError(
                    f"Instance {inst['name']} refers to missing disk {uuid}"
                )
            disks.append(disk)
        return disks

    # writes
    def commit(self, changes: list[dict[str, Any]]) -> int:
        """Apply changes through wconfd (all or nothing) and catch the replica up."""
        serial = self.wconfd.update(changes)
        self.replica.sync()
        return serial

    def put(self, kind: str, obj: dict[str, Any], check_serial: bool = True) -> int:
        change: dict[str, Any] = {"kind": kind, "uuid": obj["uuid"], "value": obj}
        if check_serial and "serial_no" in obj:
            change["expect_serial"] = obj["serial_no"]
        return self.commit([change])

    def put_cluster(self, cluster: dict[str, Any]) -> int:
        return self.commit(
            [{"kind": "cluster", "value": cluster, "expect_serial": cluster.get("serial_no")}]
        )

    # reservations
    def generate_mac(self, prefix: str) -> str:
        return self.wconfd.generate_mac(self.owner, prefix)

    def reserve(self, kind: str, value: str) -> None:
        self.wconfd.reserve(self.owner, kind, value)


@dataclass
class LUEnv:
    paths: Paths
    cfg: ConfigAccess
    rpc: RpcClient
    feedback: Feedback
    job_id: int
    # Submit follow-up jobs (Ganeti's ResultWithJobs); returns their ids.
    submit_jobs: Callable[[list[list[dict[str, Any]]]], list[list[Any]]]


class LogicalUnit:
    """Base of all logical units (Ganeti's cmdlib contract)."""

    # Hooks path (hooks/<HPATH>-pre.d) and object type; None: no hooks.
    HPATH: ClassVar[str | None] = None
    HTYPE: ClassVar[str | None] = None
    # Take the big cluster lock exclusively (only for cluster-wide changes).
    REQ_BGL: ClassVar[bool] = False

    def __init__(self, op: Any, env: LUEnv) -> None:
        self.op = op
        self.env = env
        self.cfg = env.cfg
        self.rpc = env.rpc
        self.needed_locks: dict[Level, LockSpec] = {}
        self.share_locks: dict[Level, bool] = {}
        self.dry_run_result: Any = None

    def feedback(self, msg: str) -> None:
        self.env.feedback(msg)

    def check_arguments(self) -> None:
        """Pure checks of the opcode's arguments (no config access)."""

    def expand_names(self) -> None:
        """Resolve names and fill `needed_locks` for the levels known up front."""

    def declare_locks(self, level: Level) -> None:
        """Compute the locks of `level` from those already held (called per level)."""

    def check_prereq(self) -> None:
        """Check that the operation can run; must not change anything."""

    def build_hooks_env(self) -> dict[str, Any]:
        return {}

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        """Node uuids to run pre and post hooks on."""
        master = self.cfg.cluster["master_node"]
        return [master], [master]

    def exec(self) -> Any:
        raise NotImplementedError

    # helpers
    def lock_all(self, *levels: Level, shared: bool = True) -> None:
        for level in levels:
            self.needed_locks[level] = ALL
            self.share_locks[level] = shared

    def node_address(self, node_uuid: str) -> str:
        node = self.cfg.get("nodes", node_uuid)
        if node is None:
            raise errors.OpPrereqError(f"Node {node_uuid} not known", errors.ECODE_NOENT)
        return str(node["primary_ip"])


class NoHooksLU(LogicalUnit):
    HPATH = None

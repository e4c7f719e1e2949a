"""What the instance logical units share: locking one instance, hook environments,
the filled instance a node needs, and the live state reported by its node."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import LogicalUnit
from pyganeti.locking import Level
from pyganeti.objects import params


class InstanceLU(LogicalUnit):
    """A logical unit acting on one existing instance (op.instance_name)."""

    HTYPE = "INSTANCE"
    # Node levels to lock for the primary node, as Ganeti's logical units do: starting
    # needs the node's resources (memory), disk changes need the node itself.
    NODE_LEVELS: tuple[Level, ...] = ()
    NODE_SHARED = False

    def expand_names(self) -> None:
        self.instance = self.cfg.expand("instances", self.op.instance_name)
        self.needed_locks[Level.INSTANCE] = [self.instance["name"]]
        self.share_locks[Level.INSTANCE] = False

    def declare_locks(self, level: Level) -> None:
        if level in self.NODE_LEVELS:
            node = self.cfg.get("nodes", self.instance["primary_node"])
            if node is not None:
                self.needed_locks[level] = [node["name"]]
                self.share_locks[level] = self.NODE_SHARED

    def check_prereq(self) -> None:
        # Re-read under the instance lock: the object may have changed since expand.
        current = self.cfg.get("instances", self.instance["uuid"])
        if current is None:
            raise errors.OpPrereqError(
                f"Instance '{self.op.instance_name}' was removed", errors.ECODE_NOENT
            )
        self.instance = current
        node = self.cfg.get("nodes", current["primary_node"])
        if node is None:
            raise errors.ConfigurationError(f"Primary node of {current['name']} is missing")
        self.node: dict[str, Any] = node

    def build_hooks_env(self) -> dict[str, Any]:
        return instance_hooks_env(self, self.instance)

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        nodes = [self.cfg.cluster["master_node"], self.instance["primary_node"]]
        return nodes, nodes

    # --- node views ---------------------------------------------------------------
    def filled(
        self,
        inst: dict[str, Any] | None = None,
        hvparams: dict[str, Any] | None = None,
        beparams: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        inst = inst or self.instance
        out = params.filled_instance(
            self.cfg.cluster,
            inst,  # type: ignore[arg-type]
            self.cfg.instance_disks(inst),
        )
        if hvparams:
            out["hvparams"] = {**out["hvparams"], **hvparams}
        if beparams:
            out["beparams"] = {**out["beparams"], **beparams}
        return out

    def address(self) -> str:
        return str(self.node["primary_ip"])

    def live_info(self) -> dict[str, Any] | None:
        """The hypervisor's view of the instance on its node, or None if not running."""
        inst = self.instance
        hvparams = params.fill_hv(
            self.cfg.cluster, inst["hypervisor"], inst.get("os"), inst.get("hvparams")
        )
        info = self.rpc.call(
            self.address(),
            "instance_info",
            instance_name=inst["name"],
            hypervisor=inst["hypervisor"],
            hvparams=hvparams,
        )
        return info or None


def instance_hooks_env(
    lu: LogicalUnit, inst: dict[str, Any], override: dict[str, Any] | None = None
) -> dict[str, Any]:
    """INSTANCE_* hook variables as Ganeti builds them."""
    cluster = lu.cfg.cluster
    node = lu.cfg.get("nodes", inst["primary_node"])
    be = params.fill_be(cluster, inst.get("beparams"))
    hv = params.fill_hv(cluster, inst["hypervisor"], inst.get("os"), inst.get("hvparams"))
    env: dict[str, Any] = {
        "INSTANCE_NAME": inst["name"],
        "INSTANCE_PRIMARY": node["name"] if node else "",
        "INSTANCE_SECONDARIES": "",
        "INSTANCE_OS_TYPE": inst.get("os", ""),
        "INSTANCE_STATUS": inst.get("admin_state", "down"),
        "INSTANCE_MINMEM": be.get("minmem"),
        "INSTANCE_MAXMEM": be.get("maxmem"),
        "INSTANCE_MEMORY": be.get("maxmem"),
        "INSTANCE_VCPUS": be.get("vcpus"),
        "INSTANCE_DISK_TEMPLATE": inst.get("disk_template"),
        "INSTANCE_HYPERVISOR": inst["hypervisor"],
    }
    nics = inst.get("nics", [])
    for idx, nic in enumerate(nics):
        nicp = params.fill_nic(cluster, nic.get("nicparams"))
        if nic.get("name"):
            env[f"INSTANCE_NIC{idx}_NAME"] = nic["name"]
        env[f"INSTANCE_NIC{idx}_UUID"] = nic.get("uuid", "")
        env[f"INSTANCE_NIC{idx}_IP"] = nic.get("ip") or ""
        env[f"INSTANCE_NIC{idx}_MAC"] = nic.get("mac", "")
        env[f"INSTANCE_NIC{idx}_MODE"] = nicp.get("mode", "")
        env[f"INSTANCE_NIC{idx}_LINK"] = nicp.get("link", "")
        env[f"INSTANCE_NIC{idx}_VLAN"] = nicp.get("vlan", "")
        if nicp.get("mode") in ("bridged", "openvswitch"):
            env[f"INSTANCE_NIC{idx}_BRIDGE"] = nicp.get("link", "")
    env["INSTANCE_NIC_COUNT"] = len(nics)
    disks = [lu.cfg.get("disks", u) or {} for u in inst.get("disks", [])]
    for idx, disk in enumerate(disks):
        env[f"INSTANCE_DISK{idx}_SIZE"] = disk.get("size")
        env[f"INSTANCE_DISK{idx}_MODE"] = disk.get("mode", "rw")
        env[f"INSTANCE_DISK{idx}_UUID"] = disk.get("uuid", "")
        if disk.get("name"):
            env[f"INSTANCE_DISK{idx}_NAME"] = disk["name"]
    env["INSTANCE_DISK_COUNT"] = len(disks)
    env["INSTANCE_TAGS"] = " ".join(inst.get("tags", []))
    for key, value in be.items():
        env[f"INSTANCE_BE_{key}"] = value
    for key, value in hv.items():
        env[f"INSTANCE_HV_{key}"] = value
    if override:
        env.update(override)
    return env


def check_node_free_memory(
    lu: LogicalUnit, node: dict[str, Any], needed: int, hypervisor: str, reason: str
) -> None:
    """Refuse clearly when the node lacks `needed` MiB of free memory."""
    info = lu.rpc.call(
        str(node["primary_ip"]), "node_info", storage_units=[], hv_names=[hypervisor]
    )
    hv_info: dict[str, Any] = next(
        (h for h in info.get("hv") or [] if h.get("name") == hypervisor), {}
    )
    free = hv_info.get("memory_free")
    if not isinstance(free, int):
        raise errors.OpPrereqError(
            f"Can't compute free memory on node {node['name']}", errors.ECODE_ENVIRON
        )
    if needed > free:
        raise errors.OpPrereqError(
            f"Not enough memory on node {node['name']} for {reason}: needed {needed} MiB,"
            f" available {free} MiB",
            errors.ECODE_NORES,
        )

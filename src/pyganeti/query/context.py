"""The data a query runs over (QueryContext) and Ganeti's parameter-filling rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyganeti.objects.params import fill_dict

# Parameters that are cluster-wide per hypervisor and never shown per instance.
HV_GLOBALS = frozenset(["migration_bandwidth", "migration_port", "xen_cmd", "migration_mode"])


@dataclass
class QueryContext:
    """Everything the engine reads; luxid fills only what required_data() names.

    `config` is Ganeti 3.0's config.data layout (cluster, nodes, nodegroups, instances,
    disks, networks, filters; objects keyed by uuid). Live data None means it was not
    collected: fields needing it report RS_NODATA.
    """

    config: Mapping[str, Any]
    # instance name -> {"state": "running"|"user_down"|"shutdown", "memory", "vcpus", "node"}
    live_instances: Mapping[str, Mapping[str, Any]] | None = None
    # node uuid -> {"memory_total", "memory_free", "memory_dom0", "disk_total", "disk_free",
    #               "cpu_total", "cpu_nodes", "cpu_sockets", "cpu_dom0", "bootid", ...}
    live_nodes: Mapping[str, Mapping[str, Any]] | None = None
    # Node uuids marked offline beyond the configuration flag, and nodes that did not answer.
    offline_nodes: frozenset[str] = frozenset()
    unreachable_nodes: frozenset[str] = frozenset()
    # instance name -> console description (Ganeti's InstanceConsole dict)
    console: Mapping[str, Any] | None = None
    # Jobs in Ganeti's serialized layout, plus an optional "archived" flag each.
    jobs: list[Mapping[str, Any]] | None = None
    # OS descriptions: dicts with the os fields (name, valid, hidden, variants, ...).
    os_list: list[Mapping[str, Any]] | None = None
    # Lock snapshot: dicts {"name", "mode", "owner": [..], "pending": [[mode, [names]]]}.
    locks: list[Mapping[str, Any]] | None = None
    queue_drained: bool | None = None
    watcher_pause: float | None = None
    # (architecture, machine) as Ganeti's runtime.GetArchInfo reports; None = unavailable.
    arch_info: tuple[str, str] | None = None

    def section(self, name: str) -> Mapping[str, Mapping[str, Any]]:
        value = self.config.get(name) or {}
        return value

    @property
    def cluster(self) -> Mapping[str, Any]:
        return self.config.get("cluster") or {}

    @property
    def master_uuid(self) -> str | None:
        return self.cluster.get("master_node")

    def bad_nodes(self) -> frozenset[str]:
        """Nodes without usable live data: offline (flag or set) or unreachable."""
        return self.offline_node_set() | self.unreachable_nodes

    def offline_node_set(self) -> frozenset[str]:
        flagged = {uuid for uuid, node in self.section("nodes").items() if node.get("offline")}
        return frozenset(flagged) | self.offline_nodes


def fill_ipolicy(
    defaults: Mapping[str, Any] | None, custom: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Ganeti's FillIPolicy: missing keys from defaults, "std" specs merged key by key."""
    result = dict(custom or {})
    for key, value in (defaults or {}).items():
        if key not in result:
            result[key] = value
        elif key == "std":
            result[key] = fill_dict(value, result[key])
    return result


def os_base_name(os_name: str) -> str:
    """The OS name without its "+variant" suffix."""
    return os_name.split("+", 1)[0]

"""Instance query fields: configuration, filled parameters, disks, NICs and live status."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pyganeti.objects.params import fill_dict
from pyganeti.query.context import HV_GLOBALS, QueryContext, os_base_name
from pyganeti.query.fielddefs import (
    DATA_CONSOLE,
    DATA_LIVE_INSTANCES,
    FLAG_HOSTNAME,
    QFT_BOOL,
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    QFT_UNIT,
    Abnormal,
    Field,
    FieldTable,
    Getter,
    attr,
    serial_doc,
    tags_getter,
    timestamp_fields,
)
from pyganeti.query.fields import instance_devices as devices

# Instance status values (Ganeti's INSTST_*).
ST_RUNNING = "running"
ST_ADMINDOWN = "ADMIN_down"
ST_WRONGNODE = "ERROR_wrongnode"
ST_ERRORUP = "ERROR_up"
ST_ERRORDOWN = "ERROR_down"
ST_NODEDOWN = "ERROR_nodedown"
ST_NODEOFFLINE = "ERROR_nodeoffline"
ST_ADMINOFFLINE = "ADMIN_offline"
ST_USERDOWN = "USER_down"

# Live "state" values meaning the VM exists but its guest shut down (Ganeti's SHUTDOWN).
SHUTDOWN_STATES = frozenset(["user_down", "shutdown", "shutoff", 1])

_LIVE = frozenset([DATA_LIVE_INSTANCES])


class _Index:
    """Lookups shared by all rows of one instance query."""

    def __init__(self, ctx: QueryContext) -> None:
        self.ctx = ctx
        self.cluster = ctx.cluster
        self.nodes = ctx.section("nodes")
        self.groups = ctx.section("nodegroups")
        self.networks = ctx.section("networks")
        self.disks = ctx.section("disks")
        self.offline = ctx.offline_node_set()
        self.bad = ctx.bad_nodes()


class InstanceRow:
    """One instance plus lazily computed derived data."""

    def __init__(self, index: _Index, uuid: str, obj: Mapping[str, Any]) -> None:
        self.index = index
        self.uuid = uuid
        self.obj = obj

    @property
    def name(self) -> str:
        return str(self.obj.get("name", self.uuid))

    @property
    def pnode(self) -> str | None:
        return self.obj.get("primary_node")

    @cached_property
    def disks(self) -> list[Mapping[str, Any]]:
        return [self.index.disks.get(uuid) or {"uuid": uuid} for uuid in self.obj.get("disks", [])]

    @cached_property
    def nics(self) -> list[Mapping[str, Any]]:
        return list(self.obj.get("nics") or [])

    @cached_property
    def secondary_nodes(self) -> list[str]:
        found: list[str] = []

        def walk(disk: Mapping[str, Any]) -> None:
            nodes = disk.get("nodes")
            if not nodes and str(disk.get("dev_type")).startswith("drbd"):
                nodes = list(disk.get("logical_id") or [])[:2]
            for node in nodes or []:
                if node != self.pnode and node not in found:
                    found.append(node)
            for child in disk.get("children") or []:
                walk(child)

        for disk in self.disks:
            walk(disk)
        return found

    @cached_property
    def hvparams(self) -> dict[str, Any]:
        cluster = self.index.cluster
        hv = self.obj.get("hypervisor")
        os_hvp = (cluster.get("os_hvp") or {}).get(self.obj.get("os"), {}).get(hv, {})
        defaults = fill_dict((cluster.get("hvparams") or {}).get(hv, {}), os_hvp, HV_GLOBALS)
        return fill_dict(defaults, self.obj.get("hvparams"), HV_GLOBALS)

    @cached_property
    def beparams(self) -> dict[str, Any]:
        defaults = (self.index.cluster.get("beparams") or {}).get("default", {})
        return fill_dict(defaults, self.obj.get("beparams"))

    @cached_property
    def osparams(self) -> dict[str, Any]:
        os_name = str(self.obj.get("os") or "")
        cluster_os = self.index.cluster.get("osparams") or {}
        defaults = fill_dict(cluster_os.get(os_base_name(os_name), {}), cluster_os.get(os_name))
        return fill_dict(defaults, self.obj.get("osparams"))

    @cached_property
    def nicparams(self) -> list[dict[str, Any]]:
        defaults = (self.index.cluster.get("nicparams") or {}).get("default", {})
        return [fill_dict(defaults, nic.get("nicparams")) for nic in self.nics]

    @cached_property
    def live(self) -> Mapping[str, Any] | Abnormal | None:
        """Live data of this instance, None if not running, NODATA if unknown."""
        live = self.index.ctx.live_instances
        if live is None or self.pnode in self.index.bad:
            return Abnormal.NODATA
        return live.get(self.name) or None


def _node_name(row: InstanceRow, uuid: str | None, default: Any) -> Any:
    node = row.index.nodes.get(uuid or "")
    return default if node is None else node.get("name")


def _node_group_uuid(row: InstanceRow, uuid: str | None, default: Any) -> Any:
    node = row.index.nodes.get(uuid or "")
    return default if node is None else node.get("group")


def _node_group_name(row: InstanceRow, uuid: str | None, default: Any) -> Any:
    group = row.index.groups.get(_node_group_uuid(row, uuid, None) or "")
    return default if group is None else group.get("name")


def _is_shutdown(live: Mapping[str, Any]) -> bool:
    return live.get("state") in SHUTDOWN_STATES


def status(row: InstanceRow) -> Any:
    """Ganeti's instance status from admin state, node state and live data."""
    pnode = row.pnode
    if pnode in row.index.offline:
        return ST_NODEOFFLINE
    if pnode in row.index.bad:
        return ST_NODEDOWN
    live = row.live
    if isinstance(live, Abnormal):
        return live
    admin = row.obj.get("admin_state")
    if live:
        node = live.get("node")
        if node is not None and node != pnode:
            return ST_WRONGNODE
        if _is_shutdown(live):
            allow_userdown = bool(row.index.cluster.get("enabled_user_shutdown")) and (
                row.obj.get("hypervisor") != "kvm" or bool(row.hvparams.get("user_shutdown"))
            )
            if admin == "up":
                return ST_USERDOWN if allow_userdown else ST_ERRORDOWN
            return ST_ADMINDOWN
        return ST_RUNNING if admin == "up" else ST_ERRORUP
    if admin == "up":
        return ST_ERRORDOWN
    if admin == "down":
        return ST_USERDOWN if row.obj.get("admin_state_source") == "user" else ST_ADMINDOWN
    return ST_ADMINOFFLINE


def _oper_state(row: InstanceRow) -> Any:
    live = row.live
    if isinstance(live, Abnormal):
        return live
    return bool(live) and not _is_shutdown(live or {})


def _live_value(key: str) -> Getter:
    def get(row: InstanceRow) -> Any:
        live = row.live
        if isinstance(live, Abnormal):
            return live
        if live and key in live:
            return live[key]
        return Abnormal.UNAVAIL

    return get


def _console(row: InstanceRow) -> Any:
    consoles = row.index.ctx.console
    if consoles is None:
        return Abnormal.NODATA
    info = consoles.get(row.name)
    return Abnormal.UNAVAIL if info is None else info


_STATUS_DOC = (
    'Instance status; "running" if instance is set to be running and actually is,'
    ' "ADMIN_down" if instance is stopped and is not running, "ERROR_wrongnode" if'
    ' instance running, but not on its designated primary node, "ERROR_up" if instance'
    ' should be stopped, but is actually running, "ERROR_down" if instance should run,'
    " but doesn't, \"ERROR_nodedown\" if instance's primary node is down,"
    ' "ERROR_nodeoffline" if instance\'s primary node is marked offline, "ADMIN_offline"'
    ' if instance is offline and does not use dynamic, "USER_down" if the user shutdown'
    " the instance resources"
)


def _build() -> FieldTable:
    fields = [
        Field(
            "pnode",
            "Primary_node",
            QFT_TEXT,
            "Primary node",
            lambda r: _node_name(r, r.pnode, None),
            flags=FLAG_HOSTNAME,
        ),
        Field(
            "pnode.group",
            "PrimaryNodeGroup",
            QFT_TEXT,
            "Primary node's group",
            lambda r: _node_group_name(r, r.pnode, Abnormal.UNAVAIL),
        ),
        Field(
            "pnode.group.uuid",
            "PrimaryNodeGroupUUID",
            QFT_TEXT,
            "Primary node's group UUID",
            lambda r: _node_group_uuid(r, r.pnode, Abnormal.UNAVAIL),
        ),
        Field(
            "snodes",
            "Secondary_Nodes",
            QFT_OTHER,
            "Secondary nodes; usually this will just be one node",
            lambda r: [_node_name(r, n, None) for n in r.secondary_nodes],
        ),
        Field(
            "snodes.group",
            "SecondaryNodesGroups",
            QFT_OTHER,
            "Node groups of secondary nodes",
            lambda r: [_node_group_name(r, n, None) for n in r.secondary_nodes],
        ),
        Field(
            "snodes.group.uuid",
            "SecondaryNodesGroupsUUID",
            QFT_OTHER,
            "Node group UUIDs of secondary nodes",
            lambda r: [_node_group_uuid(r, n, None) for n in r.secondary_nodes],
        ),
        Field(
            "admin_state",
            "InstanceState",
            QFT_TEXT,
            "Desired state of the instance",
            attr("admin_state"),
        ),
        Field(
            "admin_up",
            "Autostart",
            QFT_BOOL,
            "Desired state of the instance",
            lambda r: r.obj.get("admin_state") == "up",
        ),
        Field(
            "admin_state_source",
            "InstanceStateSource",
            QFT_TEXT,
            "Who last changed the desired state of the instance",
            attr("admin_state_source"),
        ),
        Field(
            "disks_active",
            "DisksActive",
            QFT_BOOL,
            "Desired state of the instance disks",
            lambda r: bool(r.obj.get("disks_active")),
        ),
        Field("tags", "Tags", QFT_OTHER, "Tags", tags_getter),
        Field(
            "console",
            "Console",
            QFT_OTHER,
            "Instance console information",
            _console,
            frozenset([DATA_CONSOLE]),
        ),
        Field(
            "forthcoming",
            "Forthcoming",
            QFT_BOOL,
            "Whether the Instance is forthcoming",
            lambda r: bool(r.obj.get("forthcoming")),
        ),
        Field(
            "disk_template",
            "Disk_template",
            QFT_TEXT,
            "Instance disk template",
            attr("disk_template"),
        ),
        Field("hypervisor", "Hypervisor", QFT_TEXT, "Hypervisor name", attr("hypervisor")),
        Field("name", "Instance", QFT_TEXT, "Instance name", lambda r: r.name, flags=FLAG_HOSTNAME),
        Field(
            "network_port",
            "Network_port",
            QFT_OTHER,
            "Instance network port if available (e.g. for VNC console)",
            attr("network_port"),
        ),
        Field("os", "OS", QFT_TEXT, "Operating system", attr("os")),
        Field("serial_no", "SerialNo", QFT_NUMBER, serial_doc("Instance"), attr("serial_no")),
        Field("uuid", "UUID", QFT_TEXT, "Instance UUID", lambda r: r.uuid),
        Field("oper_state", "Running", QFT_BOOL, "Actual state of instance", _oper_state, _LIVE),
        Field(
            "oper_ram",
            "Memory",
            QFT_UNIT,
            "Actual memory usage as seen by hypervisor",
            _live_value("memory"),
            _LIVE,
        ),
        Field(
            "oper_vcpus",
            "VCPUs",
            QFT_NUMBER,
            "Actual number of VCPUs as seen by hypervisor",
            _live_value("vcpus"),
            _LIVE,
        ),
        Field("status", "Status", QFT_TEXT, _STATUS_DOC, status, _LIVE),
    ]
    nic_fields, nic_aliases = devices.nic_fields()
    fields += nic_fields + devices.param_fields() + devices.disk_fields() + timestamp_fields()
    aliases = [
        ("vcpus", "be/vcpus"),
        ("be/memory", "be/maxmem"),
        ("sda_size", "disk.size/0"),
        ("sdb_size", "disk.size/1"),
        *nic_aliases,
    ]
    return FieldTable.build(fields, aliases)


FIELDS = _build()


def rows(ctx: QueryContext) -> list[InstanceRow]:
    index = _Index(ctx)
    return [InstanceRow(index, uuid, obj) for uuid, obj in ctx.section("instances").items()]

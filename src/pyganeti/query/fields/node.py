"""Node query fields: configuration, role, instance lists, node parameters and live figures."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pyganeti.objects.params import fill_dict
from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import (
    DATA_LIVE_NODES,
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
from pyganeti.query.fields import instance as instance_fields
from pyganeti.query.fields.params import ND_PARAMETER_KINDS, ND_PARAMETER_TITLES
from pyganeti.query.sorting import nice_sort

# Node roles (Ganeti's NR_*).
ROLE_MASTER = "M"
ROLE_CANDIDATE = "C"
ROLE_REGULAR = "R"
ROLE_DRAINED = "D"
ROLE_OFFLINE = "O"

_LIVE = frozenset([DATA_LIVE_NODES])

# Live field -> (title, kind, keys in the node's live data (first present wins), doc).
_LIVE_FIELDS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "bootid": (
        "BootID",
        QFT_TEXT,
        ("bootid",),
        "Random UUID renewed for each system reboot, can be used for detecting"
        " reboots by tracking changes",
    ),
    "cnodes": (
        "CNodes",
        QFT_NUMBER,
        ("cpu_nodes",),
        "Number of NUMA domains on node (if exported by hypervisor)",
    ),
    "cnos": (
        "CNOs",
        QFT_NUMBER,
        ("cpu_dom0",),
        "Number of logical processors used by the node OS (dom0 for Xen)",
    ),
    "csockets": (
        "CSockets",
        QFT_NUMBER,
        ("cpu_sockets",),
        "Number of physical CPU sockets (if exported by hypervisor)",
    ),
    "ctotal": ("CTotal", QFT_NUMBER, ("cpu_total",), "Number of logical processors"),
    "dfree": (
        "DFree",
        QFT_UNIT,
        ("disk_free", "storage_free"),
        "Available storage space in storage unit",
    ),
    "dtotal": (
        "DTotal",
        QFT_UNIT,
        ("disk_total", "storage_size"),
        "Total storage space in storage unit used for instance disk allocation",
    ),
    "spfree": (
        "SpFree",
        QFT_NUMBER,
        ("spindles_free",),
        "Available spindles in volume group (exclusive storage only)",
    ),
    "sptotal": (
        "SpTotal",
        QFT_NUMBER,
        ("spindles_total",),
        "Total spindles in volume group (exclusive storage only)",
    ),
    "mfree": ("MFree", QFT_UNIT, ("memory_free",), "Memory available for instance allocations"),
    "mnode": ("MNode", QFT_UNIT, ("memory_dom0",), "Amount of memory used by node (dom0 for Xen)"),
    "mtotal": ("MTotal", QFT_UNIT, ("memory_total",), "Total amount of memory of physical machine"),
}


class _Index:
    def __init__(self, ctx: QueryContext) -> None:
        self.ctx = ctx
        self.cluster = ctx.cluster
        self.groups = ctx.section("nodegroups")
        self.master = ctx.master_uuid
        self.offline = ctx.offline_node_set()
        self.primary: dict[str, list[str]] = {}
        self.secondary: dict[str, list[str]] = {}
        for inst in instance_fields.rows(ctx):
            self.primary.setdefault(inst.pnode or "", []).append(inst.name)
            for node in inst.secondary_nodes:
                self.secondary.setdefault(node, []).append(inst.name)


class NodeRow:
    def __init__(self, index: _Index, uuid: str, obj: Mapping[str, Any]) -> None:
        self.index = index
        self.uuid = uuid
        self.obj = obj

    @property
    def name(self) -> str:
        return str(self.obj.get("name", self.uuid))

    @property
    def group(self) -> Mapping[str, Any] | None:
        return self.index.groups.get(self.obj.get("group") or "")

    @cached_property
    def ndparams(self) -> dict[str, Any] | Abnormal:
        group = self.group
        if group is None:
            return Abnormal.UNAVAIL
        merged = fill_dict(group.get("ndparams"), self.obj.get("ndparams"))
        return fill_dict(self.index.cluster.get("ndparams"), merged)

    def live(self, kind: str, keys: tuple[str, ...]) -> Any:
        if self.uuid in self.index.offline:
            return Abnormal.OFFLINE
        if not self.obj.get("vm_capable", True):
            return Abnormal.UNAVAIL
        live_nodes = self.index.ctx.live_nodes
        if self.uuid in self.index.ctx.unreachable_nodes or live_nodes is None:
            return Abnormal.NODATA
        data = live_nodes.get(self.uuid)
        if not data:
            return Abnormal.NODATA
        for key in keys:
            if key in data:
                value = data[key]
                break
        else:
            return Abnormal.UNAVAIL
        if kind == QFT_TEXT:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            return Abnormal.UNAVAIL


def role(row: NodeRow) -> str:
    if row.uuid == row.index.master:
        return ROLE_MASTER
    if row.obj.get("master_candidate"):
        return ROLE_CANDIDATE
    if row.obj.get("drained"):
        return ROLE_DRAINED
    if row.obj.get("offline"):
        return ROLE_OFFLINE
    return ROLE_REGULAR


def _powered(row: NodeRow) -> Any:
    # Power state is only known for nodes with an out-of-band program.
    params = row.ndparams
    if isinstance(params, Abnormal) or not params.get("oob_program"):
        return Abnormal.UNAVAIL
    return bool(row.obj.get("powered", True))


def _ndparam(name: str) -> Getter:
    def get(row: NodeRow) -> Any:
        params = row.ndparams
        return params if isinstance(params, Abnormal) else params.get(name)

    return get


def _live(kind: str, keys: tuple[str, ...]) -> Getter:
    return lambda row: row.live(kind, keys)


def _maybe(key: str) -> Getter:
    def get(row: NodeRow) -> Any:
        value = row.obj.get(key)
        return Abnormal.UNAVAIL if value is None else value

    return get


def _build() -> FieldTable:
    fields = [
        Field("pip", "PrimaryIP", QFT_TEXT, "Primary IP address", attr("primary_ip")),
        Field("sip", "SecondaryIP", QFT_TEXT, "Secondary IP address", attr("secondary_ip")),
        Field("tags", "Tags", QFT_OTHER, "Tags", tags_getter),
        Field(
            "master",
            "IsMaster",
            QFT_BOOL,
            "Whether node is master",
            lambda r: r.uuid == r.index.master,
        ),
        Field(
            "group",
            "Group",
            QFT_TEXT,
            "Node group",
            lambda r: Abnormal.UNAVAIL if r.group is None else r.group.get("name"),
        ),
        Field("group.uuid", "GroupUUID", QFT_TEXT, "UUID of node group", attr("group")),
        Field("powered", "Powered", QFT_BOOL, "Whether node is thought to be powered on", _powered),
        Field(
            "ndparams", "NodeParameters", QFT_OTHER, "Merged node parameters", lambda r: r.ndparams
        ),
        Field(
            "custom_ndparams",
            "CustomNodeParameters",
            QFT_OTHER,
            "Custom node parameters",
            attr("ndparams", {}),
        ),
        Field("hv_state", "HypervisorState", QFT_OTHER, "Hypervisor state", _maybe("hv_state")),
        Field("disk_state", "DiskState", QFT_OTHER, "Disk state", _maybe("disk_state")),
        Field(
            "role",
            "Role",
            QFT_TEXT,
            'Node role; "M" for master, "C" for master candidate, "R" for regular,'
            ' "D" for drained, "O" for offline',
            role,
        ),
        Field(
            "pinst_cnt",
            "Pinst",
            QFT_NUMBER,
            "Number of instances with this node as primary",
            lambda r: len(r.index.primary.get(r.uuid, [])),
        ),
        Field(
            "pinst_list",
            "PriInstances",
            QFT_OTHER,
            "List of instances with this node as primary",
            lambda r: nice_sort(r.index.primary.get(r.uuid, [])),
        ),
        Field(
            "sinst_cnt",
            "Sinst",
            QFT_NUMBER,
            "Number of instances with this node as secondary",
            lambda r: len(r.index.secondary.get(r.uuid, [])),
        ),
        Field(
            "sinst_list",
            "SecInstances",
            QFT_OTHER,
            "List of instances with this node as secondary",
            lambda r: nice_sort(r.index.secondary.get(r.uuid, [])),
        ),
        Field(
            "drained",
            "Drained",
            QFT_BOOL,
            "Whether node is drained",
            lambda r: bool(r.obj.get("drained")),
        ),
        Field(
            "master_candidate",
            "MasterC",
            QFT_BOOL,
            "Whether node is a master candidate",
            lambda r: bool(r.obj.get("master_candidate")),
        ),
        Field(
            "master_capable",
            "MasterCapable",
            QFT_BOOL,
            "Whether node can become a master candidate",
            lambda r: bool(r.obj.get("master_capable", True)),
        ),
        Field("name", "Node", QFT_TEXT, "Node name", lambda r: r.name, flags=FLAG_HOSTNAME),
        Field(
            "offline",
            "Offline",
            QFT_BOOL,
            "Whether node is marked offline",
            lambda r: bool(r.obj.get("offline")),
        ),
        Field("serial_no", "SerialNo", QFT_NUMBER, serial_doc("Node"), attr("serial_no")),
        Field("uuid", "UUID", QFT_TEXT, "Node UUID", lambda r: r.uuid),
        Field(
            "vm_capable",
            "VMCapable",
            QFT_BOOL,
            "Whether node can host instances",
            lambda r: bool(r.obj.get("vm_capable", True)),
        ),
    ]
    fields += [
        Field(
            f"ndp/{name}",
            ND_PARAMETER_TITLES.get(name, f"ndp/{name}"),
            kind,
            f'The "{name}" node parameter',
            _ndparam(name),
        )
        for name, kind in ND_PARAMETER_KINDS.items()
    ]
    fields += [
        Field(name, title, kind, doc, _live(kind, keys), _LIVE)
        for name, (title, kind, keys, doc) in _LIVE_FIELDS.items()
    ]
    fields += timestamp_fields()
    return FieldTable.build(fields)


FIELDS = _build()


def rows(ctx: QueryContext) -> list[NodeRow]:
    index = _Index(ctx)
    return [NodeRow(index, uuid, obj) for uuid, obj in ctx.section("nodes").items()]

"""Node group query fields: members, primary instances, merged policies and parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyganeti.objects.params import fill_dict
from pyganeti.query.context import QueryContext, fill_ipolicy
from pyganeti.query.fielddefs import (
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    Field,
    FieldTable,
    Getter,
    attr,
    serial_doc,
    tags_getter,
    timestamp_fields,
)
from pyganeti.query.fields.params import ND_PARAMETER_KINDS, ND_PARAMETER_TITLES
from pyganeti.query.sorting import nice_sort


class _Index:
    def __init__(self, ctx: QueryContext) -> None:
        self.cluster = ctx.cluster
        nodes = ctx.section("nodes")
        self.nodes: dict[str, list[str]] = {}
        for node in nodes.values():
            self.nodes.setdefault(node.get("group") or "", []).append(str(node.get("name")))
        self.instances: dict[str, list[str]] = {}
        for inst in ctx.section("instances").values():
            pnode = nodes.get(inst.get("primary_node") or "")
            if pnode is not None:
                group = pnode.get("group") or ""
                self.instances.setdefault(group, []).append(str(inst.get("name")))


class GroupRow:
    def __init__(self, index: _Index, uuid: str, obj: Mapping[str, Any]) -> None:
        self.index = index
        self.uuid = uuid
        self.obj = obj

    @property
    def name(self) -> str:
        return str(self.obj.get("name", self.uuid))

    def ndparams(self) -> dict[str, Any]:
        return fill_dict(self.index.cluster.get("ndparams"), self.obj.get("ndparams"))

    def ipolicy(self) -> dict[str, Any]:
        return fill_ipolicy(self.index.cluster.get("ipolicy"), self.obj.get("ipolicy"))

    def diskparams(self) -> dict[str, Any]:
        # Merged per disk template, so a group overriding one key keeps the others.
        cluster_dp = self.index.cluster.get("diskparams") or {}
        custom = self.obj.get("diskparams") or {}
        return {
            template: fill_dict(cluster_dp.get(template), custom.get(template))
            for template in sorted(set(cluster_dp) | set(custom))
        }


def _ndparam(name: str) -> Getter:
    return lambda row: row.ndparams().get(name)


def _build() -> FieldTable:
    fields = [
        Field(
            "alloc_policy",
            "AllocPolicy",
            QFT_TEXT,
            "Allocation policy for group",
            attr("alloc_policy"),
        ),
        Field("name", "Group", QFT_TEXT, "Group name", lambda r: r.name),
        Field("serial_no", "SerialNo", QFT_NUMBER, serial_doc("Group"), attr("serial_no")),
        Field("uuid", "UUID", QFT_TEXT, "Group UUID", lambda r: r.uuid),
        Field(
            "node_cnt",
            "Nodes",
            QFT_NUMBER,
            "Number of nodes",
            lambda r: len(r.index.nodes.get(r.uuid, [])),
        ),
        Field(
            "node_list",
            "NodeList",
            QFT_OTHER,
            "List of nodes",
            lambda r: nice_sort(r.index.nodes.get(r.uuid, [])),
        ),
        Field(
            "pinst_cnt",
            "Instances",
            QFT_NUMBER,
            "Number of primary instances",
            lambda r: len(r.index.instances.get(r.uuid, [])),
        ),
        Field(
            "pinst_list",
            "InstanceList",
            QFT_OTHER,
            "List of primary instances",
            lambda r: nice_sort(r.index.instances.get(r.uuid, [])),
        ),
        Field("tags", "Tags", QFT_OTHER, "Tags", tags_getter),
        Field(
            "ipolicy",
            "InstancePolicy",
            QFT_OTHER,
            "Instance policy limitations (merged)",
            lambda r: r.ipolicy(),
        ),
        Field(
            "custom_ipolicy",
            "CustomInstancePolicy",
            QFT_OTHER,
            "Custom instance policy limitations",
            attr("ipolicy", {}),
        ),
        Field(
            "custom_ndparams",
            "CustomNDParams",
            QFT_OTHER,
            "Custom node parameters",
            attr("ndparams", {}),
        ),
        Field("ndparams", "NDParams", QFT_OTHER, "Node parameters", lambda r: r.ndparams()),
        Field(
            "diskparams",
            "DiskParameters",
            QFT_OTHER,
            "Disk parameters (merged)",
            lambda r: r.diskparams(),
        ),
        Field(
            "custom_diskparams",
            "CustomDiskParameters",
            QFT_OTHER,
            "Custom disk parameters",
            attr("diskparams", {}),
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
    fields += timestamp_fields()
    return FieldTable.build(fields)


FIELDS = _build()


def rows(ctx: QueryContext) -> list[GroupRow]:
    index = _Index(ctx)
    return [GroupRow(index, uuid, obj) for uuid, obj in ctx.section("nodegroups").items()]

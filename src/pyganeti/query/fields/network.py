"""Network query fields: addresses, connected groups and instances, reservation statistics."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import (
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    Field,
    FieldTable,
    maybe_attr,
    serial_doc,
    tags_getter,
    timestamp_fields,
)
from pyganeti.query.sorting import nice_sort


class _Index:
    def __init__(self, ctx: QueryContext) -> None:
        self.groups: dict[str, list[list[Any]]] = {}
        for group in ctx.section("nodegroups").values():
            for net_uuid, params in (group.get("networks") or {}).items():
                entry = [
                    group.get("name"),
                    params.get("mode"),
                    params.get("link"),
                    params.get("vlan"),
                ]
                self.groups.setdefault(net_uuid, []).append(entry)
        self.instances: dict[str, list[str]] = {}
        for inst in ctx.section("instances").values():
            for nic in inst.get("nics") or []:
                net = nic.get("network")
                names = self.instances.setdefault(net, []) if net else None
                if names is not None and inst.get("name") not in names:
                    names.append(str(inst.get("name")))


class NetworkRow:
    def __init__(self, index: _Index, uuid: str, obj: Mapping[str, Any]) -> None:
        self.index = index
        self.uuid = uuid
        self.obj = obj

    @property
    def name(self) -> str:
        return str(self.obj.get("name", self.uuid))

    @cached_property
    def _bitmaps(self) -> tuple[str, str, ipaddress.IPv4Network | None]:
        try:
            net: ipaddress.IPv4Network | None = ipaddress.IPv4Network(
                str(self.obj.get("network")), strict=False
            )
        except ValueError:
            net = None
        size = net.num_addresses if net is not None else 0
        own = str(self.obj.get("reservations") or "0" * size)
        ext = str(self.obj.get("ext_reservations") or "0" * size)
        return own, ext, net

    @cached_property
    def combined(self) -> str:
        own, ext, _net = self._bitmaps
        return "".join("1" if "1" in (a, b) else "0" for a, b in zip(own, ext, strict=False))

    def external(self) -> str:
        _own, ext, net = self._bitmaps
        if net is None:
            return ""
        return ", ".join(str(net[idx]) for idx, bit in enumerate(ext) if bit == "1")


def _build() -> FieldTable:
    simple = [
        ("name", "Network", QFT_TEXT, "Name"),
        ("network", "Subnet", QFT_TEXT, "IPv4 subnet"),
        ("gateway", "Gateway", QFT_OTHER, "IPv4 gateway"),
        ("network6", "IPv6Subnet", QFT_OTHER, "IPv6 subnet"),
        ("gateway6", "IPv6Gateway", QFT_OTHER, "IPv6 gateway"),
        ("mac_prefix", "MacPrefix", QFT_OTHER, "MAC address prefix"),
        ("serial_no", "SerialNo", QFT_NUMBER, serial_doc("Network")),
    ]
    fields = [Field("tags", "Tags", QFT_OTHER, "Tags", tags_getter)]
    fields += [Field(n, t, k, d, maybe_attr(n)) for n, t, k, d in simple]
    fields += [
        Field("uuid", "UUID", QFT_TEXT, "Network UUID", lambda r: r.uuid),
        Field(
            "group_cnt",
            "NodeGroups",
            QFT_NUMBER,
            "Number of nodegroups",
            lambda r: len(r.index.groups.get(r.uuid, [])),
        ),
        Field(
            "group_list",
            "GroupList",
            QFT_OTHER,
            "List of nodegroups (group name, NIC mode, NIC link)",
            lambda r: r.index.groups.get(r.uuid, []),
        ),
        Field(
            "inst_cnt",
            "Instances",
            QFT_NUMBER,
            "Number of instances",
            lambda r: len(r.index.instances.get(r.uuid, [])),
        ),
        Field(
            "inst_list",
            "InstanceList",
            QFT_OTHER,
            "List of instances",
            lambda r: nice_sort(r.index.instances.get(r.uuid, [])),
        ),
        Field(
            "free_count",
            "FreeCount",
            QFT_NUMBER,
            "Number of available addresses",
            lambda r: r.combined.count("0"),
        ),
        Field(
            "reserved_count",
            "ReservedCount",
            QFT_NUMBER,
            "Number of reserved addresses",
            lambda r: r.combined.count("1"),
        ),
        Field(
            "map",
            "Map",
            QFT_TEXT,
            "Actual mapping",
            lambda r: r.combined.replace("1", "X").replace("0", "."),
        ),
        Field(
            "external_reservations",
            "ExternalReservations",
            QFT_TEXT,
            "External reservations",
            lambda r: r.external(),
        ),
    ]
    fields += timestamp_fields()
    return FieldTable.build(fields)


FIELDS = _build()


def rows(ctx: QueryContext) -> list[NetworkRow]:
    index = _Index(ctx)
    return [NetworkRow(index, uuid, obj) for uuid, obj in ctx.section("networks").items()]

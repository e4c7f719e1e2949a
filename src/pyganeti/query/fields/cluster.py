"""Cluster query fields (one row: the cluster itself) and the reported versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyganeti
from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import (
    DATA_QUEUE,
    FLAG_HOSTNAME,
    QFT_BOOL,
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    QFT_TIMESTAMP,
    Abnormal,
    Field,
    FieldTable,
    attr,
    tags_getter,
    timestamp_fields,
)

SOFTWARE_VERSION = ".".join(str(part) for part in pyganeti.GANETI_COMPAT_VERSION)
OS_API_VERSION = 20
EXPORT_VERSION = 0
VCS_VERSION = f"pyganeti-{pyganeti.__version__}"

_QUEUE = frozenset([DATA_QUEUE])


class ClusterRow:
    def __init__(self, ctx: QueryContext) -> None:
        self.ctx = ctx
        self.obj: Mapping[str, Any] = ctx.cluster

    @property
    def name(self) -> str:
        return str(self.obj.get("cluster_name", ""))


def _master_name(row: ClusterRow) -> Any:
    node = row.ctx.section("nodes").get(row.obj.get("master_node") or "")
    return None if node is None else node.get("name")


def _optional(value: Any) -> Any:
    return Abnormal.UNAVAIL if value is None else value


def _static(value: Any) -> Any:
    return lambda _row: value


def _build() -> FieldTable:
    fields = [
        Field("tags", "Tags", QFT_OTHER, "Tags", tags_getter),
        Field(
            "architecture",
            "ArchInfo",
            QFT_OTHER,
            "Architecture information",
            lambda r: _optional(None if r.ctx.arch_info is None else list(r.ctx.arch_info)),
        ),
        Field(
            "drain_flag",
            "QueueDrained",
            QFT_BOOL,
            "Flag whether job queue is drained",
            lambda r: _optional(r.ctx.queue_drained),
            _QUEUE,
        ),
        Field(
            "watcher_pause",
            "WatcherPause",
            QFT_TIMESTAMP,
            "Until when watcher is paused",
            lambda r: _optional(r.ctx.watcher_pause),
            _QUEUE,
        ),
        Field(
            "master_node", "Master", QFT_TEXT, "Master node name", _master_name, flags=FLAG_HOSTNAME
        ),
        Field(
            "cluster_name",
            "Name",
            QFT_TEXT,
            "Cluster name",
            attr("cluster_name"),
            flags=FLAG_HOSTNAME,
        ),
        Field(
            "volume_group_name",
            "VgName",
            QFT_TEXT,
            "LVM volume group name",
            attr("volume_group_name"),
        ),
        Field(
            "software_version",
            "SoftwareVersion",
            QFT_TEXT,
            "Software version",
            _static(SOFTWARE_VERSION),
        ),
        Field(
            "protocol_version",
            "ProtocolVersion",
            QFT_NUMBER,
            "RPC protocol version",
            _static(pyganeti.PROTOCOL_VERSION),
        ),
        Field(
            "config_version",
            "ConfigVersion",
            QFT_NUMBER,
            "Configuration format version",
            _static(pyganeti.CONFIG_VERSION),
        ),
        Field(
            "os_api_version",
            "OsApiVersion",
            QFT_NUMBER,
            "API version for OS template scripts",
            _static(OS_API_VERSION),
        ),
        Field(
            "export_version",
            "ExportVersion",
            QFT_NUMBER,
            "Import/export file format version",
            _static(EXPORT_VERSION),
        ),
        Field("vcs_version", "VCSVersion", QFT_TEXT, "VCS version", _static(VCS_VERSION)),
    ]
    fields += timestamp_fields()
    return FieldTable.build(fields, [("name", "cluster_name")])


FIELDS = _build()


def rows(ctx: QueryContext) -> list[ClusterRow]:
    return [ClusterRow(ctx)]

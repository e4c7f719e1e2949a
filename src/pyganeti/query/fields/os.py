"""Operating system query fields over OS descriptions collected from the nodes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import (
    DATA_OS,
    QFT_BOOL,
    QFT_OTHER,
    QFT_TEXT,
    Field,
    FieldTable,
    Getter,
)
from pyganeti.query.sorting import nice_sort

_OS = frozenset([DATA_OS])


class OsRow:
    def __init__(self, obj: Mapping[str, Any]) -> None:
        self.obj = obj

    @property
    def name(self) -> str:
        return str(self.obj.get("name", ""))


def _get(key: str, convert: Callable[[Any], Any] | None = None, default: Any = None) -> Getter:
    def get(row: OsRow) -> Any:
        value = row.obj.get(key, default)
        return convert(value) if convert is not None and value is not None else value

    return get


FIELDS = FieldTable.build(
    [
        Field("name", "Name", QFT_TEXT, "Operating system name", _get("name"), _OS),
        Field(
            "valid",
            "Valid",
            QFT_BOOL,
            "Whether operating system definition is valid",
            _get("valid", bool, False),
            _OS,
        ),
        Field(
            "hidden",
            "Hidden",
            QFT_BOOL,
            "Whether operating system is hidden",
            _get("hidden", bool, False),
            _OS,
        ),
        Field(
            "blacklisted",
            "Blacklisted",
            QFT_BOOL,
            "Whether operating system is blacklisted",
            _get("blacklisted", bool, False),
            _OS,
        ),
        Field(
            "variants",
            "Variants",
            QFT_OTHER,
            "Operating system variants",
            _get("variants", nice_sort, []),
            _OS,
        ),
        Field(
            "api_versions",
            "ApiVersions",
            QFT_OTHER,
            "Operating system API versions",
            _get("api_versions", sorted, []),
            _OS,
        ),
        Field(
            "parameters",
            "Parameters",
            QFT_OTHER,
            "Operating system parameters",
            _get("parameters", lambda v: nice_sort(v, key=lambda p: p[0]), []),
            _OS,
        ),
        Field(
            "node_status",
            "NodeStatus",
            QFT_OTHER,
            "Status from node",
            _get("node_status", None, {}),
            _OS,
        ),
        Field(
            "os_hvp",
            "OsHypervisorParams",
            QFT_OTHER,
            "Operating system specific hypervisor parameters",
            _get("os_hvp", None, {}),
            _OS,
        ),
        Field(
            "osparams",
            "OsParameters",
            QFT_OTHER,
            "Operating system specific parameters",
            _get("osparams", None, {}),
            _OS,
        ),
        Field(
            "trusted",
            "Trusted",
            QFT_BOOL,
            "Whether this OS is trusted",
            _get("trusted", bool, True),
            _OS,
        ),
    ]
)


def rows(ctx: QueryContext) -> list[OsRow]:
    return [OsRow(obj) for obj in ctx.os_list or []]

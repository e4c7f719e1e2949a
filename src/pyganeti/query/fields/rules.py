"""Job filter rule query fields (resource "filter"); rows are named by their uuid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import (
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    Field,
    FieldTable,
    maybe_attr,
)


class RuleRow:
    def __init__(self, uuid: str, obj: Mapping[str, Any]) -> None:
        self.uuid = uuid
        self.obj = obj

    @property
    def name(self) -> str:
        return self.uuid


FIELDS = FieldTable.build(
    [
        Field("watermark", "Watermark", QFT_NUMBER, "Watermark", maybe_attr("watermark")),
        Field("priority", "Priority", QFT_NUMBER, "Priority", maybe_attr("priority")),
        Field("predicates", "Predicates", QFT_OTHER, "Predicates", maybe_attr("predicates")),
        Field("action", "Action", QFT_OTHER, "Action", maybe_attr("action")),
        Field("reason_trail", "ReasonTrail", QFT_OTHER, "Reason trail", maybe_attr("reason_trail")),
        # Ganeti documents this field as "Network UUID"; kept for list-fields compatibility.
        Field("uuid", "UUID", QFT_TEXT, "Network UUID", lambda r: r.uuid),
    ]
)


def rows(ctx: QueryContext) -> list[RuleRow]:
    return [RuleRow(uuid, obj) for uuid, obj in ctx.section("filters").items()]

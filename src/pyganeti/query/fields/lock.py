"""Lock query fields over a snapshot of the lock manager's state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import DATA_LOCKS, QFT_OTHER, QFT_TEXT, Field, FieldTable
from pyganeti.query.sorting import nice_sort

_LOCKS = frozenset([DATA_LOCKS])


class LockRow:
    def __init__(self, obj: Mapping[str, Any]) -> None:
        self.obj = obj

    @property
    def name(self) -> str:
        return str(self.obj.get("name", ""))


def _owner(row: LockRow) -> Any:
    owners = row.obj.get("owner")
    return nice_sort(owners) if owners else owners


def _pending(row: LockRow) -> Any:
    pending = row.obj.get("pending")
    if not pending:
        return pending
    return [[mode, nice_sort(names)] for mode, names in pending]


FIELDS = FieldTable.build(
    [
        Field("name", "Name", QFT_TEXT, "Lock name", lambda r: r.name, _LOCKS),
        Field(
            "mode",
            "Mode",
            QFT_OTHER,
            "Mode in which the lock is currently acquired (exclusive or shared)",
            lambda r: r.obj.get("mode"),
            _LOCKS,
        ),
        Field("owner", "Owner", QFT_OTHER, "Current lock owner(s)", _owner, _LOCKS),
        Field("pending", "Pending", QFT_OTHER, "Threads waiting for the lock", _pending, _LOCKS),
    ]
)


def rows(ctx: QueryContext) -> list[LockRow]:
    return [LockRow(obj) for obj in ctx.locks or []]

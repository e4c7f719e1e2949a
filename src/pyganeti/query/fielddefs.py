"""Query field definitions: field kinds, result statuses and the typed field table.

Names and values are Ganeti's query2 wire constants (QFT_*, RS_*, QR_*).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# Field kinds (QFT_*), as they travel in field definitions.
QFT_UNKNOWN = "unknown"
QFT_TEXT = "text"
QFT_BOOL = "bool"
QFT_NUMBER = "number"
QFT_NUMBER_FLOAT = "float"
QFT_UNIT = "unit"
QFT_TIMESTAMP = "timestamp"
QFT_OTHER = "other"
QFT_ALL = frozenset(
    {QFT_UNKNOWN, QFT_TEXT, QFT_BOOL, QFT_NUMBER, QFT_NUMBER_FLOAT, QFT_UNIT}
    | {QFT_TIMESTAMP, QFT_OTHER}
)

# Result statuses (RS_*), the first element of every [status, value] cell.
RS_NORMAL = 0
RS_UNKNOWN = 1
RS_NODATA = 2
RS_UNAVAIL = 3
RS_OFFLINE = 4
RS_ALL = frozenset([RS_NORMAL, RS_UNKNOWN, RS_NODATA, RS_UNAVAIL, RS_OFFLINE])

# Resources (QR_*).
QR_CLUSTER = "cluster"
QR_INSTANCE = "instance"
QR_NODE = "node"
QR_GROUP = "group"
QR_NETWORK = "network"
QR_JOB = "job"
QR_OS = "os"
QR_LOCK = "lock"
QR_FILTER = "filter"

# Data a field needs beyond the configuration; luxid collects only what is named.
DATA_LIVE_INSTANCES = "live_instances"
DATA_LIVE_NODES = "live_nodes"
DATA_CONSOLE = "console"
DATA_JOBS = "jobs"
DATA_OS = "os_list"
DATA_LOCKS = "locks"
DATA_QUEUE = "queue_state"

# Field flags changing how filters compare values (Ganeti's QFF_*).
FLAG_HOSTNAME = 0x01
FLAG_JOB_ID = 0x04
FLAG_SPLIT_TIMESTAMP = 0x08

_NAME_RE = re.compile(r"^[a-z0-9/._]+$")
_TITLE_RE = re.compile(r"^\S+$")


class Abnormal(enum.IntEnum):
    """A value a getter returns when it has no normal value; the int is the RS_* code."""

    UNKNOWN = RS_UNKNOWN
    NODATA = RS_NODATA
    UNAVAIL = RS_UNAVAIL
    OFFLINE = RS_OFFLINE


Getter = Callable[[Any], Any]


def _unknown_getter(_row: Any) -> Any:
    return Abnormal.UNKNOWN


@dataclass(frozen=True)
class Field:
    """One queryable field: its public definition plus how to compute it."""

    name: str
    title: str
    kind: str
    doc: str
    getter: Getter
    needs: frozenset[str] = frozenset()
    flags: int = 0

    def definition(self) -> dict[str, str]:
        """The wire form: Ganeti's QueryFieldDefinition as a dict."""
        return {"name": self.name, "title": self.title, "kind": self.kind, "doc": self.doc}

    def cell(self, row: Any) -> list[Any]:
        """[status, value] for one row."""
        value = self.getter(row)
        if isinstance(value, Abnormal):
            return [int(value), None]
        return [RS_NORMAL, value]


def unknown_field(name: str) -> Field:
    """The stand-in for a requested field that does not exist (kind unknown)."""
    return Field(name, name, QFT_UNKNOWN, f"Unknown field '{name}'", _unknown_getter)


def _check_definition(fdef: Field) -> None:
    # Definitions are static tables; a bad one is a programming error caught at import.
    if not _NAME_RE.match(fdef.name):
        raise ValueError(f"invalid query field name {fdef.name!r}")
    if not _TITLE_RE.match(fdef.title):
        raise ValueError(f"invalid title {fdef.title!r} for field {fdef.name!r}")
    if fdef.kind not in QFT_ALL or fdef.kind == QFT_UNKNOWN:
        raise ValueError(f"invalid kind {fdef.kind!r} for field {fdef.name!r}")


@dataclass
class FieldTable(Mapping[str, Field]):
    """The fields of one resource, by name (aliases included)."""

    _fields: dict[str, Field] = field(default_factory=dict)

    @classmethod
    def build(cls, fields: Iterable[Field], aliases: Iterable[tuple[str, str]] = ()) -> FieldTable:
        table: dict[str, Field] = {}
        titles: set[str] = set()
        for fdef in fields:
            _check_definition(fdef)
            if fdef.name in table:
                raise ValueError(f"duplicate query field {fdef.name!r}")
            if fdef.title.lower() in titles:
                raise ValueError(f"duplicate query field title {fdef.title!r}")
            titles.add(fdef.title.lower())
            table[fdef.name] = fdef
        for alias, target in aliases:
            if alias in table:
                raise ValueError(f"alias {alias!r} shadows a field")
            table[alias] = replace(table[target], name=alias)
        return cls(table)

    def __getitem__(self, name: str) -> Field:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def select(self, names: Iterable[str]) -> list[Field]:
        """Fields for `names` in order; unknown names become unknown fields."""
        return [self._fields.get(name) or unknown_field(name) for name in names]


def ordinal(number: int) -> str:
    """English ordinal ("1st", "2nd", "11th") as Ganeti's field docs use."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def serial_doc(what: str) -> str:
    return f"{what} object serial number, incremented on each modification"


def timestamp_fields(needs: frozenset[str] = frozenset()) -> list[Field]:
    """ctime and mtime of a configuration object (absent in old configs: unavailable)."""

    def getter(key: str) -> Getter:
        def get(row: Any) -> Any:
            value = row.obj.get(key)
            return Abnormal.UNAVAIL if value is None else value

        return get

    return [
        Field("ctime", "CTime", QFT_TIMESTAMP, "Creation timestamp", getter("ctime"), needs),
        Field("mtime", "MTime", QFT_TIMESTAMP, "Modification timestamp", getter("mtime"), needs),
    ]


def attr(key: str, default: Any = None) -> Getter:
    """Getter for a plain key of the row's configuration object."""
    return lambda row: row.obj.get(key, default)


def maybe_attr(key: str) -> Getter:
    """Getter for a key whose absence (or None) means the value is unavailable."""

    def get(row: Any) -> Any:
        value = row.obj.get(key)
        return Abnormal.UNAVAIL if value is None else value

    return get


def tags_getter(row: Any) -> Any:
    return list(row.obj.get("tags") or [])

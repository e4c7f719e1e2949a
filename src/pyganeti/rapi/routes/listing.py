"""Reading objects through luxi Query: rows as dicts, name/URI lists, single items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyganeti import errors
from pyganeti.http.messages import HttpError
from pyganeti.luxi.client import Client

#: Query status of a value that is present (RS_NORMAL); others read as None.
RS_NORMAL = 0
COMMON_FIELDS = ["ctime", "mtime", "uuid", "serial_no", "tags"]


def rows(
    luxi: Client, what: str, fields: Sequence[str], names: Sequence[str] | None = None
) -> list[list[Any]]:
    """Field values per object (None where a value is unavailable)."""
    qfilter = None
    if names:
        qfilter = ["|", *(["=", "name", name] for name in names)]
    result = luxi.query(what, list(fields), qfilter)
    return [
        [value if status == RS_NORMAL else None for status, value in row] for row in result["data"]
    ]


def bulk(luxi: Client, what: str, fields: Sequence[str]) -> list[dict[str, Any]]:
    return [dict(zip(fields, row, strict=True)) for row in rows(luxi, what, fields)]


def one(luxi: Client, what: str, fields: Sequence[str], name: str) -> dict[str, Any]:
    """The fields of the object called `name`; 404 if there is none."""
    try:
        found = rows(luxi, what, fields, [name])
    except errors.OpPrereqError as err:
        if err.ecode == errors.ECODE_NOENT:
            raise HttpError(404, err.message) from None
        raise
    if not found:
        raise HttpError(404, f"{what.capitalize()} '{name}' not found")
    return dict(zip(fields, found[0], strict=True))


def uri_list(
    luxi: Client, what: str, uri_format: str, id_field: str = "name"
) -> list[dict[str, Any]]:
    """[{id_field: name, "uri": ...}] sorted by name, as Ganeti's index resources answer."""
    names = sorted(str(row[0]) for row in rows(luxi, what, ["name"]))
    return [{id_field: name, "uri": uri_format % name} for name in names]


def uri_list_schema(id_field: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {id_field: {"type": "string"}, "uri": {"type": "string"}},
        },
    }


OBJECT_SCHEMA: dict[str, Any] = {"type": "object"}
OBJECTS_SCHEMA: dict[str, Any] = {"type": "array", "items": {"type": "object"}}

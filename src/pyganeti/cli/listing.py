"""The generic "list" and "list-fields" commands over luxi queries (Ganeti's GenericList)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyganeti import errors
from pyganeti.cli import output
from pyganeti.cli.session import Session
from pyganeti.query.filter import OP_AND, make_simple_filter
from pyganeti.query.qlang import make_filter

RS_NORMAL = output.RS_NORMAL

Formatter = output.Formatter


def comma_join(value: Any) -> str:
    return ",".join(str(item) for item in value)


# A left-aligned column of comma-joined list items (Ganeti's override for list fields).
JOINED: Formatter = (comma_join, False)


def warn_unknown(session: Session, result: dict[str, Any]) -> bool:
    unknown = output.unknown_fields(result)
    if unknown:
        session.stderr(f"Warning: Queried for unknown fields {', '.join(unknown)}")
    return bool(unknown)


def build_filter(
    names: list[str],
    force_filter: bool,
    namefield: str = "name",
    extra: list[Any] | None = None,
    isnumeric: bool = False,
) -> list[Any] | None:
    """The name filter of a list command, and-ed with an extra filter if any."""
    namefilter = make_filter(names, force_filter, namefield=namefield, isnumeric=isnumeric)
    if extra is None:
        return namefilter
    if namefilter is None:
        return extra
    return [OP_AND, namefilter, extra]


def generic_list(
    session: Session,
    resource: str,
    fields: list[str],
    names: list[str],
    overrides: Mapping[str, Formatter] | None = None,
    namefield: str = "name",
    extra_filter: list[Any] | None = None,
    isnumeric: bool = False,
    units: str | None = None,
) -> int:
    """Query `resource` and print a table; exit 14 if a field was unknown."""
    qf = build_filter(
        names,
        bool(session.opt("force_filter")),
        namefield=namefield,
        extra=extra_filter,
        isnumeric=isnumeric,
    )
    result = session.client().query(resource, fields, qf)
    warn_unknown(session, result)
    status, lines = output.format_query_result(
        result,
        header=not session.opt("no_headers"),
        separator=session.opt("separator"),
        units=units if units is not None else session.opt("units"),
        verbose=bool(session.opt("verbose")),
        format_override=overrides,
    )
    for line in lines:
        session.stdout(line)
    return errors.EXIT_UNKNOWN_FIELD if status == output.QR_UNKNOWN else errors.EXIT_SUCCESS


def generic_list_fields(session: Session, resource: str) -> int:
    """Print name, type, title and description of the resource's query fields."""
    result = session.client().query_fields(resource, session.args or None)
    warn_unknown(session, result)
    status, lines = output.format_field_list(
        result, header=not session.opt("no_headers"), separator=session.opt("separator")
    )
    for line in lines:
        session.stdout(line)
    return errors.EXIT_UNKNOWN_FIELD if status == output.QR_UNKNOWN else errors.EXIT_SUCCESS


def query_rows(
    session: Session,
    resource: str,
    fields: list[str],
    names: list[str] | None,
    namefield: str = "name",
) -> list[list[Any]]:
    """Plain values of a query, one row per item; OpPrereqError naming a missing item."""
    qf = make_simple_filter(namefield, names) if names else None
    result = session.client().query(resource, fields, qf)
    rows: list[list[Any]] = []
    for row in result.get("data", []):
        rows.append([value if status == RS_NORMAL else None for status, value in row])
    if names:
        found = (
            {str(row[fields.index(namefield)]) for row in rows} if namefield in fields else set()
        )
        missing = [n for n in names if namefield in fields and n not in found]
        if missing:
            raise errors.OpPrereqError(
                f"{resource.capitalize()} '{missing[0]}' does not exist", errors.ECODE_NOENT
            )
    return rows

"""Table output of the gnt-* commands: Ganeti's GenerateTable and query result formatting.

Without a separator columns are padded (numbers right-aligned, no padding after the last
text column); with one, values are joined by it unpadded. Sizes default to human units
("h") without a separator and to plain MiB ("m") with one.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pyganeti.cli.units import format_unit

# Overall status of a formatted query (Ganeti's QR_*); QR_UNKNOWN makes commands exit 14.
QR_NORMAL = 0
QR_UNKNOWN = 1
QR_INCOMPLETE = 2

# Result statuses of cells and how each non-normal one is shown (verbose, terse).
RS_NORMAL = 0
RS_STATUS_TEXT: dict[int, tuple[str, str]] = {
    1: ("(unknown)", "??"),
    2: ("(nodata)", "?"),
    3: ("(unavail)", "-"),
    4: ("(offline)", "*"),
}

# Field kind names shown by list-fields.
KIND_NAMES = {
    "unknown": "Unknown",
    "text": "Text",
    "bool": "Boolean",
    "number": "Number",
    "float": "Floating-point number",
    "unit": "Storage size",
    "timestamp": "Timestamp",
    "other": "Custom",
}

# A column formatter: (value -> text, align right).
Formatter = tuple[Callable[[Any], str], bool]


def _default_units(units: str | None, separator: str | None) -> str:
    if units is not None:
        return units
    return "m" if separator else "h"


def _matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    # Field lists may hold regular expressions (Ganeti's FieldSet), matched whole.
    compiled = [re.compile(f"^{pattern}$") for pattern in patterns]
    return lambda name: any(regex.match(name) for regex in compiled)


def generate_table(
    headers: dict[str, str] | None,
    fields: list[str],
    separator: str | None,
    data: list[list[Any]],
    numfields: Sequence[str] = (),
    unitfields: Sequence[str] = (),
    units: str | None = None,
) -> list[str]:
    """Lines of a table of `data` (one list per row, a None row prints as dashes).

    `numfields` are right-aligned and `unitfields` hold MiB values shown in `units`.
    """
    units = _default_units(units, separator)
    is_num = _matcher(numfields)
    is_unit = _matcher(unitfields)
    rows: list[list[str] | None] = []
    widths = [0] * len(fields)
    for row in data:
        if row is None:
            rows.append(None)
            continue
        texts = []
        for idx, value in enumerate(row):
            if is_unit(fields[idx]):
                with contextlib.suppress(TypeError, ValueError):
                    # Ganeti leaves values that are not numbers as they are.
                    value = format_unit(int(value), units)
            text = str(value)
            texts.append(text)
            if separator is None:
                widths[idx] = max(widths[idx], len(text))
        rows.append(texts)

    def line(values: Sequence[str]) -> str:
        if separator is not None:
            return separator.join(values)
        cells = []
        for idx, name in enumerate(fields):
            text = values[idx]
            cells.append(text.rjust(widths[idx]) if is_num(name) else text.ljust(widths[idx]))
        return " ".join(cells)

    result = []
    if headers:
        titles = [headers.get(name, name) for name in fields]
        if separator is None:
            widths = [max(w, len(t)) for w, t in zip(widths, titles, strict=True)]
        # Ganeti pads the header's last column too; only data lines lose the padding.
        result.append(line(titles))
    if fields and not is_num(fields[-1]):
        widths[-1] = 0
    for cells in rows:
        result.append(line(["-"] * len(fields) if cells is None else cells))
    return result


def format_result_error(status: int, verbose: bool) -> str:
    """How a cell with a non-normal status is shown."""
    try:
        verbose_text, terse_text = RS_STATUS_TEXT[status]
    except KeyError:
        raise ValueError(f"Unknown result status {status!r}") from None
    return verbose_text if verbose else terse_text


def format_time(value: Any) -> str:
    """A timestamp as local "YYYY-MM-DD HH:MM:SS", or "N/A" when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "N/A"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(value))


def format_bool(value: Any) -> str:
    return "Y" if value else "N"


def format_other(value: Any) -> str:
    """Lists of plain values comma-joined (as gnt-* list shows them); anything else as str."""
    if isinstance(value, (list, tuple)) and all(
        item is None or isinstance(item, (str, int, float)) for item in value
    ):
        return ",".join(str(item) for item in value)
    return str(value)


def column_formatter(kind: str, units: str) -> Formatter:
    """Default formatter for a field kind."""
    if kind == "unit":
        return (lambda value: format_unit(value, units), True)
    table: dict[str, Formatter] = {
        "text": (str, False),
        "bool": (format_bool, False),
        "number": (str, True),
        "float": (str, True),
        "timestamp": (format_time, False),
        "other": (format_other, False),
        "unknown": (str, False),
    }
    if kind not in table:
        raise ValueError(f"Can't format column type '{kind}'")
    return table[kind]


def format_table(
    rows: Sequence[Sequence[str]],
    titles: Sequence[str],
    align_right: Sequence[bool],
    header: bool,
    separator: str | None,
) -> list[str]:
    """Lines for already formatted cells (Ganeti's FormatTable)."""
    data = [list(titles)] if header else []
    widths = [len(t) for t in titles] if header else [0] * len(titles)
    for row in rows:
        data.append(list(row))
        if separator is None:
            widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
    if separator is not None:
        return [separator.join(row) for row in data]
    if titles and not align_right[-1]:
        # No trailing spaces after a left-aligned last column.
        widths[-1] = 0
    return [
        " ".join(
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(row, widths, align_right, strict=True)
        )
        for row in data
    ]


def format_query_result(
    result: Mapping[str, Any],
    *,
    header: bool,
    separator: str | None,
    units: str | None,
    verbose: bool = False,
    format_override: Mapping[str, Formatter] | None = None,
) -> tuple[int, list[str]]:
    """Format a Query result ({"fields", "data"}) as table lines.

    Returns (status, lines): QR_UNKNOWN when unknown fields were queried (the command
    then exits 14), QR_INCOMPLETE when some cell had no normal value, else QR_NORMAL.
    `format_override` maps field names to (formatter, align right) like Ganeti's clients.
    """
    units = _default_units(units, separator)
    overrides = format_override or {}
    fields = list(result.get("fields") or [])
    formatters = [overrides.get(f["name"]) or column_formatter(f["kind"], units) for f in fields]
    seen: dict[int, int] = {}
    rows = []
    for row in result.get("data") or []:
        if len(row) != len(fields):
            raise ValueError(f"Query row has {len(row)} values for {len(fields)} fields")
        texts = []
        for (status, value), (fmt, _right) in zip(row, formatters, strict=True):
            seen[status] = seen.get(status, 0) + 1
            if status == RS_NORMAL:
                texts.append(fmt(value))
            else:
                texts.append(format_result_error(status, verbose))
        rows.append(texts)
    lines = format_table(
        rows, [f["title"] for f in fields], [right for _fmt, right in formatters], header, separator
    )
    if seen.get(1) or (not rows and unknown_fields(result)):
        status = QR_UNKNOWN
    elif any(count for code, count in seen.items() if code != RS_NORMAL):
        status = QR_INCOMPLETE
    else:
        status = QR_NORMAL
    return status, lines


def unknown_fields(result: Mapping[str, Any]) -> list[str]:
    """Names of the fields a Query or QueryFields result reports as unknown."""
    return [f["name"] for f in result.get("fields") or [] if f.get("kind") == "unknown"]


def format_field_list(
    result: Mapping[str, Any], *, header: bool, separator: str | None
) -> tuple[int, list[str]]:
    """`gnt-* list-fields` output for a QueryFields result: (QR_* status, lines)."""
    rows = [
        [f["name"], KIND_NAMES.get(f["kind"], f["kind"]), f["title"], f["doc"]]
        for f in result.get("fields") or []
    ]
    titles = ["Name", "Type", "Title", "Description"]
    lines = format_table(rows, titles, [False] * 4, header, separator)
    return (QR_UNKNOWN if unknown_fields(result) else QR_NORMAL), lines

"""The YAML-like layout of every "info" command (Ganeti's PrintGenericInfo) and its helpers.

Data is nested dicts (printed sorted), lists of (key, value[, align group]) tuples
(ordered dicts), plain lists (printed as "- " items) and scalars.
"""

from __future__ import annotations

import time
from typing import Any

_INDENT = "  "


def format_time(value: Any, usecs: int | None = None) -> str:
    """Local "YYYY-MM-DD HH:MM:SS" for a timestamp, "N/A" when there is none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "N/A"
    text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(value))
    if usecs is not None:
        text += f".{usecs:06d}"
    return text


def format_timestamp(ts: Any) -> str:
    """A (seconds, microseconds) pair as format_time shows it; "?" for anything else."""
    if not isinstance(ts, (list, tuple)) or len(ts) != 2:
        return "?"
    return format_time(ts[0], usecs=int(ts[1]))


def format_params_dict_info(own: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    """Each parameter's own value, or "default (<value>)" when it is inherited."""
    result: dict[str, Any] = {}
    for key, data in actual.items():
        if isinstance(data, dict) and data:
            result[key] = format_params_dict_info(own.get(key, {}) or {}, data)
        elif key in own:
            result[key] = str(own[key])
        else:
            result[key] = f"default ({data})"
    return result


def _is_ordered(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], tuple)


def _serialize(out: list[str], data: Any, level: int, afterkey: bool = False) -> None:
    # `out` collects text fragments; lines end where a fragment ends with "\n".
    if isinstance(data, dict):
        if not data:
            out.append("\n")
            return
        items: list[tuple[Any, ...]] = [(k, data[k]) for k in sorted(data)]
        _serialize_pairs(out, items, level, afterkey, align=False)
    elif _is_ordered(data):
        _serialize_pairs(out, data, level, afterkey, align=True)
    elif isinstance(data, tuple) and not any(isinstance(v, (list, dict, tuple)) for v in data):
        out.append("[" + ", ".join(str(v) for v in data) + "]\n")
    elif isinstance(data, (list, tuple)):
        if not data:
            out.append("\n")
            return
        if afterkey:
            out.append("\n")
        for idx, item in enumerate(data):
            if afterkey or idx > 0:
                out.append(_INDENT * level)
            out.append("- ")
            _serialize(out, item, level + 1)
    else:
        out.append(f"{data}\n")


def _serialize_pairs(
    out: list[str], items: list[tuple[Any, ...]], level: int, afterkey: bool, align: bool
) -> None:
    widths: dict[Any, int] = {}
    if align:
        for entry in items:
            if len(entry) > 2:
                widths[entry[2]] = max(widths.get(entry[2], 0), len(str(entry[0])))
    if afterkey:
        out.append("\n")
    for idx, entry in enumerate(items):
        key, val = entry[0], entry[1]
        if afterkey or idx > 0:
            out.append(_INDENT * level)
        out.append(f"{key}: ")
        if len(entry) > 2:
            out.append(" " * (widths[entry[2]] - len(str(key))))
        _serialize(out, val, level + 1, afterkey=True)


def generic_info_text(data: Any) -> str:
    """The text PrintGenericInfo prints for `data` (no trailing newline)."""
    out: list[str] = []
    _serialize(out, data, 0)
    return "".join(out).rstrip("\n")

"""Parsing of option values as Ganeti's command line spells them.

key=val,... dictionaries (with no_/- prefixes), ident:key=val,... groups, escaped
comma lists, yes/no booleans, time specifications and the -o field selection.
"""

from __future__ import annotations

import re
from typing import Any

from pyganeti import errors

NO_PREFIX = "no_"
UN_PREFIX = "-"
# Ganeti's spelling of booleans in option values.
VALUE_TRUE = "true"
VALUE_FALSE = "false"
VALUE_DEFAULT = "default"

_TIMESPEC_SUFFIXES = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def unescape_and_split(text: str, sep: str = ",") -> list[str]:
    r"""Split `text` on `sep`; a backslash escapes the separator ("\," is a comma)."""
    pieces = text.split(sep)
    merged: list[str] = []
    while pieces:
        item = pieces.pop(0)
        trailing = len(item) - len(item.rstrip("\\"))
        # An odd number of trailing backslashes means the separator was escaped.
        if trailing % 2 == 1 and pieces:
            pieces[0] = item + sep + pieces[0]
            continue
        merged.append(item)
    return [re.sub(r"\\(.)", r"\1", item) for item in merged]


def split_key_val(opt: str, data: str, parse_prefixes: bool = True) -> dict[str, Any]:
    """Parse "key=val,key=val" into a dict.

    With `parse_prefixes`, a bare "no_key" means False, "-key" means None (reset to
    default) and a bare "key" means True, as in Ganeti.
    """
    result: dict[str, Any] = {}
    if not data:
        return result
    for elem in unescape_and_split(data):
        val: Any
        if "=" in elem:
            key, val = elem.split("=", 1)
        elif parse_prefixes:
            if elem.startswith(NO_PREFIX):
                key, val = elem[len(NO_PREFIX) :], False
            elif elem.startswith(UN_PREFIX):
                key, val = elem[len(UN_PREFIX) :], None
            else:
                key, val = elem, True
        else:
            raise errors.ParameterError(f"Missing value for key '{elem}' in option {opt}")
        if not key:
            raise errors.ParameterError(f"Empty key in option {opt}: '{elem}'")
        if key in result:
            raise errors.ParameterError(f"Duplicate key '{key}' in option {opt}")
        result[key] = val
    return result


def split_ident_key_val(opt: str, value: str, parse_prefixes: bool = True) -> tuple[str, Any]:
    """Parse "ident:key=val,..." into (ident, dict).

    "no_ident" gives (ident, False) and "-ident" gives (ident, None): removal or reset
    of a whole parameter group, which cannot carry options.
    """
    ident, _, rest = value.partition(":")
    if parse_prefixes and ident.startswith(NO_PREFIX):
        if rest:
            raise errors.ParameterError(
                f"Cannot pass options when removing parameter groups: {value}"
            )
        return ident[len(NO_PREFIX) :], False
    # "-1:..." is a negative index (e.g. --disk -1:add), not a reset.
    if (
        parse_prefixes
        and ident.startswith(UN_PREFIX)
        and (len(ident) <= len(UN_PREFIX) or not ident[len(UN_PREFIX)].isdigit())
    ):
        if rest:
            raise errors.ParameterError(
                f"Cannot pass options when removing parameter groups: {value}"
            )
        return ident[len(UN_PREFIX) :], None
    return ident, split_key_val(opt, rest, parse_prefixes)


def parse_bool(value: str) -> bool:
    """yes/no/true/false (any case) to a bool."""
    low = value.lower()
    if low in (VALUE_FALSE, "no"):
        return False
    if low in (VALUE_TRUE, "yes"):
        return True
    raise errors.ParameterError(f"Invalid boolean value '{value}'")


def parse_list(value: str) -> list[str]:
    """A comma separated list (escapes honoured); the empty string is the empty list."""
    return unescape_and_split(value) if value else []


def parse_timespec(value: str) -> int:
    """Seconds from "30", "30s", "5m", "2h", "1d" or "1w"."""
    text = str(value)
    if not text:
        raise errors.OpPrereqError("Empty time specification passed", errors.ECODE_INVAL)
    multiplier = _TIMESPEC_SUFFIXES.get(text[-1])
    if multiplier is None:
        number, multiplier = text, 1
    else:
        number = text[:-1]
        if not number:
            raise errors.OpPrereqError(
                "Invalid time specification (only suffix passed)", errors.ECODE_INVAL
            )
    try:
        return int(number) * multiplier
    except ValueError:
        raise errors.OpPrereqError(
            f"Invalid time specification '{text}'", errors.ECODE_INVAL
        ) from None


def parse_fields(selected: str | None, default: list[str]) -> list[str]:
    """The -o value: None keeps the defaults, "+a,b" appends to them."""
    if selected is None:
        return list(default)
    if selected.startswith("+"):
        return list(default) + selected[1:].split(",")
    return selected.split(",")


def split_node_option(value: str | None) -> tuple[str | None, str | None]:
    """ "pnode[:snode]" into (pnode, snode)."""
    if value and ":" in value:
        pnode, snode = value.split(":", 1)
        return pnode, snode
    return value, None


def os_names(name: str, variants: list[str] | None) -> list[str]:
    """Every name an OS answers to: "name+variant" per variant, else the bare name."""
    if variants:
        return [f"{name}+{v}" for v in variants]
    return [name]


def parse_indexed_items(opt: str, items: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """--disk/--net "N:key=val" values into a list indexed by N (gaps stay {})."""
    try:
        count = max(int(idx) + 1 for idx, _ in items)
        indexed = [(int(idx), params) for idx, params in items]
    except ValueError as err:
        raise errors.OpPrereqError(
            f"Invalid {opt} index passed: {err}", errors.ECODE_INVAL
        ) from None
    if any(idx < 0 for idx, _ in indexed):
        raise errors.OpPrereqError(
            f"Invalid {opt} index passed: negative index", errors.ECODE_INVAL
        )
    result: list[dict[str, Any]] = [{} for _ in range(count)]
    for idx, params in indexed:
        if not isinstance(params, dict):
            raise errors.OpPrereqError(
                f"Invalid {opt}/{idx} value: expected dict, got {params}", errors.ECODE_INVAL
            )
        result[idx] = params
    return result

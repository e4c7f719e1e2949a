"""Client-side typing of -B parameter dicts, as Ganeti's CLI does (utils.ForceDictType).

Values arrive from the command line as text; sizes ("1G") become MiB, integers and
booleans are converted, and unknown keys or bad values are refused before any job is
submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyganeti import errors
from pyganeti.cli import units

VTYPE_STRING = "string"
VTYPE_BOOL = "bool"
VTYPE_SIZE = "size"
VTYPE_INT = "int"

# Ganeti's BES_PARAMETER_COMPAT: the backend parameters plus the legacy "memory".
BES_PARAMETER_COMPAT: dict[str, str] = {
    "always_failover": VTYPE_BOOL,
    "auto_balance": VTYPE_BOOL,
    "maxmem": VTYPE_SIZE,
    "memory": VTYPE_SIZE,
    "minmem": VTYPE_SIZE,
    "spindle_use": VTYPE_INT,
    "vcpus": VTYPE_INT,
}


def _convert(key: str, value: Any, ktype: str) -> Any:
    if ktype == VTYPE_STRING:
        if isinstance(value, str):
            return value
        if value is False:
            return ""
        raise errors.TypeEnforcementError(f"'{key}' (value {value}) is not a valid string")
    if ktype == VTYPE_BOOL:
        if isinstance(value, str) and value:
            if value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise errors.TypeEnforcementError(f"'{key}' (value {value}) is not a valid boolean")
        return bool(value)
    if ktype == VTYPE_SIZE:
        try:
            return units.parse_unit(str(value))
        except errors.UnitParseError as err:
            raise errors.TypeEnforcementError(
                f"'{key}' (value {value}) is not a valid size. error: {err}"
            ) from None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise errors.TypeEnforcementError(
            f"'{key}' (value {value}) is not a valid integer"
        ) from None


def force_dict_type(
    values: dict[str, Any], key_types: dict[str, str], allowed: Iterable[Any] = ()
) -> dict[str, Any]:
    """A copy of `values` with each value converted to its key's type.

    Values in `allowed` (e.g. "default" for gnt-instance modify) pass unchanged.
    Raises errors.TypeEnforcementError naming the unknown key or the bad value.
    """
    passthrough = list(allowed)
    result: dict[str, Any] = {}
    for key, value in values.items():
        if key not in key_types:
            raise errors.TypeEnforcementError(f"Unknown parameter '{key}'")
        result[key] = value if value in passthrough else _convert(key, value, key_types[key])
    return result

"""Storage sizes on the command line: Ganeti's ParseUnit and FormatUnit (values in MiB)."""

from __future__ import annotations

import math
import re

from pyganeti import errors

_UNIT_RE = re.compile(r"^([.\d]+)\s*([a-zA-Z]+)?$")
_SCALE = {
    "m": 1,
    "mb": 1,
    "mib": 1,
    "g": 1024,
    "gb": 1024,
    "gib": 1024,
    "t": 1024 * 1024,
    "tb": 1024 * 1024,
    "tib": 1024 * 1024,
}
UNITS = frozenset("hmgt")


def parse_unit(text: str) -> int:
    """Size text ("512", "1.5G", "2 TiB") as MiB, rounded up to a multiple of 4 MiB.

    A bare number is MiB; suffixes are case-insensitive. Raises errors.UnitParseError
    naming the offending text.
    """
    match = _UNIT_RE.match(str(text))
    if match is None:
        raise errors.UnitParseError(f"Invalid format for size {text!r}")
    number, unit = match.groups()
    try:
        value = float(number)
    except ValueError:
        raise errors.UnitParseError(f"Invalid number in size {text!r}") from None
    scale = _SCALE.get((unit or "m").lower())
    if scale is None:
        raise errors.UnitParseError(f"Unknown unit {unit!r} in size {text!r}")
    mib = math.ceil(value * scale)
    # Ganeti allocates in 4 MiB extents, so sizes round up to the next multiple of 4.
    return mib + (-mib % 4)


def format_unit(value_mib: float, units: str) -> str:
    """MiB as text in `units`: "h" picks M/G/T with a suffix; "m", "g", "t" are bare numbers."""
    if units not in UNITS:
        raise errors.ProgrammerError(f"Invalid unit specified '{units}'")
    if isinstance(value_mib, bool) or not isinstance(value_mib, (int, float)):
        raise errors.ProgrammerError(f"Invalid value specified '{value_mib!r}'")
    human = units == "h"
    if units == "m" or (human and value_mib < 1024):
        return f"{value_mib:.0f}" + ("M" if human else "")
    if units == "g" or (human and value_mib < 1024 * 1024):
        return f"{value_mib / 1024:.1f}" + ("G" if human else "")
    return f"{value_mib / 1024 / 1024:.1f}" + ("T" if human else "")

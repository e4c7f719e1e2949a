"""Ganeti's "nice" sort: names ordered by digit and non-digit runs ("inst2" before "inst10")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

# Ganeti compares the first eight runs separately and the rest of the string as a whole.
_GROUPS = 8
_SPLIT_RE = re.compile("^" + _GROUPS * r"(\D+|\d+)?" + "(.*)$", re.DOTALL)


def _atom(part: str | None) -> tuple[int, Any]:
    # Rank keeps mixed types comparable: missing < number < text, as Ganeti orders them.
    if part is None or part == "":
        return (0, 0)
    if part.isdecimal():
        return (1, int(part))
    return (2, part)


def nice_sort_key(value: object) -> tuple[tuple[int, Any], ...]:
    """Sort key splitting `value` (as text) into digit and non-digit runs."""
    match = _SPLIT_RE.match(str(value))
    assert match is not None  # the pattern matches any string
    return tuple(_atom(part) for part in match.groups())


def nice_sort(values: Iterable[T], key: Callable[[T], object] | None = None) -> list[T]:
    """`values` sorted with nice_sort_key (optionally on key(value))."""
    if key is None:
        return sorted(values, key=nice_sort_key)
    keyfn = key
    return sorted(values, key=lambda item: nice_sort_key(keyfn(item)))

"""Lock levels, modes and lock names, spelled as Ganeti 3.0 spells them.

A lock is named "<level>/<name>" ("instance/inst1.example.com", "cluster/BGL"); the
lock standing for a whole level is "<level>/[lockset]".
"""

from __future__ import annotations

import enum
from typing import Final

from pyganeti import errors

#: The only lock of the cluster level: the Big Ganeti Lock.
BGL: Final = "BGL"

#: Name of the lock that stands for a whole level (Ganeti's LOCKSET_NAME).
LOCKSET_NAME: Final = "[lockset]"


class Level(enum.StrEnum):
    """Lock levels; definition order is the acquisition order (Ganeti's LEVELS)."""

    CLUSTER = "cluster"
    INSTANCE = "instance"
    NODEGROUP = "nodegroup"
    NODE = "node"
    NODE_RES = "node-res"
    NETWORK = "network"

    @property
    def order(self) -> int:
        """Position in the acquisition order (0 is acquired first)."""
        return _LEVEL_INDEX[self]


_LEVEL_INDEX: Final = {level: i for i, level in enumerate(Level)}


class Mode(enum.StrEnum):
    """How a lock is held, with Ganeti's texts for lock queries."""

    SHARED = "shared"
    EXCLUSIVE = "exclusive"


class AllSet(enum.Enum):
    """Type of ALL: a request for the whole level (Ganeti's ALL_SET)."""

    ALL = "all"


#: The whole level, including names that appear after the request was granted.
ALL: Final = AllSet.ALL


def to_level(value: str) -> Level:
    """The Level called `value`; LockError naming the bad value otherwise."""
    try:
        return Level(value)
    except ValueError:
        known = ", ".join(level.value for level in Level)
        raise errors.LockError(f"Unknown lock level {value!r} (known: {known})") from None


def lock_name(level: Level, name: str) -> str:
    """The full lock name Ganeti shows, e.g. "instance/inst1"."""
    return f"{level.value}/{name}"


def parse_lock_name(full_name: str) -> tuple[Level, str]:
    """Split a full lock name ("node/uuid") into its level and name."""
    level_text, sep, name = full_name.partition("/")
    if not sep or not name:
        raise errors.LockError(f"Malformed lock name {full_name!r}: expected '<level>/<name>'")
    return to_level(level_text), name

"""Validation of lock requests: names, owner, pid, priority, timeout and lock order.

Every check raises errors.LockError naming what was wrong, before anything changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

from pyganeti import errors
from pyganeti.locking.levels import ALL, BGL, LOCKSET_NAME, AllSet, Level
from pyganeti.locking.lockstate import OwnerState

#: Job priorities as Ganeti numbers them: lower is more urgent.
PRIORITY_HIGHEST: Final = -20
PRIORITY_LOWEST: Final = 19
PRIORITY_DEFAULT: Final = 0


def normalize_names(level: Level, names: Iterable[str] | AllSet) -> tuple[str, ...] | AllSet:
    """The sorted unique names of a request, or ALL."""
    if isinstance(names, AllSet):
        # The cluster level has only the BGL, so all of it is exactly the BGL.
        return (BGL,) if level is Level.CLUSTER else ALL
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise errors.LockError(f"Lock names must be a list of names or ALL, not {names!r}")
    unique = set()
    for name in names:
        if not isinstance(name, str) or not name:
            raise errors.LockError(f"Invalid lock name {name!r} at level {level.value}")
        if name == LOCKSET_NAME:
            raise errors.LockError(f"{LOCKSET_NAME!r} is not a lock name; request ALL instead")
        if level is Level.CLUSTER and name != BGL:
            raise errors.LockError(f"The cluster level has only the lock {BGL!r}, not {name!r}")
        unique.add(name)
    return tuple(sorted(unique))


def check_request(owner: str, pid: int, priority: int, timeout: float | None) -> None:
    """Reject a bad owner, pid, priority or timeout."""
    if not isinstance(owner, str) or not owner:
        raise errors.LockError(f"Invalid lock owner {owner!r}")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        raise errors.LockError(f"Invalid pid {pid!r} for lock owner {owner}")
    if not isinstance(priority, int) or not PRIORITY_HIGHEST <= priority <= PRIORITY_LOWEST:
        raise errors.LockError(
            f"Invalid priority {priority!r}: must be {PRIORITY_HIGHEST}..{PRIORITY_LOWEST}"
        )
    if timeout is not None and not (isinstance(timeout, int | float) and 0 <= timeout < math.inf):
        raise errors.LockError(f"Invalid lock timeout {timeout!r}: must be None or >= 0")


def check_order(rec: OwnerState, level: Level) -> None:
    """Reject a second pending request, or a level not above every level held."""
    if rec.pending is not None:
        raise errors.LockError(f"{rec.name} already waits for {rec.pending.describe()}")
    higher = [lv.value for lv in Level if lv in rec.held and lv.order >= level.order]
    if higher:
        raise errors.LockError(
            f"Lock order violation: {rec.name} requests level {level.value} while holding"
            f" level(s) {', '.join(higher)}; levels must be acquired in the order"
            f" {', '.join(lv.value for lv in Level)}"
        )

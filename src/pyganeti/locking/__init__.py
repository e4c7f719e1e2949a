"""Ganeti's lock manager: shared/exclusive locks by level, granted in whole sets.

Used by ganeti-wconfd on its event loop; jobs reach it through wconfd's socket.
"""

from pyganeti.locking.levels import (
    ALL,
    BGL,
    LOCKSET_NAME,
    AllSet,
    Level,
    Mode,
    lock_name,
    parse_lock_name,
    to_level,
)
from pyganeti.locking.manager import LockManager, LockTimeoutError, pid_exists
from pyganeti.locking.validation import PRIORITY_DEFAULT, PRIORITY_HIGHEST, PRIORITY_LOWEST

__all__ = [
    "ALL",
    "BGL",
    "LOCKSET_NAME",
    "PRIORITY_DEFAULT",
    "PRIORITY_HIGHEST",
    "PRIORITY_LOWEST",
    "AllSet",
    "Level",
    "LockManager",
    "LockTimeoutError",
    "Mode",
    "lock_name",
    "parse_lock_name",
    "pid_exists",
    "to_level",
]

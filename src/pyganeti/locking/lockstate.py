"""One lock's state (holders and a priority-ordered wait queue) and the grant-mode table.

Internal to the lock manager: named locks are held SHARED or EXCLUSIVE, the level lock
"[lockset]" additionally in the intention modes INTENT_SHARED / INTENT_EXCLUSIVE.
"""

from __future__ import annotations

import asyncio
import bisect
import enum
from dataclasses import dataclass, field
from typing import Final

from pyganeti.locking.levels import LOCKSET_NAME, AllSet, Level, Mode, lock_name


class Grant(enum.IntEnum):
    """Modes a lock can be held in (multiple-granularity locking, Gray et al.)."""

    INTENT_SHARED = 0  # level lock, held by owners of shared named locks
    INTENT_EXCLUSIVE = 1  # level lock, held by owners of an exclusive named lock
    SHARED = 2
    EXCLUSIVE = 3


_IS, _IX, _S, _X = (1 << g for g in Grant)

#: Bit set of the grant modes that conflict with each grant mode. Intentions are
#: compatible with each other; an intention conflicts with the whole-level mode it
#: could contradict; SHARED is compatible with SHARED; EXCLUSIVE with nothing.
CONFLICTS: Final[tuple[int, ...]] = (
    _X,  # INTENT_SHARED
    _S | _X,  # INTENT_EXCLUSIVE
    _IX | _X,  # SHARED
    _IS | _IX | _S | _X,  # EXCLUSIVE
)

EXCLUSIVE_BIT: Final = _X

#: The grant mode a named lock gets for a request mode.
NAMED_GRANT: Final = {Mode.SHARED: Grant.SHARED, Mode.EXCLUSIVE: Grant.EXCLUSIVE}
#: The grant mode the level lock gets for a named request in a request mode.
INTENT_GRANT: Final = {Mode.SHARED: Grant.INTENT_SHARED, Mode.EXCLUSIVE: Grant.INTENT_EXCLUSIVE}
#: The request mode a SHARED or EXCLUSIVE grant stands for (intentions have none).
GRANT_MODE: Final = {Grant.SHARED: Mode.SHARED, Grant.EXCLUSIVE: Mode.EXCLUSIVE}


class WaiterState(enum.Enum):
    PENDING = "pending"
    GRANTED = "granted"
    FAILED = "failed"


@dataclass(eq=False)
class Waiter:
    """One acquire request: what it wants and where it stands."""

    owner: str
    level: Level
    names: tuple[str, ...] | AllSet
    mode: Mode
    priority: int
    seq: int
    wants: list[tuple[LockState, Grant]]
    future: asyncio.Future[None] | None = None
    timer: asyncio.TimerHandle | None = None
    queued: bool = False
    state: WaiterState = WaiterState.PENDING

    @property
    def key(self) -> tuple[int, int]:
        """Queue order: lower priority number first, then arrival."""
        return (self.priority, self.seq)

    def granted_names(self) -> list[str]:
        """What acquire returns: the names, or [LOCKSET_NAME] for a whole level."""
        return [LOCKSET_NAME] if isinstance(self.names, AllSet) else list(self.names)

    def describe(self) -> str:
        """For error messages: "exclusive lock(s) node/a, node/b for job:2"."""
        if isinstance(self.names, AllSet):
            what = lock_name(self.level, LOCKSET_NAME)
        else:
            what = ", ".join(lock_name(self.level, n) for n in self.names)
        return f"{self.mode.value} lock(s) {what} for {self.owner}"


@dataclass(eq=False)
class OwnerState:
    """What one owner holds and waits for; forgotten when it holds and awaits nothing."""

    name: str
    pid: int
    held: dict[Level, dict[str, Mode]] = field(default_factory=dict)
    pending: Waiter | None = None


# Locks whose holders or queue shrank, each with the bit set of grant modes that may
# have become grantable there: exactly the modes conflicting with what left (CONFLICTS
# is symmetric), so a re-examination can skip the queue entries nothing changed for.
Freed = list[tuple["LockState", int]]

# A queue entry: (priority, seq, grant, waiter); (priority, seq) is unique, so tuple
# comparison never reaches the waiter.
QueueEntry = tuple[int, int, Grant, Waiter]


def _entry_key(entry: QueueEntry) -> tuple[int, int]:
    return (entry[0], entry[1])


@dataclass(eq=False)
class LockState:
    """Holders and waiters of one lock; counts make conflict checks O(1)."""

    level: Level
    name: str
    holders: dict[str, Grant] = field(default_factory=dict)
    held: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    queue: list[QueueEntry] = field(default_factory=list)
    queued: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    @property
    def held_bits(self) -> int:
        h = self.held
        return (h[0] > 0) | (h[1] > 0) << 1 | (h[2] > 0) << 2 | (h[3] > 0) << 3

    @property
    def queued_bits(self) -> int:
        q = self.queued
        return (q[0] > 0) | (q[1] > 0) << 1 | (q[2] > 0) << 2 | (q[3] > 0) << 3

    def is_idle(self) -> bool:
        return not self.holders and not self.queue

    def add_holder(self, owner: str, grant: Grant) -> Grant | None:
        """Make `owner` hold the lock in `grant`; return how it held it before."""
        old = self.holders.get(owner)
        if old is not None:
            self.held[old] -= 1
        self.holders[owner] = grant
        self.held[grant] += 1
        return old

    def remove_holder(self, owner: str) -> Grant:
        grant = self.holders.pop(owner)
        self.held[grant] -= 1
        return grant

    def blocked(self, grant: Grant, key: tuple[int, int]) -> bool:
        """Whether a request for `grant` ordered at `key` must wait on this lock.

        It waits if it conflicts with a holder, or with a waiter queued ahead of it:
        the latter is what keeps a waiting exclusive request from being starved.
        """
        conflicts = CONFLICTS[grant]
        if self.held_bits & conflicts:
            return True
        if not self.queued_bits & conflicts:
            return False
        for prio, seq, other, _ in self.queue:
            if (prio, seq) >= key:
                return False
            if (1 << other) & conflicts:
                return True
        return False

    def enqueue(self, waiter: Waiter, grant: Grant) -> None:
        bisect.insort(self.queue, (waiter.priority, waiter.seq, grant, waiter), key=_entry_key)
        self.queued[grant] += 1

    def dequeue(self, waiter: Waiter) -> Grant:
        i = bisect.bisect_left(self.queue, waiter.key, key=_entry_key)
        entry = self.queue.pop(i)
        assert entry[3] is waiter, "lock queue out of order"
        self.queued[entry[2]] -= 1
        return entry[2]

"""Consistency checks over the whole lock manager state, for tests and debugging.

They restate the invariants of README.md (holders never conflict, counts and queues
match, the level lock mirrors each owner's holdings, no waiter is left grantable).
"""

from __future__ import annotations

from typing import NoReturn

from pyganeti import errors
from pyganeti.locking.levels import LOCKSET_NAME, Level, Mode, lock_name
from pyganeti.locking.lockstate import (
    CONFLICTS,
    INTENT_GRANT,
    NAMED_GRANT,
    LockState,
    OwnerState,
    WaiterState,
)


def check_state(
    locks: dict[tuple[Level, str], LockState],
    level_locks: dict[Level, LockState],
    owners: dict[str, OwnerState],
) -> None:
    """Raise ProgrammerError on the first broken invariant; O(all locks and owners)."""
    for (level, name), lock in locks.items():
        _check_lock(level, name, lock, owners)
    for rec in owners.values():
        if not rec.held and rec.pending is None:
            raise errors.ProgrammerError(f"Idle owner {rec.name} not forgotten")
        waiter = rec.pending
        if (
            waiter is not None
            and not (waiter.future is not None and waiter.future.cancelled())
            and not any(lock.blocked(grant, waiter.key) for lock, grant in waiter.wants)
        ):
            raise errors.ProgrammerError(f"{waiter.describe()} waits but could be granted")
        for level, held in rec.held.items():
            _check_held(rec.name, level, held, level_locks[level], locks)


def _check_lock(level: Level, name: str, lock: LockState, owners: dict[str, OwnerState]) -> None:
    def fail(what: str) -> NoReturn:
        raise errors.ProgrammerError(f"Lock {lock_name(level, name)}: {what}")

    counts = [0, 0, 0, 0]
    for owner, grant in lock.holders.items():
        counts[grant] += 1
        if owner not in owners or level not in owners[owner].held:
            fail(f"holder {owner} does not record it")
    if counts != lock.held:
        fail(f"holder counts {lock.held} != {counts}")
    for owner, grant in lock.holders.items():
        others = [g for o, g in lock.holders.items() if o != owner]
        if any((1 << g) & CONFLICTS[grant] for g in others):
            fail(f"{owner} holds {grant.name} alongside conflicting holders {others}")
    if lock.queue != sorted(lock.queue, key=lambda e: (e[0], e[1])):
        fail("queue out of order")
    queued = [0, 0, 0, 0]
    for _, _, grant, waiter in lock.queue:
        queued[grant] += 1
        rec = owners.get(waiter.owner)
        if waiter.state is not WaiterState.PENDING or rec is None or rec.pending is not waiter:
            fail(f"stale queue entry for {waiter.owner}")
    if queued != lock.queued:
        fail(f"queued counts {lock.queued} != {queued}")
    if name != LOCKSET_NAME and lock.is_idle():
        fail("idle named lock not dropped")


def _check_held(
    owner: str,
    level: Level,
    held: dict[str, Mode],
    level_lock: LockState,
    locks: dict[tuple[Level, str], LockState],
) -> None:
    if LOCKSET_NAME in held:
        expected = NAMED_GRANT[held[LOCKSET_NAME]]
    else:
        if len(set(held.values())) > 1:
            raise errors.ProgrammerError(f"{owner} holds level {level.value} in mixed modes")
        for name, mode in held.items():
            lock = locks.get((level, name))
            if lock is None or lock.holders.get(owner) is not NAMED_GRANT[mode]:
                raise errors.ProgrammerError(f"{owner} records {lock_name(level, name)} wrongly")
        exclusive = any(m is Mode.EXCLUSIVE for m in held.values())
        expected = INTENT_GRANT[Mode.EXCLUSIVE if exclusive else Mode.SHARED]
    if level_lock.holders.get(owner) is not expected:
        raise errors.ProgrammerError(f"{owner} holds level {level.value} in the wrong mode")

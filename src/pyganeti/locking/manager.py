"""The lock manager of ganeti-wconfd: atomic acquisition of lock sets by level, fair queues.

Runs on one asyncio event loop. Every method but `acquire` is synchronous and never
awaits, so each state change is atomic with respect to the loop. See README.md here for
the invariants (level locks, lock order, queue order) and why they exclude deadlock.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable, Iterable
from typing import Any

from pyganeti import errors
from pyganeti.locking.invariants import check_state
from pyganeti.locking.levels import LOCKSET_NAME, AllSet, Level, Mode, lock_name, to_level
from pyganeti.locking.lockstate import (
    CONFLICTS,
    EXCLUSIVE_BIT,
    GRANT_MODE,
    INTENT_GRANT,
    NAMED_GRANT,
    Freed,
    Grant,
    LockState,
    OwnerState,
    Waiter,
    WaiterState,
)
from pyganeti.locking.validation import (
    PRIORITY_DEFAULT,
    check_order,
    check_request,
    normalize_names,
)


class LockTimeoutError(errors.LockError):
    """An acquire ran out of time; nothing of that request is held."""


def pid_exists(pid: int) -> bool:
    """Whether a process `pid` exists (a zombie still does until its parent reaps it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, but belongs to another user
    return True


class LockManager:
    """Shared/exclusive locks at Ganeti's levels, granted whole sets at a time.

    An owner ("job:42") acquires levels in Level order, each level at most once while
    it holds it: that order, together with one global queue order, rules out deadlock.
    """

    def __init__(self, *, pid_alive: Callable[[int], bool] = pid_exists) -> None:
        self._pid_alive = pid_alive
        self._level_locks: dict[Level, LockState] = {
            lv: LockState(lv, LOCKSET_NAME) for lv in Level
        }
        # Named locks exist only while held or awaited; level locks always.
        self._locks: dict[tuple[Level, str], LockState] = {
            (lv, LOCKSET_NAME): lock for lv, lock in self._level_locks.items()
        }
        self._owners: dict[str, OwnerState] = {}
        self._seq = itertools.count()

    # ----------------------------------------------------------------- acquiring

    async def acquire(
        self,
        owner: str,
        pid: int,
        level: Level,
        names: Iterable[str] | AllSet,
        shared: bool,
        timeout: float | None,
        priority: int = PRIORITY_DEFAULT,
    ) -> list[str]:
        """Acquire all `names` at `level` (or ALL of it) at once; return the names held.

        ALL yields [LOCKSET_NAME] (at the cluster level: [BGL]). `timeout` None waits
        forever, 0 only tries. On timeout LockTimeoutError is raised; on timeout, error
        or cancellation nothing of this request is held and it has left every queue.
        """
        level = to_level(level)
        wanted = normalize_names(level, names)
        if not wanted:
            return []  # re-requesting nothing is always allowed
        check_request(owner, pid, priority, timeout)
        mode = Mode.SHARED if shared else Mode.EXCLUSIVE
        rec = self._owners.get(owner)
        if rec is not None:
            check_order(rec, level)
        waiter = Waiter(owner, level, wanted, mode, priority, next(self._seq), [])
        waiter.wants = self._wants(level, wanted, mode)
        if not any(lock.blocked(grant, waiter.key) for lock, grant in waiter.wants):
            self._grant(self._owner_record(owner, pid), waiter)
            return waiter.granted_names()
        if timeout == 0:
            self._drop_idle(lock for lock, _ in waiter.wants)
            raise LockTimeoutError(f"Could not acquire {waiter.describe()} without waiting")
        return await self._wait(self._owner_record(owner, pid), waiter, timeout)

    def acquire_available(
        self,
        owner: str,
        pid: int,
        level: Level,
        names: Iterable[str],
        shared: bool,
        minimum: int = 1,
        priority: int = PRIORITY_DEFAULT,
    ) -> list[str]:
        """Take those of `names` that are free now, if at least `minimum` are; never wait.

        Ganeti's opportunistic locking (GuardedOpportunisticLockUnion): returns the names
        granted, or [] having taken nothing. A name is free if no holder and no request
        queued ahead of this one conflicts, so it cannot overtake a waiting request.
        """
        level = to_level(level)
        wanted = normalize_names(level, names)
        if isinstance(wanted, AllSet):
            raise errors.LockError("Opportunistic locking needs lock names, not ALL")
        if not wanted:
            return []
        check_request(owner, pid, priority, None)
        if not isinstance(minimum, int) or minimum < 1:
            raise errors.LockError(f"Invalid minimum {minimum!r}: must be at least 1")
        rec = self._owners.get(owner)
        if rec is not None:
            check_order(rec, level)
        mode = Mode.SHARED if shared else Mode.EXCLUSIVE
        key = (priority, next(self._seq))
        if self._level_locks[level].blocked(INTENT_GRANT[mode], key):
            return []
        grant = NAMED_GRANT[mode]
        available = tuple(
            name
            for name in wanted
            if (lock := self._locks.get((level, name))) is None or not lock.blocked(grant, key)
        )
        if len(available) < minimum:
            return []
        waiter = Waiter(owner, level, available, mode, priority, key[1], [])
        waiter.wants = self._wants(level, available, mode)
        self._grant(self._owner_record(owner, pid), waiter)
        return list(available)

    async def _wait(self, rec: OwnerState, waiter: Waiter, timeout: float | None) -> list[str]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        waiter.future = future
        waiter.queued = True
        rec.pending = waiter
        for lock, grant in waiter.wants:
            lock.enqueue(waiter, grant)
        if timeout is not None:
            waiter.timer = loop.call_later(timeout, self._expire, waiter, timeout)
        try:
            await future
        except asyncio.CancelledError:
            # The caller went away: leave no hold and no queue entry behind.
            if waiter.state is WaiterState.PENDING:
                self._wake(self._withdraw(waiter))
            elif waiter.state is WaiterState.GRANTED:
                # Unless something (release_all, a dead-owner sweep) freed it already.
                current = self._owners.get(waiter.owner)
                if current is not None and waiter.level in current.held:
                    self._wake(self._release_level(current, waiter.level))
                    self._forget_if_idle(current)
            elif not future.cancelled():
                future.exception()  # failed meanwhile: mark the error as seen
            raise
        return waiter.granted_names()

    def _wants(
        self, level: Level, wanted: tuple[str, ...] | AllSet, mode: Mode
    ) -> list[tuple[LockState, Grant]]:
        level_lock = self._level_locks[level]
        if isinstance(wanted, AllSet):
            return [(level_lock, NAMED_GRANT[mode])]
        wants = [(level_lock, INTENT_GRANT[mode])]
        grant = NAMED_GRANT[mode]
        locks = self._locks
        for name in wanted:
            lock = locks.get((level, name))
            if lock is None:
                lock = locks[(level, name)] = LockState(level, name)
            wants.append((lock, grant))
        return wants

    def _owner_record(self, owner: str, pid: int) -> OwnerState:
        rec = self._owners.get(owner)
        if rec is None:
            rec = self._owners[owner] = OwnerState(owner, pid)
        rec.pid = pid  # the latest process acting for this owner is the one to watch
        return rec

    def _grant(self, rec: OwnerState, waiter: Waiter) -> None:
        for lock, grant in waiter.wants:
            if waiter.queued:
                lock.dequeue(waiter)
            lock.add_holder(waiter.owner, grant)
        if isinstance(waiter.names, AllSet):
            rec.held[waiter.level] = {LOCKSET_NAME: waiter.mode}
        else:
            rec.held[waiter.level] = dict.fromkeys(waiter.names, waiter.mode)
        if rec.pending is waiter:
            rec.pending = None
        waiter.state = WaiterState.GRANTED
        if waiter.timer is not None:
            waiter.timer.cancel()
        if waiter.future is not None and not waiter.future.done():
            waiter.future.set_result(None)

    def _withdraw(self, waiter: Waiter) -> Freed:
        """Take a pending request out of every queue."""
        waiter.state = WaiterState.FAILED
        if waiter.timer is not None:
            waiter.timer.cancel()
        freed = [(lock, CONFLICTS[lock.dequeue(waiter)]) for lock, _ in waiter.wants]
        rec = self._owners.get(waiter.owner)
        if rec is not None and rec.pending is waiter:
            rec.pending = None
            self._forget_if_idle(rec)
        return freed

    def _fail(self, waiter: Waiter, err: errors.LockError) -> Freed:
        freed = self._withdraw(waiter)
        if waiter.future is not None and not waiter.future.done():
            waiter.future.set_exception(err)
        return freed

    def _expire(self, waiter: Waiter, timeout: float) -> None:
        if waiter.state is WaiterState.PENDING:
            err = LockTimeoutError(f"Could not acquire {waiter.describe()} within {timeout:g}s")
            self._wake(self._fail(waiter, err))

    def _wake(self, freed: Freed) -> None:
        """Grant, in queue order, what the `freed` changes have made grantable."""
        work: dict[LockState, int] = {}
        _merge(work, freed)
        while work:
            lock, modes = next(iter(work.items()))
            del work[lock]
            if lock.queued_bits & modes:
                self._scan(lock, modes, work)
            self._drop_idle((lock,))

    def _scan(self, lock: LockState, modes: int, work: dict[LockState, int]) -> None:
        """Grant what may go among the queued requests for `modes` on `lock`.

        A request is checked in full only if its mode here is in `modes`: for any other
        nothing changed here, and a change elsewhere brings that lock to a scan itself.
        """
        ahead = 0  # grant modes of requests still waiting ahead in this queue
        for _, _, grant, waiter in list(lock.queue):
            if (ahead | lock.held_bits) & EXCLUSIVE_BIT:
                return  # nothing behind an exclusive holder or waiter can go
            if waiter.state is not WaiterState.PENDING:
                continue
            if not modes & (1 << grant):
                ahead |= 1 << grant
                continue
            if waiter.future is not None and waiter.future.cancelled():
                # Its task is being cancelled; its handler would withdraw it anyway.
                _merge(work, self._withdraw(waiter))
                continue
            conflicts = CONFLICTS[grant]
            if not (ahead | lock.held_bits) & conflicts and not any(
                other.blocked(g, waiter.key) for other, g in waiter.wants if other is not lock
            ):
                # A grant frees nobody: the waiter now holds what it queued for.
                self._grant(self._owners[waiter.owner], waiter)
            else:
                ahead |= 1 << grant

    def _drop_idle(self, locks: Iterable[LockState]) -> None:
        for lock in locks:
            if lock.name != LOCKSET_NAME and lock.is_idle():
                self._locks.pop((lock.level, lock.name), None)

    # ----------------------------------------------------------------- releasing

    def release(
        self, owner: str, level: Level | None = None, names: Iterable[str] | None = None
    ) -> None:
        """Release `names` at `level`, the whole `level`, or (level None) everything.

        Releasing a level or everything is idempotent; naming a lock the owner does not
        hold is an error and releases nothing.
        """
        if level is None:
            if names is not None:
                raise errors.LockError("Cannot release lock names without a level")
            self.release_all(owner)
            return
        level = to_level(level)
        rec = self._owners.get(owner)
        held = rec.held.get(level) if rec is not None else None
        if names is None:
            if rec is not None and held:
                self._wake(self._release_level(rec, level))
                self._forget_if_idle(rec)
            return
        if isinstance(names, str):
            raise errors.LockError(f"Lock names must be a list, not the string {names!r}")
        wanted = set(names)
        if not wanted:
            return
        missing = sorted(wanted - held.keys()) if held else sorted(wanted)
        if missing:
            hint = " (it holds the whole level)" if held and LOCKSET_NAME in held else ""
            shown = ", ".join(lock_name(level, n) for n in missing)
            raise errors.LockError(f"{owner} cannot release {shown}: not held{hint}")
        assert rec is not None and held is not None
        if wanted == held.keys():
            self._wake(self._release_level(rec, level))
            self._forget_if_idle(rec)
            return
        # The level lock keeps its intention mode: all names an owner holds at a level
        # share one mode (one request per level; downgrade turns them all shared).
        freed = []
        for name in wanted:
            lock = self._locks[(level, name)]
            freed.append((lock, CONFLICTS[lock.remove_holder(owner)]))
            del held[name]
        self._wake(freed)

    def release_all(self, owner: str) -> None:
        """Release everything `owner` holds and fail its pending request, if any."""
        rec = self._owners.get(owner)
        if rec is None:
            return
        freed: Freed = []
        if rec.pending is not None:
            err = errors.LockError(f"All locks of {owner} were released while it waited")
            freed += self._fail(rec.pending, err)
        for level in list(rec.held):
            freed += self._release_level(rec, level)
        self._owners.pop(owner, None)
        self._wake(freed)

    def _release_level(self, rec: OwnerState, level: Level) -> Freed:
        held = rec.held.pop(level)
        level_lock = self._level_locks[level]
        freed = [(level_lock, CONFLICTS[level_lock.remove_holder(rec.name)])]
        if LOCKSET_NAME not in held:
            for name in held:
                lock = self._locks[(level, name)]
                freed.append((lock, CONFLICTS[lock.remove_holder(rec.name)]))
        return freed

    def _forget_if_idle(self, rec: OwnerState) -> None:
        if not rec.held and rec.pending is None:
            self._owners.pop(rec.name, None)

    def downgrade(self, owner: str, level: Level) -> None:
        """Turn the exclusive locks `owner` holds at `level` into shared ones."""
        level = to_level(level)
        rec = self._owners.get(owner)
        held = rec.held.get(level) if rec is not None else None
        if not held:
            raise errors.LockError(f"{owner} holds no locks at level {level.value} to downgrade")
        level_lock = self._level_locks[level]
        freed = []
        for name, mode in held.items():
            if mode is Mode.EXCLUSIVE:
                held[name] = Mode.SHARED
                lock = level_lock if name == LOCKSET_NAME else self._locks[(level, name)]
                lock.add_holder(owner, Grant.SHARED)
                freed.append((lock, CONFLICTS[Grant.EXCLUSIVE]))
        if level_lock.holders[owner] is Grant.INTENT_EXCLUSIVE:
            level_lock.add_holder(owner, Grant.INTENT_SHARED)
            freed.append((level_lock, CONFLICTS[Grant.INTENT_EXCLUSIVE]))
        self._wake(freed)

    def release_dead_owners(self) -> list[str]:
        """Free the locks and fail the requests of owners whose process is gone."""
        dead = [rec for rec in self._owners.values() if not self._pid_alive(rec.pid)]
        for rec in dead:
            if rec.pending is not None:
                err = errors.LockError(f"Lock owner {rec.name} (pid {rec.pid}) no longer exists")
                self._wake(self._fail(rec.pending, err))
            self.release_all(rec.name)
        return sorted(rec.name for rec in dead)

    # ----------------------------------------------------------------- inspecting

    def owned(self, owner: str) -> dict[Level, dict[str, Mode]]:
        """What `owner` holds, by level; a whole level shows as {LOCKSET_NAME: mode}."""
        rec = self._owners.get(owner)
        if rec is None:
            return {}
        return {lv: dict(rec.held[lv]) for lv in Level if lv in rec.held}

    def owners(self) -> list[str]:
        """Owners that hold or await locks."""
        return sorted(self._owners)

    def snapshot(self) -> list[dict[str, Any]]:
        """Held or awaited locks with Ganeti's lock query fields, in lock order.

        name ("instance/inst1"), mode ("exclusive", "shared" or None), owner (sorted
        owners), pending ([[mode, [owner]], ...] in queue order). A level lock shows
        only whole-level holds and requests; named requests imply it silently.
        """
        rows = []
        for (level, name), lock in self._locks.items():
            holders = sorted(o for o, g in lock.holders.items() if g in GRANT_MODE)
            pending = [
                [GRANT_MODE[g].value, [w.owner]] for _, _, g, w in lock.queue if g in GRANT_MODE
            ]
            if not holders and not pending:
                continue
            if lock.held[Grant.EXCLUSIVE]:
                mode: str | None = Mode.EXCLUSIVE.value
            elif lock.held[Grant.SHARED]:
                mode = Mode.SHARED.value
            else:
                mode = None
            key = (level.order, name != LOCKSET_NAME, name)
            rows.append(
                (
                    key,
                    {
                        "name": lock_name(level, name),
                        "mode": mode,
                        "owner": holders,
                        "pending": pending,
                    },
                )
            )
        rows.sort(key=lambda row: row[0])
        return [row for _, row in rows]

    def check_invariants(self) -> None:
        """Verify the internal invariants (for tests and debugging); O(all locks)."""
        check_state(self._locks, self._level_locks, self._owners)


# --------------------------------------------------------------------- helpers


def _merge(work: dict[LockState, int], freed: Freed) -> None:
    for lock, modes in freed:
        work[lock] = work.get(lock, 0) | modes

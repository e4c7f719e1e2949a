"""Property: random owners taking random lock sets level by level never deadlock.

Every step of every interleaving must keep the lock invariants: never two exclusive
holders of a lock, never an exclusive holder beside a sharer, whole-level holds counted.
"""

import asyncio
import os
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyganeti.locking import (
    ALL,
    BGL,
    LOCKSET_NAME,
    AllSet,
    Level,
    LockManager,
    LockTimeoutError,
    Mode,
)

POOL = ["a", "b"]
LEVELS = [Level.CLUSTER, Level.INSTANCE, Level.NODE, Level.NODE_RES]
ACTIONS = ["keep", "keep", "downgrade", "release_one", "release_level"]

# level, names, shared, priority, timeout (or "opportunistic"), turns held, action
Step = tuple[Level, list[str] | AllSet, bool, int, float | str | None, int, str]
OwnerPlan = tuple[int, list[Step]]  # loop turns before starting, steps

names_st = st.one_of(st.just(ALL), st.lists(st.sampled_from(POOL), max_size=3))
step_st = st.tuples(
    st.sampled_from(LEVELS),
    names_st,
    st.booleans(),  # shared
    st.integers(-2, 2),  # priority
    st.sampled_from([None, None, None, 0, "opportunistic"]),  # wait, try, take what's free
    st.integers(1, 8),  # loop turns to hold before acting
    st.sampled_from(ACTIONS),
)
plan_st = st.lists(step_st, min_size=1, max_size=5)
plans_st = st.lists(st.tuples(st.integers(0, 2), plan_st), min_size=3, max_size=8)


def _assert_invariants(lm: LockManager, owners: list[str]) -> None:
    lm.check_invariants()
    named: dict[tuple[Level, str], list[Mode]] = defaultdict(list)
    whole: dict[Level, list[tuple[str, Mode]]] = defaultdict(list)
    parts: dict[Level, list[tuple[str, Mode]]] = defaultdict(list)
    for owner in owners:
        for level, held in lm.owned(owner).items():
            for name, mode in held.items():
                if name == LOCKSET_NAME:
                    whole[level].append((owner, mode))
                else:
                    named[(level, name)].append(mode)
                    parts[level].append((owner, mode))
    for key, modes in named.items():
        if Mode.EXCLUSIVE in modes:
            assert modes == [Mode.EXCLUSIVE], f"{key} held {modes}"
    for level, holds in whole.items():
        modes = [mode for _, mode in holds]
        if Mode.EXCLUSIVE in modes:
            assert modes == [Mode.EXCLUSIVE], f"{level} whole-level holds {holds}"
            assert not parts[level], f"{level} held whole {holds} and in parts {parts[level]}"
        else:
            assert all(m is Mode.SHARED for _, m in parts[level]), f"{level}: {parts[level]}"


def _ordered(plan: list[Step]) -> list[Step]:
    """Keep one step per level, in lock order (the order a job must follow)."""
    by_level: dict[Level, Step] = {}
    for step in plan:
        by_level.setdefault(step[0], step)
    return [by_level[level] for level in LEVELS if level in by_level]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_st)
def test_random_owners_always_finish_and_keep_invariants(
    plans: list[tuple[int, list[Step]]],
) -> None:
    async def main() -> None:
        lm = LockManager(pid_alive=lambda _pid: True)
        owners = [f"job:{i}" for i in range(len(plans))]
        pid = os.getpid()

        async def run_owner(owner: str, start_turns: int, plan: list[Step]) -> None:
            for _ in range(start_turns):
                await asyncio.sleep(0)
            for level, names, shared, prio, timeout, turns, action in _ordered(plan):
                if level is Level.CLUSTER and not isinstance(names, AllSet):
                    names = [BGL] if names else []
                if isinstance(timeout, str):  # "opportunistic"
                    if isinstance(names, AllSet):
                        continue
                    got = lm.acquire_available(owner, pid, level, names, shared, 1, prio)
                    if not got:
                        continue
                else:
                    try:
                        got = await lm.acquire(owner, pid, level, names, shared, timeout, prio)
                    except LockTimeoutError:
                        assert timeout == 0
                        continue
                _assert_invariants(lm, owners)
                for _ in range(turns):
                    await asyncio.sleep(0)
                if got and action == "downgrade":
                    lm.downgrade(owner, level)
                elif got and action == "release_one":
                    lm.release(owner, level, got[:1])
                elif action == "release_level":
                    lm.release(owner, level)
                _assert_invariants(lm, owners)
            lm.release_all(owner)
            assert owner not in lm.owners()
            _assert_invariants(lm, owners)

        tasks = [
            asyncio.create_task(run_owner(owner, start, plan))
            for owner, (start, plan) in zip(owners, plans, strict=True)
        ]
        while not all(task.done() for task in tasks):
            _assert_invariants(lm, owners)
            waiting = {o for row in lm.snapshot() for _, who in row["pending"] for o in who}
            running = {owner for owner, task in zip(owners, tasks, strict=True) if not task.done()}
            # Grants happen synchronously on release, so if every unfinished owner is
            # still queued nobody can ever release again: that is a deadlock.
            assert not running <= waiting, f"deadlock: {running} all wait: {lm.snapshot()}"
            await asyncio.sleep(0)
        for task in tasks:
            task.result()
        assert lm.owners() == []
        assert lm.snapshot() == []
        lm.check_invariants()

    asyncio.run(main())

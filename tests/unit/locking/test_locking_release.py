"""Releasing (whole, partial, everything) and downgrading."""

import asyncio
from typing import TypeVar

import pytest

from pyganeti import errors
from pyganeti.locking import ALL, LOCKSET_NAME, Level, LockManager, LockTimeoutError, Mode

T = TypeVar("T")


def _manager() -> LockManager:
    return LockManager(pid_alive=lambda _pid: True)


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def _done(task: asyncio.Task[T]) -> T:
    """The task's result, which must be there once the loop has settled."""
    await _settle()
    assert task.done(), "request still waits"
    return task.result()


def test_partial_release_keeps_the_rest_and_updates_level_conflicts() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a", "b"], False, None)
        lm.release("job:1", Level.NODE, ["a"])
        assert lm.owned("job:1") == {Level.NODE: {"b": Mode.EXCLUSIVE}}
        assert await lm.acquire("job:2", 20, Level.NODE, ["a"], False, 0) == ["a"]
        lm.release_all("job:2")
        with pytest.raises(LockTimeoutError):
            await lm.acquire("job:2", 20, Level.NODE, ALL, True, 0)
        lm.check_invariants()

    asyncio.run(main())


def test_partial_release_of_exclusive_names_admits_whole_level_sharers() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], True, None)
        await lm.acquire("job:2", 20, Level.NODE, ["b", "c"], False, None)
        waiter = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ALL, True, None))
        await _settle()
        assert not waiter.done()
        # job:2 still holds "c" exclusively: the whole-level sharer must keep waiting.
        lm.release("job:2", Level.NODE, ["b"])
        await _settle()
        assert not waiter.done()
        lm.release("job:2", Level.NODE, ["c"])
        assert await _done(waiter) == [LOCKSET_NAME]
        assert lm.owned("job:2") == {}
        assert lm.owners() == ["job:1", "job:3"]
        lm.check_invariants()

    asyncio.run(main())


def test_releasing_what_is_not_held_fails_and_changes_nothing() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a", "b"], False, None)
        await lm.acquire("job:2", 20, Level.INSTANCE, ALL, False, None)
        before = lm.snapshot()
        with pytest.raises(errors.LockError, match=r"job:1 cannot release node/c: not held"):
            lm.release("job:1", Level.NODE, ["a", "c"])
        with pytest.raises(errors.LockError, match="node/a: not held"):
            lm.release("job:3", Level.NODE, ["a"])
        with pytest.raises(errors.LockError, match="holds the whole level"):
            lm.release("job:2", Level.INSTANCE, ["i1"])
        with pytest.raises(errors.LockError, match="without a level"):
            lm.release("job:1", None, ["a"])
        with pytest.raises(errors.LockError, match="not the string"):
            lm.release("job:1", Level.NODE, "a")
        with pytest.raises(errors.LockError, match="Unknown lock level"):
            lm.release("job:1", "disk", ["a"])  # type: ignore[arg-type]
        assert lm.snapshot() == before
        lm.check_invariants()

    asyncio.run(main())


def test_whole_level_and_all_releases_are_idempotent() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.INSTANCE, ALL, False, None)
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        lm.release("job:1", Level.INSTANCE, [LOCKSET_NAME])
        lm.release("job:1", Level.INSTANCE)
        lm.release("job:1", Level.NODEGROUP)
        lm.release("job:1", Level.NODE, [])
        assert lm.owned("job:1") == {Level.NODE: {"a": Mode.EXCLUSIVE}}
        lm.release("job:1")
        lm.release("job:1")
        lm.release_all("job:1")
        lm.release_all("nobody")
        assert lm.owners() == []
        assert lm.snapshot() == []
        lm.check_invariants()

    asyncio.run(main())


def test_release_all_fails_the_pending_request() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        await lm.acquire("job:2", 20, Level.INSTANCE, ["i"], False, None)
        task = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None))
        await _settle()
        lm.release_all("job:2")
        with pytest.raises(errors.LockError, match="released while it waited"):
            await _done(task)
        assert lm.owners() == ["job:1"]
        assert [row["name"] for row in lm.snapshot()] == ["node/a"]
        lm.check_invariants()

    asyncio.run(main())


def test_downgrade_admits_waiting_sharers_but_not_exclusives() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a", "b"], False, None)
        sharer = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], True, None))
        level_sharer = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ALL, True, None))
        await _settle()
        assert not sharer.done() and not level_sharer.done()
        lm.downgrade("job:1", Level.NODE)
        assert lm.owned("job:1") == {Level.NODE: {"a": Mode.SHARED, "b": Mode.SHARED}}
        assert await _done(sharer) == ["a"]
        assert await _done(level_sharer) == [LOCKSET_NAME]
        with pytest.raises(LockTimeoutError):
            await lm.acquire("job:4", 40, Level.NODE, ["b"], False, 0)
        lm.downgrade("job:1", Level.NODE)  # already shared: nothing changes
        lm.check_invariants()

    asyncio.run(main())


def test_downgrade_whole_level() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.INSTANCE, ALL, False, None)
        lm.downgrade("job:1", Level.INSTANCE)
        assert lm.owned("job:1") == {Level.INSTANCE: {LOCKSET_NAME: Mode.SHARED}}
        assert await lm.acquire("job:2", 20, Level.INSTANCE, ["i"], True, 0) == ["i"]
        lm.check_invariants()

    asyncio.run(main())


def test_downgrade_without_holdings_is_an_error() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.INSTANCE, ["i"], False, None)
        with pytest.raises(errors.LockError, match="job:1 holds no locks at level node"):
            lm.downgrade("job:1", Level.NODE)
        with pytest.raises(errors.LockError, match="job:9 holds no locks"):
            lm.downgrade("job:9", Level.INSTANCE)
        assert lm.owned("job:1") == {Level.INSTANCE: {"i": Mode.EXCLUSIVE}}

    asyncio.run(main())

"""Queue order: FIFO per lock, priorities, and waiters leaving by timeout or cancellation."""

import asyncio
from typing import TypeVar

import pytest

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


def test_waiting_exclusive_is_not_starved_by_later_sharers() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], True, None)
        writer = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None))
        await _settle()
        # A stream of sharers arrives while the exclusive request waits: they queue behind it.
        readers = [
            asyncio.create_task(lm.acquire(f"job:{i}", 30, Level.NODE, ["a"], True, None))
            for i in range(3, 8)
        ]
        await _settle()
        assert not writer.done()
        assert not any(r.done() for r in readers)
        lm.release_all("job:1")
        await _done(writer)
        await _settle()
        assert not any(r.done() for r in readers)
        lm.release_all("job:2")
        await asyncio.gather(*(_done(r) for r in readers))
        assert sorted(lm.snapshot()[0]["owner"]) == [f"job:{i}" for i in range(3, 8)]
        lm.check_invariants()

    asyncio.run(main())


def test_whole_level_exclusive_is_not_starved_by_named_sharers() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.INSTANCE, ["i1"], True, None)
        writer = asyncio.create_task(lm.acquire("job:2", 20, Level.INSTANCE, ALL, False, None))
        await _settle()
        late = asyncio.create_task(lm.acquire("job:3", 30, Level.INSTANCE, ["i2"], True, None))
        await _settle()
        assert not late.done()
        lm.release_all("job:1")
        await _done(writer)
        await _settle()
        assert not late.done()
        lm.release_all("job:2")
        assert await _done(late) == ["i2"]

    asyncio.run(main())


def test_whole_level_sharer_does_not_overtake_an_earlier_named_exclusive() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], True, None)
        await lm.acquire("job:9", 90, Level.NODE, ["z"], True, None)
        writer = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None))
        await _settle()
        # Compatible with every holder, but not with the exclusive request ahead of it.
        level_reader = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ALL, True, None))
        await _settle()
        assert not level_reader.done()
        lm.release_all("job:9")  # re-examines the level's queue
        await _settle()
        assert not level_reader.done()
        lm.release_all("job:1")
        assert await _done(writer) == ["a"]
        assert not level_reader.done()
        lm.release_all("job:2")
        assert await _done(level_reader) == [LOCKSET_NAME]
        lm.check_invariants()

    asyncio.run(main())


def test_grants_follow_arrival_order() -> None:
    async def main() -> None:
        lm = _manager()
        order: list[str] = []
        await lm.acquire("job:0", 10, Level.NODE, ["a"], False, None)

        async def take(owner: str) -> None:
            await lm.acquire(owner, 10, Level.NODE, ["a"], False, None)
            order.append(owner)
            await asyncio.sleep(0)
            lm.release_all(owner)

        tasks = []
        for i in range(1, 6):
            tasks.append(asyncio.create_task(take(f"job:{i}")))
            await _settle()
        lm.release_all("job:0")
        for _ in range(100):  # loop turns, not time: each hand-over takes a few
            await asyncio.sleep(0)
        assert all(task.done() for task in tasks)
        assert order == [f"job:{i}" for i in range(1, 6)]

    asyncio.run(main())


def test_more_urgent_priority_is_served_first() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        low = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None, 5))
        await _settle()
        high = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ["a"], False, None, -10))
        await _settle()
        rows = lm.snapshot()
        assert rows[0]["pending"] == [["exclusive", ["job:3"]], ["exclusive", ["job:2"]]]
        lm.release_all("job:1")
        await _done(high)
        await _settle()
        assert not low.done()
        lm.release_all("job:3")
        await _done(low)

    asyncio.run(main())


def test_urgent_request_is_not_held_up_by_less_urgent_waiters() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], True, None)
        low = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None, 10))
        await _settle()
        # A shared request more urgent than the queued exclusive one goes ahead of it.
        assert await lm.acquire("job:3", 30, Level.NODE, ["a"], True, 0, -5) == ["a"]
        # One as urgent as it queues behind it instead.
        with pytest.raises(LockTimeoutError):
            await lm.acquire("job:4", 40, Level.NODE, ["a"], True, 0, 10)
        low.cancel()
        with pytest.raises(asyncio.CancelledError):
            await _done(low)

    asyncio.run(main())


def test_expired_waiter_leaves_and_unblocks_those_behind() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        # job:2 wants a and b; b is free but job:3 (later) must queue behind job:2 on b.
        first = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a", "b"], False, 0.05))
        await _settle()
        second = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ["b"], False, None))
        await _settle()
        assert not second.done()
        await asyncio.wait([first])  # until its timer fires
        with pytest.raises(LockTimeoutError):
            first.result()
        assert await _done(second) == ["b"]
        assert lm.owned("job:2") == {}
        assert lm.owned("job:1") == {Level.NODE: {"a": Mode.EXCLUSIVE}}
        lm.check_invariants()

    asyncio.run(main())


def test_cancelled_waiter_leaves_no_trace_and_unblocks_those_behind() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        before = lm.snapshot()
        first = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a", "b"], False, None))
        await _settle()
        second = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ["b"], True, None))
        await _settle()
        assert not second.done()
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await _done(first)
        assert await _done(second) == ["b"]
        lm.release_all("job:3")
        assert lm.snapshot() == before
        assert lm.owners() == ["job:1"]
        lm.check_invariants()

    asyncio.run(main())


def test_cancellation_racing_a_grant_releases_the_grant() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        waiter = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None))
        await _settle()
        # Grant and cancel in the same loop step: the waiter never sees its grant.
        lm.release_all("job:1")
        assert lm.owned("job:2") == {Level.NODE: {"a": Mode.EXCLUSIVE}}
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await _done(waiter)
        assert lm.owners() == []
        assert lm.snapshot() == []
        lm.check_invariants()

    asyncio.run(main())


def test_cancellation_racing_a_release_does_not_grant() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        waiter = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a"], False, None))
        await _settle()
        behind = asyncio.create_task(lm.acquire("job:3", 30, Level.NODE, ["a"], True, None))
        await _settle()
        # Cancelled first, released in the same step: the cancelled request is skipped
        # and the one behind it is served at once.
        waiter.cancel()
        lm.release_all("job:1")
        assert lm.owned("job:3") == {Level.NODE: {"a": Mode.SHARED}}
        assert lm.owned("job:2") == {}
        with pytest.raises(asyncio.CancelledError):
            await _done(waiter)
        assert await _done(behind) == ["a"]
        lm.release_all("job:3")
        assert lm.owners() == []
        assert lm.snapshot() == []
        lm.check_invariants()

    asyncio.run(main())


def test_wait_for_timeout_around_acquire_leaves_nothing() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(lm.acquire("job:2", 20, Level.NODE, ["a"], True, None), 0.01)
        assert lm.owners() == ["job:1"]
        lm.check_invariants()

    asyncio.run(main())

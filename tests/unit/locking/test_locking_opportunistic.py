"""Opportunistic locking: take what is free now, if enough is, without waiting."""

import asyncio

import pytest

from pyganeti import errors
from pyganeti.locking import ALL, Level, LockManager, Mode


def _manager() -> LockManager:
    return LockManager(pid_alive=lambda _pid: True)


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_takes_the_free_names_only() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["n2"], False, None)
        await lm.acquire("job:2", 20, Level.NODE, ["n3"], True, None)
        got = lm.acquire_available("job:3", 30, Level.NODE, ["n1", "n2", "n3", "n4"], True)
        assert got == ["n1", "n3", "n4"]
        assert lm.owned("job:3") == {
            Level.NODE: {"n1": Mode.SHARED, "n3": Mode.SHARED, "n4": Mode.SHARED}
        }
        got = lm.acquire_available("job:4", 40, Level.NODE, ["n1", "n3", "n5"], False)
        assert got == ["n5"]
        lm.check_invariants()

    asyncio.run(main())


def test_too_few_free_names_take_nothing() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["n1", "n2"], False, None)
        before = lm.snapshot()
        assert lm.acquire_available("job:2", 20, Level.NODE, ["n1", "n2", "n3"], False, 2) == []
        assert lm.owned("job:2") == {}
        assert lm.snapshot() == before
        assert lm.owners() == ["job:1"]
        lm.check_invariants()

    asyncio.run(main())


def test_does_not_overtake_waiting_requests_or_whole_level_holders() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["n1"], False, None)
        # job:2 waits for n1 and n2; n2 is free but promised to it first.
        waiter = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["n1", "n2"], False, None))
        await _settle()
        assert lm.acquire_available("job:3", 30, Level.NODE, ["n2", "n3"], False) == ["n3"]
        assert lm.acquire_available("job:4", 40, Level.NODE, ["n2"], True) == []
        # A more urgent request may take it (it would be ahead in the queue anyway).
        assert lm.acquire_available("job:5", 50, Level.NODE, ["n2"], True, 1, -5) == ["n2"]
        await lm.acquire("job:6", 60, Level.INSTANCE, ALL, False, None)
        assert lm.acquire_available("job:7", 70, Level.INSTANCE, ["i1"], True) == []
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        lm.check_invariants()

    asyncio.run(main())


def test_rejects_bad_requests() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["n1"], False, None)
        before = lm.snapshot()
        with pytest.raises(errors.LockError, match="not ALL"):
            lm.acquire_available("job:2", 20, Level.NODE, ALL, False)  # type: ignore[arg-type]
        with pytest.raises(errors.LockError, match="Invalid minimum 0"):
            lm.acquire_available("job:2", 20, Level.NODE, ["n2"], False, 0)
        with pytest.raises(errors.LockError, match="Lock order violation"):
            lm.acquire_available("job:1", 10, Level.INSTANCE, ["i1"], False)
        with pytest.raises(errors.LockError, match="must be a list"):
            lm.acquire_available("job:2", 20, Level.NODE, "n2", False)
        assert lm.snapshot() == before
        assert lm.acquire_available("job:2", 20, Level.NODE, [], False) == []

    asyncio.run(main())

"""Owners whose process died lose their locks and their pending request."""

import asyncio
import os
import subprocess
from collections.abc import Iterator
from typing import TypeVar

import pytest

from pyganeti import errors
from pyganeti.locking import ALL, Level, LockManager, Mode, pid_exists

T = TypeVar("T")


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def _done(task: asyncio.Task[T]) -> T:
    """The task's result, which must be there once the loop has settled."""
    await _settle()
    assert task.done(), "request still waits"
    return task.result()


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(["sleep", "60"])
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _kill_and_reap(proc: subprocess.Popen[bytes]) -> None:
    # Reaped, because a zombie still exists as far as kill(pid, 0) can tell.
    proc.kill()
    proc.wait()


def test_pid_exists(child: subprocess.Popen[bytes]) -> None:
    assert pid_exists(os.getpid())
    assert pid_exists(child.pid)
    _kill_and_reap(child)
    assert not pid_exists(child.pid)


def test_dead_owner_loses_locks_and_waiter_proceeds(child: subprocess.Popen[bytes]) -> None:
    async def main() -> None:
        lm = LockManager()
        me = os.getpid()
        await lm.acquire("job:1", child.pid, Level.INSTANCE, ["i1"], False, None)
        await lm.acquire("job:1", child.pid, Level.NODE, ALL, False, None)
        waiter = asyncio.create_task(lm.acquire("job:2", me, Level.NODE, ["n1"], True, None))
        await _settle()
        assert lm.release_dead_owners() == []
        assert not waiter.done()
        _kill_and_reap(child)
        assert lm.release_dead_owners() == ["job:1"]
        assert await _done(waiter) == ["n1"]
        assert lm.owned("job:1") == {}
        assert lm.owners() == ["job:2"]
        assert lm.owned("job:2") == {Level.NODE: {"n1": Mode.SHARED}}
        assert lm.release_dead_owners() == []
        lm.check_invariants()

    asyncio.run(main())


def test_dead_owner_pending_request_fails(child: subprocess.Popen[bytes]) -> None:
    async def main() -> None:
        lm = LockManager()
        me = os.getpid()
        await lm.acquire("job:1", me, Level.NODE, ["n1"], False, None)
        await lm.acquire("job:2", child.pid, Level.INSTANCE, ["i1"], False, None)
        doomed = asyncio.create_task(lm.acquire("job:2", child.pid, Level.NODE, ["n1"], True, None))
        await _settle()
        _kill_and_reap(child)
        assert lm.release_dead_owners() == ["job:2"]
        with pytest.raises(errors.LockError, match=rf"job:2 \(pid {child.pid}\) no longer exists"):
            await _done(doomed)
        # The live owner keeps its lock; the dead one's instance lock is free.
        assert lm.owners() == ["job:1"]
        assert await lm.acquire("job:3", me, Level.INSTANCE, ["i1"], False, 0) == ["i1"]
        lm.check_invariants()

    asyncio.run(main())


def test_owner_pid_follows_its_latest_request(child: subprocess.Popen[bytes]) -> None:
    async def main() -> None:
        lm = LockManager()
        await lm.acquire("job:1", child.pid, Level.INSTANCE, ["i1"], False, None)
        # The job's work moved to this (live) process: it is the one watched now.
        await lm.acquire("job:1", os.getpid(), Level.NODE, ["n1"], False, None)
        _kill_and_reap(child)
        assert lm.release_dead_owners() == []
        assert set(lm.owned("job:1")) == {Level.INSTANCE, Level.NODE}

    asyncio.run(main())

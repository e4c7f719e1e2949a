"""Acquisition: whole sets at once, timeouts, lock order and rejected requests."""

import asyncio
from typing import Any, TypeVar

import pytest

from pyganeti import errors
from pyganeti.locking import (
    ALL,
    BGL,
    LOCKSET_NAME,
    Level,
    LockManager,
    LockTimeoutError,
    Mode,
)

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


def test_grants_sorted_unique_names_and_records_them() -> None:
    async def main() -> None:
        lm = _manager()
        got = await lm.acquire("job:1", 10, Level.INSTANCE, ["b", "a", "b"], False, None)
        assert got == ["a", "b"]
        assert lm.owned("job:1") == {Level.INSTANCE: {"a": Mode.EXCLUSIVE, "b": Mode.EXCLUSIVE}}
        got = await lm.acquire("job:1", 10, Level.NODE, ALL, True, None)
        assert got == [LOCKSET_NAME]
        assert lm.owned("job:1")[Level.NODE] == {LOCKSET_NAME: Mode.SHARED}
        lm.check_invariants()

    asyncio.run(main())


def test_cluster_all_is_the_bgl() -> None:
    async def main() -> None:
        lm = _manager()
        assert await lm.acquire("job:1", 10, Level.CLUSTER, ALL, True, None) == [BGL]
        assert lm.owned("job:1") == {Level.CLUSTER: {BGL: Mode.SHARED}}
        # ALL exclusive at the cluster level is the exclusive BGL and conflicts with it.
        with pytest.raises(LockTimeoutError):
            await lm.acquire("job:2", 20, Level.CLUSTER, ALL, False, 0)

    asyncio.run(main())


def test_all_or_nothing_while_waiting_and_after_grant() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        task = asyncio.create_task(lm.acquire("job:2", 20, Level.NODE, ["a", "b"], False, None))
        await _settle()
        assert not task.done()
        # "b" is free, yet job:2 holds nothing while it cannot have "a" too.
        assert lm.owned("job:2") == {}
        rows = {row["name"]: row for row in lm.snapshot()}
        assert rows["node/b"]["owner"] == []
        assert rows["node/b"]["pending"] == [["exclusive", ["job:2"]]]
        lm.release("job:1")
        assert await _done(task) == ["a", "b"]
        assert lm.owned("job:2") == {Level.NODE: {"a": Mode.EXCLUSIVE, "b": Mode.EXCLUSIVE}}
        lm.check_invariants()

    asyncio.run(main())


def test_timeout_leaves_nothing() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.NODE, ["a"], False, None)
        before = lm.snapshot()
        with pytest.raises(LockTimeoutError, match=r"node/a, node/b.*job:2.*within 0.01s"):
            await lm.acquire("job:2", 20, Level.NODE, ["a", "b"], True, 0.01)
        assert lm.snapshot() == before
        assert lm.owners() == ["job:1"]
        lm.check_invariants()
        # The request left every queue: "b" is free for anybody at once.
        assert await lm.acquire("job:3", 30, Level.NODE, ["b"], False, 0) == ["b"]
        # And job:2 may ask again (it has no request pending any more).
        with pytest.raises(LockTimeoutError, match="without waiting"):
            await lm.acquire("job:2", 20, Level.NODE, ["a"], True, 0)
        assert lm.owned("job:2") == {}

    asyncio.run(main())


def test_timeout_error_is_a_lock_error() -> None:
    assert issubclass(LockTimeoutError, errors.LockError)


def test_lock_order_violation_is_rejected_and_changes_nothing() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.INSTANCE, ["i1"], False, None)
        await lm.acquire("job:1", 10, Level.NODE, ["n1"], False, None)
        before = lm.snapshot()
        for level in (Level.CLUSTER, Level.INSTANCE, Level.NODEGROUP, Level.NODE):
            with pytest.raises(errors.LockError, match=r"Lock order violation.*node") as err:
                await lm.acquire("job:1", 10, level, ALL, True, None)
            assert not isinstance(err.value, LockTimeoutError)
        assert lm.snapshot() == before
        # Re-requesting nothing is always fine; a later level is too.
        assert await lm.acquire("job:1", 10, Level.INSTANCE, [], True, None) == []
        assert await lm.acquire("job:1", 10, Level.NETWORK, ["net"], True, None) == ["net"]
        # After releasing a level, it may be taken again.
        lm.release("job:1", Level.NETWORK)
        lm.release("job:1", Level.NODE)
        assert await lm.acquire("job:1", 10, Level.NODE, ["n2"], True, None) == ["n2"]
        lm.check_invariants()

    asyncio.run(main())


def test_a_second_request_while_one_waits_is_rejected() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.INSTANCE, ["i1"], False, None)
        task = asyncio.create_task(lm.acquire("job:2", 20, Level.INSTANCE, ["i1"], False, None))
        await _settle()
        with pytest.raises(errors.LockError, match="job:2 already waits"):
            await lm.acquire("job:2", 20, Level.NODE, ["n1"], False, None)
        lm.release_all("job:1")
        await _done(task)
        assert lm.owned("job:2") == {Level.INSTANCE: {"i1": Mode.EXCLUSIVE}}

    asyncio.run(main())


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"names": "inst1"}, "must be a list"),
    ({"names": ["ok", ""]}, "Invalid lock name ''"),
    ({"names": ["ok", 3]}, "Invalid lock name 3"),
    ({"names": [LOCKSET_NAME]}, "request ALL"),
    ({"level": Level.CLUSTER, "names": ["other"]}, "only the lock 'BGL'"),
    ({"level": "disks"}, "Unknown lock level 'disks'"),
    ({"priority": 20}, "Invalid priority 20"),
    ({"priority": -21}, "Invalid priority -21"),
    ({"timeout": -1}, "Invalid lock timeout -1"),
    ({"timeout": float("nan")}, "Invalid lock timeout nan"),
    ({"pid": 0}, "Invalid pid 0"),
    ({"pid": -5}, "Invalid pid -5"),
    ({"owner": ""}, "Invalid lock owner ''"),
]


@pytest.mark.parametrize(("change", "message"), BAD_REQUESTS, ids=[m for _, m in BAD_REQUESTS])
def test_bad_requests_are_rejected_and_change_nothing(change: dict[str, Any], message: str) -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, Level.CLUSTER, [BGL], True, None)
        before = lm.snapshot()
        request: dict[str, Any] = {
            "owner": "job:2",
            "pid": 20,
            "level": Level.NODE,
            "names": ["n1"],
            "shared": True,
            "timeout": None,
            "priority": 0,
        }
        request.update(change)
        with pytest.raises(errors.LockError, match=message):
            await lm.acquire(**request)
        assert lm.snapshot() == before
        assert lm.owners() == ["job:1"]
        lm.check_invariants()

    asyncio.run(main())


def test_level_given_as_text_is_accepted() -> None:
    async def main() -> None:
        lm = _manager()
        await lm.acquire("job:1", 10, "node-res", ["n1"], True, None)  # type: ignore[arg-type]
        assert lm.owned("job:1") == {Level.NODE_RES: {"n1": Mode.SHARED}}

    asyncio.run(main())


def test_many_uncontended_acquisitions_leave_no_residue() -> None:
    async def main() -> None:
        lm = _manager()
        for i in range(2000):
            owner = f"job:{i}"
            await lm.acquire(owner, 10, Level.INSTANCE, [f"i{i}", "shared"], True, 0)
            await lm.acquire(owner, 10, Level.NODE, [f"n{i % 7}"], True, 0)
            lm.release_all(owner)
        assert lm.owners() == []
        assert lm.snapshot() == []
        lm.check_invariants()

    asyncio.run(main())

"""The lock list for gnt-debug locks / Query(lock): Ganeti's name, mode, owner, pending."""

import asyncio

from pyganeti.locking import ALL, BGL, Level, LockManager


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_snapshot_rows() -> None:
    async def main() -> None:
        lm = LockManager(pid_alive=lambda _pid: True)
        assert lm.snapshot() == []
        await lm.acquire("job:2", 20, Level.CLUSTER, [BGL], True, None)
        await lm.acquire("job:1", 10, Level.CLUSTER, [BGL], True, None)
        await lm.acquire("job:1", 10, Level.INSTANCE, ALL, False, None)
        await lm.acquire("job:2", 20, Level.NODE, ["node-b", "node-a"], False, None)
        tasks = [
            asyncio.create_task(lm.acquire("job:3", 30, Level.INSTANCE, ["inst1"], True, None)),
            asyncio.create_task(lm.acquire("job:4", 40, Level.NODE, ["node-a"], True, None)),
            asyncio.create_task(lm.acquire("job:5", 50, Level.NODE, ALL, True, None)),
            asyncio.create_task(lm.acquire("job:6", 60, Level.NODE, ["node-a"], False, None, -1)),
        ]
        await _settle()
        assert lm.snapshot() == [
            {"name": "cluster/BGL", "mode": "shared", "owner": ["job:1", "job:2"], "pending": []},
            {"name": "instance/[lockset]", "mode": "exclusive", "owner": ["job:1"], "pending": []},
            # Named requests wait on the level lock implicitly; only their names show it.
            {
                "name": "instance/inst1",
                "mode": None,
                "owner": [],
                "pending": [["shared", ["job:3"]]],
            },
            {
                "name": "node/[lockset]",
                "mode": None,
                "owner": [],
                "pending": [["shared", ["job:5"]]],
            },
            {
                "name": "node/node-a",
                "mode": "exclusive",
                "owner": ["job:2"],
                "pending": [["exclusive", ["job:6"]], ["shared", ["job:4"]]],
            },
            {"name": "node/node-b", "mode": "exclusive", "owner": ["job:2"], "pending": []},
        ]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        lm.release_all("job:1")
        lm.release_all("job:2")
        assert lm.snapshot() == []

    asyncio.run(main())

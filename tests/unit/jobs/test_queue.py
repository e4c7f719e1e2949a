"""The job queue without daemons: persistence, validation, recovery, control."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.jobs.model import Job, QueuedOpCode, Status
from pyganeti.jobs.queue import JobQueue
from pyganeti.paths import Paths


def _validate(op: dict[str, Any]) -> dict[str, Any]:
    if op.get("OP_ID") != "OP_TEST_DELAY":
        raise errors.OpPrereqError(f"Opcode {op.get('OP_ID')}: unknown", errors.ECODE_INVAL)
    return dict(op)


class Runner:
    """Runs jobs by marking every opcode successful, optionally after a gate opens."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.order: list[int] = []

    def __call__(self, job: Job, queue: JobQueue) -> None:
        self.gate.wait(10)
        self.order.append(job.id)
        for op in job.ops:
            op.status = Status.SUCCESS
            op.result = op.input.get("duration")
        queue.persist(job, durable=True)


def op(**kw: Any) -> dict[str, Any]:
    return {"OP_ID": "OP_TEST_DELAY", "duration": 0.0, **kw}


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _settle(queue: JobQueue, ids: list[int], timeout: float = 5) -> None:
    for job_id in ids:
        prev = None
        while True:
            res = await queue.wait_for_change(job_id, ["status"], prev, None, timeout)
            if res == "nochange":
                continue
            prev = res[0]
            if prev[0] in ("success", "error", "canceled"):
                break


def make(tmp_path: Any, runner: Runner | None = None, **kw: Any) -> tuple[JobQueue, Runner]:
    runner = runner or Runner()
    return JobQueue(Paths.from_root(tmp_path), _validate, runner, **kw), runner


def test_submit_persists_before_returning_and_runs(tmp_path: Any) -> None:
    async def main() -> None:
        queue, _ = make(tmp_path)
        queue.start(asyncio.get_running_loop())
        job_id = queue.submit([op(duration=1.5)])
        data = json.loads(queue.store.job_path(job_id).read_bytes())
        assert data["id"] == job_id and data["ops"][0]["input"]["duration"] == 1.5
        await _settle(queue, [job_id])
        assert queue.query([job_id], ["status", "opresult"]) == [["success", [1.5]]]
        queue.shutdown()
    run(main())


def test_invalid_opcode_queues_nothing(tmp_path: Any) -> None:
    async def main() -> None:
        queue, _ = make(tmp_path)
        queue.start(asyncio.get_running_loop())
        with pytest.raises(errors.OpPrereqError, match="OP_BOGUS"):
            queue.submit([op(), {"OP_ID": "OP_BOGUS"}])
        assert queue.jobs == {}
        assert list(queue.store.dir.glob("job-*")) == []
        results = queue.submit_many([[op()], [{"OP_ID": "OP_BOGUS"}]])
        assert results[0][0] is True and results[1][0] is False
        assert "OP_BOGUS" in results[1][1]
        queue.shutdown()
    run(main())


def test_drained_queue_and_full_queue_refuse(tmp_path: Any) -> None:
    async def main() -> None:
        queue, runner = make(tmp_path, hard_limit=2)
        runner.gate.clear()
        queue.start(asyncio.get_running_loop())
        queue.paths.queue_drain_file.write_text("")
        with pytest.raises(errors.JobQueueDrainError, match="drained"):
            queue.submit([op()])
        queue.paths.queue_drain_file.unlink()
        queue.submit([op()])
        queue.submit([op()])
        with pytest.raises(errors.JobQueueFull, match="limit is 2"):
            queue.submit([op()])
        runner.gate.set()
        queue.shutdown()
    run(main())


def test_interrupted_jobs_are_settled_at_start(tmp_path: Any) -> None:
    paths = Paths.from_root(tmp_path)
    queue, _ = make(tmp_path)
    running = Job(1, [QueuedOpCode(op(), status=Status.SUCCESS),
                      QueuedOpCode(op(), status=Status.RUNNING), QueuedOpCode(op())],
                  process_id=12345)
    waiting = Job(2, [QueuedOpCode(op(), status=Status.WAITING)])
    queued = Job(3, [QueuedOpCode(op())])
    for job in (running, waiting, queued):
        queue.store.write(job)

    async def main() -> None:
        q2, _ = make(tmp_path)
        settled = q2.start(asyncio.get_running_loop())
        assert 1 in settled
        job = q2.get(1)
        assert job is not None and job.status == Status.ERROR
        assert [o.status for o in job.ops] == [Status.SUCCESS, Status.ERROR, Status.ERROR]
        assert "was running when its ganeti-luxid" in job.ops[1].result[1][0]
        await _settle(q2, [2, 3])
        assert q2.query([2, 3], ["status"]) == [["success"], ["success"]]
        q2.shutdown()
    run(main())
    assert paths.queue_dir.exists()


def test_priority_orders_queued_jobs(tmp_path: Any) -> None:
    async def main() -> None:
        runner = Runner()
        queue, _ = make(tmp_path, runner, max_running=1)
        runner.gate.clear()
        queue.start(asyncio.get_running_loop())
        first = queue.submit([op()])  # takes the only slot
        low = queue.submit([op(priority=10)])
        high = queue.submit([op(priority=-10)])
        runner.gate.set()
        await _settle(queue, [first, low, high])
        assert runner.order == [first, high, low]
        queue.shutdown()
    run(main())


def test_dependencies(tmp_path: Any) -> None:
    async def main() -> None:
        queue, runner = make(tmp_path)
        queue.start(asyncio.get_running_loop())
        results = queue.submit_many([[op()], [op(depends=[[-1, ["success"]]])],
                                     [op(depends=[[-2, ["error"]]])]])
        ids = [int(r[1]) for r in results]
        await _settle(queue, ids)
        statuses = queue.query(ids, ["status"])
        assert statuses == [["success"], ["success"], ["error"]]
        assert runner.order.index(ids[0]) < runner.order.index(ids[1])
        missing = queue.submit([op(depends=[[999, []]])])
        await _settle(queue, [missing])
        job = queue.get(missing)
        assert job is not None and "not found" in str(job.ops[0].result)
        queue.shutdown()
    run(main())


def test_cancel_queued_job_and_finished_job(tmp_path: Any) -> None:
    async def main() -> None:
        runner = Runner()
        queue, _ = make(tmp_path, runner, max_running=1)
        runner.gate.clear()
        queue.start(asyncio.get_running_loop())
        busy = queue.submit([op()])
        victim = queue.submit([op()])
        assert queue.cancel(victim) == [True, f"Job {victim} canceled"]
        runner.gate.set()
        await _settle(queue, [busy, victim])
        assert queue.query([victim], ["status"]) == [["canceled"]]
        assert queue.cancel(busy)[0] is False
        queue.shutdown()
    run(main())


def test_wait_for_change_times_out_with_nochange(tmp_path: Any) -> None:
    async def main() -> None:
        runner = Runner()
        queue, _ = make(tmp_path, runner)
        runner.gate.clear()
        queue.start(asyncio.get_running_loop())
        job_id = queue.submit([op()])
        info = [str(queue.jobs[job_id].status)]
        assert await queue.wait_for_change(job_id, ["status"], info, None, 0.2) == "nochange"
        with pytest.raises(errors.JobLost):
            await queue.wait_for_change(4242, ["status"], None, None, 0.1)
        runner.gate.set()
        await _settle(queue, [job_id])
        queue.shutdown()
    run(main())


def test_archive_and_auto_archive(tmp_path: Any) -> None:
    async def main() -> None:
        queue, runner = make(tmp_path)
        queue.start(asyncio.get_running_loop())
        a, b = queue.submit([op()]), queue.submit([op()])
        await _settle(queue, [a, b])
        assert queue.archive(a) is True
        assert queue.store.archived_path(a).exists()
        assert a not in queue.jobs and queue.get(a) is not None  # still queryable
        assert queue.auto_archive(-1, 5) == [1, 0]
        runner.gate.clear()
        c = queue.submit([op()])
        with pytest.raises(errors.JobQueueError, match="not finished"):
            queue.archive(c)
        runner.gate.set()
        await _settle(queue, [c])
        queue.shutdown()
    run(main())


def test_change_priority(tmp_path: Any) -> None:
    async def main() -> None:
        runner = Runner()
        queue, _ = make(tmp_path, runner, max_running=1)
        runner.gate.clear()
        queue.start(asyncio.get_running_loop())
        busy = queue.submit([op()])
        later = queue.submit([op()])
        assert queue.change_priority(later, -5)[0] is True
        assert queue.jobs[later].ops[0].priority == -5
        assert queue.change_priority(later, 99)[0] is False
        runner.gate.set()
        await _settle(queue, [busy, later])
        assert queue.change_priority(later, 0)[0] is False
        queue.shutdown()
    run(main())

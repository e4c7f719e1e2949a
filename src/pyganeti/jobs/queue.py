"""The job queue of ganeti-luxid: submission, scheduling, cancellation, waiting, archive.

Queue state belongs to the event-loop thread; jobs execute in worker threads and report
back through `_changed` (thread-safe). Durability points: a job is on disk before its
submission returns, an opcode is marked running on disk before it acts, and a final
state is on disk before anyone is told.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.jobs.model import FINAL, Job, QueuedOpCode, Status, now_ts
from pyganeti.jobs.store import JobStore
from pyganeti.paths import Paths

log = logging.getLogger(__name__)

HARD_LIMIT = 5000
NOTCHANGED = "nochange"

# Validates one opcode dict and returns it normalised (raises a clear error otherwise).
Validator = Callable[[dict[str, Any]], dict[str, Any]]
# Runs one job to completion in a worker thread.
Runner = Callable[[Job, "JobQueue"], None]


class JobQueue:
    def __init__(
        self,
        paths: Paths,
        validate: Validator,
        runner: Runner,
        max_running: int = 20,
        hard_limit: int = HARD_LIMIT,
    ) -> None:
        self.paths = paths
        self.store = JobStore(paths)
        self.validate = validate
        self.runner = runner
        self.max_running = max_running
        self.hard_limit = hard_limit
        self.jobs: dict[int, Job] = {}
        self.cancel_requested: set[int] = set()
        self._running: set[int] = set()
        # Jobs waiting for a worker: scheduling looks only at these, never at the
        # (possibly thousands of) finished jobs kept until archived.
        self._queued: set[int] = set()
        self._events: dict[int, asyncio.Event] = {}
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- lifecycle -----------------------------------------------------------------
    def start(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        """Load the queue from disk, settle interrupted jobs; returns the ids settled."""
        self._loop = loop
        settled = []
        for job in self.store.load_all():
            self.jobs[job.id] = job
            if job.finalized:
                continue
            if self._settle_interrupted(job):
                settled.append(job.id)
                self.store.write(job)
            if not job.finalized:
                self._queued.add(job.id)
        self._schedule()
        return settled

    def _settle_interrupted(self, job: Job) -> bool:
        """A job found unfinished at startup: requeue what never acted, fail the rest."""
        changed = False
        for op in job.ops:
            if op.status in (Status.RUNNING, Status.CANCELING):
                pid = job.process_id
                op.status = Status.ERROR
                op.result = errors.encode(
                    errors.OpExecError(
                        f"Job {job.id} was running when its ganeti-luxid (pid {pid}) stopped;"
                        " the outcome of this opcode is unknown, check the affected objects"
                        " and resubmit"
                    )
                )
                op.end_timestamp = now_ts()
                job.finalize_remaining(
                    Status.ERROR,
                    errors.encode(errors.OpExecError("Preceding opcode was interrupted")),
                )
                return True
            if op.status == Status.WAITING:
                # Waiting means locks were being acquired: nothing acted yet.
                op.status = Status.QUEUED
                changed = True
        return changed

    def shutdown(self) -> None:
        """Start no more jobs (running ones go on until drain() gives up on them)."""
        self._stopping = True

    async def drain(self, grace: float) -> list[int]:
        """Wait up to `grace` seconds for running jobs; returns those still running.

        Job threads are daemon threads: a job still running when the daemon exits is
        cut off like in a crash, and settled as interrupted at the next start.
        """
        self._stopping = True
        deadline = time.monotonic() + grace
        while self._running and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return sorted(self._running)

    @property
    def running_ids(self) -> list[int]:
        return sorted(self._running)

    # --- submission ----------------------------------------------------------------
    def submit_many(self, jobs: list[Any], drained_ok: bool = False) -> list[list[Any]]:
        """[[True, id] | [False, message]] per job; each job is validated on its own."""
        if not drained_ok and self.paths.queue_drain_file.exists():
            raise errors.JobQueueDrainError("Job queue is drained, refusing job")
        prepared: list[list[dict[str, Any]] | str] = []
        for ops in jobs:
            try:
                prepared.append(self._prepare(ops))
            except errors.GenericError as err:
                prepared.append(err.message)
        good = [p for p in prepared if not isinstance(p, str)]
        live = sum(1 for j in self.jobs.values() if not j.archived)
        if live + len(good) > self.hard_limit:
            raise errors.JobQueueFull(
                f"Job queue is full: {live} jobs are in the queue and the limit is"
                f" {self.hard_limit}; archive finished jobs (gnt-job archive) first"
            )
        ids = iter(self.store.allocate_ids(len(good)))
        results: list[list[Any]] = []
        new_jobs: list[Job] = []
        for index, p in enumerate(prepared):
            if isinstance(p, str):
                results.append([False, p])
                continue
            job_id = next(ids)
            try:
                self._resolve_relative_deps(p, job_id, results, index)
            except errors.GenericError as err:
                results.append([False, err.message])
                continue
            job = Job(
                id=job_id,
                received_timestamp=now_ts(),
                ops=[QueuedOpCode(input=op, priority=int(op.get("priority", 0))) for op in p],
            )
            new_jobs.append(job)
            results.append([True, str(job_id)])
        for job in new_jobs:
            self.store.write(job, durable=True, sync_dir=False)
        if new_jobs:
            self.store.sync_dir()
        for job in new_jobs:
            self.jobs[job.id] = job
            self._queued.add(job.id)
        self._schedule()
        return results

    def submit(self, ops: Any, drained_ok: bool = False) -> int:
        result = self.submit_many([ops], drained_ok)[0]
        if not result[0]:
            raise errors.OpPrereqError(result[1], errors.ECODE_INVAL)
        return int(result[1])

    def _prepare(self, ops: Any) -> list[dict[str, Any]]:
        if not isinstance(ops, list) or not ops:
            raise errors.OpPrereqError(
                "A job must be a non-empty list of opcodes", errors.ECODE_INVAL
            )
        return [self.validate(op) for op in ops]

    @staticmethod
    def _resolve_relative_deps(
        ops: list[dict[str, Any]], job_id: int, results: list[list[Any]], index: int
    ) -> None:
        """Negative job ids in `depends` count back from this job in the submission."""
        for op in ops:
            deps = op.get("depends")
            if not deps:
                continue
            resolved = []
            for dep_id, statuses in deps:
                dep = int(dep_id)
                if dep < 0:
                    target = index + dep
                    if target < 0 or not results[target][0]:
                        raise errors.OpPrereqError(
                            f"Relative job dependency {dep} does not refer to a submitted job",
                            errors.ECODE_INVAL,
                        )
                    dep = int(results[target][1])
                resolved.append([dep, statuses])
            op["depends"] = resolved

    # --- scheduling ----------------------------------------------------------------------
    def _schedule(self) -> None:
        if self._stopping:
            return
        free = self.max_running - len(self._running)
        if free <= 0:
            return
        candidates = sorted(
            (self.jobs[i] for i in self._queued if i in self.jobs), key=lambda j: (j.priority, j.id)
        )
        for job in candidates:
            if free <= 0:
                break
            verdict = self._deps_verdict(job)
            if verdict is None:
                continue
            if verdict:
                self._queued.discard(job.id)
                job.finalize_remaining(Status.ERROR, errors.encode(errors.OpExecError(verdict)))
                self.store.write(job)
                self._changed(job.id)
                continue
            self._running.add(job.id)
            self._queued.discard(job.id)
            job.process_id = os.getpid()
            free -= 1
            threading.Thread(
                target=self._run, args=(job,), name=f"job-{job.id}", daemon=True
            ).start()

    def _deps_verdict(self, job: Job) -> str | None:
        """None: wait; "": ready; otherwise the reason the job cannot run."""
        for op in job.ops:
            if op.status in FINAL:
                continue
            for dep_id, statuses in op.input.get("depends") or []:
                dep = self.jobs.get(int(dep_id)) or self.store.load_archived(int(dep_id))
                if dep is None:
                    return f"Dependency job {dep_id} not found"
                if not dep.finalized:
                    return None
                if statuses and str(dep.status) not in statuses:
                    return (
                        f"Dependency job {dep_id} finished with status {dep.status},"
                        f" not one of {', '.join(statuses)}"
                    )
            break
        return ""

    def _run(self, job: Job) -> None:
        try:
            self.runner(job, self)
        except Exception as err:
            log.exception("Job %s failed unexpectedly", job.id)
            job.finalize_remaining(Status.ERROR, errors.encode(err))
            self.persist(job, durable=True)
        finally:
            self._finished(job.id)

    def _finished(self, job_id: int) -> None:
        def done() -> None:
            self._running.discard(job_id)
            self.cancel_requested.discard(job_id)
            self._schedule()

        self._call_in_loop(done)

    # --- called from job threads ------------------------------------------------------
    def persist(self, job: Job, durable: bool, sync_dir: bool = True) -> None:
        self.store.write(job, durable=durable, sync_dir=sync_dir)
        self.notify(job)

    def notify(self, job: Job) -> None:
        """Wake WaitForJobChange callers without writing (for states a restart redoes)."""
        self._call_in_loop(lambda: self._changed(job.id))

    def _call_in_loop(self, fn: Callable[[], None]) -> None:
        assert self._loop is not None
        # After shutdown the loop is gone: the state is on disk, nobody is waiting.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(fn)

    def _changed(self, job_id: int) -> None:
        job = self.jobs.get(job_id)
        if job is not None:
            job.version += 1
            if job.finalized:
                self._schedule()
        event = self._events.pop(job_id, None)
        if event is not None:
            event.set()

    # --- control -------------------------------------------------------------------
    def get(self, job_id: int) -> Job | None:
        return self.jobs.get(job_id) or self.store.load_archived(job_id)

    def cancel(self, job_id: int) -> list[Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return [False, f"Job {job_id} not found"]
        status = job.status
        if status in FINAL:
            return [False, f"Job {job_id} is finished"]
        if status == Status.QUEUED and job_id not in self._running:
            self._queued.discard(job_id)
            job.finalize_remaining(Status.CANCELED, "Job canceled by request")
            self.store.write(job)
            self._changed(job_id)
            return [True, f"Job {job_id} canceled"]
        if status in (Status.QUEUED, Status.WAITING):
            self.cancel_requested.add(job_id)
            return [True, f"Job {job_id} will be canceled"]
        return [False, f"Job {job_id} is no longer waiting in the queue"]

    def change_priority(self, job_id: int, priority: int) -> list[Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return [False, f"Job {job_id} not found"]
        if not -20 <= priority <= 19:
            return [False, f"Priority {priority} is outside -20..19"]
        if job.status not in (Status.QUEUED, Status.WAITING):
            return [False, f"Job {job_id} is {job.status}; its priority cannot change"]
        for op in job.ops:
            if op.status not in FINAL:
                op.priority = priority
        self.store.write(job)
        self._changed(job_id)
        self._schedule()
        return [True, f"Priority of job {job_id} changed to {priority}"]

    def archive(self, job_id: int) -> bool:
        job = self.jobs.get(job_id)
        if job is None:
            if self.store.load_archived(job_id) is not None:
                return True
            raise errors.JobLost(f"Job {job_id} not found")
        if not job.finalized:
            raise errors.JobQueueError(f"Job {job_id} is not finished and cannot be archived")
        self.store.archive(job)
        del self.jobs[job_id]
        return True

    def auto_archive(self, age: float, timeout: float) -> list[int]:
        """Archive finished jobs older than `age` seconds (-1: all); [archived, left]."""
        deadline = time.monotonic() + max(timeout, 0)
        now = time.time()
        archived = 0
        for job in sorted(self.jobs.values(), key=lambda j: j.id):
            if time.monotonic() > deadline:
                break
            if not job.finalized:
                continue
            end = job.end_timestamp[0] if job.end_timestamp else now
            if age >= 0 and now - end < age:
                continue
            self.store.archive(job)
            del self.jobs[job.id]
            archived += 1
        return [archived, len(self.jobs)]

    async def wait_for_change(
        self,
        job_id: int,
        fields: list[str],
        prev_info: list[Any] | None,
        prev_serial: int | None,
        timeout: float,
    ) -> Any:
        deadline = time.monotonic() + max(0.0, min(float(timeout), 60.0))
        while True:
            job = self.get(job_id)
            if job is None:
                raise errors.JobLost(f"Job {job_id} not found")
            info = [job.get_field(f) for f in fields]
            entries = job.log_entries(prev_serial)
            if info != prev_info or entries or job.finalized:
                return [info, entries]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return NOTCHANGED
            event = self._events.setdefault(job_id, asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return NOTCHANGED

    def query(self, job_ids: list[int] | None, fields: list[str]) -> list[Any]:
        if job_ids is None:
            return [
                [job.get_field(f) for f in fields]
                for job in sorted(self.jobs.values(), key=lambda j: j.id)
            ]
        out: list[Any] = []
        for job_id in job_ids:
            job = self.get(int(job_id))
            out.append(None if job is None else [job.get_field(f) for f in fields])
        return out

    def all_jobs(self, include_archived: bool = False) -> list[Job]:
        jobs = list(self.jobs.values())
        if include_archived:
            for job_id in self.store.archived_ids():
                archived = self.store.load_archived(job_id)
                if archived is not None:
                    jobs.append(archived)
        return sorted(jobs, key=lambda j: j.id)

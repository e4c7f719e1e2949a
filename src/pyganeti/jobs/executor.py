"""Executes one job in a worker thread: its opcodes in order through the processor."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import ConfigAccess, LUEnv
from pyganeti.config.client import WConfdClient
from pyganeti.config.replica import ConfigReplica
from pyganeti.jobs.model import ELOG_MESSAGE, FINAL, Job, Status, now_ts
from pyganeti.jobs.queue import JobQueue
from pyganeti.paths import Paths
from pyganeti.processor import OpContext, Processor
from pyganeti.rpc.client import RpcClient

log = logging.getLogger(__name__)


class JobExecutor:
    """The queue's runner: callable(job, queue) in a worker thread."""

    def __init__(
        self,
        paths: Paths,
        replica: ConfigReplica,
        rpc: RpcClient,
        submit_jobs: Callable[[list[list[dict[str, Any]]]], list[list[Any]]],
    ) -> None:
        self.paths = paths
        self.replica = replica
        self.rpc = rpc
        self.submit_jobs = submit_jobs
        self._local = threading.local()

    def _wconfd(self) -> WConfdClient:
        # One connection per worker thread: wconfd serves each connection in order.
        client = getattr(self._local, "wconfd", None)
        if client is None:
            client = WConfdClient(self.paths)
            self._local.wconfd = client
        return client

    def __call__(self, job: Job, queue: JobQueue) -> None:
        wconfd = self._wconfd()
        owner = f"job:{job.id}"
        processor = Processor(wconfd)
        job.start_timestamp = job.start_timestamp or now_ts()
        released = True
        try:
            for index, op in enumerate(job.ops):
                if op.status in FINAL:
                    continue
                if job.id in queue.cancel_requested:
                    job.finalize_remaining(Status.CANCELED, "Job canceled by request")
                    break
                op.status = Status.WAITING
                op.start_timestamp = now_ts()
                # Not written: after a crash a waiting opcode is simply queued again.
                queue.notify(job)

                def set_running(op: Any = op) -> None:
                    op.status = Status.RUNNING
                    op.exec_timestamp = now_ts()
                    # Durable before acting: after a crash this opcode must not rerun.
                    queue.persist(job, durable=True)

                def feedback(msg: str, op: Any = op) -> None:
                    op.log.append([job.last_log_serial() + 1, now_ts(), ELOG_MESSAGE, msg])
                    queue.persist(job, durable=False)

                env = LUEnv(
                    paths=self.paths,
                    cfg=ConfigAccess(self.replica, wconfd, owner),
                    rpc=self.rpc,
                    feedback=feedback,
                    job_id=job.id,
                    submit_jobs=self.submit_jobs,
                )
                ctx = OpContext(
                    owner, op.priority, set_running, lambda: job.id in queue.cancel_requested
                )
                try:
                    op.result = processor.execute(op.input, env, ctx)
                    op.status = Status.SUCCESS
                    op.end_timestamp = now_ts()
                except errors.JobCanceled:
                    job.finalize_remaining(Status.CANCELED, "Job canceled by request")
                    break
                except Exception as err:
                    if not isinstance(err, errors.GenericError):
                        log.exception("Job %s opcode %d crashed", job.id, index)
                    op.status = Status.ERROR
                    op.result = errors.encode(err)
                    op.end_timestamp = now_ts()
                    job.finalize_remaining(
                        Status.ERROR, errors.encode(errors.OpExecError("Preceding opcode failed"))
                    )
                    break
                finally:
                    # Locks and reservations live for one opcode (as in Ganeti).
                    released = self._release(wconfd, owner)
                if index + 1 < len(job.ops):
                    queue.persist(job, durable=False)
        finally:
            if not released:
                self._release(wconfd, owner)
            job.end_timestamp = now_ts()
            # The file is complete and fsynced; if the rename itself were lost in a
            # power cut the job would show "running" and be settled as interrupted.
            queue.persist(job, durable=True, sync_dir=False)

    @staticmethod
    def _release(wconfd: WConfdClient, owner: str) -> bool:
        try:
            wconfd.release_owner(owner)
            return True
        except errors.GenericError as err:
            log.error("Could not release locks of %s: %s", owner, err)
            return False

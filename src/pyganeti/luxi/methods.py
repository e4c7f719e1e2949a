"""The luxi methods ganeti-luxid answers (Ganeti 3.0 names, arguments and results)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from pyganeti import errors
from pyganeti.config.client import WConfdPool
from pyganeti.config.durable import atomic_write
from pyganeti.config.replica import ConfigReplica
from pyganeti.jobs.queue import JobQueue
from pyganeti.livedata import LiveData
from pyganeti.paths import Paths
from pyganeti.query.engine import query_fields, run_query

log = logging.getLogger(__name__)

Method = Callable[..., Awaitable[Any]]
LEGACY_QUERIES = {
    "QueryInstances": "instance",
    "QueryNodes": "node",
    "QueryGroups": "group",
    "QueryNetworks": "network",
}


class LuxiMethods:
    def __init__(
        self,
        paths: Paths,
        queue: JobQueue,
        replica: ConfigReplica,
        wconfd: WConfdPool,
        live: LiveData,
    ) -> None:
        self.paths = paths
        self.queue = queue
        self.replica = replica
        self.wconfd = wconfd
        self.live = live
        self.table: dict[str, Method] = {
            "SubmitJob": self.submit_job,
            "SubmitJobToDrainedQueue": self.submit_job_drained,
            "SubmitManyJobs": self.submit_many_jobs,
            "WaitForJobChange": self.wait_for_job_change,
            "CancelJob": self.cancel_job,
            "ArchiveJob": self.archive_job,
            "ChangeJobPriority": self.change_job_priority,
            "AutoArchiveJobs": self.auto_archive_jobs,
            "QueryJobs": self.query_jobs,
            "Query": self.query,
            "QueryFields": self.query_fields,
            "QueryClusterInfo": self.query_cluster_info,
            "QueryConfigValues": self.query_config_values,
            "QueryTags": self.query_tags,
            "SetDrainFlag": self.set_drain_flag,
            "SetWatcherPause": self.set_watcher_pause,
            "QueryFilters": self.query_filters,
            "ReplaceFilter": self.unsupported,
            "DeleteFilter": self.unsupported,
            "PickupJob": self.unsupported,
        }
        for method, resource in LEGACY_QUERIES.items():
            self.table[method] = self._legacy(resource)

    async def handle(self, method: str, args: Any) -> Any:
        fn = self.table.get(method)
        if fn is None:
            raise errors.LuxiError(f"Unknown luxi method {method!r}")
        if not isinstance(args, (list, tuple)):
            raise errors.LuxiError(f"Arguments of {method} must be a list")
        try:
            return await fn(*args)
        except TypeError as err:
            # Wrong number of arguments: the caller's mistake, say which method.
            raise errors.LuxiError(f"Bad arguments for {method}: {err}") from None

    # --- jobs ----------------------------------------------------------------------
    async def submit_job(self, ops: Any) -> int:
        return self.queue.submit(ops)

    async def submit_job_drained(self, ops: Any) -> int:
        return self.queue.submit(ops, drained_ok=True)

    async def submit_many_jobs(self, jobs: Any) -> list[list[Any]]:
        if not isinstance(jobs, list):
            raise errors.OpPrereqError("SubmitManyJobs needs a list of jobs", errors.ECODE_INVAL)
        return [[ok, int(v) if ok else v] for ok, v in self.queue.submit_many(jobs)]

    async def wait_for_job_change(
        self, job_id: Any, fields: list[str], prev_info: Any, prev_serial: Any, timeout: float = 29
    ) -> Any:
        return await self.queue.wait_for_change(
            int(job_id), fields, prev_info, prev_serial, timeout
        )

    async def cancel_job(self, job_id: Any, kill: bool = False) -> list[Any]:
        result = self.queue.cancel(int(job_id))
        if result[0] and "will be" in result[1]:
            # The job may be blocked in wconfd waiting for locks: wake it up.
            await asyncio.to_thread(self.wconfd.call, "CancelPending", f"job:{int(job_id)}")
        return result

    async def archive_job(self, job_id: Any) -> bool:
        return self.queue.archive(int(job_id))

    async def change_job_priority(self, job_id: Any, priority: int) -> list[Any]:
        return self.queue.change_priority(int(job_id), int(priority))

    async def auto_archive_jobs(self, age: float, timeout: float = 30) -> list[int]:
        return self.queue.auto_archive(float(age), float(timeout))

    async def query_jobs(self, job_ids: list[Any] | None, fields: list[str]) -> list[Any]:
        ids = None if not job_ids else [int(j) for j in job_ids]
        return self.queue.query(ids, fields)

    # --- queries ---------------------------------------------------------------------
    async def query(self, what: str, fields: list[str], qfilter: Any = None) -> dict[str, Any]:
        return await asyncio.to_thread(self._query_sync, what, fields, qfilter)

    def _query_sync(self, what: str, fields: list[str], qfilter: Any) -> dict[str, Any]:
        self.replica.sync()
        ctx = self.live.context(what, fields, self.replica.view(), self.queue, qfilter)
        return run_query(ctx, what, fields, qfilter)

    async def query_fields(self, what: str, fields: list[str] | None = None) -> dict[str, Any]:
        return query_fields(what, fields or None)

    def _legacy(self, resource: str) -> Method:
        async def legacy(
            names: list[str] | None, fields: list[str], use_locking: bool = False
        ) -> list[list[Any]]:
            qfilter = None
            if names:
                qfilter = ["|", *(["=", "name", n] for n in names)]
            result = await self.query(resource, fields, qfilter)
            return [[value for _status, value in row] for row in result["data"]]

        return legacy

    async def query_cluster_info(self) -> dict[str, Any]:
        from pyganeti.cmdlib.cluster_info import cluster_info

        await asyncio.to_thread(self.replica.sync)
        return cluster_info(self.replica.view())

    async def query_config_values(self, names: list[str]) -> list[Any]:
        await asyncio.to_thread(self.replica.sync)
        cluster = self.replica.cluster
        master = self.replica.get("nodes", cluster.get("master_node", ""))
        values: dict[str, Callable[[], Any]] = {
            "cluster_name": lambda: cluster.get("cluster_name"),
            "master_node": lambda: master["name"] if master else None,
            "drain_flag": lambda: self.paths.queue_drain_file.exists(),
            "watcher_pause": self._watcher_pause,
        }
        out = []
        for name in names:
            getter = values.get(name)
            if getter is None:
                raise errors.OpPrereqError(
                    f"Unknown configuration value '{name}'", errors.ECODE_INVAL
                )
            out.append(getter())
        return out

    async def query_tags(self, kind: str, name: str | None = None) -> list[str]:
        await asyncio.to_thread(self.replica.sync)
        if kind == "cluster":
            return sorted(self.replica.cluster.get("tags", []))
        section = {
            "node": "nodes",
            "instance": "instances",
            "nodegroup": "nodegroups",
            "network": "networks",
        }.get(kind)
        if section is None:
            raise errors.OpPrereqError(f"Unknown tag kind '{kind}'", errors.ECODE_INVAL)
        if not name:
            raise errors.OpPrereqError(f"Tags of a {kind} need its name", errors.ECODE_INVAL)
        obj = self.replica.expand(section, name)
        return sorted(obj.get("tags", []))

    async def query_filters(self, uuids: Any = None, fields: Any = None) -> list[Any]:
        # No job filters exist until filter support lands: an empty answer is the truth.
        return []

    async def unsupported(self, *args: Any) -> Any:
        raise errors.OpPrereqError(
            "This luxi method is not supported by pyganeti yet", errors.ECODE_INVAL
        )

    # --- flags ----------------------------------------------------------------------------
    async def set_drain_flag(self, drain: bool) -> bool:
        path = self.paths.queue_drain_file
        if drain:
            atomic_write(path, b"", mode=0o644)
        else:
            path.unlink(missing_ok=True)
        return True

    def _watcher_pause(self) -> float | None:
        try:
            until = float(self.paths.watcher_pause_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return until if until > time.time() else None

    async def set_watcher_pause(self, until: float | None) -> float | None:
        path = self.paths.watcher_pause_file
        if until is None:
            path.unlink(missing_ok=True)
            return None
        atomic_write(path, f"{int(until)}\n".encode(), mode=0o644)
        return float(int(until))

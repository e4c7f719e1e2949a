"""Luxi client for the gnt-* tools and RAPI: Ganeti 3.0 method names and arguments."""

from __future__ import annotations

from typing import Any

from pyganeti.luxi.transport import Transport
from pyganeti.paths import Paths

# Result of WaitForJobChange when nothing changed before the timeout (Ganeti's value).
JOB_NOTCHANGED = "nochange"
# Longest server-side wait of one WaitForJobChange call, as Ganeti caps it.
WFJC_TIMEOUT = 29


class Client:
    """Talks to ganeti-luxid over its query socket."""

    def __init__(
        self,
        paths: Paths | None = None,
        address: str | None = None,
        rw_timeout: float | None = 60.0,
    ) -> None:
        if address is None:
            address = str((paths or Paths.from_root()).luxi_socket)
        self.transport = Transport(address, rw_timeout=rw_timeout)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, *args: Any) -> Any:
        return self.transport.call(method, list(args))

    # --- jobs --------------------------------------------------------------
    def submit_job(self, ops: list[dict[str, Any]]) -> str:
        return str(self.call("SubmitJob", ops))

    def submit_job_to_drained_queue(self, ops: list[dict[str, Any]]) -> str:
        return str(self.call("SubmitJobToDrainedQueue", ops))

    def submit_many_jobs(self, jobs: list[list[dict[str, Any]]]) -> list[list[Any]]:
        """[[success, job id or error message], ...] per job."""
        result: list[list[Any]] = self.call("SubmitManyJobs", jobs)
        return result

    def cancel_job(self, job_id: int | str, kill: bool = False) -> list[Any]:
        result: list[Any] = self.call("CancelJob", int(job_id), kill)
        return result

    def archive_job(self, job_id: int | str) -> bool:
        return bool(self.call("ArchiveJob", int(job_id)))

    def change_job_priority(self, job_id: int | str, priority: int) -> list[Any]:
        result: list[Any] = self.call("ChangeJobPriority", int(job_id), priority)
        return result

    def auto_archive_jobs(self, age: int, timeout: int = 30) -> list[int]:
        result: list[int] = self.call("AutoArchiveJobs", age, timeout)
        return result

    def wait_for_job_change_once(
        self,
        job_id: int | str,
        fields: list[str],
        prev_job_info: list[Any] | None,
        prev_log_serial: int | None,
        timeout: float = WFJC_TIMEOUT,
    ) -> Any:
        return self.call(
            "WaitForJobChange",
            int(job_id),
            fields,
            prev_job_info,
            prev_log_serial,
            min(WFJC_TIMEOUT, timeout),
        )

    def query_jobs(self, job_ids: list[int] | None, fields: list[str]) -> list[Any]:
        result: list[Any] = self.call("QueryJobs", job_ids, fields)
        return result

    # --- queries -----------------------------------------------------------
    def query(self, what: str, fields: list[str], qfilter: Any = None) -> dict[str, Any]:
        result: dict[str, Any] = self.call("Query", what, fields, qfilter)
        return result

    def query_fields(self, what: str, fields: list[str] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.call("QueryFields", what, fields)
        return result

    def query_cluster_info(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("QueryClusterInfo")
        return result

    def query_config_values(self, names: list[str]) -> list[Any]:
        result: list[Any] = self.call("QueryConfigValues", names)
        return result

    def query_tags(self, kind: str, name: str | None) -> list[str]:
        result: list[str] = self.call("QueryTags", kind, name)
        return result

    # --- flags -------------------------------------------------------------
    def set_queue_drain_flag(self, drain: bool) -> bool:
        return bool(self.call("SetDrainFlag", drain))

    def set_watcher_pause(self, until: float | None) -> Any:
        return self.call("SetWatcherPause", until)

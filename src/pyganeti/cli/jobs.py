"""Submitting opcodes as jobs and following them to the end, as Ganeti's cli.PollJob does.

Opcodes are plain wire dicts {"OP_ID": ..., param: value}; None-valued parameters are
left out so the server applies its own defaults.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.cli.errors import JobSubmitted, format_error
from pyganeti.cli.session import Session
from pyganeti.luxi.client import JOB_NOTCHANGED

JOB_STATUS_QUEUED = "queued"
JOB_STATUS_WAITING = "waiting"
JOB_STATUS_CANCELING = "canceling"
JOB_STATUS_RUNNING = "running"
JOB_STATUS_CANCELED = "canceled"
JOB_STATUS_SUCCESS = "success"
JOB_STATUS_ERROR = "error"
JOBS_PENDING = (JOB_STATUS_QUEUED, JOB_STATUS_WAITING, JOB_STATUS_CANCELING)
JOBS_FINALIZED = (JOB_STATUS_CANCELED, JOB_STATUS_SUCCESS, JOB_STATUS_ERROR)
OP_STATUS_SUCCESS = "success"
OP_STATUS_ERROR = "error"
ELOG_MESSAGE = "message"
REASON_SRC_USER = "gnt:user"
REASON_SRC_CLIENT = "gnt:client"
# Key of opcode results that spawn further jobs (e.g. OP_CLUSTER_VERIFY).
JOB_IDS_KEY = "jobs"
# Seconds one WaitForJobChange call may block in the master.
WFJC_TIMEOUT = 29

LogReporter = Callable[[Any, str, Any], None]


def opcode(op_id: str, **params: Any) -> dict[str, Any]:
    """A wire opcode with the None-valued parameters dropped."""
    op: dict[str, Any] = {"OP_ID": op_id}
    op.update({k: v for k, v in params.items() if v is not None})
    return op


def apply_generic_opts(ops: list[dict[str, Any]], session: Session) -> None:
    """Add debug level, dry run, priority and the reason trail (Ganeti's SetGenericOpcodeOpts)."""
    now_ns = time.time_ns()
    for op in ops:
        op["debug_level"] = int(session.opt("debug", 0) or 0)
        if session.opt("dry_run") is not None:
            op["dry_run"] = bool(session.opt("dry_run"))
        priority = session.opt("priority")
        if priority is not None:
            op["priority"] = priority
        trail: list[list[Any]] = []
        reason = session.opt("reason")
        if reason:
            trail.append([REASON_SRC_USER, reason, now_ns])
        trail.append([f"{REASON_SRC_CLIENT}:{session.binary}", session.command, now_ns])
        op["reason"] = trail


def format_log_message(log_type: str, log_msg: Any) -> str:
    return log_msg if log_type == ELOG_MESSAGE and isinstance(log_msg, str) else str(log_msg)


def merge_time(timestamp: Any) -> float:
    """Seconds from Ganeti's (seconds, microseconds) pair."""
    if isinstance(timestamp, (list, tuple)) and len(timestamp) == 2:
        return float(timestamp[0]) + float(timestamp[1]) / 1e6
    return float(timestamp)


class StdioReporter:
    """Prints job log lines as "<ctime> <message>" and notes waiting states on stderr."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._told_queued = False
        self._told_waiting = False

    def log(self, timestamp: Any, log_type: str, message: Any) -> None:
        stamp = time.ctime(merge_time(timestamp))
        self.session.stdout(f"{stamp} {format_log_message(log_type, message)}")

    def not_changed(self, job_id: str, status: str | None) -> None:
        if status == JOB_STATUS_QUEUED and not self._told_queued:
            self.session.stderr(f"Job {job_id} is waiting in queue")
            self._told_queued = True
        elif status == JOB_STATUS_WAITING and not self._told_waiting:
            self.session.stderr(f"Job {job_id} is trying to acquire all necessary locks")
            self._told_waiting = True


class SilentReporter(StdioReporter):
    """Follows a job without printing anything (gnt-job wait, background jobs)."""

    def log(self, timestamp: Any, log_type: str, message: Any) -> None:
        return None

    def not_changed(self, job_id: str, status: str | None) -> None:
        return None


def poll_job(session: Session, job_id: str, reporter: StdioReporter | None = None) -> Any:
    """Wait for the job to finish, reporting its log; its opcode results, or raise."""
    cl = session.client()
    if reporter is None:
        reporter = StdioReporter(session)
    prev_info: list[Any] | None = None
    prev_serial: int | None = None
    status: str | None = None
    while True:
        result = cl.wait_for_job_change_once(
            job_id, ["status"], prev_info, prev_serial, WFJC_TIMEOUT
        )
        if not result:
            raise errors.JobLost(f"Job with id {job_id} lost")
        if result == JOB_NOTCHANGED:
            reporter.not_changed(job_id, status)
            continue
        job_info, log_entries = result
        status = job_info[0]
        if log_entries:
            for serial, timestamp, log_type, message in log_entries:
                reporter.log(timestamp, log_type, message)
                prev_serial = serial if prev_serial is None else max(prev_serial, serial)
        elif status in (
            JOB_STATUS_SUCCESS,
            JOB_STATUS_ERROR,
            JOB_STATUS_CANCELING,
            JOB_STATUS_CANCELED,
        ):
            break
        prev_info = job_info
    return job_result(session, job_id)


def job_result(session: Session, job_id: str) -> Any:
    """The opcode results of a finished job; the job's error re-raised if it failed."""
    jobs = session.client().query_jobs([int(job_id)], ["status", "opstatus", "opresult"])
    if not jobs or jobs[0] is None:
        raise errors.JobLost(f"Job with id {job_id} lost")
    status, opstatus, opresult = jobs[0]
    if status == JOB_STATUS_SUCCESS:
        return opresult
    if status in (JOB_STATUS_CANCELING, JOB_STATUS_CANCELED):
        raise errors.JobCanceled("Job was canceled")
    had_success = False
    for idx, (op_status, msg) in enumerate(zip(opstatus, opresult, strict=False)):
        if op_status == OP_STATUS_SUCCESS:
            had_success = True
        elif op_status == OP_STATUS_ERROR:
            errors.maybe_raise(msg)
            if had_success:
                raise errors.OpExecError(f"partial failure (opcode {idx}): {msg}")
            raise errors.OpExecError(str(msg))
    raise errors.OpExecError(str(opresult))


def send_job(session: Session, ops: list[dict[str, Any]]) -> str:
    """Submit without waiting; prints the id first when --print-jobid was given."""
    apply_generic_opts(ops, session)
    job_id = session.client().submit_job(ops)
    if session.opt("print_jobid"):
        session.stdout(str(job_id))
    return job_id


def submit_opcode(
    session: Session, op: dict[str, Any], reporter: StdioReporter | None = None
) -> Any:
    """Submit one opcode, follow the job and return the opcode's result."""
    job_id = send_job(session, [op])
    return poll_job(session, job_id, reporter)[0]


def submit_or_send(session: Session, op: dict[str, Any]) -> Any:
    """Like submit_opcode, but with --submit only queue it and raise JobSubmitted."""
    if session.opt("submit_only"):
        raise JobSubmitted(send_job(session, [op]))
    return submit_opcode(session, op)


class JobSet:
    """Several jobs submitted together and awaited in order (Ganeti's JobExecutor)."""

    def __init__(self, session: Session, verbose: bool = True) -> None:
        self.session = session
        self.verbose = verbose
        self.pending: list[tuple[str | None, list[dict[str, Any]]]] = []
        # (name, submitted ok, job id or error message)
        self.jobs: list[tuple[str | None, bool, str]] = []

    def queue(self, name: str | None, *ops: dict[str, Any]) -> None:
        op_list = list(ops)
        apply_generic_opts(op_list, self.session)
        self.pending.append((name, op_list))

    def add_job_id(self, name: str | None, ok: bool, job_id: str) -> None:
        self.jobs.append((name, ok, str(job_id)))

    def submit_pending(self) -> None:
        if not self.pending:
            return
        results = self.session.client().submit_many_jobs([ops for _, ops in self.pending])
        for (name, _), (ok, data) in zip(self.pending, results, strict=True):
            self.jobs.append((name, bool(ok), str(data)))
        self.pending = []

    @staticmethod
    def _for(name: str | None) -> str:
        return f" for {name}" if name else ""

    def results(self) -> list[tuple[bool, Any]]:
        """Wait for every job; (success, result or error text) per job, in order."""
        self.submit_pending()
        ok_ids = [jid for _, ok, jid in self.jobs if ok]
        if self.verbose and ok_ids:
            self.session.stdout(f"Submitted jobs {', '.join(ok_ids)}")
        out: list[tuple[bool, Any]] = []
        for name, ok, jid in self.jobs:
            if not ok:
                self.session.stderr(f"Failed to submit job{self._for(name)}: {jid}")
                out.append((False, jid))
                continue
            self.session.stdout(f"Waiting for job {jid}{self._for(name)} ...")
            try:
                out.append((True, poll_job(self.session, jid)))
            except errors.JobLost as err:
                self.session.stderr(
                    f"Job {jid}{self._for(name)} has been archived, cannot check its result"
                )
                out.append((False, format_error(err)[1]))
            except errors.GenericError as err:
                text = format_error(err)[1]
                self.session.stderr(f"Job {jid}{self._for(name)} has failed: {text}")
                out.append((False, text))
        return out

    def wait_or_show(self, wait: bool) -> list[tuple[bool, Any]]:
        """Wait for the results, or (with --submit) print "<id>: <name>" per job."""
        if wait:
            return self.results()
        self.submit_pending()
        for name, ok, data in self.jobs:
            if ok:
                self.session.stdout(f"{data}: {name}")
            else:
                self.session.stderr(f"Failure for {name}: {data}")
        return [(ok, data) for _, ok, data in self.jobs]


def wait_spawned_jobs(session: Session, result: Any) -> list[tuple[bool, Any]]:
    """Follow the jobs an opcode result lists under "jobs" ([[ok, id], ...])."""
    jobs = JobSet(session)
    for ok, job_id in result.get(JOB_IDS_KEY, []) if isinstance(result, dict) else []:
        jobs.add_job_id(None, bool(ok), str(job_id))
    return jobs.results()

"""Job query fields over jobs in Ganeti's serialized layout, including per-opcode summaries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pyganeti.opcodes.registry import summarize
from pyganeti.query.context import QueryContext
from pyganeti.query.fielddefs import (
    DATA_JOBS,
    FLAG_JOB_ID,
    FLAG_SPLIT_TIMESTAMP,
    QFT_BOOL,
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    Abnormal,
    Field,
    FieldTable,
    Getter,
)

PRIO_DEFAULT = 0
PRIO_LOWEST = 19
PRIO_HIGHEST = -20
FINALIZED = frozenset(["success", "error", "canceled"])


_JOBS = frozenset([DATA_JOBS])


class JobRow:
    """A job id and its serialized job (None when a requested job does not exist)."""

    def __init__(self, job_id: int, job: Mapping[str, Any] | None) -> None:
        self.job_id = job_id
        self.job = job

    @property
    def name(self) -> int:
        return self.job_id


def job_status(job: Mapping[str, Any]) -> str:
    """Ganeti's job status from its opcodes' statuses."""
    status = "queued"
    all_success = True
    for op in job.get("ops") or []:
        op_status = op.get("status")
        if op_status == "success":
            continue
        all_success = False
        if op_status in ("waiting", "running"):
            status = op_status
        elif op_status in ("canceling", "error", "canceled"):
            # A failed or cancelled opcode decides the whole job.
            status = op_status
            break
    return "success" if all_success else status


def job_priority(job: Mapping[str, Any]) -> int:
    """Lowest priority value among unfinished opcodes, else the default."""
    pending = [
        int(op.get("priority", PRIO_DEFAULT))
        for op in job.get("ops") or []
        if op.get("status") not in FINALIZED
    ]
    return min(pending) if pending else PRIO_DEFAULT


def op_summary(op_input: Mapping[str, Any]) -> str:
    """Ganeti's opcode summary: OP_ID without "OP_", plus the describing parameter."""
    return summarize(op_input)


def _with_job(fn: Callable[[Mapping[str, Any]], Any]) -> Getter:
    def get(row: JobRow) -> Any:
        return Abnormal.UNAVAIL if row.job is None else fn(row.job)

    return get


def _per_op(fn: Callable[[Mapping[str, Any]], Any]) -> Getter:
    return _with_job(lambda job: [fn(op) for op in job.get("ops") or []])


def _timestamp(key: str) -> Getter:
    def get(job: Mapping[str, Any]) -> Any:
        value = job.get(key)
        return Abnormal.UNAVAIL if value is None else value

    return _with_job(get)


def _build() -> FieldTable:
    fields = [
        Field("id", "ID", QFT_NUMBER, "Job ID", lambda r: r.job_id, flags=FLAG_JOB_ID),
        Field("status", "Status", QFT_TEXT, "Job status", _with_job(job_status), _JOBS),
        Field(
            "priority",
            "Priority",
            QFT_NUMBER,
            f"Current job priority ({PRIO_LOWEST} to {PRIO_HIGHEST})",
            _with_job(job_priority),
            _JOBS,
        ),
        Field(
            "archived",
            "Archived",
            QFT_BOOL,
            "Whether job is archived",
            _with_job(lambda job: bool(job.get("archived"))),
            _JOBS,
        ),
        Field(
            "ops",
            "OpCodes",
            QFT_OTHER,
            "List of all opcodes",
            _per_op(lambda op: op.get("input")),
            _JOBS,
        ),
        Field(
            "opresult",
            "OpCode_result",
            QFT_OTHER,
            "List of opcodes results",
            _per_op(lambda op: op.get("result")),
            _JOBS,
        ),
        Field(
            "opstatus",
            "OpCode_status",
            QFT_OTHER,
            "List of opcodes status",
            _per_op(lambda op: op.get("status")),
            _JOBS,
        ),
        Field(
            "oplog",
            "OpCode_log",
            QFT_OTHER,
            "List of opcode output logs",
            _per_op(lambda op: op.get("log", [])),
            _JOBS,
        ),
        Field(
            "opstart",
            "OpCode_start",
            QFT_OTHER,
            "List of opcode start timestamps (before acquiring locks)",
            _per_op(lambda op: op.get("start_timestamp")),
            _JOBS,
        ),
        Field(
            "opexec",
            "OpCode_exec",
            QFT_OTHER,
            "List of opcode execution start timestamps (after acquiring locks)",
            _per_op(lambda op: op.get("exec_timestamp")),
            _JOBS,
        ),
        Field(
            "opend",
            "OpCode_end",
            QFT_OTHER,
            "List of opcode execution end timestamps",
            _per_op(lambda op: op.get("end_timestamp")),
            _JOBS,
        ),
        Field(
            "oppriority",
            "OpCode_prio",
            QFT_OTHER,
            "List of opcode priorities",
            _per_op(lambda op: op.get("priority", PRIO_DEFAULT)),
            _JOBS,
        ),
        Field(
            "summary",
            "Summary",
            QFT_OTHER,
            "List of per-opcode summaries",
            _per_op(lambda op: op_summary(op.get("input") or {})),
            _JOBS,
        ),
    ]
    for name, key, title, desc in [
        ("received_ts", "received_timestamp", "Received", "Timestamp of when job was received"),
        ("start_ts", "start_timestamp", "Start", "Timestamp of job start"),
        ("end_ts", "end_timestamp", "End", "Timestamp of job end"),
    ]:
        fields.append(
            Field(
                name,
                title,
                QFT_OTHER,
                f"{desc} (tuple containing seconds and microseconds)",
                _timestamp(key),
                _JOBS,
                FLAG_SPLIT_TIMESTAMP,
            )
        )
    return FieldTable.build(fields)


FIELDS = _build()


def rows(ctx: QueryContext) -> list[JobRow]:
    return [JobRow(int(job["id"]), job) for job in ctx.jobs or []]

"""Job and opcode records with Ganeti's states and serialised layout.

A job's status is computed from its opcodes' statuses exactly as Ganeti does, and a
job serialises to the dict Ganeti 3.0 writes to queue/job-N.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pyganeti.opcodes.registry import summarize


class Status(StrEnum):
    QUEUED = "queued"
    WAITING = "waiting"
    CANCELING = "canceling"
    RUNNING = "running"
    CANCELED = "canceled"
    SUCCESS = "success"
    ERROR = "error"


FINAL = frozenset({Status.CANCELED, Status.SUCCESS, Status.ERROR})
PRIO_DEFAULT = 0
PRIO_HIGHEST = -20
PRIO_LOWEST = 19
ELOG_MESSAGE = "message"

Timestamp = list[int]  # [seconds, microseconds], Ganeti's split time


def now_ts() -> Timestamp:
    t = time.time()
    return [int(t), int((t - int(t)) * 1_000_000)]


@dataclass
class QueuedOpCode:
    input: dict[str, Any]
    status: Status = Status.QUEUED
    result: Any = None
    log: list[list[Any]] = field(default_factory=list)
    start_timestamp: Timestamp | None = None
    exec_timestamp: Timestamp | None = None
    end_timestamp: Timestamp | None = None
    priority: int = PRIO_DEFAULT

    def serialize(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": str(self.status),
            "result": self.result,
            "log": self.log,
            "start_timestamp": self.start_timestamp,
            "exec_timestamp": self.exec_timestamp,
            "end_timestamp": self.end_timestamp,
            "priority": self.priority,
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> QueuedOpCode:
        return cls(
            input=data["input"],
            status=Status(data["status"]),
            result=data.get("result"),
            log=list(data.get("log") or []),
            start_timestamp=data.get("start_timestamp"),
            exec_timestamp=data.get("exec_timestamp"),
            end_timestamp=data.get("end_timestamp"),
            priority=int(data.get("priority", PRIO_DEFAULT)),
        )


@dataclass
class Job:
    id: int
    ops: list[QueuedOpCode]
    received_timestamp: Timestamp | None = None
    start_timestamp: Timestamp | None = None
    end_timestamp: Timestamp | None = None
    process_id: int | None = None
    archived: bool = False
    # In memory only: bumped on every visible change, for WaitForJobChange.
    version: int = 0

    def serialize(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ops": [op.serialize() for op in self.ops],
            "start_timestamp": self.start_timestamp,
            "end_timestamp": self.end_timestamp,
            "received_timestamp": self.received_timestamp,
            "livelock": None,
            "process_id": self.process_id,
        }

    @classmethod
    def restore(cls, data: dict[str, Any], archived: bool = False) -> Job:
        return cls(
            id=int(data["id"]),
            ops=[QueuedOpCode.restore(o) for o in data["ops"]],
            received_timestamp=data.get("received_timestamp"),
            start_timestamp=data.get("start_timestamp"),
            end_timestamp=data.get("end_timestamp"),
            process_id=data.get("process_id"),
            archived=archived,
        )

    # --- derived state -----------------------------------------------------------
    @property
    def status(self) -> Status:
        status = Status.QUEUED
        all_success = True
        for op in self.ops:
            if op.status == Status.SUCCESS:
                continue
            all_success = False
            if op.status == Status.WAITING:
                status = Status.WAITING
            elif op.status == Status.RUNNING:
                status = Status.RUNNING
            elif op.status in (Status.CANCELING, Status.ERROR, Status.CANCELED):
                return op.status
        return Status.SUCCESS if all_success else status

    @property
    def finalized(self) -> bool:
        return self.status in FINAL

    @property
    def priority(self) -> int:
        """The priority of the first unfinished opcode (Ganeti's CalcPriority)."""
        for op in self.ops:
            if op.status not in FINAL:
                return op.priority
        return self.ops[-1].priority if self.ops else PRIO_DEFAULT

    def last_log_serial(self) -> int:
        serials = [entry[0] for op in self.ops for entry in op.log]
        return max(serials, default=0)

    def log_entries(self, after: int | None) -> list[list[Any]]:
        after = after or 0
        return [entry for op in self.ops for entry in op.log if entry[0] > after]

    def summary(self) -> list[str]:
        return [summarize(op.input) for op in self.ops]

    def finalize_remaining(self, status: Status, result: Any) -> None:
        """Mark every unfinished opcode `status` with `result` (errors, cancels)."""
        ts = now_ts()
        for op in self.ops:
            if op.status not in FINAL:
                op.status = status
                op.result = result
                op.end_timestamp = ts
        self.end_timestamp = ts

    def get_field(self, name: str) -> Any:
        """A job field for QueryJobs and WaitForJobChange (Ganeti's names)."""
        getter = _FIELDS.get(name)
        if getter is None:
            return None
        return getter(self)


_FIELDS: dict[str, Any] = {
    "id": lambda j: j.id,
    "status": lambda j: str(j.status),
    "priority": lambda j: j.priority,
    "ops": lambda j: [op.input for op in j.ops],
    "opresult": lambda j: [op.result for op in j.ops],
    "opstatus": lambda j: [str(op.status) for op in j.ops],
    "oplog": lambda j: [op.log for op in j.ops],
    "opstart": lambda j: [op.start_timestamp for op in j.ops],
    "opexec": lambda j: [op.exec_timestamp for op in j.ops],
    "opend": lambda j: [op.end_timestamp for op in j.ops],
    "oppriority": lambda j: [op.priority for op in j.ops],
    "received_ts": lambda j: j.received_timestamp,
    "start_ts": lambda j: j.start_timestamp,
    "end_ts": lambda j: j.end_timestamp,
    "summary": lambda j: j.summary(),
    "archived": lambda j: j.archived,
}
JOB_FIELDS = tuple(_FIELDS)

"""Job queue resources: /2/jobs, /2/jobs/ID, /2/jobs/ID/wait (long-poll) and the job
filter rules under /2/filters.
"""

from __future__ import annotations

from typing import Any

from pyganeti.http.messages import HttpError
from pyganeti.luxi.client import JOB_NOTCHANGED
from pyganeti.rapi.endpoint import BULK, DRY_RUN, Call, Endpoint
from pyganeti.rapi.routes import listing

J_FIELDS_BULK = ["id", "ops", "status", "summary", "opstatus", "received_ts", "start_ts", "end_ts"]
J_FIELDS = [*J_FIELDS_BULK, "oplog", "opresult"]
FILTER_FIELDS = ["watermark", "priority", "predicates", "action", "reason_trail", "uuid"]
#: Longest wait of one /2/jobs/ID/wait request, in seconds (Ganeti's value).
WAIT_TIMEOUT = 10
_WRITE = frozenset({"write"})


def _job_id(call: Call) -> int:
    raw = call.items["job_id"]
    if not raw.isdigit():
        raise HttpError(404, f"Job '{raw}' not found: job ids are numbers")
    return int(raw)


def list_jobs(call: Call) -> list[dict[str, Any]]:
    if call.args["bulk"]:
        rows = call.luxi.query_jobs(None, J_FIELDS_BULK)
        return [dict(zip(J_FIELDS_BULK, row, strict=True)) for row in rows if row]
    ids = sorted(int(row[0]) for row in call.luxi.query_jobs(None, ["id"]) if row)
    return [{"id": job_id, "uri": f"/2/jobs/{job_id}"} for job_id in ids]


def get_job(call: Call) -> dict[str, Any]:
    job_id = _job_id(call)
    rows = call.luxi.query_jobs([job_id], J_FIELDS)
    if not rows or rows[0] is None:
        raise HttpError(404, f"Job {job_id} not found")
    return dict(zip(J_FIELDS, rows[0], strict=True))


def cancel_job(call: Call) -> list[Any]:
    job_id = _job_id(call)
    if call.args["dry-run"]:
        raise HttpError(400, "Cancelling a job has no dry-run mode")
    return call.luxi.cancel_job(job_id)


def wait_job(call: Call) -> dict[str, Any] | None:
    job_id = _job_id(call)
    body = call.body_dict()
    unknown = sorted(set(body) - {"fields", "previous_job_info", "previous_log_serial"})
    if unknown:
        raise HttpError(400, f"Unknown body parameter(s) {unknown}")
    if "fields" not in body:
        raise HttpError(400, "Required parameter 'fields' is missing")
    fields = body["fields"]
    prev_info = body.get("previous_job_info")
    prev_serial = body.get("previous_log_serial")
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise HttpError(400, "The 'fields' parameter should be a list of strings")
    if not (prev_info is None or isinstance(prev_info, list)):
        raise HttpError(400, "The 'previous_job_info' parameter should be a list")
    if not (
        prev_serial is None or (isinstance(prev_serial, int) and not isinstance(prev_serial, bool))
    ):
        raise HttpError(400, "The 'previous_log_serial' parameter should be a number")
    result = call.luxi.wait_for_job_change_once(
        job_id, fields, prev_info, prev_serial, timeout=WAIT_TIMEOUT
    )
    if not result:
        raise HttpError(404, f"Job {job_id} not found")
    if result == JOB_NOTCHANGED:
        return None
    job_info, log_entries = result
    return {"job_info": job_info, "log_entries": log_entries}


def list_filters(call: Call) -> list[dict[str, Any]]:
    if call.args["bulk"]:
        rows = call.luxi.call("QueryFilters", None, FILTER_FIELDS)
        return [dict(zip(FILTER_FIELDS, row, strict=True)) for row in rows]
    uuids = sorted(str(row[0]) for row in call.luxi.call("QueryFilters", None, ["uuid"]))
    return [{"uuid": uuid, "uri": f"/2/filters/{uuid}"} for uuid in uuids]


def get_filter(call: Call) -> dict[str, Any]:
    uuid = call.items["filter_uuid"]
    rows = call.luxi.call("QueryFilters", [uuid], FILTER_FIELDS)
    if not rows or rows[0] is None:
        raise HttpError(404, f"Filter {uuid} not found")
    return dict(zip(FILTER_FIELDS, rows[0], strict=True))


def _filter_params(call: Call) -> tuple[int, list[Any], Any, list[Any]]:
    data = call.body_dict()
    unknown = sorted(set(data) - {"priority", "predicates", "action", "reason"})
    if unknown:
        raise HttpError(400, f"Invalid body parameters: filter rules don't support {unknown}")
    priority = data.get("priority", 0)
    predicates = data.get("predicates", [])
    reason = data.get("reason", [])
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise HttpError(400, "'priority' parameter: an integer is expected")
    for name, value in (("predicates", predicates), ("reason", reason)):
        if not isinstance(value, list):
            raise HttpError(400, f"'{name}' parameter: a list is expected")
    return priority, predicates, data.get("action", "CONTINUE"), reason


def add_filter(call: Call) -> Any:
    return call.luxi.call("ReplaceFilter", None, *_filter_params(call))


def replace_filter(call: Call) -> Any:
    return call.luxi.call("ReplaceFilter", call.items["filter_uuid"], *_filter_params(call))


def delete_filter(call: Call) -> Any:
    return call.luxi.call("DeleteFilter", call.items["filter_uuid"])


_JOB = "/2/jobs/{job_id}"
_FILTER = "/2/filters/{filter_uuid}"
_FILTER_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "priority": {"type": "integer"},
        "predicates": {"type": "array"},
        "action": {},
        "reason": {"type": "array"},
    },
}
_WAIT_BODY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fields"],
    "properties": {
        "fields": {"type": "array", "items": {"type": "string"}},
        "previous_job_info": {"type": ["array", "null"]},
        "previous_log_serial": {"type": ["integer", "null"]},
    },
}

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "GET",
        "/2/jobs",
        list_jobs,
        "All jobs (ids, or objects with bulk=1)",
        query=(BULK,),
        result_schema=listing.OBJECTS_SCHEMA,
    ),
    Endpoint("GET", _JOB, get_job, "One job", result_schema=listing.OBJECT_SCHEMA),
    Endpoint(
        "DELETE",
        _JOB,
        cancel_job,
        "Cancel a job",
        access=_WRITE,
        query=(DRY_RUN,),
        result_schema={"type": "array"},
    ),
    Endpoint(
        "GET",
        f"{_JOB}/wait",
        wait_job,
        "Wait (up to 10 s) for a job to change",
        access=_WRITE,
        body_schema=_WAIT_BODY,
        result_schema={"type": ["object", "null"]},
    ),
    Endpoint(
        "GET",
        "/2/filters",
        list_filters,
        "Job filter rules",
        query=(BULK,),
        result_schema=listing.OBJECTS_SCHEMA,
    ),
    Endpoint(
        "POST",
        "/2/filters",
        add_filter,
        "Add a job filter rule",
        access=_WRITE,
        body_schema=_FILTER_BODY,
        result_schema={"type": "string"},
    ),
    Endpoint(
        "GET", _FILTER, get_filter, "One job filter rule", result_schema=listing.OBJECT_SCHEMA
    ),
    Endpoint(
        "PUT",
        _FILTER,
        replace_filter,
        "Replace a job filter rule",
        access=_WRITE,
        body_schema=_FILTER_BODY,
        result_schema={"type": "string"},
    ),
    Endpoint(
        "DELETE",
        _FILTER,
        delete_filter,
        "Delete a job filter rule",
        access=_WRITE,
        result_schema={},
    ),
]

"""gnt-job: list, inspect, follow, cancel, archive and reprioritise jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.cli import jobs, listing, options, output, params
from pyganeti.cli.dispatch import Command, run
from pyganeti.cli.errors import format_error
from pyganeti.cli.generic_info import format_timestamp, generic_info_text
from pyganeti.cli.session import Session
from pyganeti.query.filter import make_simple_filter

LIST_DEF_FIELDS = ["id", "status", "summary"]
_INFO_FIELDS = [
    "id",
    "status",
    "ops",
    "opresult",
    "opstatus",
    "oplog",
    "opstart",
    "opexec",
    "opend",
    "received_ts",
    "start_ts",
    "end_ts",
]
_USER_STATUSES = (
    jobs.JOB_STATUS_QUEUED,
    jobs.JOB_STATUS_WAITING,
    jobs.JOB_STATUS_CANCELING,
    jobs.JOB_STATUS_RUNNING,
    jobs.JOB_STATUS_CANCELED,
    jobs.JOB_STATUS_SUCCESS,
    jobs.JOB_STATUS_ERROR,
)


def _format_status(value: Any) -> str:
    if value not in _USER_STATUSES:
        raise errors.ProgrammerError(f"Unknown job status code '{value}'")
    return str(value)


def _format_timestamps(value: Any) -> str:
    return ",".join(format_timestamp(v) for v in value or [])


_LIST_OVERRIDES: dict[str, listing.Formatter] = {
    "status": (_format_status, False),
    "summary": listing.JOINED,
    "opstart": (_format_timestamps, False),
    "opexec": (_format_timestamps, False),
    "opend": (_format_timestamps, False),
}


def _parse_job_ids(args: list[str]) -> list[int]:
    try:
        return [int(a) for a in args]
    except ValueError as err:
        raise errors.OpPrereqError(f"Invalid job ID passed: {err}", errors.ECODE_INVAL) from None


def list_jobs(s: Session) -> int:
    fields = params.parse_fields(s.opts.output, LIST_DEF_FIELDS)
    if s.opts.archived and "archived" not in fields:
        fields.append("archived")
    status_filter = make_simple_filter("status", s.opts.status_filter)
    return listing.generic_list(
        s,
        "job",
        fields,
        s.args,
        overrides=_LIST_OVERRIDES,
        namefield="id",
        extra_filter=status_filter,
        isnumeric=True,
    )


def list_job_fields(s: Session) -> int:
    return listing.generic_list_fields(s, "job")


def _delta(start: Any, end: Any) -> float:
    return float(end[0] - start[0]) + float(end[1] - start[1]) / 1e6


def _job_timestamp(info: list[Any], name: str, ts: Any, prior: Any = None) -> None:
    if ts is None:
        info.append((name, f"unknown ({ts})", "job_timestamp"))
        return
    delta = f" (delta {_delta(prior, ts):.6f}s)" if prior is not None else ""
    info.append((name, f"{format_timestamp(ts)}{delta}", "job_timestamp"))


def _op_timestamp(info: list[Any], name: str, ts: Any) -> None:
    text = format_timestamp(ts) if isinstance(ts, (list, tuple)) else "N/A"
    info.append((name, text, "opcode_timestamp"))


def job_info_entry(row: list[list[Any]]) -> Any:
    """The PrintGenericInfo structure of one job row (or its "not found" line)."""
    (_, job_id), (rs_status, status) = row[0], row[1]
    if rs_status != listing.RS_NORMAL:
        return f"Job ID {job_id} not found"
    (ops, opresult, opstatus, oplog, opstart, opexec, opend, recv_ts, start_ts, end_ts) = (
        value for _, value in row[2:]
    )
    info: list[Any] = [("Job ID", job_id), ("Status", _format_status(status))]
    _job_timestamp(info, "Received", recv_ts)
    _job_timestamp(info, "Processing start", start_ts, prior=recv_ts)
    _job_timestamp(info, "Processing end", end_ts, prior=start_ts)
    if end_ts is not None and recv_ts is not None:
        info.append(("Total processing time", f"{_delta(recv_ts, end_ts):.6f} seconds"))
    else:
        info.append(("Total processing time", "N/A"))
    opcodes = []
    for op, result, op_status, log, s_ts, x_ts, e_ts in zip(
        ops or [],
        opresult or [],
        opstatus or [],
        oplog or [],
        opstart or [],
        opexec or [],
        opend or [],
        strict=False,
    ):
        op_info: list[Any] = [("Opcode", op.get("OP_ID")), ("Status", op_status)]
        _op_timestamp(op_info, "Processing start", s_ts)
        _op_timestamp(op_info, "Execution start", x_ts)
        _op_timestamp(op_info, "Processing end", e_ts)
        op_info.append(("Input fields", op))
        op_info.append(("Result", result))
        op_info.append(
            (
                "Execution log",
                [
                    [
                        ("Time", format_timestamp(log_ts)),
                        ("Content", (serial, log_type, jobs.format_log_message(log_type, msg))),
                    ]
                    for serial, log_ts, log_type, msg in log or []
                ],
            )
        )
        opcodes.append(op_info)
    info.append(("Opcodes", opcodes))
    return info


def show_jobs(s: Session) -> int:
    qf = make_simple_filter("id", _parse_job_ids(s.args))
    result = s.client().query("job", _INFO_FIELDS, qf)
    entries = [job_info_entry(row) for row in result.get("data", [])]
    if entries:
        s.stdout(generic_info_text(entries))
    return 0


def watch_job(s: Session) -> int:
    job_id = str(_parse_job_ids(s.args)[0])
    msg = f"Output from job {job_id} follows"
    s.stdout(msg)
    s.stdout("-" * len(msg))
    try:
        jobs.poll_job(s, job_id)
    except errors.GenericError as err:
        code, text = format_error(err)
        s.stderr(f"Job {job_id} failed: {text}")
        return code
    return 0


def wait_job(s: Session) -> int:
    job_id = str(_parse_job_ids(s.args)[0])
    try:
        jobs.poll_job(s, job_id, jobs.SilentReporter(s))
    except errors.GenericError as err:
        code, text = format_error(err)
        s.stderr(f"Job {job_id} failed: {text}")
        return code
    return 0


def archive_jobs(s: Session) -> int:
    code = 0
    for job_id in _parse_job_ids(s.args):
        if not s.client().archive_job(job_id):
            s.stderr(f"Failed to archive job with ID '{job_id}'")
            code = 1
    return code


def autoarchive_jobs(s: Session) -> int:
    age = -1 if s.args[0] == "all" else params.parse_timespec(s.args[0])
    archived, left = s.client().auto_archive_jobs(age)
    s.stdout(f"Archived {archived} jobs, {left} unchecked left")
    return 0


def _multi_job_action(s: Session, question: str, action: Callable[[str], list[Any]]) -> int:
    status_filter = s.opt("status_filter")
    if bool(s.args) == (status_filter is not None):
        raise errors.OpPrereqError(
            "Either a status filter or job ID(s) must be specified and never both",
            errors.ECODE_INVAL,
        )
    if status_filter is not None:
        response = s.client().query(
            "job",
            ["id", "status", "summary"],
            make_simple_filter("status", list(status_filter)),
        )
        job_ids = [str(row[0][1]) for row in response.get("data", [])]
        if not job_ids:
            raise errors.OpPrereqError(
                "No jobs with the requested status have been found", errors.ECODE_STATE
            )
        if not s.opts.force:
            _, lines = output.format_query_result(
                response,
                header=True,
                separator=None,
                units=None,
                format_override=_LIST_OVERRIDES,
            )
            for line in lines:
                s.stdout(line)
            if not s.ask(question):
                return errors.EXIT_CONFIRMATION
    else:
        job_ids = [str(j) for j in _parse_job_ids(s.args)]
    code = 0
    for job_id in job_ids:
        ok, msg = action(job_id)
        if not ok:
            code = 1
        s.stdout(str(msg))
    return code


def cancel_jobs(s: Session) -> int:
    if s.opts.kill and not s.opts.yes_do_it:
        raise errors.OpPrereqError(
            "The --kill option must be confirmed with --yes-do-it", errors.ECODE_INVAL
        )
    name = "KILL" if s.opts.kill else "Cancel"
    return _multi_job_action(
        s, f"{name} job(s) listed above?", lambda jid: s.client().cancel_job(jid, kill=s.opts.kill)
    )


def change_priority(s: Session) -> int:
    if s.opts.priority is None:
        s.stderr("--priority option must be given.")
        return 1
    return _multi_job_action(
        s,
        "Change priority of job(s) listed above?",
        lambda jid: s.client().change_job_priority(jid, s.opts.priority),
    )


def _status_opt(flag: str, statuses: tuple[str, ...], help_text: str) -> options.Opt:
    return options.opt(
        flag,
        dest="status_filter",
        action="store_const",
        const=statuses,
        default=None,
        help=help_text,
    )


PENDING = _status_opt(
    "--pending", jobs.JOBS_PENDING, "Select jobs pending execution or being cancelled"
)
RUNNING = _status_opt("--running", (jobs.JOB_STATUS_RUNNING,), "Show jobs currently running only")
ERROR = _status_opt("--error", (jobs.JOB_STATUS_ERROR,), "Show failed jobs only")
FINISHED = _status_opt("--finished", jobs.JOBS_FINALIZED, "Show finished jobs only")
QUEUED = _status_opt("--queued", (jobs.JOB_STATUS_QUEUED,), "Select queued jobs only")
WAITING = _status_opt("--waiting", (jobs.JOB_STATUS_WAITING,), "Select waiting jobs only")
ARCHIVED = options.opt(
    "--archived",
    dest="archived",
    default=False,
    action="store_true",
    help="Include archived jobs in list (slow and expensive)",
)
KILL = options.opt(
    "--kill", dest="kill", default=False, action="store_true", help="Kill running jobs with SIGKILL"
)

COMMANDS: dict[str, Command] = {
    "list": Command(
        list_jobs,
        0,
        None,
        (
            options.NOHDR,
            options.SEP,
            options.FIELDS,
            options.VERBOSE,
            options.FORCE_FILTER,
            PENDING,
            RUNNING,
            ERROR,
            FINISHED,
            ARCHIVED,
        ),
        "[<job-id>...]",
        "Lists the jobs and their status. The available fields can be shown"
        ' using the "list-fields" command (see the man page for details).'
        f" The default field list is (in order): {', '.join(LIST_DEF_FIELDS)}.",
    ),
    "list-fields": Command(
        list_job_fields,
        0,
        None,
        (options.NOHDR, options.SEP),
        "[<fields>...]",
        "Lists all available fields for jobs",
    ),
    "archive": Command(
        archive_jobs, 1, None, (), "<job-id> [<job-id>...]", "Archive specified jobs"
    ),
    "autoarchive": Command(
        autoarchive_jobs, 1, 1, (), "<age>", "Auto archive jobs older than the given age"
    ),
    "cancel": Command(
        cancel_jobs,
        0,
        None,
        (options.FORCE, KILL, PENDING, QUEUED, WAITING, options.YES_DOIT),
        "{[--force] [--kill --yes-do-it] {--pending | --queued | --waiting} |"
        " <job-id> [<job-id>...]}",
        "Cancel jobs",
    ),
    "info": Command(
        show_jobs,
        1,
        None,
        (),
        "<job-id> [<job-id>...]",
        "Show detailed information about the specified jobs",
    ),
    "wait": Command(wait_job, 1, 1, (), "<job-id>", "Wait for a job to finish"),
    "watch": Command(
        watch_job, 1, 1, (), "<job-id>", "Follows a job and prints its output as it arrives"
    ),
    "change-priority": Command(
        change_priority,
        0,
        None,
        (options.PRIORITY, options.FORCE, PENDING, QUEUED, WAITING),
        "--priority <priority> {[--force] {--pending | --queued |"
        " --waiting} | <job-id> [<job-id>...]}",
        "Change the priority of jobs",
    ),
}
ALIASES = {"show": "info"}


def main(argv: list[str] | None = None) -> int:
    return run("gnt-job", COMMANDS, argv, ALIASES)

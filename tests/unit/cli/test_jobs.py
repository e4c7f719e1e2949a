"""Submitting opcodes and following jobs: log lines, failures, --submit, generic options."""

from __future__ import annotations

import time
from typing import Any

from pyganeti import errors
from pyganeti.cli import gnt_debug, jobs


def test_opcode_drops_unset_parameters() -> None:
    assert jobs.opcode("OP_X", a=1, b=None, c=False) == {"OP_ID": "OP_X", "a": 1, "c": False}


def test_success_prints_log_lines_with_ctime(cli: Any) -> None:
    cli.fake.script_job(log=[("message", "* sleeping"), ("other", ["a", 1])])
    code, out, err = cli.run(gnt_debug.main, "delay", "0.5")
    assert code == 0
    assert err == ""
    assert out.splitlines() == [
        f"{time.ctime(1700000001)} * sleeping",
        f"{time.ctime(1700000002)} ['a', 1]",
    ]


def test_generic_options_reach_the_opcode(cli: Any) -> None:
    code, _, _ = cli.run(
        gnt_debug.main, "delay", "-d", "--dry-run", "--priority", "high", "--reason", "why", "2"
    )
    assert code == 0
    (op,) = cli.fake.submitted_ops()
    assert op["OP_ID"] == "OP_TEST_DELAY"
    assert op["duration"] == 2.0
    assert op["debug_level"] == 1
    assert op["dry_run"] is True
    assert op["priority"] == -10
    assert [entry[:2] for entry in op["reason"]] == [
        ["gnt:user", "why"],
        ["gnt:client:gnt-debug", "delay"],
    ]


def test_prereq_failure_is_formatted_like_ganeti(cli: Any) -> None:
    err_msg = errors.OpPrereqError("Node 'x' is unknown", errors.ECODE_NOENT).encode()
    cli.fake.script_job(status="error", opstatus=["error"], opresult=[err_msg])
    code, _, err = cli.run(gnt_debug.main, "delay", "1")
    assert code == 1
    assert err == (
        "Failure: prerequisites not met for this operation:\n"
        "error type: unknown_entity, error details:\nNode 'x' is unknown\n"
    )


def test_plain_error_result_becomes_exec_error(cli: Any) -> None:
    cli.fake.script_job(status="error", opstatus=["error"], opresult=["disk on fire"])
    code, _, err = cli.run(gnt_debug.main, "delay", "1")
    assert code == 1
    assert err == "Failure: command execution error:\ndisk on fire\n"


def test_canceled_job(cli: Any) -> None:
    cli.fake.script_job(status="canceled")
    code, _, err = cli.run(gnt_debug.main, "delay", "1")
    assert (code, err) == (1, "Unhandled Ganeti error: Job was canceled\n")


def test_lost_job(cli: Any) -> None:
    cli.fake.handlers["WaitForJobChange"] = lambda args: None
    code, _, err = cli.run(gnt_debug.main, "delay", "1")
    assert (code, err) == (1, "Error checking job status: Job with id 1 lost\n")


def test_not_changed_reports_waiting_once(cli: Any) -> None:
    answers = iter(["nochange", [["waiting"], []], "nochange", "nochange", [["success"], []]])
    cli.fake.handlers["WaitForJobChange"] = lambda args: next(answers)
    code, _, err = cli.run(gnt_debug.main, "delay", "1")
    assert code == 0
    assert err == "Job 1 is trying to acquire all necessary locks\n"


def test_submit_prints_job_id_and_does_not_wait(cli: Any) -> None:
    code, out, err = cli.run(gnt_debug.main, "delay", "--submit", "--print-jobid", "1")
    assert (code, out, err) == (0, "1\n", "JobID: 1\n")
    assert cli.fake.calls("WaitForJobChange") == []


def test_submission_refused_by_drained_queue(cli: Any) -> None:
    def refuse(args: Any) -> Any:
        raise errors.JobQueueDrainError("queue drained")

    cli.fake.handlers["SubmitJob"] = refuse
    code, _, err = cli.run(gnt_debug.main, "delay", "1")
    assert code == 1
    assert "the job queue is marked for drain" in err


def test_delay_rejects_bad_duration(cli: Any) -> None:
    code, _, err = cli.run(gnt_debug.main, "delay", "soon")
    assert code == 1
    assert "Invalid delay duration 'soon'" in err
    assert cli.fake.requests == []

"""gnt-job commands against the fake master daemon."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti.cli import gnt_job

JOB_FIELDS = {
    "id": ("ID", "number"),
    "status": ("Status", "text"),
    "summary": ("Summary", "other"),
    "archived": ("Archived", "bool"),
    "ops": ("OpCodes", "other"),
    "opresult": ("OpCode_result", "other"),
    "opstatus": ("OpCode_status", "other"),
    "oplog": ("OpCode_log", "other"),
    "opstart": ("OpCode_start", "other"),
    "opexec": ("OpCode_exec", "other"),
    "opend": ("OpCode_end", "other"),
    "received_ts": ("Received", "other"),
    "start_ts": ("Start", "other"),
    "end_ts": ("End", "other"),
}


@pytest.fixture
def jobs_table(cli: Any) -> Any:
    cli.fake.set_table(
        "job",
        JOB_FIELDS,
        [
            {"id": 1, "status": "success", "summary": ["CLUSTER_VERIFY"],
             "ops": [{"OP_ID": "OP_CLUSTER_VERIFY"}], "opresult": [True],
             "opstatus": ["success"], "oplog": [[[1, [100, 0], "message", "* Verifying"]]],
             "opstart": [[100, 0]], "opexec": [[100, 500000]], "opend": [[101, 0]],
             "received_ts": [99, 0], "start_ts": [100, 0], "end_ts": [101, 250000]},
            {"id": 2, "status": "queued", "summary": ["TEST_DELAY(1)", "TEST_DELAY(2)"]},
        ],
    )  # fmt: skip
    return cli


def test_list(jobs_table: Any) -> None:
    code, out, _ = jobs_table.run(gnt_job.main, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Status", "Summary"]
    assert lines[2].split() == ["2", "queued", "TEST_DELAY(1),TEST_DELAY(2)"]


def test_list_status_filter_ids_and_archived(jobs_table: Any) -> None:
    code, _, _ = jobs_table.run(gnt_job.main, "list", "--pending", "--archived", "2")
    assert code == 0
    _what, fields, qf = jobs_table.fake.calls("Query")[0]
    assert fields == ["id", "status", "summary", "archived"]
    assert qf == [
        "&",
        ["|", ["==", "id", 2]],
        ["|", ["==", "status", "queued"], ["==", "status", "waiting"],
         ["==", "status", "canceling"]],
    ]  # fmt: skip


def test_list_rejects_non_numeric_ids(jobs_table: Any) -> None:
    code, _, err = jobs_table.run(gnt_job.main, "list", "two")
    assert code == 1 and "Invalid job ID passed: 'two'" in err
    assert jobs_table.fake.requests == []


def test_info(jobs_table: Any) -> None:
    code, out, _ = jobs_table.run(gnt_job.main, "info", "1", "7")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["- Job ID: 1", "  Status: success"]
    assert lines[2].startswith("  Received:         ")
    assert lines[3].endswith(" (delta 1.000000s)")
    assert "  Total processing time: 2.250000 seconds" in lines
    assert "    - Opcode: OP_CLUSTER_VERIFY" in lines
    assert "          Content: [1, message, * Verifying]" in lines


def test_info_rejects_bad_ids(jobs_table: Any) -> None:
    code, _, err = jobs_table.run(gnt_job.main, "info", "x")
    assert code == 1 and "Invalid job ID passed" in err


def test_watch_success_and_failure(cli: Any) -> None:
    job = cli.fake.add_job(log=[("message", "working")])
    code, out, _ = cli.run(gnt_job.main, "watch", job)
    assert code == 0
    header = f"Output from job {job} follows"
    assert out.splitlines()[:2] == [header, "-" * len(header)]
    assert out.splitlines()[2].endswith(" working")
    bad = cli.fake.add_job(status="error", opstatus=["error"], opresult=["crashed"])
    code, _, err = cli.run(gnt_job.main, "watch", bad)
    assert code == 1
    assert err == f"Job {bad} failed: Failure: command execution error:\ncrashed\n"


def test_wait_is_silent(cli: Any) -> None:
    job = cli.fake.add_job(log=[("message", "working")])
    assert cli.run(gnt_job.main, "wait", job) == (0, "", "")


def test_watch_unknown_job(cli: Any) -> None:
    code, _, err = cli.run(gnt_job.main, "watch", "42")
    assert (code, err) == (1, "Job 42 failed: Error checking job status: Job with id 42 lost\n")


def test_cancel_by_id_and_by_status(jobs_table: Any) -> None:
    code, out, _ = jobs_table.run(gnt_job.main, "cancel", "2")
    assert (code, out) == (0, "Job 2 will be canceled\n")
    assert jobs_table.fake.calls("CancelJob") == [[2, False]]
    # A status selection lists the jobs and asks; without a terminal that is a refusal.
    code, out, _ = jobs_table.run(gnt_job.main, "cancel", "--pending")
    assert code == 13
    assert "TEST_DELAY(1),TEST_DELAY(2)" in out
    code, _, _ = jobs_table.run(gnt_job.main, "cancel", "--pending", "--force")
    assert code == 0
    assert jobs_table.fake.calls("CancelJob")[-1] == [2, False]


def test_cancel_bad_input(jobs_table: Any) -> None:
    code, _, err = jobs_table.run(gnt_job.main, "cancel")
    assert code == 1 and "Either a status filter or job ID(s)" in err
    code, _, err = jobs_table.run(gnt_job.main, "cancel", "--kill", "2")
    assert code == 1 and "--kill option must be confirmed with --yes-do-it" in err
    assert jobs_table.fake.calls("CancelJob") == []


def test_change_priority(jobs_table: Any) -> None:
    code, _, err = jobs_table.run(gnt_job.main, "change-priority", "2")
    assert (code, err) == (1, "--priority option must be given.\n")
    assert jobs_table.run(gnt_job.main, "change-priority", "--priority", "low", "2")[0] == 0
    assert jobs_table.fake.calls("ChangeJobPriority") == [[2, 10]]


def test_archive(cli: Any) -> None:
    assert cli.run(gnt_job.main, "archive", "3", "4")[0] == 0
    assert cli.fake.calls("ArchiveJob") == [[3], [4]]
    cli.fake.handlers["ArchiveJob"] = lambda args: False
    code, _, err = cli.run(gnt_job.main, "archive", "5")
    assert (code, err) == (1, "Failed to archive job with ID '5'\n")


def test_autoarchive(cli: Any) -> None:
    cli.fake.handlers["AutoArchiveJobs"] = lambda args: [3, 0]
    assert cli.run(gnt_job.main, "autoarchive", "1d") == (
        0,
        "Archived 3 jobs, 0 unchecked left\n",
        "",
    )
    assert cli.fake.calls("AutoArchiveJobs") == [[86400, 30]]
    assert cli.run(gnt_job.main, "autoarchive", "all")[0] == 0
    assert cli.fake.calls("AutoArchiveJobs")[-1][0] == -1
    code, _, err = cli.run(gnt_job.main, "autoarchive", "old")
    assert code == 1 and "Invalid time specification 'old'" in err

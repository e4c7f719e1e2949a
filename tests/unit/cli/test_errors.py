"""Error texts and exit codes of the gnt-* tools (Ganeti's FormatError)."""

from __future__ import annotations

import pytest

from pyganeti import errors
from pyganeti.cli.errors import JobSubmitted, MasterUnreachable, format_error


@pytest.mark.parametrize(
    ("err", "code", "text"),
    [
        (
            errors.OpPrereqError("Instance 'x' already exists", errors.ECODE_EXISTS),
            1,
            "Failure: prerequisites not met for this operation:\nerror type: already_exists,"
            " error details:\nInstance 'x' already exists",
        ),
        (
            errors.OpPrereqError("bad"),
            1,
            "Failure: prerequisites not met for this operation:\nbad",
        ),
        (errors.OpExecError("disk failed"), 1, "Failure: command execution error:\ndisk failed"),
        (errors.TagError("bad tag"), 1, "Failure: invalid tag(s) given:\nbad tag"),
        (
            errors.JobQueueDrainError("drained"),
            1,
            "Failure: the job queue is marked for drain and doesn't accept new requests",
        ),
        (errors.ParameterError("x"), 1, "Failure: unknown/wrong parameter name 'x'"),
        (errors.ConfigurationError("broken"), 2, "Corrupt configuration file: broken\nAborting."),
        (errors.JobLost("Job with id 3 lost"), 1, "Error checking job status: Job with id 3 lost"),
        (errors.GenericError("odd"), 1, "Unhandled Ganeti error: odd"),
        (JobSubmitted("17"), 0, "JobID: 17"),
        (MasterUnreachable("no master", 5), 5, "no master"),
    ],
)
def test_format_error(err: Exception, code: int, text: str) -> None:
    assert format_error(err) == (code, text)


def test_hooks_abort_lists_every_failed_script() -> None:
    err = errors.HooksAbort([("node1", "10-check", "out"), ("node2", "20-x", "")])
    assert format_error(err) == (
        1,
        "Failure: hooks execution failed:\n  node: node1, script: 10-check, output: out\n"
        "  node: node2, script: 20-x (no output)",
    )

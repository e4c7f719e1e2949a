"""Turning exceptions into Ganeti's CLI error texts and exit codes (cli.FormatError)."""

from __future__ import annotations

from pyganeti import errors


class JobSubmitted(Exception):
    """Raised by --submit: the job was queued; main prints "JobID: N" and exits 0."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id


class MasterUnreachable(Exception):
    """The luxi socket cannot be reached; exit_code is 5 when no cluster exists."""

    def __init__(self, message: str, exit_code: int = errors.EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(Exception):
    """Bad command line (wrong argument count, invalid option value)."""

    def __init__(self, message: str, exit_code: int = errors.EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def format_error(err: BaseException) -> tuple[int, str]:
    """(exit code, message without trailing newline), worded as Ganeti words it."""
    code = errors.EXIT_FAILURE
    msg = str(err.args[0]) if err.args else type(err).__name__
    if isinstance(err, JobSubmitted):
        return errors.EXIT_SUCCESS, f"JobID: {err.job_id}"
    if isinstance(err, (MasterUnreachable, UsageError)):
        return err.exit_code, msg
    if isinstance(err, errors.ConfigurationError):
        return 2, f"Corrupt configuration file: {msg}\nAborting."
    if isinstance(err, errors.HooksAbort):
        lines = ["Failure: hooks execution failed:"]
        for entry in err.args[0] if err.args else []:
            node, script, out = entry
            if out:
                lines.append(f"  node: {node}, script: {script}, output: {out}")
            else:
                lines.append(f"  node: {node}, script: {script} (no output)")
        return code, "\n".join(lines)
    if isinstance(err, errors.HooksFailure):
        return code, f"Failure: hooks general failure: {msg}"
    if isinstance(err, errors.ResolverError):
        return code, f"Failure: can't resolve hostname '{msg}'"
    if isinstance(err, errors.OpPrereqError):
        if len(err.args) == 2:
            return code, (
                "Failure: prerequisites not met for this operation:\n"
                f"error type: {err.args[1]}, error details:\n{err.args[0]}"
            )
        return code, f"Failure: prerequisites not met for this operation:\n{msg}"
    if isinstance(err, errors.OpExecError):
        return code, f"Failure: command execution error:\n{msg}"
    if isinstance(err, errors.TagError):
        return code, f"Failure: invalid tag(s) given:\n{msg}"
    if isinstance(err, errors.JobQueueDrainError):
        return code, ("Failure: the job queue is marked for drain and doesn't accept new requests")
    if isinstance(err, errors.JobQueueFull):
        return code, (
            "Failure: the job queue is full and doesn't accept new job"
            " submissions until old jobs are archived"
        )
    if isinstance(err, errors.TypeEnforcementError):
        return code, f"Parameter Error: {msg}"
    if isinstance(err, errors.UnitParseError):
        return code, f"Invalid unit: {msg}"
    if isinstance(err, errors.ParameterError):
        return code, f"Failure: unknown/wrong parameter name '{msg}'"
    if isinstance(err, errors.JobLost):
        return code, f"Error checking job status: {msg}"
    if isinstance(err, errors.QueryFilterParseError):
        return code, f"Error while parsing query filter: {msg}"
    if isinstance(err, errors.LuxiError):
        return code, f"Unhandled protocol error while talking to the master daemon:\n{msg}"
    if isinstance(err, errors.GenericError):
        return code, f"Unhandled Ganeti error: {msg}"
    return code, f"Unhandled exception: {msg}"

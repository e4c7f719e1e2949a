"""The one exception tree of pyganeti, mapped to every surface.

Class names are Ganeti's: on the luxi wire an error travels as [class name, args] and
Ganeti's own clients re-raise it by name. Each class also carries the HTTP status RAPI
answers with and the exit code the gnt-* commands use.
"""

from __future__ import annotations

from typing import Any, ClassVar

# Exit codes of the gnt-* commands (Ganeti's values).
EXIT_SUCCESS = 0
EXIT_FAILURE = 1
EXIT_NOTCLUSTER = 5
EXIT_NOTMASTER = 11
EXIT_NODESETUP_ERROR = 12
EXIT_CONFIRMATION = 13
EXIT_UNKNOWN_FIELD = 14

# OpPrereqError codes (second argument), as Ganeti spells them.
ECODE_RESOLVE = "resolver_error"
ECODE_NORES = "insufficient_resources"
ECODE_TEMP_NORES = "temp_insufficient_resources"
ECODE_INVAL = "wrong_input"
ECODE_STATE = "wrong_state"
ECODE_NOENT = "unknown_entity"
ECODE_EXISTS = "already_exists"
ECODE_NOTUNIQUE = "resource_not_unique"
ECODE_FAULT = "internal_error"
ECODE_ENVIRON = "environment_error"

_ECODE_HTTP = {
    ECODE_NOENT: 404,
    ECODE_EXISTS: 409,
    ECODE_STATE: 409,
    ECODE_NOTUNIQUE: 409,
    ECODE_INVAL: 400,
    ECODE_RESOLVE: 400,
    ECODE_NORES: 503,
    ECODE_TEMP_NORES: 503,
    ECODE_ENVIRON: 500,
    ECODE_FAULT: 500,
}


class GenericError(Exception):
    """Base of every Ganeti error."""

    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = EXIT_FAILURE

    def encode(self) -> list[Any]:
        """[class name, args] as Ganeti's EncodeException produces."""
        return [type(self).__name__, list(self.args)]

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class LockError(GenericError):
    pass


class PidFileLockError(LockError):
    pass


class HypervisorError(GenericError):
    pass


class ProgrammerError(GenericError):
    pass


class BlockDeviceError(GenericError):
    pass


class ConfigurationError(GenericError):
    pass


class ConfigVersionMismatch(ConfigurationError):
    pass


class ConfigVerifyError(ConfigurationError):
    pass


class ReservationError(GenericError):
    http_status = 409


class RemoteError(GenericError):
    pass


class ParameterError(GenericError):
    http_status = 400


class OpPrereqError(GenericError):
    """A prerequisite failed: args are (message, ecode)."""

    http_status = 400

    @property
    def ecode(self) -> str:
        return str(self.args[1]) if len(self.args) > 1 else ECODE_INVAL

    def status(self) -> int:
        return _ECODE_HTTP.get(self.ecode, 400)


class OpExecError(GenericError):
    pass


class OpResultError(GenericError):
    pass


class OpCodeUnknown(GenericError):
    http_status = 400


class JobLost(GenericError):
    http_status = 404


class JobCanceled(GenericError):
    pass


class JobFileCorrupted(GenericError):
    pass


class ResolverError(GenericError):
    http_status = 400


class HooksFailure(GenericError):
    pass


class HooksAbort(HooksFailure):
    pass


class UnitParseError(GenericError):
    http_status = 400


class ParseError(GenericError):
    http_status = 400


class TypeEnforcementError(GenericError):
    http_status = 400


class X509CertError(GenericError):
    pass


class TagError(GenericError):
    http_status = 400


class CommandError(GenericError):
    pass


class StorageError(GenericError):
    pass


class JobQueueError(GenericError):
    pass


class JobQueueDrainError(JobQueueError):
    http_status = 503


class JobQueueFull(JobQueueError):
    http_status = 503


class LuxiError(GenericError):
    pass


class TransportError(LuxiError):
    """The connection to a daemon failed (not an error the daemon reported)."""


class QueryFilterParseError(ParseError):
    pass


class FileStoragePathError(GenericError):
    http_status = 400


class NotClusterError(GenericError):
    """No cluster is initialised under this root (pyganeti-specific)."""

    exit_code = EXIT_NOTCLUSTER


class NotMasterError(GenericError):
    """This node is not the master (pyganeti-specific)."""

    exit_code = EXIT_NOTMASTER


class UnknownFieldError(ParameterError):
    """A query asked for a field that does not exist (pyganeti-specific)."""

    exit_code = EXIT_UNKNOWN_FIELD


def _all_error_classes() -> dict[str, type[GenericError]]:
    found: dict[str, type[GenericError]] = {}
    stack: list[type[GenericError]] = [GenericError]
    while stack:
        cls = stack.pop()
        found[cls.__name__] = cls
        stack.extend(cls.__subclasses__())
    return found


def error_class(name: str) -> type[GenericError] | None:
    """The error class called `name`, or None (the wire registry)."""
    return _all_error_classes().get(name)


def encode(err: BaseException) -> list[Any]:
    """Encode any exception as [class name, args] for the wire."""
    if isinstance(err, GenericError):
        return err.encode()
    return ["GenericError", [f"{type(err).__name__}: {err}"]]


def maybe_raise(result: Any) -> None:
    """Re-raise `result` if it is an encoded error ([name, [args]])."""
    if (
        isinstance(result, (list, tuple))
        and len(result) == 2
        and isinstance(result[0], str)
        and isinstance(result[1], (list, tuple))
    ):
        cls = error_class(result[0])
        if cls is not None:
            raise cls(*result[1])


def http_status(err: BaseException) -> int:
    """HTTP status RAPI answers for `err`."""
    if isinstance(err, OpPrereqError):
        return err.status()
    if isinstance(err, GenericError):
        return err.http_status
    return 500

"""The error raised when a host configuration is invalid: names record, field, file, line."""

from __future__ import annotations

from pyganeti.errors import ConfigurationError


class HostConfigError(ConfigurationError):
    """A host configuration value is wrong.

    `record` and `field` use the seeds' spelling (``ganeti-rapi-configuration``,
    ``max-clients``); `file` and `line` are set when the value came from a host file.
    """

    def __init__(
        self,
        problem: str,
        *,
        record: str | None = None,
        field: str | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.record = record
        self.field = field
        self.file = file
        self.line = line
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        what = ""
        if self.record is not None:
            what = self.record
            if self.field is not None:
                what += f": field '{self.field}'"
            what += ": "
        return f"{where}{what}{self.problem}"

    def located(self, file: str, line: int | None) -> HostConfigError:
        """A copy of this error that also names the file and line it came from."""
        return HostConfigError(
            self.problem, record=self.record, field=self.field, file=file, line=line
        )


class HostApplyError(ConfigurationError):
    """Applying a host configuration or controlling one of its services failed."""

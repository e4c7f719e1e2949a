"""The `virtlog-configuration` record: settings of virtlogd, libvirt's console log daemon."""

from __future__ import annotations

from dataclasses import dataclass

from pyganeti.host.records.libvirt import _LOG_FILTERS_DOC, _LOG_OUTPUTS_DOC, _check_log_level
from pyganeti.host.records.schema import Record, check_non_empty, check_non_negative, setting


@dataclass(frozen=True, kw_only=True)
class VirtlogConfiguration(Record):
    """Configuration of virtlogd, which keeps VM console logs for libvirtd."""

    RECORD = "virtlog-configuration"
    DOC = (
        "virtlogd manages the console logs of virtual machines on behalf of libvirtd, so"
        " libvirtd can restart without losing logs. Its socket location is fixed by libvirt"
        " (/run/libvirt/virtlogd-sock as root, $XDG_RUNTIME_DIR/libvirt otherwise)."
    )

    log_level: int = setting(
        3,
        doc="Logging level: 4 errors, 3 warnings, 2 information, 1 debug.",
        check=_check_log_level,
    )
    log_filters: str = setting("3:remote 4:event", doc=_LOG_FILTERS_DOC)
    log_outputs: str = setting("3:stderr", doc=_LOG_OUTPUTS_DOC, check=check_non_empty)
    max_clients: int = setting(
        1024,
        doc="Maximum number of concurrent client connections across all sockets.",
        check=check_non_negative,
    )
    max_size: int = setting(
        2 * 1024 * 1024,
        doc="Maximum file size, in bytes, before rolling over to a new file.",
        check=check_non_negative,
        default_doc="2097152 (2 MiB)",
    )
    max_backups: int = setting(
        3, doc="Maximum number of backup files to keep.", check=check_non_negative
    )

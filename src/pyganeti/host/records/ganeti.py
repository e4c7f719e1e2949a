"""Records of the Ganeti services: one per daemon or periodic job, and `ganeti-configuration`.

Field names, types and defaults are the seeds' (Guix manual, Ganeti section). Where the
English and Spanish seeds disagree on RAPI's ``ssl?``, Ganeti's own default holds: TLS on.
"""

from __future__ import annotations

from dataclasses import dataclass

# RUF009 is silenced on record-typed defaults: records are frozen, hence immutable.
from pyganeti.host.cron import check_cron
from pyganeti.host.records.ganeti_os import DEFAULT_GANETI_OS, GanetiOs
from pyganeti.host.records.schema import (
    Record,
    check_all,
    check_each,
    check_non_empty,
    check_port,
    check_positive,
    setting,
)

DEFAULT_SSL_FILE = "/var/lib/ganeti/server.pem"

PACKAGE_DOC = (
    "The package providing this service's commands. The default, ganeti, is pyganeti"
    " itself (its programs run with the Python running pyganeti); another plain name means"
    " the commands are found on PATH; a value containing '/' is an installation prefix"
    " whose bin/ holds them (e.g. a virtualenv)."
)
DEBUG_DOC = "When true, the daemon performs additional logging for debugging purposes."
DEBUG_TLS_DOC = (
    DEBUG_DOC + " Note that this will leak encryption details to the log files, use with caution."
)


def check_address(value: object) -> str | None:
    if isinstance(value, str) and (not value or any(c.isspace() for c in value)):
        return f"{value!r} is not a network address"
    return None


def _package() -> str:
    return setting("ganeti", doc=PACKAGE_DOC, check=check_non_empty)  # type: ignore[no-any-return]


@dataclass(frozen=True, kw_only=True)
class GanetiNodedConfiguration(Record):
    """Configuration of ganeti-noded, the daemon doing node-specific work."""

    RECORD = "ganeti-noded-configuration"
    DOC = "ganeti-noded is the daemon responsible for node-specific functions."

    ganeti: str = _package()
    port: int = setting(
        1811, doc="The TCP port on which the node daemon listens for requests.", check=check_port
    )
    address: str = setting(
        "0.0.0.0",
        doc="The network address the daemon binds to; the default means all addresses.",
        check=check_address,
    )
    interface: str | None = setting(
        None,
        doc="When set, a specific network interface (e.g. eth0) the daemon binds to.",
        check=check_non_empty,
    )
    max_clients: int = setting(
        20,
        doc="Maximum number of simultaneous client connections handled; further"
        " connections are accepted but not answered until enough have closed.",
        check=check_positive,
    )
    ssl: bool = setting(
        True,
        key="ssl?",
        doc="Whether to use SSL/TLS to encrypt network communications. The certificate is"
        " provisioned by the cluster and rotated with gnt-cluster renew-crypto.",
    )
    ssl_key: str = setting(
        DEFAULT_SSL_FILE, doc="Encryption key for TLS communications.", check=check_non_empty
    )
    ssl_cert: str = setting(
        DEFAULT_SSL_FILE, doc="Certificate for TLS communications.", check=check_non_empty
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_TLS_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiConfdConfiguration(Record):
    """Configuration of ganeti-confd, the fast read-only configuration query daemon."""

    RECORD = "ganeti-confd-configuration"
    DOC = "ganeti-confd answers queries about the cluster configuration (UDP)."

    ganeti: str = _package()
    port: int = setting(1814, doc="The UDP port on which to listen for requests.", check=check_port)
    address: str = setting(
        "0.0.0.0", doc="Network address that the daemon will bind to.", check=check_address
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiWconfdConfiguration(Record):
    """Configuration of ganeti-wconfd, the only writer of the cluster configuration."""

    RECORD = "ganeti-wconfd-configuration"
    DOC = "ganeti-wconfd holds the authoritative cluster configuration; master only."

    ganeti: str = _package()
    no_voting: bool = setting(
        False,
        key="no-voting?",
        doc="Start even if a majority of nodes does not agree this is the master node"
        " (dangerous, use with caution).",
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiLuxidConfiguration(Record):
    """Configuration of ganeti-luxid, the query and job queue daemon."""

    RECORD = "ganeti-luxid-configuration"
    DOC = "ganeti-luxid answers queries and owns the job queue; master only."

    ganeti: str = _package()
    no_voting: bool = setting(
        False,
        key="no-voting?",
        doc="Start even if it cannot verify that a majority of nodes believes this is the"
        " master node (dangerous).",
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiRapiConfiguration(Record):
    """Configuration of ganeti-rapi, the remote HTTP(S) API on the master node."""

    RECORD = "ganeti-rapi-configuration"
    DOC = "ganeti-rapi provides the remote JSON API of the cluster; master only."

    ganeti: str = _package()
    require_authentication: bool = setting(
        False,
        key="require-authentication?",
        doc="Whether to require authentication even for read-only operations.",
    )
    port: int = setting(
        5080, doc="The TCP port on which to listen to API requests.", check=check_port
    )
    address: str = setting(
        "0.0.0.0",
        doc="The network address the service binds to; by default all addresses.",
        check=check_address,
    )
    interface: str | None = setting(
        None,
        doc="When set, a specific network interface such as eth0 the daemon binds to.",
        check=check_non_empty,
    )
    max_clients: int = setting(
        20,
        doc="Maximum number of simultaneous client requests handled; further connections"
        " are accepted but not answered until enough have closed.",
        check=check_positive,
    )
    ssl: bool = setting(
        True,
        key="ssl?",
        doc="Whether to use SSL/TLS encryption on the RAPI port. The English seed says #f,"
        " the Spanish one #t; Ganeti's own default (TLS on) holds.",
    )
    ssl_key: str = setting(
        DEFAULT_SSL_FILE, doc="Encryption key for TLS communications.", check=check_non_empty
    )
    ssl_cert: str = setting(
        DEFAULT_SSL_FILE, doc="Certificate for TLS communications.", check=check_non_empty
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_TLS_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiKvmdConfiguration(Record):
    """Configuration of ganeti-kvmd, which tells user shutdowns from crashes via QMP."""

    RECORD = "ganeti-kvmd-configuration"
    DOC = "ganeti-kvmd marks KVM instances USER_down instead of ERROR_down on clean shutdown."

    ganeti: str = _package()
    debug: bool = setting(False, key="debug?", doc=DEBUG_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiMondConfiguration(Record):
    """Configuration of ganeti-mond, the monitoring daemon."""

    RECORD = "ganeti-mond-configuration"
    DOC = "ganeti-mond runs data collectors and publishes their reports over HTTP."

    ganeti: str = _package()
    port: int = setting(1815, doc="The port on which the daemon will listen.", check=check_port)
    address: str = setting(
        "0.0.0.0",
        doc="The network address the daemon binds to; by default all interfaces.",
        check=check_address,
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiMetadConfiguration(Record):
    """Configuration of ganeti-metad, the instance metadata daemon."""

    RECORD = "ganeti-metad-configuration"
    DOC = "ganeti-metad provides cluster information to instances and OS install scripts."

    ganeti: str = _package()
    port: int = setting(80, doc="The port on which the daemon will listen.", check=check_port)
    address: str | None = setting(
        None,
        doc="If set, the daemon binds to this address only; if unset, the behaviour depends"
        " on the cluster configuration.",
        check=check_address,
    )
    debug: bool = setting(False, key="debug?", doc=DEBUG_DOC)


@dataclass(frozen=True, kw_only=True)
class GanetiWatcherConfiguration(Record):
    """Configuration of the periodic ganeti-watcher job."""

    RECORD = "ganeti-watcher-configuration"
    DOC = (
        "ganeti-watcher runs periodically: restarts instances stopped without Ganeti's"
        " consent, repairs DRBD links, archives old jobs and restarts dead daemons."
    )

    ganeti: str = _package()
    schedule: str = setting(
        "*/5 * * * *",
        doc="How often to run the script, as a five-field cron expression. The default is"
        " every five minutes (the seeds' mcron expression, in cron syntax).",
        check=check_cron,
    )
    rapi_ip: str | None = setting(
        None,
        doc="Needed only if the RAPI daemon binds to a particular interface or address;"
        " by default the cluster address is used.",
        check=check_address,
    )
    job_age: int = setting(
        6 * 3600,
        doc="Archive cluster jobs older than this age, in seconds (default 6 hours).",
        check=check_positive,
        default_doc="21600 (6 * 3600)",
    )
    verify_disks: bool = setting(
        True,
        key="verify-disks?",
        doc="If false, the watcher does not try to repair broken DRBD links automatically;"
        " use gnt-cluster verify-disks instead.",
    )
    debug: bool = setting(
        False, key="debug?", doc="When true, the script performs additional logging."
    )


@dataclass(frozen=True, kw_only=True)
class GanetiCleanerConfiguration(Record):
    """Configuration of the two periodic ganeti-cleaner jobs (master and node)."""

    RECORD = "ganeti-cleaner-configuration"
    DOC = (
        "ganeti-cleaner removes old files: a master job purging old cluster jobs and a"
        " node job removing expired certificates, keys and old watcher data."
    )

    ganeti: str = setting(
        "ganeti", doc=PACKAGE_DOC + " Provides ganeti-cleaner.", check=check_non_empty
    )
    master_schedule: str = setting(
        "45 1 * * *", doc="When to run the master cleaning job (cron syntax).", check=check_cron
    )
    node_schedule: str = setting(
        "45 2 * * *", doc="When to run the node cleaning job (cron syntax).", check=check_cron
    )


def _check_storage_path(value: object) -> str | None:
    if isinstance(value, str) and not value.startswith("/"):
        return f"file storage path {value!r} is not absolute"
    return None


def _check_os_names(value: object) -> str | None:
    if isinstance(value, tuple):
        names = [o.name for o in value if isinstance(o, GanetiOs)]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            return f"OS provider {sorted(dup)[0]!r} is listed more than once"
    return None


@dataclass(frozen=True, kw_only=True)
class GanetiConfiguration(Record):
    """The shorthand: all Ganeti services of a node plus its /etc/ganeti files."""

    RECORD = "ganeti-configuration"
    DOC = (
        "Expands into every Ganeti service a node runs (the eight daemons, the watcher"
        " and the cleaner) plus /etc/ganeti/file-storage-paths and the OS variants."
    )

    ganeti: str = setting(
        "ganeti",
        doc="The package used for CLI operations (gnt-cluster, gnt-instance, ...). It does"
        " not affect the services, each of which names its own package. A plain name means"
        " the commands are on PATH; a value containing '/' is a prefix whose bin/ holds them.",
        check=check_non_empty,
    )
    noded_configuration: GanetiNodedConfiguration = setting(  # noqa: RUF009
        GanetiNodedConfiguration(),
        doc="Configuration of ganeti-noded.",
        default_doc="(ganeti-noded-configuration)",
    )
    confd_configuration: GanetiConfdConfiguration = setting(  # noqa: RUF009
        GanetiConfdConfiguration(),
        doc="Configuration of ganeti-confd.",
        default_doc="(ganeti-confd-configuration)",
    )
    wconfd_configuration: GanetiWconfdConfiguration = setting(  # noqa: RUF009
        GanetiWconfdConfiguration(),
        doc="Configuration of ganeti-wconfd.",
        default_doc="(ganeti-wconfd-configuration)",
    )
    luxid_configuration: GanetiLuxidConfiguration = setting(  # noqa: RUF009
        GanetiLuxidConfiguration(),
        doc="Configuration of ganeti-luxid.",
        default_doc="(ganeti-luxid-configuration)",
    )
    rapi_configuration: GanetiRapiConfiguration = setting(  # noqa: RUF009
        GanetiRapiConfiguration(),
        doc="Configuration of ganeti-rapi.",
        default_doc="(ganeti-rapi-configuration)",
    )
    kvmd_configuration: GanetiKvmdConfiguration = setting(  # noqa: RUF009
        GanetiKvmdConfiguration(),
        doc="Configuration of ganeti-kvmd.",
        default_doc="(ganeti-kvmd-configuration)",
    )
    mond_configuration: GanetiMondConfiguration = setting(  # noqa: RUF009
        GanetiMondConfiguration(),
        doc="Configuration of ganeti-mond.",
        default_doc="(ganeti-mond-configuration)",
    )
    metad_configuration: GanetiMetadConfiguration = setting(  # noqa: RUF009
        GanetiMetadConfiguration(),
        doc="Configuration of ganeti-metad.",
        default_doc="(ganeti-metad-configuration)",
    )
    watcher_configuration: GanetiWatcherConfiguration = setting(  # noqa: RUF009
        GanetiWatcherConfiguration(),
        doc="Configuration of the ganeti-watcher job.",
        default_doc="(ganeti-watcher-configuration)",
    )
    cleaner_configuration: GanetiCleanerConfiguration = setting(  # noqa: RUF009
        GanetiCleanerConfiguration(),
        doc="Configuration of the ganeti-cleaner jobs.",
        default_doc="(ganeti-cleaner-configuration)",
    )
    file_storage_paths: tuple[str, ...] = setting(
        (),
        doc="List of allowed directories for the file storage backend.",
        check=check_each(check_all(check_non_empty, _check_storage_path)),
    )
    os: tuple[GanetiOs, ...] = setting(
        DEFAULT_GANETI_OS,
        doc="List of ganeti-os records: the OS providers whose variants are configured.",
        check=_check_os_names,
        default_doc="%default-ganeti-os",
    )

"""The `libvirt-configuration` record: every libvirtd.conf setting the seed lists.

Each field's `conf` name is the libvirtd.conf key it renders to (libvirt's own spelling,
which differs from the seed for a few, e.g. tls-no-verify-cert → tls_no_verify_certificate).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pyganeti.host.records.schema import (
    Record,
    check_each,
    check_non_empty,
    check_non_negative,
    check_positive,
    setting,
)

# Seed fields whose libvirtd.conf key is not the seed name with "-" → "_" and "?" dropped.
CONF_KEY_OVERRIDES: dict[str, str] = {
    "tls_no_sanity_cert": "tls_no_sanity_certificate",
    "tls_no_verify_cert": "tls_no_verify_certificate",
    "sasl_allowed_usernames": "sasl_allowed_username_list",
}

# Settings libvirt no longer reads (mDNS support and max_requests were removed from
# libvirtd before 9.0); they are still rendered, as Guix does, and libvirtd ignores them.
OBSOLETE_CONF_KEYS = frozenset({"mdns_adv", "mdns_name", "max_requests"})

# Rendered only when non-empty: an empty path or UUID means "not set" to the seed, and
# libvirtd would treat an empty string as a value.
OMIT_WHEN_EMPTY = frozenset(
    {
        "key_file",
        "cert_file",
        "ca_file",
        "crl_file",
        "host_uuid",
        "access_drivers",
        "tls_allowed_dn_list",
        "sasl_allowed_usernames",
    }
)


def _check_perms(value: object) -> str | None:
    if isinstance(value, str) and not (
        len(value) in (3, 4) and all(c in "01234567" for c in value)
    ):
        return f'{value!r} is not an octal permission like "0770"'
    return None


def _check_port_text(value: object) -> str | None:
    # A port number or a service name, as libvirt accepts.
    if isinstance(value, str):
        if not value or any(c.isspace() for c in value):
            return f"{value!r} is not a port number or service name"
        if value.isdigit() and not 0 < int(value) < 65536:
            return f"port {value} is outside 1-65535"
    return None


def _check_auth(value: object) -> str | None:
    if isinstance(value, str) and value not in ("none", "sasl", "polkit"):
        return f"{value!r} is not an authentication scheme (none, sasl, polkit)"
    return None


def _check_log_level(value: object) -> str | None:
    if isinstance(value, int) and not 1 <= value <= 4:
        return f"log level {value} is outside 1 (debug) - 4 (errors)"
    return None


def _check_uuid(value: object) -> str | None:
    if isinstance(value, str) and value:
        hexdigits = value.replace("-", "").lower()
        if len(hexdigits) != 32 or any(c not in "0123456789abcdef" for c in hexdigits):
            return f"{value!r} is not a UUID"
        if len(set(hexdigits)) == 1:
            return "a host UUID must not have all digits the same"
    return None


def _check_keepalive(value: object) -> str | None:
    if isinstance(value, int) and value < -1:
        return f"must be -1 (disabled) or more, got {value}"
    return None


_LOG_FILTERS_DOC = (
    "Logging filters: space-separated 'x:name' items selecting level x (1-4) for the"
    " log categories whose name contains 'name' ('+' before name logs a stack trace)."
)
_LOG_OUTPUTS_DOC = (
    "Logging outputs, space-separated: 'x:stderr', 'x:syslog:name', 'x:file:path' or"
    " 'x:journald', x being the minimum level logged."
)


@dataclass(frozen=True, kw_only=True)
class LibvirtConfiguration(Record):
    """Configuration of libvirtd, the libvirt virtualization management daemon."""

    RECORD = "libvirt-configuration"
    DOC = "libvirtd, the server side of the libvirt virtualization management system."

    libvirt: str = setting(
        "libvirt",
        doc="The libvirt package: a name means libvirtd is found on PATH (Debian:"
        " /usr/sbin), a value containing '/' is a prefix whose sbin/ holds it.",
        check=check_non_empty,
    )
    listen_tls: bool = setting(
        True,
        key="listen-tls?",
        doc="Listen for secure TLS connections on the public TCP/IP port (needs libvirtd"
        " --listen, and a CA and server certificates).",
    )
    listen_tcp: bool = setting(
        False,
        key="listen-tcp?",
        doc="Listen for unencrypted TCP connections on the public TCP/IP port (needs"
        " libvirtd --listen; SASL authentication by default).",
    )
    tls_port: str = setting(
        "16514", doc="Port (number or service name) for secure connections.", check=_check_port_text
    )
    tcp_port: str = setting(
        "16509",
        doc="Port (number or service name) for insecure connections.",
        check=_check_port_text,
    )
    listen_addr: str = setting(
        "0.0.0.0", doc="IP address or host name used for client connections.", check=check_non_empty
    )
    mdns_adv: bool = setting(
        False,
        key="mdns-adv?",
        doc="Advertise the service via mDNS (not read by libvirt 9 any more).",
    )
    mdns_name: str = setting(
        "Virtualization Host <hostname>",
        doc="Default mDNS advertisement name; must be unique on the immediate broadcast"
        " network (not read by libvirt 9 any more).",
    )
    unix_sock_group: str = setting(
        "root",
        doc="UNIX domain socket group ownership, to let a set of trusted users"
        " manage without being root.",
        check=check_non_empty,
    )
    unix_sock_ro_perms: str = setting(
        "0777",
        doc="UNIX socket permissions for the read-only socket (monitoring only).",
        check=_check_perms,
    )
    unix_sock_rw_perms: str = setting(
        "0770", doc="UNIX socket permissions for the read/write socket.", check=_check_perms
    )
    unix_sock_admin_perms: str = setting(
        "0777", doc="UNIX socket permissions for the admin socket.", check=_check_perms
    )
    unix_sock_dir: str = setting(
        "/var/run/libvirt",
        doc="The directory in which sockets will be found/created.",
        check=check_non_empty,
    )
    auth_unix_ro: str = setting(
        "polkit", doc="Authentication scheme for UNIX read-only sockets.", check=_check_auth
    )
    auth_unix_rw: str = setting(
        "polkit", doc="Authentication scheme for UNIX read-write sockets.", check=_check_auth
    )
    auth_tcp: str = setting(
        "sasl",
        doc="Authentication scheme for TCP sockets; without SASL all TCP traffic is plain text.",
        check=_check_auth,
    )
    auth_tls: str = setting(
        "none",
        doc="Authentication scheme for TLS sockets (TLS already authenticates with certificates).",
        check=_check_auth,
    )
    access_drivers: tuple[str, ...] = setting(
        (),
        doc="API access control scheme; by default an authenticated user may use all APIs.",
        check=check_each(check_non_empty),
    )
    key_file: str = setting("", doc="Server key file path; empty means none is loaded.")
    cert_file: str = setting("", doc="Server certificate file path; empty means none.")
    ca_file: str = setting("", doc="CA certificate file path; empty means none.")
    crl_file: str = setting("", doc="Certificate revocation list path; empty means none.")
    tls_no_sanity_cert: bool = setting(
        False, doc="Disable verification of the server's own certificates at start."
    )
    tls_no_verify_cert: bool = setting(
        False, doc="Disable verification of client certificates (the primary authentication)."
    )
    tls_allowed_dn_list: tuple[str, ...] = setting(
        (), doc="Whitelist of allowed x509 Distinguished Names."
    )
    sasl_allowed_usernames: tuple[str, ...] = setting(
        (), doc="Whitelist of allowed SASL usernames."
    )
    tls_priority: str = setting(
        "NORMAL",
        doc="Override the compile time default TLS priority string.",
        check=check_non_empty,
    )
    max_clients: int = setting(
        5000,
        doc="Maximum number of concurrent client connections across all sockets.",
        check=check_positive,
    )
    max_queued_clients: int = setting(
        1000,
        doc="Maximum length of the queue of connections waiting to be accepted.",
        check=check_positive,
    )
    max_anonymous_clients: int = setting(
        20,
        doc="Maximum length of the queue of accepted"
        " but not yet authenticated clients; 0 disables.",
        check=check_non_negative,
    )
    min_workers: int = setting(
        5, doc="Number of workers to start up initially.", check=check_positive
    )
    max_workers: int = setting(20, doc="Maximum number of worker threads.", check=check_positive)
    prio_workers: int = setting(
        5,
        doc="Number of priority workers, for high-priority"
        " calls (e.g. domainDestroy) when all workers are stuck.",
        check=check_non_negative,
    )
    max_requests: int = setting(
        20,
        doc="Total global limit on concurrent RPC calls (not read by libvirt 9 any more).",
        check=check_positive,
    )
    max_client_requests: int = setting(
        5, doc="Limit on concurrent requests from a single client connection.", check=check_positive
    )
    admin_min_workers: int = setting(
        1, doc="Same as min-workers, for the admin interface.", check=check_positive
    )
    admin_max_workers: int = setting(
        5, doc="Same as max-workers, for the admin interface.", check=check_positive
    )
    admin_max_clients: int = setting(
        5, doc="Same as max-clients, for the admin interface.", check=check_positive
    )
    admin_max_queued_clients: int = setting(
        5, doc="Same as max-queued-clients, for the admin interface.", check=check_positive
    )
    admin_max_client_requests: int = setting(
        5, doc="Same as max-client-requests, for the admin interface.", check=check_positive
    )
    log_level: int = setting(
        3,
        doc="Logging level: 4 errors, 3 warnings, 2 information, 1 debug.",
        check=_check_log_level,
    )
    log_filters: str = setting("3:remote 4:event", doc=_LOG_FILTERS_DOC)
    log_outputs: str = setting("3:stderr", doc=_LOG_OUTPUTS_DOC, check=check_non_empty)
    audit_level: int = setting(
        1,
        doc="Audit subsystem use: 0 off, 1 on if available, 2 required.",
        check=check_non_negative,
    )
    audit_logging: bool = setting(
        False, doc="Send audit messages via libvirt's logging infrastructure."
    )
    host_uuid: str = setting(
        "",
        doc="Host UUID; must not have all digits the same. Empty means not set.",
        check=_check_uuid,
    )
    host_uuid_source: str = setting(
        "smbios", doc="Source of the host UUID: 'smbios' or 'machine-id'.", check=check_non_empty
    )
    keepalive_interval: int = setting(
        5,
        doc="Seconds of client inactivity before a keepalive is sent; -1 disables.",
        check=_check_keepalive,
    )
    keepalive_count: int = setting(
        5,
        doc="Keepalives sent without answer before the connection is considered broken.",
        check=check_non_negative,
    )
    admin_keepalive_interval: int = setting(
        5, doc="Same as keepalive-interval, for the admin interface.", check=_check_keepalive
    )
    admin_keepalive_count: int = setting(
        5, doc="Same as keepalive-count, for the admin interface.", check=check_non_negative
    )
    ovs_timeout: int = setting(
        5, doc="Timeout in seconds for Open vSwitch calls.", check=check_positive
    )


def conf_key(f: dataclasses.Field[Any]) -> str:
    """The libvirtd.conf / virtlogd.conf key a record field renders to."""
    return CONF_KEY_OVERRIDES.get(f.name, f.name)

"""libvirt-configuration and virtlog-configuration: every seed field, default, check."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records import LibvirtConfiguration, VirtlogConfiguration
from pyganeti.host.records.schema import seed_key

# Every libvirt-configuration field of the (Spanish) seed with its default.
LIBVIRT_SEED: dict[str, Any] = {
    "libvirt": "libvirt",
    "listen-tls?": True,
    "listen-tcp?": False,
    "tls-port": "16514",
    "tcp-port": "16509",
    "listen-addr": "0.0.0.0",
    "mdns-adv?": False,
    "mdns-name": "Virtualization Host <hostname>",
    "unix-sock-group": "root",
    "unix-sock-ro-perms": "0777",
    "unix-sock-rw-perms": "0770",
    "unix-sock-admin-perms": "0777",
    "unix-sock-dir": "/var/run/libvirt",
    "auth-unix-ro": "polkit",
    "auth-unix-rw": "polkit",
    "auth-tcp": "sasl",
    "auth-tls": "none",
    "access-drivers": (),
    "key-file": "",
    "cert-file": "",
    "ca-file": "",
    "crl-file": "",
    "tls-no-sanity-cert": False,
    "tls-no-verify-cert": False,
    "tls-allowed-dn-list": (),
    "sasl-allowed-usernames": (),
    "tls-priority": "NORMAL",
    "max-clients": 5000,
    "max-queued-clients": 1000,
    "max-anonymous-clients": 20,
    "min-workers": 5,
    "max-workers": 20,
    "prio-workers": 5,
    "max-requests": 20,
    "max-client-requests": 5,
    "admin-min-workers": 1,
    "admin-max-workers": 5,
    "admin-max-clients": 5,
    "admin-max-queued-clients": 5,
    "admin-max-client-requests": 5,
    "log-level": 3,
    "log-filters": "3:remote 4:event",
    "log-outputs": "3:stderr",
    "audit-level": 1,
    "audit-logging": False,
    "host-uuid": "",
    "host-uuid-source": "smbios",
    "keepalive-interval": 5,
    "keepalive-count": 5,
    "admin-keepalive-interval": 5,
    "admin-keepalive-count": 5,
    "ovs-timeout": 5,
}

VIRTLOG_SEED: dict[str, Any] = {
    "log-level": 3,
    "log-filters": "3:remote 4:event",
    "log-outputs": "3:stderr",
    "max-clients": 1024,
    "max-size": 2 * 1024 * 1024,
    "max-backups": 3,
}


@pytest.mark.parametrize(
    ("cls", "seed"), [(LibvirtConfiguration, LIBVIRT_SEED), (VirtlogConfiguration, VIRTLOG_SEED)]
)
def test_exact_seed_fields_and_defaults(cls: type, seed: dict[str, Any]) -> None:
    record = cls()
    got = {seed_key(f): getattr(record, f.name) for f in dataclasses.fields(record)}
    assert got == seed
    assert all(f.metadata["doc"] for f in dataclasses.fields(record))


def test_seed_example() -> None:
    conf = LibvirtConfiguration(unix_sock_group="libvirt", tls_port="16555")
    assert (conf.unix_sock_group, conf.tls_port) == ("libvirt", "16555")
    assert VirtlogConfiguration(max_clients=1000).max_clients == 1000


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"unix_sock_rw_perms": "rw"}, "unix-sock-rw-perms", "octal"),
        ({"tls_port": "99999"}, "tls-port", "outside"),
        ({"tls_port": 16514}, "tls-port", "expected string"),
        ({"auth_tcp": "kerberos"}, "auth-tcp", "authentication scheme"),
        ({"log_level": 5}, "log-level", "outside 1"),
        ({"host_uuid": "1111-1111"}, "host-uuid", "not a UUID"),
        ({"host_uuid": "11111111-1111-1111-1111-111111111111"}, "host-uuid", "all digits"),
        ({"keepalive_interval": -2}, "keepalive-interval", "-1"),
        ({"max_clients": 0}, "max-clients", "positive"),
    ],
)
def test_libvirt_bad_values(kwargs: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(HostConfigError) as err:
        LibvirtConfiguration(**kwargs)
    assert err.value.record == "libvirt-configuration"
    assert err.value.field == field
    assert message in str(err.value)


def test_virtlog_bad_value() -> None:
    with pytest.raises(HostConfigError, match="virtlog-configuration: field 'max-backups'"):
        VirtlogConfiguration(max_backups=-1)

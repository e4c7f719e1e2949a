"""libvirtd.conf / virtlogd.conf rendering in libvirt's syntax, with libvirt's key names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyganeti.host.records import LibvirtConfiguration, VirtlogConfiguration
from pyganeti.host.render.libvirt_conf import (
    conf_value,
    render_libvirtd_conf,
    render_virtlogd_conf,
)


def _settings(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition(" = ")
            out[key] = value
    return out


def test_values() -> None:
    assert conf_value(True) == "1" and conf_value(False) == "0"
    assert conf_value(5) == "5"
    assert conf_value('a "b"\\') == '"a \\"b\\"\\\\"'
    assert conf_value(("a", "b")) == '["a", "b"]'


def test_libvirtd_defaults() -> None:
    s = _settings(render_libvirtd_conf(LibvirtConfiguration()))
    assert s["listen_tls"] == "1" and s["listen_tcp"] == "0"
    assert s["tls_port"] == '"16514"' and s["unix_sock_rw_perms"] == '"0770"'
    assert s["tls_no_verify_certificate"] == "0" and s["tls_no_sanity_certificate"] == "0"
    assert s["max_clients"] == "5000" and s["log_filters"] == '"3:remote 4:event"'
    # Unset files, UUID and empty lists are left out rather than given as "".
    for key in (
        "key_file",
        "cert_file",
        "ca_file",
        "crl_file",
        "host_uuid",
        "access_drivers",
        "tls_allowed_dn_list",
        "sasl_allowed_username_list",
        "libvirt",
    ):
        assert key not in s


def test_libvirtd_lists_and_renamed_keys() -> None:
    s = _settings(
        render_libvirtd_conf(
            LibvirtConfiguration(
                sasl_allowed_usernames=("joe@EXAMPLE.COM",),
                access_drivers=("polkit",),
                key_file="/k.pem",
                host_uuid="00000000-0000-0000-0000-000000000001",
            )
        )
    )
    assert s["sasl_allowed_username_list"] == '["joe@EXAMPLE.COM"]'
    assert s["access_drivers"] == '["polkit"]' and s["key_file"] == '"/k.pem"'
    assert s["host_uuid"] == '"00000000-0000-0000-0000-000000000001"'


LENS = Path("/usr/share/augeas/lenses")


@pytest.mark.skipif(not LENS.is_dir(), reason="libvirt's augeas lenses are not installed")
@pytest.mark.parametrize(
    ("lens", "text"),
    [
        ("libvirtd.aug", render_libvirtd_conf(LibvirtConfiguration())),
        ("virtlogd.aug", render_virtlogd_conf(VirtlogConfiguration())),
    ],
)
def test_keys_are_known_to_libvirt(lens: str, text: str) -> None:
    # libvirt ships the grammar of its files; every key we write must be in it, save the
    # ones the seed keeps that libvirt 9 dropped (they are marked in a comment).
    known = set(re.findall(r'_entry "([a-z_]+)"', (LENS / lens).read_text()))
    obsolete = {"mdns_adv", "mdns_name", "max_requests"}
    assert set(_settings(text)) - known <= obsolete
    for key in obsolete & set(_settings(text)):
        assert f"# {key}: kept from the seed" in text


def test_virtlogd() -> None:
    s = _settings(render_virtlogd_conf(VirtlogConfiguration(max_clients=1000)))
    assert s == {
        "log_level": "3",
        "log_filters": '"3:remote 4:event"',
        "log_outputs": '"3:stderr"',
        "max_clients": "1000",
        "max_size": "2097152",
        "max_backups": "3",
    }

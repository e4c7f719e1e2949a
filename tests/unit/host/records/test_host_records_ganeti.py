"""Ganeti service records: the seeds' fields and defaults, and their validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records import (
    DEFAULT_GANETI_OS,
    GanetiCleanerConfiguration,
    GanetiConfdConfiguration,
    GanetiConfiguration,
    GanetiKvmdConfiguration,
    GanetiLuxidConfiguration,
    GanetiMetadConfiguration,
    GanetiMondConfiguration,
    GanetiNodedConfiguration,
    GanetiRapiConfiguration,
    GanetiWatcherConfiguration,
    GanetiWconfdConfiguration,
    debootstrap_os,
)
from pyganeti.host.records.schema import Record, seed_key

PEM = "/var/lib/ganeti/server.pem"

# The seeds' (Guix manual) fields and defaults, key by key.
SEED_DEFAULTS: dict[type[Record], dict[str, Any]] = {
    GanetiNodedConfiguration: {
        "ganeti": "ganeti",
        "port": 1811,
        "address": "0.0.0.0",
        "interface": None,
        "max-clients": 20,
        "ssl?": True,
        "ssl-key": PEM,
        "ssl-cert": PEM,
        "debug?": False,
    },
    GanetiConfdConfiguration: {
        "ganeti": "ganeti",
        "port": 1814,
        "address": "0.0.0.0",
        "debug?": False,
    },
    GanetiWconfdConfiguration: {"ganeti": "ganeti", "no-voting?": False, "debug?": False},
    GanetiLuxidConfiguration: {"ganeti": "ganeti", "no-voting?": False, "debug?": False},
    GanetiRapiConfiguration: {
        "ganeti": "ganeti",
        "require-authentication?": False,
        "port": 5080,
        "address": "0.0.0.0",
        "interface": None,
        "max-clients": 20,
        # English seed: #f, Spanish: #t; Ganeti's default (TLS on) holds.
        "ssl?": True,
        "ssl-key": PEM,
        "ssl-cert": PEM,
        "debug?": False,
    },
    GanetiKvmdConfiguration: {"ganeti": "ganeti", "debug?": False},
    GanetiMondConfiguration: {
        "ganeti": "ganeti",
        "port": 1815,
        "address": "0.0.0.0",
        "debug?": False,
    },
    GanetiMetadConfiguration: {"ganeti": "ganeti", "port": 80, "address": None, "debug?": False},
    GanetiWatcherConfiguration: {
        "ganeti": "ganeti",
        "schedule": "*/5 * * * *",
        "rapi-ip": None,
        "job-age": 21600,
        "verify-disks?": True,
        "debug?": False,
    },
    GanetiCleanerConfiguration: {
        "ganeti": "ganeti",
        "master-schedule": "45 1 * * *",
        "node-schedule": "45 2 * * *",
    },
}


@pytest.mark.parametrize("cls", list(SEED_DEFAULTS), ids=lambda c: c.RECORD)
def test_exact_seed_fields_and_defaults(cls: type[Record]) -> None:
    record = cls()
    got = {seed_key(f): getattr(record, f.name) for f in dataclasses.fields(record)}
    assert got == SEED_DEFAULTS[cls]


def test_every_field_is_documented() -> None:
    for cls in [*SEED_DEFAULTS, GanetiConfiguration]:
        for f in dataclasses.fields(cls):
            assert f.metadata["doc"].strip(), f"{cls.RECORD}.{f.name} has no doc"


def test_ganeti_configuration_defaults() -> None:
    conf = GanetiConfiguration()
    assert conf.ganeti == "ganeti"
    assert conf.file_storage_paths == ()
    assert conf.os == DEFAULT_GANETI_OS
    assert conf.rapi_configuration == GanetiRapiConfiguration()
    assert conf.cleaner_configuration == GanetiCleanerConfiguration()


def test_seed_override_example() -> None:
    conf = GanetiConfiguration(
        rapi_configuration=GanetiRapiConfiguration(interface="eth1"),
        watcher_configuration=GanetiWatcherConfiguration(rapi_ip="10.0.0.1"),
    )
    assert conf.rapi_configuration.interface == "eth1"
    assert conf.watcher_configuration.rapi_ip == "10.0.0.1"


@pytest.mark.parametrize(
    ("factory", "field", "message"),
    [
        (lambda: GanetiNodedConfiguration(port=0), "port", "outside 1-65535"),
        (lambda: GanetiNodedConfiguration(max_clients=0), "max-clients", "positive"),
        (lambda: GanetiNodedConfiguration(interface=""), "interface", "empty"),
        (lambda: GanetiMondConfiguration(address="1.2.3.4 5"), "address", "not a network"),
        (lambda: GanetiWatcherConfiguration(schedule="*/5 * *"), "schedule", "5 fields"),
        (lambda: GanetiWatcherConfiguration(job_age=-1), "job-age", "positive"),
        (
            lambda: GanetiCleanerConfiguration(master_schedule="61 1 * * *"),
            "master-schedule",
            "outside 0-59",
        ),
        (
            lambda: GanetiConfiguration(file_storage_paths=("srv",)),
            "file-storage-paths",
            "not absolute",
        ),
        (
            lambda: GanetiConfiguration(os=(debootstrap_os([]), debootstrap_os([]))),
            "os",
            "more than once",
        ),
        (
            lambda: GanetiConfiguration(rapi_configuration=GanetiNodedConfiguration()),
            "rapi-configuration",
            "expected ganeti-rapi-configuration",
        ),
    ],
)
def test_bad_values_name_record_and_field(factory: Any, field: str, message: str) -> None:
    with pytest.raises(HostConfigError) as err:
        factory()
    assert err.value.field == field
    assert message in str(err.value)

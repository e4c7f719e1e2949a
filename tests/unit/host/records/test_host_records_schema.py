"""Validation shared by all records: types, lists, error naming record and field."""

from __future__ import annotations

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records import (
    GanetiConfiguration,
    GanetiNodedConfiguration,
    GanetiRapiConfiguration,
    LibvirtConfiguration,
)
from pyganeti.host.records.schema import type_accepts, type_name


def test_wrong_type_names_record_field_and_value() -> None:
    with pytest.raises(HostConfigError) as err:
        GanetiNodedConfiguration(port="1811")  # type: ignore[arg-type]
    assert err.value.record == "ganeti-noded-configuration"
    assert err.value.field == "port"
    assert "expected integer" in str(err.value) and "'1811'" in str(err.value)


def test_bool_is_not_accepted_as_integer() -> None:
    with pytest.raises(HostConfigError, match="max-clients"):
        GanetiNodedConfiguration(max_clients=True)


def test_question_mark_fields_are_named_as_in_the_seed() -> None:
    with pytest.raises(HostConfigError) as err:
        GanetiRapiConfiguration(ssl="yes")  # type: ignore[arg-type]
    assert err.value.field == "ssl?"


def test_value_checks_run_after_type_checks() -> None:
    with pytest.raises(HostConfigError, match="port 70000 is outside 1-65535"):
        GanetiRapiConfiguration(port=70000)


def test_lists_become_tuples_and_compare_equal() -> None:
    a = GanetiConfiguration(file_storage_paths=["/srv/a", "/srv/b"])  # type: ignore[arg-type]
    b = GanetiConfiguration(file_storage_paths=("/srv/a", "/srv/b"))
    assert a == b
    assert isinstance(a.file_storage_paths, tuple)
    hash(a)  # records are hashable, so they can be defaults of other records


def test_list_items_are_type_checked() -> None:
    with pytest.raises(HostConfigError, match="access-drivers"):
        LibvirtConfiguration(access_drivers=("polkit", 3))  # type: ignore[arg-type]


def test_records_are_frozen() -> None:
    conf = GanetiNodedConfiguration()
    with pytest.raises(AttributeError):
        conf.port = 1  # type: ignore[misc]


def test_type_names_for_docs() -> None:
    assert type_name(int | None) == "integer or none"
    assert type_name(tuple[str, ...]) == "list of (string)"
    assert type_accepts(tuple[tuple[str, str], ...], (("a", "b"),))
    assert not type_accepts(tuple[tuple[str, str], ...], (("a",),))

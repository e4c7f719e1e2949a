"""Option value parsing: key=val lists, ident groups, booleans, timespecs, fields."""

from __future__ import annotations

import pytest

from pyganeti import errors
from pyganeti.cli import params


def test_unescape_and_split_honours_backslash_escapes() -> None:
    assert params.unescape_and_split(r"a,b\,c,d") == ["a", "b,c", "d"]
    assert params.unescape_and_split(r"a\\,b") == ["a\\", "b"]
    assert params.unescape_and_split("") == [""]


def test_split_key_val_prefixes() -> None:
    assert params.split_key_val("-B", "maxmem=512,no_auto_balance,-vcpus,extra") == {
        "maxmem": "512",
        "auto_balance": False,
        "vcpus": None,
        "extra": True,
    }
    assert params.split_key_val("-B", "") == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("a=1,a=2", "Duplicate key 'a' in option -B"), ("=1", "Empty key in option -B")],
)
def test_split_key_val_rejects_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(errors.ParameterError, match=fragment):
        params.split_key_val("-B", text)


def test_split_key_val_without_prefixes_requires_values() -> None:
    with pytest.raises(errors.ParameterError, match="Missing value for key 'x'"):
        params.split_key_val("-O", "x", parse_prefixes=False)


def test_split_ident_key_val() -> None:
    assert params.split_ident_key_val("-H", "kvm:kernel_path=/k,acpi") == (
        "kvm",
        {"kernel_path": "/k", "acpi": True},
    )
    assert params.split_ident_key_val("-H", "fake") == ("fake", {})
    assert params.split_ident_key_val("-H", "no_kvm") == ("kvm", False)
    assert params.split_ident_key_val("-H", "-kvm") == ("kvm", None)
    # A negative index is not a reset.
    assert params.split_ident_key_val("--disk", "-1:size=1G") == ("-1", {"size": "1G"})


def test_split_ident_key_val_refuses_options_on_removal() -> None:
    with pytest.raises(errors.ParameterError, match="Cannot pass options"):
        params.split_ident_key_val("-H", "no_kvm:acpi=1")


@pytest.mark.parametrize(
    ("text", "value"), [("yes", True), ("TRUE", True), ("no", False), ("false", False)]
)
def test_parse_bool(text: str, value: bool) -> None:
    assert params.parse_bool(text) is value


def test_parse_bool_rejects_other_words() -> None:
    with pytest.raises(errors.ParameterError, match="Invalid boolean value 'maybe'"):
        params.parse_bool("maybe")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30", 30), ("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86400), ("1w", 604800)],
)
def test_parse_timespec(text: str, seconds: int) -> None:
    assert params.parse_timespec(text) == seconds


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "Empty time specification"), ("h", "only suffix"), ("1x", "Invalid time spec")],
)
def test_parse_timespec_rejects_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(errors.OpPrereqError, match=fragment):
        params.parse_timespec(text)


def test_parse_fields() -> None:
    default = ["name", "os"]
    assert params.parse_fields(None, default) == ["name", "os"]
    assert params.parse_fields("+tags,uuid", default) == ["name", "os", "tags", "uuid"]
    assert params.parse_fields("uuid", default) == ["uuid"]


def test_os_names_and_node_option() -> None:
    assert params.os_names("debootstrap", ["default", "minimal"]) == [
        "debootstrap+default",
        "debootstrap+minimal",
    ]
    assert params.os_names("guix", []) == ["guix"]
    assert params.split_node_option("n1:n2") == ("n1", "n2")
    assert params.split_node_option("n1") == ("n1", None)


def test_parse_indexed_items_fills_gaps_and_rejects_bad_indexes() -> None:
    assert params.parse_indexed_items("disk", [("1", {"size": "1"})]) == [{}, {"size": "1"}]
    with pytest.raises(errors.OpPrereqError, match="Invalid disk index"):
        params.parse_indexed_items("disk", [("x", {})])
    with pytest.raises(errors.OpPrereqError, match="expected dict"):
        params.parse_indexed_items("nic", [("0", False)])

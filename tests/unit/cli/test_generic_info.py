"""The YAML-like layout of info commands."""

from __future__ import annotations

from pyganeti.cli.generic_info import (
    format_params_dict_info,
    format_time,
    format_timestamp,
    generic_info_text,
)


def test_ordered_pairs_nested_dicts_and_lists() -> None:
    data = [
        ("Cluster name", "c1"),
        ("Params", {"b": "2", "a": {"x": "1"}}),
        ("Items", ["one", "two"]),
        ("Empty", []),
        ("Tuple", (1, "x")),
    ]
    assert generic_info_text(data) == "\n".join(
        [
            "Cluster name: c1",
            "Params: ",
            "  a: ",
            "    x: 1",
            "  b: 2",
            "Items: ",
            "  - one",
            "  - two",
            "Empty: ",
            "Tuple: [1, x]",
        ]
    )


def test_list_of_ordered_dicts_and_alignment_groups() -> None:
    data = [[("Job ID", 1), ("Received", "t1", "ts"), ("Processing end", "t2", "ts")]]
    assert generic_info_text(data) == "\n".join(
        ["- Job ID: 1", "  Received:       t1", "  Processing end: t2"]
    )


def test_format_params_dict_info_marks_inherited_values() -> None:
    own = {"maxmem": 512, "nested": {"a": 1}}
    actual = {"maxmem": 512, "vcpus": 1, "nested": {"a": 1, "b": 2}}
    assert format_params_dict_info(own, actual) == {
        "maxmem": "512",
        "vcpus": "default (1)",
        "nested": {"a": "1", "b": "default (2)"},
    }


def test_format_time_and_timestamp() -> None:
    assert format_time(None) == "N/A"
    assert format_time("x") == "N/A"
    assert len(format_time(0)) == len("1970-01-01 00:00:00")
    assert format_timestamp([0, 5]).endswith(".000005")
    assert format_timestamp(None) == "?"

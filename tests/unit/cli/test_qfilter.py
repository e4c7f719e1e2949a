"""The query filter language and the name filters of list commands."""

from __future__ import annotations

import re

import pytest

from pyganeti import errors
from pyganeti.cli import qfilter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name == "web1"', ["==", "name", "web1"]),
        ("name = 'web1'", ["==", "name", "web1"]),
        ("be/memory >= 512", [">=", "be/memory", 512]),
        ("oper_ram < -1", ["<", "oper_ram", -1]),
        ("admin_state", ["?", "admin_state"]),
        ('"x" in tags', ["=[]", "tags", "x"]),
        ('"x" not in tags', ["!", ["=[]", "tags", "x"]]),
        ("name =~ m/^web/i", ["=~", "name", "(?i)^web"]),
        ("name !~ #a/b#", ["!", ["=~", "name", "a/b"]]),
        ('name =* "web*"', ["=~", "name", r"^web[^.]*(\..*)?$"]),
        (
            "a and not b or c == 1",
            ["|", ["&", ["?", "a"], ["!", ["?", "b"]]], ["==", "c", 1]],
        ),
        ("(a or b) and c", ["&", ["|", ["?", "a"], ["?", "b"]], ["?", "c"]]),
        ("a and b and c", ["&", ["?", "a"], ["?", "b"], ["?", "c"]]),
    ],
)
def test_parse_filter(text: str, expected: list[object]) -> None:
    assert qfilter.parse_filter(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('name == "unterminated', "unterminated string"),
        ("name ==", "expected a number or quoted string"),
        ("(a or b", "expected '\\)'"),
        ("a b", "unexpected text"),
        ("name =~ /x/z", "Unknown regular expression flags: 'z'"),
        ("name =~ /(/", "Invalid regular expression"),
        ('"x" tags', "expected 'in'"),
    ],
)
def test_parse_filter_rejects_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(errors.QueryFilterParseError, match=fragment):
        qfilter.parse_filter(text)


def test_dns_glob_pattern_stops_at_dots() -> None:
    pattern = re.compile(qfilter.dns_glob_pattern("web*"))
    assert pattern.match("web1")
    assert pattern.match("web1.example.com")
    assert not pattern.match("xweb1")
    assert not re.match(qfilter.dns_glob_pattern("a?c"), "a.c")


def test_make_filter_names_globs_and_expressions() -> None:
    assert qfilter.make_filter([], False) is None
    assert qfilter.make_filter(["a", "b*"], False) == [
        "|",
        ["==", "name", "a"],
        ["=~", "name", qfilter.dns_glob_pattern("b*")],
    ]
    # One argument with filter characters is an expression.
    assert qfilter.make_filter(['name == "a"'], False) == ["==", "name", "a"]
    assert qfilter.make_filter(["admin_state"], True) == ["?", "admin_state"]
    assert qfilter.make_filter(["3"], False, namefield="id", isnumeric=True) == [
        "|",
        ["==", "id", 3],
    ]


def test_make_filter_rejects_bad_input() -> None:
    with pytest.raises(errors.OpPrereqError, match="Exactly one argument"):
        qfilter.make_filter(["a", "b"], True)
    with pytest.raises(errors.OpPrereqError, match="Invalid job ID passed: 'x'"):
        qfilter.make_filter(["x"], False, namefield="id", isnumeric=True)


def test_make_simple_filter() -> None:
    assert qfilter.make_simple_filter("status", None) is None
    assert qfilter.make_simple_filter("status", ["queued"]) == ["|", ["==", "status", "queued"]]

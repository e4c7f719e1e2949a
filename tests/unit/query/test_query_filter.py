"""List-form filters: every operator, Ganeti's special comparisons, validation errors."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti import errors
from pyganeti.query.fielddefs import (
    DATA_LIVE_NODES,
    FLAG_HOSTNAME,
    FLAG_JOB_ID,
    FLAG_SPLIT_TIMESTAMP,
    QFT_BOOL,
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    QFT_UNIT,
    Abnormal,
    Field,
    FieldTable,
)
from pyganeti.query.filter import (
    MAX_LEVELS,
    compile_filter,
    make_simple_filter,
    requested_names,
)


def _get(key: str) -> Any:
    return lambda row: row.get(key, Abnormal.UNAVAIL)


FIELDS = FieldTable.build(
    [
        Field("name", "Name", QFT_TEXT, "Name", _get("name"), flags=FLAG_HOSTNAME),
        Field("os", "OS", QFT_TEXT, "OS", _get("os")),
        Field("mem", "Mem", QFT_UNIT, "Memory", _get("mem"), frozenset([DATA_LIVE_NODES])),
        Field("count", "Count", QFT_NUMBER, "Count", _get("count")),
        Field("up", "Up", QFT_BOOL, "Up", _get("up")),
        Field("tags", "Tags", QFT_OTHER, "Tags", _get("tags")),
        Field("id", "ID", QFT_NUMBER, "Job id", _get("id"), flags=FLAG_JOB_ID),
        Field("ts", "TS", QFT_OTHER, "Timestamp", _get("ts"), flags=FLAG_SPLIT_TIMESTAMP),
    ]
)

ROWS = [
    {
        "name": "inst1.example.com",
        "os": "debian",
        "mem": 512,
        "count": 1,
        "up": True,
        "tags": ["web", "prod"],
        "id": 1,
        "ts": [100, 500000],
    },
    {
        "name": "inst2.example.com",
        "os": "centos",
        "mem": 2048,
        "count": 2,
        "up": False,
        "tags": ["db"],
        "id": 2,
        "ts": [200, 0],
    },
    {
        "name": "other.example.org",
        "os": "debian",
        "count": 10,
        "up": True,
        "tags": [],
        "id": 10,
        "ts": [300, 1],
    },
]


def matching(qfilter: Any) -> list[str]:
    compiled = compile_filter(FIELDS, qfilter)
    assert compiled is not None
    return [row["name"] for row in ROWS if compiled(row)]


N1, N2, N3 = (row["name"] for row in ROWS)


@pytest.mark.parametrize(
    ("qfilter", "expected"),
    [
        (["==", "os", "debian"], [N1, N3]),
        (["=", "os", "centos"], [N2]),
        (["!=", "os", "debian"], [N2]),
        (["<", "count", 2], [N1]),
        (["<=", "count", 2], [N1, N2]),
        ([">", "count", 2], [N3]),
        ([">=", "count", 2], [N2, N3]),
        (["=~", "os", "^deb"], [N1, N3]),
        (["=[]", "tags", "db"], [N2]),
        (["?", "up"], [N1, N3]),
        (["!", ["?", "up"]], [N2]),
        (["|", ["==", "count", 1], ["==", "count", 10]], [N1, N3]),
        (["&", ["==", "os", "debian"], [">", "count", 1]], [N3]),
        (["|"], []),
        (["&"], [N1, N2, N3]),
    ],
)
def test_operators(qfilter: Any, expected: list[str]) -> None:
    assert matching(qfilter) == expected


def test_no_filter_compiles_to_none() -> None:
    assert compile_filter(FIELDS, None) is None


def test_hostname_fields_match_short_names_case_insensitively() -> None:
    assert matching(["==", "name", "INST1"]) == [N1]
    assert matching(["==", "name", "inst1.example"]) == [N1]
    # A partial label is no match: "inst" is not a leading name component of "inst1...".
    assert matching(["==", "name", "inst"]) == []
    assert matching(["!=", "name", "inst1"]) == [N2, N3]


def test_missing_values_do_not_exclude_rows() -> None:
    # Row 3 has no "mem": like Ganeti, a filter cannot judge it and keeps it.
    assert matching([">", "mem", 1000]) == [N2, N3]
    assert matching(["!", [">", "mem", 1000]]) == [N1]


def test_job_id_field_accepts_numeric_strings() -> None:
    assert matching(["==", "id", "10"]) == [N3]
    assert matching([">", "id", 1]) == [N2, N3]


def test_split_timestamps_compare_as_seconds() -> None:
    assert matching([">", "ts", 100.4]) == [N1, N2, N3]
    assert matching([">", "ts", 100.6]) == [N2, N3]
    assert matching(["==", "ts", [200, 0]]) == [N2]


def test_needs_reports_data_of_referenced_fields() -> None:
    compiled = compile_filter(FIELDS, ["&", ["?", "up"], [">", "mem", 1]])
    assert compiled is not None
    assert compiled.needs() == frozenset([DATA_LIVE_NODES])


@pytest.mark.parametrize(
    ("qfilter", "message"),
    [
        ([], "at filter: expected a non-empty list"),
        ("name", "at filter: expected a non-empty list"),
        (["~~", "name", "x"], "at filter[0]: unknown operator '~~'"),
        ([1, "name"], "at filter[0]: unknown operator 1"),
        (["==", "nosuch", "x"], "at filter[1]: unknown field 'nosuch'"),
        (["|", ["==", "os", "x"], ["==", "bad", 1]], "at filter[2][1]: unknown field 'bad'"),
        (["==", "os"], "at filter: operator '==' expects a field name and a value"),
        (["!", ["?", "up"], ["?", "up"]], "operator '!' expects exactly one operand, got 2"),
        (["?", "nosuch"], "at filter[1]: unknown field 'nosuch'"),
        (["==", "count", "one"], "at filter[2]: unable to compare field 'count' (type 'number')"),
        (["==", "os", 5], "at filter[2]: unable to compare field 'os' (type 'text')"),
        (["==", "up", 1], "expected a boolean"),
        (["==", "count", True], "expected an integer"),
        (["=~", "os", "("], "at filter[2]: invalid regular expression '('"),
        (["=~", "os", 5], "regular expression must be a string"),
        (["==", "id", "abc"], "at filter[2]: invalid job ID 'abc'"),
        (["==", "ts", "yesterday"], "compares with a timestamp"),
        (["&", ["|", "x"]], "at filter[1][1]: expected a non-empty list"),
    ],
)
def test_bad_filters_name_problem_and_position(qfilter: Any, message: str) -> None:
    with pytest.raises(errors.QueryFilterParseError) as exc:
        compile_filter(FIELDS, qfilter)
    assert message in str(exc.value)


def test_nesting_limit() -> None:
    qfilter: Any = ["?", "up"]
    for _ in range(MAX_LEVELS - 1):
        qfilter = ["!", qfilter]
    assert compile_filter(FIELDS, qfilter) is not None
    with pytest.raises(errors.QueryFilterParseError, match="nested too deep"):
        compile_filter(FIELDS, ["!", qfilter])


def test_requested_names() -> None:
    simple = make_simple_filter("name", ["b", "a", "b"])
    assert simple == ["|", ["==", "name", "b"], ["==", "name", "a"], ["==", "name", "b"]]
    assert requested_names(simple) == ["b", "a"]
    assert requested_names(["==", "name", "x"]) == ["x"]
    assert requested_names(["=", "name", "x"]) == ["x"]
    assert requested_names(["|", ["==", "name", "x"], ["|", ["==", "name", "y"]]]) == ["x", "y"]
    assert requested_names(["|", ["==", "name", "x"], ["==", "os", "y"]]) is None
    assert requested_names(["&", ["==", "name", "x"]]) is None
    assert requested_names(["=~", "name", "x"]) is None
    assert requested_names(["|"]) is None
    assert requested_names(None) is None
    assert requested_names(["==", "id", 3], "id") == [3]


def test_make_simple_filter_without_values() -> None:
    assert make_simple_filter("name", []) is None
    assert make_simple_filter("name", None) is None

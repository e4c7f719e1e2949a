"""Table output: generate_table and format_query_result, checked against Ganeti's own code."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from typing import Any

import pytest

from pyganeti.cli.output import (
    QR_INCOMPLETE,
    QR_NORMAL,
    QR_UNKNOWN,
    format_field_list,
    format_query_result,
    format_result_error,
    format_time,
    generate_table,
    unknown_fields,
)

GANETI_LIB = "/usr/share/ganeti/3.0"
HAVE_GANETI = os.path.isdir(os.path.join(GANETI_LIB, "ganeti"))
needs_ganeti = pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")


def run_ganeti(script: str, payload: Any) -> Any:
    env = dict(os.environ, PYTHONPATH=GANETI_LIB)
    proc = subprocess.run(
        ["/usr/bin/python3", "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(proc.stdout)


FIELDS = ["name", "mem", "cnt", "os"]
HEADERS = {"name": "Node", "mem": "Memory", "cnt": "Count", "os": "OS"}
DATA = [
    ["node1.example.com", 1024, 3, "debian"],
    ["n2", 512, 12, "centos-stream"],
    None,
    ["node10", "?", 0, "x"],
]
TABLE_CASES = [
    # headers, separator, numfields, unitfields, units
    (HEADERS, None, ["cnt"], ["mem"], None),
    (None, None, ["cnt"], ["mem"], None),
    (HEADERS, "|", ["cnt"], ["mem"], None),
    (HEADERS, "%s", [], ["mem"], "g"),
    (HEADERS, None, ["cnt", "os"], ["m.*"], "m"),
    ({"name": "Node"}, None, [], [], None),
]


def test_generate_table_pads_and_aligns() -> None:
    lines = generate_table(HEADERS, FIELDS, None, copy.deepcopy(DATA), ["cnt"], ["mem"])
    assert lines == [
        "Node              Memory Count OS           ",
        "node1.example.com 1.0G       3 debian",
        "n2                512M      12 centos-stream",
        "-                 -          - -",
        "node10            ?          0 x",
    ]


def test_generate_table_with_separator_uses_mib() -> None:
    lines = generate_table(None, FIELDS, ":", copy.deepcopy(DATA), ["cnt"], ["mem"])
    assert lines == [
        "node1.example.com:1024:3:debian",
        "n2:512:12:centos-stream",
        "-:-:-:-",
        "node10:?:0:x",
    ]


def test_generate_table_leaves_input_untouched() -> None:
    data = copy.deepcopy(DATA)
    generate_table(HEADERS, FIELDS, None, data, ["cnt"], ["mem"])
    assert data == DATA


@needs_ganeti
def test_generate_table_same_as_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti import cli\n"
        "fields, data, cases = json.load(sys.stdin)\n"
        "out = []\n"
        "for headers, sep, num, unit, units in cases:\n"
        "    rows = [None if r is None else list(r) for r in data]\n"
        "    out.append(cli.GenerateTable(headers and dict(headers), fields, sep, rows,\n"
        "                                 numfields=num, unitfields=unit, units=units))\n"
        "print(json.dumps(out))\n"
    )
    expected = run_ganeti(script, [FIELDS, DATA, TABLE_CASES])
    mine = [
        generate_table(headers, FIELDS, sep, copy.deepcopy(DATA), num, unit, units)
        for headers, sep, num, unit, units in TABLE_CASES
    ]
    assert mine == expected


def _fdef(name: str, title: str, kind: str) -> dict[str, str]:
    return {"name": name, "title": title, "kind": kind, "doc": f"The {name}"}


RESULT = {
    "fields": [
        _fdef("name", "Instance", "text"),
        _fdef("up", "Autostart", "bool"),
        _fdef("mem", "Memory", "unit"),
        _fdef("vcpus", "VCPUs", "number"),
        _fdef("ratio", "Ratio", "float"),
        _fdef("ctime", "CTime", "timestamp"),
        _fdef("params", "Params", "other"),
        _fdef("tags", "Tags", "other"),
    ],
    "data": [
        [
            [0, "inst1"],
            [0, True],
            [0, 2048],
            [0, 2],
            [0, 1.5],
            [0, 1700000000],
            [0, {"a": 1}],
            [0, ["web", "db"]],
        ],
        [
            [0, "inst10.example.com"],
            [0, False],
            [2, None],
            [3, None],
            [0, 0.25],
            [0, 1.5],
            [4, None],
            [0, []],
        ],
    ],
}


def test_format_query_result_table() -> None:
    status, lines = format_query_result(RESULT, header=True, separator=None, units=None)
    assert status == QR_INCOMPLETE
    assert lines[1].startswith("inst1              Y           2.0G     2   1.5 ")
    assert lines[1].endswith(" {'a': 1} web,db")
    assert lines[2].split()[1:5] == ["N", "?", "-", "0.25"]
    assert lines[0].split() == [
        "Instance",
        "Autostart",
        "Memory",
        "VCPUs",
        "Ratio",
        "CTime",
        "Params",
        "Tags",
    ]


def test_format_query_result_verbose_and_separator() -> None:
    status, lines = format_query_result(
        RESULT, header=False, separator="|", units=None, verbose=True
    )
    assert lines[1].split("|")[2:4] == ["(nodata)", "(unavail)"]
    assert lines[0].split("|")[2] == "2048"  # MiB with a separator
    assert lines[1].split("|")[6] == "(offline)"
    assert status == QR_INCOMPLETE


def test_format_query_result_statuses() -> None:
    normal = {"fields": RESULT["fields"][:2], "data": [row[:2] for row in RESULT["data"]]}
    assert format_query_result(normal, header=False, separator=None, units="m")[0] == QR_NORMAL
    unknown = {"fields": [_fdef("x", "x", "unknown")], "data": [[[1, None]]]}
    status, lines = format_query_result(unknown, header=True, separator=None, units=None)
    assert (status, lines) == (QR_UNKNOWN, ["x", "??"])
    # Without rows unknown fields are still detected from the definitions.
    empty = {"fields": [_fdef("x", "x", "unknown")], "data": []}
    assert format_query_result(empty, header=True, separator=None, units=None)[0] == QR_UNKNOWN
    assert unknown_fields(empty) == ["x"]


def test_format_override() -> None:
    override = {"tags": (lambda value: "+".join(value), False)}
    _, lines = format_query_result(
        RESULT, header=False, separator=",", units=None, format_override=override
    )
    assert lines[0].endswith(",web+db")


def test_bad_rows_and_statuses_are_rejected() -> None:
    bad = {"fields": RESULT["fields"][:2], "data": [[[0, "x"]]]}
    with pytest.raises(ValueError, match="1 values for 2 fields"):
        format_query_result(bad, header=False, separator=None, units=None)
    with pytest.raises(ValueError, match="Unknown result status 9"):
        format_result_error(9, False)
    weird = {"fields": [_fdef("x", "X", "mystery")], "data": []}
    with pytest.raises(ValueError, match="Can't format column type 'mystery'"):
        format_query_result(weird, header=False, separator=None, units=None)


def test_format_time() -> None:
    assert format_time(None) == "N/A"
    assert format_time("x") == "N/A"
    assert len(format_time(0)) == len("1970-01-01 00:00:00")


FORMAT_CASES = [
    (True, None, None, False),
    (False, None, "g", True),
    (True, "|", None, False),
    (False, ";", "h", True),
]


@needs_ganeti
def test_format_query_result_same_as_ganeti() -> None:
    # gnt-* list commands comma-join list fields; give Ganeti the same override.
    script = (
        "import json, sys\n"
        "from ganeti import cli, objects\n"
        "result, cases = json.load(sys.stdin)\n"
        "resp = objects.QueryResponse.FromDict(result)\n"
        "override = {'tags': (lambda v: ','.join(str(i) for i in v), False)}\n"
        "print(json.dumps([cli.FormatQueryResult(resp, unit=units, separator=sep,\n"
        "                  header=header, verbose=verbose, format_override=override)\n"
        "                  for header, sep, units, verbose in cases]))\n"
    )
    expected = run_ganeti(script, [RESULT, FORMAT_CASES])
    for (header, separator, units, verbose), want in zip(FORMAT_CASES, expected, strict=True):
        status, lines = format_query_result(
            RESULT, header=header, separator=separator, units=units, verbose=verbose
        )
        assert [status, lines] == want


FIELD_LIST = {
    "fields": [
        _fdef("name", "Node", "text"),
        _fdef("mfree", "MFree", "unit"),
        _fdef("bogus", "bogus", "unknown"),
    ],
}


def test_format_field_list() -> None:
    status, lines = format_field_list(FIELD_LIST, header=True, separator=None)
    assert status == QR_UNKNOWN
    assert lines == [
        "Name  Type         Title Description",
        "name  Text         Node  The name",
        "mfree Storage size MFree The mfree",
        "bogus Unknown      bogus The bogus",
    ]
    ok = {"fields": FIELD_LIST["fields"][:1]}
    assert format_field_list(ok, header=False, separator="|") == (
        QR_NORMAL,
        ["name|Text|Node|The name"],
    )


@needs_ganeti
def test_format_field_list_same_as_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti import cli, objects\n"
        "result = json.load(sys.stdin)\n"
        "rows = [cli._FieldDescValues(objects.QueryFieldDefinition.FromDict(f))\n"
        "        for f in result['fields']]\n"
        "titles = ('Name', 'Type', 'Title', 'Description')\n"
        "cols = [cli.TableColumn(t, str, False) for t in titles]\n"
        "print(json.dumps([cli.FormatTable(rows, cols, h, s) for h, s in\n"
        "                  [(True, None), (False, None), (True, '::')]]))\n"
    )
    expected = run_ganeti(script, FIELD_LIST)
    mine = [
        format_field_list(FIELD_LIST, header=h, separator=s)[1]
        for h, s in [(True, None), (False, None), (True, "::")]
    ]
    assert mine == expected

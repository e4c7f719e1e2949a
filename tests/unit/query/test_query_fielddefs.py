"""Field definitions: same names, titles, kinds and docs as Ganeti; QueryFields answers."""

from __future__ import annotations

import pytest
from query_sample import HAVE_GANETI, run_ganeti

from pyganeti import errors
from pyganeti.query import RESOURCES, query_fields, required_data
from pyganeti.query.fielddefs import (
    DATA_CONSOLE,
    DATA_JOBS,
    DATA_LIVE_INSTANCES,
    DATA_LIVE_NODES,
    DATA_LOCKS,
    DATA_OS,
    QFT_OTHER,
    QFT_TEXT,
    Field,
    FieldTable,
)


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_field_definitions_equal_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti import query\n"
        "out = {r: {n: [f.title, f.kind, f.doc] for n, (f, _, _, _) in fl.items()}\n"
        "       for r, fl in query.ALL_FIELDS.items()}\n"
        "print(json.dumps(out))\n"
    )
    reference = run_ganeti(script, None)
    for name, res in RESOURCES.items():
        mine = {fname: [f.title, f.kind, f.doc] for fname, f in res.fields.items()}
        assert mine == reference[name], name


def test_query_fields_all_sorted_by_name() -> None:
    result = query_fields("group")
    names = [f["name"] for f in result["fields"]]
    assert names[:3] == ["alloc_policy", "ctime", "custom_diskparams"]
    assert len(names) == len(RESOURCES["group"].fields)
    disk = [
        f["name"] for f in query_fields("instance")["fields"] if f["name"].startswith("disk.size/")
    ]
    assert disk[:3] == ["disk.size/0", "disk.size/1", "disk.size/2"]
    assert disk[-1] == "disk.size/15"


def test_query_fields_selected_keeps_order_and_marks_unknown() -> None:
    result = query_fields("node", ["role", "nosuch", "name"])
    assert result["fields"] == [
        {
            "name": "role",
            "title": "Role",
            "kind": "text",
            "doc": RESOURCES["node"].fields["role"].doc,
        },
        {"name": "nosuch", "title": "nosuch", "kind": "unknown", "doc": "Unknown field 'nosuch'"},
        {"name": "name", "title": "Node", "kind": "text", "doc": "Node name"},
    ]


def test_aliases_carry_their_own_name() -> None:
    fields = query_fields("instance", ["be/memory", "ip", "vcpus"])["fields"]
    assert [(f["name"], f["title"]) for f in fields] == [
        ("be/memory", "ConfigMaxMem"),
        ("ip", "NicIP/0"),
        ("vcpus", "ConfigVCPUs"),
    ]
    assert query_fields("cluster", ["name"])["fields"][0]["doc"] == "Cluster name"


def test_unknown_resource_is_rejected() -> None:
    with pytest.raises(errors.OpPrereqError, match="Resource type 'vm' unknown"):
        query_fields("vm")


def test_field_names_must_be_strings() -> None:
    with pytest.raises(errors.OpPrereqError, match="list of strings"):
        query_fields("node", ["name", 3])  # type: ignore[list-item]


def test_required_data_only_for_live_fields() -> None:
    assert required_data("instance", ["name", "os", "be/maxmem"]) == set()
    assert required_data("instance", ["name", "status"]) == {DATA_LIVE_INSTANCES}
    assert required_data("instance", ["console"]) == {DATA_CONSOLE}
    assert required_data("instance", ["name"], ["==", "oper_state", True]) == {DATA_LIVE_INSTANCES}
    assert required_data("node", ["name", "mfree"]) == {DATA_LIVE_NODES}
    assert required_data("node", ["name", "pinst_cnt", "nosuch"]) == set()
    assert required_data("job", ["id"]) == {DATA_JOBS}
    assert required_data("os", ["name"]) == {DATA_OS}
    assert required_data("lock", ["name"]) == {DATA_LOCKS}


def test_required_data_validates_the_filter() -> None:
    with pytest.raises(errors.QueryFilterParseError, match="unknown field 'x'"):
        required_data("node", ["name"], ["?", "x"])


def test_field_table_rejects_bad_definitions() -> None:
    def get(_row: object) -> None:
        return None

    with pytest.raises(ValueError, match="invalid query field name"):
        FieldTable.build([Field("Bad Name", "T", QFT_TEXT, "Doc", get)])
    with pytest.raises(ValueError, match="invalid title"):
        FieldTable.build([Field("a", "two words", QFT_TEXT, "Doc", get)])
    with pytest.raises(ValueError, match="invalid kind"):
        FieldTable.build([Field("a", "A", "weird", "Doc", get)])
    with pytest.raises(ValueError, match="duplicate query field 'a'"):
        FieldTable.build(
            [Field("a", "A", QFT_TEXT, "Doc", get), Field("a", "B", QFT_OTHER, "D", get)]
        )
    with pytest.raises(ValueError, match="duplicate query field title"):
        FieldTable.build(
            [Field("a", "A", QFT_TEXT, "Doc", get), Field("b", "a", QFT_TEXT, "D", get)]
        )

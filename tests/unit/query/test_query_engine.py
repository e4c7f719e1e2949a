"""run_query and legacy_query: row order, requested names, errors, result layout."""

from __future__ import annotations

import copy

import pytest
from query_sample import build_config, live_instances

from pyganeti import errors
from pyganeti.query import QueryContext, legacy_query, make_simple_filter, run_query
from pyganeti.query.qlang import parse_filter_text


@pytest.fixture
def ctx() -> QueryContext:
    return QueryContext(build_config(), live_instances=live_instances())


def names(result: dict[str, object]) -> list[str]:
    return [row[0][1] for row in result["data"]]  # type: ignore[attr-defined,index]


def test_result_layout(ctx: QueryContext) -> None:
    result = run_query(ctx, "node", ["name", "role"], ["==", "name", "node2"])
    assert result == {
        "fields": [
            {"name": "name", "title": "Node", "kind": "text", "doc": "Node name"},
            {"name": "role", "title": "Role", "kind": "text", "doc": result["fields"][1]["doc"]},
        ],
        "data": [[[0, "node2.example.com"], [0, "C"]]],
    }


def test_rows_are_nice_sorted_by_name(ctx: QueryContext) -> None:
    assert names(run_query(ctx, "instance", ["name"], None)) == [
        "inst1.example.com",
        "inst2.example.com",
        "inst3.example.com",
        "inst4.example.com",
        "inst5.example.com",
        "inst10.example.com",
    ]


def test_requested_names_keep_request_order(ctx: QueryContext) -> None:
    qfilter = make_simple_filter("name", ["inst10", "inst2.example.com", "i1", "inst10"])
    # Short names resolve to the unique full name; uuids work too; duplicates collapse.
    assert names(run_query(ctx, "instance", ["name"], qfilter)) == [
        "inst10.example.com",
        "inst2.example.com",
        "inst1.example.com",
    ]


def test_unknown_requested_name_is_an_error(ctx: QueryContext) -> None:
    qfilter = make_simple_filter("name", ["inst1", "nosuch"])
    with pytest.raises(errors.OpPrereqError) as exc:
        run_query(ctx, "instance", ["name"], qfilter)
    assert exc.value.args == ("Instance name nosuch not found", errors.ECODE_NOENT)
    with pytest.raises(errors.OpPrereqError, match="Node name node9 not found"):
        run_query(ctx, "node", ["name"], ["==", "name", "node9"])
    with pytest.raises(errors.OpPrereqError, match="NodeGroup name nogroup not found"):
        run_query(ctx, "group", ["name"], ["==", "name", "nogroup"])


def test_ambiguous_short_name_is_an_error(ctx: QueryContext) -> None:
    config = copy.deepcopy(build_config())
    config["instances"]["i1"]["name"] = "inst1.example.org"
    config["instances"]["i2"]["name"] = "inst1.example.com"
    with pytest.raises(errors.OpPrereqError, match="Instance name inst1 has multiple matches"):
        run_query(QueryContext(config), "instance", ["name"], ["==", "name", "inst1"])


def test_filters_select_rows(ctx: QueryContext) -> None:
    qfilter = parse_filter_text('admin_state == "up" and not oper_state')
    # inst3's node is offline: a condition on a value without data holds (as in Ganeti),
    # so "oper_state" holds for it and "not oper_state" does not.
    assert names(run_query(ctx, "instance", ["name"], qfilter)) == ["inst5.example.com"]
    # Stopped instances have no oper_ram (unavailable), so they are kept too.
    qfilter = parse_filter_text("oper_ram > 1000")
    assert names(run_query(ctx, "instance", ["name"], qfilter)) == [
        "inst1.example.com",
        "inst3.example.com",
        "inst4.example.com",
        "inst5.example.com",
    ]
    qfilter = parse_filter_text('"web" in tags or pnode == "node2"')
    assert names(run_query(ctx, "instance", ["name"], qfilter)) == [
        "inst1.example.com",
        "inst5.example.com",
        "inst10.example.com",
    ]
    qfilter = parse_filter_text('name =* "inst1*"')
    assert names(run_query(ctx, "instance", ["name"], qfilter)) == [
        "inst1.example.com",
        "inst10.example.com",
    ]


def test_names_combined_with_another_filter_are_not_looked_up(ctx: QueryContext) -> None:
    qfilter = ["&", make_simple_filter("name", ["nosuch", "inst1"]), ["?", "admin_up"]]
    assert names(run_query(ctx, "instance", ["name"], qfilter)) == ["inst1.example.com"]


def test_bad_filter_is_rejected_before_anything(ctx: QueryContext) -> None:
    with pytest.raises(errors.QueryFilterParseError, match="unknown field 'bogus'"):
        run_query(ctx, "instance", ["name"], ["==", "bogus", "x"])


def test_bad_resource_and_fields(ctx: QueryContext) -> None:
    with pytest.raises(errors.OpPrereqError, match="Resource type 'bogus' unknown"):
        run_query(ctx, "bogus", ["name"], None)
    with pytest.raises(errors.OpPrereqError, match="list of strings"):
        run_query(ctx, "node", "name", None)  # type: ignore[arg-type]


def test_empty_configuration() -> None:
    result = run_query(QueryContext({}), "instance", ["name", "nosuch"], None)
    assert result["data"] == []
    assert result["fields"][1]["kind"] == "unknown"


def test_legacy_query(ctx: QueryContext) -> None:
    assert legacy_query(ctx, "instance", ["inst2", "inst1"], ["name", "status", "snodes"]) == [
        ["inst2.example.com", "ERROR_up", ["node2.example.com"]],
        ["inst1.example.com", "running", []],
    ]
    assert len(legacy_query(ctx, "node", None, ["name"])) == 4
    # Values without data are plain None in the old format.
    assert legacy_query(ctx, "instance", ["inst3"], ["oper_ram"]) == [[None]]


def test_legacy_query_errors(ctx: QueryContext) -> None:
    with pytest.raises(errors.OpPrereqError) as exc:
        legacy_query(ctx, "instance", [], ["name", "foo", "bar"])
    assert exc.value.args == ("Unknown output fields selected: foo, bar", errors.ECODE_INVAL)
    with pytest.raises(errors.OpPrereqError, match="Instance name ghost not found"):
        legacy_query(ctx, "instance", ["ghost"], ["name"])
    with pytest.raises(errors.OpPrereqError, match="Invalid job ID passed: 'x'"):
        legacy_query(ctx, "job", ["x"], ["id"])


def test_legacy_job_query() -> None:
    ctx = QueryContext({}, jobs=[{"id": 4, "ops": []}])
    assert legacy_query(ctx, "job", ["4", "5"], ["id", "status"]) == [[4, "success"], [5, None]]

"""Node and node group fields on a realistic config with live node data."""

from __future__ import annotations

from typing import Any

import pytest
from query_sample import N1, build_config, live_nodes

from pyganeti.query import QueryContext, run_query
from pyganeti.query.fielddefs import RS_NODATA, RS_NORMAL, RS_OFFLINE, RS_UNAVAIL


def table(ctx: QueryContext, resource: str, fields: list[str]) -> dict[str, list[Any]]:
    result = run_query(ctx, resource, ["name", *fields], None)
    return {
        row[0][1]: [value if status == RS_NORMAL else (status,) for status, value in row[1:]]
        for row in result["data"]
    }


@pytest.fixture
def ctx() -> QueryContext:
    return QueryContext(build_config(), live_nodes=live_nodes())


def test_node_config_fields(ctx: QueryContext) -> None:
    got = table(
        ctx,
        "node",
        [
            "uuid",
            "pip",
            "sip",
            "master",
            "master_candidate",
            "drained",
            "offline",
            "vm_capable",
            "master_capable",
            "role",
            "group",
            "group.uuid",
            "tags",
            "serial_no",
            "mtime",
        ],
    )
    assert got["node1.example.com"] == [
        N1,
        "192.0.2.1",
        "198.51.100.1",
        True,
        True,
        False,
        False,
        True,
        True,
        "M",
        "default",
        "group-uuid-1",
        ["rack1"],
        1,
        1600000001.0,
    ]
    assert [got[name][9] for name in got] == ["M", "C", "O", "D"]


def test_node_instance_lists(ctx: QueryContext) -> None:
    got = table(ctx, "node", ["pinst_cnt", "pinst_list", "sinst_cnt", "sinst_list"])
    assert got["node1.example.com"] == [
        2,
        ["inst1.example.com", "inst2.example.com"],
        1,
        ["inst10.example.com"],
    ]
    # Nice order: inst5 before inst10.
    assert got["node2.example.com"] == [
        2,
        ["inst5.example.com", "inst10.example.com"],
        1,
        ["inst2.example.com"],
    ]


def test_node_parameters(ctx: QueryContext) -> None:
    got = table(
        ctx,
        "node",
        ["ndp/spindle_count", "ndp/oob_program", "custom_ndparams", "powered", "hv_state"],
    )
    assert got["node1.example.com"] == [1, "", {}, (RS_UNAVAIL,), (RS_UNAVAIL,)]
    # node2 has an out-of-band program, so its power state is known.
    assert got["node2.example.com"][1:4] == ["/bin/oob", {"oob_program": "/bin/oob"}, False]
    assert got["node10.example.com"][0] == 4  # from its group


def test_node_live_fields(ctx: QueryContext) -> None:
    got = table(
        ctx,
        "node",
        [
            "mtotal",
            "mnode",
            "mfree",
            "dtotal",
            "dfree",
            "ctotal",
            "cnodes",
            "csockets",
            "cnos",
            "bootid",
            "spfree",
        ],
    )
    assert got["node1.example.com"] == [
        16384,
        1024,
        8000,
        102400,
        51200,
        8,
        1,
        1,
        1,
        "boot-1",
        (RS_UNAVAIL,),
    ]
    # Strings are converted; keys the node did not report are unavailable.
    assert got["node2.example.com"][:3] == [32768, (RS_UNAVAIL,), 30000]
    assert got["node3.example.com"] == [(RS_OFFLINE,)] * 11
    assert got["node10.example.com"] == [(RS_NODATA,)] * 11


def test_node_live_fields_unreachable_or_not_vm_capable() -> None:
    config = build_config()
    config["nodes"][N1]["vm_capable"] = False
    ctx = QueryContext(
        config, live_nodes=live_nodes(), unreachable_nodes=frozenset(["node-uuid-2"])
    )
    got = table(ctx, "node", ["mtotal"])
    assert got["node1.example.com"] == [(RS_UNAVAIL,)]
    assert got["node2.example.com"] == [(RS_NODATA,)]
    assert table(QueryContext(build_config()), "node", ["mtotal"])["node1.example.com"] == [
        (RS_NODATA,)
    ]


def test_group_fields(ctx: QueryContext) -> None:
    got = table(
        ctx,
        "group",
        [
            "uuid",
            "alloc_policy",
            "node_cnt",
            "node_list",
            "pinst_cnt",
            "pinst_list",
            "tags",
            "serial_no",
            "ndp/spindle_count",
            "custom_ndparams",
        ],
    )
    assert got["default"] == [
        "group-uuid-1",
        "preferred",
        2,
        ["node1.example.com", "node2.example.com"],
        4,
        ["inst1.example.com", "inst2.example.com", "inst5.example.com", "inst10.example.com"],
        ["main"],
        2,
        1,
        {},
    ]
    assert got["group2"][2:4] == [2, ["node3.example.com", "node10.example.com"]]
    assert got["group2"][8:] == [4, {"spindle_count": 4}]


def test_group_merged_policies(ctx: QueryContext) -> None:
    got = table(ctx, "group", ["ipolicy", "custom_ipolicy", "diskparams", "ctime"])
    assert got["group2"][0] == {
        "vcpu-ratio": 2.0,
        "spindle-ratio": 32.0,
        "std": {"cpu-count": 1, "memory-size": 128},
    }
    assert got["group2"][1] == {"vcpu-ratio": 2.0}
    assert got["group2"][2] == {"plain": {"stripes": 2}, "drbd": {"resync-rate": 61440}}
    assert got["group2"][3] == (RS_UNAVAIL,)  # an old config without timestamps

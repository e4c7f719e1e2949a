"""Cluster, network, filter rule, job, OS and lock resources."""

from __future__ import annotations

from typing import Any

import pytest
from query_sample import HAVE_GANETI, build_config, run_ganeti

from pyganeti.query import QueryContext, run_query
from pyganeti.query.fielddefs import RS_NORMAL, RS_UNAVAIL, RS_UNKNOWN
from pyganeti.query.fields.job import job_priority, job_status, op_summary


def rows(ctx: QueryContext, resource: str, fields: list[str], qfilter: Any = None) -> list[Any]:
    result = run_query(ctx, resource, fields, qfilter)
    return [
        [value if status == RS_NORMAL else (status,) for status, value in row]
        for row in result["data"]
    ]


def test_cluster() -> None:
    ctx = QueryContext(build_config(), queue_drained=True, arch_info=("64bit", "x86_64"))
    [row] = rows(
        ctx,
        "cluster",
        [
            "name",
            "cluster_name",
            "master_node",
            "volume_group_name",
            "tags",
            "drain_flag",
            "watcher_pause",
            "architecture",
            "protocol_version",
            "config_version",
            "os_api_version",
            "software_version",
            "serial_no",
        ],
    )
    assert row == [
        "cluster.example.com",
        "cluster.example.com",
        "node1.example.com",
        "xenvg",
        ["cluster-tag"],
        True,
        (RS_UNAVAIL,),
        ["64bit", "x86_64"],
        3000000,
        3000000,
        20,
        "3.0.2",
        (RS_UNKNOWN,),
    ]
    # serial_no is no cluster field in Ganeti (it reports unknown, status 1).


def test_network() -> None:
    ctx = QueryContext(build_config())
    [row] = rows(
        ctx,
        "network",
        [
            "name",
            "uuid",
            "network",
            "gateway",
            "network6",
            "mac_prefix",
            "group_cnt",
            "group_list",
            "inst_cnt",
            "inst_list",
            "free_count",
            "reserved_count",
            "map",
            "external_reservations",
            "tags",
        ],
    )
    assert row == [
        "net1",
        "net-uuid-1",
        "192.0.2.0/29",
        "192.0.2.1",
        (RS_UNAVAIL,),
        "aa:00:00",
        1,
        [["default", "bridged", "br100", ""]],
        1,
        ["inst1.example.com"],
        4,
        4,
        "XXX....X",
        "192.0.2.0, 192.0.2.1, 192.0.2.7",
        ["lan"],
    ]


def test_filter_rules_ordered_by_uuid() -> None:
    ctx = QueryContext(build_config())
    assert rows(ctx, "filter", ["uuid", "priority", "watermark", "action"]) == [
        ["f-uuid-1", 0, 5, "REJECT"],
        ["f-uuid-2", 1, 10, "ACCEPT"],
    ]


def _op(status: str, op_id: str = "OP_INSTANCE_STARTUP", prio: int = 0, **params: Any) -> Any:
    return {
        "input": {"OP_ID": op_id, **params},
        "status": status,
        "result": None,
        "log": [[1, [1700000000, 0], "message", "hello"]],
        "start_timestamp": [1700000000, 5],
        "exec_timestamp": None,
        "end_timestamp": None,
        "priority": prio,
    }


JOBS = [
    {
        "id": 10,
        "ops": [
            _op("success", instance_name="inst1"),
            _op("running", prio=-5, instance_name="inst2"),
        ],
        "received_timestamp": [1700000000, 1],
        "start_timestamp": [1700000001, 0],
        "end_timestamp": None,
    },
    {
        "id": 2,
        "ops": [_op("success", "OP_CLUSTER_VERIFY")],
        "received_timestamp": [1, 0],
        "start_timestamp": [2, 0],
        "end_timestamp": [3, 500000],
        "archived": True,
    },
    {
        "id": 3,
        "ops": [_op("error", "OP_NODE_ADD", node_name="n4"), _op("queued")],
        "received_timestamp": [5, 0],
        "start_timestamp": None,
        "end_timestamp": None,
    },
]


def test_jobs() -> None:
    ctx = QueryContext(build_config(), jobs=JOBS)
    got = rows(
        ctx,
        "job",
        [
            "id",
            "status",
            "priority",
            "summary",
            "archived",
            "opstatus",
            "oppriority",
            "received_ts",
            "end_ts",
            "opstart",
        ],
    )
    assert got == [
        [
            2,
            "success",
            0,
            ["CLUSTER_VERIFY"],
            True,
            ["success"],
            [0],
            [1, 0],
            [3, 500000],
            [[1700000000, 5]],
        ],
        [
            3,
            "error",
            0,
            ["NODE_ADD(n4)", "INSTANCE_STARTUP(None)"],
            False,
            ["error", "queued"],
            [0, 0],
            [5, 0],
            (RS_UNAVAIL,),
            [[1700000000, 5], [1700000000, 5]],
        ],
        [
            10,
            "running",
            -5,
            ["INSTANCE_STARTUP(inst1)", "INSTANCE_STARTUP(inst2)"],
            False,
            ["success", "running"],
            [0, -5],
            [1700000000, 1],
            (RS_UNAVAIL,),
            [[1700000000, 5], [1700000000, 5]],
        ],
    ]


def test_jobs_requested_by_id_keep_order_and_missing_ones_are_unavailable() -> None:
    ctx = QueryContext(build_config(), jobs=JOBS)
    qfilter = ["|", ["==", "id", 10], ["==", "id", "99"], ["==", "id", 2]]
    assert rows(ctx, "job", ["id", "status"], qfilter) == [
        [10, "running"],
        [99, (RS_UNAVAIL,)],
        [2, "success"],
    ]


def test_job_filters_on_timestamps_and_status() -> None:
    ctx = QueryContext(build_config(), jobs=JOBS)
    assert rows(ctx, "job", ["id"], [">", "received_ts", 4]) == [[3], [10]]
    assert rows(ctx, "job", ["id"], ["==", "status", "error"]) == [[3]]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "success"),
        (["queued", "queued"], "queued"),
        (["success", "waiting", "queued"], "waiting"),
        (["running", "canceling"], "canceling"),
        (["success", "canceled", "running"], "canceled"),
        (["error", "running"], "error"),
    ],
)
def test_job_status(statuses: list[str], expected: str) -> None:
    assert job_status({"ops": [{"status": s} for s in statuses]}) == expected


def test_job_priority() -> None:
    assert job_priority({"ops": [_op("success", prio=-10), _op("queued", prio=3)]}) == 3
    assert job_priority({"ops": [_op("success", prio=-10)]}) == 0


SUMMARY_OPS = [
    {"OP_ID": "OP_INSTANCE_STARTUP", "instance_name": "inst1"},
    {"OP_ID": "OP_GROUP_ADD", "group_name": "g1"},
    {"OP_ID": "OP_CLUSTER_VERIFY"},
    {"OP_ID": "OP_TAGS_SEARCH", "pattern": "^x"},
    {"OP_ID": "OP_TEST_DELAY", "duration": 2.5},
    {"OP_ID": "OP_NETWORK_ADD", "network_name": "net1"},
]


def test_op_summary() -> None:
    assert [op_summary(op) for op in SUMMARY_OPS] == [
        "INSTANCE_STARTUP(inst1)",
        "GROUP_ADD(g1)",
        "CLUSTER_VERIFY",
        "TAGS_SEARCH(^x)",
        "TEST_DELAY(2.5)",
        "NETWORK_ADD(net1)",
    ]


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_op_summary_matches_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti import opcodes\n"
        "ops = json.load(sys.stdin)\n"
        "print(json.dumps([opcodes.OpCode.LoadOpCode(op).Summary() for op in ops]))\n"
    )
    assert [op_summary(op) for op in SUMMARY_OPS] == run_ganeti(script, SUMMARY_OPS)


def test_os_and_locks() -> None:
    os_list = [
        {
            "name": "lenny",
            "valid": True,
            "hidden": False,
            "blacklisted": False,
            "variants": ["v10", "v9"],
            "api_versions": [20, 15],
            "parameters": [["z", "last"], ["a", "first"]],
            "node_status": {},
            "os_hvp": {},
            "osparams": {},
            "trusted": True,
        },
        {"name": "debootstrap", "valid": False, "hidden": True, "variants": []},
    ]
    locks = [
        {
            "name": "instance/inst10",
            "mode": "exclusive",
            "owner": ["job/10", "job/9"],
            "pending": [["shared", ["job/20", "job/3"]]],
        },
        {"name": "instance/inst2", "mode": None, "owner": None, "pending": []},
    ]
    ctx = QueryContext(build_config(), os_list=os_list, locks=locks)
    assert rows(
        ctx, "os", ["name", "valid", "hidden", "variants", "api_versions", "parameters", "trusted"]
    ) == [
        ["debootstrap", False, True, [], [], [], True],
        ["lenny", True, False, ["v9", "v10"], [15, 20], [["a", "first"], ["z", "last"]], True],
    ]
    assert rows(ctx, "lock", ["name", "mode", "owner", "pending"]) == [
        ["instance/inst2", None, None, []],
        ["instance/inst10", "exclusive", ["job/9", "job/10"], [["shared", ["job/3", "job/20"]]]],
    ]
    # Unknown OS names are no error: the filter simply matches nothing.
    assert rows(ctx, "os", ["name"], ["==", "name", "nosuch"]) == []

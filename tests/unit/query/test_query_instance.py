"""Instance fields on a realistic config, and the status computed from admin and live state."""

from __future__ import annotations

from typing import Any

import pytest
from query_sample import N1, N2, build_config, live_instances, live_nodes

from pyganeti.query import QueryContext, run_query
from pyganeti.query.fielddefs import RS_NODATA, RS_NORMAL, RS_UNAVAIL, RS_UNKNOWN


def values(ctx: QueryContext, fields: list[str], qfilter: Any = None) -> dict[str, list[Any]]:
    """name -> [value or (status,) for each field]."""
    result = run_query(ctx, "instance", ["name", *fields], qfilter)
    table = {}
    for row in result["data"]:
        table[row[0][1]] = [
            value if status == RS_NORMAL else (status,) for status, value in row[1:]
        ]
    return table


@pytest.fixture
def ctx() -> QueryContext:
    return QueryContext(build_config(), live_instances=live_instances(), live_nodes=live_nodes())


def test_configuration_fields(ctx: QueryContext) -> None:
    got = values(
        ctx,
        [
            "uuid",
            "os",
            "pnode",
            "pnode.group",
            "pnode.group.uuid",
            "snodes",
            "snodes.group",
            "admin_state",
            "admin_up",
            "admin_state_source",
            "disk_template",
            "hypervisor",
            "tags",
            "serial_no",
            "ctime",
        ],
    )
    assert got["inst1.example.com"] == [
        "i1",
        "debootstrap+default",
        "node1.example.com",
        "default",
        "group-uuid-1",
        [],
        [],
        "up",
        True,
        "admin",
        "plain",
        "kvm",
        ["web", "prod"],
        3,
        1700000000.5,
    ]
    assert got["inst2.example.com"][5:7] == [["node2.example.com"], ["default"]]
    assert got["inst10.example.com"][5] == ["node1.example.com"]
    assert got["inst4.example.com"][3] == "group2"


def test_filled_parameters(ctx: QueryContext) -> None:
    got = values(
        ctx,
        [
            "be/maxmem",
            "be/memory",
            "vcpus",
            "be/auto_balance",
            "hv/acpi",
            "hv/kernel_path",
            "hv/vnc_bind_address",
            "hv/migration_port",
            "hv/cdrom_image_path",
            "custom_hvparams",
            "osparams",
            "custom_beparams",
        ],
    )
    # Instance value over cluster default; os_hvp (acpi False) over the cluster's True;
    # cluster-global hypervisor parameters (migration_port) are no instance fields.
    assert got["inst1.example.com"] == [
        2048,
        2048,
        1,
        True,
        False,
        "/boot/vmlinuz-custom",
        "0.0.0.0",
        (RS_UNKNOWN,),
        (RS_UNAVAIL,),
        {"kernel_path": "/boot/vmlinuz-custom"},
        {"dhcp": "no", "arch": "amd64"},
        {"maxmem": 2048},
    ]
    assert got["inst2.example.com"][0] == 128
    # "lenny" has no cluster osparams; the fake hypervisor has no acpi parameter.
    assert got["inst4.example.com"][4] == (RS_UNAVAIL,)
    assert got["inst4.example.com"][10] == {}


def test_disk_fields(ctx: QueryContext) -> None:
    got = values(
        ctx,
        [
            "disk.count",
            "disk.sizes",
            "disk.size/0",
            "disk.size/1",
            "sdb_size",
            "disk.name/0",
            "disk.name/1",
            "disk.uuids",
            "disk_usage",
        ],
    )
    assert got["inst1.example.com"] == [
        2,
        [1024, 2048],
        1024,
        2048,
        2048,
        "root",
        (RS_UNAVAIL,),
        ["d1", "d2"],
        3072,
    ]
    # DRBD disks use 128 MiB of metadata on each node; diskless instances use nothing.
    assert got["inst2.example.com"][8] == 10240 + 128
    assert got["inst4.example.com"] == [
        0,
        [],
        (RS_UNAVAIL,),
        (RS_UNAVAIL,),
        (RS_UNAVAIL,),
        (RS_UNAVAIL,),
        (RS_UNAVAIL,),
        [],
        0,
    ]


def test_nic_fields(ctx: QueryContext) -> None:
    got = values(
        ctx,
        [
            "nic.count",
            "nic.macs",
            "nic.ips",
            "nic.modes",
            "nic.links",
            "nic.bridges",
            "nic.vlans",
            "nic.networks",
            "nic.networks.names",
            "ip",
            "mac",
            "bridge",
            "nic_mode",
            "nic.bridge/1",
            "nic.link/1",
            "nic.network.name/0",
            "nic.vlan/0",
            "nic.mac/2",
        ],
    )
    assert got["inst1.example.com"] == [
        2,
        ["aa:00:00:00:00:01", "aa:00:00:00:00:02"],
        ["192.0.2.100", None],
        ["bridged", "routed"],
        ["br0", "rt1"],
        ["br0", None],
        ["", None],
        ["net-uuid-1", None],
        ["net1", None],
        "192.0.2.100",
        "aa:00:00:00:00:01",
        "br0",
        "bridged",
        (RS_UNAVAIL,),
        "rt1",
        "net1",
        (RS_UNAVAIL,),
        (RS_UNAVAIL,),
    ]
    ovs = got["inst2.example.com"]
    assert ovs[6] == [".5"] and ovs[16] == ".5" and ovs[5] == [None]


def test_live_fields(ctx: QueryContext) -> None:
    got = values(ctx, ["oper_state", "oper_ram", "oper_vcpus"])
    assert got["inst1.example.com"] == [True, 2048, 1]
    assert got["inst5.example.com"] == [False, (RS_UNAVAIL,), (RS_UNAVAIL,)]
    # inst10's guest shut itself down: the VM exists but is not running.
    assert got["inst10.example.com"] == [False, 128, 1]
    # inst3's primary node is offline: nothing is known.
    assert got["inst3.example.com"] == [(RS_NODATA,)] * 3


def test_live_fields_without_live_data() -> None:
    ctx = QueryContext(build_config())
    got = values(ctx, ["status", "oper_state", "oper_ram", "os"])
    assert got["inst1.example.com"] == [
        (RS_NODATA,),
        (RS_NODATA,),
        (RS_NODATA,),
        "debootstrap+default",
    ]


def test_console_field() -> None:
    ctx = QueryContext(build_config(), console={"inst1.example.com": {"kind": "vnc"}})
    got = values(ctx, ["console"])
    assert got["inst1.example.com"] == [{"kind": "vnc"}]
    assert got["inst2.example.com"] == [(RS_UNAVAIL,)]
    assert values(QueryContext(build_config()), ["console"])["inst1.example.com"] == [(RS_NODATA,)]


def test_unknown_field_reports_unknown_status(ctx: QueryContext) -> None:
    result = run_query(ctx, "instance", ["name", "nosuch"], None)
    assert result["fields"][1]["kind"] == "unknown"
    assert all(row[1] == [RS_UNKNOWN, None] for row in result["data"])


def _status_of(inst: dict[str, Any], live: dict[str, Any] | None, **ctx_args: Any) -> Any:
    config = build_config()
    config["instances"] = {"x": dict(config["instances"]["i1"], **inst)}
    lives = None if live is None else ({"inst1.example.com": live} if live else {})
    ctx = QueryContext(config, live_instances=lives, **ctx_args)
    [[cell]] = [row[1:] for row in run_query(ctx, "instance", ["name", "status"], None)["data"]]
    return cell[1] if cell[0] == RS_NORMAL else (cell[0],)


RUNNING = {"state": "running", "node": N1, "memory": 1, "vcpus": 1}
SHUTDOWN = {"state": "user_down", "node": N1}


@pytest.mark.parametrize(
    ("inst", "live", "ctx_args", "expected"),
    [
        ({"admin_state": "up"}, RUNNING, {}, "running"),
        ({"admin_state": "down"}, {}, {}, "ADMIN_down"),
        ({"admin_state": "down"}, RUNNING, {}, "ERROR_up"),
        ({"admin_state": "up"}, {}, {}, "ERROR_down"),
        ({"admin_state": "up", "hypervisor": "fake"}, SHUTDOWN, {}, "USER_down"),
        ({"admin_state": "up"}, SHUTDOWN, {}, "ERROR_down"),
        ({"admin_state": "up", "hvparams": {"user_shutdown": True}}, SHUTDOWN, {}, "USER_down"),
        ({"admin_state": "down"}, SHUTDOWN, {}, "ADMIN_down"),
        ({"admin_state": "down", "admin_state_source": "user"}, {}, {}, "USER_down"),
        ({"admin_state": "up"}, RUNNING, {"unreachable_nodes": frozenset([N1])}, "ERROR_nodedown"),
        ({"admin_state": "up"}, RUNNING, {"offline_nodes": frozenset([N1])}, "ERROR_nodeoffline"),
        ({"admin_state": "offline"}, {}, {}, "ADMIN_offline"),
        ({"admin_state": "up"}, dict(RUNNING, node=N2), {}, "ERROR_wrongnode"),
        ({"admin_state": "up"}, None, {}, (RS_NODATA,)),
    ],
)
def test_status(inst: dict[str, Any], live: Any, ctx_args: dict[str, Any], expected: Any) -> None:
    assert _status_of(inst, live, **ctx_args) == expected


def test_status_user_down_needs_cluster_support() -> None:
    config_inst = {"admin_state": "up", "hypervisor": "fake"}
    config = build_config()
    config["cluster"]["enabled_user_shutdown"] = False
    config["instances"] = {"x": dict(config["instances"]["i1"], **config_inst)}
    ctx = QueryContext(config, live_instances={"inst1.example.com": SHUTDOWN})
    assert run_query(ctx, "instance", ["status"], None)["data"] == [[[RS_NORMAL, "ERROR_down"]]]


def test_status_of_instance_on_offline_flagged_node(ctx: QueryContext) -> None:
    assert values(ctx, ["status"])["inst3.example.com"] == ["ERROR_nodeoffline"]

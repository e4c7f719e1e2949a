"""Every remaining RAPI write resource through Debian's GanetiRapiClient: each answers a
job id, and the job either succeeds or fails naming the missing backend — never a 500 and
never a fake success."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cluster_fixture import make_cluster
from test_rapi import Rapi, pytestmark, write_users  # noqa: F401 - skip marker reused

UNIMPLEMENTED = "not implemented"


@pytest.fixture(scope="module")
def rapi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rapi]:
    handle = make_cluster(tmp_path_factory.mktemp("rapires") / "root")
    try:
        write_users(handle, "admin secret write\n")
        host = handle.paths.ssconf_file("master_candidates_ips").read_text().split()[0]
        yield Rapi(host, 5080)
    finally:
        handle.stop()


def _outcome(job: dict[str, object]) -> str:
    if job["status"] == "success":
        return "success"
    text = json.dumps(job["opresult"])
    return UNIMPLEMENTED if UNIMPLEMENTED in text else f"error: {text}"


def test_write_resources(rapi: Rapi) -> None:
    inst = "res1"
    create = ("CreateInstance", ["create", inst, "file", [{"size": 64}], [{}]],
              {"os": "noop+default", "name_check": False, "ip_check": False}, True)  # fmt: skip
    (created,) = rapi.ok(create)
    assert created["status"] == "success", created
    table: list[tuple[tuple[object, ...], str]] = [
        (("ModifyCluster", [], {"candidate_pool_size": 7}, True), "success"),
        (("RedistributeConfig", [], {}, True), "success"),
        (("DeactivateInstanceDisks", [inst], {"force": True}, True), "success"),
        (("ActivateInstanceDisks", [inst], {}, True), "success"),
        (("GrowInstanceDisk", [inst, 0, 64], {}, True), UNIMPLEMENTED),
        (("RecreateInstanceDisks", [inst], {}, True), UNIMPLEMENTED),
        (("ReplaceInstanceDisks", [inst], {"mode": "replace_auto"}, True), UNIMPLEMENTED),
        (("PrepareExport", [inst, "local"], {}, True), UNIMPLEMENTED),
        (("ExportInstance", [inst, "local", "node1"], {}, True), UNIMPLEMENTED),
        (("FailoverInstance", [inst], {}, True), UNIMPLEMENTED),
        (("ReinstallInstance", [inst], {"no_startup": True}, True), "success"),
        (("InstancesMultiAlloc", [[{"name": "multi1", "mode": "create",
                                   "disk_template": "diskless", "disks": [], "nics": [],
                                   "os": "noop+default", "name_check": False,
                                   "ip_check": False}]], {}, True), UNIMPLEMENTED),
        (("ModifyNode", ["node1"], {"ndparams": {"spindle_count": 2}}, True), "success"),
        (("SetNodeRole", ["node1", "master-candidate"], {}, True), "success"),
        (("EvacuateNode", ["node1"], {"mode": "all", "iallocator": "hail"}, True), UNIMPLEMENTED),
        (("MigrateNode", ["node1"], {}, True), UNIMPLEMENTED),
        (("PowercycleNode", ["node1"], {"force": True}, True), UNIMPLEMENTED),
        (("GetNodeStorageUnits", ["node1", "file", "name,size"], {}, True), UNIMPLEMENTED),
        (("ModifyNodeStorageUnits", ["node1", "lvm-vg", "xenvg"], {"allocatable": False}, True),
         UNIMPLEMENTED),
        (("RepairNodeStorageUnits", ["node1", "lvm-vg", "xenvg"], {}, True), UNIMPLEMENTED),
        (("AddNodeTags", ["node1", ["rack1"]], {}, True), "success"),
        (("DeleteNodeTags", ["node1", ["rack1"]], {}, True), "success"),
        (("AddGroupTags", ["default", ["g"]], {}, True), "success"),
        (("CreateGroup", ["g2"], {"alloc_policy": "preferred"}, True), UNIMPLEMENTED),
        (("ModifyGroup", ["default"], {"alloc_policy": "last_resort"}, True), UNIMPLEMENTED),
        (("RenameGroup", ["default", "dflt"], {}, True), UNIMPLEMENTED),
        (("AssignGroupNodes", ["default", ["node1"]], {}, True), UNIMPLEMENTED),
        (("DeleteGroup", ["default"], {}, True), UNIMPLEMENTED),
        (("CreateNetwork", ["net1", "10.9.0.0/24"], {}, True), UNIMPLEMENTED),
        (("ModifyNetwork", ["net1"], {"gateway": "10.9.0.1"}, True), UNIMPLEMENTED),
        (("ConnectNetwork", ["net1", "default", "bridged", "br0"], {}, True), UNIMPLEMENTED),
        (("DisconnectNetwork", ["net1", "default"], {}, True), UNIMPLEMENTED),
        (("DeleteNetwork", ["net1"], {}, True), UNIMPLEMENTED),
    ]  # fmt: skip
    results = rapi.calls([call for call, _ in table], "admin", "secret")
    for (call, expected), result in zip(table, results, strict=True):
        assert "ok" in result, f"{call[0]}: {result}"
        assert _outcome(result["ok"]) == expected, (call[0], result["ok"])

    info, node, group, node_tags, group_tags = rapi.ok(
        ("GetInfo",), ("GetNode", ["node1"]), ("GetGroup", ["default"]),
        ("GetNodeTags", ["node1"]), ("GetGroupTags", ["default"]),
    )  # fmt: skip
    assert info["candidate_pool_size"] == 7
    assert node["ndparams"]["spindle_count"] == 2
    assert group["name"] == "default" and node_tags == [] and group_tags == ["g"]
    started, console = rapi.ok(
        ("StartupInstance", [inst], {}, True), ("GetInstanceConsole", [inst])
    )
    assert started["status"] == "success"
    assert console["instance"] == inst and console["kind"] == "msg"
    (bad_export,) = rapi.calls([("PrepareExport", [inst, "sideways"])], "admin", "secret")
    assert bad_export["code"] == 400 and "mode" in bad_export["error"]


def test_console_of_a_stopped_instance_is_unavailable(rapi: Rapi) -> None:
    (created,) = rapi.ok(
        ("CreateInstance", ["create", "cons1", "diskless", [], []],
         {"os": "noop+default", "name_check": False, "ip_check": False, "start": False}, True),
    )  # fmt: skip
    assert created["status"] == "success"
    (console,) = rapi.calls([("GetInstanceConsole", ["cons1"])], "admin", "secret")
    assert console["code"] == 503

"""from_dict and construction: every way a wire dict can be wrong gets a precise error."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.opcodes import OPCODES, from_dict, lookup
from pyganeti.opcodes.base import required_params
from pyganeti.opcodes.cluster import OpClusterSetParams, OpClusterVerifyGroup
from pyganeti.opcodes.debug import OpTestDelay
from pyganeti.opcodes.instance import OpInstanceCreate, OpInstanceMultiAlloc, OpInstanceSetParams
from pyganeti.opcodes.instance_power import OpInstanceReboot, OpInstanceStartup
from pyganeti.opcodes.network import OpNetworkAdd

CREATE: dict[str, Any] = {
    "OP_ID": "OP_INSTANCE_CREATE",
    "instance_name": "inst1",
    "mode": "create",
    "disks": [{"size": 1024}],
    "nics": [{"mode": "bridged"}],
    "disk_template": "plain",
    "osparams_private": {"root_password": "hunter2"},
}


def _prereq(data: Any) -> str:
    with pytest.raises(errors.OpPrereqError) as info:
        from_dict(data)
    assert info.value.ecode == errors.ECODE_INVAL
    assert info.value.status() == 400
    return str(info.value.args[0])


def test_valid_dict_gets_defaults() -> None:
    op = from_dict({"OP_ID": "OP_TEST_DELAY", "duration": 2.5})
    assert isinstance(op, OpTestDelay)
    assert (op.duration, op.on_master, op.on_nodes, op.on_node_uuids) == (2.5, True, [], None)
    assert (op.repeat, op.interruptible, op.no_locks) == (0, False, True)
    assert (op.priority, op.reason, op.depends, op.dry_run) == (0, [], None, None)


def test_unknown_op_id_names_it() -> None:
    with pytest.raises(errors.OpCodeUnknown, match="OP_NO_SUCH_THING"):
        from_dict({"OP_ID": "OP_NO_SUCH_THING"})
    with pytest.raises(errors.OpCodeUnknown):
        lookup("OP_TEST_DELAY_")


def test_unhashable_op_id_is_unknown_not_a_crash() -> None:
    with pytest.raises(errors.OpCodeUnknown):
        from_dict({"OP_ID": ["OP_TEST_DELAY"]})


def test_missing_op_id_and_non_dict() -> None:
    assert "OP_ID" in _prereq({"duration": 1})
    assert "dictionary" in _prereq(["OP_TEST_DELAY"])


def test_unknown_parameter_is_named() -> None:
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "durration": 2})
    assert "OP_TEST_DELAY" in message and "'durration'" in message
    assert "did you mean 'duration'?" in message
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "zzz": 2})
    assert "'zzz'" in message and "did you mean" not in message


def test_missing_required_parameter_is_named() -> None:
    message = _prereq({"OP_ID": "OP_INSTANCE_REBOOT", "instance_name": "i"})
    assert "OP_INSTANCE_REBOOT" in message and "'reboot_type'" in message
    assert "missing" in message and "one of 'full', 'hard', 'soft'" in message


def test_wrong_type_names_opcode_parameter_expected_and_given() -> None:
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": "soon"})
    assert message.startswith("Parameter 'OP_TEST_DELAY.duration' fails validation")
    assert "expected float" in message
    assert "got string 'soon'" in message


def test_bad_literal_value_lists_the_choices() -> None:
    message = _prereq({"OP_ID": "OP_INSTANCE_REBOOT", "instance_name": "i", "reboot_type": "x"})
    assert "OP_INSTANCE_REBOOT.reboot_type" in message
    assert "'full', 'hard', 'soft'" in message and "'x'" in message


@pytest.mark.parametrize("priority", [20, -21, 100, True, 1.0, "0"])
def test_priority_out_of_range_or_mistyped(priority: Any) -> None:
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "priority": priority})
    assert "OP_TEST_DELAY.priority" in message and "[-20, 19]" in message


@pytest.mark.parametrize("priority", [-20, -10, 0, 10, 19])
def test_priority_range_bounds_accepted(priority: int) -> None:
    assert from_dict({"OP_ID": "OP_TEST_DELAY", "duration": 1, "priority": priority}).priority == (
        priority
    )


def test_booleans_are_not_integers() -> None:
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "repeat": True})
    assert "OP_TEST_DELAY.repeat" in message and "got boolean True" in message
    assert "OP_TEST_DELAY.duration" in _prereq({"OP_ID": "OP_TEST_DELAY", "duration": False})


def test_integers_are_accepted_and_widened_where_floats_are_expected() -> None:
    op = OpTestDelay.from_dict({"OP_ID": "OP_TEST_DELAY", "duration": 3})
    assert op.duration == 3.0 and type(op.duration) is float
    oob = from_dict({"OP_ID": "OP_OOB_COMMAND", "command": "health", "power_delay": 1})
    assert type(oob.to_dict()["power_delay"]) is float


def test_integers_are_not_accepted_as_strings_or_booleans() -> None:
    assert "on_master" in _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "on_master": 1})
    assert "comment" in _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "comment": 5})


def test_negative_repeat_is_rejected() -> None:
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "repeat": -1})
    assert "repeat" in message and ">= 0" in message


def test_non_empty_string_rejects_empty() -> None:
    message = _prereq({"OP_ID": "OP_TEST_DELAY", "duration": 1, "on_nodes": ["n1", ""]})
    assert "OP_TEST_DELAY.on_nodes[1]" in message and "non-empty string" in message


def test_nested_error_points_inside_the_value() -> None:
    data = copy.deepcopy(CREATE)
    data["disks"] = [{"size": 1024}, {"size": 1.5}]
    message = _prereq(data)
    assert "OP_INSTANCE_CREATE.disks[1]['size']" in message
    data = copy.deepcopy(CREATE)
    data["nics"] = [{"colour": "red"}]
    assert "OP_INSTANCE_CREATE.nics[0] key 'colour'" in _prereq(data)


def test_device_modifications_accept_both_forms_and_reject_bad_actions() -> None:
    base = {"OP_ID": "OP_INSTANCE_SET_PARAMS", "instance_name": "i"}
    op = from_dict({**base, "disks": [["modify", -1, {"mode": "ro"}]], "nics": [[0, {}]]})
    assert isinstance(op, OpInstanceSetParams)
    assert op.disks == [("modify", -1, {"mode": "ro"})]
    assert op.to_dict()["disks"] == [["modify", -1, {"mode": "ro"}]]
    assert "OP_INSTANCE_SET_PARAMS.disks" in _prereq({**base, "disks": [["grow", 0, {}]]})


def test_dependencies() -> None:
    data = {"OP_ID": "OP_TEST_DELAY", "duration": 1}
    op = from_dict({**data, "depends": [[-1, ["success"]], ["12", ["error", "canceled"]]]})
    assert op.depends == [(-1, ["success"]), ("12", ["error", "canceled"])]
    assert "depends[0][1][0]" in _prereq({**data, "depends": [[1, ["running"]]]})
    assert "depends[0]" in _prereq({**data, "depends": [[1]]})
    assert "depends[0]" in _prereq({**data, "depends": [["job1", ["success"]]]})


def test_ip_addresses_and_networks() -> None:
    base = {"OP_ID": "OP_NETWORK_ADD", "network_name": "n"}
    op = from_dict({**base, "network": "192.0.2.0/24", "gateway6": "2001:db8::1"})
    assert isinstance(op, OpNetworkAdd)
    message = _prereq({**base, "network": "192.0.2.1/24"})
    assert "OP_NETWORK_ADD.network" in message and "IPv4 network" in message
    assert "gateway" in _prereq({**base, "network": "192.0.2.0/24", "gateway": "2001:db8::1"})
    bad_reserved = {**base, "network": "10.0.0.0/8", "add_reserved_ips": ["10.0.0.1", "x"]}
    assert "add_reserved_ips[1]" in _prereq(bad_reserved)


def test_dict_keys_constrained_by_type() -> None:
    base = {"OP_ID": "OP_CLUSTER_SET_PARAMS"}
    op = from_dict({**base, "diskparams": {"drbd": {"resync-rate": 1}}})
    assert isinstance(op, OpClusterSetParams) and op.diskparams == {"drbd": {"resync-rate": 1}}
    assert "diskparams key 'floppy'" in _prereq({**base, "diskparams": {"floppy": {}}})


def test_private_values_are_never_echoed_in_errors() -> None:
    data = copy.deepcopy(CREATE)
    data["osparams_private"] = ["hunter2"]
    message = _prereq(data)
    assert "osparams_private" in message and "hunter2" not in message


def test_input_is_not_modified_and_not_aliased() -> None:
    nested: dict[str, Any] = {"beparams": {"deep": {"x": [1]}}}
    data = copy.deepcopy(CREATE)
    data["tags"] = ["a"]
    snapshot = copy.deepcopy(data)
    op = from_dict(data)
    assert data == snapshot
    data["tags"].append("b")
    data["disks"][0]["size"] = 1
    assert isinstance(op, OpInstanceCreate)
    assert op.tags == ["a"] and op.disks == [{"size": 1024}]
    startup = from_dict({"OP_ID": "OP_INSTANCE_STARTUP", "instance_name": "i"} | nested)
    nested["beparams"]["deep"]["x"].append(2)
    startup.to_dict()["beparams"]["deep"]["x"].append(3)
    assert isinstance(startup, OpInstanceStartup)
    assert startup.beparams == {"deep": {"x": [1]}}
    bad = {"OP_ID": "OP_TEST_DELAY", "duration": 1, "on_nodes": ["n", 3]}
    bad_snapshot = copy.deepcopy(bad)
    _prereq(bad)
    assert bad == bad_snapshot


def test_multi_alloc_validates_nested_opcodes() -> None:
    inner = {k: v for k, v in CREATE.items() if k != "osparams_private"}
    op = from_dict({"OP_ID": "OP_INSTANCE_MULTI_ALLOC", "instances": [inner, inner]})
    assert isinstance(op, OpInstanceMultiAlloc)
    assert all(isinstance(i, OpInstanceCreate) for i in op.instances)
    assert op.to_dict()["instances"][0]["OP_ID"] == "OP_INSTANCE_CREATE"
    broken = dict(inner, mode="clone")
    message = _prereq({"OP_ID": "OP_INSTANCE_MULTI_ALLOC", "instances": [inner, broken]})
    assert "OP_INSTANCE_MULTI_ALLOC.instances[1]" in message
    assert "OP_INSTANCE_CREATE.mode" in message
    no_id = {k: v for k, v in inner.items() if k != "OP_ID"}
    message = _prereq({"OP_ID": "OP_INSTANCE_MULTI_ALLOC", "instances": [no_id]})
    assert "OP_ID" in message
    wrong_kind = {"OP_ID": "OP_TEST_DELAY", "duration": 1}
    assert "instances[0]" in _prereq(
        {"OP_ID": "OP_INSTANCE_MULTI_ALLOC", "instances": [wrong_kind]}
    )


def test_class_from_dict_checks_the_op_id() -> None:
    assert OpTestDelay.from_dict({"duration": 1}).duration == 1.0
    with pytest.raises(errors.OpPrereqError, match="OP_INSTANCE_STARTUP"):
        OpTestDelay.from_dict({"OP_ID": "OP_INSTANCE_STARTUP", "duration": 1})


def test_direct_construction_validates_too() -> None:
    with pytest.raises(errors.OpPrereqError, match=r"OP_INSTANCE_REBOOT\.reboot_type"):
        OpInstanceReboot(instance_name="i", reboot_type="gentle")  # type: ignore[arg-type]
    op = OpInstanceStartup(instance_name="i", hvparams={"kernel_path": "/k"})
    assert op.hvparams == {"kernel_path": "/k"}


def test_opcodes_are_frozen_and_replace_revalidates() -> None:
    op = OpTestDelay(duration=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        op.duration = 2.0  # type: ignore[misc]
    assert op.replace(repeat=3).repeat == 3 and op.repeat == 0
    with pytest.raises(errors.OpPrereqError, match="repeat"):
        op.replace(repeat=-3)


def test_mutable_defaults_are_not_shared() -> None:
    first, second = OpTestDelay(duration=1.0), OpTestDelay(duration=2.0)
    first.on_nodes.append("n1")
    assert first.reason is not None
    first.reason.append(["src", "why", 1])
    assert second.on_nodes == [] and second.reason == []
    assert OpTestDelay(duration=3.0).on_nodes == []


def test_round_trip_for_every_opcode_with_only_required_params() -> None:
    group = OpClusterVerifyGroup(group_name="default")
    assert from_dict(group.to_dict()) == group
    for cls in OPCODES.values():
        data = from_dict({"OP_ID": cls.OP_ID, **_required_samples(cls.OP_ID)}).to_dict()
        assert from_dict(data).to_dict() == data


def _required_samples(op_id: str) -> dict[str, Any]:
    # Hand-picked valid values of every required parameter name used in Ganeti 3.0.
    samples: dict[str, Any] = {
        "amount": 10, "changes": {}, "command": "health", "direction": "in", "disk": 0,
        "disks": [], "duration": 0.5, "group_name": "g", "instance_name": "i", "kind": "cluster",
        "mode": None, "name": "n", "network": "192.0.2.0/24", "network_link": "br0",
        "network_mode": "bridged", "network_name": "net", "new_name": "new", "nics": [],
        "node_name": "node", "nodes": ["node"], "output_fields": ["name"], "pattern": "x",
        "reboot_type": "soft", "storage_type": "lvm-vg", "tags": ["t"], "target_node": "node",
        "what": "instance", "fields": ["name"],
    }  # fmt: skip
    modes = {
        "OP_INSTANCE_CREATE": "create",
        "OP_INSTANCE_REPLACE_DISKS": "replace_auto",
        "OP_NODE_EVACUATE": "all",
        "OP_BACKUP_PREPARE": "local",
        "OP_TEST_ALLOCATOR": "allocate",
    }
    if op_id == "OP_RESTRICTED_COMMAND":
        samples["command"] = "reboot"
    samples["mode"] = modes.get(op_id)
    return {name: samples[name] for name in required_params(OPCODES[op_id])}

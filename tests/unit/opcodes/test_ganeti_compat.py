"""Our opcode registry against Debian's Ganeti 3.0, run by the system interpreter.

Ganeti is never imported here: ganeti_oracle.py runs under /usr/bin/python3 and answers
in JSON (names, defaults, which probe values its checks accept, dicts its classes build).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pyganeti.opcodes import ALL_OPCODES, EXTENSION_OPCODES, OPCODES, from_dict
from pyganeti.opcodes import choices as ch
from pyganeti.opcodes.base import param_default, required_params
from pyganeti.opcodes.checks import (
    AnyCheck,
    Check,
    ConstrainedCheck,
    DictCheck,
    FloatCheck,
    ListCheck,
    LiteralCheck,
    Mismatch,
    NestedCheck,
    ScalarCheck,
    TupleCheck,
    UnionCheck,
)
from pyganeti.opcodes.types import IPAddress, IPNetwork, NonEmpty, Positive, Range, Regex

GANETI_PYTHON = Path("/usr/bin/python3")
GANETI_LIB = Path("/usr/share/ganeti/3.0")
ORACLE = Path(__file__).with_name("ganeti_oracle.py")

# Where we knowingly differ from Ganeti's own checks, and why.
#   priority: Ganeti accepts only -10/0/10 from clients but moves a running job's
#     opcodes across -20..19; our opcode type is that full range (the submit-time
#     restriction is OP_PRIO_SUBMIT_VALID for luxid to enforce).
#   skip_checks/ignore_errors: Ganeti's TSetOf turns the value into a set first, so it
#     accepts "" and {} (empty once set()); we require a list.
#   OP_INSTANCE_MULTI_ALLOC.instances: Ganeti's type says "list of anything" and checks
#     the nested opcodes when loading them; our type is the nested opcode itself.
#     (Round trips of real multi-alloc dicts are tested below.)
KNOWN_DEVIATIONS: dict[tuple[str, str], str] = {
    ("*", "priority"): "full -20..19 range",
    ("*", "skip_checks"): "list required",
    ("*", "ignore_errors"): "list required",
    ("OP_INSTANCE_MULTI_ALLOC", "instances"): "nested opcodes checked by type",
}


def _deviates(op_id: str, name: str) -> bool:
    return (op_id, name) in KNOWN_DEVIATIONS or ("*", name) in KNOWN_DEVIATIONS


_ENUMS = [
    ch.DiskTemplate, ch.Hypervisor, ch.StorageType, ch.FileDriver, ch.MigrationMode,
    ch.NicMode, ch.InstanceCreateMode, ch.RebootType, ch.ReplaceDisksMode,
    ch.AdminStateSource, ch.EvacMode, ch.AllocPolicy, ch.ExportMode, ch.OobCommand,
    ch.TagKind, ch.QueryResource, ch.DeviceActionWithModify, ch.VerifyOptionalCheck,
    ch.SshKeyType, ch.IAllocatorDirection, ch.IAllocatorMode, ch.FinalizedJobStatus,
    ch.ClusterVerifyErrorCode,
]  # fmt: skip

#: Values every parameter of every opcode is checked with, on both sides.
PROBES: list[Any] = [
    None, True, False, 0, 1, -1, 5, 15, 16, 19, 20, -20, -21, 1.5, -0.5, 0.0,
    "", "x", "10", "-3", "none",
    "192.0.2.1", "192.0.2.0/24", "192.0.2.1/24", "2001:db8::1", "2001:db8::/64", "300.1.1.1",
    [], [""], ["x"], [1], [-1], [0, 1], [16], [True], [1.5], [None],
    [[1, 2]], [[1, 2, 3]], [["a", "b"]],
    [["add", "x"]], [["remove", "lenny"]], [["modify", "x"]], [["add", ""]],
    [["add", 0, {}]], [["add", {}]], [[0, {}]], [["modify", -1, {"size": 1}]],
    [["modify", "disk1", {"mode": "rw"}]], [["bogus", 0, {}]], [[-1, {}]],
    [[1, ["success"]]], [[-1, ["error"]]], [["1", ["canceled"]]], [["x1", ["success"]]],
    [[1, ["bogus"]]], [[1, "success"]], [[1]],
    [{"size": 1024}], [{"size": ""}], [{"size": 1.5}], [{"size": True}],
    [{"mode": "bridged", "link": "br0"}], [{"bogus": "x"}], [{"ip": None}], [{"ip": 1}],
    [[0, {"size": 1}]], [0, [1, {}]],
    {}, {"a": 1}, {"a": {"b": 1}}, {"a": True}, {"a": 5}, {"a": -5}, {"a": None},
    {"plain": {}}, {"bogus": {}}, {"kvm": {"x": 1}}, {"mode": "routed"}, {"mode": 1},
    {"debian": {"pw": "x"}}, {"debian": 1},
    ["192.0.2.1"], ["192.0.2.0/24"], ["host", 1234],
    *[value for enum in _ENUMS for value in ch.values_of(enum)],
    # One list holding a whole value set checks list-typed parameters against it at once.
    *[list(ch.values_of(enum)) for enum in _ENUMS],
]  # fmt: skip


def _sample(check: Check) -> Any:
    """A small value the check accepts (to build a valid opcode of every class)."""
    if isinstance(check, AnyCheck):
        return None
    if isinstance(check, ScalarCheck):
        return {bool: True, int: 1, str: "x", type(None): None}[check.kind]
    if isinstance(check, FloatCheck):
        return 1.5
    if isinstance(check, LiteralCheck):
        return check.values[0]
    if isinstance(check, ListCheck):
        return [_sample(check.item)]
    if isinstance(check, TupleCheck):
        return [_sample(c) for c in check.items]
    if isinstance(check, DictCheck):
        return {_sample(check.key): _sample(check.value)}
    if isinstance(check, UnionCheck):
        return _sample(check.options[0])
    if isinstance(check, NestedCheck):
        return _minimal(check.cls)
    if isinstance(check, ConstrainedCheck):
        for constraint in check.constraints:
            if isinstance(constraint, IPAddress):
                return "192.0.2.1" if constraint.version == 4 else "2001:db8::1"
            if isinstance(constraint, IPNetwork):
                return "192.0.2.0/24" if constraint.version == 4 else "2001:db8::/64"
            if isinstance(constraint, Regex):
                return "7"
            if isinstance(constraint, Range) and constraint.low is not None:
                return int(constraint.low) + 1
            if isinstance(constraint, Positive):
                return 2
        base = _sample(check.base)
        if any(isinstance(c, NonEmpty) for c in check.constraints) and not base:
            raise AssertionError(f"no sample for {check.describe()}")
        return base
    raise AssertionError(f"no sample for {type(check).__name__}")


def _minimal(cls: Any) -> dict[str, Any]:
    data = {"OP_ID": cls.OP_ID}
    for name in required_params(cls):
        data[name] = _sample(cls.CHECKS[name])
    return data


def _accepts(check: Check, name: str, value: Any) -> bool:
    try:
        check.validate(value, name)
    except Mismatch:
        return False
    return True


@pytest.fixture(scope="module")
def ganeti() -> dict[str, Any]:
    if not GANETI_PYTHON.exists() or not (GANETI_LIB / "ganeti" / "opcodes.py").exists():
        pytest.skip("Debian's ganeti 3.0 is not installed")
    request = {
        "probes": PROBES,
        "load": [from_dict(_minimal(cls)).to_dict() for cls in ALL_OPCODES],
    }
    env = dict(os.environ, PYTHONPATH=str(GANETI_LIB))
    proc = subprocess.run(
        [str(GANETI_PYTHON), str(ORACLE)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    answer: dict[str, Any] = json.loads(proc.stdout)
    return answer


def test_same_op_ids(ganeti: dict[str, Any]) -> None:
    # pyganeti's own opcodes (EXTENSION_OPCODES) are not Ganeti's and are left out.
    assert {cls.OP_ID for cls in ALL_OPCODES} == set(ganeti["opcodes"])
    assert set(OPCODES) == set(ganeti["opcodes"]) | {c.OP_ID for c in EXTENSION_OPCODES}
    assert len(ALL_OPCODES) == len(ganeti["opcodes"])


@pytest.mark.parametrize("op_id", sorted(cls.OP_ID for cls in ALL_OPCODES))
def test_same_parameters(ganeti: dict[str, Any], op_id: str) -> None:
    ours = OPCODES[op_id]
    theirs = ganeti["opcodes"][op_id]
    assert set(ours.CHECKS) == set(theirs["params"])
    assert set(required_params(ours)) == {n for n, p in theirs["params"].items() if p["required"]}
    for name, spec in theirs["params"].items():
        if spec["simple_default"] and not spec["required"]:
            default = ours.CHECKS[name].to_wire(param_default(ours, name), redact=False)
            assert default == spec["default"], name
            assert type(default) is type(spec["default"]), name
    assert theirs["dsc_field"] == ours.OP_DSC_FIELD
    assert theirs["with_lu"] == ours.WITH_LU


@pytest.mark.parametrize("op_id", sorted(cls.OP_ID for cls in ALL_OPCODES))
def test_checks_agree_on_probes(ganeti: dict[str, Any], op_id: str) -> None:
    ours = OPCODES[op_id]
    disagreements = []
    for name, verdicts in ganeti["accepts"][op_id].items():
        if _deviates(op_id, name):
            continue
        check = ours.CHECKS[name]
        for probe, theirs in zip(PROBES, verdicts, strict=True):
            if _accepts(check, name, probe) != theirs:
                disagreements.append(f"{name}={probe!r}: ganeti accepts={theirs}")
    assert not disagreements, disagreements


def test_known_deviations_are_as_documented(ganeti: dict[str, Any]) -> None:
    # Ganeti rejects priority 1 and accepts "" as a set, we do the opposite; if either
    # side changes, this table is stale.
    theirs = ganeti["accepts"]["OP_TEST_DELAY"]["priority"]
    check = OPCODES["OP_TEST_DELAY"].CHECKS["priority"]
    assert theirs[PROBES.index(1)] is False and _accepts(check, "priority", 1)
    theirs = ganeti["accepts"]["OP_CLUSTER_VERIFY"]["skip_checks"]
    check = OPCODES["OP_CLUSTER_VERIFY"].CHECKS["skip_checks"]
    assert theirs[PROBES.index("")] is True and not _accepts(check, "skip_checks", "")


def test_dicts_built_by_ganeti_validate_and_round_trip(ganeti: dict[str, Any]) -> None:
    assert len(ganeti["built"]) > 20
    for built in ganeti["built"]:
        data = built["data"]
        op = from_dict(data)
        assert data["OP_ID"] == op.OP_ID
        assert op.to_dict() == data, data["OP_ID"]
        assert from_dict(op.to_dict()) == op


def test_test_delay_wire_form_matches_ganeti(ganeti: dict[str, Any]) -> None:
    built = [b["data"] for b in ganeti["built"] if b["data"]["OP_ID"] == "OP_TEST_DELAY"]
    assert built[0]["duration"] == 2.5
    op = from_dict({"OP_ID": "OP_TEST_DELAY", "duration": 2.5})
    assert op.to_dict() == built[0]
    # Ganeti widens the integer duration to a float; so do we.
    widened = from_dict({"OP_ID": "OP_TEST_DELAY", "duration": 0})
    assert type(widened.to_dict()["duration"]) is float


def test_summaries_match_ganeti(ganeti: dict[str, Any]) -> None:
    for built in ganeti["built"]:
        op = from_dict(built["data"])
        assert op.summary() == built["summary"]
        assert op.tiny_summary() == built["tiny"]
    summaries = {b["summary"] for b in ganeti["built"]}
    assert {"TEST_DELAY(2.5)", "INSTANCE_STARTUP(inst1)", "TAGS_SET"} <= summaries


def test_our_dicts_load_in_ganeti(ganeti: dict[str, Any]) -> None:
    failures = [
        (cls.OP_ID, message)
        for cls, (ok, message) in zip(ALL_OPCODES, ganeti["loaded"], strict=True)
        if not ok
    ]
    assert not failures


def test_probe_list_is_json() -> None:
    # The probes cross a process boundary as JSON: they must survive it unchanged.
    assert json.loads(json.dumps(PROBES)) == PROBES


def test_sample_builder_covers_every_opcode() -> None:
    for cls in ALL_OPCODES:
        op = from_dict(_minimal(cls))
        assert dataclasses.is_dataclass(op)

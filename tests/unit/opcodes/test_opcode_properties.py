"""Properties over generated opcodes: JSON round trips, and no crash on arbitrary input."""

from __future__ import annotations

import ipaddress
import json
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyganeti import errors
from pyganeti.opcodes import ALL_OPCODES, OPCODES, OpCode, from_dict
from pyganeti.opcodes.base import required_params
from pyganeti.opcodes.checks import (
    AnyCheck,
    Check,
    ConstrainedCheck,
    DictCheck,
    FloatCheck,
    ListCheck,
    LiteralCheck,
    NestedCheck,
    ScalarCheck,
    TupleCheck,
    UnionCheck,
)
from pyganeti.opcodes.types import (
    IPAddress,
    IPNetwork,
    Negative,
    NonEmpty,
    Positive,
    Private,
    Range,
    Regex,
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


def _network(version: Literal[4, 6]) -> st.SearchStrategy[str]:
    width = 32 if version == 4 else 128
    return st.tuples(st.ip_addresses(v=version), st.integers(0, width)).map(
        lambda pair: str(ipaddress.ip_network(f"{pair[0]}/{pair[1]}", strict=False))
    )


def _constrained(check: ConstrainedCheck) -> st.SearchStrategy[Any]:
    for constraint in check.constraints:
        if isinstance(constraint, IPAddress):
            return st.ip_addresses(v=constraint.version).map(str)
        if isinstance(constraint, IPNetwork):
            return _network(constraint.version)
        if isinstance(constraint, Regex):
            return st.from_regex(constraint.pattern, fullmatch=True)
    if isinstance(check.base, ScalarCheck) and check.base.kind is int:
        low, high = None, None
        for constraint in check.constraints:
            if isinstance(constraint, Range):
                low, high = constraint.low, constraint.high
            elif isinstance(constraint, Positive):
                low = 1
            elif isinstance(constraint, Negative):
                high = -1
        return st.integers(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
        )
    base = strategy(check.base)
    if any(isinstance(c, NonEmpty) for c in check.constraints):
        return base.filter(bool)
    assert all(isinstance(c, Private) for c in check.constraints), check.describe()
    return base


def strategy(check: Check) -> st.SearchStrategy[Any]:
    """Wire values a check accepts."""
    if isinstance(check, AnyCheck):
        return JSON
    if isinstance(check, ScalarCheck):
        return {
            bool: st.booleans(),
            int: st.integers(),
            str: st.text(max_size=8),
            type(None): st.none(),
        }[check.kind]
    if isinstance(check, FloatCheck):
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**40), 2**40)
    if isinstance(check, LiteralCheck):
        return st.sampled_from(check.values)
    if isinstance(check, ListCheck):
        return st.lists(strategy(check.item), max_size=3)
    if isinstance(check, TupleCheck):
        return st.tuples(*(strategy(c) for c in check.items)).map(list)
    if isinstance(check, DictCheck):
        return st.dictionaries(strategy(check.key), strategy(check.value), max_size=3)
    if isinstance(check, UnionCheck):
        return st.one_of(*(strategy(o) for o in check.options))
    if isinstance(check, ConstrainedCheck):
        return _constrained(check)
    if isinstance(check, NestedCheck):
        return wire_dicts(check.cls)
    raise AssertionError(f"no strategy for {type(check).__name__}")


def wire_dicts(cls: type[OpCode]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid wire dicts of an opcode: every required and some optional parameters."""
    required = set(required_params(cls))
    fixed = {name: strategy(cls.CHECKS[name]) for name in required}
    optional = {name: strategy(check) for name, check in cls.CHECKS.items() if name not in required}
    return st.fixed_dictionaries(fixed, optional=optional).map(
        lambda params: {"OP_ID": cls.OP_ID, **params}
    )


@pytest.mark.parametrize("cls", ALL_OPCODES, ids=lambda c: c.OP_ID)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_opcodes_round_trip_through_json(cls: type[OpCode], data: st.DataObject) -> None:
    wire = data.draw(wire_dicts(cls))
    op = from_dict(wire)
    again = from_dict(json.loads(json.dumps(op.to_dict())))
    assert again == op
    assert again.to_dict() == op.to_dict()
    assert op.summary().startswith(cls.OP_ID[3:])


@settings(max_examples=100, deadline=None)
@given(
    op_id=st.sampled_from(sorted(OPCODES)),
    params=st.dictionaries(st.text(max_size=12), JSON, max_size=4),
    known=st.dictionaries(st.sampled_from(["duration", "instance_name", "priority"]), JSON),
)
def test_arbitrary_input_is_rejected_cleanly(
    op_id: str, params: dict[str, Any], known: dict[str, Any]
) -> None:
    data = {**params, **known, "OP_ID": op_id}
    snapshot = json.dumps(data, sort_keys=True)
    try:
        from_dict(data)
    except errors.OpPrereqError as exc:
        assert exc.ecode == errors.ECODE_INVAL
        assert op_id in str(exc.args[0])
    assert json.dumps(data, sort_keys=True) == snapshot


@settings(max_examples=40, deadline=None)
@given(value=JSON)
def test_arbitrary_op_ids_are_unknown_or_refused(value: Any) -> None:
    try:
        from_dict({"OP_ID": value})
    except (errors.OpCodeUnknown, errors.OpPrereqError):
        return
    # Only a real OP_ID of an opcode without required parameters gets through.
    assert value in OPCODES and not required_params(OPCODES[value])

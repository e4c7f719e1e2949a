"""JSON Schema and reference text derived from the declarations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pyganeti.opcodes import ALL_OPCODES, describe, describe_all, from_dict, schema
from pyganeti.opcodes.base import required_params
from pyganeti.opcodes.debug import OpTestDelay
from pyganeti.opcodes.instance import OpInstanceMultiAlloc
from pyganeti.opcodes.network import OpNetworkAdd

jsonschema = pytest.importorskip("jsonschema")


def test_schema_of_test_delay() -> None:
    doc = schema(OpTestDelay)
    assert doc["title"] == "OP_TEST_DELAY"
    assert doc["required"] == ["duration"]
    assert doc["additionalProperties"] is False
    props = doc["properties"]
    assert props["OP_ID"] == {"const": "OP_TEST_DELAY"}
    assert props["duration"]["type"] == "number"
    assert props["repeat"]["minimum"] == 0 and props["repeat"]["default"] == 0
    assert props["priority"]["minimum"] == -20 and props["priority"]["maximum"] == 19
    assert props["on_nodes"]["items"]["minLength"] == 1
    assert props["on_master"]["default"] is True
    assert props["duration"]["description"]


def test_schema_marks_private_parameters_and_enums() -> None:
    props = schema(OpNetworkAdd)["properties"]
    assert props["network"]["format"] == "ipv4-network"
    create = schema(OpInstanceMultiAlloc)["properties"]["instances"]["items"]
    assert create["title"] == "OP_INSTANCE_CREATE"
    assert create["properties"]["osparams_private"]["anyOf"][0]["x-private"] is True
    assert "plain" in create["properties"]["disk_template"]["anyOf"][0]["enum"]


@pytest.mark.parametrize("cls", ALL_OPCODES, ids=lambda c: c.OP_ID)
def test_schema_is_valid_and_agrees_with_from_dict(cls: Any) -> None:
    doc = schema(cls)
    jsonschema.Draft202012Validator.check_schema(doc)
    json.dumps(doc)
    validator = jsonschema.Draft202012Validator(doc)
    minimal = {"OP_ID": cls.OP_ID}
    for name in required_params(cls):
        minimal[name] = doc["properties"][name].get("default")
    # Every full wire dict we produce satisfies our own schema.
    defaults_only = {k: v["default"] for k, v in doc["properties"].items() if "default" in v}
    if not required_params(cls):
        full = from_dict({"OP_ID": cls.OP_ID, **defaults_only}).to_dict()
        assert not list(validator.iter_errors(full))
    assert list(validator.iter_errors({**minimal, "no_such_param": 1}))
    assert list(validator.iter_errors({**minimal, "priority": 99}))


def test_schema_rejects_what_from_dict_rejects() -> None:
    validator = jsonschema.Draft202012Validator(schema(OpTestDelay))
    assert not list(validator.iter_errors({"OP_ID": "OP_TEST_DELAY", "duration": 1}))
    assert list(validator.iter_errors({"OP_ID": "OP_TEST_DELAY"}))
    assert list(validator.iter_errors({"OP_ID": "OP_TEST_DELAY", "duration": "x"}))
    assert list(validator.iter_errors({"OP_ID": "OP_TEST_DELAY", "duration": 1, "repeat": -1}))


def test_describe_lists_every_parameter() -> None:
    text = describe(OpTestDelay)
    assert text.startswith("## OP_TEST_DELAY\n")
    for name in OpTestDelay.CHECKS:
        assert f"| `{name}` |" in text
    assert "| `duration` | float | required |" in text
    assert "| `repeat` | integer >= 0 | `0` |" in text
    assert "Summarized by `duration`." in text


def test_describe_all_is_sorted_and_stable() -> None:
    text = describe_all(reversed(ALL_OPCODES))
    assert text == describe_all(ALL_OPCODES)
    positions = [text.index(f"## {c.OP_ID}\n") for c in sorted(ALL_OPCODES, key=lambda c: c.OP_ID)]
    assert positions == sorted(positions)

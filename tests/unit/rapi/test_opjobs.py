"""Filling opcodes from RAPI input and the body schemas derived from opcodes."""

from __future__ import annotations

import pytest

from pyganeti.http.messages import HttpError
from pyganeti.opcodes.instance import OpInstanceCreate
from pyganeti.opcodes.instance_power import OpInstanceShutdown
from pyganeti.rapi.opjobs import body_schema_of, fill_opcode


def test_fill_applies_rename_and_static() -> None:
    op = fill_opcode(OpInstanceShutdown, {"timeout": 5}, {"instance_name": "i1", "dry_run": True})
    assert op["OP_ID"] == "OP_INSTANCE_SHUTDOWN"
    assert (op["instance_name"], op["timeout"], op["dry_run"]) == ("i1", 5, True)


@pytest.mark.parametrize(
    ("body", "static", "rename", "words"),
    [
        ({"timeout": "x"}, {"instance_name": "i"}, None, ["Invalid body parameters", "timeout"]),
        ({"bogus": 1}, {"instance_name": "i"}, None, ["bogus"]),
        ({"instance_name": "j"}, {"instance_name": "i"}, None, ["static", "instance_name"]),
        ({"name": "a", "instance_name": "b"}, {}, {"name": "instance_name"}, ["renamed"]),
        ({"OP_ID": "OP_CLUSTER_DESTROY"}, {"instance_name": "i"}, None, ["OP_ID"]),
    ],
)
def test_fill_rejects_bad_input_naming_it(
    body: dict[str, object],
    static: dict[str, object],
    rename: dict[str, str] | None,
    words: list[str],
) -> None:
    with pytest.raises(HttpError) as err:
        fill_opcode(OpInstanceShutdown, body, static, rename)
    assert err.value.status == 400
    for word in words:
        assert word in err.value.message


def test_null_body_values_take_the_default() -> None:
    # Ganeti's client sends e.g. {"timeout": null}; Ganeti reads null as "not given".
    op = fill_opcode(OpInstanceShutdown, {"timeout": None}, {"instance_name": "i1"})
    assert op["timeout"] == 120
    with pytest.raises(HttpError) as err:
        fill_opcode(OpInstanceShutdown, {"instance_name": None}, {})
    assert "instance_name" in err.value.message


def test_body_schema_drops_fixed_and_renames() -> None:
    schema = body_schema_of(
        OpInstanceCreate, {"dry_run", "reason"}, {"os": "os_type", "name": "instance_name"}
    )
    props = schema["properties"]
    assert "os" in props and "name" in props
    assert "os_type" not in props and "instance_name" not in props and "dry_run" not in props
    assert "name" in schema["required"] and schema["additionalProperties"] is False

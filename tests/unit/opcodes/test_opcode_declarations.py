"""The declaration framework: @opcode refuses bad declarations; summaries; redaction."""

from __future__ import annotations

import dataclasses
from typing import Annotated, ClassVar

import pytest

from pyganeti import errors
from pyganeti.opcodes import ALL_OPCODES, OpCode, from_dict, opcode, param
from pyganeti.opcodes.base import OP_PRIO_SUBMIT_VALID, param_default, param_doc
from pyganeti.opcodes.cluster import OpClusterQuery, OpClusterSetParams
from pyganeti.opcodes.debug import OpTestDelay, OpTestDummy, OpTestOsParams
from pyganeti.opcodes.group import OpGroupAdd
from pyganeti.opcodes.instance import OpInstanceCreate, OpInstanceReinstall
from pyganeti.opcodes.instance_power import OpInstanceStartup
from pyganeti.opcodes.node import OpNodeAdd
from pyganeti.opcodes.tags import OpTagsGet
from pyganeti.opcodes.types import NonEmpty, OneOf, Range


def test_every_opcode_is_declared_completely() -> None:
    for cls in ALL_OPCODES:
        assert cls.OP_ID.startswith("OP_") and cls.__doc__
        assert "CHECKS" in cls.__dict__
        for field in dataclasses.fields(cls):
            assert param_doc(cls, field.name).strip()
        assert set(cls.CHECKS) == {f.name for f in dataclasses.fields(cls)}


def test_common_parameters_on_every_opcode() -> None:
    common = {"dry_run", "debug_level", "priority", "depends", "comment", "reason"}
    for cls in ALL_OPCODES:
        assert common <= set(cls.CHECKS), cls.OP_ID
    assert param_default(OpTestDelay, "priority") == 0
    assert param_default(OpTestDelay, "reason") == []
    assert param_default(OpTestDelay, "duration") is dataclasses.MISSING
    assert set(OP_PRIO_SUBMIT_VALID) == {-10, 0, 10}
    with pytest.raises(KeyError):
        param_doc(OpTestDelay, "nope")


def test_only_test_dummy_skips_the_logical_unit() -> None:
    assert [c.OP_ID for c in ALL_OPCODES if not c.WITH_LU] == [OpTestDummy.OP_ID]


def test_summary_is_op_id_without_prefix_plus_description_field() -> None:
    assert OpInstanceStartup(instance_name="inst1").summary() == "INSTANCE_STARTUP(inst1)"
    assert OpTestDelay(duration=2).summary() == "TEST_DELAY(2.0)"
    assert OpClusterQuery().summary() == "CLUSTER_QUERY"
    assert OpTagsGet(kind="cluster").summary() == "TAGS_GET(None)"
    assert OpGroupAdd(group_name="rack1").summary() == "GROUP_ADD(rack1)"


def test_summary_joins_list_values() -> None:
    @opcode
    class OpListDescribed(OpCode):
        """An opcode described by a list."""

        OP_ID: ClassVar[str] = "OP_LIST_DESCRIBED"
        OP_DSC_FIELD: ClassVar[str | None] = "items"

        items: list[str] = param("Items", default=[])

    assert OpListDescribed(items=["a", "b"]).summary() == "LIST_DESCRIBED(a,b)"


def test_tiny_summary_shortens_known_prefixes() -> None:
    assert OpInstanceStartup(instance_name="i").tiny_summary() == "I_STARTUP"
    assert OpClusterQuery().tiny_summary() == "C_QUERY"
    assert OpNodeAdd(node_name="n").tiny_summary() == "N_ADD"
    assert OpGroupAdd(group_name="g").tiny_summary() == "G_ADD"
    assert OpTestDelay(duration=1).tiny_summary() == "TEST_DELAY"


def test_private_and_secret_values_are_redacted_on_request_and_in_repr() -> None:
    op = OpInstanceReinstall(
        instance_name="i",
        osparams={"visible": "yes"},
        osparams_private={"pw": "hunter2"},
        osparams_secret={"key": "s3cret"},
    )
    assert op.to_dict()["osparams_private"] == {"pw": "hunter2"}
    redacted = op.to_dict(redact=True)
    assert redacted["osparams_private"] == {"pw": None}
    assert redacted["osparams_secret"] == {"key": None}
    assert redacted["osparams"] == {"visible": "yes"}
    assert "hunter2" not in repr(op) and "s3cret" not in repr(op) and "yes" in repr(op)
    cluster = OpClusterSetParams(osparams_private_cluster={"debian": {"pw": "x1"}})
    assert cluster.to_dict(redact=True)["osparams_private_cluster"] == {"debian": {"pw": None}}
    assert OpTestOsParams().to_dict(redact=True)["osparams_secret"] is None


def test_op_id_is_required() -> None:
    with pytest.raises(TypeError, match="OP_ID"):

        @opcode
        class OpNoId(OpCode):
            """No id."""


def test_docstring_is_required() -> None:
    with pytest.raises(TypeError, match="docstring"):

        @opcode
        class OpNoDoc(OpCode):
            OP_ID: ClassVar[str] = "OP_NO_DOC"


def test_fields_must_use_param() -> None:
    with pytest.raises(TypeError, match=r"OpPlainField\.size.*param"):

        @opcode
        class OpPlainField(OpCode):
            """Plain field."""

            OP_ID: ClassVar[str] = "OP_PLAIN_FIELD"
            size: int = 3


def test_param_needs_a_doc() -> None:
    with pytest.raises(ValueError, match="doc"):
        param(" ", default=1)


def test_defaults_must_fit_their_type() -> None:
    with pytest.raises(TypeError, match="bad default"):

        @opcode
        class OpBadDefault(OpCode):
            """Bad default."""

            OP_ID: ClassVar[str] = "OP_BAD_DEFAULT"
            count: Annotated[int, Range(1, 5)] = param("Count", default=0)


def test_description_field_must_exist() -> None:
    with pytest.raises(TypeError, match="OP_DSC_FIELD"):

        @opcode
        class OpBadDsc(OpCode):
            """Bad description field."""

            OP_ID: ClassVar[str] = "OP_BAD_DSC"
            OP_DSC_FIELD: ClassVar[str | None] = "missing"


def test_parameters_cannot_shadow_opcode_methods() -> None:
    with pytest.raises(TypeError, match="shadows"):

        @opcode
        class OpShadow(OpCode):
            """Shadowing."""

            OP_ID: ClassVar[str] = "OP_SHADOW"
            summary: str = param("Oops", default="x")  # type: ignore[assignment]


def test_unsupported_annotations_are_refused() -> None:
    with pytest.raises(TypeError, match="unsupported"):

        @opcode
        class OpSetTyped(OpCode):
            """Set typed."""

            OP_ID: ClassVar[str] = "OP_SET_TYPED"
            items: set[str] = param("Items")

    with pytest.raises(TypeError, match="Constraint"):

        @opcode
        class OpBadMeta(OpCode):
            """Bad metadata."""

            OP_ID: ClassVar[str] = "OP_BAD_META"
            name: Annotated[str, "not a constraint", NonEmpty()] = param("Name", default="x")


def test_base_class_is_not_a_declared_opcode() -> None:
    with pytest.raises(errors.ProgrammerError):
        OpCode.from_dict({})


def test_nested_opcode_field_round_trips_objects() -> None:
    create = OpInstanceCreate(instance_name="i", mode="create", disks=[], nics=[])
    data = {"OP_ID": "OP_INSTANCE_MULTI_ALLOC", "instances": [create.to_dict()]}
    op = from_dict(data)
    assert op.to_dict()["instances"] == [create.to_dict()]


def test_one_of_constraint_is_type_strict() -> None:
    @opcode
    class OpPickSize(OpCode):
        """Pick a size."""

        OP_ID: ClassVar[str] = "OP_PICK_SIZE"
        size: Annotated[int, OneOf(1, 2)] = param("Size", default=1)

    assert OpPickSize(size=2).size == 2
    for bad in (3, True):
        with pytest.raises(errors.OpPrereqError, match=r"OP_PICK_SIZE\.size.*one of 1, 2"):
            OpPickSize(size=bad)

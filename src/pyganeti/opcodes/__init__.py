"""Every Ganeti 3.0 opcode declared once as a typed, validated, frozen dataclass.

``from_dict`` turns a wire dict into an opcode (or a clear error); ``op.to_dict()``
gives the wire dict back; ``schema``/``describe`` derive JSON Schema and reference text.
"""

from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.reference import describe, describe_all, schema
from pyganeti.opcodes.registry import (
    ALL_OPCODES,
    EXTENSION_OPCODES,
    OPCODES,
    from_dict,
    lookup,
)

__all__ = [
    "ALL_OPCODES",
    "EXTENSION_OPCODES",
    "OPCODES",
    "OpCode",
    "describe",
    "describe_all",
    "from_dict",
    "lookup",
    "opcode",
    "param",
    "schema",
]

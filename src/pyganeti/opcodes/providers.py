"""Opcodes diagnosing the OS and ExtStorage providers installed on the nodes."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.types import NonEmptyStringList


@opcode
class OpOsDiagnose(OpCode):
    """List the guest operating systems and their state on each node."""

    OP_ID: ClassVar[str] = "OP_OS_DIAGNOSE"

    output_fields: NonEmptyStringList = param(g.OUTPUT_FIELDS)
    names: NonEmptyStringList = param("Operating systems to report on; all if empty", default=[])


@opcode
class OpExtStorageDiagnose(OpCode):
    """List the ExtStorage providers and their state on each node."""

    OP_ID: ClassVar[str] = "OP_EXT_STORAGE_DIAGNOSE"

    output_fields: NonEmptyStringList = param(g.OUTPUT_FIELDS)
    names: NonEmptyStringList = param("Providers to report on; all if empty", default=[])

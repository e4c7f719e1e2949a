"""Opcodes pyganeti adds to Ganeti 3.0's set (kept apart so compatibility stays exact)."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.types import MaybeString, PositiveInt


@opcode
class OpInstanceConsoleLog(OpCode):
    """Read the tail of an instance's console log (running or not)."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_CONSOLE_LOG"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    # The text travels in the job's result, which the job queue keeps: only a tail.
    max_bytes: PositiveInt = param("Most bytes of log to return", default=1 << 20)
    with_backups: bool = param("Include the rotated logs, oldest first", default=True)

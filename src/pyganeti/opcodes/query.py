"""Generic query opcodes: items of a resource, and the fields a resource offers."""

from typing import Any, ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import QueryResource
from pyganeti.opcodes.types import MaybeNonEmptyStringList, NonEmptyStringList


@opcode
class OpQuery(OpCode):
    """Return fields of the items of a resource, optionally filtered."""

    OP_ID: ClassVar[str] = "OP_QUERY"
    OP_DSC_FIELD: ClassVar[str | None] = "what"

    what: QueryResource = param("Resource to query")
    use_locking: bool = param(g.USE_LOCKING, default=False)
    fields: NonEmptyStringList = param("Fields to return")
    qfilter: list[Any] | None = param("Filter in the query language's list form", default=None)


@opcode
class OpQueryFields(OpCode):
    """Describe the fields a resource offers."""

    OP_ID: ClassVar[str] = "OP_QUERY_FIELDS"
    OP_DSC_FIELD: ClassVar[str | None] = "what"

    what: QueryResource = param("Resource to describe")
    fields: MaybeNonEmptyStringList = param("Fields to describe; all if unset", default=None)

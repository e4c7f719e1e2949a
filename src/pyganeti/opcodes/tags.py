"""Tag opcodes: list, search, add and remove tags of the cluster, nodes, groups, instances."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import TagKind
from pyganeti.opcodes.types import NonEmptyString


@opcode
class OpTagsGet(OpCode):
    """Return the tags of an object."""

    OP_ID: ClassVar[str] = "OP_TAGS_GET"
    OP_DSC_FIELD: ClassVar[str | None] = "name"

    kind: TagKind = param(g.TAG_KIND)
    use_locking: bool = param(g.USE_LOCKING, default=False)
    name: str | None = param("Name of the object (unset for the cluster)", default=None)


@opcode
class OpTagsSearch(OpCode):
    """Return [object path, tag] for every tag matching a regular expression."""

    OP_ID: ClassVar[str] = "OP_TAGS_SEARCH"
    OP_DSC_FIELD: ClassVar[str | None] = "pattern"

    pattern: NonEmptyString = param("Regular expression to search tags for")


@opcode
class OpTagsSet(OpCode):
    """Add tags to an object."""

    OP_ID: ClassVar[str] = "OP_TAGS_SET"

    kind: TagKind = param(g.TAG_KIND)
    tags: list[str] = param("Tags to add")
    name: str | None = param("Name of the object (unset for the cluster)", default=None)


@opcode
class OpTagsDel(OpCode):
    """Remove tags from an object."""

    OP_ID: ClassVar[str] = "OP_TAGS_DEL"

    kind: TagKind = param(g.TAG_KIND)
    tags: list[str] = param("Tags to remove")
    name: str | None = param("Name of the object (unset for the cluster)", default=None)

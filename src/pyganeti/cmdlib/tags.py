"""OP_TAGS_GET, OP_TAGS_SET, OP_TAGS_DEL, OP_TAGS_SEARCH for every taggable object."""

from __future__ import annotations

import re
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import LogicalUnit, NoHooksLU
from pyganeti.locking import BGL, Level

MAX_TAG_LEN = 128
MAX_TAGS = 4096
_TAG_RE = re.compile(r"^[\w.+*/:@-]+$")
_SECTIONS = {
    "node": ("nodes", Level.NODE),
    "instance": ("instances", Level.INSTANCE),
    "nodegroup": ("nodegroups", Level.NODEGROUP),
    "network": ("networks", Level.NETWORK),
}


def check_tag(tag: str) -> None:
    if not isinstance(tag, str) or not tag:
        raise errors.TagError("Tags must be non-empty strings")
    if len(tag) > MAX_TAG_LEN:
        raise errors.TagError(f"Tag too long (>{MAX_TAG_LEN} chars)")
    if not _TAG_RE.match(tag):
        raise errors.TagError(f"Tag contains invalid characters: {tag!r}")


class _TagsLU(LogicalUnit):
    def expand_names(self) -> None:
        kind = self.op.kind
        if kind == "cluster":
            # The cluster object has no lock of its own: changing its tags takes the big
            # lock exclusively so concurrent tag jobs do not overwrite each other.
            self.section = None
            self.needed_locks[Level.CLUSTER] = [BGL]
            self.share_locks[Level.CLUSTER] = isinstance(self, LUTagsGet)
            return
        if kind not in _SECTIONS:
            raise errors.OpPrereqError(f"Unknown tag kind '{kind}'", errors.ECODE_INVAL)
        if not self.op.name:
            raise errors.OpPrereqError(f"Tags of a {kind} need its name", errors.ECODE_INVAL)
        self.section, level = _SECTIONS[kind]
        obj = self.cfg.expand(self.section, self.op.name)
        self.uuid = obj["uuid"]
        self.needed_locks[level] = [obj["name"]]
        self.share_locks[level] = isinstance(self, LUTagsGet)

    def target(self) -> dict[str, Any]:
        if self.section is None:
            return self.cfg.cluster
        obj = self.cfg.get(self.section, self.uuid)
        if obj is None:
            raise errors.OpPrereqError(
                f"{self.op.kind} '{self.op.name}' was removed", errors.ECODE_NOENT
            )
        return obj

    def store(self, obj: dict[str, Any]) -> None:
        if self.section is None:
            self.cfg.put_cluster(obj)
        else:
            self.cfg.put(self.section, obj)


class LUTagsGet(_TagsLU, NoHooksLU):
    def exec(self) -> Any:
        return sorted(self.target().get("tags", []))


class LUTagsSet(_TagsLU):
    REQ_BGL = False

    def check_arguments(self) -> None:
        for tag in self.op.tags:
            check_tag(tag)

    def check_prereq(self) -> None:
        tags = set(self.target().get("tags", [])) | set(self.op.tags)
        if len(tags) > MAX_TAGS:
            raise errors.TagError(f"Too many tags (more than {MAX_TAGS})")

    def exec(self) -> Any:
        obj = dict(self.target())
        obj["tags"] = sorted(set(obj.get("tags", [])) | set(self.op.tags))
        self.store(obj)
        return None


class LUTagsDel(_TagsLU):
    def check_arguments(self) -> None:
        for tag in self.op.tags:
            check_tag(tag)

    def check_prereq(self) -> None:
        missing = sorted(set(self.op.tags) - set(self.target().get("tags", [])))
        if missing:
            raise errors.OpPrereqError(
                f"Tag(s) {', '.join(repr(t) for t in missing)} not found", errors.ECODE_NOENT
            )

    def exec(self) -> Any:
        obj = dict(self.target())
        obj["tags"] = sorted(set(obj.get("tags", [])) - set(self.op.tags))
        self.store(obj)
        return None


class LUTagsSearch(NoHooksLU):
    def check_arguments(self) -> None:
        try:
            self.regex = re.compile(self.op.pattern)
        except re.error as err:
            raise errors.OpPrereqError(
                f"Invalid search pattern {self.op.pattern!r}: {err}", errors.ECODE_INVAL
            ) from None

    def exec(self) -> Any:
        found = []
        objects = [("/cluster", self.cfg.cluster)]
        for path, section in (
            ("/nodes", "nodes"),
            ("/instances", "instances"),
            ("/nodegroup", "nodegroups"),
            ("/networks", "networks"),
        ):
            objects += [(f"{path}/{o['name']}", o) for o in self.cfg.values(section)]
        for path, obj in objects:
            found += [[path, tag] for tag in obj.get("tags", []) if self.regex.search(tag)]
        return found

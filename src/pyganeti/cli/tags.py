"""The list-tags, add-tags and remove-tags commands, shared by every tool with tags."""

from __future__ import annotations

import sys

from pyganeti import errors
from pyganeti.cli import jobs, options
from pyganeti.cli.dispatch import Command
from pyganeti.cli.session import Session

TAG_CLUSTER = "cluster"


def _target(session: Session) -> tuple[str, str, list[str]]:
    """(kind, object name, remaining arguments) from the tool's tag kind and the args."""
    kind = str(session.opt("tag_type"))
    args = list(session.args)
    if kind == TAG_CLUSTER:
        # The cluster is named by the empty string on the wire, as Ganeti's clients do.
        return kind, "", args
    if not args:
        raise errors.OpPrereqError("no arguments passed to the command", errors.ECODE_INVAL)
    return kind, args[0], args[1:]


def _read_tags_source(session: Session, tags: list[str]) -> list[str]:
    source = session.opt("tags_source")
    if source is None:
        return tags
    try:
        if source == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(source, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
    except OSError as err:
        raise errors.OpPrereqError(
            f"Cannot read tags from '{source}': {err.strerror}", errors.ECODE_INVAL
        ) from None
    return tags + [line.strip() for line in lines]


def list_tags(session: Session) -> int:
    kind, name, _ = _target(session)
    for tag in sorted(session.client().query_tags(kind, name)):
        session.stdout(tag)
    return 0


def _change_tags(session: Session, op_id: str, empty_msg: str) -> int:
    kind, name, tags = _target(session)
    tags = _read_tags_source(session, tags)
    if not tags:
        raise errors.OpPrereqError(empty_msg, errors.ECODE_INVAL)
    jobs.submit_or_send(session, jobs.opcode(op_id, kind=kind, name=name, tags=tags))
    return 0


def add_tags(session: Session) -> int:
    return _change_tags(session, "OP_TAGS_SET", "No tags to be added")


def remove_tags(session: Session) -> int:
    return _change_tags(session, "OP_TAGS_DEL", "No tags to be removed")


def tag_commands(kind: str, noun: str) -> dict[str, Command]:
    """The three tag commands for objects of `kind` ("node", "instance", "cluster")."""
    change_opts = (options.TAG_SRC, options.PRIORITY, *options.SUBMIT_OPTS)
    defaults: dict[str, object] = {"tag_type": kind}
    if kind == TAG_CLUSTER:
        return {
            "list-tags": Command(list_tags, 0, 0, (), "", "List the tags of the cluster", defaults),
            "add-tags": Command(
                add_tags, 0, None, change_opts, "<tag>...", "Add tags to the cluster", defaults
            ),
            "remove-tags": Command(
                remove_tags,
                0,
                None,
                change_opts,
                "<tag>...",
                "Remove tags from the cluster",
                defaults,
            ),
        }
    return {
        "list-tags": Command(
            list_tags, 1, 1, (), f"<{noun}-name>", f"List the tags of the given {noun}", defaults
        ),
        "add-tags": Command(
            add_tags,
            1,
            None,
            change_opts,
            f"<{noun}-name> <tag>...",
            f"Add tags to the given {noun}",
            defaults,
        ),
        "remove-tags": Command(
            remove_tags,
            1,
            None,
            change_opts,
            f"<{noun}-name> <tag>...",
            f"Remove tags from the given {noun}",
            defaults,
        ),
    }

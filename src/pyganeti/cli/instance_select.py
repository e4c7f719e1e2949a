"""Choosing the instances a multi-instance command acts on (--all, --node, --tags, ...)."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cli import listing, options
from pyganeti.cli.session import Session

EXPAND_CLUSTER = "cluster"
EXPAND_NODES_BOTH = "nodes"
EXPAND_NODES_PRI = "nodes-pri"
EXPAND_NODES_SEC = "nodes-sec"
EXPAND_NODES_BOTH_BY_TAGS = "nodes-by-tags"
EXPAND_NODES_PRI_BY_TAGS = "nodes-pri-by-tags"
EXPAND_NODES_SEC_BY_TAGS = "nodes-sec-by-tags"
EXPAND_INSTANCES = "instances"
EXPAND_INSTANCES_BY_TAGS = "instances-by-tags"

_NODE_MODES = {
    EXPAND_NODES_BOTH: (True, True),
    EXPAND_NODES_PRI: (True, False),
    EXPAND_NODES_SEC: (False, True),
    EXPAND_NODES_BOTH_BY_TAGS: (True, True),
    EXPAND_NODES_PRI_BY_TAGS: (True, False),
    EXPAND_NODES_SEC_BY_TAGS: (False, True),
}
_BY_TAGS = (EXPAND_NODES_BOTH_BY_TAGS, EXPAND_NODES_PRI_BY_TAGS, EXPAND_NODES_SEC_BY_TAGS)


def _mode_opt(flag: str, const: str, help_text: str) -> options.Opt:
    return options.opt(
        flag, dest="multi_mode", action="store_const", const=const, default=None, help=help_text
    )


FORCE_MULTI = options.opt(
    "--force-multiple",
    dest="force_multi",
    default=False,
    action="store_true",
    help="Do not ask for confirmation when more than one instance is affected",
)
MODE_OPTS = (
    _mode_opt("--primary", EXPAND_NODES_PRI, "Filter by nodes (primary only)"),
    _mode_opt("--secondary", EXPAND_NODES_SEC, "Filter by nodes (secondary only)"),
    _mode_opt("--node", EXPAND_NODES_BOTH, "Filter by nodes (primary and secondary)"),
    _mode_opt("--all", EXPAND_CLUSTER, "Select all instances in the cluster"),
    _mode_opt("--instance", EXPAND_INSTANCES, "Filter by instance name [default]"),
    _mode_opt("--node-tags", EXPAND_NODES_BOTH_BY_TAGS, "Filter by node tag"),
    _mode_opt("--pri-node-tags", EXPAND_NODES_PRI_BY_TAGS, "Filter by primary node tag"),
    _mode_opt("--sec-node-tags", EXPAND_NODES_SEC_BY_TAGS, "Filter by secondary node tag"),
    _mode_opt("--tags", EXPAND_INSTANCES_BY_TAGS, "Filter by instance tag"),
)


def expand_names(s: Session, mode: str, names: list[str]) -> list[str]:
    """The instance names selected by `mode` and the command's arguments."""
    if mode == EXPAND_CLUSTER:
        if names:
            raise errors.OpPrereqError("Cluster filter mode takes no arguments", errors.ECODE_INVAL)
        return [row[0] for row in listing.query_rows(s, "instance", ["name"], None)]
    if mode in _NODE_MODES:
        primary, secondary = _NODE_MODES[mode]
        if not names:
            what = "tags" if mode in _BY_TAGS else "names"
            raise errors.OpPrereqError(f"No node {what} passed", errors.ECODE_INVAL)
        fields = ["name", "pinst_list", "sinst_list", "tags"]
        if mode in _BY_TAGS:
            rows = [
                r
                for r in listing.query_rows(s, "node", fields, None)
                if set(r[3] or []) & set(names)
            ]
        else:
            rows = listing.query_rows(s, "node", fields, names)
        result: list[str] = []
        for row in rows:
            if primary:
                result.extend(row[1] or [])
            if secondary:
                result.extend(row[2] or [])
        return result
    if mode == EXPAND_INSTANCES:
        if not names:
            raise errors.OpPrereqError("No instance names passed", errors.ECODE_INVAL)
        rows = listing.query_rows(s, "instance", ["name"], names)
        return [str(row[0]) for row in rows]
    if mode == EXPAND_INSTANCES_BY_TAGS:
        if not names:
            raise errors.OpPrereqError("No instance tags passed", errors.ECODE_INVAL)
        rows = listing.query_rows(s, "instance", ["name", "tags"], None)
        return [str(r[0]) for r in rows if set(r[1] or []) & set(names)]
    raise errors.OpPrereqError(f"Unknown mode '{mode}'", errors.ECODE_INVAL)


def confirm_operation(s: Session, names: list[str], text: str, extra: str = "") -> bool:
    """Ask before acting on several instances, listing them."""
    affected = "\n".join(f"  {name}" for name in names)
    return s.ask(
        f"The {text} will operate on {len(names)} instances.\n{extra}"
        f"Do you want to continue?\nAffected instances:\n{affected}"
    )


def selected(s: Session) -> tuple[list[str], bool]:
    """(instance names, whether more than one may be affected) for the command."""
    mode: Any = s.opt("multi_mode") or EXPAND_INSTANCES
    names = expand_names(s, mode, list(s.args))
    return names, mode != EXPAND_INSTANCES or len(names) > 1

"""gnt-node: list, inspect and modify the cluster's nodes."""

from __future__ import annotations

from typing import Any

from pyganeti.cli import jobs, listing, options, params
from pyganeti.cli.dispatch import Command, run
from pyganeti.cli.generic_info import format_params_dict_info, generic_info_text
from pyganeti.cli.session import Session
from pyganeti.cli.tags import tag_commands

LIST_DEF_FIELDS = ["name", "dtotal", "dfree", "mtotal", "mnode", "mfree", "pinst_cnt", "sinst_cnt"]
_INFO_FIELDS = [
    "name",
    "pip",
    "sip",
    "pinst_list",
    "sinst_list",
    "master_candidate",
    "drained",
    "offline",
    "master_capable",
    "vm_capable",
    "powered",
    "ndparams",
    "custom_ndparams",
]
_LIST_OVERRIDES = dict.fromkeys(("pinst_list", "sinst_list", "tags"), listing.JOINED)

MC = options.opt(
    "-C",
    "--master-candidate",
    dest="master_candidate",
    default=None,
    type=options.bool_type,
    metavar="yes|no",
    help="Set the master_candidate flag on the node",
)
DRAINED = options.opt(
    "-D",
    "--drained",
    dest="drained",
    default=None,
    type=options.bool_type,
    metavar="yes|no",
    help="Set the drained flag on the node",
)
OFFLINE = options.opt(
    "-O",
    "--offline",
    dest="offline",
    default=None,
    type=options.bool_type,
    metavar="yes|no",
    help="Set the offline flag on the node",
)
AUTO_PROMOTE = options.opt(
    "--auto-promote",
    dest="auto_promote",
    default=False,
    action="store_true",
    help="Lock all nodes and auto-promote as needed to MC status",
)


def list_nodes(s: Session) -> int:
    fields = params.parse_fields(s.opts.output, LIST_DEF_FIELDS)
    return listing.generic_list(s, "node", fields, s.args, overrides=_LIST_OVERRIDES)


def list_node_fields(s: Session) -> int:
    return listing.generic_list_fields(s, "node")


def node_info_entry(row: list[Any]) -> list[tuple[str, Any]]:
    (
        name,
        pip,
        sip,
        pinst,
        sinst,
        is_mc,
        drained,
        offline,
        master_capable,
        vm_capable,
        powered,
        ndparams,
        custom_ndparams,
    ) = row
    info: list[tuple[str, Any]] = [
        ("Node name", name),
        ("primary ip", pip),
        ("secondary ip", sip),
        ("master candidate", is_mc),
        ("drained", drained),
        ("offline", offline),
    ]
    if powered is not None:
        info.append(("powered", powered))
    info.extend([("master_capable", master_capable), ("vm_capable", vm_capable)])
    if vm_capable:
        info.extend(
            [
                ("primary for instances", sorted(pinst or [])),
                ("secondary for instances", sorted(sinst or [])),
            ]
        )
    info.append(("node parameters", format_params_dict_info(custom_ndparams or {}, ndparams or {})))
    return info


def show_node_info(s: Session) -> int:
    rows = listing.query_rows(s, "node", _INFO_FIELDS, s.args or None)
    if rows:
        s.stdout(generic_info_text([node_info_entry(row) for row in rows]))
    return 0


def modify_node(s: Session) -> int:
    o = s.opts
    if all(
        v is None for v in (o.master_candidate, o.drained, o.offline, o.secondary_ip, o.ndparams)
    ):
        s.stderr("Please give at least one of the parameters.")
        return 1
    if o.offline is False and not o.force:
        question = (
            "You are setting this node online manually. If the configuration has"
            " changed, this can cause issues such as split brain. To safely bring a"
            " node back online, please use --readd instead. If you are confident"
            " that the configuration hasn't changed, continue?"
        )
        if not s.ask(question):
            return 1
    op = jobs.opcode(
        "OP_NODE_SET_PARAMS",
        node_name=s.args[0],
        master_candidate=o.master_candidate,
        offline=o.offline,
        drained=o.drained,
        secondary_ip=o.secondary_ip,
        force=o.force,
        ndparams=o.ndparams,
        auto_promote=o.auto_promote,
    )
    result = jobs.submit_or_send(s, op)
    if result:
        s.stdout(f"Modified node {s.args[0]}")
        for param, data in result:
            s.stdout(f" - {param:<5} -> {data}")
    return 0


COMMANDS: dict[str, Command] = {
    "list": Command(
        list_nodes,
        0,
        None,
        options.LIST_OPTS,
        "[<node-name>...]",
        "Lists the nodes in the cluster. The available fields can be shown"
        ' using the "list-fields" command (see the man page for details).'
        f" The default field list is (in order): {', '.join(LIST_DEF_FIELDS)}.",
    ),
    "list-fields": Command(
        list_node_fields,
        0,
        None,
        (options.NOHDR, options.SEP),
        "[<fields>...]",
        "Lists all available fields for nodes",
    ),
    "info": Command(
        show_node_info, 0, None, (), "[<node>...]", "Show information about the node(s)"
    ),
    "modify": Command(
        modify_node,
        1,
        1,
        (
            options.FORCE,
            *options.SUBMIT_OPTS,
            MC,
            DRAINED,
            OFFLINE,
            options.SECONDARY_IP,
            AUTO_PROMOTE,
            options.DRY_RUN,
            options.PRIORITY,
            options.NODE_PARAMS,
        ),
        "<node-name>",
        "Alters the parameters of a node",
    ),
    **tag_commands("node", "node"),
}
ALIASES = {"show": "info"}


def main(argv: list[str] | None = None) -> int:
    return run("gnt-node", COMMANDS, argv, ALIASES)

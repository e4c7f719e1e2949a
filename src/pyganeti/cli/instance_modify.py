"""gnt-instance modify: --disk/--net modifications and OP_INSTANCE_SET_PARAMS."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cli import jobs, paramtypes
from pyganeti.cli import units as cli_units
from pyganeti.cli.session import Session

DDM_ADD = "add"
DDM_ATTACH = "attach"
DDM_MODIFY = "modify"
DDM_REMOVE = "remove"
DDM_DETACH = "detach"
_ACTIONS = (DDM_ADD, DDM_ATTACH, DDM_REMOVE, DDM_DETACH, DDM_MODIFY)
FILE_BASED_TEMPLATES = ("file", "sharedfile", "gluster")


def convert_modifications(mods: list[tuple[str, Any]]) -> list[list[Any]]:
    """--disk/--net values into [action, index, params] triples.

    "add:size=1G" (legacy form) acts on the end (-1); "N:add,size=1G" acts at index N,
    and "N:k=v" modifies item N.
    """
    result: list[list[Any]] = []
    for ident, raw in mods:
        values: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        index: int | str
        if ident in _ACTIONS:
            action, index = ident, -1
        else:
            given = [a for a in _ACTIONS if a in values]
            if len(given) > 1:
                raise errors.OpPrereqError(
                    "Cannot do more than one of the following operations at the same time:"
                    f" {', '.join(_ACTIONS)}",
                    errors.ECODE_INVAL,
                )
            action = given[0] if given else DDM_MODIFY
            for name in given:
                del values[name]
            try:
                index = int(ident)
            except ValueError:
                # Items may also be named by their name or UUID.
                index = ident
        if action in (DDM_REMOVE, DDM_DETACH) and values:
            raise errors.OpPrereqError(
                "Not accepting parameters on removal/detach", errors.ECODE_INVAL
            )
        result.append([action, index, values])
    return result


def parse_disk_sizes(mods: list[list[Any]]) -> list[list[Any]]:
    for action, _, values in mods:
        if "spindles" in values:
            values["spindles"] = int(values["spindles"])
        if "size" in values:
            try:
                values["size"] = cli_units.parse_unit(str(values["size"]))
            except errors.UnitParseError as err:
                raise errors.OpPrereqError(
                    f"Invalid disk size: {err}", errors.ECODE_INVAL
                ) from None
        elif action == DDM_ADD:
            raise errors.OpPrereqError("Missing required parameter 'size'", errors.ECODE_INVAL)
    return mods


def _default_values(values: dict[str, Any]) -> dict[str, Any]:
    # "default" (any case) resets a parameter to the inherited value.
    return {
        k: ("default" if isinstance(v, str) and v.lower() == "default" else v)
        for k, v in values.items()
    }


def modify_instance(s: Session) -> int:
    o = s.opts
    if not (
        o.nics
        or o.disks
        or o.disk_template
        or o.hvparams
        or o.beparams
        or o.os
        or o.osparams
        or o.offline_inst
        or o.online_inst
        or o.runtime_mem
        or o.new_primary_node
    ):
        s.stderr("Please give at least one of the parameters.")
        return 1
    if (o.file_driver or o.file_storage_dir) and o.disk_template not in FILE_BASED_TEMPLATES:
        s.stderr(
            "Specifying file-based configuration arguments requires converting to a"
            " file-based disk template"
        )
        return 1
    offline = True if o.offline_inst else False if o.online_inst else None
    op = jobs.opcode(
        "OP_INSTANCE_SET_PARAMS",
        instance_name=s.args[0],
        nics=convert_modifications(o.nics),
        disks=parse_disk_sizes(convert_modifications(o.disks)),
        disk_template=o.disk_template,
        file_driver=o.file_driver,
        file_storage_dir=o.file_storage_dir,
        pnode=o.new_primary_node,
        hvparams=_default_values(o.hvparams),
        beparams=paramtypes.force_dict_type(
            _default_values(o.beparams), paramtypes.BES_PARAMETER_COMPAT, ["default"]
        ),
        runtime_mem=o.runtime_mem,
        os_name=o.os,
        osparams=o.osparams,
        force_variant=o.force_variant,
        force=o.force,
        wait_for_sync=o.wait_for_sync,
        offline=offline,
        conflicts_check=o.conflicts_check,
        ignore_ipolicy=o.ignore_ipolicy,
    )
    result = jobs.submit_or_send(s, op)
    if result:
        s.stdout(f"Modified instance {s.args[0]}")
        for param, data in result:
            s.stdout(f" - {param:<5} -> {data}")
        s.stdout(
            "Please don't forget that most parameters take effect only at the next"
            " (re)start of the instance initiated by ganeti; restarting from within"
            " the instance will not be enough."
        )
        if o.hvparams:
            s.stdout(
                "Note that changing hypervisor parameters without performing a restart"
                " might lead to a crash while performing a live migration. This will"
                " be addressed in future Ganeti versions."
            )
    return 0

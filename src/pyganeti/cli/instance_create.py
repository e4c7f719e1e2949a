"""Building OP_INSTANCE_CREATE from gnt-instance add options (Ganeti's GenericInstanceCreate)."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cli import jobs, params, paramtypes
from pyganeti.cli import units as cli_units
from pyganeti.cli.session import Session

INSTANCE_CREATE = "create"
DT_DISKLESS = "diskless"


def parse_disks(opts: Any) -> list[dict[str, Any]]:
    """The disks list from --disk N:size=...,... or -s SIZE, sizes in MiB."""
    disk_opts: list[tuple[str, Any]] = list(opts.disks)
    if opts.disk_template == DT_DISKLESS:
        if disk_opts or opts.sd_size is not None:
            raise errors.OpPrereqError(
                "Diskless instance but disk information passed", errors.ECODE_INVAL
            )
        return []
    if not disk_opts and opts.sd_size is None:
        raise errors.OpPrereqError("No disk information specified", errors.ECODE_INVAL)
    if disk_opts and opts.sd_size is not None:
        raise errors.OpPrereqError(
            "Please use either the '--disk' or '-s' option", errors.ECODE_INVAL
        )
    if opts.sd_size is not None:
        return [{"size": opts.sd_size}]
    disks = params.parse_indexed_items("disk", disk_opts)
    for idx, disk in enumerate(disks):
        if "size" in disk:
            if "adopt" in disk:
                raise errors.OpPrereqError(
                    f"Only one of 'size' and 'adopt' allowed (disk {idx})", errors.ECODE_INVAL
                )
            try:
                disk["size"] = cli_units.parse_unit(str(disk["size"]))
            except errors.UnitParseError as err:
                raise errors.OpPrereqError(
                    f"Invalid disk size for disk {idx}: {err}", errors.ECODE_INVAL
                ) from None
        elif "adopt" in disk:
            if "spindles" in disk:
                raise errors.OpPrereqError(
                    "spindles is not a valid option when adopting a disk", errors.ECODE_INVAL
                )
            disk["size"] = 0
        else:
            raise errors.OpPrereqError(
                f"Missing size or adoption source for disk {idx}", errors.ECODE_INVAL
            )
        if "spindles" in disk:
            try:
                disk["spindles"] = int(disk["spindles"])
            except ValueError:
                raise errors.OpPrereqError(
                    f"Invalid spindles value for disk {idx}: '{disk['spindles']}'",
                    errors.ECODE_INVAL,
                ) from None
    return disks


def parse_nics(opts: Any) -> list[dict[str, Any]]:
    """The NIC list: --net N:k=v,... entries, none with --no-nics, else one default NIC."""
    if opts.nics:
        if opts.no_nics:
            raise errors.OpPrereqError(
                "Cannot specify both --no-nics and --net", errors.ECODE_INVAL
            )
        return params.parse_indexed_items("nic", list(opts.nics))
    if opts.no_nics:
        return []
    return [{}]


def build_create_opcode(s: Session) -> dict[str, Any]:
    o = s.opts
    pnode, snode = params.split_node_option(o.node)
    hypervisor, hvparams = o.hypervisor if o.hypervisor else (None, {})
    if hvparams is False or hvparams is None:
        raise errors.OpPrereqError(
            f"Invalid hypervisor parameters for '{hypervisor}'", errors.ECODE_INVAL
        )
    tags = o.tags.split(",") if o.tags else []
    return jobs.opcode(
        "OP_INSTANCE_CREATE",
        instance_name=s.args[0],
        mode=INSTANCE_CREATE,
        disks=parse_disks(o),
        disk_template=o.disk_template,
        nics=parse_nics(o),
        group_name=o.nodegroup,
        conflicts_check=o.conflicts_check,
        pnode=pnode,
        snode=snode,
        ip_check=o.ip_check,
        name_check=o.name_check,
        wait_for_sync=o.wait_for_sync,
        file_storage_dir=o.file_storage_dir,
        file_driver=o.file_driver,
        iallocator=o.iallocator,
        hypervisor=hypervisor,
        hvparams=hvparams,
        beparams=paramtypes.force_dict_type(o.beparams, paramtypes.BES_PARAMETER_COMPAT),
        osparams=o.osparams,
        start=o.start,
        os_type=o.os,
        force_variant=o.force_variant,
        no_install=o.no_install,
        tags=tags,
        ignore_ipolicy=o.ignore_ipolicy,
    )


def add_instance(s: Session) -> int:
    jobs.submit_or_send(s, build_create_opcode(s))
    return 0

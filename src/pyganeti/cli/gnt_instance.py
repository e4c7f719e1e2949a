"""gnt-instance: create, list, inspect, start, stop, change and remove instances."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.cli import instance_options as iopts
from pyganeti.cli import jobs, listing, options, params
from pyganeti.cli.dispatch import Command, run
from pyganeti.cli.generic_info import generic_info_text
from pyganeti.cli.instance_create import add_instance
from pyganeti.cli.instance_info import instance_info
from pyganeti.cli.instance_modify import modify_instance
from pyganeti.cli.instance_select import FORCE_MULTI, MODE_OPTS, confirm_operation, selected
from pyganeti.cli.session import Session
from pyganeti.cli.tags import tag_commands

LIST_DEF_FIELDS = ["name", "hypervisor", "os", "pnode", "status", "oper_ram"]
_LIST_JOINED = (
    "tags",
    "disk.sizes",
    "nic.macs",
    "nic.ips",
    "nic.modes",
    "nic.links",
    "nic.bridges",
    "nic.networks",
    "snodes",
    "snodes.group",
    "snodes.group.uuid",
)
_LIST_OVERRIDES = dict.fromkeys(_LIST_JOINED, listing.JOINED)

OpBuilder = Callable[[str, Any], dict[str, Any]]


def list_instances(s: Session) -> int:
    fields = params.parse_fields(s.opts.output, LIST_DEF_FIELDS)
    return listing.generic_list(s, "instance", fields, s.args, overrides=_LIST_OVERRIDES)


def list_instance_fields(s: Session) -> int:
    return listing.generic_list_fields(s, "instance")


def show_instance_info(s: Session) -> int:
    if not s.args and not s.opts.show_all:
        s.stderr(
            "No instance selected. Please pass in --all if you want to query all"
            " instances.\nNote that this can take a long time on a big cluster."
        )
        return 1
    if s.args and s.opts.show_all:
        s.stderr("Cannot use --all if you specify instance names.")
        return 1
    op = jobs.opcode(
        "OP_INSTANCE_QUERY_DATA",
        instances=list(s.args),
        static=s.opts.static,
        use_locking=not s.opts.static,
    )
    result = jobs.submit_opcode(s, op)
    if not result:
        s.stdout("No instances.")
        return 1
    s.stdout(generic_info_text([instance_info(inst) for inst in result.values()]))
    return 0


def _many_ops(operation: str, build: OpBuilder) -> Callable[[Session], int]:
    """A command applying one opcode per selected instance (Ganeti's GenericManyOps)."""

    def command(s: Session) -> int:
        names, multi = selected(s)
        if not names:
            if s.opt("multi_mode") == "cluster":
                s.stdout(f"Cluster is empty, no instances to {operation}")
                return 0
            raise errors.OpPrereqError(
                "Selection filter does not match any instances", errors.ECODE_INVAL
            )
        if multi and not s.opts.force_multi and not confirm_operation(s, names, operation):
            return 1
        job_set = jobs.JobSet(s, verbose=multi)
        for name in names:
            job_set.queue(name, build(name, s.opts))
        results = job_set.wait_or_show(not s.opts.submit_only)
        return 0 if all(ok for ok, _ in results) else 1

    return command


def _startup_op(name: str, o: Any) -> dict[str, Any]:
    return jobs.opcode(
        "OP_INSTANCE_STARTUP",
        instance_name=name,
        force=o.force,
        ignore_offline_nodes=o.ignore_offline,
        no_remember=o.no_remember,
        startup_paused=o.startup_paused,
        hvparams=o.hvparams or None,
        beparams=o.beparams or None,
    )


def _shutdown_op(name: str, o: Any) -> dict[str, Any]:
    return jobs.opcode(
        "OP_INSTANCE_SHUTDOWN",
        instance_name=name,
        force=o.force,
        timeout=o.timeout,
        ignore_offline_nodes=o.ignore_offline,
        no_remember=o.no_remember,
    )


def _reboot_op(name: str, o: Any) -> dict[str, Any]:
    return jobs.opcode(
        "OP_INSTANCE_REBOOT",
        instance_name=name,
        reboot_type=o.reboot_type,
        ignore_secondaries=o.ignore_secondaries,
        shutdown_timeout=o.shutdown_timeout,
    )


def remove_instance(s: Session) -> int:
    name = s.args[0]
    if not s.opts.force:
        listing.query_rows(s, "instance", ["name"], [name])
        question = (
            f"This will remove the volumes of the instance {name} (including"
            " mirrors), thus removing all the data of the instance. Continue?"
        )
        if not s.ask(question):
            return 1
    jobs.submit_or_send(
        s,
        jobs.opcode(
            "OP_INSTANCE_REMOVE",
            instance_name=name,
            ignore_failures=s.opts.ignore_failures,
            shutdown_timeout=s.opts.shutdown_timeout,
        ),
    )
    return 0


def rename_instance(s: Session) -> int:
    old, new = s.args
    if not s.opts.force and not s.opts.name_check:
        question = (
            f"As you disabled the check of the DNS entry, please verify that '{new}'"
            " is a FQDN. Continue?"
        )
        if not s.ask(question):
            return 1
    result = jobs.submit_or_send(
        s,
        jobs.opcode(
            "OP_INSTANCE_RENAME",
            instance_name=old,
            new_name=new,
            ip_check=s.opts.ip_check,
            name_check=s.opts.name_check,
        ),
    )
    if result:
        s.stdout(f"Instance '{old}' renamed to '{result}'")
    return 0


def reinstall_instance(s: Session) -> int:
    names, multi = selected(s)
    if not names:
        raise errors.OpPrereqError(
            "Selection filter does not match any instances", errors.ECODE_INVAL
        )
    os_msg = f"change the OS to '{s.opts.os}'" if s.opts.os else "keep the same OS"
    if multi:
        warning = f"Note: this will remove *all* data for the below instances! It will {os_msg}.\n"
        if not s.opts.force_multi and not confirm_operation(s, names, "reinstall", warning):
            return 1
    elif not (s.opts.force or s.opts.force_multi):
        question = (
            f"This will reinstall the instance '{names[0]}' (and {os_msg}) which"
            " removes all data. Continue?"
        )
        if not s.ask(question):
            return 1
    job_set = jobs.JobSet(s, verbose=multi)
    for name in names:
        job_set.queue(
            name,
            jobs.opcode(
                "OP_INSTANCE_REINSTALL",
                instance_name=name,
                os_type=s.opts.os,
                force_variant=s.opts.force_variant,
                osparams=s.opts.osparams or None,
            ),
        )
    results = job_set.wait_or_show(not s.opts.submit_only)
    return 0 if all(ok for ok, _ in results) else 1


def activate_disks(s: Session) -> int:
    result = jobs.submit_or_send(
        s,
        jobs.opcode(
            "OP_INSTANCE_ACTIVATE_DISKS",
            instance_name=s.args[0],
            ignore_size=s.opts.ignore_size,
            wait_for_sync=s.opts.wait_for_sync,
        ),
    )
    for host, iname, nname in result or []:
        s.stdout(f"{host}:{iname}:{nname}")
    return 0


def deactivate_disks(s: Session) -> int:
    jobs.submit_or_send(
        s, jobs.opcode("OP_INSTANCE_DEACTIVATE_DISKS", instance_name=s.args[0], force=s.opts.force)
    )
    return 0


def ssh_console_command(console: dict[str, Any]) -> list[str]:
    """The ssh command line that opens an "ssh"-kind console."""
    command = console.get("command")
    remote = command if isinstance(command, str) else shlex.join(command or [])
    argv = ["ssh", "-oEscapeChar=none", "-oBatchMode=yes", "-t"]
    if console.get("port"):
        argv += ["-p", str(console["port"])]
    argv += [f"{console.get('user', 'root')}@{console.get('host')}", remote]
    return argv


def show_console_log(s: Session, name: str) -> int:
    """Print the tail of the instance's console log, running or not (a pyganeti opcode)."""
    op = jobs.opcode("OP_INSTANCE_CONSOLE_LOG", instance_name=name)
    result = jobs.submit_opcode(s, op)
    text = str(result.get("log") or "")
    if not text:
        s.stderr(f"No console output has been logged for instance {result.get('instance', name)}")
        return 0
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def console_instance(s: Session) -> int:
    name = s.args[0]
    if s.opts.show_log:
        return show_console_log(s, name)
    rows = listing.query_rows(s, "instance", ["name", "console", "oper_state"], [name])
    _, console, oper_state = rows[0]
    if not console:
        if oper_state:
            raise errors.OpExecError(f"Console information for instance {name} is unavailable")
        raise errors.OpExecError(f"Instance {name} is not running, can't get console")
    kind = console.get("kind")
    if kind == "msg":
        s.stdout(str(console.get("message")))
    elif kind == "vnc":
        host, port = console.get("host"), console.get("port")
        s.stdout(
            f"Instance {console.get('instance')} has VNC listening on {host}:{port}"
            f" (display {console.get('display')}), URL <vnc://{host}:{port}/>"
        )
    elif kind == "spice":
        s.stdout(
            f"Instance {console.get('instance')} has SPICE listening on"
            f" {console.get('host')}:{console.get('port')}"
        )
    elif kind == "ssh":
        argv = ssh_console_command(console)
        if s.opts.show_command:
            s.stdout(shlex.join(argv))
        elif subprocess.call(argv) != 0:
            raise errors.OpExecError(
                f"Connection to console of instance {name} failed,"
                " please check cluster configuration"
            )
    else:
        raise errors.GenericError(f"Unknown console type '{kind}'")
    return 0


_SUBMIT = (*options.SUBMIT_OPTS, options.DRY_RUN, options.PRIORITY)
_ADD_OPTS = (
    options.BACKEND,
    options.DISK,
    iopts.DISK_TEMPLATE,
    iopts.FILESTORE_DIR,
    iopts.FILESTORE_DRIVER,
    options.HYPERVISOR,
    iopts.IALLOCATOR,
    options.NET,
    iopts.NODE_PLACEMENT,
    options.NODEGROUP,
    iopts.NOIPCHECK,
    iopts.NOCONFLICTSCHECK,
    iopts.NONAMECHECK,
    iopts.NONICS,
    iopts.NWSYNC,
    options.OSPARAMS,
    iopts.OS_SIZE,
    iopts.TAG_ADD,
    iopts.NOSTART,
    iopts.OS,
    iopts.FORCE_VARIANT,
    iopts.NO_INSTALL,
    iopts.IGNORE_IPOLICY,
    *_SUBMIT,
)
_STARTUP_OPTS = (
    options.FORCE,
    FORCE_MULTI,
    *MODE_OPTS,
    *_SUBMIT,
    options.HVOPTS,
    options.BACKEND,
    iopts.IGNORE_OFFLINE,
    iopts.NO_REMEMBER,
    iopts.STARTUP_PAUSED,
)
_SHUTDOWN_OPTS = (
    options.FORCE,
    FORCE_MULTI,
    *MODE_OPTS,
    iopts.TIMEOUT,
    *_SUBMIT,
    iopts.IGNORE_OFFLINE,
    iopts.NO_REMEMBER,
)
_REBOOT_OPTS = (
    FORCE_MULTI,
    iopts.REBOOT_TYPE,
    iopts.IGNORE_SECONDARIES,
    *MODE_OPTS,
    iopts.SHUTDOWN_TIMEOUT,
    *_SUBMIT,
)
_MODIFY_OPTS = (
    options.BACKEND,
    options.DISK,
    options.FORCE,
    options.HVOPTS,
    options.NET,
    *_SUBMIT,
    iopts.DISK_TEMPLATE,
    iopts.OS,
    iopts.FORCE_VARIANT,
    options.OSPARAMS,
    iopts.NWSYNC,
    iopts.OFFLINE_INST,
    iopts.ONLINE_INST,
    iopts.IGNORE_IPOLICY,
    iopts.RUNTIME_MEM,
    iopts.NOCONFLICTSCHECK,
    iopts.NEW_PRIMARY,
    iopts.FILESTORE_DRIVER,
    iopts.FILESTORE_DIR,
)

COMMANDS: dict[str, Command] = {
    "add": Command(
        add_instance,
        1,
        1,
        _ADD_OPTS,
        "[...] -t disk-type -n node[:secondary-node] -o os-type <instance-name>",
        "Creates and adds a new instance to the cluster",
    ),
    "console": Command(
        console_instance,
        1,
        1,
        (iopts.SHOWCMD, iopts.SHOWLOG, options.PRIORITY),
        "[--show-cmd | --show-log] <instance-name>",
        "Opens a console on the specified instance",
    ),
    "info": Command(
        show_instance_info,
        0,
        None,
        (iopts.STATIC, iopts.ALL, options.ROMAN, options.PRIORITY),
        "[-s] {--all | <instance-name>...}",
        "Show information on the specified instance(s)",
    ),
    "list": Command(
        list_instances,
        0,
        None,
        options.LIST_OPTS,
        "[<instance-name>...]",
        "Lists the instances and their status. The available fields can be"
        ' shown using the "list-fields" command (see the man page for details).'
        f" The default field list is (in order): {', '.join(LIST_DEF_FIELDS)}.",
    ),
    "list-fields": Command(
        list_instance_fields,
        0,
        None,
        (options.NOHDR, options.SEP),
        "[fields...]",
        "Lists all available fields for instances",
    ),
    "reinstall": Command(
        reinstall_instance,
        0,
        None,
        (
            options.FORCE,
            iopts.OS,
            iopts.FORCE_VARIANT,
            FORCE_MULTI,
            *MODE_OPTS,
            *_SUBMIT,
            options.OSPARAMS,
        ),
        "[-f] <instance>",
        "Reinstall a stopped instance",
    ),
    "remove": Command(
        remove_instance,
        1,
        1,
        (options.FORCE, iopts.SHUTDOWN_TIMEOUT, iopts.IGNORE_FAILURES, *_SUBMIT),
        "[-f] <instance-name>",
        "Shuts down the instance and removes it",
    ),
    "rename": Command(
        rename_instance,
        2,
        2,
        (options.FORCE, iopts.NOIPCHECK, iopts.NONAMECHECK, *_SUBMIT),
        "<old-name> <new-name>",
        "Rename the instance",
    ),
    "modify": Command(
        modify_instance,
        1,
        1,
        _MODIFY_OPTS,
        "<instance-name>",
        "Alters the parameters of an instance",
    ),
    "shutdown": Command(
        _many_ops("shutdown", _shutdown_op),
        0,
        None,
        _SHUTDOWN_OPTS,
        "<instance>",
        "Stops an instance",
    ),
    "startup": Command(
        _many_ops("startup", _startup_op),
        0,
        None,
        _STARTUP_OPTS,
        "<instance>",
        "Starts an instance",
    ),
    "reboot": Command(
        _many_ops("reboot", _reboot_op), 0, None, _REBOOT_OPTS, "<instance>", "Reboots an instance"
    ),
    "activate-disks": Command(
        activate_disks,
        1,
        1,
        (*options.SUBMIT_OPTS, iopts.IGNORE_SIZE, options.PRIORITY, iopts.WFSYNC),
        "<instance-name>",
        "Activate an instance's disks",
    ),
    "deactivate-disks": Command(
        deactivate_disks,
        1,
        1,
        (options.FORCE, *_SUBMIT),
        "[-f] <instance-name>",
        "Deactivate an instance's disks",
    ),
    **tag_commands("instance", "instance"),
}
ALIASES = {"start": "startup", "stop": "shutdown", "show": "info"}


def main(argv: list[str] | None = None) -> int:
    return run("gnt-instance", COMMANDS, argv, ALIASES)

"""The node RPC table: every call's name, named arguments, timeout class and implementation.

Wire: POST /<name> with a JSON object of the arguments; the reply is
{"success": true, "result": ...} or {"success": false, "error": [error class, args]}.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from pyganeti import errors


class Timeout(IntEnum):
    """Seconds the client waits for a reply, by Ganeti's classes of calls."""

    FAST = 10
    NORMAL = 60
    SLOW = 900  # OS installs and other long scripts


_KINDS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "number": (int, float),
    "dict": (dict,),
    "list": (list,),
    "any": (object,),
}

_REQUIRED = object()


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str  # a key of _KINDS, optionally with "?" for "may be null"
    doc: str
    default: Any = _REQUIRED

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def check(self, call: str, value: Any) -> None:
        kind = self.kind.rstrip("?")
        if value is None and self.kind.endswith("?"):
            return
        ok = isinstance(value, _KINDS[kind])
        if ok and kind in ("int", "number") and isinstance(value, bool):
            ok = False
        if not ok:
            raise errors.ProgrammerError(
                f"RPC {call}: argument {self.name} must be {kind}, not {type(value).__name__}"
            )


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Arg, ...]
    timeout: Timeout
    impl: str  # "module:function" run on the node as function(ctx, **args)
    doc: str
    # Name of an argument (seconds) added to the timeout, for calls whose length it sets.
    timeout_arg: str | None = None

    def timeout_for(self, bound: dict[str, Any]) -> float:
        """Seconds to wait for the reply to a call with these (bound) arguments."""
        extra = bound.get(self.timeout_arg) if self.timeout_arg else None
        return float(self.timeout) + (float(extra) if isinstance(extra, (int, float)) else 0.0)

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Checked arguments with defaults filled; ProgrammerError naming what is wrong."""
        known = {a.name for a in self.args}
        unknown = sorted(set(given) - known)
        if unknown:
            raise errors.ProgrammerError(
                f"RPC {self.name}: unknown argument(s) {', '.join(unknown)}"
            )
        bound: dict[str, Any] = {}
        for arg in self.args:
            if arg.name in given:
                arg.check(self.name, given[arg.name])
                bound[arg.name] = given[arg.name]
            elif arg.required:
                raise errors.ProgrammerError(f"RPC {self.name}: missing argument {arg.name}")
            else:
                bound[arg.name] = arg.default
        return bound


_INST = Arg("instance", "dict", "instance object (Ganeti objects layout, params filled)")
_DISK = Arg("disk", "dict", "disk object (uuid, dev_type, size, logical_id, ...)")
_N = "pyganeti.node"


def _call(
    name: str,
    args: list[Arg],
    timeout: Timeout,
    impl: str,
    doc: str,
    timeout_arg: str | None = None,
) -> Call:
    return Call(name, tuple(args), timeout, f"{_N}.{impl}", doc, timeout_arg)


_TABLE = [
    _call("version", [], Timeout.FAST, "info:version", "node RPC protocol version"),
    _call(
        "test_delay",
        [Arg("duration", "number", "seconds to sleep")],
        Timeout.FAST,
        "debug:test_delay",
        "sleep on the node (OP_TEST_DELAY)",
        timeout_arg="duration",
    ),
    _call(
        "node_info",
        [
            Arg("storage_units", "list", "[[type, key, params]] to report space for", []),
            Arg("hv_names", "list", "hypervisors to report on", []),
        ],
        Timeout.FAST,
        "info:node_info",
        "boot id, memory, cpus, storage space and per-hypervisor info",
    ),
    _call(
        "node_verify",
        [Arg("checks", "dict", "{check name: argument}")],
        Timeout.NORMAL,
        "info:node_verify",
        "run node health checks, return findings per check",
    ),
    _call(
        "instance_start",
        [_INST, Arg("startup_paused", "bool", "start with CPUs paused", False)],
        Timeout.NORMAL,
        "instances:instance_start",
        "start an instance",
    ),
    _call(
        "instance_shutdown",
        [_INST, Arg("timeout", "int", "seconds before a forced stop", 120)],
        Timeout.NORMAL,
        "instances:instance_shutdown",
        "stop an instance (success if already stopped)",
        # The call may legitimately last as long as the shutdown timeout.
        timeout_arg="timeout",
    ),
    _call(
        "instance_reboot",
        [
            _INST,
            Arg("reboot_type", "str", "soft, hard or full"),
            Arg("shutdown_timeout", "int", "seconds before a forced stop", 120),
        ],
        Timeout.NORMAL,
        "instances:instance_reboot",
        "reboot a running instance",
        timeout_arg="shutdown_timeout",
    ),
    _call(
        "instance_info",
        [
            Arg("instance_name", "str", "instance name"),
            Arg("hypervisor", "str", "hypervisor name"),
            Arg("hvparams", "dict", "hypervisor parameters", {}),
        ],
        Timeout.FAST,
        "instances:instance_info",
        "{memory, vcpus, state, time} or {} if not running",
    ),
    _call(
        "all_instances_info",
        [
            Arg("hypervisors", "list", "hypervisor names"),
            Arg("all_hvparams", "dict", "{hypervisor: hvparams}", {}),
        ],
        Timeout.FAST,
        "instances:all_instances_info",
        "{name: {memory, vcpus, state, time}} of all instances the hypervisors know",
    ),
    _call(
        "instance_list",
        [
            Arg("hypervisors", "list", "hypervisor names"),
            Arg("all_hvparams", "dict", "{hypervisor: hvparams}", {}),
        ],
        Timeout.FAST,
        "instances:instance_list",
        "sorted names of instances known to the hypervisors",
    ),
    _call(
        "instance_console_info",
        [_INST],
        Timeout.FAST,
        "instances:instance_console_info",
        "how to reach the instance console ({instance, kind, ...})",
    ),
    _call(
        "fake_user_shutdown",
        [Arg("instance_name", "str", "instance name")],
        Timeout.FAST,
        "instances:fake_user_shutdown",
        "fake hypervisor only: simulate a guest shutting itself down",
    ),
    _call(
        "instance_console_log",
        [
            Arg("instance_name", "str", "instance name"),
            Arg("hypervisor", "str", "hypervisor name"),
            Arg("max_bytes", "int", "return at most this many (last) bytes", 1 << 20),
            Arg("with_backups", "bool", "include rotated backups, oldest first", False),
        ],
        Timeout.FAST,
        "console:instance_console_log",
        "the serial console log of an instance (gnt-instance console --show-log)",
    ),
    _call(
        "instance_hypervisor_files_remove",
        [Arg("instance_name", "str", "instance name"), Arg("hypervisor", "str", "hypervisor")],
        Timeout.FAST,
        "console:instance_hypervisor_files_remove",
        "delete a removed instance's console logs and UEFI variables",
    ),
    _call(
        "accept_instance",
        [_INST, Arg("address", "str", "this node's address to receive the migration on")],
        Timeout.NORMAL,
        "migration:accept_instance",
        "migration target: start the instance waiting for its incoming state",
    ),
    _call(
        "instance_migrate",
        [
            _INST,
            Arg("target", "str", "the target node's address"),
            Arg("live", "bool", "live (True) or non-live migration"),
        ],
        Timeout.SLOW,
        "migration:instance_migrate",
        "migration source: send the instance, return once completed",
    ),
    _call(
        "instance_get_migration_status",
        [_INST],
        Timeout.FAST,
        "migration:instance_get_migration_status",
        "the hypervisor's migration status of the instance",
    ),
    _call(
        "instance_finalize_migration_dst",
        [_INST, Arg("success", "bool", "whether the migration succeeded")],
        Timeout.NORMAL,
        "migration:instance_finalize_migration_dst",
        "migration target: run the instance (success) or discard it",
    ),
    _call(
        "instance_finalize_migration_src",
        [
            _INST,
            Arg("success", "bool", "whether the migration succeeded"),
            Arg("live", "bool", "whether it was a live migration"),
        ],
        Timeout.NORMAL,
        "migration:instance_finalize_migration_src",
        "migration source: stop the old VM (success) or resume it",
    ),
    _call(
        "blockdev_create",
        [
            _DISK,
            Arg("size", "int", "size in MiB"),
            Arg("on_primary", "bool", "whether this is the instance's primary node", True),
            Arg("exclusive_storage", "bool", "exclusive storage wanted", False),
            Arg("instance_name", "str", "owning instance (for logs and tags)", ""),
        ],
        Timeout.NORMAL,
        "storage:blockdev_create",
        "create a disk; returns its path",
    ),
    _call("blockdev_remove", [_DISK], Timeout.NORMAL, "storage:blockdev_remove", "remove a disk"),
    _call(
        "blockdev_rename",
        [_DISK, Arg("new_logical_id", "list", "the disk's new logical_id")],
        Timeout.NORMAL,
        "storage:blockdev_rename",
        "rename a disk to a new logical_id",
    ),
    _call(
        "blockdev_grow",
        [
            _DISK,
            Arg("amount", "int", "MiB to add"),
            Arg("dryrun", "bool", "only check that it would work", False),
        ],
        Timeout.NORMAL,
        "storage:blockdev_grow",
        "grow a disk",
    ),
    _call(
        "blockdev_getsize",
        [Arg("disks", "list", "disk objects")],
        Timeout.FAST,
        "storage:blockdev_getsize",
        "size in MiB of each disk (null when absent)",
    ),
    _call(
        "blockdev_assemble",
        [_DISK],
        Timeout.NORMAL,
        "storage:blockdev_assemble",
        "make a disk usable; returns its path",
    ),
    _call(
        "blockdev_shutdown", [_DISK], Timeout.NORMAL, "storage:blockdev_shutdown", "release a disk"
    ),
    _call(
        "file_storage_dir_create",
        [Arg("path", "str", "directory")],
        Timeout.FAST,
        "storage:file_storage_dir_create",
        "create an instance's file storage directory",
    ),
    _call(
        "file_storage_dir_remove",
        [Arg("path", "str", "directory")],
        Timeout.FAST,
        "storage:file_storage_dir_remove",
        "remove an (empty) file storage directory",
    ),
    _call(
        "file_storage_dir_rename",
        [Arg("old_path", "str", "directory"), Arg("new_path", "str", "new directory")],
        Timeout.FAST,
        "storage:file_storage_dir_rename",
        "rename a file storage directory",
    ),
    _call(
        "instance_os_add",
        [
            _INST,
            Arg("reinstall", "bool", "reinstalling an existing instance", False),
            Arg("debug", "int", "OS script debug level", 0),
        ],
        Timeout.SLOW,
        "os:instance_os_add",
        "run the OS create script; returns the log file path",
    ),
    _call(
        "instance_run_rename",
        [
            _INST,
            Arg("old_name", "str", "the instance's previous name"),
            Arg("debug", "int", "OS script debug level", 0),
        ],
        Timeout.SLOW,
        "os:instance_run_rename",
        "run the OS rename script; returns the log file path",
    ),
    _call("os_diagnose", [], Timeout.FAST, "os:os_diagnose", "every OS found, valid or not"),
    _call(
        "os_get",
        [Arg("name", "str", "OS name (variant allowed)")],
        Timeout.FAST,
        "os:os_get",
        "one valid OS",
    ),
    _call(
        "os_validate",
        [
            Arg("required", "bool", "fail if the OS is missing"),
            Arg("name", "str", "OS name (variant allowed)"),
            Arg("checks", "list", "validation checks (parameters)", []),
            Arg("osparams", "dict", "OS parameters", {}),
        ],
        Timeout.NORMAL,
        "os:os_validate",
        "validate OS parameters (False if absent and not required)",
    ),
    _call(
        "hooks_runner",
        [
            Arg("hpath", "str", "hooks path, e.g. instance-start"),
            Arg("phase", "str", "pre or post"),
            Arg("env", "dict", "GANETI_* environment"),
        ],
        Timeout.NORMAL,
        "hooks:hooks_runner",
        "[[script, success|fail|skip, output]]",
    ),
    _call(
        "write_ssconf_files",
        [Arg("values", "dict", "{ssconf key: value}")],
        Timeout.FAST,
        "files:write_ssconf_files",
        "write ssconf_<key> files",
    ),
    _call(
        "upload_file",
        [
            Arg("path", "str", "absolute path of an allow-listed cluster file"),
            Arg("content", "str", "file content (text)"),
            Arg("mode", "int", "permission bits", 0o644),
        ],
        Timeout.NORMAL,
        "files:upload_file",
        "overwrite a cluster file",
    ),
]

CALLS: dict[str, Call] = {c.name: c for c in _TABLE}


def get_call(name: str) -> Call:
    call = CALLS.get(name)
    if call is None:
        raise errors.ProgrammerError(f"unknown node RPC call {name!r}")
    return call

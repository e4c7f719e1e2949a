"""Option definitions shared by the gnt-* tools: one Opt per Ganeti option, declared once.

Each Opt carries argparse's flags and keyword arguments; commands list the Opts they
accept, as Ganeti's command tables list cli_opts entries.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from pyganeti import errors
from pyganeti.cli import params
from pyganeti.cli import units as cli_units

# Ganeti's --priority names and opcode priority values.
PRIORITY_NAMES = {"low": 10, "normal": 0, "high": -10}
DISK_TEMPLATES = (
    "diskless",
    "file",
    "sharedfile",
    "plain",
    "blockdev",
    "drbd",
    "ext",
    "rbd",
    "gluster",
)


@dataclass(frozen=True)
class Opt:
    """One command line option: argparse flags plus add_argument keyword arguments."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(*self.flags, **self.kwargs)


def opt(*flags: str, **kwargs: Any) -> Opt:
    return Opt(tuple(flags), kwargs)


# --- value types (argparse "type=" callables) ------------------------------
# ParameterError escapes argparse on purpose: Ganeti reports bad key=val syntax as
# "Failure: unknown/wrong parameter name ..." with exit code 1, not as a usage error.
def _keyval_type(flag: str) -> Any:
    def parse(value: str) -> dict[str, Any]:
        return params.split_key_val(flag, value)

    parse.__name__ = "key=value list"
    return parse


def _identkeyval_type(flag: str) -> Any:
    def parse(value: str) -> tuple[str, Any]:
        return params.split_ident_key_val(flag, value)

    parse.__name__ = "ident:key=value list"
    return parse


def bool_type(value: str) -> bool:
    try:
        return params.parse_bool(value)
    except errors.ParameterError:
        raise argparse.ArgumentTypeError(f"invalid yes/no value: '{value}'") from None


def unit_type(value: str) -> int:
    try:
        return cli_units.parse_unit(value)
    except errors.UnitParseError as err:
        raise argparse.ArgumentTypeError(f"invalid size '{value}': {err}") from None


def priority_type(value: str) -> int:
    try:
        return PRIORITY_NAMES[value]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"invalid choice: '{value}' (choose from {', '.join(PRIORITY_NAMES)})"
        ) from None


# --- common to every command ------------------------------------------------
DEBUG = opt("-d", "--debug", default=0, action="count", help="Increase debugging level")
REASON = opt("--reason", default=None, help="The reason for executing the command")
ROOT = opt(
    "--root",
    default=None,
    metavar="DIR",
    help="Root directory of the cluster's files (default: $GANETI_ROOT or /)",
)
COMMON = (DEBUG, REASON, ROOT)

# --- output of list commands ------------------------------------------------
NOHDR = opt(
    "--no-headers",
    default=False,
    action="store_true",
    dest="no_headers",
    help="Don't display column headers",
)
SEP = opt(
    "--separator",
    default=None,
    dest="separator",
    help="Separator between output fields (defaults to one space)",
)
UNITS = opt(
    "--units",
    default=None,
    dest="units",
    choices=("h", "m", "g", "t"),
    help="Specify units for output (one of h/m/g/t)",
)
FIELDS = opt(
    "-o",
    "--output",
    dest="output",
    metavar="FIELDS",
    help="Comma separated list of output fields (prefix with + to add to the default list)",
)
VERBOSE = opt(
    "-v",
    "--verbose",
    default=False,
    action="store_true",
    help="Increase the verbosity of the operation",
)
FORCE_FILTER = opt(
    "-F",
    "--filter",
    dest="force_filter",
    default=False,
    action="store_true",
    help="Whether command argument should be treated as filter",
)
LIST_OPTS = (NOHDR, SEP, UNITS, FIELDS, VERBOSE, FORCE_FILTER)
ROMAN = opt(
    "--roman",
    dest="roman_integers",
    default=False,
    action="store_true",
    help="Use roman numbers for positive integers (accepted, printed as arabic)",
)

# --- job submission ---------------------------------------------------------
SUBMIT = opt(
    "--submit",
    dest="submit_only",
    default=False,
    action="store_true",
    help="Submit the job and return the job ID, but don't wait for the job to finish",
)
PRINT_JOBID = opt(
    "--print-jobid",
    dest="print_jobid",
    default=False,
    action="store_true",
    help="Additionally print the job as first line on stdout (for scripting)",
)
SUBMIT_OPTS = (SUBMIT, PRINT_JOBID)
DRY_RUN = opt(
    "--dry-run",
    default=False,
    action="store_true",
    help="Do not execute the operation, just run the check steps",
)
PRIORITY = opt(
    "--priority",
    default=None,
    dest="priority",
    type=priority_type,
    metavar="low|normal|high",
    help="Priority for opcode processing",
)
FORCE = opt(
    "-f", "--force", dest="force", default=False, action="store_true", help="Force the operation"
)
YES_DOIT = opt(
    "--yes-do-it",
    "--ya-rly",
    dest="yes_do_it",
    default=False,
    action="store_true",
    help="Really do it",
)
TAG_SRC = opt("--from", dest="tags_source", default=None, help="File with tag names")

# --- parameter dictionaries -------------------------------------------------
BACKEND = opt(
    "-B",
    "--backend-parameters",
    dest="beparams",
    type=_keyval_type("-B"),
    default={},
    help="Backend parameters",
)
HVLIST = opt(
    "-H",
    "--hypervisor-parameters",
    dest="hvparams",
    action="append",
    default=[],
    type=_identkeyval_type("-H"),
    help="Hypervisor and hypervisor options, in the format"
    " hypervisor:option=value,option=value,...",
)
HVOPTS = opt(
    "-H",
    "--hypervisor-parameters",
    dest="hvparams",
    type=_keyval_type("-H"),
    default={},
    help="Hypervisor parameters",
)
HYPERVISOR = opt(
    "-H",
    "--hypervisor-parameters",
    dest="hypervisor",
    default=None,
    type=_identkeyval_type("-H"),
    help="Hypervisor and hypervisor options, in the format"
    " hypervisor:option=value,option=value,...",
)
NIC_PARAMS = opt(
    "-N",
    "--nic-parameters",
    dest="nicparams",
    type=_keyval_type("-N"),
    default={},
    help="NIC parameters",
)
NODE_PARAMS = opt(
    "--node-parameters",
    dest="ndparams",
    type=_keyval_type("--node-parameters"),
    default=None,
    help="Node parameters",
)
DISK_PARAMS = opt(
    "-D",
    "--disk-parameters",
    dest="diskparams",
    action="append",
    default=[],
    type=_identkeyval_type("-D"),
    help="Disk template parameters, in the format template:option=value,option=value,...",
)
OSPARAMS = opt(
    "-O",
    "--os-parameters",
    dest="osparams",
    type=_keyval_type("-O"),
    default={},
    help="OS parameters",
)
DISK = opt(
    "--disk",
    dest="disks",
    action="append",
    default=[],
    type=_identkeyval_type("--disk"),
    help="Disk parameters",
)
NET = opt(
    "--net",
    dest="nics",
    action="append",
    default=[],
    type=_identkeyval_type("--net"),
    help="NIC parameters",
)

# --- cluster-wide settings (init and modify) --------------------------------
ENABLED_HV = opt(
    "--enabled-hypervisors",
    dest="enabled_hypervisors",
    default=None,
    help="Comma-separated list of hypervisors",
)
ENABLED_DISK_TEMPLATES = opt(
    "--enabled-disk-templates",
    dest="enabled_disk_templates",
    default=None,
    help="Comma-separated list of disk templates",
)
GLOBAL_FILEDIR = opt(
    "--file-storage-dir",
    dest="file_storage_dir",
    default=None,
    metavar="DIR",
    help="Default directory (cluster-wide) for storing file-based disks",
)
GLOBAL_SHARED_FILEDIR = opt(
    "--shared-file-storage-dir",
    dest="shared_file_storage_dir",
    default=None,
    metavar="SHAREDDIR",
    help="Default directory (cluster-wide) for shared file disks",
)
MAC_PREFIX = opt(
    "-m",
    "--mac-prefix",
    dest="mac_prefix",
    default=None,
    metavar="PREFIX",
    help="MAC prefix for instance NICs, in the format XX:XX:XX",
)
MASTER_NETDEV = opt(
    "--master-netdev",
    dest="master_netdev",
    default=None,
    metavar="NETDEV",
    help="Node interface on which the master IP address is added",
)
CP_SIZE = opt(
    "-C",
    "--candidate-pool-size",
    dest="candidate_pool_size",
    default=None,
    type=int,
    help="Set the candidate pool size",
)
SECONDARY_IP = opt(
    "-s",
    "--secondary-ip",
    dest="secondary_ip",
    default=None,
    metavar="ADDRESS",
    help="Specify the secondary ip for the node",
)
VG_NAME = opt(
    "--vg-name",
    dest="vg_name",
    default=None,
    metavar="VG",
    help="Enables LVM and specifies the volume group name (cluster-wide)",
)
NO_LVM_STORAGE = opt(
    "--no-lvm-storage",
    dest="vg_name",
    action="store_const",
    const="",
    help='Disable LVM storage (same as --vg-name="")',
)
ENABLED_USER_SHUTDOWN = opt(
    "--user-shutdown",
    dest="enabled_user_shutdown",
    default=None,
    type=bool_type,
    metavar="yes|no",
    help="Whether user shutdown is enabled",
)
NOMODIFY_ETCHOSTS = opt(
    "--no-etc-hosts",
    dest="modify_etc_hosts",
    default=True,
    action="store_false",
    help="Don't modify /etc/hosts",
)
MODIFY_ETCHOSTS = opt(
    "--modify-etc-hosts",
    dest="modify_etc_hosts",
    default=None,
    type=bool_type,
    metavar="yes|no",
    help="Defines whether the cluster should autonomously modify"
    " and keep in sync the /etc/hosts file of the nodes",
)
NOMODIFY_SSH_SETUP = opt(
    "--no-ssh-init",
    dest="modify_ssh_setup",
    default=True,
    action="store_false",
    help="Don't initialize SSH keys",
)
NODEGROUP = opt(
    "-g",
    "--node-group",
    dest="nodegroup",
    default=None,
    metavar="<nodegroup>",
    help="Node group (name or uuid)",
)

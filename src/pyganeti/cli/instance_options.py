"""Options of the instance commands (gnt-instance add, startup, modify, ...)."""

from __future__ import annotations

from pyganeti.cli.options import DISK_TEMPLATES, opt, unit_type

DEFAULT_SHUTDOWN_TIMEOUT = 120
REBOOT_TYPES = ("soft", "hard", "full")
FILE_DRIVERS = ("loop", "blktap", "blktap2")

OS = opt("-o", "--os-type", dest="os", default=None, metavar="<os>", help="What OS to run")
NODE_PLACEMENT = opt(
    "-n",
    "--node",
    dest="node",
    default=None,
    metavar="<pnode>[:<snode>]",
    help="Target node and optional secondary node",
)
DISK_TEMPLATE = opt(
    "-t",
    "--disk-template",
    dest="disk_template",
    default=None,
    metavar="TEMPL",
    choices=DISK_TEMPLATES,
    help=f"Custom disk setup ({', '.join(DISK_TEMPLATES)})",
)
OS_SIZE = opt(
    "-s",
    "--os-size",
    dest="sd_size",
    default=None,
    type=unit_type,
    metavar="<size>",
    help="Enforces a single-disk configuration using the given disk size,"
    " in MiB unless a suffix is used",
)
NONICS = opt(
    "--no-nics",
    dest="no_nics",
    default=False,
    action="store_true",
    help="Do not create any network cards for the instance",
)
NOSTART = opt(
    "--no-start",
    dest="start",
    default=True,
    action="store_false",
    help="Don't start the instance after creation",
)
NO_INSTALL = opt(
    "--no-install",
    dest="no_install",
    default=False,
    action="store_true",
    help="Do not install the OS (will enable no-start)",
)
NOIPCHECK = opt(
    "--no-ip-check",
    dest="ip_check",
    default=True,
    action="store_false",
    help="Don't check that the instance's IP is alive",
)
NONAMECHECK = opt(
    "--no-name-check",
    dest="name_check",
    default=True,
    action="store_false",
    help="Don't check that the instance's name is resolvable",
)
NOCONFLICTSCHECK = opt(
    "--no-conflicts-check",
    dest="conflicts_check",
    default=True,
    action="store_false",
    help="Don't check for conflicting IPs",
)
FILESTORE_DIR = opt(
    "--file-storage-dir",
    dest="file_storage_dir",
    default=None,
    metavar="<DIR>",
    help="Relative path under default cluster-wide file storage dir",
)
FILESTORE_DRIVER = opt(
    "--file-driver",
    dest="file_driver",
    default=None,
    choices=FILE_DRIVERS,
    help="Driver to use for image files",
)
IALLOCATOR = opt(
    "-I",
    "--iallocator",
    dest="iallocator",
    default=None,
    metavar="<NAME>",
    help="Select nodes for the instance automatically using the <NAME> iallocator plugin",
)
WFSYNC = opt(
    "--wait-for-sync",
    dest="wait_for_sync",
    default=False,
    action="store_true",
    help="Wait for disks to sync",
)
NWSYNC = opt(
    "--no-wait-for-sync",
    dest="wait_for_sync",
    default=True,
    action="store_false",
    help="Don't wait for sync (DANGEROUS!)",
)
FORCE_VARIANT = opt(
    "--force-variant",
    dest="force_variant",
    default=False,
    action="store_true",
    help="Force an unknown variant",
)
TAG_ADD = opt("--tags", dest="tags", default=None, help="Comma-separated list of instance tags")
IGNORE_IPOLICY = opt(
    "--ignore-ipolicy",
    dest="ignore_ipolicy",
    default=False,
    action="store_true",
    help="Ignore instance policy violations",
)
TIMEOUT = opt(
    "--timeout",
    dest="timeout",
    type=int,
    default=DEFAULT_SHUTDOWN_TIMEOUT,
    help="Maximum time (in seconds) to wait",
)
SHUTDOWN_TIMEOUT = opt(
    "--shutdown-timeout",
    dest="shutdown_timeout",
    type=int,
    default=DEFAULT_SHUTDOWN_TIMEOUT,
    help="Maximum time (in seconds) to wait for instance shutdown",
)
NO_REMEMBER = opt(
    "--no-remember",
    dest="no_remember",
    default=False,
    action="store_true",
    help="Perform but do not record the change in the configuration",
)
IGNORE_OFFLINE = opt(
    "--ignore-offline",
    dest="ignore_offline",
    default=False,
    action="store_true",
    help="Ignore offline nodes and do as much as possible",
)
STARTUP_PAUSED = opt(
    "--paused",
    dest="startup_paused",
    default=False,
    action="store_true",
    help="Pause instance at startup",
)
REBOOT_TYPE = opt(
    "-t",
    "--type",
    dest="reboot_type",
    default="hard",
    choices=REBOOT_TYPES,
    metavar="<REBOOT>",
    help="Type of reboot: soft/hard/full",
)
IGNORE_SECONDARIES = opt(
    "--ignore-secondaries",
    dest="ignore_secondaries",
    default=False,
    action="store_true",
    help="Ignore errors from secondaries",
)
IGNORE_FAILURES = opt(
    "--ignore-failures",
    dest="ignore_failures",
    default=False,
    action="store_true",
    help="Remove the instance from the cluster configuration even if"
    " there are failures during the removal process",
)
IGNORE_SIZE = opt(
    "--ignore-size",
    dest="ignore_size",
    default=False,
    action="store_true",
    help="Ignore current recorded size",
)
SHOWCMD = opt(
    "--show-cmd",
    dest="show_command",
    default=False,
    action="store_true",
    help="Show command instead of executing it",
)
SHOWLOG = opt(
    "--show-log",
    dest="show_log",
    default=False,
    action="store_true",
    help="Print the instance's console log (with its rotated backups) instead of attaching",
)
STATIC = opt(
    "-s",
    "--static",
    dest="static",
    default=False,
    action="store_true",
    help="Only show configuration data, not runtime data",
)
ALL = opt(
    "--all",
    dest="show_all",
    default=False,
    action="store_true",
    help="Show info on all instances on the cluster",
)
OFFLINE_INST = opt(
    "--offline",
    dest="offline_inst",
    default=False,
    action="store_true",
    help="Disable down instance",
)
ONLINE_INST = opt(
    "--online",
    dest="online_inst",
    default=False,
    action="store_true",
    help="Enable offline instance",
)
NEW_PRIMARY = opt(
    "--new-primary",
    dest="new_primary_node",
    default=None,
    metavar="<node>",
    help="Specifies the new primary node",
)
RUNTIME_MEM = opt(
    "-m",
    "--runtime-memory",
    dest="runtime_mem",
    default=None,
    type=unit_type,
    help="Change the runtime memory of the instance",
)

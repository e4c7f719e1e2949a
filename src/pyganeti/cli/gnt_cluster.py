"""gnt-cluster: initialise, inspect, verify, modify and destroy the cluster."""

from __future__ import annotations

import importlib
import time
from typing import Any

from pyganeti import CONFIG_VERSION, GANETI_COMPAT_VERSION, PROTOCOL_VERSION, __version__, errors
from pyganeti.cli import jobs, options, params, paramtypes
from pyganeti.cli.cluster_info import cluster_info
from pyganeti.cli.dispatch import Command, run
from pyganeti.cli.generic_info import generic_info_text
from pyganeti.cli.session import Session
from pyganeti.cli.tags import TAG_CLUSTER, tag_commands

OS_API_VERSION = 20
EXPORT_VERSION = 0


def _bootstrap() -> Any:
    # Imported on use: only init and destroy need it, and it pulls in the whole
    # configuration and daemon machinery.
    try:
        return importlib.import_module("pyganeti.bootstrap")
    except ModuleNotFoundError as err:
        if err.name != "pyganeti.bootstrap":
            raise
        raise errors.OpExecError(
            "Cluster bootstrap is not available in this installation"
            " (module pyganeti.bootstrap is missing)"
        ) from None


def _split_list(value: str | None) -> list[str] | None:
    return None if value is None else params.parse_list(value)


def _group_dict(opt_name: str, groups: list[tuple[str, Any]]) -> dict[str, Any]:
    """-H/-D "ident:k=v" values into {ident: {k: v}}, refusing repeated idents."""
    result: dict[str, Any] = {}
    for ident, values in groups:
        if ident in result:
            raise errors.ParameterError(f"Duplicated parameter group '{ident}' in {opt_name}")
        result[ident] = values
    return result


def init_cluster(s: Session) -> int:
    diskparams = _group_dict("-D", s.opts.diskparams)
    unknown = sorted(set(diskparams) - set(options.DISK_TEMPLATES))
    if unknown:
        s.stderr(f"Disk templates unknown: {', '.join(unknown)}")
        return 1
    bootstrap = _bootstrap()
    kwargs: dict[str, Any] = {
        "cluster_name": s.args[0],
        "master_netdev": s.opts.master_netdev,
        "hvparams": _group_dict("-H", s.opts.hvparams),
        "beparams": paramtypes.force_dict_type(s.opts.beparams, paramtypes.BES_PARAMETER_COMPAT),
        "nicparams": s.opts.nicparams,
        "ndparams": s.opts.ndparams or {},
        "diskparams": diskparams,
        "enabled_disk_templates": _split_list(s.opts.enabled_disk_templates),
        "file_storage_dir": s.opts.file_storage_dir,
        "shared_file_storage_dir": s.opts.shared_file_storage_dir,
        "secondary_ip": s.opts.secondary_ip,
        "modify_etc_hosts": s.opts.modify_etc_hosts,
        "user_shutdown": bool(s.opts.enabled_user_shutdown),
        "vg_name": s.opts.vg_name,
    }
    if s.opts.enabled_hypervisors is not None:
        kwargs["enabled_hypervisors"] = params.parse_list(s.opts.enabled_hypervisors)
    if s.opts.mac_prefix is not None:
        kwargs["mac_prefix"] = s.opts.mac_prefix
    if s.opts.candidate_pool_size is not None:
        kwargs["candidate_pool_size"] = s.opts.candidate_pool_size
    bootstrap.init_cluster(s.paths, bootstrap.InitOptions(**kwargs))
    # Ganeti finishes with OP_CLUSTER_POST_INIT (runs the post-init hooks) once the
    # master daemons are up; init_cluster starts them when it can.
    if s.paths.luxi_socket.exists():
        jobs.submit_opcode(s, jobs.opcode("OP_CLUSTER_POST_INIT"))
    return 0


def destroy_cluster(s: Session) -> int:
    if not s.opts.yes_do_it:
        s.stderr(
            "Destroying a cluster is irreversible. If you really want destroy this"
            " cluster, supply the --yes-do-it option."
        )
        return 1
    jobs.submit_opcode(s, jobs.opcode("OP_CLUSTER_DESTROY"))
    s.close()
    _bootstrap().finalize_destroy(s.paths)
    return 0


def show_version(s: Session) -> int:
    release = ".".join(str(p) for p in GANETI_COMPAT_VERSION)
    s.stdout(f"Software version: {release}")
    s.stdout(f"Internode protocol: {PROTOCOL_VERSION}")
    s.stdout(f"Configuration format: {CONFIG_VERSION}")
    s.stdout(f"OS api version: {OS_API_VERSION}")
    s.stdout(f"Export interface: {EXPORT_VERSION}")
    s.stdout(f"VCS version: pyganeti {__version__}")
    return 0


def show_master(s: Session) -> int:
    ssconf = s.paths.ssconf_file("master_node")
    try:
        master = ssconf.read_text().strip()
    except FileNotFoundError:
        raise (
            s.unreachable()
            if not s.paths.config_file.exists()
            else errors.ConfigurationError(f"Cannot read the master node name from {ssconf}")
        ) from None
    s.stdout(master)
    return 0


def show_info(s: Session) -> int:
    result = s.client().query_cluster_info()
    s.stdout(generic_info_text(cluster_info(result, s.paths)))
    return 0


def verify_cluster(s: Session) -> int:
    skip = ["nplusone_mem"] if s.opts.skip_nplusone_mem else []
    op = jobs.opcode(
        "OP_CLUSTER_VERIFY",
        verbose=s.opts.verbose,
        error_codes=s.opts.error_codes,
        debug_simulate_errors=s.opts.simulate_errors,
        skip_checks=skip,
        ignore_errors=s.opts.ignore_errors,
        group_name=s.opts.nodegroup,
        verify_clutter=s.opts.verify_clutter,
    )
    result = jobs.submit_opcode(s, op)
    results = jobs.wait_spawned_jobs(s, result)
    bad_jobs = sum(1 for ok, _ in results if not ok)
    # Each verify-group job returns [bool]: False means the group had errors.
    bad_results = sum(1 for ok, res in results if ok and not (res and res[0]))
    if bad_jobs:
        s.stdout(f"{bad_jobs} job(s) failed while verifying the cluster.")
    return 0 if bad_jobs == 0 and bad_results == 0 else 1


def redist_conf(s: Session) -> int:
    jobs.submit_or_send(s, jobs.opcode("OP_CLUSTER_REDIST_CONF"))
    return 0


def modify_cluster(s: Session) -> int:
    o = s.opts
    changes = {
        "vg_name": o.vg_name,
        "enabled_hypervisors": _split_list(o.enabled_hypervisors),
        "hvparams": _group_dict("-H", o.hvparams) or None,
        "beparams": (
            paramtypes.force_dict_type(o.beparams, paramtypes.BES_PARAMETER_COMPAT) or None
        ),
        "nicparams": o.nicparams or None,
        "ndparams": o.ndparams,
        "diskparams": _group_dict("-D", o.diskparams) or None,
        "candidate_pool_size": o.candidate_pool_size,
        "mac_prefix": o.mac_prefix,
        "master_netdev": o.master_netdev,
        "modify_etc_hosts": o.modify_etc_hosts,
        "enabled_disk_templates": _split_list(o.enabled_disk_templates),
        "file_storage_dir": o.file_storage_dir,
        "shared_file_storage_dir": o.shared_file_storage_dir,
        "enabled_user_shutdown": o.enabled_user_shutdown,
    }
    if all(v is None for v in changes.values()):
        s.stderr("Please give at least one of the parameters.")
        return 1
    result = jobs.submit_or_send(s, jobs.opcode("OP_CLUSTER_SET_PARAMS", force=o.force, **changes))
    results = jobs.wait_spawned_jobs(s, result)
    bad = [res for ok, res in results if not ok]
    for res in bad:
        s.stdout(f"Job failed, result is '{res}'.")
    if bad:
        s.stdout(f"{len(bad)} job(s) failed.")
        return 1
    return 0


def queue_ops(s: Session) -> int:
    command = s.args[0]
    cl = s.client()
    if command in ("drain", "undrain"):
        cl.set_queue_drain_flag(command == "drain")
    elif command == "info":
        flag = cl.query_config_values(["drain_flag"])[0]
        s.stdout(f"The drain flag is {'set' if flag else 'unset'}")
    else:
        raise errors.OpPrereqError(f"Command '{command}' is not valid.", errors.ECODE_INVAL)
    return 0


def _show_watcher_pause(s: Session, until: Any) -> None:
    if until is None or until < time.time():
        s.stdout("The watcher is not paused.")
    else:
        s.stdout(f"The watcher is paused until {time.ctime(until)}.")


def watcher_ops(s: Session) -> int:
    command = s.args[0]
    if command == "pause" and len(s.args) < 2:
        raise errors.OpPrereqError("Missing pause duration", errors.ECODE_INVAL)
    if command not in ("pause", "continue", "info"):
        raise errors.OpPrereqError(f"Command '{command}' is not valid.", errors.ECODE_INVAL)
    if command == "pause":
        # Parse before connecting: a bad duration must not touch the cluster.
        duration = params.parse_timespec(s.args[1])
        _show_watcher_pause(s, s.client().set_watcher_pause(time.time() + duration))
    elif command == "continue":
        s.client().set_watcher_pause(None)
        s.stdout("The watcher is no longer paused.")
    else:
        _show_watcher_pause(s, s.client().query_config_values(["watcher_pause"])[0])
    return 0


_INIT_OPTS = (
    options.BACKEND,
    options.CP_SIZE,
    options.ENABLED_HV,
    options.GLOBAL_FILEDIR,
    options.HVLIST,
    options.MAC_PREFIX,
    options.MASTER_NETDEV,
    options.NIC_PARAMS,
    options.NOMODIFY_ETCHOSTS,
    options.NOMODIFY_SSH_SETUP,
    options.SECONDARY_IP,
    options.VG_NAME,
    options.NO_LVM_STORAGE,
    options.NODE_PARAMS,
    options.GLOBAL_SHARED_FILEDIR,
    options.DISK_PARAMS,
    options.ENABLED_DISK_TEMPLATES,
    options.ENABLED_USER_SHUTDOWN,
)
_MODIFY_OPTS = (
    options.FORCE,
    options.BACKEND,
    options.CP_SIZE,
    options.ENABLED_HV,
    options.HVLIST,
    options.MAC_PREFIX,
    options.MASTER_NETDEV,
    options.NIC_PARAMS,
    options.VG_NAME,
    options.NO_LVM_STORAGE,
    options.DRY_RUN,
    options.PRIORITY,
    options.NODE_PARAMS,
    options.DISK_PARAMS,
    *options.SUBMIT_OPTS,
    options.ENABLED_DISK_TEMPLATES,
    options.MODIFY_ETCHOSTS,
    options.ENABLED_USER_SHUTDOWN,
    options.GLOBAL_FILEDIR,
    options.GLOBAL_SHARED_FILEDIR,
)
_VERIFY_OPTS = (
    options.VERBOSE,
    options.opt(
        "--debug-simulate-errors",
        dest="simulate_errors",
        default=False,
        action="store_true",
        help="Debugging option that makes the operation treat most runtime checks as failed",
    ),
    options.opt(
        "--error-codes",
        dest="error_codes",
        default=False,
        action="store_true",
        help="Enable parseable error messages",
    ),
    options.opt(
        "--no-nplus1-mem",
        dest="skip_nplusone_mem",
        default=False,
        action="store_true",
        help="Skip N+1 memory redundancy tests",
    ),
    options.DRY_RUN,
    options.PRIORITY,
    options.NODEGROUP,
    options.opt(
        "-I",
        "--ignore-errors",
        dest="ignore_errors",
        default=[],
        action="append",
        help="Error code to be ignored",
    ),
    options.opt(
        "--verify-ssh-clutter",
        dest="verify_clutter",
        default=False,
        action="store_true",
        help="Verify that Ganeti did not clutter up the 'authorized_keys' file",
    ),
)

COMMANDS: dict[str, Command] = {
    "init": Command(
        init_cluster,
        1,
        1,
        _INIT_OPTS,
        "[<opts>...] <cluster-name>",
        "Initialises a new cluster configuration",
    ),
    "destroy": Command(destroy_cluster, 0, 0, (options.YES_DOIT,), "", "Destroy cluster"),
    "redist-conf": Command(
        redist_conf,
        0,
        0,
        (*options.SUBMIT_OPTS, options.DRY_RUN, options.PRIORITY),
        "",
        "Forces a push of the configuration file and ssconf files to the nodes in the cluster",
    ),
    "verify": Command(
        verify_cluster, 0, 0, _VERIFY_OPTS, "", "Does a check on the cluster configuration"
    ),
    "version": Command(show_version, 0, 0, (), "", "Shows the cluster version"),
    "getmaster": Command(show_master, 0, 0, (), "", "Shows the cluster master"),
    "info": Command(show_info, 0, 0, (options.ROMAN,), "[--roman]", "Show cluster configuration"),
    "queue": Command(queue_ops, 1, 1, (), "drain|undrain|info", "Change queue properties"),
    "watcher": Command(
        watcher_ops, 1, 2, (), "{pause <timespec>|continue|info}", "Change watcher properties"
    ),
    "modify": Command(
        modify_cluster, 0, 0, _MODIFY_OPTS, "[<opts>...]", "Alters the parameters of the cluster"
    ),
    **tag_commands(TAG_CLUSTER, "cluster"),
}
ALIASES = {"show": "info"}


def main(argv: list[str] | None = None) -> int:
    return run("gnt-cluster", COMMANDS, argv, ALIASES)

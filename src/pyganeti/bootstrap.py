"""Cluster initialisation and final destruction (gnt-cluster init / destroy).

Initialisation runs locally, before any daemon exists: it writes the certificate, the
first configuration and ssconf, then starts the daemons. Destruction is the opposite,
after OP_CLUSTER_DESTROY has checked that nothing is left in the cluster.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from pyganeti import CONFIG_VERSION, errors, masterip
from pyganeti.certs import generate_cluster_cert
from pyganeti.config.store import ConfigStore
from pyganeti.hypervisor.registry import get_hypervisor_class, known_hypervisors
from pyganeti.netutils import is_mac_prefix, my_node_name, node_name_file, resolve
from pyganeti.objects import defaults, model
from pyganeti.paths import Paths
from pyganeti.ssconf import ssconf_values, write_ssconf
from pyganeti.storage.allowed import check_path


@dataclass
class InitOptions:
    cluster_name: str
    master_netdev: str | None = None
    enabled_hypervisors: list[str] = field(default_factory=lambda: ["fake"])
    hvparams: dict[str, dict[str, Any]] = field(default_factory=dict)
    beparams: dict[str, Any] = field(default_factory=dict)
    nicparams: dict[str, Any] = field(default_factory=dict)
    ndparams: dict[str, Any] = field(default_factory=dict)
    diskparams: dict[str, Any] = field(default_factory=dict)
    enabled_disk_templates: list[str] | None = None
    file_storage_dir: str | None = None
    shared_file_storage_dir: str | None = None
    mac_prefix: str = "aa:00:00"
    secondary_ip: str | None = None
    candidate_pool_size: int = defaults.CANDIDATE_POOL_SIZE_DEFAULT
    modify_etc_hosts: bool = True
    user_shutdown: bool = False
    vg_name: str | None = None


def _new_uuid() -> str:
    return str(uuidlib.uuid4())


def _hv_defaults(name: str) -> dict[str, Any]:
    cls = get_hypervisor_class(name)
    return {key: param.default for key, param in cls.PARAMETERS.items()}


def _check_options(paths: Paths, opts: InitOptions) -> list[str]:
    if paths.config_file.exists():
        raise errors.OpPrereqError("Cluster is already initialised", errors.ECODE_STATE)
    if not opts.enabled_hypervisors:
        raise errors.OpPrereqError("At least one hypervisor must be enabled", errors.ECODE_INVAL)
    unknown = sorted(set(opts.enabled_hypervisors) - set(known_hypervisors()))
    if unknown:
        raise errors.OpPrereqError(
            f"Unknown hypervisor(s): {', '.join(unknown)} (known:"
            f" {', '.join(known_hypervisors())})",
            errors.ECODE_INVAL,
        )
    templates = opts.enabled_disk_templates or [
        model.DT_FILE,
        model.DT_SHARED_FILE,
        model.DT_DISKLESS,
    ]
    bad = [t for t in templates if t not in model.SUPPORTED_DISK_TEMPLATES]
    if bad:
        raise errors.OpPrereqError(
            f"Disk template(s) {', '.join(bad)} are not supported by this release"
            f" (supported: {', '.join(model.SUPPORTED_DISK_TEMPLATES)})",
            errors.ECODE_INVAL,
        )
    for hv_name, values in opts.hvparams.items():
        if hv_name not in opts.enabled_hypervisors:
            raise errors.OpPrereqError(
                f"Parameters given for hypervisor {hv_name}, which is not enabled",
                errors.ECODE_INVAL,
            )
        cls = get_hypervisor_class(hv_name)
        unknown = sorted(set(values) - set(cls.PARAMETERS))
        if unknown:
            raise errors.OpPrereqError(
                f"Unknown parameter(s) for hypervisor {hv_name}: {', '.join(unknown)}",
                errors.ECODE_INVAL,
            )
        cls.check_parameter_syntax({**_hv_defaults(hv_name), **values})
    if not is_mac_prefix(opts.mac_prefix):
        raise errors.OpPrereqError(f"Invalid MAC prefix {opts.mac_prefix!r}", errors.ECODE_INVAL)
    return templates


def _check_storage_dirs(paths: Paths, dirs: list[str]) -> None:
    """Storage directories must be allowed by file-storage-paths (Ganeti's rule).

    When the file does not exist yet it is created allowing exactly these directories.
    """
    if not paths.file_storage_paths.exists():
        paths.file_storage_paths.parent.mkdir(parents=True, exist_ok=True)
        paths.file_storage_paths.write_text("".join(f"{d}\n" for d in dirs))
        return
    for d in dirs:
        try:
            check_path(paths, d)
        except errors.FileStoragePathError as err:
            raise errors.OpPrereqError(
                f"File storage directory '{d}' is not allowed: {err}", errors.ECODE_INVAL
            ) from None


def build_config(
    paths: Paths,
    opts: InitOptions,
    node_name: str,
    node_ip: str,
    master_ip: str,
    templates: list[str],
) -> dict[str, Any]:
    now = time.time()
    group_uuid, node_uuid = _new_uuid(), _new_uuid()
    hvparams = {
        hv: {**_hv_defaults(hv), **opts.hvparams.get(hv, {})} for hv in opts.enabled_hypervisors
    }
    cluster = {
        "uuid": _new_uuid(),
        "serial_no": 1,
        "ctime": now,
        "mtime": now,
        "cluster_name": opts.cluster_name,
        "master_node": node_uuid,
        "master_ip": master_ip,
        "master_netdev": opts.master_netdev or ("lo" if not paths.is_default_root else "xen-br0"),
        "master_netmask": 32,
        "use_external_mip_script": False,
        "enabled_hypervisors": list(opts.enabled_hypervisors),
        "hvparams": hvparams,
        "os_hvp": {},
        "beparams": {defaults.PP_DEFAULT: {**defaults.BE_DEFAULTS, **opts.beparams}},
        "osparams": {},
        "osparams_private_cluster": {},
        "nicparams": {defaults.PP_DEFAULT: {**defaults.NIC_DEFAULTS, **opts.nicparams}},
        "ndparams": {**defaults.ND_DEFAULTS, **opts.ndparams},
        "diskparams": {
            t: {**v, **opts.diskparams.get(t, {})} for t, v in defaults.DISK_DT_DEFAULTS.items()
        },
        "ipolicy": defaults.fresh(defaults.IPOLICY_DEFAULTS),
        "candidate_pool_size": opts.candidate_pool_size,
        "modify_etc_hosts": opts.modify_etc_hosts,
        "modify_ssh_setup": False,
        "maintain_node_health": False,
        "uid_pool": [],
        "default_iallocator": "",
        "default_iallocator_params": {},
        "hidden_os": [],
        "blacklisted_os": [],
        "primary_ip_family": socket.AF_INET,
        "prealloc_wipe_disks": False,
        "hv_state_static": {},
        "disk_state_static": {},
        "enabled_disk_templates": templates,
        "candidate_certs": {},
        "max_running_jobs": defaults.MAX_RUNNING_JOBS_DEFAULT,
        "max_tracked_jobs": defaults.MAX_TRACKED_JOBS_DEFAULT,
        "install_image": "",
        "instance_communication_network": "",
        "zeroing_image": "",
        "compression_tools": ["gzip", "gzip-fast", "gzip-slow"],
        "enabled_user_shutdown": opts.user_shutdown,
        "data_collectors": {},
        "mac_prefix": opts.mac_prefix,
        "volume_group_name": opts.vg_name or "",
        "reserved_lvs": [],
        "drbd_usermode_helper": "",
        "file_storage_dir": opts.file_storage_dir or str(paths.file_storage_dir),
        "shared_file_storage_dir": (
            opts.shared_file_storage_dir or str(paths.shared_file_storage_dir)
        ),
        "gluster_storage_dir": "",
        "highest_used_port": 11000,
        "tcpudp_port_pool": [],
        "default_bridge": None,
        "default_hypervisor": None,
        "rsahostkeypub": "",
        "dsahostkeypub": "",
        "ssh_key_type": "rsa",
        "ssh_key_bits": 2048,
        "tags": [],
    }
    group = {
        "uuid": group_uuid,
        "name": defaults.DEFAULT_GROUP_NAME,
        "serial_no": 1,
        "ctime": now,
        "mtime": now,
        "ndparams": {},
        "diskparams": {},
        "ipolicy": {},
        "hv_state_static": {},
        "disk_state_static": {},
        "alloc_policy": defaults.ALLOC_POLICY_PREFERRED,
        "networks": {},
        "tags": [],
    }
    node = {
        "uuid": node_uuid,
        "name": node_name,
        "primary_ip": node_ip,
        "secondary_ip": opts.secondary_ip or node_ip,
        "serial_no": 1,
        "ctime": now,
        "mtime": now,
        "master_candidate": True,
        "offline": False,
        "drained": False,
        "group": group_uuid,
        "master_capable": True,
        "vm_capable": True,
        "ndparams": {},
        "powered": True,
        "hv_state_static": {},
        "disk_state_static": {},
        "tags": [],
    }
    return {
        "version": CONFIG_VERSION,
        "cluster": cluster,
        "nodes": {node_uuid: node},
        "nodegroups": {group_uuid: group},
        "instances": {},
        "networks": {},
        "disks": {},
        "filters": {},
        "serial_no": 1,
        "ctime": now,
        "mtime": now,
    }


def init_cluster(paths: Paths, opts: InitOptions, start_daemons: bool = True) -> None:
    """Create a one-node cluster with this node as master, then start its daemons."""
    templates = _check_options(paths, opts)
    node_name = my_node_name(paths)
    try:
        node_ip = resolve(paths, node_name)
        master_ip = resolve(paths, opts.cluster_name)
    except errors.ResolverError as err:
        raise errors.OpPrereqError(str(err.args[0]), errors.ECODE_RESOLVE) from None
    paths.ensure_dirs()
    dirs = []
    if model.DT_FILE in templates:
        dirs.append(opts.file_storage_dir or str(paths.file_storage_dir))
    if model.DT_SHARED_FILE in templates:
        dirs.append(opts.shared_file_storage_dir or str(paths.shared_file_storage_dir))
    _check_storage_dirs(paths, dirs)
    for d in dirs:
        os.makedirs(d, exist_ok=True)
    config = build_config(paths, opts, node_name, node_ip, master_ip, templates)
    if not paths.server_pem.exists():
        generate_cluster_cert(paths.server_pem, opts.cluster_name)
    if not paths.is_default_root and not os.path.exists(node_name_file(paths)):
        with open(node_name_file(paths), "w") as fh:
            fh.write(node_name + "\n")
    ConfigStore.initialise(paths, config)  # type: ignore[arg-type]
    write_ssconf(paths, ssconf_values(config))
    warning = masterip.activate(config["cluster"])
    if warning:
        print(f"Warning: {warning}")
    if start_daemons:
        from pyganeti.daemons import util

        code = util.start_all(paths)
        if code != 0:
            raise errors.OpExecError(
                "Cluster initialised, but its daemons did not start;"
                f" see the logs in {paths.log_dir}"
            )


def finalize_destroy(paths: Paths) -> None:
    """Stop every daemon and remove the cluster's files (after OP_CLUSTER_DESTROY)."""
    import json

    from pyganeti.daemons import util

    util.stop_all(paths)
    with contextlib.suppress(OSError, ValueError, KeyError):
        masterip.deactivate(json.loads(paths.config_file.read_bytes())["cluster"])
    for path in (
        paths.config_file,
        paths.config_journal,
        paths.server_pem,
        paths.data_dir / "locks.data",
        paths.queue_serial_file,
        paths.watcher_pause_file,
    ):
        path.unlink(missing_ok=True)
    for ssconf in paths.data_dir.glob("ssconf_*"):
        ssconf.unlink()
    shutil.rmtree(paths.queue_dir, ignore_errors=True)
    shutil.rmtree(paths.instance_runtime_dir, ignore_errors=True)
    shutil.rmtree(paths.fake_hv_dir, ignore_errors=True)

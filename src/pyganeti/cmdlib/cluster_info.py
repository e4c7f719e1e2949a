"""The cluster information record of OP_CLUSTER_QUERY and luxi QueryClusterInfo."""

from __future__ import annotations

import functools
import os
import platform
from collections.abc import Mapping
from typing import Any

import pyganeti


@functools.cache
def _arch_bits() -> str:
    # platform.architecture() forks `file` on every call: ask once per process.
    return platform.architecture()[0]


OS_API_VERSION = 20
EXPORT_VERSION = 0


def software_version() -> str:
    return pyganeti.__version__


def cluster_info(config: Mapping[str, Any]) -> dict[str, Any]:
    """Ganeti's cluster info dict (same keys as Ganeti 3.0's LUClusterQuery)."""
    cl = config["cluster"]
    master = config["nodes"].get(cl.get("master_node", ""), {})
    enabled = list(cl.get("enabled_hypervisors", []))
    return {
        "software_version": software_version(),
        "protocol_version": pyganeti.PROTOCOL_VERSION,
        "config_version": config.get("version", pyganeti.CONFIG_VERSION),
        "os_api_version": OS_API_VERSION,
        "export_version": EXPORT_VERSION,
        "vcs_version": f"pyganeti-{pyganeti.__version__}",
        "architecture": [_arch_bits(), os.uname().machine],
        "name": cl.get("cluster_name"),
        "master": master.get("name"),
        "default_hypervisor": enabled[0] if enabled else None,
        "enabled_hypervisors": enabled,
        "hvparams": {hv: cl.get("hvparams", {}).get(hv, {}) for hv in enabled},
        "os_hvp": cl.get("os_hvp", {}),
        "beparams": cl.get("beparams", {}),
        "osparams": cl.get("osparams", {}),
        "ipolicy": cl.get("ipolicy", {}),
        "nicparams": cl.get("nicparams", {}),
        "ndparams": cl.get("ndparams", {}),
        "diskparams": cl.get("diskparams", {}),
        "candidate_pool_size": cl.get("candidate_pool_size"),
        "max_running_jobs": cl.get("max_running_jobs"),
        "max_tracked_jobs": cl.get("max_tracked_jobs"),
        "mac_prefix": cl.get("mac_prefix"),
        "master_netdev": cl.get("master_netdev"),
        "master_netmask": cl.get("master_netmask"),
        "use_external_mip_script": cl.get("use_external_mip_script", False),
        "volume_group_name": cl.get("volume_group_name"),
        "drbd_usermode_helper": cl.get("drbd_usermode_helper"),
        "file_storage_dir": cl.get("file_storage_dir"),
        "shared_file_storage_dir": cl.get("shared_file_storage_dir"),
        "maintain_node_health": cl.get("maintain_node_health", False),
        "ctime": cl.get("ctime"),
        "mtime": cl.get("mtime"),
        "uuid": cl.get("uuid"),
        "tags": list(cl.get("tags", [])),
        "uid_pool": cl.get("uid_pool", []),
        "default_iallocator": cl.get("default_iallocator", ""),
        "default_iallocator_params": cl.get("default_iallocator_params", {}),
        "reserved_lvs": cl.get("reserved_lvs", []),
        "primary_ip_version": 6 if cl.get("primary_ip_family") == 10 else 4,
        "prealloc_wipe_disks": cl.get("prealloc_wipe_disks", False),
        "hidden_os": cl.get("hidden_os", []),
        "blacklisted_os": cl.get("blacklisted_os", []),
        "enabled_disk_templates": cl.get("enabled_disk_templates", []),
        "install_image": cl.get("install_image", ""),
        "instance_communication_network": cl.get("instance_communication_network", ""),
        "compression_tools": cl.get("compression_tools", []),
        "enabled_user_shutdown": cl.get("enabled_user_shutdown", False),
        "data_collectors": cl.get("data_collectors", {}),
        "modify_etc_hosts": cl.get("modify_etc_hosts", True),
        "modify_ssh_setup": cl.get("modify_ssh_setup", False),
        "ssh_key_type": cl.get("ssh_key_type", "rsa"),
        "ssh_key_bits": cl.get("ssh_key_bits", 2048),
    }

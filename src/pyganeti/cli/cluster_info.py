"""The text of "gnt-cluster info": QueryClusterInfo laid out as Ganeti lays it out."""

from __future__ import annotations

from typing import Any

from pyganeti.cli.generic_info import format_params_dict_info, format_time
from pyganeti.paths import Paths

ISPECS_MINMAX = "minmax"
ISPECS_STD = "std"
IPOLICY_DTS = "disk-templates"
IPOLICY_PARAMETERS = ("spindle-ratio", "vcpu-ratio")
ES_SEARCH_SUFFIXES = (
    "srv/ganeti/extstorage",
    "usr/local/lib/ganeti/extstorage",
    "usr/lib/ganeti/extstorage",
    "usr/share/ganeti/extstorage",
)


def _grouped(params: dict[str, Any]) -> dict[str, Any]:
    """Nested parameter dicts with every leaf value as a string."""
    return {k: _grouped(v) if isinstance(v, dict) else str(v) for k, v in params.items()}


def _uid_pool(pool: Any) -> str:
    ranges = []
    for lower, higher in pool or []:
        ranges.append(str(lower) if lower == higher else f"{lower}-{higher}")
    return ", ".join(ranges)


def policy_info(policy: dict[str, Any]) -> list[tuple[str, Any]]:
    """The cluster's instance policy (bounds, std specs, templates, ratios)."""
    bounds = []
    for idx, minmax in enumerate(policy.get(ISPECS_MINMAX) or []):
        bounds.append(
            [
                (f"{key}/{idx}", format_params_dict_info(minmax[key], minmax[key]))
                for key in ("max", "min")
                if key in minmax
            ]
        )
    info: list[tuple[str, Any]] = [("bounds specs", bounds)]
    std = policy.get(ISPECS_STD) or {}
    info.append((ISPECS_STD, format_params_dict_info(std, std)))
    info.append(("allowed disk templates", ", ".join(policy.get(IPOLICY_DTS) or [])))
    info.extend((key, str(policy[key])) for key in IPOLICY_PARAMETERS if key in policy)
    return info


def _data_collectors(result: dict[str, Any]) -> dict[str, Any]:
    enabled = result.get("enabled_data_collectors") or {}
    interval = result.get("data_collector_interval") or {}
    return {
        name: {"active": str(active), "interval": "%.3fs" % (interval.get(name, 0) / 1e6)}
        for name, active in enabled.items()
    }


def cluster_info(result: dict[str, Any], paths: Paths) -> list[tuple[str, Any]]:
    """The ordered structure PrintGenericInfo prints for gnt-cluster info."""
    g = result.get
    tags = ", ".join(sorted(g("tags") or [])) or "(none)"
    reserved_lvs = ", ".join(g("reserved_lvs") or []) or "(none)"
    enabled_hv = list(g("enabled_hypervisors") or [])
    hvparams = {k: v for k, v in (g("hvparams") or {}).items() if k in enabled_hv}
    arch = g("architecture") or ["?", "?"]
    es_path = ", ".join(str(paths.root / p) for p in ES_SEARCH_SUFFIXES)
    return [
        ("Cluster name", g("name")),
        ("Cluster UUID", g("uuid")),
        ("Creation time", format_time(g("ctime"))),
        ("Modification time", format_time(g("mtime"))),
        ("Master node", g("master")),
        ("Architecture (this node)", f"{arch[0]} ({arch[1]})"),
        ("Tags", tags),
        ("Default hypervisor", g("default_hypervisor")),
        ("Enabled hypervisors", ", ".join(enabled_hv)),
        ("Hypervisor parameters", _grouped(hvparams)),
        ("OS-specific hypervisor parameters", _grouped(g("os_hvp") or {})),
        ("OS parameters", _grouped(g("osparams") or {})),
        ("Hidden OSes", ", ".join(g("hidden_os") or [])),
        ("Blacklisted OSes", ", ".join(g("blacklisted_os") or [])),
        (
            "Cluster parameters",
            [
                ("candidate pool size", g("candidate_pool_size")),
                ("maximal number of jobs running simultaneously", g("max_running_jobs")),
                (
                    "maximal number of jobs simultaneously tracked by the scheduler",
                    g("max_tracked_jobs"),
                ),
                ("mac prefix", g("mac_prefix")),
                ("master netdev", g("master_netdev")),
                ("master netmask", g("master_netmask")),
                ("use external master IP address setup script", g("use_external_mip_script")),
                ("lvm volume group", g("volume_group_name")),
                ("lvm reserved volumes", reserved_lvs),
                ("drbd usermode helper", g("drbd_usermode_helper")),
                ("file storage path", g("file_storage_dir")),
                ("shared file storage path", g("shared_file_storage_dir")),
                ("gluster storage path", g("gluster_storage_dir")),
                ("maintenance of node health", g("maintain_node_health")),
                ("uid pool", _uid_pool(g("uid_pool"))),
                ("default instance allocator", g("default_iallocator")),
                ("default instance allocator parameters", g("default_iallocator_params")),
                ("primary ip version", g("primary_ip_version")),
                ("preallocation wipe disks", g("prealloc_wipe_disks")),
                ("OS search path", ", ".join(str(p) for p in paths.os_search_path)),
                ("ExtStorage Providers search path", es_path),
                ("enabled disk templates", ", ".join(g("enabled_disk_templates") or [])),
                ("install image", g("install_image")),
                ("instance communication network", g("instance_communication_network")),
                ("zeroing image", g("zeroing_image")),
                ("compression tools", g("compression_tools")),
                ("enabled user shutdown", g("enabled_user_shutdown")),
                ("modify ssh setup", g("modify_ssh_setup")),
                ("ssh_key_type", g("ssh_key_type")),
                ("ssh_key_bits", g("ssh_key_bits")),
            ],
        ),
        ("Default node parameters", _grouped(g("ndparams") or {})),
        ("Default instance parameters", _grouped(g("beparams") or {})),
        ("Default nic parameters", _grouped(g("nicparams") or {})),
        ("Default disk parameters", _grouped(g("diskparams") or {})),
        ("Instance policy - limits for instances", policy_info(g("ipolicy") or {})),
        ("Data collectors", _data_collectors(result)),
    ]

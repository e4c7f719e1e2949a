"""ssconf: the small per-node files (ssconf_KEY) that tools read without any daemon."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyganeti
from pyganeti.config.durable import atomic_write
from pyganeti.paths import Paths


def ssconf_values(config: Mapping[str, Any]) -> dict[str, str]:
    cl = config["cluster"]
    nodes = sorted(config["nodes"].values(), key=lambda n: n["name"])
    master = config["nodes"].get(cl.get("master_node", ""), {})
    mcs = [n for n in nodes if n.get("master_candidate")]
    return {
        "cluster_name": str(cl.get("cluster_name", "")),
        "cluster_tags": "\n".join(cl.get("tags", [])),
        "enabled_disk_templates": "\n".join(cl.get("enabled_disk_templates", [])),
        "file_storage_dir": str(cl.get("file_storage_dir", "")),
        "shared_file_storage_dir": str(cl.get("shared_file_storage_dir", "")),
        "hypervisor_list": "\n".join(cl.get("enabled_hypervisors", [])),
        "instance_list": "\n".join(sorted(i["name"] for i in config["instances"].values())),
        "maintain_node_health": str(cl.get("maintain_node_health", False)),
        "master_candidates": "\n".join(n["name"] for n in mcs),
        "master_candidates_ips": "\n".join(n["primary_ip"] for n in mcs),
        "master_ip": str(cl.get("master_ip", "")),
        "master_netdev": str(cl.get("master_netdev", "")),
        "master_netmask": str(cl.get("master_netmask", "")),
        "master_node": str(master.get("name", "")),
        "node_list": "\n".join(n["name"] for n in nodes),
        "node_primary_ips": "\n".join(f"{n['name']} {n['primary_ip']}" for n in nodes),
        "node_secondary_ips": "\n".join(f"{n['name']} {n.get('secondary_ip', '')}" for n in nodes),
        "nodegroups": "\n".join(f"{u} {g['name']}" for u, g in config["nodegroups"].items()),
        "networks": "\n".join(f"{u} {n['name']}" for u, n in config["networks"].items()),
        "offline_nodes": "\n".join(n["name"] for n in nodes if n.get("offline")),
        "online_nodes": "\n".join(n["name"] for n in nodes if not n.get("offline")),
        "primary_ip_family": str(cl.get("primary_ip_family", 2)),
        "release_version": pyganeti.__version__,
        "uid_pool": "",
    }


def write_ssconf(paths: Paths, values: Mapping[str, str]) -> None:
    for key, value in values.items():
        atomic_write(paths.ssconf_file(key), (value + "\n").encode(), mode=0o444, durable=False)

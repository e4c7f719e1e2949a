"""The environment an OS script sees (Ganeti OS API variable names and formats)."""

from __future__ import annotations

from typing import Any

from pyganeti.osprovider.discovery import OsDefinition, split_name

# Scripts get a fixed PATH, never the daemon's.
SCRIPT_PATH = "/sbin:/bin:/usr/sbin:/usr/bin"


def core_env(
    os_def: OsDefinition, full_name: str, osparams: dict[str, Any], debug: int
) -> dict[str, str]:
    """OS_* variables, OSP_* parameters, DEBUG_LEVEL and PATH."""
    env = {
        "OS_API_VERSION": str(os_def.api_version),
        "OS_NAME": os_def.name,
        "DEBUG_LEVEL": str(int(debug)),
        "PATH": SCRIPT_PATH,
    }
    variant = ""
    if os_def.api_version >= 15 and os_def.variants:
        variant = split_name(full_name)[1] or os_def.variants[0]
    env["OS_VARIANT"] = variant
    for key, value in osparams.items():
        env["OSP_" + key.upper().replace("-", "_")] = str(value)
    return env


def instance_env(
    os_def: OsDefinition,
    instance: dict[str, Any],
    disk_paths: list[str],
    debug: int,
) -> dict[str, str]:
    """The full environment for create/import/export/rename of `instance`.

    `disk_paths[i]` is the node-local path of instance["disks"][i].
    """
    osparams = dict(instance.get("osparams") or {})
    osparams.update(instance.get("osparams_private") or {})
    env = core_env(os_def, str(instance.get("os", "")), osparams, debug)
    for attr in ("name", "os", "uuid", "ctime", "mtime", "primary_node"):
        env[f"INSTANCE_{attr.upper()}"] = str(instance.get(attr, ""))
    hvparams: dict[str, Any] = instance.get("hvparams") or {}
    disks: list[dict[str, Any]] = instance.get("disks") or []
    nics: list[dict[str, Any]] = instance.get("nics") or []
    env["HYPERVISOR"] = str(instance.get("hypervisor", ""))
    env["DISK_COUNT"] = str(len(disks))
    env["NIC_COUNT"] = str(len(nics))
    env["INSTANCE_SECONDARY_NODES"] = " ".join(instance.get("secondary_nodes") or [])
    for idx, disk in enumerate(disks):
        env[f"DISK_{idx}_ACCESS"] = str(disk.get("mode", "rw"))
        env[f"DISK_{idx}_UUID"] = str(disk.get("uuid", ""))
        env[f"DISK_{idx}_SIZE"] = str(disk.get("size", ""))
        if idx < len(disk_paths) and disk_paths[idx]:
            env[f"DISK_{idx}_PATH"] = disk_paths[idx]
        if disk.get("name"):
            env[f"DISK_{idx}_NAME"] = str(disk["name"])
        if "disk_type" in hvparams:
            env[f"DISK_{idx}_FRONTEND_TYPE"] = str(hvparams["disk_type"])
        dev_type = disk.get("dev_type")
        logical_id = disk.get("logical_id") or [""]
        if dev_type in ("file", "sharedfile", "gluster"):
            env[f"DISK_{idx}_BACKEND_TYPE"] = f"file:{logical_id[0]}"
        elif dev_type:
            env[f"DISK_{idx}_BACKEND_TYPE"] = "block"
    for idx, nic in enumerate(nics):
        nicparams: dict[str, Any] = nic.get("nicparams") or {}
        env[f"NIC_{idx}_MAC"] = str(nic.get("mac", ""))
        env[f"NIC_{idx}_UUID"] = str(nic.get("uuid", ""))
        if nic.get("name"):
            env[f"NIC_{idx}_NAME"] = str(nic["name"])
        if nic.get("ip"):
            env[f"NIC_{idx}_IP"] = str(nic["ip"])
        mode = str(nicparams.get("mode", ""))
        link = str(nicparams.get("link") or "")
        env[f"NIC_{idx}_MODE"] = mode
        if mode == "bridged":
            env[f"NIC_{idx}_BRIDGE"] = link
        if link:
            env[f"NIC_{idx}_LINK"] = link
        if nicparams.get("vlan"):
            env[f"NIC_{idx}_VLAN"] = str(nicparams["vlan"])
        if nic.get("network"):
            env[f"NIC_{idx}_NETWORK_UUID"] = str(nic["network"])
        if "nic_type" in hvparams:
            env[f"NIC_{idx}_FRONTEND_TYPE"] = str(hvparams["nic_type"])
    for kind, source in (("BE", instance.get("beparams")), ("HV", hvparams)):
        for key, value in (source or {}).items():
            env[f"INSTANCE_{kind}_{key}"] = str(value)
    return env

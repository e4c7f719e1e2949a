"""The text of "gnt-instance info": OP_INSTANCE_QUERY_DATA results laid out as Ganeti does."""

from __future__ import annotations

from typing import Any

from pyganeti.cli import units as cli_units
from pyganeti.cli.generic_info import format_params_dict_info, format_time

DT_DRBD8 = "drbd"
DT_PLAIN = "plain"
LDS_FAULTY = 2
LDS_UNKNOWN = 3
VNC_BASE_PORT = 5900
IP4_ADDRESS_ANY = "0.0.0.0"


def _disk_details(dev: dict[str, Any]) -> list[Any]:
    if dev.get("dev_type") == DT_DRBD8 and dev.get("drbd_info"):
        drbd = dev["drbd_info"]
        return [
            ("nodeA", f"{drbd['primary_node']}, minor={drbd['primary_minor']}"),
            ("nodeB", f"{drbd['secondary_node']}, minor={drbd['secondary_minor']}"),
            ("port", str(drbd["port"])),
        ]
    logical_id = dev.get("logical_id")
    if dev.get("dev_type") == DT_PLAIN and isinstance(logical_id, list) and len(logical_id) == 2:
        return [f"{logical_id[0]}/{logical_id[1]}"]
    return [str(logical_id)]


def _dev_status(dev_type: Any, status: Any) -> str:
    """One "on primary"/"on secondary" line from a FindBlockDevice status tuple."""
    if not status:
        return "not active"
    path, major, minor, syncp, estt, degraded, ldisk = status
    major_s = "N/A" if major is None else str(major)
    minor_s = "N/A" if minor is None else str(minor)
    text = f"{path} ({major_s}:{minor_s})"
    if dev_type == DT_DRBD8:
        if syncp is not None:
            sync = f"*RECOVERING* {syncp:5.2f}%,"
            sync += f" ETA {estt}s" if estt else " ETA unknown"
        else:
            sync = "in sync"
        ldisk_text = {LDS_FAULTY: " *MISSING DISK*", LDS_UNKNOWN: " *UNCERTAIN STATE*"}.get(
            ldisk, ""
        )
        text += f" {sync}, status {'*DEGRADED*' if degraded else 'ok'}{ldisk_text}"
    elif dev_type == DT_PLAIN and ldisk == LDS_FAULTY:
        text += " *FAILED* (failed drive?)"
    return text


def block_dev_info(idx: int, top_level: bool, dev: dict[str, Any]) -> list[Any]:
    title = (dev.get("iv_name") or f"disk {idx}") if top_level else f"child {idx}"
    size = dev.get("size")
    nice_size = cli_units.format_unit(size, "h") if isinstance(size, int) else str(size)
    data: list[Any] = [(title, f"{dev.get('dev_type')}, size {nice_size}")]
    if top_level:
        if dev.get("spindles") is not None:
            data.append(("spindles", dev["spindles"]))
        data.append(("access mode", dev.get("mode")))
    if dev.get("logical_id") is not None:
        details = _disk_details(dev)
        if len(details) == 1:
            data.append(("logical_id", details[0]))
        else:
            data.extend(details)
    if dev.get("pstatus"):
        data.append(("on primary", _dev_status(dev.get("dev_type"), dev["pstatus"])))
    if dev.get("sstatus"):
        data.append(("on secondary", _dev_status(dev.get("dev_type"), dev["sstatus"])))
    data.append(("name", dev.get("name")))
    data.append(("UUID", dev.get("uuid")))
    if dev.get("children"):
        data.append(
            (
                "child devices",
                [
                    block_dev_info(c_idx, False, child)
                    for c_idx, child in enumerate(dev["children"])
                ],
            )
        )
    return data


def nic_info(idx: int, nic: list[Any]) -> list[tuple[str, str]]:
    name, uuid, ip, mac, mode, link, vlan, _, netinfo = nic
    network = netinfo.get("name") if isinstance(netinfo, dict) else None
    return [
        (f"nic/{idx}", ""),
        ("MAC", str(mac)),
        ("IP", str(ip)),
        ("mode", str(mode)),
        ("link", str(link)),
        ("vlan", str(vlan)),
        ("network", str(network)),
        ("UUID", str(uuid)),
        ("name", str(name)),
    ]


def _nodes_info(inst: dict[str, Any]) -> list[Any]:
    pgroup = f"{inst.get('pnode_group_name')} (UUID {inst.get('pnode_group_uuid')})"
    secs = ", ".join(
        f"{name} (group {gname}, group UUID {guuid})"
        for name, gname, guuid in zip(
            inst.get("snodes") or [],
            inst.get("snodes_group_names") or [],
            inst.get("snodes_group_uuids") or [],
            strict=False,
        )
    )
    return [[("primary", inst.get("pnode")), ("group", pgroup)], [("secondaries", secs)]]


def _vnc_console(inst: dict[str, Any]) -> str | None:
    bind = (inst.get("hv_actual") or {}).get("vnc_bind_address")
    if not bind:
        return None
    port = inst.get("network_port")
    display = int(port) - VNC_BASE_PORT if port is not None else 0
    if display > 0 and bind == IP4_ADDRESS_ANY:
        where = f"{inst.get('pnode')}:{port} (display {display})"
    elif display > 0 and _is_ipv4(bind):
        where = f"{bind}:{port} (node {inst.get('pnode')}) (display {display})"
    else:
        where = f"{inst.get('pnode')}:{bind}"
    return f"vnc to {where}"


def _is_ipv4(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


def instance_info(inst: dict[str, Any]) -> list[tuple[str, Any]]:
    """The ordered structure PrintGenericInfo prints for one instance."""
    state = f"configured to be {inst.get('config_state')}"
    if inst.get("run_state"):
        state += f", actual state is {inst['run_state']}"
    info: list[tuple[str, Any]] = [
        ("Instance name", inst.get("name")),
        ("UUID", inst.get("uuid")),
        ("Serial number", str(inst.get("serial_no"))),
        ("Creation time", format_time(inst.get("ctime"))),
        ("Modification time", format_time(inst.get("mtime"))),
        ("State", state),
        ("Nodes", _nodes_info(inst)),
        ("Operating system", inst.get("os")),
        (
            "Operating system parameters",
            format_params_dict_info(inst.get("os_instance") or {}, inst.get("os_actual") or {}),
        ),
    ]
    if "network_port" in inst:
        info.append(("Allocated network port", str(inst["network_port"])))
    info.append(("Hypervisor", inst.get("hypervisor")))
    console = _vnc_console(inst)
    if console:
        info.append(("console connection", console))
    be_actual = dict(inst.get("be_actual") or {})
    if "maxmem" in be_actual:
        # Ganeti still shows the deprecated "memory" alias of maxmem.
        be_actual["memory"] = be_actual["maxmem"]
    info.extend(
        [
            (
                "Hypervisor parameters",
                format_params_dict_info(inst.get("hv_instance") or {}, inst.get("hv_actual") or {}),
            ),
            (
                "Back-end parameters",
                format_params_dict_info(inst.get("be_instance") or {}, be_actual),
            ),
            ("NICs", [nic_info(idx, nic) for idx, nic in enumerate(inst.get("nics") or [])]),
            ("Disk template", inst.get("disk_template")),
            (
                "Disks",
                [block_dev_info(idx, True, dev) for idx, dev in enumerate(inst.get("disks") or [])],
            ),
        ]
    )
    return info

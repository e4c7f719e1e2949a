"""Instance fields of disks, NICs and (filled) hypervisor and backend parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pyganeti.query.fielddefs import (
    QFT_NUMBER,
    QFT_OTHER,
    QFT_TEXT,
    QFT_UNIT,
    Abnormal,
    Field,
    Getter,
    attr,
    ordinal,
)
from pyganeti.query.fields.params import (
    BE_PARAMETER_KINDS,
    BE_PARAMETER_TITLES,
    HV_PARAMETER_KINDS,
    HV_PARAMETER_TITLES,
)

if TYPE_CHECKING:
    from pyganeti.query.fields.instance import InstanceRow

MAX_NICS = 8
MAX_DISKS = 16
DRBD_META_SIZE = 128


def disk_usage(row: InstanceRow) -> int:
    total = 0
    for disk in row.disks:
        dev_type = disk.get("dev_type")
        size = int(disk.get("size") or 0)
        if dev_type in ("diskless", "blockdev"):
            continue
        total += size + DRBD_META_SIZE if str(dev_type).startswith("drbd") else size
    return total


def _at(items: str, index: int, get: Any) -> Getter:
    """Getter for the index-th disk or NIC (unavailable when there is none)."""

    def getter(row: InstanceRow) -> Any:
        seq = getattr(row, items)
        if index >= len(seq):
            return Abnormal.UNAVAIL
        return get(row, index, seq[index])

    return getter


def _present(key: str) -> Any:
    def get(_row: InstanceRow, _idx: int, item: Mapping[str, Any]) -> Any:
        value = item.get(key)
        return Abnormal.UNAVAIL if value is None else value

    return get


def _nicparam(key: str) -> Any:
    return lambda row, idx, _nic: row.nicparams[idx].get(key)


def _nic_if_mode(mode: str, key: str) -> Any:
    def get(row: InstanceRow, idx: int, _nic: Any) -> Any:
        params = row.nicparams[idx]
        return params.get(key) if params.get("mode") == mode else Abnormal.UNAVAIL

    return get


def _network_name(row: InstanceRow, net: str | None) -> Any:
    if not net:
        return None
    return (row.index.networks.get(net) or {}).get("name")


def _nic_network_name(row: InstanceRow, _idx: int, nic: Mapping[str, Any]) -> Any:
    net = nic.get("network")
    return Abnormal.UNAVAIL if net is None else _network_name(row, net)


def nic_fields() -> tuple[list[Field], list[tuple[str, str]]]:
    def all_vlans(row: InstanceRow) -> list[Any]:
        return [
            p.get("vlan") if p.get("mode") in ("bridged", "openvswitch") else None
            for p in row.nicparams
        ]

    fields = [
        Field(
            "nic.count", "NICs", QFT_NUMBER, "Number of network interfaces", lambda r: len(r.nics)
        ),
        Field(
            "nic.macs",
            "NIC_MACs",
            QFT_OTHER,
            "List containing each network interface's MAC address",
            lambda r: [n.get("mac") for n in r.nics],
        ),
        Field(
            "nic.ips",
            "NIC_IPs",
            QFT_OTHER,
            "List containing each network interface's IP address",
            lambda r: [n.get("ip") for n in r.nics],
        ),
        Field(
            "nic.names",
            "NIC_Names",
            QFT_OTHER,
            "List containing each network interface's name",
            lambda r: [n.get("name") for n in r.nics],
        ),
        Field(
            "nic.uuids",
            "NIC_UUIDs",
            QFT_OTHER,
            "List containing each network interface's UUID",
            lambda r: [n.get("uuid") for n in r.nics],
        ),
        Field(
            "nic.modes",
            "NIC_modes",
            QFT_OTHER,
            "List containing each network interface's mode",
            lambda r: [p.get("mode") for p in r.nicparams],
        ),
        Field(
            "nic.links",
            "NIC_links",
            QFT_OTHER,
            "List containing each network interface's link",
            lambda r: [p.get("link") for p in r.nicparams],
        ),
        Field(
            "nic.vlans",
            "NIC_VLANs",
            QFT_OTHER,
            "List containing each network interface's VLAN",
            all_vlans,
        ),
        Field(
            "nic.bridges",
            "NIC_bridges",
            QFT_OTHER,
            "List containing each network interface's bridge",
            lambda r: [p.get("link") if p.get("mode") == "bridged" else None for p in r.nicparams],
        ),
        Field(
            "nic.networks",
            "NIC_networks",
            QFT_OTHER,
            "List containing each interface's network",
            lambda r: [n.get("network") for n in r.nics],
        ),
        Field(
            "nic.networks.names",
            "NIC_networks_names",
            QFT_OTHER,
            "List containing each interface's network",
            lambda r: [_network_name(r, n.get("network")) for n in r.nics],
        ),
    ]
    for i in range(MAX_NICS):
        nth = ordinal(i + 1)
        per_nic = [
            ("nic.ip", "NicIP", "IP address of", _present("ip")),
            ("nic.mac", "NicMAC", "MAC address of", lambda _r, _i, n: n.get("mac")),
            ("nic.name", "NicName", "Name address of", _present("name")),
            ("nic.uuid", "NicUUID", "UUID address of", _present("uuid")),
            ("nic.mode", "NicMode", "Mode of", _nicparam("mode")),
            ("nic.link", "NicLink", "Link of", _nicparam("link")),
            ("nic.bridge", "NicBridge", "Bridge of", _nic_if_mode("bridged", "link")),
            ("nic.vlan", "NicVLAN", "VLAN of", _nic_if_mode("openvswitch", "vlan")),
            ("nic.network", "NicNetwork", "Network of", _present("network")),
            ("nic.network.name", "NicNetworkName", "Network name of", _nic_network_name),
        ]
        fields.extend(
            Field(
                f"{name}/{i}",
                f"{title}/{i}",
                QFT_TEXT,
                f"{doc} {nth} network interface",
                _at("nics", i, get),
            )
            for name, title, doc, get in per_nic
        )
    aliases = [
        ("ip", "nic.ip/0"),
        ("mac", "nic.mac/0"),
        ("bridge", "nic.bridge/0"),
        ("nic_mode", "nic.mode/0"),
        ("nic_link", "nic.link/0"),
        ("nic_network", "nic.network/0"),
    ]
    return fields, aliases


def disk_fields() -> list[Field]:
    fields = [
        Field(
            "disk_usage",
            "DiskUsage",
            QFT_UNIT,
            "Total disk space used by instance on each of its nodes; this is not the"
            " disk size visible to the instance, but the usage on the node",
            disk_usage,
        ),
        Field("disk.count", "Disks", QFT_NUMBER, "Number of disks", lambda r: len(r.disks)),
        Field(
            "disk.sizes",
            "Disk_sizes",
            QFT_OTHER,
            "List of disk sizes",
            lambda r: [d.get("size") for d in r.disks],
        ),
        Field(
            "disk.spindles",
            "Disk_spindles",
            QFT_OTHER,
            "List of disk spindles",
            lambda r: [d.get("spindles") for d in r.disks],
        ),
        Field(
            "disk.names",
            "Disk_names",
            QFT_OTHER,
            "List of disk names",
            lambda r: [d.get("name") for d in r.disks],
        ),
        Field(
            "disk.uuids",
            "Disk_UUIDs",
            QFT_OTHER,
            "List of disk UUIDs",
            lambda r: [d.get("uuid") for d in r.disks],
        ),
    ]
    for i in range(MAX_DISKS):
        nth = ordinal(i + 1)
        fields += [
            Field(
                f"disk.size/{i}",
                f"Disk/{i}",
                QFT_UNIT,
                f"Disk size of {nth} disk",
                _at("disks", i, _present("size")),
            ),
            Field(
                f"disk.spindles/{i}",
                f"DiskSpindles/{i}",
                QFT_NUMBER,
                f"Spindles of {nth} disk",
                _at("disks", i, _present("spindles")),
            ),
            Field(
                f"disk.name/{i}",
                f"DiskName/{i}",
                QFT_TEXT,
                f"Name of {nth} disk",
                _at("disks", i, _present("name")),
            ),
            Field(
                f"disk.uuid/{i}",
                f"DiskUUID/{i}",
                QFT_TEXT,
                f"UUID of {nth} disk",
                _at("disks", i, _present("uuid")),
            ),
        ]
    return fields


def param_fields() -> list[Field]:
    fields = [
        Field(
            "hvparams",
            "HypervisorParameters",
            QFT_OTHER,
            "Hypervisor parameters (merged)",
            lambda r: r.hvparams,
        ),
        Field(
            "beparams",
            "BackendParameters",
            QFT_OTHER,
            "Backend parameters (merged)",
            lambda r: r.beparams,
        ),
        Field(
            "osparams",
            "OpSysParameters",
            QFT_OTHER,
            "Operating system parameters (merged)",
            lambda r: r.osparams,
        ),
        Field(
            "custom_hvparams",
            "CustomHypervisorParameters",
            QFT_OTHER,
            "Custom hypervisor parameters",
            attr("hvparams", {}),
        ),
        Field(
            "custom_beparams",
            "CustomBackendParameters",
            QFT_OTHER,
            "Custom backend parameters",
            attr("beparams", {}),
        ),
        Field(
            "custom_osparams",
            "CustomOpSysParameters",
            QFT_OTHER,
            "Custom operating system parameters",
            attr("osparams", {}),
        ),
        Field(
            "custom_nicparams",
            "CustomNicParameters",
            QFT_OTHER,
            "Custom network interface parameters",
            lambda r: [n.get("nicparams", {}) for n in r.nics],
        ),
    ]

    def hv_param(name: str) -> Getter:
        return lambda r: r.hvparams.get(name, Abnormal.UNAVAIL)

    def be_param(name: str) -> Getter:
        return lambda r: r.beparams.get(name)

    fields += [
        Field(
            f"hv/{name}",
            HV_PARAMETER_TITLES.get(name, f"hv/{name}"),
            kind,
            f'The "{name}" hypervisor parameter',
            hv_param(name),
        )
        for name, kind in HV_PARAMETER_KINDS.items()
    ]
    fields += [
        Field(
            f"be/{name}",
            BE_PARAMETER_TITLES.get(name, f"be/{name}"),
            kind,
            f'The "{name}" backend parameter',
            be_param(name),
        )
        for name, kind in BE_PARAMETER_KINDS.items()
    ]
    return fields

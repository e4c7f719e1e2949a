"""Tap devices for instance NICs, in Ganeti's bridged and routed modes.

The tap is created persistent (so QEMU opens it by name and noded need not pass file
descriptors), configured like Ganeti's kvm-ifup does, and deleted when the VM stops.
Bridged: the tap joins the bridge named by the NIC's link. Routed: the tap gets a /32
host route to the NIC's IP (in the routing table named by link, when given) and proxy
ARP, so the guest is reachable through the host. Openvswitch mode is not supported.
"""

from __future__ import annotations

import hashlib
import subprocess
from typing import Any

from pyganeti import errors
from pyganeti.hypervisor.kvm.cmdline import NicSpec

MODE_BRIDGED = "bridged"
MODE_ROUTED = "routed"


def tap_name(instance_uuid: str, index: int) -> str:
    """A stable interface name (15 bytes at most) for NIC `index` of an instance."""
    digest = hashlib.sha256(instance_uuid.encode()).hexdigest()[:8]
    return f"gnt{digest}.{index}"


def _ip(*args: str) -> None:
    proc = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise errors.HypervisorError(f"ip {' '.join(args)} failed: {proc.stderr.strip()}")


def link_exists(name: str) -> bool:
    proc = subprocess.run(["ip", "link", "show", "dev", name], capture_output=True, check=False)
    return proc.returncode == 0


def _configure(tap: str, nic: dict[str, Any]) -> None:
    params = nic.get("nicparams") or {}
    mode = params.get("mode", MODE_BRIDGED)
    link = str(params.get("link") or "")
    if mode == MODE_BRIDGED:
        if not link:
            raise errors.HypervisorError("a bridged NIC needs a link (the bridge name)")
        if not link_exists(link):
            raise errors.HypervisorError(f"bridge {link} does not exist on this node")
        _ip("link", "set", "dev", tap, "master", link)
        _ip("link", "set", "dev", tap, "up")
    elif mode == MODE_ROUTED:
        ip = nic.get("ip")
        if not ip:
            raise errors.HypervisorError("a routed NIC needs an IP address")
        _ip("link", "set", "dev", tap, "up")
        route = ["route", "replace", f"{ip}/32", "dev", tap]
        if link:
            route += ["table", link]
        _ip(*route)
        try:
            with open(f"/proc/sys/net/ipv4/conf/{tap}/proxy_arp", "w") as fh:
                fh.write("1")
        except OSError as err:
            raise errors.HypervisorError(f"cannot enable proxy ARP on {tap}: {err}") from None
    else:
        raise errors.HypervisorError(f"NIC mode {mode!r} is not supported by the KVM backend")


def create_taps(instance: dict[str, Any]) -> list[NicSpec]:
    """A configured tap for each NIC of `instance` (all removed again on failure)."""
    uuid = str(instance.get("uuid") or instance.get("name"))
    created: list[NicSpec] = []
    try:
        for index, nic in enumerate(instance.get("nics") or []):
            mac = str(nic.get("mac") or "")
            if not mac:
                raise errors.HypervisorError(f"NIC {index} has no MAC address")
            tap = tap_name(uuid, index)
            if link_exists(tap):
                _ip("link", "del", "dev", tap)  # left over by a VM that died
            _ip("tuntap", "add", "dev", tap, "mode", "tap", "vnet_hdr")
            created.append(NicSpec(tap, mac))
            _configure(tap, nic)
    except BaseException:
        remove_taps([n.tap for n in created])
        raise
    return created


def remove_taps(taps: list[str]) -> None:
    for tap in taps:
        if link_exists(tap):
            subprocess.run(["ip", "link", "del", "dev", tap], capture_output=True, check=False)

"""The cluster's master IP on the master's network device (Ganeti's master-ip-setup).

An address on the loopback device inside 127.0.0.0/8 is already reachable (the embedded,
relocated clusters use those), so nothing is added for it.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import subprocess
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)


def _needed(cluster: Mapping[str, Any]) -> tuple[str, str, int] | None:
    ip, dev = cluster.get("master_ip"), cluster.get("master_netdev")
    if not ip or not dev:
        return None
    if dev == "lo" and ipaddress.ip_address(ip).is_loopback:
        return None
    return str(ip), str(dev), int(cluster.get("master_netmask") or 32)


def _present(ip: str, dev: str) -> bool:
    out = subprocess.run(
        ["ip", "-o", "addr", "show", "dev", dev], capture_output=True, text=True, check=False
    )
    return f" {ip}/" in out.stdout


def activate(cluster: Mapping[str, Any]) -> str | None:
    """Add the master IP; returns a warning text instead of failing (as Ganeti warns)."""
    need = _needed(cluster)
    if need is None:
        return None
    ip, dev, mask = need
    if os.geteuid() != 0:
        return f"not root: master IP {ip} was not added to {dev}"
    if _present(ip, dev):
        return None
    proc = subprocess.run(
        ["ip", "addr", "add", f"{ip}/{mask}", "dev", dev, "label", f"{dev}:0"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return f"could not add master IP {ip} to {dev}: {proc.stderr.strip()}"
    return None


def deactivate(cluster: Mapping[str, Any]) -> None:
    need = _needed(cluster)
    if need is None or os.geteuid() != 0:
        return
    ip, dev, mask = need
    if _present(ip, dev):
        subprocess.run(
            ["ip", "addr", "del", f"{ip}/{mask}", "dev", dev], capture_output=True, check=False
        )

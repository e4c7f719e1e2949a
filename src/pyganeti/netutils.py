"""Name resolution and node identity, both relocatable with the root.

Inside a relocated root, the root's own etc/hosts is consulted before the system
resolver, and the node's name comes from var/lib/ganeti/hostname (written when the
node joins), so several simulated nodes can share one machine.
"""

from __future__ import annotations

import ipaddress
import os
import socket

from pyganeti import errors
from pyganeti.paths import Paths

HOSTNAME_ENV = "GANETI_HOSTNAME"


def node_name_file(paths: Paths) -> os.PathLike[str]:
    return paths.data_dir / "hostname"


def my_node_name(paths: Paths) -> str:
    """This node's name: $GANETI_HOSTNAME, the root's hostname file, or the system's."""
    env = os.environ.get(HOSTNAME_ENV)
    if env:
        return env
    try:
        with open(node_name_file(paths)) as fh:
            name = fh.read().strip()
            if name:
                return name
    except FileNotFoundError:
        pass
    return socket.getfqdn()


def _hosts_lookup(paths: Paths, name: str) -> str | None:
    try:
        with open(paths.hosts_file) as fh:
            for line in fh:
                fields = line.split("#", 1)[0].split()
                if len(fields) >= 2 and name in fields[1:]:
                    return fields[0]
    except FileNotFoundError:
        return None
    return None


def resolve(paths: Paths, name: str) -> str:
    """The IPv4 address of `name` (an address resolves to itself)."""
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        pass
    if not paths.is_default_root:
        found = _hosts_lookup(paths, name)
        if found:
            return found
    try:
        return socket.gethostbyname(name)
    except OSError as err:
        raise errors.ResolverError(f"Cannot resolve host name '{name}': {err}", name) from None


def add_hosts_entry(paths: Paths, address: str, *names: str) -> None:
    """Add (or replace) `address names...` in the root's hosts file."""
    lines: list[str] = []
    try:
        with open(paths.hosts_file) as fh:
            lines = [
                ln
                for ln in fh.read().splitlines()
                if not set(ln.split("#", 1)[0].split()[1:]) & set(names)
            ]
    except FileNotFoundError:
        pass
    lines.append(f"{address} {' '.join(names)}")
    paths.hosts_file.parent.mkdir(parents=True, exist_ok=True)
    with open(paths.hosts_file, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def is_mac_prefix(text: str) -> bool:
    """Whether `text` is a 3-byte MAC prefix such as "aa:00:00"."""
    parts = text.split(":")
    if len(parts) != 3:
        return False
    try:
        return all(len(p) == 2 and 0 <= int(p, 16) < 256 for p in parts)
    except ValueError:
        return False

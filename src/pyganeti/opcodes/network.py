"""IP network opcodes: add, change, remove, connect to and disconnect from node groups."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import NicMode
from pyganeti.opcodes.types import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    MaybeString,
    NonEmptyString,
    NonEmptyStringList,
)


@opcode
class OpNetworkAdd(OpCode):
    """Add an IP network to the cluster."""

    OP_ID: ClassVar[str] = "OP_NETWORK_ADD"
    OP_DSC_FIELD: ClassVar[str | None] = "network_name"

    network_name: NonEmptyString = param("Name of the new network")
    network: IPv4Network = param("IPv4 subnet in CIDR notation")
    gateway: IPv4Address | None = param(g.GATEWAY, default=None)
    network6: IPv6Network | None = param(g.NETWORK6, default=None)
    gateway6: IPv6Address | None = param(g.GATEWAY6, default=None)
    mac_prefix: MaybeString = param(g.MAC_PREFIX, default=None)
    add_reserved_ips: list[IPv4Address] | None = param(
        "Addresses to reserve so that no NIC gets them", default=None
    )
    conflicts_check: bool = param(g.CONFLICTS_CHECK, default=True)
    tags: NonEmptyStringList = param("Tags of the new network", default=[])


@opcode
class OpNetworkRemove(OpCode):
    """Remove a network that no node group is connected to."""

    OP_ID: ClassVar[str] = "OP_NETWORK_REMOVE"
    OP_DSC_FIELD: ClassVar[str | None] = "network_name"

    network_name: NonEmptyString = param(g.NETWORK_NAME)
    force: bool = param(g.FORCE, default=False)


@opcode
class OpNetworkSetParams(OpCode):
    """Change a network's parameters (all but its IPv4 subnet)."""

    OP_ID: ClassVar[str] = "OP_NETWORK_SET_PARAMS"
    OP_DSC_FIELD: ClassVar[str | None] = "network_name"

    network_name: NonEmptyString = param(g.NETWORK_NAME)
    gateway: IPv4Address | None = param(g.GATEWAY, default=None)
    network6: IPv6Network | None = param(g.NETWORK6, default=None)
    gateway6: IPv6Address | None = param(g.GATEWAY6, default=None)
    mac_prefix: MaybeString = param(g.MAC_PREFIX, default=None)
    add_reserved_ips: list[IPv4Address] | None = param(
        "Addresses to reserve as used by the outside", default=None
    )
    remove_reserved_ips: list[IPv4Address] | None = param(
        "Reserved addresses to release", default=None
    )


@opcode
class OpNetworkConnect(OpCode):
    """Connect a network to a node group with a NIC mode and link its NICs inherit."""

    OP_ID: ClassVar[str] = "OP_NETWORK_CONNECT"
    OP_DSC_FIELD: ClassVar[str | None] = "network_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    network_name: NonEmptyString = param(g.NETWORK_NAME)
    network_mode: NicMode = param("NIC mode of the network in this group")
    network_link: NonEmptyString = param("NIC link (bridge, routing table...) in this group")
    network_vlan: str = param("VLAN of the network in this group", default="")
    conflicts_check: bool = param(g.CONFLICTS_CHECK, default=True)


@opcode
class OpNetworkDisconnect(OpCode):
    """Disconnect a network from a node group."""

    OP_ID: ClassVar[str] = "OP_NETWORK_DISCONNECT"
    OP_DSC_FIELD: ClassVar[str | None] = "network_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    network_name: NonEmptyString = param(g.NETWORK_NAME)

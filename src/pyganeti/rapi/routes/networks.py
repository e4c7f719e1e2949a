"""Network resources: /2/networks, /2/networks/NAME and its modify, connect, disconnect
and tags.
"""

from __future__ import annotations

from typing import Any

from pyganeti.opcodes import network
from pyganeti.rapi.endpoint import BULK, DRY_RUN, LOCK, Call, Endpoint
from pyganeti.rapi.opjobs import op_endpoint
from pyganeti.rapi.routes import listing
from pyganeti.rapi.routes.tags import tag_endpoints

NET_FIELDS = [
    "name",
    "network",
    "gateway",
    "network6",
    "gateway6",
    "mac_prefix",
    "free_count",
    "reserved_count",
    "map",
    "group_list",
    "inst_list",
    "external_reservations",
    *listing.COMMON_FIELDS,
]
BASE = "/2/networks/{network_name}"


def list_networks(call: Call) -> list[dict[str, Any]]:
    if call.args["bulk"]:
        return listing.bulk(call.luxi, "network", NET_FIELDS)
    return listing.uri_list(call.luxi, "network", "/2/networks/%s", "name")


def get_network(call: Call) -> dict[str, Any]:
    return listing.one(call.luxi, "network", NET_FIELDS, call.items["network_name"])


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "GET",
        "/2/networks",
        list_networks,
        "All networks (names, or objects with bulk=1)",
        query=(BULK, LOCK),
        result_schema=listing.OBJECTS_SCHEMA,
    ),
    op_endpoint(
        "POST",
        "/2/networks",
        network.OpNetworkAdd,
        "Create a network",
        query=(DRY_RUN,),
        rename={"name": "network_name"},
    ),
    Endpoint(
        "GET",
        BASE,
        get_network,
        "One network",
        query=(LOCK,),
        result_schema=listing.OBJECT_SCHEMA,
    ),
    op_endpoint("DELETE", BASE, network.OpNetworkRemove, "Remove a network", query=(DRY_RUN,)),
    op_endpoint("PUT", f"{BASE}/modify", network.OpNetworkSetParams, "Modify a network"),
    op_endpoint(
        "PUT",
        f"{BASE}/connect",
        network.OpNetworkConnect,
        "Connect a network to a group",
        query=(DRY_RUN,),
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/disconnect",
        network.OpNetworkDisconnect,
        "Disconnect a network from a group",
        query=(DRY_RUN,),
    ),
    *tag_endpoints("network", BASE, "network_name"),
]

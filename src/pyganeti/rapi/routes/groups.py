"""Node group resources: /2/groups, /2/groups/NAME and its modify, rename, assign-nodes
and tags.
"""

from __future__ import annotations

from typing import Any

from pyganeti.opcodes import group
from pyganeti.rapi.endpoint import BULK, DRY_RUN, FORCE, LOCK, Call, Endpoint
from pyganeti.rapi.opjobs import op_endpoint
from pyganeti.rapi.routes import listing
from pyganeti.rapi.routes.tags import tag_endpoints

G_FIELDS = [
    "alloc_policy",
    "name",
    "node_cnt",
    "node_list",
    "ipolicy",
    "custom_ipolicy",
    "diskparams",
    "custom_diskparams",
    "ndparams",
    "custom_ndparams",
    *listing.COMMON_FIELDS,
]
BASE = "/2/groups/{group_name}"


def list_groups(call: Call) -> list[dict[str, Any]]:
    if call.args["bulk"]:
        return listing.bulk(call.luxi, "group", G_FIELDS)
    return listing.uri_list(call.luxi, "group", "/2/groups/%s", "name")


def get_group(call: Call) -> dict[str, Any]:
    return listing.one(call.luxi, "group", G_FIELDS, call.items["group_name"])


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "GET",
        "/2/groups",
        list_groups,
        "All node groups (names, or objects with bulk=1)",
        query=(BULK, LOCK),
        result_schema=listing.OBJECTS_SCHEMA,
    ),
    op_endpoint(
        "POST",
        "/2/groups",
        group.OpGroupAdd,
        "Create a node group",
        query=(DRY_RUN,),
        rename={"name": "group_name"},
    ),
    Endpoint(
        "GET",
        BASE,
        get_group,
        "One node group",
        query=(LOCK,),
        result_schema=listing.OBJECT_SCHEMA,
    ),
    op_endpoint(
        "DELETE", BASE, group.OpGroupRemove, "Remove a node group", query=(DRY_RUN,), body=False
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/modify",
        group.OpGroupSetParams,
        "Modify a node group",
        rename={
            "custom_ndparams": "ndparams",
            "custom_ipolicy": "ipolicy",
            "custom_diskparams": "diskparams",
        },
    ),
    op_endpoint(
        "PUT", f"{BASE}/rename", group.OpGroupRename, "Rename a node group", query=(DRY_RUN,)
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/assign-nodes",
        group.OpGroupAssignNodes,
        "Move nodes into a group",
        query=(DRY_RUN, FORCE),
    ),
    *tag_endpoints("nodegroup", BASE, "group_name"),
]

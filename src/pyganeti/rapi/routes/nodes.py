"""Node resources: /2/nodes, /2/nodes/NAME and its role, modify, evacuate, migrate,
powercycle, storage (query, modify, repair) and tags.
"""

from __future__ import annotations

from typing import Any

from pyganeti.http.messages import HttpError
from pyganeti.opcodes import node
from pyganeti.rapi.endpoint import BULK, DRY_RUN, FORCE, LOCK, Call, Endpoint, QueryArg
from pyganeti.rapi.opjobs import op_endpoint
from pyganeti.rapi.routes import listing
from pyganeti.rapi.routes.tags import tag_endpoints

N_FIELDS = [
    "name",
    "offline",
    "master_candidate",
    "drained",
    "dtotal",
    "dfree",
    "sptotal",
    "spfree",
    "mtotal",
    "mnode",
    "mfree",
    "pinst_cnt",
    "sinst_cnt",
    "ctotal",
    "cnos",
    "cnodes",
    "csockets",
    "pip",
    "sip",
    "role",
    "pinst_list",
    "sinst_list",
    "master_capable",
    "vm_capable",
    "ndparams",
    "group.uuid",
    *listing.COMMON_FIELDS,
]
BASE = "/2/nodes/{node_name}"
#: Query role letters → RAPI role names.
ROLE_NAMES = {
    "M": "master",
    "C": "master-candidate",
    "R": "regular",
    "D": "drained",
    "O": "offline",
}
#: RAPI role name → (master_candidate, offline, drained) to set.
ROLE_CHANGES: dict[str, tuple[bool | None, bool | None, bool | None]] = {
    "regular": (False, False, False),
    "master-candidate": (True, None, None),
    "drained": (None, None, True),
    "offline": (None, True, None),
}
STORAGE_TYPE = QueryArg("storage_type", "str", "Storage type, e.g. lvm-vg or file", "storage_type")
STORAGE_NAME = QueryArg("name", "str", "Storage unit name", "name")


def list_nodes(call: Call) -> list[dict[str, Any]]:
    if call.args["bulk"]:
        return listing.bulk(call.luxi, "node", N_FIELDS)
    return listing.uri_list(call.luxi, "node", "/2/nodes/%s", "id")


def get_node(call: Call) -> dict[str, Any]:
    found = listing.one(call.luxi, "node", N_FIELDS, call.items["node_name"])
    found["secondary_ip"] = found["sip"]  # Ganeti's GET alias
    return found


def get_role(call: Call) -> str:
    role = listing.one(call.luxi, "node", ["role"], call.items["node_name"])["role"]
    return ROLE_NAMES.get(str(role), str(role))


def prepare_role(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    role = call.body
    if not isinstance(role, str):
        raise HttpError(400, "Body contents: the new role must be a JSON string")
    if role not in ROLE_CHANGES:
        raise HttpError(400, f"Can't set '{role}' role (choose {', '.join(ROLE_CHANGES)})")
    candidate, offline, drained = ROLE_CHANGES[role]
    static.update(master_candidate=candidate, offline=offline, drained=drained)
    return {}, static


def prepare_migrate(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    live, mode = call.args["live"], call.args["mode"]
    if live is None and mode is None:
        return body, static
    # The old query-string interface.
    if call.body is not None:
        raise HttpError(400, "Can't combine query and body parameters")
    if live is not None and mode is not None:
        raise HttpError(400, "Only one of 'live' and 'mode' should be passed")
    if live is not None:
        mode = "live" if live else "non-live"
    return {"mode": mode}, static


def prepare_storage_query(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    fields = call.args["output_fields"]
    if not fields:
        raise HttpError(400, "Missing the required 'output_fields' parameter")
    static["output_fields"] = [f.strip() for f in fields.split(",")]
    static["nodes"] = [call.items["node_name"]]
    return body, static


def _require_name(call: Call) -> None:
    if not call.args["name"]:
        raise HttpError(400, "Missing the required 'name' parameter")


def prepare_storage_modify(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    _require_name(call)
    changes: dict[str, Any] = {}
    if call.args["allocatable"] is not None:
        changes["allocatable"] = bool(call.args["allocatable"])
    static["changes"] = changes
    return body, static


def prepare_storage_repair(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    _require_name(call)
    return body, static


_WRITE = frozenset({"write"})

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "GET",
        "/2/nodes",
        list_nodes,
        "All nodes (names, or objects with bulk=1)",
        query=(BULK, LOCK),
        result_schema=listing.OBJECTS_SCHEMA,
    ),
    Endpoint("GET", BASE, get_node, "One node", query=(LOCK,), result_schema=listing.OBJECT_SCHEMA),
    Endpoint(
        "GET",
        f"{BASE}/role",
        get_role,
        "A node's role",
        query=(LOCK,),
        result_schema={"type": "string", "enum": sorted(ROLE_NAMES.values())},
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/role",
        node.OpNodeSetParams,
        "Change a node's role",
        query=(
            FORCE,
            QueryArg(
                "auto-promote", "flag", "Promote other nodes if needed", "auto_promote", False
            ),
        ),
        prepare=prepare_role,
        raw_body={"type": "string", "enum": sorted(ROLE_CHANGES)},
    ),
    op_endpoint("POST", f"{BASE}/modify", node.OpNodeSetParams, "Modify a node"),
    op_endpoint(
        "POST",
        f"{BASE}/evacuate",
        node.OpNodeEvacuate,
        "Evacuate instances from a node",
        query=(DRY_RUN,),
    ),
    op_endpoint(
        "POST",
        f"{BASE}/migrate",
        node.OpNodeMigrate,
        "Migrate a node's primary instances",
        query=(
            DRY_RUN,
            QueryArg("live", "flag", "Legacy: live (1) or non-live (0)"),
            QueryArg("mode", "str", "Legacy: migration mode"),
        ),
        prepare=prepare_migrate,
    ),
    op_endpoint(
        "POST",
        f"{BASE}/powercycle",
        node.OpNodePowercycle,
        "Power-cycle a node",
        query=(FORCE,),
    ),
    op_endpoint(
        "GET",
        f"{BASE}/storage",
        node.OpNodeQueryStorage,
        "Submit a job listing a node's storage units",
        access=_WRITE,
        body=False,
        query=(STORAGE_TYPE, QueryArg("output_fields", "str", "Comma-separated fields")),
        prepare=prepare_storage_query,
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/storage/modify",
        node.OpNodeModifyStorage,
        "Modify a storage unit",
        query=(
            STORAGE_TYPE,
            STORAGE_NAME,
            QueryArg("allocatable", "flag", "Whether new disks may use the unit"),
        ),
        body=False,
        prepare=prepare_storage_modify,
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/storage/repair",
        node.OpRepairNodeStorage,
        "Repair a storage unit",
        query=(STORAGE_TYPE, STORAGE_NAME),
        body=False,
        prepare=prepare_storage_repair,
    ),
    *tag_endpoints("node", BASE, "node_name"),
]

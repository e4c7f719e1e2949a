"""Instance resources: /2/instances, /2/instances-multi-alloc, /2/instances/NAME and the
actions below it (power, disks, moves, export, rename, modify, console, tags).
"""

from __future__ import annotations

from typing import Any

from pyganeti.http.messages import HttpError
from pyganeti.opcodes import backup, instance, instance_disks, instance_moves, instance_power
from pyganeti.rapi.endpoint import BULK, DRY_RUN, FORCE, LOCK, Call, Endpoint, QueryArg
from pyganeti.rapi.opjobs import (
    JOB_ID_SCHEMA,
    fill_opcode,
    op_endpoint,
    reason_trail,
    submit,
    wait_for_job,
)
from pyganeti.rapi.routes import listing
from pyganeti.rapi.routes.tags import tag_endpoints

I_FIELDS = [
    "name",
    "admin_state",
    "os",
    "pnode",
    "snodes",
    "disk_template",
    "nic.ips",
    "nic.macs",
    "nic.modes",
    "nic.uuids",
    "nic.names",
    "nic.links",
    "nic.networks",
    "nic.networks.names",
    "nic.bridges",
    "network_port",
    "disk.sizes",
    "disk.spindles",
    "disk_usage",
    "disk.uuids",
    "disk.names",
    "beparams",
    "hvparams",
    "oper_state",
    "oper_ram",
    "oper_vcpus",
    "status",
    "custom_hvparams",
    "custom_beparams",
    "custom_nicparams",
    *listing.COMMON_FIELDS,
]
#: Body version of instance creation requests (Ganeti's instance-create-reqv1).
REQ_VERSION_KEY = "__version__"
CREATE_RENAME = {"os": "os_type", "name": "instance_name"}
BASE = "/2/instances/{instance_name}"
NO_REMEMBER = QueryArg(
    "no_remember", "flag", "Do not record the change of state", "no_remember", False
)


def _with_memory(inst: dict[str, Any]) -> dict[str, Any]:
    # Older clients read beparams["memory"]; Ganeti still fills it from maxmem.
    beparams = inst.get("beparams")
    if isinstance(beparams, dict) and "maxmem" in beparams:
        beparams["memory"] = beparams["maxmem"]
    return inst


def _usb_commas(data: dict[str, Any]) -> None:
    # Ganeti 2.8.4 changed the usb_devices separator to space; RAPI accepts both.
    hvparams = data.get("hvparams")
    if isinstance(hvparams, dict) and isinstance(hvparams.get("usb_devices"), str):
        data["hvparams"] = {**hvparams, "usb_devices": hvparams["usb_devices"].replace(" ", ",")}


def list_instances(call: Call) -> list[dict[str, Any]]:
    if call.args["bulk"]:
        return [_with_memory(i) for i in listing.bulk(call.luxi, "instance", I_FIELDS)]
    return listing.uri_list(call.luxi, "instance", "/2/instances/%s", "id")


def get_instance(call: Call) -> dict[str, Any]:
    return _with_memory(listing.one(call.luxi, "instance", I_FIELDS, call.items["instance_name"]))


def prepare_create(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    if call.body is None:
        raise HttpError(400, "Body contents: an instance creation request needs a body")
    version = body.pop(REQ_VERSION_KEY, 0)
    if version == 0:
        raise HttpError(400, "Instance creation request version 0 is no longer supported")
    if version != 1:
        raise HttpError(400, f"Unsupported request data version {version!r}")
    _usb_commas(body)
    return body, static


def prepare_multi_alloc(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    if "instances" not in body:
        raise HttpError(400, "Request is missing required 'instances' field in body")
    if not isinstance(body["instances"], list):
        raise HttpError(400, "The 'instances' field must be a list of instance definitions")
    filled = []
    for index, inst in enumerate(body["instances"]):
        if not isinstance(inst, dict):
            raise HttpError(400, f"instances[{index}]: an instance definition must be an object")
        filled.append(fill_opcode(instance.OpInstanceCreate, inst, {}, CREATE_RENAME))
    body["instances"] = filled
    return body, static


def prepare_info(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    static["instances"] = [call.items["instance_name"]]
    return body, static


def prepare_modify(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    _usb_commas(body)
    return body, static


def prepare_grow(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    raw = call.items["disk"]
    if not raw.isdigit():
        raise HttpError(404, f"Invalid disk index {raw!r} in the path")
    static["disk"] = int(raw)
    return body, static


def prepare_replace(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
    legacy = ("remote_node", "mode", "disks", "iallocator")
    if call.body is None and any(call.args[a] is not None for a in (*legacy, "early_release")):
        # The old query-string interface (still what Ganeti's own client sends).
        body = {a: call.args[a] for a in legacy}
        if call.args["early_release"] is not None:
            body["early_release"] = call.args["early_release"]
    raw = body.pop("disks", None)
    if raw:
        if isinstance(raw, str):
            try:
                body["disks"] = [int(part) for part in raw.split(",")]
            except ValueError as err:
                raise HttpError(400, f"Invalid disk index passed: {err}") from None
        else:
            body["disks"] = raw
    return body, static


def reinstall(call: Call) -> int:
    """Shutdown, reinstall and (unless told otherwise) start: one job of two or three ops."""
    name = call.items["instance_name"]
    legacy = call.args["os"] is not None or call.args["nostartup"] is not None
    if call.body is not None and legacy:
        raise HttpError(400, "Can't combine query and body parameters")
    if legacy:
        data: dict[str, Any] = {"os": call.args["os"], "start": not call.args["nostartup"]}
    else:
        data = call.body_dict()
    unknown = sorted(set(data) - {"os", "start", "osparams"})
    if unknown:
        raise HttpError(400, f"Invalid body parameters: unknown parameter(s) {unknown}")
    start = data.get("start", True)
    if not isinstance(start, bool):
        raise HttpError(400, "'start' parameter: Type is not 'bool'")
    trail = reason_trail(call, "instances_name_reinstall")
    common = {"instance_name": name, "reason": trail}
    ops = [
        fill_opcode(instance_power.OpInstanceShutdown, {}, common),
        fill_opcode(
            instance.OpInstanceReinstall,
            {"os_type": data.get("os"), "osparams": data.get("osparams")},
            common,
        ),
    ]
    if start:
        ops.append(fill_opcode(instance_power.OpInstanceStartup, {"force": False}, common))
    return submit(call.luxi, ops)


def console(call: Call) -> dict[str, Any]:
    name = call.items["instance_name"]
    found = listing.one(call.luxi, "instance", ["console", "oper_state"], name)
    if not found["oper_state"]:
        raise HttpError(503, "Instance console unavailable: the instance is not running")
    if isinstance(found["console"], dict):
        result: dict[str, Any] = found["console"]
        return result
    # luxid's query has no console data: ask the logical unit, as gnt-instance console does.
    op = fill_opcode(
        instance.OpInstanceConsole,
        {},
        {"instance_name": name, "reason": reason_trail(call, "instances_name_console")},
    )
    job_id = submit(call.luxi, [op])
    status, opresult = wait_for_job(call.luxi, job_id, timeout=60.0)
    if status != "success" or not opresult or not isinstance(opresult[0], dict):
        raise HttpError(503, f"Instance console unavailable (job {job_id} ended {status})")
    answer: dict[str, Any] = opresult[0]
    return answer


_STR = {"type": "string"}
_LEGACY_REPLACE = (
    *(
        QueryArg(n, "str", f"Legacy form of the body's {n}")
        for n in ("remote_node", "mode", "disks", "iallocator")
    ),
    QueryArg("early_release", "flag", "Legacy form of the body's early_release"),
)
_READ = frozenset({"read", "write"})

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "GET",
        "/2/instances",
        list_instances,
        "All instances (names, or objects with bulk=1)",
        query=(BULK, LOCK),
        result_schema=listing.OBJECTS_SCHEMA,
    ),
    op_endpoint(
        "POST",
        "/2/instances",
        instance.OpInstanceCreate,
        "Create an instance",
        query=(DRY_RUN,),
        rename=CREATE_RENAME,
        prepare=prepare_create,
        extra_body={REQ_VERSION_KEY: {"const": 1, "description": "Request version (1)"}},
    ),
    op_endpoint(
        "POST",
        "/2/instances-multi-alloc",
        instance.OpInstanceMultiAlloc,
        "Allocate and create several instances",
        query=(DRY_RUN,),
        prepare=prepare_multi_alloc,
    ),
    Endpoint(
        "GET",
        BASE,
        get_instance,
        "One instance",
        query=(LOCK,),
        result_schema=listing.OBJECT_SCHEMA,
    ),
    op_endpoint(
        "DELETE",
        BASE,
        instance.OpInstanceRemove,
        "Remove an instance",
        query=(DRY_RUN,),
        constants={"ignore_failures": False},
    ),
    op_endpoint(
        "GET",
        f"{BASE}/info",
        instance.OpInstanceQueryData,
        "Submit a job collecting detailed instance information",
        access=frozenset(),
        query=(QueryArg("static", "flag", "Configuration data only", "static", False),),
        body=False,
        prepare=prepare_info,
    ),
    op_endpoint(
        "POST",
        f"{BASE}/reboot",
        instance_power.OpInstanceReboot,
        "Reboot an instance",
        query=(
            QueryArg("type", "str", "hard, soft or full", "reboot_type", "hard"),
            QueryArg(
                "ignore_secondaries",
                "flag",
                "Ignore secondary node errors",
                "ignore_secondaries",
                False,
            ),
            DRY_RUN,
        ),
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/startup",
        instance_power.OpInstanceStartup,
        "Start an instance",
        query=(FORCE, DRY_RUN, NO_REMEMBER),
        body=False,
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/shutdown",
        instance_power.OpInstanceShutdown,
        "Shut down an instance",
        query=(NO_REMEMBER, DRY_RUN),
    ),
    Endpoint(
        "POST",
        f"{BASE}/reinstall",
        reinstall,
        "Reinstall an instance's OS",
        access=frozenset({"write"}),
        query=(
            QueryArg("os", "str", "Legacy: OS to install"),
            QueryArg("nostartup", "flag", "Legacy: do not start afterwards"),
        ),
        body_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "os": {"type": ["string", "null"]},
                "start": {"type": "boolean"},
                "osparams": {"type": ["object", "null"]},
            },
        },
        result_schema=JOB_ID_SCHEMA,
        opcode=instance.OpInstanceReinstall,
    ),
    op_endpoint(
        "POST",
        f"{BASE}/replace-disks",
        instance_disks.OpInstanceReplaceDisks,
        "Replace an instance's disks",
        query=_LEGACY_REPLACE,
        prepare=prepare_replace,
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/activate-disks",
        instance_disks.OpInstanceActivateDisks,
        "Activate an instance's disks",
        body=False,
        query=(QueryArg("ignore_size", "flag", "Ignore recorded sizes", "ignore_size", False),),
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/deactivate-disks",
        instance_disks.OpInstanceDeactivateDisks,
        "Deactivate an instance's disks",
        query=(FORCE,),
        body=False,
    ),
    op_endpoint(
        "POST",
        f"{BASE}/recreate-disks",
        instance_disks.OpInstanceRecreateDisks,
        "Recreate an instance's disks",
    ),
    op_endpoint(
        "POST",
        f"{BASE}/disk/{{disk}}/grow",
        instance_disks.OpInstanceGrowDisk,
        "Grow one disk of an instance",
        prepare=prepare_grow,
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/prepare-export",
        backup.OpBackupPrepare,
        "Prepare an export",
        query=(QueryArg("mode", "str", "local or remote", "mode"),),
        body=False,
    ),
    op_endpoint(
        "PUT",
        f"{BASE}/export",
        backup.OpBackupExport,
        "Export an instance",
        rename={"destination": "target_node"},
    ),
    op_endpoint("PUT", f"{BASE}/migrate", instance_moves.OpInstanceMigrate, "Migrate an instance"),
    op_endpoint(
        "PUT", f"{BASE}/failover", instance_moves.OpInstanceFailover, "Fail an instance over"
    ),
    op_endpoint("PUT", f"{BASE}/rename", instance.OpInstanceRename, "Rename an instance"),
    op_endpoint(
        "PUT",
        f"{BASE}/modify",
        instance.OpInstanceSetParams,
        "Modify an instance",
        rename={"custom_beparams": "beparams", "custom_hvparams": "hvparams"},
        prepare=prepare_modify,
    ),
    Endpoint(
        "GET",
        f"{BASE}/console",
        console,
        "How to reach an instance's console",
        access=_READ,
        result_schema=listing.OBJECT_SCHEMA,
    ),
    *tag_endpoints("instance", BASE, "instance_name"),
]

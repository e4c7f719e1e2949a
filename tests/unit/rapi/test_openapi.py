"""The OpenAPI description: complete, valid JSON Schema, in sync with the opcodes."""

from __future__ import annotations

import jsonschema
import pytest

from pyganeti.opcodes.registry import OPCODES
from pyganeti.rapi.openapi import describe
from pyganeti.rapi.server import endpoints

GANETI_PATHS = {
    "/", "/version", "/2", "/2/info", "/2/features", "/2/os", "/2/modify",
    "/2/redistribute-config", "/2/tags", "/2/instances", "/2/instances-multi-alloc",
    "/2/instances/{instance_name}", "/2/nodes", "/2/nodes/{node_name}", "/2/groups",
    "/2/groups/{group_name}", "/2/networks", "/2/networks/{network_name}", "/2/jobs",
    "/2/jobs/{job_id}", "/2/jobs/{job_id}/wait", "/2/query/{resource}",
    "/2/query/{resource}/fields", "/2/filters", "/2/filters/{filter_uuid}",
    *(f"/2/instances/{{instance_name}}/{a}" for a in (
        "info", "startup", "shutdown", "reboot", "reinstall", "rename", "modify",
        "activate-disks", "deactivate-disks", "recreate-disks", "replace-disks",
        "disk/{disk}/grow", "migrate", "failover", "prepare-export", "export", "console",
        "tags")),
    *(f"/2/nodes/{{node_name}}/{a}" for a in (
        "role", "modify", "evacuate", "migrate", "powercycle", "storage", "storage/modify",
        "storage/repair", "tags")),
    *(f"/2/groups/{{group_name}}/{a}" for a in ("modify", "rename", "assign-nodes", "tags")),
    *(f"/2/networks/{{network_name}}/{a}" for a in ("modify", "connect", "disconnect", "tags")),
}  # fmt: skip


@pytest.fixture(scope="module")
def document() -> dict[str, object]:
    return describe(endpoints(), "test")


def test_every_ganeti_resource_is_described(document: dict[str, object]) -> None:
    paths = document["paths"]
    assert isinstance(paths, dict)
    assert set(paths) >= GANETI_PATHS


def test_schemas_are_valid_json_schema(document: dict[str, object]) -> None:
    paths = document["paths"]
    assert isinstance(paths, dict)
    for path, methods in paths.items():
        for method, operation in methods.items():
            body = operation.get("requestBody")
            if body:
                schema = body["content"]["application/json"]["schema"]
                jsonschema.Draft202012Validator.check_schema(schema)
            result = operation["responses"]["200"]["content"]["application/json"]["schema"]
            jsonschema.Draft202012Validator.check_schema(result)
            assert operation["operationId"], (path, method)


def test_opcode_bodies_follow_the_opcode_declarations() -> None:
    renames = {"os": "os_type", "name": "instance_name", "destination": "target_node"}
    checked = 0
    for endpoint in endpoints():
        if endpoint.opcode is None or endpoint.body_schema is None:
            continue
        if endpoint.path.endswith("/reinstall") or endpoint.body_schema["type"] != "object":
            continue  # reinstall: three opcodes, own body; node role: a plain string
        params = set(OPCODES[endpoint.opcode.OP_ID].CHECKS)
        for name in endpoint.body_schema["properties"]:
            if name == "__version__":
                continue
            target = renames.get(name, name)
            if name.startswith("custom_"):
                target = name.removeprefix("custom_")
            if endpoint.path in ("/2/groups", "/2/networks") and name == "name":
                target = "group_name" if endpoint.path == "/2/groups" else "network_name"
            assert target in params, (endpoint.method, endpoint.path, name)
        checked += 1
    assert checked > 25


def test_access_and_security_match(document: dict[str, object]) -> None:
    paths = document["paths"]
    assert isinstance(paths, dict)
    assert paths["/2/instances/{instance_name}/shutdown"]["put"]["security"]
    assert "security" not in paths["/2/info"]["get"]
    assert paths["/2/jobs/{job_id}/wait"]["get"]["x-ganeti-access"] == ["write"]

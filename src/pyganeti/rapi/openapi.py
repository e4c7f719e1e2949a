"""The OpenAPI 3.1 description of the RAPI, derived from the endpoint table (whose
request bodies derive from the opcode declarations), served at /2/openapi.json.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pyganeti.rapi.endpoint import REASON_ARG, Endpoint, QueryArg

OPENAPI_PATH = "/2/openapi.json"
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "explain"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "explain": {"type": "string"},
    },
}
_QUERY_SCHEMAS: dict[str, dict[str, Any]] = {
    "flag": {"type": "integer", "enum": [0, 1]},
    "int": {"type": "integer"},
    "str": {"type": "string"},
    "multi": {"type": "array", "items": {"type": "string"}},
}


def _parameter(arg: QueryArg) -> dict[str, Any]:
    param: dict[str, Any] = {
        "name": arg.name,
        "in": "query",
        "required": False,
        "description": arg.doc,
        "schema": _QUERY_SCHEMAS[arg.kind],
    }
    if arg.kind == "multi":
        param["explode"] = True
    return param


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{([^}]+)\}", endpoint.path)
    ]
    params += [_parameter(arg) for arg in (*endpoint.query, REASON_ARG)]
    op_id = endpoint.method.lower() + re.sub(r"[^A-Za-z0-9]+", "_", endpoint.path).rstrip("_")
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": endpoint.summary,
        "parameters": params,
        "responses": {
            "200": {
                "description": "Success",
                "content": {"application/json": {"schema": dict(endpoint.result_schema)}},
            },
            "default": {
                "description": "Error",
                "content": {"application/json": {"schema": _ERROR_SCHEMA}},
            },
        },
    }
    if endpoint.opcode is not None:
        operation["description"] = f"Runs opcode {endpoint.opcode.OP_ID}."
    if endpoint.access:
        operation["security"] = [{"basicAuth": []}]
        operation["x-ganeti-access"] = sorted(endpoint.access)
    if endpoint.body_schema is not None:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": dict(endpoint.body_schema)}},
        }
    return operation


def describe(endpoints: Iterable[Endpoint], version: str) -> dict[str, Any]:
    """The OpenAPI document of `endpoints`."""
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ganeti remote API (pyganeti)",
            "version": version,
            "description": "Ganeti RAPI version 2. Mutating calls answer a job id; follow"
            " it with /2/jobs/{job_id} or /2/jobs/{job_id}/wait.",
        },
        "components": {"securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}}},
        "paths": paths,
    }

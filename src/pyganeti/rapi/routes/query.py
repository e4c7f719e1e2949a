"""Generic queries: /2/query/RESOURCE (GET with fields, PUT with a filter in Ganeti's
query language) and /2/query/RESOURCE/fields.
"""

from __future__ import annotations

from typing import Any

from pyganeti.http.messages import HttpError
from pyganeti.rapi.endpoint import Call, Endpoint, QueryArg

FIELDS_ARG = QueryArg("fields", "str", "Comma-separated field names")
_READ = frozenset({"read", "write"})


def _split(fields: str) -> list[str]:
    return [f.strip() for f in fields.split(",")]


def _fields_arg(call: Call) -> list[str]:
    if call.args["fields"] is None:
        raise HttpError(400, "Missing 'fields' query argument")
    return _split(call.args["fields"])


def query_get(call: Call) -> dict[str, Any]:
    return call.luxi.query(call.items["resource"], _fields_arg(call), None)


def query_put(call: Call) -> dict[str, Any]:
    body = call.body_dict()
    unknown = sorted(set(body) - {"fields", "qfilter", "filter"})
    if unknown:
        raise HttpError(400, f"Unknown body parameter(s) {unknown}")
    fields = body["fields"] if "fields" in body else _fields_arg(call)
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise HttpError(400, "The 'fields' parameter should be a list of strings")
    qfilter = body.get("qfilter")
    if qfilter is None:
        qfilter = body.get("filter")  # the name before Ganeti 2.7
    return call.luxi.query(call.items["resource"], fields, qfilter)


def query_fields(call: Call) -> dict[str, Any]:
    raw = call.args["fields"]
    return call.luxi.query_fields(call.items["resource"], _split(raw) if raw else None)


_RESULT = {
    "type": "object",
    "properties": {"fields": {"type": "array"}, "data": {"type": "array"}},
}
_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "fields": {"type": "array", "items": {"type": "string"}},
        "qfilter": {"description": "Filter in Ganeti's query language (a list)"},
        "filter": {"description": "Old name of qfilter"},
    },
}

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "GET",
        "/2/query/{resource}",
        query_get,
        "Query a resource's fields",
        access=_READ,
        query=(FIELDS_ARG,),
        result_schema=_RESULT,
    ),
    Endpoint(
        "PUT",
        "/2/query/{resource}",
        query_put,
        "Query a resource with a filter",
        access=_READ,
        query=(FIELDS_ARG,),
        body_schema=_BODY,
        result_schema=_RESULT,
    ),
    Endpoint(
        "GET",
        "/2/query/{resource}/fields",
        query_fields,
        "Fields a resource offers",
        query=(FIELDS_ARG,),
        result_schema={"type": "object"},
    ),
]

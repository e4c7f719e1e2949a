"""The tags resources of the cluster, instances, nodes, groups and networks."""

from __future__ import annotations

from typing import Any

from pyganeti.http.messages import HttpError
from pyganeti.opcodes.tags import OpTagsDel, OpTagsSet
from pyganeti.rapi.endpoint import DRY_RUN, Call, Endpoint, QueryArg
from pyganeti.rapi.opjobs import op_endpoint

TAG_ARG = QueryArg("tag", "multi", "A tag (repeat the argument for several)", "tags", [])
TAGS_SCHEMA: dict[str, Any] = {"type": "array", "items": {"type": "string"}}


def tag_endpoints(kind: str, base: str, placeholder: str | None) -> list[Endpoint]:
    """GET, PUT and DELETE on `base`/tags for objects of `kind` ("cluster", "instance"...)."""

    def get(call: Call) -> list[str]:
        name = call.items[placeholder] if placeholder else ""
        return list(call.luxi.query_tags(kind, name))

    def add_name(call: Call, body: dict[str, Any], static: dict[str, Any]) -> Any:
        static["kind"] = kind
        static["name"] = call.items[placeholder] if placeholder else None
        if call.body is not None:
            # Ganeti's client also sends the tags as the body; take them if the query has none.
            if not isinstance(call.body, list) or not all(isinstance(t, str) for t in call.body):
                raise HttpError(400, "Body contents: the tags must be a list of strings")
            static["tags"] = static["tags"] or list(call.body)
        return body, static

    path = f"{base}/tags"
    what = "the cluster" if kind == "cluster" else f"a {kind}"
    return [
        Endpoint("GET", path, get, f"Tags of {what}", result_schema=TAGS_SCHEMA),
        op_endpoint(
            "PUT",
            path,
            OpTagsSet,
            f"Add tags to {what}",
            query=(TAG_ARG, DRY_RUN),
            prepare=add_name,
            raw_body=TAGS_SCHEMA,
        ),
        op_endpoint(
            "DELETE",
            path,
            OpTagsDel,
            f"Remove tags from {what}",
            query=(TAG_ARG, DRY_RUN),
            body=False,
            prepare=add_name,
        ),
    ]

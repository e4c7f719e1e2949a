"""Opcode resources: fill an opcode from body, path and query arguments, validate it
against its declaration, and submit it as a job (Ganeti's FillOpcode and OpcodeResource).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from pyganeti import errors
from pyganeti.http.messages import HttpError
from pyganeti.luxi.client import Client
from pyganeti.opcodes.base import OP_ID_KEY, OpCode
from pyganeti.opcodes.reference import schema
from pyganeti.rapi.endpoint import Call, Endpoint, QueryArg

#: Reason-trail sources, as Ganeti names them.
REASON_SRC_USER = "gnt:user"
REASON_SRC_RLIB2 = "gnt:library:rlib2"

JOB_ID_SCHEMA: Mapping[str, Any] = {"type": "integer", "description": "Id of the submitted job"}

#: (call, body, static) -> (body, static): resource-specific shaping of the input.
Prepare = Callable[[Call, dict[str, Any], dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]]


def reason_trail(call: Call, op_name: str) -> list[list[Any]]:
    trail: list[list[Any]] = []
    now = time.time_ns()
    user_reason = call.args.get("reason")
    if user_reason:
        trail.append([REASON_SRC_USER, user_reason, now])
    trail.append([f"{REASON_SRC_RLIB2}:{op_name}", "", now])
    return trail


def fill_opcode(
    op_class: type[OpCode],
    body: Mapping[str, Any] | None,
    static: Mapping[str, Any],
    rename: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The validated wire dict of `op_class` from client `body` plus `static` parameters.

    Null body values count as absent (Ganeti's clients send e.g. ``"tags": null``).

    400 when a renamed parameter is given twice, a static one is overwritten, or the
    opcode's own validation fails (its message names the parameter).
    """
    # As in Ganeti, a null value means "not given": the parameter takes its default.
    params = {k: v for k, v in (body or {}).items() if v is not None}
    for old, new in (rename or {}).items():
        if old in params and new in params:
            raise HttpError(
                400, f"Parameter '{old}' was renamed to '{new}', but both are specified"
            )
        if old in params:
            params[new] = params.pop(old)
    overwritten = sorted(set(params) & set(static))
    if overwritten:
        raise HttpError(400, f"Can't overwrite static parameters {overwritten}")
    if OP_ID_KEY in params:
        raise HttpError(400, f"Invalid body parameters: '{OP_ID_KEY}' cannot be given")
    params.update(static)
    try:
        return op_class.from_dict(params).to_dict()
    except errors.OpPrereqError as err:
        raise HttpError(400, f"Invalid body parameters: {err.message}") from None


def submit(luxi: Client, ops: list[dict[str, Any]]) -> int:
    """Submit one job; its id."""
    return int(luxi.submit_job(ops))


def op_endpoint(
    method: str,
    path: str,
    op_class: type[OpCode],
    summary: str,
    *,
    access: frozenset[str] = frozenset({"write"}),
    query: tuple[QueryArg, ...] = (),
    body: bool = True,
    rename: Mapping[str, str] | None = None,
    constants: Mapping[str, Any] | None = None,
    forbidden: tuple[str, ...] = (),
    prepare: Prepare | None = None,
    extra_body: Mapping[str, Any] | None = None,
    raw_body: Mapping[str, Any] | None = None,
) -> Endpoint:
    """An endpoint that submits one `op_class` job and answers its id.

    Path placeholders are named after the opcode parameters they fill; query arguments
    with a ``param`` fill that parameter; `constants` are fixed parameters; with `body`
    the JSON body supplies the other parameters (renamed per `rename`). With `raw_body`
    (its JSON Schema) the body is not an object of parameters: `prepare` reads it.
    """
    op_name = _op_name(method, path)
    # Placeholders named after a parameter fill it; `prepare` uses the others.
    path_params = [p for p in _placeholders(path) if p in op_class.CHECKS]

    def handler(call: Call) -> int:
        data = call.body_dict() if body and raw_body is None else {}
        if not body and call.body not in (None, {}):
            raise HttpError(400, f"{method} {path} takes no request body")
        for name in forbidden:
            if name in data or name in call.args:
                raise HttpError(403, f"The parameter {name} cannot be set via RAPI")
        static: dict[str, Any] = dict(constants or {})
        for name in path_params:
            static[name] = call.items[name]
        for arg in query:
            if arg.param is not None:
                static[arg.param] = call.args[arg.name]
        if prepare is not None:
            data, static = prepare(call, data, static)
        static["reason"] = reason_trail(call, op_name)
        return submit(call.luxi, [fill_opcode(op_class, data, static, rename)])

    body_schema = dict(raw_body) if raw_body is not None else None
    if body and raw_body is None:
        fixed = (
            set(_placeholders(path)) | {a.param for a in query if a.param} | set(constants or {})
        )
        body_schema = body_schema_of(op_class, fixed | {"reason"}, rename, extra_body)
    return Endpoint(
        method,
        path,
        handler,
        summary,
        access=access,
        query=query,
        body_schema=body_schema,
        result_schema=JOB_ID_SCHEMA,
        opcode=op_class,
    )


def body_schema_of(
    op_class: type[OpCode],
    fixed: set[str],
    rename: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """JSON Schema of a request body filling `op_class`, without the `fixed` parameters."""
    full = schema(op_class)
    back = {new: old for old, new in (rename or {}).items()}
    properties: dict[str, Any] = {}
    for name, prop in full["properties"].items():
        if name == OP_ID_KEY or name in fixed:
            continue
        properties[back.get(name, name)] = prop
    properties.update(extra or {})
    required = [back.get(n, n) for n in full["required"] if n not in fixed]
    out: dict[str, Any] = {
        "type": "object",
        "description": full["description"],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def _placeholders(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _op_name(method: str, path: str) -> str:
    # Ganeti names the trail entry after the resource class, e.g. "instances_name_startup".
    words = [p for p in path.split("/")[2:] if p]
    name = "_".join("name" if w.startswith("{") else w.replace("-", "_") for w in words)
    return name or method.lower()


def wait_for_job(luxi: Client, job_id: int, timeout: float = 300.0) -> list[Any]:
    """Block until job `job_id` ends; its [status, opresult]. A bounded long-poll loop."""
    deadline = time.monotonic() + timeout
    prev: list[Any] | None = None
    finished = ("success", "error", "canceled")
    while time.monotonic() < deadline:
        change = luxi.wait_for_job_change_once(job_id, ["status"], prev, None)
        if isinstance(change, list) and change:
            prev = change[0]
            if prev and prev[0] in finished:
                break
    rows = luxi.query_jobs([job_id], ["status", "opresult"])
    if not rows or rows[0] is None:
        raise errors.JobLost(f"Job {job_id} disappeared")
    result: list[Any] = rows[0]
    return result

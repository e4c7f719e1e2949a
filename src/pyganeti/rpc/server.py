"""The noded side of node RPC: one POST route per call of the table, run in handler threads."""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from typing import Any

from pyganeti import errors
from pyganeti.http.messages import HttpError, Request, Response, json_bytes
from pyganeti.http.routing import Router
from pyganeti.node.context import NodeContext
from pyganeti.rpc.calls import CALLS, Call

log = logging.getLogger(__name__)

Impl = Callable[..., Any]


def resolve(call: Call) -> Impl:
    """The node-side function implementing `call`, checked against the declared arguments."""
    module_name, _, attr = call.impl.partition(":")
    fn: Impl = getattr(importlib.import_module(module_name), attr)
    params = list(inspect.signature(fn).parameters)
    if params[1:] != [a.name for a in call.args]:
        raise errors.ProgrammerError(
            f"RPC {call.name}: {call.impl} takes {params[1:]}, table declares"
            f" {[a.name for a in call.args]}"
        )
    return fn


def _reply(payload: dict[str, Any]) -> Response:
    return Response(200, json_bytes(payload), [("Content-Type", "application/json")])


def make_handler(call: Call, fn: Impl, ctx: NodeContext) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        body = request.json()
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise HttpError(400, f"RPC {call.name}: body must be a JSON object of named arguments")
        try:
            result = fn(ctx, **call.bind(body))
            return _reply({"success": True, "result": result})
        except errors.GenericError as err:
            log.info("RPC %s failed: %s", call.name, err)
            return _reply({"success": False, "error": errors.encode(err)})
        except Exception as err:
            # A node-side bug or unexpected OS error: report it, never drop the connection.
            log.exception("RPC %s raised an unexpected error", call.name)
            return _reply({"success": False, "error": errors.encode(err)})

    handler.__name__ = f"rpc_{call.name}"
    return handler


def build_router(ctx: NodeContext, router: Router | None = None) -> Router:
    """A Router with POST /<name> for every call of the table."""
    router = router or Router()
    for call in CALLS.values():
        router.add("POST", f"/{call.name}", make_handler(call, resolve(call), ctx))
    return router

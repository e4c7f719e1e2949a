"""Luxi framing: JSON messages terminated by ETX (0x03), as Ganeti 3.0 speaks it.

Requests are {"method", "args", "version"}; responses {"success", "result", "version"}.
Errors travel as result = [error class name, args] with success false. Our internal
wconfd protocol reuses the same framing so there is one wire implementation.
"""

from __future__ import annotations

import json
from typing import Any

from pyganeti import errors, serializer

EOM = b"\x03"
LUXI_VERSION = 3000000
KEY_METHOD = "method"
KEY_ARGS = "args"
KEY_SUCCESS = "success"
KEY_RESULT = "result"
KEY_VERSION = "version"
# Upper bound on one message: protects daemons from a client that never sends ETX.
MAX_MESSAGE = 256 * 1024 * 1024


def encode_request(method: str, args: Any, version: int | None = LUXI_VERSION) -> bytes:
    req: dict[str, Any] = {KEY_METHOD: method, KEY_ARGS: args}
    if version is not None:
        req[KEY_VERSION] = version
    return serializer.dumps(req) + EOM


def encode_response(success: bool, result: Any, version: int | None = LUXI_VERSION) -> bytes:
    resp: dict[str, Any] = {KEY_SUCCESS: success, KEY_RESULT: result}
    if version is not None:
        resp[KEY_VERSION] = version
    return serializer.dumps(resp) + EOM


def parse_request(raw: bytes) -> tuple[str, Any, int | None]:
    """(method, args, version) from one message; LuxiError on anything malformed."""
    try:
        req = json.loads(raw)
    except ValueError as err:
        raise errors.LuxiError(f"Invalid luxi request (not JSON): {err}") from None
    if not isinstance(req, dict):
        raise errors.LuxiError("Invalid luxi request (not a JSON object)")
    method, args = req.get(KEY_METHOD), req.get(KEY_ARGS)
    if not isinstance(method, str) or args is None:
        raise errors.LuxiError("Invalid luxi request (missing method or args)")
    version = req.get(KEY_VERSION)
    return method, args, version if isinstance(version, int) else None


def parse_response(raw: bytes) -> Any:
    """The result of one response message; re-raises encoded errors."""
    try:
        data = json.loads(raw)
    except ValueError as err:
        raise errors.LuxiError(f"Invalid luxi response (not JSON): {err}") from None
    if not isinstance(data, dict) or KEY_SUCCESS not in data or KEY_RESULT not in data:
        raise errors.LuxiError(f"Invalid luxi response: {data!r}"[:500])
    if data[KEY_SUCCESS]:
        return data[KEY_RESULT]
    errors.maybe_raise(data[KEY_RESULT])
    raise errors.LuxiError(str(data[KEY_RESULT]))

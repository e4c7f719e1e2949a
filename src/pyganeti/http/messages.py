"""Request, response and error types of the HTTP server, plus JSON helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from pyganeti import serializer


class HttpError(Exception):
    """Raised by handlers (or the server) to answer with a 4xx/5xx status and a message."""

    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


@dataclass
class Request:
    """One parsed request; header names are lower-case, `params` holds route placeholders."""

    method: str
    target: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    peer: tuple[str, int]
    peer_cert: bytes | None = None  # DER form of the client's TLS certificate, if any
    params: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body decoded as JSON (empty body → None); HttpError 400 when malformed."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, ValueError) as err:
            raise HttpError(400, f"request body is not valid JSON: {err}") from None
        except RecursionError:
            raise HttpError(400, "request body is nested too deeply") from None

    def query_value(self, name: str, default: str | None = None) -> str | None:
        """The last value of query argument `name` (Ganeti reads the last one too)."""
        values = self.query.get(name)
        return values[-1] if values else default


def split_target(target: str) -> tuple[str, dict[str, list[str]]]:
    """Split a request target into its path and parsed query string."""
    path, _, qs = target.partition("?")
    return path, parse_qs(qs, keep_blank_values=True)


@dataclass
class Response:
    """What a handler returns; the server adds Content-Length and connection headers."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        # Ganeti's serializer ends every JSON document with a newline; clients compare
        # bodies such as RAPI's "2\n" byte for byte.
        return cls(status, json_bytes(data) + b"\n", [("Content-Type", "application/json")])

    @classmethod
    def text(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), [("Content-Type", "text/plain; charset=utf-8")])


def json_bytes(data: Any) -> bytes:
    """Compact JSON encoding used on every wire we speak."""
    return serializer.dumps(data)


def error_response(err: HttpError) -> Response:
    resp = Response.json({"code": err.status, "message": err.message}, err.status)
    resp.headers.extend(err.headers)
    return resp

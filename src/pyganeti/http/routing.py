"""Route table: (method, path pattern) → handler, with 404/405 decided in one place."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from pyganeti.http.messages import HttpError, Request, Response

SyncHandler = Callable[[Request], Response]
AsyncHandler = Callable[[Request], Awaitable[Response]]
Handler = SyncHandler | AsyncHandler

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    is_async: bool
    regex: re.Pattern[str] | None  # None for a literal path (dictionary lookup)


def _compile(pattern: str) -> re.Pattern[str] | None:
    if not pattern.startswith("/"):
        raise ValueError(f"route pattern must start with '/': {pattern!r}")
    if "{" not in pattern:
        return None
    parts: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(pattern):
        parts.append(re.escape(pattern[pos : m.start()]))
        parts.append(f"(?P<{m.group(1)}>[^/]+)")
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("".join(parts) + r"\Z")


class Router:
    """Ordered route table; literal paths are looked up before patterns."""

    def __init__(self) -> None:
        self._literal: dict[str, dict[str, Route]] = {}
        self._patterns: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register `handler`; coroutine functions run on the loop, others in a thread."""
        method = method.upper()
        route = Route(method, pattern, handler, _is_async(handler), _compile(pattern))
        if route.regex is None:
            by_method = self._literal.setdefault(pattern, {})
            if method in by_method:
                raise ValueError(f"duplicate route {method} {pattern}")
            by_method[method] = route
        else:
            self._patterns.append(route)

    def routes(self) -> list[Route]:
        literal = [r for by_method in self._literal.values() for r in by_method.values()]
        return literal + list(self._patterns)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route for (method, path) and its placeholders; HttpError 404/405 otherwise."""
        allowed: set[str] = set()
        by_method = self._literal.get(path)
        if by_method is not None:
            route = by_method.get(method) or (by_method.get("GET") if method == "HEAD" else None)
            if route is not None:
                return route, {}
            allowed.update(by_method)
        for route in self._patterns:
            assert route.regex is not None
            m = route.regex.match(path)
            if m is None:
                continue
            if route.method == method or (method == "HEAD" and route.method == "GET"):
                return route, {k: unquote(v) for k, v in m.groupdict().items()}
            allowed.add(route.method)
        if allowed:
            allow = ", ".join(sorted(allowed))
            raise HttpError(405, f"method {method} not allowed on {path}", [("Allow", allow)])
        raise HttpError(404, f"no such resource: {path}")


def _is_async(handler: Any) -> bool:
    if inspect.iscoroutinefunction(handler):
        return True
    call = getattr(handler, "__call__", None)  # noqa: B004 - callable objects
    return call is not None and inspect.iscoroutinefunction(call)

"""The RAPI request pipeline: route → authenticate → decode body → handler → JSON answer,
with every failure answered in Ganeti's error format ({code, message, explain}).
"""

from __future__ import annotations

import functools
import http
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pyganeti import errors
from pyganeti.http.messages import HttpError, Request, Response
from pyganeti.http.routing import Route, Router
from pyganeti.luxi.client import Client
from pyganeti.paths import Paths
from pyganeti.rapi.auth import REALM, User, UsersFile, parse_basic
from pyganeti.rapi.endpoint import Call, Endpoint, parse_query

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
#: Seconds to keep retrying a refused connection to luxid (it may be restarting).
LUXI_CONNECT_TIMEOUT = 2.0


def error_response(status: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """Ganeti's error body; its client reads code, message and explain."""
    try:
        explain = http.HTTPStatus(status).description
    except ValueError:
        explain = ""
    response = Response.json({"code": status, "message": message, "explain": explain}, status)
    response.headers.extend(headers)
    return response


def error_status(err: errors.GenericError) -> int:
    """HTTP status for an error raised by luxid (or by talking to it)."""
    if isinstance(err, errors.TransportError):
        return 502  # the master daemon is unreachable: a gateway problem, as Ganeti says
    return errors.http_status(err)


class RapiRouter(Router):
    """A Router whose 404/405 answers use the RAPI error format."""

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        try:
            return super().match(method, path)
        except HttpError as err:
            failure = error_response(err.status, err.message, err.headers)

            async def answer(_request: Request) -> Response:
                return failure

            return Route(method, path, answer, True, None), {}


class RapiApp:
    """Serves a list of endpoints for one cluster root."""

    def __init__(
        self,
        paths: Paths,
        endpoints: Iterable[Endpoint],
        *,
        require_authentication: bool = False,
        users: UsersFile | None = None,
        luxi_factory: Callable[[], Client] | None = None,
    ) -> None:
        self.paths = paths
        self.endpoints = list(endpoints)
        self.require_authentication = require_authentication
        self.users = users or UsersFile(paths.rapi_users)
        self._luxi_factory = luxi_factory or (lambda: _luxi_client(paths))
        # One persistent luxi connection per handler thread: no connect per request.
        self._local = threading.local()

    def luxi(self) -> Client:
        """This thread's luxi client, reconnected when luxid's socket was recreated."""
        return self._luxi()[0]

    def _luxi(self) -> tuple[Client, bool]:
        try:
            stamp: int | None = os.stat(self.paths.luxi_socket).st_ino
        except OSError:
            stamp = None
        client: Client | None = getattr(self._local, "client", None)
        if client is not None and getattr(self._local, "stamp", None) != stamp:
            client.close()  # luxid restarted since: the kept connection is dead
            client = None
        if client is None:
            client = self._luxi_factory()
            self._local.client = client
            self._local.stamp = stamp
            return client, True
        return client, False

    def router(self) -> Router:
        router = RapiRouter()
        for endpoint in self.endpoints:
            router.add(endpoint.method, endpoint.path, functools.partial(self.handle, endpoint))
        return router

    def handle(self, endpoint: Endpoint, request: Request) -> Response:
        """Run one request through the pipeline (in a handler thread)."""
        try:
            user = self._authenticate(endpoint, request)
            args = parse_query(request.query, endpoint.query)
            body = _decode_body(request)
            luxi, fresh = self._luxi()
            call = Call(request, request.params, args, body, luxi, user, endpoint)
            try:
                result = endpoint.handler(call)
            except errors.TransportError:
                if fresh or request.method not in ("GET", "HEAD"):
                    raise
                # The thread's kept connection may predate a luxid restart: a read is
                # safe to repeat once on a new connection.
                self._local.client = None
                call.luxi = self.luxi()
                result = endpoint.handler(call)
        except HttpError as err:
            return error_response(err.status, err.message, err.headers)
        except errors.GenericError as err:
            status = error_status(err)
            if status >= 500:
                log.error("%s %s failed: %s", request.method, request.path, err)
            return error_response(status, err.message)
        if isinstance(result, Response):
            return result
        return Response.json(result)

    def _authenticate(self, endpoint: Endpoint, request: Request) -> User | None:
        """The authenticated user (None for anonymous); 401 or 403 when not allowed."""
        needed = endpoint.access
        header = request.headers.get("authorization")
        if not (self.require_authentication or needed or header):
            return None
        challenge = [("WWW-Authenticate", f'Basic realm="{REALM}"')]
        creds = parse_basic(header) if header else None
        if creds is None:
            if header:
                log.warning("RAPI login failed from %s: unsupported credentials", request.peer[0])
            raise HttpError(401, "Authentication required", challenge)
        user = self.users.authenticate(*creds)
        if user is None:
            raise HttpError(401, "Wrong user name or password", challenge)
        if needed and not (needed & user.access):
            raise HttpError(
                403, f"User '{user.name}' lacks the {'/'.join(sorted(needed))} right for this"
            )
        return user


def _luxi_client(paths: Paths) -> Client:
    client = Client(paths, rw_timeout=120.0)
    # Answer 502 soon when luxid is down instead of retrying the connect for long.
    client.transport.connect_timeout = LUXI_CONNECT_TIMEOUT
    return client


def _decode_body(request: Request) -> Any:
    if not request.body:
        return None
    content_type = request.headers.get("content-type", "application/octet-stream")
    if content_type.split(";", 1)[0].strip().lower() != JSON_TYPE:
        # 400 as the issue asks (Ganeti itself answers 415 Unsupported Media Type).
        raise HttpError(
            400, f"Request bodies must be {JSON_TYPE}, not {content_type.split(';', 1)[0]!r}"
        )
    try:
        return json.loads(request.body)
    except (UnicodeDecodeError, ValueError) as err:
        raise HttpError(400, f"Unable to parse JSON data: {err}") from None
    except RecursionError:
        raise HttpError(400, "Unable to parse JSON data: nested too deeply") from None

"""Asyncio HTTP/1.1 server: h11 protocol, our connection loop, TLS, keep-alive, --max-clients.

Ganeti's --max-clients semantics: connections beyond the limit are accepted but no request
is read from them until enough earlier connections have closed (a semaphore per connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import http
import logging
import socket
import ssl
import struct
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import h11

from pyganeti.http.messages import HttpError, Request, Response, error_response, split_target
from pyganeti.http.routing import Router

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 64 * 1024 * 1024
_READ_CHUNK = 256 * 1024
_SIOCGIFADDR = 0x8915


class _CloseAfter(HttpError):
    """A request error after which the connection cannot be reused."""


class HttpServer:
    """Serve a Router over HTTP(S); use `async with server:` then `await serve_forever()`."""

    def __init__(
        self,
        router: Router,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_clients: int = 20,
        max_body_size: int = DEFAULT_MAX_BODY,
        idle_timeout: float = 60.0,
        request_timeout: float = 60.0,
        server_name: str = "pyganeti",
    ) -> None:
        if max_clients < 1:
            raise ValueError(f"max_clients must be at least 1, not {max_clients}")
        self.router = router
        self.ssl_context = ssl_context
        self.max_clients = max_clients
        self.max_body_size = max_body_size
        self.idle_timeout = idle_timeout
        self.request_timeout = request_timeout
        self.server_name = server_name
        self._slots: asyncio.Semaphore | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        # Sync handlers (e.g. a long OS install) run here so the loop stays responsive.
        self._executor = ThreadPoolExecutor(
            max_workers=max_clients + 4, thread_name_prefix="http-handler"
        )

    async def start(self, host: str, port: int) -> tuple[str, int]:
        """Bind and start listening; returns the bound (address, port)."""
        self._slots = asyncio.Semaphore(self.max_clients)
        self._server = await asyncio.start_server(
            self._on_connection,
            host,
            port,
            ssl=self.ssl_context,
            reuse_address=True,
            ssl_handshake_timeout=30.0 if self.ssl_context else None,
        )
        addr = self._server.sockets[0].getsockname()
        log.info("listening on %s:%d%s", addr[0], addr[1], " (TLS)" if self.ssl_context else "")
        return str(addr[0]), int(addr[1])

    @property
    def address(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("server not started")
        addr = self._server.sockets[0].getsockname()
        return str(addr[0]), int(addr[1])

    async def serve_forever(self) -> None:
        if self._server is None:
            raise RuntimeError("call start() before serve_forever()")
        await self._server.serve_forever()

    async def close(self) -> None:
        """Stop listening, drop open connections and release the handler threads."""
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def __aenter__(self) -> HttpServer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- one connection ------------------------------------------------
    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None and self._slots is not None
        self._connections.add(task)
        peername = writer.get_extra_info("peername") or ("", 0)
        peer = (str(peername[0]), int(peername[1]))
        ssl_object = writer.get_extra_info("ssl_object")
        cert = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        aborted = False
        try:
            async with self._slots:
                await self._serve(reader, writer, peer, cert)
        except (ConnectionError, ssl.SSLError, TimeoutError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # Server shutdown: drop the connection at once rather than wait for the peer.
            aborted = True
        except Exception:
            log.exception("unexpected error on connection from %s", peer)
        finally:
            self._connections.discard(task)
            if aborted:
                writer.transport.abort()
            else:
                writer.close()
                # A TLS close waits for the peer's close_notify; do not let it linger.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer.wait_closed(), 5.0)

    async def _serve(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: tuple[str, int],
        cert: bytes | None,
    ) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=64 * 1024)
        while True:
            try:
                request = await self._read_request(conn, reader, writer, peer, cert)
            except _CloseAfter as err:
                await self._send(conn, writer, error_response(err), head=False, close=True)
                return
            if request is None:
                return
            response = await self._dispatch(request)
            log.debug("%s %s %s -> %d", peer[0], request.method, request.path, response.status)
            await self._send(conn, writer, response, head=request.method == "HEAD", close=False)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            try:
                conn.start_next_cycle()
            except h11.LocalProtocolError:
                return

    async def _read_request(
        self,
        conn: h11.Connection,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: tuple[str, int],
        cert: bytes | None,
    ) -> Request | None:
        head: h11.Request | None = None
        body = bytearray()
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as err:
                raise _CloseAfter(err.error_status_hint, f"bad request: {err}") from None
            if event is h11.NEED_DATA:
                if conn.client_is_waiting_for_100_continue:
                    # curl and friends wait for this before sending a large body.
                    writer.write(conn.send(h11.InformationalResponse(status_code=100, headers=[])))
                # Idle keep-alive connections hold a slot: drop them after idle_timeout.
                timeout = self.idle_timeout if head is None else self.request_timeout
                try:
                    # asyncio.timeout, unlike wait_for, creates no task per read.
                    async with asyncio.timeout(timeout):
                        data = await reader.read(_READ_CHUNK)
                except TimeoutError:
                    return None
                if not data and head is None and not body:
                    return None
                conn.receive_data(data)
            elif isinstance(event, h11.Request):
                head = event
                length = _header(event.headers, b"content-length")
                if length is not None and length.isdigit() and int(length) > self.max_body_size:
                    raise _CloseAfter(413, f"request body larger than {self.max_body_size} bytes")
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > self.max_body_size:
                    raise _CloseAfter(413, f"request body larger than {self.max_body_size} bytes")
            elif isinstance(event, h11.EndOfMessage):
                assert head is not None
                return _make_request(head, bytes(body), peer, cert)
            elif isinstance(event, h11.ConnectionClosed):
                return None

    async def _dispatch(self, request: Request) -> Response:
        try:
            route, params = self.router.match(request.method, request.path)
            request.params = params
            if route.is_async:
                response = await route.handler(request)  # type: ignore[misc]
            else:
                loop = asyncio.get_running_loop()
                response = await loop.run_in_executor(self._executor, route.handler, request)
            if not isinstance(response, Response):
                raise TypeError(f"handler for {route.pattern} returned {type(response).__name__}")
            return response
        except HttpError as err:
            return error_response(err)
        except Exception:
            log.exception("handler failed for %s %s", request.method, request.path)
            return error_response(HttpError(500, "internal server error"))

    async def _send(
        self,
        conn: h11.Connection,
        writer: asyncio.StreamWriter,
        response: Response,
        *,
        head: bool,
        close: bool,
    ) -> None:
        headers = [
            ("Server", self.server_name),
            ("Content-Length", str(len(response.body))),
            *response.headers,
        ]
        if close:
            headers.append(("Connection", "close"))
        try:
            reason = http.HTTPStatus(response.status).phrase.encode()
        except ValueError:
            reason = b""
        try:
            data = conn.send(
                h11.Response(status_code=response.status, headers=headers, reason=reason)
            )
            if not head and response.body:
                data += conn.send(h11.Data(data=response.body))
            data += conn.send(h11.EndOfMessage())
        except h11.LocalProtocolError:
            # The peer broke the protocol too badly for a reply; just close.
            return
        writer.write(data)
        await writer.drain()


def _header(headers: Any, name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _make_request(
    head: h11.Request, body: bytes, peer: tuple[str, int], cert: bytes | None
) -> Request:
    target = bytes(head.target).decode("latin-1")
    path, query = split_target(target)
    headers: dict[str, str] = {}
    for key, value in head.headers:
        name = bytes(key).decode("latin-1")
        text = bytes(value).decode("latin-1")
        headers[name] = f"{headers[name]}, {text}" if name in headers else text
    return Request(
        method=bytes(head.method).decode("ascii"),
        target=target,
        path=path,
        query=query,
        headers=headers,
        body=body,
        peer=peer,
        peer_cert=cert,
    )


def interface_address(interface: str) -> str:
    """The IPv4 address of network interface `interface` (for --interface)."""
    if not interface or len(interface.encode()) > 15:
        raise ValueError(f"invalid interface name {interface!r}")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            packed = fcntl.ioctl(
                sock.fileno(), _SIOCGIFADDR, struct.pack("256s", interface.encode())
            )
        except OSError as err:
            raise ValueError(
                f"interface {interface!r} has no IPv4 address: {err.strerror}"
            ) from None
    return socket.inet_ntoa(packed[20:24])

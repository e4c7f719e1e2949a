"""The master's node RPC client: typed-checked calls from the table over pooled HTTPS (httpx).

One httpx.Client (connection pool, keep-alive) per node; safe to share between job threads.
"""

from __future__ import annotations

import json
import socket
import ssl as ssl_module
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from pyganeti import certs, errors
from pyganeti.paths import Paths
from pyganeti.rpc.calls import Call, get_call

DEFAULT_PORT = 1811
# Shorter than the server's idle timeout, so we never reuse a connection it is closing.
_KEEPALIVE_EXPIRY = 15.0


@dataclass
class RpcResult:
    """The outcome of one call on one node (like Ganeti's RpcResult)."""

    node: str
    call: str
    payload: Any = None
    fail_msg: str | None = None
    error: errors.GenericError | None = None

    @property
    def failed(self) -> bool:
        return self.fail_msg is not None

    def raise_if_failed(self, msg: str | None = None, prereq: bool = False) -> None:
        """Raise OpExecError (OpPrereqError if `prereq`) prefixed with `msg` when failed."""
        if self.fail_msg is None:
            return
        text = f"{msg}: {self.fail_msg}" if msg else self.fail_msg
        if prereq:
            raise errors.OpPrereqError(text, errors.ECODE_ENVIRON)
        raise errors.OpExecError(text)


class RpcClient:
    """Call node RPCs by name with keyword arguments checked against the call table."""

    def __init__(self, paths: Paths, port: int = DEFAULT_PORT, ssl: bool = True) -> None:
        self.paths = paths
        self.port = port
        self.ssl = ssl
        self._ssl_context: ssl_module.SSLContext | None = None
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def _context(self) -> ssl_module.SSLContext:
        if self._ssl_context is None:
            if not self.paths.server_pem.exists():
                raise errors.X509CertError(
                    f"cluster certificate {self.paths.server_pem} is missing: cannot talk to nodes"
                )
            self._ssl_context = certs.client_context(self.paths.server_pem)
        return self._ssl_context

    def _client(self, address: str) -> httpx.Client:
        with self._lock:
            client = self._clients.get(address)
            if client is None:
                host = f"[{address}]" if ":" in address else address
                scheme = "https" if self.ssl else "http"
                transport = httpx.HTTPTransport(
                    verify=self._context() if self.ssl else False,
                    limits=httpx.Limits(
                        max_connections=16,
                        max_keepalive_connections=16,
                        keepalive_expiry=_KEEPALIVE_EXPIRY,
                    ),
                    # Headers and body go out as separate writes: do not let Nagle hold one.
                    socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
                )
                client = httpx.Client(
                    base_url=f"{scheme}://{host}:{self.port}", transport=transport, trust_env=False
                )
                self._clients[address] = client
            return client

    def call(self, node_address: str, name: str, /, **args: Any) -> Any:
        """Run call `name` on one node; returns its result or raises the node's error."""
        call = get_call(name)
        body = call.bind(args)
        return self._post(node_address, call, body)

    def _post(self, address: str, call: Call, body: dict[str, Any]) -> Any:
        seconds = call.timeout_for(body)
        timeout = httpx.Timeout(seconds, connect=min(5.0, seconds))
        try:
            resp = self._client(address).post(
                f"/{call.name}",
                content=json.dumps(body, separators=(",", ":")).encode(),
                headers={"Content-Type": "application/json"},
                timeout=timeout,
            )
        except httpx.TimeoutException as err:
            raise errors.RemoteError(
                f"node {address} unreachable: no answer to {call.name} within"
                f" {seconds:g} s ({type(err).__name__})"
            ) from None
        except httpx.TransportError as err:
            raise errors.RemoteError(
                f"node {address} unreachable: {err or type(err).__name__}"
            ) from None
        if resp.status_code != 200:
            raise errors.RemoteError(
                f"node {address} answered {call.name} with HTTP {resp.status_code}:"
                f" {resp.text[:200]}"
            )
        try:
            reply = resp.json()
            success = reply["success"]
        except (ValueError, KeyError, TypeError):
            raise errors.RemoteError(
                f"node {address} sent a malformed reply to {call.name}"
            ) from None
        if success:
            return reply.get("result")
        encoded = reply.get("error")
        errors.maybe_raise(encoded)
        raise errors.RemoteError(f"node {address}: {call.name} failed: {encoded!r}")

    def call_many(self, addresses: list[str], name: str, /, **args: Any) -> dict[str, RpcResult]:
        """Run call `name` on several nodes concurrently; failures are in each RpcResult."""
        call = get_call(name)
        body = call.bind(args)
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="rpc")
            pool = self._pool
        futures = {
            addr: pool.submit(self._one, addr, call, body) for addr in dict.fromkeys(addresses)
        }
        return {addr: fut.result() for addr, fut in futures.items()}

    def _one(self, address: str, call: Call, body: dict[str, Any]) -> RpcResult:
        try:
            return RpcResult(address, call.name, payload=self._post(address, call, body))
        except errors.GenericError as err:
            return RpcResult(address, call.name, fail_msg=err.message, error=err)

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, {}
            pool, self._pool = self._pool, None
        for client in clients.values():
            client.close()
        if pool is not None:
            pool.shutdown(wait=False)

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

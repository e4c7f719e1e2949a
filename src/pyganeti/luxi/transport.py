"""Blocking luxi transport: one unix-socket connection, ETX-framed messages."""

from __future__ import annotations

import socket
import time
from typing import Any

from pyganeti import errors
from pyganeti.luxi import protocol
from pyganeti.unixpath import usable


class Transport:
    """A persistent connection to a luxi-framed unix socket (reconnects on demand)."""

    def __init__(
        self, address: str, connect_timeout: float = 10.0, rw_timeout: float | None = 60.0
    ) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self.rw_timeout = rw_timeout
        self._sock: socket.socket | None = None
        self._buf = b""

    def _connect(self) -> socket.socket:
        deadline = time.monotonic() + self.connect_timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.connect_timeout)
                with usable(self.address) as address:
                    sock.connect(address)
                sock.settimeout(self.rw_timeout)
                return sock
            except (FileNotFoundError, ConnectionRefusedError) as err:
                sock.close()
                # The daemon may be starting: retry briefly, then report clearly.
                if time.monotonic() >= deadline:
                    raise errors.TransportError(
                        f"Cannot connect to {self.address}: {err.strerror}"
                    ) from None
                time.sleep(0.05)
            except OSError:
                sock.close()
                raise

    def call(self, method: str, args: Any, version: int | None = protocol.LUXI_VERSION) -> Any:
        """Send one request and return its result (re-raising encoded errors)."""
        if self._sock is None:
            self._sock = self._connect()
            self._buf = b""
        try:
            self._sock.sendall(protocol.encode_request(method, args, version))
            raw = self._recv()
        except OSError as err:
            self.close()
            raise errors.TransportError(f"Connection to {self.address} failed: {err}") from None
        except errors.TransportError:
            self.close()
            raise
        return protocol.parse_response(raw)

    def _recv(self) -> bytes:
        assert self._sock is not None
        while protocol.EOM not in self._buf:
            try:
                chunk = self._sock.recv(65536)
            except TimeoutError:
                raise errors.TransportError(f"Timeout waiting for {self.address}") from None
            if not chunk:
                raise errors.TransportError(f"Connection to {self.address} closed by peer")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(protocol.EOM)
        return msg

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None
                self._buf = b""

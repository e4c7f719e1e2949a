"""Server side of the luxi framing: one asyncio connection handler for luxid and wconfd.

Kept apart from protocol.py so that clients (every gnt-* command) never import asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from pyganeti import errors
from pyganeti.luxi.protocol import EOM, MAX_MESSAGE, encode_response, parse_request
from pyganeti.unixpath import usable

Handler = Callable[[str, Any], Awaitable[Any]]


async def serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler
) -> None:
    """Serve requests on one connection until the peer closes it.

    Each request is answered in order; a handler exception becomes an encoded error
    response, so one bad request never takes the daemon or the connection down.
    """
    try:
        while True:
            try:
                raw = await reader.readuntil(EOM)
            except asyncio.IncompleteReadError:
                return
            except asyncio.LimitOverrunError:
                writer.write(
                    encode_response(
                        False, errors.encode(errors.LuxiError("luxi message too large"))
                    )
                )
                await writer.drain()
                return
            try:
                method, args, _version = parse_request(raw[:-1])
                result = await handler(method, args)
                out = encode_response(True, result)
            except Exception as err:
                out = encode_response(False, errors.encode(err))
            writer.write(out)
            await writer.drain()
    except (ConnectionError, BrokenPipeError):
        return
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, BrokenPipeError):
            await writer.wait_closed()


async def start_unix_server(path: str, handler: Handler) -> asyncio.base_events.Server:
    """Listen on unix socket `path` and serve luxi-framed requests with `handler`."""

    async def on_client(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        await serve_connection(r, w, handler)

    with usable(path) as bind_path:
        return await asyncio.start_unix_server(on_client, path=bind_path, limit=MAX_MESSAGE)


@contextlib.asynccontextmanager
async def listening(path: Path, handler: Handler) -> AsyncIterator[asyncio.base_events.Server]:
    """Serve `handler` on unix socket `path` for the block: a stale socket left by a killed
    predecessor is replaced, the socket is group-accessible, and removed at the end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    server = await start_unix_server(str(path), handler)
    os.chmod(path, 0o660)
    try:
        yield server
    finally:
        server.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)

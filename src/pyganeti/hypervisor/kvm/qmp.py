"""QMP through the qemu.qmp library: short synchronous sessions for the hypervisor code.

Node RPC handlers are synchronous threads; each call here runs one asyncio session
(connect, commands, disconnect) on its own event loop, in a helper thread when the
caller already runs a loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from qemu.qmp import QMPClient, QMPError

from pyganeti import errors

DEFAULT_TIMEOUT = 10.0
T = TypeVar("T")

Session = Callable[[QMPClient], Awaitable[T]]


def _run_sync(coro_factory: Callable[[], Awaitable[T]]) -> T:
    async def wrapper() -> T:
        return await coro_factory()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrapper())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, wrapper()).result()


async def session(socket: Path, body: Session[T], timeout: float = DEFAULT_TIMEOUT) -> T:
    """Connect to `socket`, run `body(client)`, always disconnect."""
    client = QMPClient(f"pyganeti:{socket.name}")
    try:
        await asyncio.wait_for(client.connect(str(socket)), timeout)
        return await asyncio.wait_for(body(client), timeout)
    except (TimeoutError, QMPError, OSError) as err:
        raise errors.HypervisorError(
            f"QMP on {socket}: {type(err).__name__}: {err or 'timed out'}"
        ) from None
    finally:
        await client.disconnect()


def run(socket: Path, body: Session[T], timeout: float = DEFAULT_TIMEOUT) -> T:
    """Synchronously run one QMP session (see `session`)."""
    return _run_sync(lambda: session(socket, body, timeout))


def execute(
    socket: Path, command: str, arguments: dict[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Any:  # fmt: skip
    """One QMP command; its "return" value, or HypervisorError."""

    async def body(client: QMPClient) -> Any:
        return await client.execute(command, arguments)

    return run(socket, body, timeout)

"""Blocking client of ganeti-wconfd, used by luxid's job threads and by tools.

Calls survive a restart of wconfd: the client reconnects and retries for a while.
Retrying is safe because every call is idempotent: reads trivially, Update through its
transaction id, AcquireLocks because asking for locks already held returns at once.
"""

from __future__ import annotations

import time
import uuid as uuidlib
from typing import Any

from pyganeti import errors
from pyganeti.luxi.transport import Transport
from pyganeti.paths import Paths

# How long a caller waits for a restarted wconfd before giving up.
RECONNECT_FOR = 60.0


class WConfdClient:
    def __init__(self, paths: Paths, reconnect_for: float = RECONNECT_FOR) -> None:
        self.transport = Transport(str(paths.wconfd_socket), connect_timeout=2.0, rw_timeout=None)
        self.reconnect_for = reconnect_for

    def close(self) -> None:
        self.transport.close()

    def call(self, method: str, *args: Any) -> Any:
        deadline = time.monotonic() + self.reconnect_for
        while True:
            try:
                return self.transport.call(method, list(args), version=None)
            except errors.TransportError as err:
                if time.monotonic() >= deadline:
                    raise errors.ConfigurationError(
                        f"ganeti-wconfd is not reachable: {err}"
                    ) from None
                time.sleep(0.1)

    def read_config(self, since: int | None) -> dict[str, Any]:
        result: dict[str, Any] = self.call("ReadConfig", since)
        return result

    def update(self, changes: list[dict[str, Any]]) -> int:
        return int(self.call("Update", changes, uuidlib.uuid4().hex))

    def flush(self) -> int:
        return int(self.call("Flush"))

    def acquire(
        self,
        owner: str,
        pid: int,
        level: str,
        names: list[str] | None,
        shared: bool,
        timeout: float | None,
        priority: int = 0,
    ) -> list[str]:
        result: list[str] = self.call(
            "AcquireLocks", owner, pid, level, names, shared, timeout, priority
        )
        return result

    def release(self, owner: str, level: str | None = None, names: list[str] | None = None) -> None:
        self.call("ReleaseLocks", owner, level, names)

    def release_owner(self, owner: str) -> None:
        self.call("ReleaseOwner", owner)

    def owned(self, owner: str) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = self.call("OwnedLocks", owner)
        return result

    def list_locks(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("ListLocks")
        return result

    def reserve(self, owner: str, kind: str, value: str) -> None:
        self.call("Reserve", owner, kind, value)

    def generate_mac(self, owner: str, prefix: str) -> str:
        return str(self.call("GenerateMAC", owner, prefix))


class WConfdPool:
    """One WConfdClient per thread: a connection serves one request at a time."""

    def __init__(self, paths: Paths) -> None:
        import threading

        self.paths = paths
        self._local = threading.local()

    def get(self) -> WConfdClient:
        client: WConfdClient | None = getattr(self._local, "client", None)
        if client is None:
            client = WConfdClient(self.paths)
            self._local.client = client
        return client

    def call(self, method: str, *args: Any) -> Any:
        return self.get().call(method, *args)

    def list_locks(self) -> list[dict[str, Any]]:
        return self.get().list_locks()

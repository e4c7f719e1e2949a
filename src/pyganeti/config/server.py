"""ganeti-wconfd's request handler: configuration, locks and reservations in one place.

Everything runs on one asyncio loop, so requests are serialised without further locking;
only fsync and the periodic snapshot touch the disk. Lock state is also written to
`locks.data` before each reply, so a restarted wconfd still knows what running jobs hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from pyganeti import errors
from pyganeti.config.reservations import Reservations
from pyganeti.config.store import ConfigStore
from pyganeti.locking import ALL, LOCKSET_NAME, Level, LockManager

log = logging.getLogger(__name__)

# Snapshot config.data after this many batches, or this long after the last change.
SNAPSHOT_EVERY = 500
SNAPSHOT_IDLE = 1.0
DEAD_OWNER_CHECK = 1.0


class WConfd:
    def __init__(self, store: ConfigStore) -> None:
        self.store = store
        self.locks = LockManager()
        self.reservations = Reservations()
        self._owner_pids: dict[str, int] = {}
        self._pending: dict[str, asyncio.Task[Any]] = {}
        self._cancel: set[str] = set()
        self._locks_file = store.paths.data_dir / "locks.data"
        self._saved_locks = b""
        self._changed = asyncio.Event()
        self._methods: dict[str, Callable[..., Awaitable[Any]]] = {
            "Ping": self.ping,
            "ReadConfig": self.read_config,
            "Update": self.update,
            "Flush": self.flush,
            "AcquireLocks": self.acquire_locks,
            "ReleaseLocks": self.release_locks,
            "OwnedLocks": self.owned_locks,
            "ListLocks": self.list_locks,
            "CancelPending": self.cancel_pending,
            "Reserve": self.reserve,
            "GenerateMAC": self.generate_mac,
            "ReleaseOwner": self.release_owner,
        }

    async def handle(self, method: str, args: Any) -> Any:
        fn = self._methods.get(method)
        if fn is None:
            raise errors.LuxiError(f"Unknown wconfd method {method!r}")
        if not isinstance(args, list):
            raise errors.LuxiError(f"Arguments of {method} must be a list")
        return await fn(*args)

    # --- background tasks ------------------------------------------------------
    async def restore_locks(self) -> None:
        """Re-grant the locks held when the previous wconfd stopped, to live owners."""
        try:
            saved = json.loads(self._locks_file.read_bytes())
        except FileNotFoundError:
            return
        except ValueError:
            log.error("Ignoring unreadable %s", self._locks_file)
            return
        for owner, info in saved.items():
            pid = int(info["pid"])
            if not _alive(pid):
                log.info("Not restoring locks of %s: process %d is gone", owner, pid)
                continue
            self._owner_pids[owner] = pid
            for level in Level:
                held = info["locks"].get(level.value)
                if not held:
                    continue
                for shared in (True, False):
                    names = sorted(n for n, mode in held.items() if (mode == "shared") == shared)
                    if LOCKSET_NAME in names:
                        # A whole-level hold is restored as such, not as a lock named so.
                        await self.locks.acquire(owner, pid, level, ALL, shared, 0)
                        names.remove(LOCKSET_NAME)
                    if names:
                        await self.locks.acquire(owner, pid, level, names, shared, 0)
        self._save_locks()

    async def housekeeping(self) -> None:
        """Snapshot the configuration when due and free locks of dead owners."""
        loop = asyncio.get_running_loop()
        last_dead_check = loop.time()
        while True:
            try:
                await asyncio.wait_for(self._changed.wait(), SNAPSHOT_IDLE)
                self._changed.clear()
                if not self.store.snapshot_due(SNAPSHOT_EVERY):
                    continue
            except TimeoutError:
                pass
            if self.store.dirty():
                serial, copy = self.store.prepare_snapshot()
                await asyncio.to_thread(self.store.write_snapshot, copy)
                self.store.rotate_journal(serial)
            if loop.time() - last_dead_check >= DEAD_OWNER_CHECK:
                last_dead_check = loop.time()
                self._reap_dead_owners()

    def _reap_dead_owners(self) -> None:
        dead = self.locks.release_dead_owners()
        for owner in list(self._owner_pids):
            if not _alive(self._owner_pids[owner]):
                dead.append(owner)
        for owner in set(dead):
            self.reservations.release(owner)
            self._owner_pids.pop(owner, None)
            log.info("Released locks and reservations of dead owner %s", owner)
        if dead:
            self._save_locks()

    def shutdown(self) -> None:
        if self.store.dirty():
            self.store.flush()
        self.store.close()

    def _save_locks(self) -> None:
        state: dict[str, Any] = {}
        for owner, pid in self._owner_pids.items():
            owned = self.locks.owned(owner)
            if owned:
                state[owner] = {
                    "pid": pid,
                    "locks": {
                        lvl.value: {n: str(m) for n, m in names.items()}
                        for lvl, names in owned.items()
                    },
                }
        data = json.dumps(state).encode()
        if data == self._saved_locks:
            return
        # Not fsynced: it must survive a killed wconfd (page cache), and after a power
        # loss no job process survives to hold locks anyway.
        tmp = self._locks_file.with_name(".locks.data.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, self._locks_file)
        self._saved_locks = data

    # --- configuration -------------------------------------------------------------
    async def ping(self) -> dict[str, Any]:
        return {"serial": self.store.serial, "pid": os.getpid()}

    async def read_config(self, since: int | None = None) -> dict[str, Any]:
        if since is not None:
            batches = self.store.batches_since(int(since))
            if batches is not None:
                return {"serial": self.store.serial, "batches": batches}
        return {"serial": self.store.serial, "full": self.store.data}

    async def update(self, changes: list[dict[str, Any]], txid: str | None = None) -> int:
        serial = self.store.apply(changes, txid)
        self._changed.set()
        return serial

    async def flush(self) -> int:
        serial, copy = self.store.prepare_snapshot()
        await asyncio.to_thread(self.store.write_snapshot, copy)
        self.store.rotate_journal(serial)
        return serial

    # --- locks ---------------------------------------------------------------------
    async def acquire_locks(
        self,
        owner: str,
        pid: int,
        level: str,
        names: list[str] | None,
        shared: bool,
        timeout: float | None,
        priority: int = 0,
    ) -> list[str]:
        lvl = _level(level)
        # A retry after a lost reply (or a restored owner) asks for what it already has.
        held = self.locks.owned(owner).get(lvl, {})
        if (
            names is not None
            and names
            and all(n in held for n in names)
            and (shared or all(str(held[n]) == "exclusive" for n in names))
        ):
            return sorted(names)
        self._owner_pids[owner] = int(pid)
        task = asyncio.current_task()
        assert task is not None
        self._pending[owner] = task
        try:
            granted = await self.locks.acquire(
                owner,
                int(pid),
                lvl,
                ALL if names is None else list(names),
                bool(shared),
                timeout,
                int(priority),
            )
        except asyncio.CancelledError:
            if owner not in self._cancel:
                raise
            # Cancelled on behalf of the job (CancelPending), not the daemon stopping.
            task.uncancel()
            raise errors.JobCanceled(f"{owner} was canceled while waiting for locks") from None
        finally:
            self._pending.pop(owner, None)
            self._cancel.discard(owner)
        self._save_locks()
        return list(granted)

    async def cancel_pending(self, owner: str) -> bool:
        """Abort `owner`'s lock request that is waiting, if any (job cancellation)."""
        task = self._pending.get(owner)
        if task is None:
            return False
        self._cancel.add(owner)
        task.cancel()
        return True

    async def release_locks(
        self, owner: str, level: str | None = None, names: list[str] | None = None
    ) -> bool:
        self.locks.release(owner, _level(level) if level else None, names)
        self._save_locks()
        return True

    async def owned_locks(self, owner: str) -> dict[str, dict[str, str]]:
        return {
            lvl.value: {n: str(m) for n, m in held.items()}
            for lvl, held in self.locks.owned(owner).items()
        }

    async def list_locks(self) -> list[dict[str, Any]]:
        return self.locks.snapshot()

    # --- reservations ----------------------------------------------------------------
    async def reserve(self, owner: str, kind: str, value: str) -> bool:
        in_use = None
        if kind == "mac":
            in_use = self.store.idx.macs.__contains__
        elif kind == "name":
            in_use = self.store.idx.names["instances"].__contains__
        self.reservations.reserve(owner, kind, value, in_use)
        return True

    async def generate_mac(self, owner: str, prefix: str) -> str:
        return self.reservations.generate_mac(owner, prefix, self.store.idx.macs.__contains__)

    async def release_owner(self, owner: str) -> bool:
        """A job ended: free its locks and reservations."""
        self.locks.release(owner)
        self.reservations.release(owner)
        self._owner_pids.pop(owner, None)
        self._save_locks()
        return True


def _level(name: str) -> Level:
    try:
        return Level(name)
    except ValueError:
        raise errors.LockError(f"Unknown lock level {name!r}") from None


def _alive(pid: int) -> bool:
    with contextlib.suppress(PermissionError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
    return True

"""The authoritative configuration of ganeti-wconfd: memory, journal and snapshot.

A change is durable once its batch is appended and fsynced to `config.journal`, so the
cost of one change is proportional to the change, not to the configuration. The full
`config.data` (Ganeti's JSON layout) is rewritten from time to time by a background
thread; loading replays the journal entries newer than the snapshot. Object dicts are
never mutated after they are stored (each change stores a new dict), which is what lets
the snapshot thread serialise a shallow copy while the store goes on changing.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import threading
import time
from collections.abc import Iterable
from typing import Any, cast

from pyganeti import errors, serializer
from pyganeti.config import indexes
from pyganeti.config.durable import atomic_write, fsync_dir
from pyganeti.objects.model import KINDS, ConfigDict
from pyganeti.paths import Paths

log = logging.getLogger(__name__)

CLUSTER = "cluster"
# Journal entries kept after a snapshot: their transaction ids let a client that lost
# the reply to Update retry without applying the change twice.
KEEP_AFTER_SNAPSHOT = 200
# How many recent batches replicas can catch up from without a full transfer.
RECENT_BATCHES = 2000

Change = dict[str, Any]
Batch = dict[str, Any]


def _load_json(path: os.PathLike[str] | str) -> Any:
    with open(path, "rb") as fh:
        return json.loads(fh.read())


class ConfigStore:
    """Configuration in memory, with durable batches of changes."""

    def __init__(self, paths: Paths, data: ConfigDict) -> None:
        self.paths = paths
        self.data = data
        self.idx = indexes.Indexes.build(data)
        self._recent: collections.deque[Batch] = collections.deque(maxlen=RECENT_BATCHES)
        self._txids: dict[str, int] = {}
        self._journal_fd: int | None = None
        self._since_snapshot = 0
        self._snapshot_lock = threading.Lock()

    # --- creation and loading ----------------------------------------------
    @classmethod
    def initialise(cls, paths: Paths, data: ConfigDict) -> None:
        """Write a brand-new configuration (gnt-cluster init)."""
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        indexes.Indexes.build(data)  # refuses duplicate names or MACs up front
        atomic_write(paths.config_file, _dumps(data), mode=0o640)
        atomic_write(paths.config_journal, b"", mode=0o640)

    @classmethod
    def load(cls, paths: Paths) -> ConfigStore:
        if not paths.config_file.exists():
            raise errors.NotClusterError(
                f"No cluster configuration at {paths.config_file}: this node is not part of"
                " a cluster (run gnt-cluster init or pyganeti up)"
            )
        try:
            data = cast(ConfigDict, _load_json(paths.config_file))
        except ValueError as err:
            raise errors.ConfigurationError(f"Cannot parse {paths.config_file}: {err}") from None
        for key in ("cluster", "serial_no", *KINDS):
            if key not in data:
                raise errors.ConfigurationError(
                    f"{paths.config_file} lacks the top-level key {key!r}"
                )
        store = cls(paths, data)
        store._replay_journal()
        store._open_journal()
        return store

    def _replay_journal(self) -> None:
        path = self.paths.config_journal
        if not path.exists():
            return
        raw = path.read_bytes()
        lines = raw.split(b"\n")
        good_len = 0
        for n, line in enumerate(lines):
            if not line.strip():
                good_len += len(line) + 1
                continue
            try:
                batch = json.loads(line)
            except ValueError:
                if n == len(lines) - 1 or all(not rest.strip() for rest in lines[n + 1 :]):
                    # A torn final line: its fsync never completed, so it was never
                    # acknowledged; drop it.
                    log.warning("Dropping a torn last entry of %s", path)
                    break
                raise errors.ConfigurationError(
                    f"{path}: entry {n + 1} is corrupt and later entries exist"
                ) from None
            good_len += len(line) + 1
            if batch.get("txid"):
                self._txids[batch["txid"]] = batch["serial"]
            if batch["serial"] <= self.data["serial_no"]:
                continue
            self._install(batch)
        if good_len < len(raw):
            with open(path, "r+b") as fh:
                fh.truncate(min(good_len, len(raw)))
                os.fsync(fh.fileno())

    def _open_journal(self) -> None:
        self._journal_fd = os.open(
            self.paths.config_journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640
        )

    def close(self) -> None:
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None

    # --- reading -------------------------------------------------------------
    @property
    def serial(self) -> int:
        return int(self.data["serial_no"])

    def batches_since(self, serial: int) -> list[Batch] | None:
        """Batches newer than `serial`, or None when they are no longer kept."""
        if serial == self.serial:
            return []
        if serial > self.serial or not self._recent or self._recent[0]["serial"] > serial + 1:
            return None
        return [b for b in self._recent if b["serial"] > serial]

    # --- writing -------------------------------------------------------------
    def apply(self, changes: list[Change], txid: str | None = None) -> int:
        """Validate and durably apply a batch of changes; returns the new serial.

        A change is {"kind": K, "uuid": U, "value": dict | None, "expect_serial": n?}
        (kind "cluster" takes no uuid). The batch applies entirely or not at all.
        """
        if txid and txid in self._txids:
            return self._txids[txid]
        if not isinstance(changes, list) or not changes:
            raise errors.ConfigurationError("A configuration update needs a list of changes")
        now = time.time()
        undo: list[tuple[str, str | None, Any]] = []
        stored: list[Change] = []
        try:
            for change in changes:
                stored.append(self._apply_one(change, now, undo))
            self.idx.check_references(self.data, stored)
            cluster = dict(self.data["cluster"])
            cluster["serial_no"] = int(cluster.get("serial_no", 0)) + 1
            cluster["mtime"] = now
            undo.append((CLUSTER, None, self.data["cluster"]))
            self.data["cluster"] = cluster
            serial = self.serial + 1
            batch: Batch = {
                "serial": serial,
                "mtime": now,
                "txid": txid,
                "changes": [*stored, {"kind": CLUSTER, "value": cluster}],
            }
            self._append(batch)
        except BaseException:
            for kind, uuid, old in reversed(undo):
                self._set(kind, uuid, old)
            raise
        self.data["serial_no"] = serial
        self.data["mtime"] = now
        self._recent.append(batch)
        if txid:
            self._txids[txid] = serial
        self._since_snapshot += 1
        return serial

    def _apply_one(
        self, change: Change, now: float, undo: list[tuple[str, str | None, Any]]
    ) -> Change:
        if not isinstance(change, dict):
            raise errors.ConfigurationError(f"A change must be an object, not {change!r}")
        kind = change.get("kind")
        value = change.get("value")
        if kind == CLUSTER:
            if not isinstance(value, dict):
                raise errors.ConfigurationError("A cluster change needs the cluster object")
            old_cluster = self.data["cluster"]
            _check_serial(change, old_cluster, "cluster")
            cluster = dict(value, mtime=now, serial_no=int(old_cluster.get("serial_no", 0)))
            undo.append((CLUSTER, None, old_cluster))
            self._set(CLUSTER, None, cluster)
            return {"kind": CLUSTER, "value": cluster}
        if kind not in KINDS:
            raise errors.ConfigurationError(f"Unknown configuration section {kind!r}")
        uuid = change.get("uuid")
        if not isinstance(uuid, str) or not uuid:
            raise errors.ConfigurationError(f"A change to {kind} needs the object's uuid")
        section: dict[str, Any] = cast(dict[str, Any], self.data[kind])  # type: ignore[literal-required]
        old: dict[str, Any] | None = section.get(uuid)
        _check_serial(change, old, f"{kind[:-1]} {uuid}")
        new: dict[str, Any] | None
        if value is None:
            if old is None:
                raise errors.ConfigurationError(f"Cannot remove unknown {kind[:-1]} {uuid}")
            new = None
        else:
            if not isinstance(value, dict):
                raise errors.ConfigurationError(f"A change to {kind} {uuid} needs an object")
            if value.get("uuid", uuid) != uuid:
                raise errors.ConfigurationError(f"uuid mismatch in change to {kind} {uuid}")
            new = dict(
                value,
                uuid=uuid,
                mtime=now,
                serial_no=(int(old.get("serial_no", 0)) + 1) if old else 1,
                ctime=old.get("ctime", now) if old else value.get("ctime", now),
            )
        self.idx.check_change(kind, uuid, old, new)
        undo.append((kind, uuid, old))
        self._set(kind, uuid, new)
        return {"kind": kind, "uuid": uuid, "value": new}

    def _set(self, kind: str, uuid: str | None, value: Any) -> None:
        if kind == CLUSTER:
            self.data["cluster"] = value
            return
        assert uuid is not None
        section: dict[str, Any] = cast(dict[str, Any], self.data[kind])  # type: ignore[literal-required]
        old = section.get(uuid)
        if value is None:
            section.pop(uuid, None)
        else:
            section[uuid] = value
        self.idx.update(kind, uuid, old, value)

    def _install(self, batch: Batch) -> None:
        """Apply an already validated batch (journal replay)."""
        for change in batch["changes"]:
            self._set(change["kind"], change.get("uuid"), change["value"])
        self.data["serial_no"] = batch["serial"]
        self.data["mtime"] = batch["mtime"]
        self._recent.append(batch)

    def _append(self, batch: Batch) -> None:
        if self._journal_fd is None:
            raise errors.ConfigurationError("The configuration store is closed")
        line = serializer.dumps(batch) + b"\n"
        os.write(self._journal_fd, line)
        os.fsync(self._journal_fd)

    # --- snapshots -------------------------------------------------------------
    def snapshot_due(self, every: int) -> bool:
        return self._since_snapshot >= every

    def dirty(self) -> bool:
        return self._since_snapshot > 0

    def prepare_snapshot(self) -> tuple[int, dict[str, Any]]:
        """A consistent shallow copy; cheap, must run on the store's own thread."""
        copy: dict[str, Any] = dict(self.data)
        for kind in KINDS:
            copy[kind] = dict(self.data[kind])  # type: ignore[literal-required]
        self._since_snapshot = 0
        return self.serial, copy

    def write_snapshot(self, copy: dict[str, Any]) -> None:
        """Serialise and durably write config.data (safe to run in another thread)."""
        with self._snapshot_lock:
            atomic_write(self.paths.config_file, _dumps(copy), mode=0o640)

    def rotate_journal(self, snapshot_serial: int) -> None:
        """Drop journal entries the snapshot made redundant (keeping recent txids)."""
        keep = [b for b in self._recent if b["serial"] > snapshot_serial]
        older = [b for b in self._recent if b["serial"] <= snapshot_serial]
        keep = older[-KEEP_AFTER_SNAPSHOT:] + keep
        payload = b"".join(serializer.dumps(b) + b"\n" for b in keep)
        atomic_write(self.paths.config_journal, payload, mode=0o640)
        self.close()
        self._open_journal()

    def flush(self) -> None:
        """Write a snapshot now and rotate the journal (shutdown, tests, tools)."""
        serial, copy = self.prepare_snapshot()
        self.write_snapshot(copy)
        self.rotate_journal(serial)


def _check_serial(change: Change, old: Any, what: str) -> None:
    expect = change.get("expect_serial")
    if expect is None:
        return
    current = old.get("serial_no") if old else None
    if current != expect:
        raise errors.ConfigurationError(
            f"Configuration object {what} was modified concurrently (serial {current},"
            f" expected {expect})"
        )


def _dumps(data: Any) -> bytes:
    return serializer.dumps(data)


def iter_objects(data: ConfigDict, kind: str) -> Iterable[dict[str, Any]]:
    return cast(dict[str, dict[str, Any]], data[kind]).values()  # type: ignore[literal-required]


__all__ = ["ConfigStore", "fsync_dir"]

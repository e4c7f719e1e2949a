"""luxid's read replica of the configuration, caught up from wconfd by serial number.

Reads (queries, prerequisite checks) are served from memory and never wait for running
jobs; `sync()` costs one round trip when nothing changed and the size of the changes
otherwise. Object dicts are shared and never mutated (callers copy before changing);
containers change in place under the replica's lock, so whole-config readers take a
`view()`, a shallow copy made under that lock.
"""

from __future__ import annotations

import threading
from typing import Any, cast

from pyganeti import errors
from pyganeti.config.client import WConfdClient
from pyganeti.config.indexes import Indexes
from pyganeti.objects.model import KINDS, ConfigDict


class ConfigReplica:
    def __init__(self, client: WConfdClient) -> None:
        self._client = client
        self._lock = threading.RLock()
        self._data: ConfigDict | None = None
        self._idx = Indexes({}, {})
        self.serial = -1

    def sync(self) -> int:
        """Bring the replica up to date with wconfd; returns the serial."""
        with self._lock:
            reply = self._client.read_config(self.serial if self._data is not None else None)
            if "full" in reply:
                self._data = cast(ConfigDict, reply["full"])
                self._idx = Indexes.build(self._data)
            else:
                for batch in reply["batches"]:
                    self._install(batch)
            self.serial = int(reply["serial"])
            return self.serial

    def _install(self, batch: dict[str, Any]) -> None:
        data = self._require()
        for change in batch["changes"]:
            kind = change["kind"]
            if kind == "cluster":
                data["cluster"] = change["value"]
                continue
            section = cast(dict[str, Any], data[kind])  # type: ignore[literal-required]
            old = section.get(change["uuid"])
            if change["value"] is None:
                section.pop(change["uuid"], None)
            else:
                section[change["uuid"]] = change["value"]
            self._idx.update(kind, change["uuid"], old, change["value"])
        data["serial_no"] = batch["serial"]
        data["mtime"] = batch["mtime"]

    def _require(self) -> ConfigDict:
        if self._data is None:
            self.sync()
        assert self._data is not None
        return self._data

    # --- reading -------------------------------------------------------------
    def view(self) -> ConfigDict:
        """A consistent shallow copy of the whole configuration (O(objects))."""
        with self._lock:
            data = self._require()
            copy = cast(ConfigDict, dict(data))
            for kind in KINDS:
                copy[kind] = dict(data[kind])  # type: ignore[literal-required]
            return copy

    @property
    def cluster(self) -> dict[str, Any]:
        with self._lock:
            return self._require()["cluster"]

    def get(self, kind: str, uuid: str) -> dict[str, Any] | None:
        with self._lock:
            section = cast(dict[str, Any], self._require()[kind])  # type: ignore[literal-required]
            return cast(dict[str, Any] | None, section.get(uuid))

    def uuid_of(self, kind: str, name: str) -> str | None:
        with self._lock:
            self._require()
            return self._idx.names.get(kind, {}).get(name)

    def by_name(self, kind: str, name: str) -> dict[str, Any] | None:
        with self._lock:
            uuid = self.uuid_of(kind, name)
            return self.get(kind, uuid) if uuid else None

    def names(self, kind: str) -> list[str]:
        with self._lock:
            self._require()
            return list(self._idx.names.get(kind, {}))

    def values(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            section = cast(dict[str, Any], self._require()[kind])  # type: ignore[literal-required]
            return list(section.values())

    def mac_in_use(self, mac: str) -> bool:
        with self._lock:
            self._require()
            return mac.lower() in self._idx.macs

    def expand(self, kind: str, name: str) -> dict[str, Any]:
        """The object called `name` (or with that uuid), else a clear OpPrereqError."""
        obj = self.by_name(kind, name) or self.get(kind, name)
        if obj is None:
            noun = {
                "nodegroups": "Group",
                "nodes": "Node",
                "instances": "Instance",
                "networks": "Network",
            }.get(kind, kind)
            raise errors.OpPrereqError(f"{noun} '{name}' not known", errors.ECODE_NOENT)
        return obj

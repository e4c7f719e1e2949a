"""Uniqueness and reference indexes over the configuration, kept up to date per change.

They make each change's checks O(size of the change): no scan over all instances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyganeti import errors
from pyganeti.objects.model import ConfigDict

# Sections whose objects have cluster-unique names.
NAMED = ("nodes", "nodegroups", "instances", "networks")


@dataclass
class Indexes:
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → name → uuid
    macs: dict[str, str] = field(default_factory=dict)  # mac → instance uuid

    @classmethod
    def build(cls, data: ConfigDict) -> Indexes:
        idx = cls({k: {} for k in NAMED}, {})
        for kind in NAMED:
            for uuid, obj in data[kind].items():  # type: ignore[literal-required]
                idx.check_change(kind, uuid, None, obj)
                idx.update(kind, uuid, None, obj)
        return idx

    def check_change(
        self, kind: str, uuid: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
    ) -> None:
        if new is None or kind not in NAMED:
            return
        name = new.get("name")
        if not isinstance(name, str) or not name:
            raise errors.ConfigurationError(f"{kind[:-1]} {uuid} has no name")
        owner = self.names[kind].get(name)
        if owner is not None and owner != uuid:
            raise errors.OpPrereqError(
                f"The {_noun(kind)} name '{name}' is already in use", errors.ECODE_EXISTS
            )
        if kind == "instances":
            seen: set[str] = set()
            for nic in new.get("nics", []):
                mac = str(nic.get("mac", "")).lower()
                if not mac or mac in ("auto", "generate"):
                    continue
                other = self.macs.get(mac)
                if (other is not None and other != uuid) or mac in seen:
                    raise errors.OpPrereqError(
                        f"MAC address {mac} already in use", errors.ECODE_NOTUNIQUE
                    )
                seen.add(mac)

    def update(
        self, kind: str, uuid: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
    ) -> None:
        if kind not in NAMED:
            return
        if old is not None and self.names[kind].get(old.get("name", "")) == uuid:
            del self.names[kind][old["name"]]
        if new is not None:
            self.names[kind][new["name"]] = uuid
        if kind == "instances":
            for nic in (old or {}).get("nics", []):
                mac = str(nic.get("mac", "")).lower()
                if self.macs.get(mac) == uuid:
                    del self.macs[mac]
            for nic in (new or {}).get("nics", []):
                mac = str(nic.get("mac", "")).lower()
                if mac:
                    self.macs[mac] = uuid

    def check_references(self, data: ConfigDict, changes: list[dict[str, Any]]) -> None:
        """Objects named by the changed objects must exist (after the whole batch)."""
        for change in changes:
            value = change.get("value")
            if value is None:
                continue
            kind = change["kind"]
            if kind == "instances":
                if value.get("primary_node") not in data["nodes"]:
                    raise errors.ConfigurationError(
                        f"Instance {value.get('name')} refers to unknown node"
                        f" {value.get('primary_node')}"
                    )
                for disk in value.get("disks", []):
                    if disk not in data["disks"]:
                        raise errors.ConfigurationError(
                            f"Instance {value.get('name')} refers to unknown disk {disk}"
                        )
            elif kind == "nodes" and value.get("group") not in data["nodegroups"]:
                raise errors.ConfigurationError(
                    f"Node {value.get('name')} refers to unknown group {value.get('group')}"
                )


def _noun(kind: str) -> str:
    return {"nodegroups": "node group"}.get(kind, kind[:-1])

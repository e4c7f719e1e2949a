"""Temporary reservations (MACs, IPs, names) so concurrent jobs never pick the same value.

A reservation belongs to an owner (a job) and ends when the owner releases it — after
committing the value to the configuration, or on failure. Values already in the
configuration are refused by the caller-supplied `in_use` check.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from pyganeti import errors
from pyganeti.netutils import is_mac_prefix

KINDS = ("mac", "ip", "name")


class Reservations:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._owner_of: dict[tuple[str, str], str] = {}
        self._by_owner: dict[str, set[tuple[str, str]]] = {}
        self._rng = rng or random.SystemRandom()

    def owner(self, kind: str, value: str) -> str | None:
        return self._owner_of.get((kind, value.lower()))

    def reserve(
        self, owner: str, kind: str, value: str, in_use: Callable[[str], bool] | None = None
    ) -> None:
        if kind not in KINDS:
            raise errors.ReservationError(f"Unknown reservation kind {kind!r}")
        key = (kind, value.lower())
        current = self._owner_of.get(key)
        if current is not None and current != owner:
            raise errors.ReservationError(f"The {kind} {value} is reserved by {current}")
        if current is None and in_use is not None and in_use(key[1]):
            raise errors.ReservationError(f"The {kind} {value} is already in use")
        self._owner_of[key] = owner
        self._by_owner.setdefault(owner, set()).add(key)

    def generate_mac(self, owner: str, prefix: str, in_use: Callable[[str], bool]) -> str:
        """A fresh MAC under the 3-byte `prefix`, unused and unreserved, reserved for owner."""
        if not is_mac_prefix(prefix):
            raise errors.ReservationError(f"Invalid MAC prefix {prefix!r}")
        for _attempt in range(1000):
            tail = ":".join(f"{self._rng.randrange(256):02x}" for _ in range(3))
            mac = f"{prefix.lower()}:{tail}"
            if ("mac", mac) not in self._owner_of and not in_use(mac):
                self.reserve(owner, "mac", mac)
                return mac
        raise errors.ReservationError(f"Cannot find a free MAC address under {prefix}")

    def release(self, owner: str) -> int:
        keys = self._by_owner.pop(owner, set())
        for key in keys:
            if self._owner_of.get(key) == owner:
                del self._owner_of[key]
        return len(keys)

    def owners(self) -> list[str]:
        return list(self._by_owner)

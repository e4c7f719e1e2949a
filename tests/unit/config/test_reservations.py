"""Reservations: concurrent jobs never get the same MAC, IP or name."""

from __future__ import annotations

import random

import pytest

from pyganeti import errors
from pyganeti.config.reservations import Reservations


def test_generated_macs_are_unique_and_avoid_used_ones() -> None:
    res = Reservations(random.Random(7))
    used = {"aa:00:00:00:00:01"}
    macs = {res.generate_mac(f"job:{i % 3}", "aa:00:00", used.__contains__) for i in range(300)}
    assert len(macs) == 300 and not macs & used
    assert all(m.startswith("aa:00:00:") for m in macs)


def test_reserved_value_is_refused_to_another_owner_until_released() -> None:
    res = Reservations()
    res.reserve("job:1", "name", "inst1")
    res.reserve("job:1", "name", "inst1")  # the same owner may ask again
    with pytest.raises(errors.ReservationError, match="reserved by job:1"):
        res.reserve("job:2", "name", "INST1")
    assert res.release("job:1") == 1
    res.reserve("job:2", "name", "inst1")


def test_in_use_values_and_bad_input() -> None:
    res = Reservations()
    with pytest.raises(errors.ReservationError, match="already in use"):
        res.reserve("job:1", "mac", "aa:00:00:00:00:01", lambda v: True)
    with pytest.raises(errors.ReservationError, match="Unknown reservation kind"):
        res.reserve("job:1", "colour", "blue")
    with pytest.raises(errors.ReservationError, match="Invalid MAC prefix"):
        res.generate_mac("job:1", "zz:00", lambda v: False)
    assert res.owners() == []


@pytest.mark.parametrize(("prefix", "ok"), [
    ("aa:00:00", True), ("AA:0b:Ff", True), ("aa:00", False), ("aa:00:00:00", False),
    ("zz:00:00", False), ("a:000:00", False), ("", False),
])
def test_mac_prefix_syntax(prefix: str, ok: bool) -> None:
    from pyganeti.netutils import is_mac_prefix

    assert is_mac_prefix(prefix) is ok

"""Level order and lock naming as Ganeti spells them."""

import pytest

from pyganeti import errors
from pyganeti.locking import (
    ALL,
    BGL,
    LOCKSET_NAME,
    AllSet,
    Level,
    Mode,
    lock_name,
    parse_lock_name,
    to_level,
)


def test_levels_follow_ganeti_order_and_names() -> None:
    assert [lv.value for lv in Level] == [
        "cluster",
        "instance",
        "nodegroup",
        "node",
        "node-res",
        "network",
    ]
    assert [lv.order for lv in Level] == list(range(6))


def test_constants() -> None:
    assert BGL == "BGL"
    assert LOCKSET_NAME == "[lockset]"
    assert isinstance(ALL, AllSet)
    assert Mode.SHARED.value == "shared" and Mode.EXCLUSIVE.value == "exclusive"


def test_lock_names_round_trip() -> None:
    assert lock_name(Level.NODE_RES, "uuid-1") == "node-res/uuid-1"
    assert lock_name(Level.CLUSTER, BGL) == "cluster/BGL"
    assert parse_lock_name("node-res/uuid-1") == (Level.NODE_RES, "uuid-1")
    assert parse_lock_name("instance/[lockset]") == (Level.INSTANCE, LOCKSET_NAME)


@pytest.mark.parametrize("bad", ["instance", "instance/", "", "disk/x", "/x"])
def test_parse_lock_name_rejects_malformed(bad: str) -> None:
    with pytest.raises(errors.LockError, match="lock"):
        parse_lock_name(bad)


def test_to_level_names_the_bad_value() -> None:
    assert to_level("nodegroup") is Level.NODEGROUP
    with pytest.raises(errors.LockError, match="'nodes'"):
        to_level("nodes")

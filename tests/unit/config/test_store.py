"""The configuration store: atomic batches, journal durability, replay, snapshots."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.config.store import ConfigStore
from pyganeti.paths import Paths


def _base_config() -> dict[str, Any]:
    group, node = str(uuid.uuid4()), str(uuid.uuid4())
    return {
        "version": 3000000,
        "cluster": {"cluster_name": "c", "master_node": node, "serial_no": 1, "tags": []},
        "nodes": {node: {"uuid": node, "name": "node1", "group": group, "primary_ip": "1.2.3.4"}},
        "nodegroups": {group: {"uuid": group, "name": "default"}},
        "instances": {}, "networks": {}, "disks": {}, "filters": {},
        "serial_no": 1, "ctime": 0.0, "mtime": 0.0,
    }


def _instance(node: str, name: str, mac: str = "aa:00:00:00:00:01") -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "name": name, "primary_node": node, "disks": [],
            "nics": [{"mac": mac}], "hypervisor": "fake"}


@pytest.fixture
def store(tmp_path: Any) -> ConfigStore:
    paths = Paths.from_root(tmp_path)
    ConfigStore.initialise(paths, _base_config())  # type: ignore[arg-type]
    return ConfigStore.load(paths)


def node_uuid(store: ConfigStore) -> str:
    return next(iter(store.data["nodes"]))


def test_apply_bumps_serials_and_stamps(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    before = store.serial
    cluster_serial = store.data["cluster"]["serial_no"]
    serial = store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    assert serial == before + 1
    stored = store.data["instances"][inst["uuid"]]
    assert stored["serial_no"] == 1 and stored["ctime"] == stored["mtime"] > 0
    assert store.data["cluster"]["serial_no"] == cluster_serial + 1
    store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": dict(stored, os="x")}])
    assert store.data["instances"][inst["uuid"]]["serial_no"] == 2
    assert store.data["instances"][inst["uuid"]]["ctime"] == stored["ctime"]


def test_journal_replay_after_crash_without_snapshot(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    serial = store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    # No flush: the process "dies" here; config.data is still the initial one.
    on_disk = json.loads(store.paths.config_file.read_bytes())
    assert on_disk["instances"] == {}
    again = ConfigStore.load(store.paths)
    assert again.serial == serial
    assert again.data["instances"][inst["uuid"]]["name"] == "i1"


def test_torn_last_journal_line_is_dropped(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    serial = store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    with open(store.paths.config_journal, "ab") as fh:
        fh.write(b'{"serial": 99, "changes": [')  # a write cut short by a crash
    again = ConfigStore.load(store.paths)
    assert again.serial == serial
    assert b'"serial": 99' not in store.paths.config_journal.read_bytes()


def test_corrupt_middle_of_journal_is_refused(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": None}])
    lines = store.paths.config_journal.read_bytes().split(b"\n")
    lines[0] = b"garbage"
    store.paths.config_journal.write_bytes(b"\n".join(lines))
    with pytest.raises(errors.ConfigurationError, match="corrupt"):
        ConfigStore.load(store.paths)


def test_batch_is_all_or_nothing(store: ConfigStore) -> None:
    node = node_uuid(store)
    first = _instance(node, "i1")
    store.apply([{"kind": "instances", "uuid": first["uuid"], "value": first}])
    serial = store.serial
    ok = _instance(node, "i2", "aa:00:00:00:00:02")
    clash = _instance(node, "i1", "aa:00:00:00:00:03")  # same name as an existing one
    with pytest.raises(errors.OpPrereqError, match="already in use"):
        store.apply([{"kind": "instances", "uuid": ok["uuid"], "value": ok},
                     {"kind": "instances", "uuid": clash["uuid"], "value": clash}])
    assert store.serial == serial
    assert ok["uuid"] not in store.data["instances"]
    assert store.idx.names["instances"] == {"i1": first["uuid"]}
    assert ConfigStore.load(store.paths).serial == serial


def test_duplicate_mac_and_dangling_reference_refused(store: ConfigStore) -> None:
    node = node_uuid(store)
    a = _instance(node, "a")
    store.apply([{"kind": "instances", "uuid": a["uuid"], "value": a}])
    b = _instance(node, "b")  # same MAC as a
    with pytest.raises(errors.OpPrereqError, match="MAC"):
        store.apply([{"kind": "instances", "uuid": b["uuid"], "value": b}])
    c = _instance("no-such-node", "c", "aa:00:00:00:00:09")
    with pytest.raises(errors.ConfigurationError, match="unknown node"):
        store.apply([{"kind": "instances", "uuid": c["uuid"], "value": c}])


def test_expected_serial_detects_concurrent_change(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    with pytest.raises(errors.ConfigurationError, match="modified concurrently"):
        store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst,
                      "expect_serial": 7}])


def test_txid_makes_retries_idempotent(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    change = [{"kind": "instances", "uuid": inst["uuid"], "value": inst}]
    first = store.apply(change, txid="tx-1")
    assert store.apply(change, txid="tx-1") == first
    # Also after a restart (the txid is in the journal).
    assert ConfigStore.load(store.paths).apply(change, txid="tx-1") == first


def test_flush_writes_ganeti_layout_and_rotates(store: ConfigStore) -> None:
    inst = _instance(node_uuid(store), "i1")
    store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    store.flush()
    on_disk = json.loads(store.paths.config_file.read_bytes())
    assert set(on_disk) == {"version", "cluster", "nodes", "nodegroups", "instances",
                            "networks", "disks", "filters", "serial_no", "ctime", "mtime"}
    assert on_disk["serial_no"] == store.serial
    assert inst["uuid"] in on_disk["instances"]
    assert ConfigStore.load(store.paths).serial == store.serial


def test_batches_since_for_replicas(store: ConfigStore) -> None:
    start = store.serial
    inst = _instance(node_uuid(store), "i1")
    store.apply([{"kind": "instances", "uuid": inst["uuid"], "value": inst}])
    batches = store.batches_since(start)
    assert batches is not None and [b["serial"] for b in batches] == [start + 1]
    assert store.batches_since(store.serial) == []
    assert store.batches_since(-5) is None  # too old: the replica must take a full copy


def test_missing_config_is_a_clear_not_cluster_error(tmp_path: Any) -> None:
    with pytest.raises(errors.NotClusterError, match="not part of"):
        ConfigStore.load(Paths.from_root(tmp_path))

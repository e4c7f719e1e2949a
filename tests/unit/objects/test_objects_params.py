"""Parameter inheritance cluster → group → node/instance, and Ganeti's "default" reset."""

from __future__ import annotations

from typing import Any

from pyganeti.objects import params

CLUSTER: dict[str, Any] = {
    "hvparams": {"fake": {"migration_mode": "live", "extra": "c"}},
    "os_hvp": {"noop+default": {"fake": {"extra": "os"}}},
    "beparams": {"default": {"maxmem": 128, "minmem": 128, "vcpus": 1}},
    "nicparams": {"default": {"mode": "bridged", "link": "br0", "vlan": ""}},
    "osparams": {"noop": {"a": "1", "b": "1"}, "noop+default": {"b": "2"}},
    "ndparams": {"ssh_port": 22, "spindle_count": 1},
    "diskparams": {"file": {"x": 1}},
}


def test_instance_values_override_os_and_cluster_defaults() -> None:
    assert params.fill_hv(CLUSTER, "fake", "noop+default", {}) == {
        "migration_mode": "live", "extra": "os"}
    assert params.fill_hv(CLUSTER, "fake", "other", {"extra": "i"})["extra"] == "i"
    assert params.fill_be(CLUSTER, {"maxmem": 512}) == {"maxmem": 512, "minmem": 128,
                                                         "vcpus": 1}
    assert params.fill_nic(CLUSTER, {"mode": "routed"})["link"] == "br0"
    assert params.fill_os(CLUSTER, "noop+default", {"c": "3"}) == {"a": "1", "b": "2",
                                                                   "c": "3"}


def test_node_group_node_chain() -> None:
    group: Any = {"ndparams": {"ssh_port": 2222}, "diskparams": {"file": {"x": 2}}}
    node: Any = {"ndparams": {"spindle_count": 4}}
    assert params.fill_nd(CLUSTER, group, node) == {"ssh_port": 2222, "spindle_count": 4}
    assert params.fill_disk_params(CLUSTER, group, "file") == {"x": 2}


def test_update_params_drops_overrides_on_default() -> None:
    assert params.update_params({"a": 1, "b": 2}, {"a": "default", "b": 3, "c": 4}) == {
        "b": 3, "c": 4}


def test_filled_instance_expands_disks_and_does_not_mutate() -> None:
    inst: Any = {"hypervisor": "fake", "os": "noop+default", "hvparams": {}, "beparams": {},
                 "nics": [{"mac": "aa:00:00:00:00:01", "nicparams": {}}], "disks": ["d1"]}
    out = params.filled_instance(CLUSTER, inst, [{"uuid": "d1", "size": 10}])
    assert out["disks"] == [{"uuid": "d1", "size": 10}]
    assert out["nics"][0]["nicparams"]["mode"] == "bridged"
    assert inst["disks"] == ["d1"] and inst["nics"][0]["nicparams"] == {}

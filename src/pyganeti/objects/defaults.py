"""Cluster-wide parameter defaults, with Ganeti 3.0's keys and values."""

from __future__ import annotations

import copy
from typing import Any

PP_DEFAULT = "default"

BE_DEFAULTS: dict[str, Any] = {
    "always_failover": False,
    "auto_balance": True,
    "maxmem": 128,
    "minmem": 128,
    "spindle_use": 1,
    "vcpus": 1,
}
BE_TYPES: dict[str, type] = {
    "always_failover": bool,
    "auto_balance": bool,
    "maxmem": int,
    "minmem": int,
    "spindle_use": int,
    "vcpus": int,
}
# Ganeti 2.x's "memory" sets both bounds; it is still accepted on input.
BE_LEGACY_MEMORY = "memory"

NIC_MODE_BRIDGED = "bridged"
NIC_MODE_ROUTED = "routed"
NIC_MODE_OVS = "openvswitch"
NIC_MODES = (NIC_MODE_BRIDGED, NIC_MODE_ROUTED, NIC_MODE_OVS)
NIC_DEFAULTS: dict[str, Any] = {"link": "xen-br0", "mode": NIC_MODE_BRIDGED, "vlan": ""}

ND_DEFAULTS: dict[str, Any] = {
    "cpu_speed": 1.0,
    "exclusive_storage": False,
    "oob_program": "",
    "ovs": False,
    "ovs_link": "",
    "ovs_name": "switch1",
    "spindle_count": 1,
    "ssh_port": 22,
}

DISK_DT_DEFAULTS: dict[str, dict[str, Any]] = {
    "diskless": {},
    "file": {},
    "sharedfile": {},
    "plain": {"stripes": 1},
    "blockdev": {},
    "drbd": {
        "c-delay-target": 1,
        "c-fill-target": 0,
        "c-max-rate": 61440,
        "c-min-rate": 4096,
        "c-plan-ahead": 20,
        "data-stripes": 1,
        "disk-barriers": "n",
        "disk-custom": "",
        "dynamic-resync": False,
        "meta-barriers": False,
        "meta-stripes": 1,
        "metavg": "xenvg",
        "net-custom": "",
        "protocol": "C",
        "resync-rate": 61440,
    },
    "rbd": {"access": "kernelspace", "pool": "rbd"},
    "ext": {"access": "kernelspace"},
    "gluster": {"access": "kernelspace", "host": "127.0.0.1", "port": 24007, "volume": "gv0"},
}

_ISPEC_MIN = {
    "cpu-count": 1,
    "disk-count": 1,
    "disk-size": 1024,
    "memory-size": 128,
    "nic-count": 1,
    "spindle-use": 1,
}
_ISPEC_MAX = {
    "cpu-count": 8,
    "disk-count": 16,
    "disk-size": 1048576,
    "memory-size": 32768,
    "nic-count": 8,
    "spindle-use": 12,
}
IPOLICY_DEFAULTS: dict[str, Any] = {
    "disk-templates": [
        "blockdev",
        "diskless",
        "drbd",
        "ext",
        "file",
        "gluster",
        "plain",
        "rbd",
        "sharedfile",
    ],
    "minmax": [{"min": _ISPEC_MIN, "max": _ISPEC_MAX}],
    "spindle-ratio": 32.0,
    "std": dict(_ISPEC_MIN),
    "vcpu-ratio": 4.0,
}

ALLOC_POLICY_PREFERRED = "preferred"
ALLOC_POLICIES = ("preferred", "last_resort", "unallocable")
DEFAULT_GROUP_NAME = "default"
MAX_RUNNING_JOBS_DEFAULT = 20
MAX_TRACKED_JOBS_DEFAULT = 25
CANDIDATE_POOL_SIZE_DEFAULT = 10


def fresh(value: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a defaults table, safe to store in the configuration."""
    return copy.deepcopy(value)

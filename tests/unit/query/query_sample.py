"""A realistic Ganeti 3.0 config.data-shaped cluster for query tests, plus Ganeti's reference."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from typing import Any

GANETI_PYTHON = "/usr/bin/python3"
GANETI_LIB = "/usr/share/ganeti/3.0"
HAVE_GANETI = os.path.isdir(os.path.join(GANETI_LIB, "ganeti"))


def run_ganeti(script: str, payload: Any) -> Any:
    """Run `script` under the system python with Ganeti importable; JSON in, JSON out."""
    env = dict(os.environ, PYTHONPATH=GANETI_LIB)
    proc = subprocess.run(
        [GANETI_PYTHON, "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(proc.stdout)


N1, N2, N3, N4 = "node-uuid-1", "node-uuid-2", "node-uuid-3", "node-uuid-4"
G1, G2 = "group-uuid-1", "group-uuid-2"
NET1 = "net-uuid-1"


def _disk(uuid: str, size: int, dev_type: str = "plain", **extra: Any) -> dict[str, Any]:
    disk = {"uuid": uuid, "size": size, "dev_type": dev_type, "mode": "rw", "params": {}}
    disk.update(extra)
    return disk


def _instance(
    uuid: str, name: str, pnode: str, disks: list[str], nics: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    inst = {
        "uuid": uuid,
        "name": name,
        "primary_node": pnode,
        "os": "debootstrap+default",
        "hypervisor": "kvm",
        "hvparams": {},
        "beparams": {},
        "osparams": {},
        "admin_state": "up",
        "admin_state_source": "admin",
        "disks_active": True,
        "disk_template": "plain",
        "disks": disks,
        "nics": nics,
        "network_port": None,
        "tags": [],
        "serial_no": 3,
        "ctime": 1700000000.5,
        "mtime": 1700000100.25,
    }
    inst.update(extra)
    return inst


def build_config() -> dict[str, Any]:
    """Four nodes in two groups, a network, six instances (plain, drbd, diskless)."""
    node_common = {
        "master_capable": True,
        "vm_capable": True,
        "ndparams": {},
        "serial_no": 1,
        "ctime": 1600000000.0,
        "mtime": 1600000001.0,
        "tags": [],
    }
    nodes = {
        N1: dict(
            node_common,
            uuid=N1,
            name="node1.example.com",
            primary_ip="192.0.2.1",
            secondary_ip="198.51.100.1",
            group=G1,
            master_candidate=True,
            drained=False,
            offline=False,
            tags=["rack1"],
        ),
        N2: dict(
            node_common,
            uuid=N2,
            name="node2.example.com",
            primary_ip="192.0.2.2",
            secondary_ip="198.51.100.2",
            group=G1,
            master_candidate=True,
            drained=False,
            offline=False,
            ndparams={"oob_program": "/bin/oob"},
            powered=False,
        ),
        N3: dict(
            node_common,
            uuid=N3,
            name="node10.example.com",
            primary_ip="192.0.2.10",
            secondary_ip="198.51.100.10",
            group=G2,
            master_candidate=False,
            drained=True,
            offline=False,
        ),
        N4: dict(
            node_common,
            uuid=N4,
            name="node3.example.com",
            primary_ip="192.0.2.3",
            secondary_ip="198.51.100.3",
            group=G2,
            master_candidate=False,
            drained=False,
            offline=True,
            vm_capable=True,
        ),
    }
    groups = {
        G1: {
            "uuid": G1,
            "name": "default",
            "alloc_policy": "preferred",
            "ndparams": {},
            "ipolicy": {},
            "diskparams": {},
            "serial_no": 2,
            "tags": ["main"],
            "networks": {NET1: {"mode": "bridged", "link": "br100", "vlan": ""}},
            "ctime": 1600000000.0,
            "mtime": 1600000002.0,
        },
        G2: {
            "uuid": G2,
            "name": "group2",
            "alloc_policy": "last_resort",
            "ndparams": {"spindle_count": 4},
            "ipolicy": {"vcpu-ratio": 2.0},
            "diskparams": {"plain": {"stripes": 2}},
            "serial_no": 1,
            "tags": [],
            "networks": {},
        },
    }
    disks = {
        "d1": _disk("d1", 1024, name="root"),
        "d2": _disk("d2", 2048),
        "d3": _disk(
            "d3",
            10240,
            "drbd",
            logical_id=[N1, N2, 11000, 0, 0, "secret"],
            children=[_disk("d3a", 10240), _disk("d3b", 128)],
        ),
        "d4": _disk("d4", 512, "drbd", logical_id=[N2, N1, 11001, 1, 1, "secret"]),
        "d5": _disk("d5", 4096),
        "d6": _disk("d6", 300),
    }
    nic_a = {
        "uuid": "nic-a",
        "mac": "aa:00:00:00:00:01",
        "ip": "192.0.2.100",
        "network": NET1,
        "name": "eth0",
        "nicparams": {},
    }
    nic_b = {
        "uuid": "nic-b",
        "mac": "aa:00:00:00:00:02",
        "ip": None,
        "network": None,
        "name": None,
        "nicparams": {"mode": "routed", "link": "rt1"},
    }
    nic_c = {
        "uuid": "nic-c",
        "mac": "aa:00:00:00:00:03",
        "ip": None,
        "network": None,
        "name": None,
        "nicparams": {"mode": "openvswitch", "link": "ovs0", "vlan": ".5"},
    }
    instances = {
        "i1": _instance(
            "i1",
            "inst1.example.com",
            N1,
            ["d1", "d2"],
            [nic_a, nic_b],
            tags=["web", "prod"],
            beparams={"maxmem": 2048},
            hvparams={"kernel_path": "/boot/vmlinuz-custom"},
        ),
        "i2": _instance(
            "i2", "inst2.example.com", N1, ["d3"], [nic_c], disk_template="drbd", admin_state="down"
        ),
        "i10": _instance(
            "i10",
            "inst10.example.com",
            N2,
            ["d4"],
            [],
            disk_template="drbd",
            admin_state="down",
            admin_state_source="user",
        ),
        "i3": _instance("i3", "inst3.example.com", N4, ["d5"], [], admin_state="up"),
        "i4": _instance(
            "i4",
            "inst4.example.com",
            N3,
            [],
            [],
            disk_template="diskless",
            admin_state="offline",
            hypervisor="fake",
            os="lenny",
        ),
        "i5": _instance("i5", "inst5.example.com", N2, ["d6"], [], admin_state="up"),
    }
    cluster = {
        "cluster_name": "cluster.example.com",
        "master_node": N1,
        "volume_group_name": "xenvg",
        "enabled_user_shutdown": True,
        "hvparams": {
            "kvm": {
                "kernel_path": "/boot/vmlinuz",
                "acpi": True,
                "user_shutdown": False,
                "migration_port": 8102,
                "vnc_bind_address": "0.0.0.0",
                "cpu_cores": 0,
            },
            "fake": {"migration_mode": "live"},
        },
        "os_hvp": {"debootstrap+default": {"kvm": {"acpi": False}}},
        "beparams": {
            "default": {
                "maxmem": 128,
                "minmem": 128,
                "vcpus": 1,
                "auto_balance": True,
                "always_failover": False,
                "spindle_use": 1,
            }
        },
        "nicparams": {"default": {"mode": "bridged", "link": "br0", "vlan": ""}},
        "ndparams": {
            "oob_program": "",
            "spindle_count": 1,
            "exclusive_storage": False,
            "ovs": False,
            "ovs_name": "switch1",
            "ovs_link": "",
            "ssh_port": 22,
            "cpu_speed": 1.0,
        },
        "osparams": {"debootstrap": {"dhcp": "no"}, "debootstrap+default": {"arch": "amd64"}},
        "ipolicy": {
            "vcpu-ratio": 4.0,
            "spindle-ratio": 32.0,
            "std": {"cpu-count": 1, "memory-size": 128},
        },
        "diskparams": {"plain": {"stripes": 1}, "drbd": {"resync-rate": 61440}},
        "tags": ["cluster-tag"],
        "serial_no": 7,
        "ctime": 1500000000.0,
        "mtime": 1500000500.0,
    }
    networks = {
        NET1: {
            "uuid": NET1,
            "name": "net1",
            "network": "192.0.2.0/29",
            "gateway": "192.0.2.1",
            "network6": None,
            "gateway6": None,
            "mac_prefix": "aa:00:00",
            "reservations": "00100000",
            "ext_reservations": "11000001",
            "serial_no": 1,
            "tags": ["lan"],
        },
    }
    filters = {
        "f-uuid-2": {
            "uuid": "f-uuid-2",
            "watermark": 10,
            "priority": 1,
            "predicates": [],
            "action": "ACCEPT",
            "reason_trail": [],
        },
        "f-uuid-1": {
            "uuid": "f-uuid-1",
            "watermark": 5,
            "priority": 0,
            "predicates": [["jobid", [">", "id", "watermark"]]],
            "action": "REJECT",
            "reason_trail": [["gnt:client", "add", 1]],
        },
    }
    return {
        "version": 3000000,
        "cluster": cluster,
        "nodes": nodes,
        "nodegroups": groups,
        "instances": instances,
        "disks": disks,
        "networks": networks,
        "filters": filters,
    }


def live_instances() -> dict[str, dict[str, Any]]:
    """inst1 running; inst2 running though admin down; inst10 user shut down."""
    return {
        "inst1.example.com": {"state": "running", "memory": 2048, "vcpus": 1, "node": N1},
        "inst2.example.com": {"state": "running", "memory": 128, "vcpus": 1, "node": N1},
        "inst10.example.com": {"state": "user_down", "memory": 128, "vcpus": 1, "node": N2},
    }


def live_nodes() -> dict[str, dict[str, Any]]:
    return {
        N1: {
            "memory_total": 16384,
            "memory_free": 8000,
            "memory_dom0": 1024,
            "disk_total": 102400,
            "disk_free": 51200,
            "cpu_total": 8,
            "cpu_nodes": 1,
            "cpu_sockets": 1,
            "cpu_dom0": 1,
            "bootid": "boot-1",
        },
        N2: {"memory_total": "32768", "memory_free": 30000},
    }


def deep(value: Any) -> Any:
    return copy.deepcopy(value)

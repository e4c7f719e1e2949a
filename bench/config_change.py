"""Cost of one configuration change with 10 vs 10,000 instances in the configuration.

Run: python bench/config_change.py [--instances 10000]
Measures (1) one wconfd Update (instance tags) straight through the wconfd socket,
(2) one OP_TAGS_SET job end to end, and (3) for comparison, what rewriting the whole
config.data durably costs, which is what a design that rewrites the file per change pays.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _cluster import free_address, machine
from job_latency import wait

from pyganeti.cli.umbrella import up
from pyganeti.config.client import WConfdClient
from pyganeti.config.durable import atomic_write
from pyganeti.daemons import util
from pyganeti.luxi.client import Client
from pyganeti.paths import Paths


def populate(paths: Paths, count: int) -> None:
    """Add `count` diskless instances straight into config.data (daemons stopped)."""
    data = json.loads(paths.config_file.read_bytes())
    node = data["cluster"]["master_node"]
    now = time.time()
    for i in range(count):
        u = str(uuid.uuid4())
        data["instances"][u] = {
            "uuid": u, "name": f"inst{i:05d}", "primary_node": node, "secondary_nodes": [],
            "os": "noop+default", "hypervisor": "fake", "hvparams": {}, "beparams": {},
            "osparams": {}, "osparams_private": {}, "admin_state": "down",
            "admin_state_source": "admin",
            "nics": [{"uuid": str(uuid.uuid4()), "mac": f"aa:01:{i >> 16 & 255:02x}:"
                      f"{i >> 8 & 255:02x}:{i & 255:02x}:00", "ip": None,
                      "nicparams": {}, "name": None, "network": None}],
            "disks": [], "disk_template": "diskless", "disks_active": False,
            "network_port": None, "tags": [], "serial_no": 1, "ctime": now, "mtime": now}
    data["serial_no"] += 1
    atomic_write(paths.config_file, json.dumps(data).encode())
    paths.config_journal.write_bytes(b"")


def measure(count: int, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pyganeti-bench-") as tmp:
        paths = Paths.from_root(Path(tmp))
        assert up(paths, node_ip=free_address(), quiet=True) == 0
        util.stop_all(paths)
        populate(paths, count)
        assert util.start_all(paths) == 0
        try:
            wc = WConfdClient(paths)
            cfg = wc.read_config(None)["full"]
            target = next(i for i in cfg["instances"].values() if i["name"] == "inst00000")
            updates = []
            for k in range(n):
                obj = dict(target, tags=[f"t{k}"])
                t = time.perf_counter()
                wc.update([{"kind": "instances", "uuid": target["uuid"], "value": obj}])
                updates.append(time.perf_counter() - t)
            jobs = []
            with Client(paths) as client:
                for k in range(max(5, n // 4)):
                    op = {"OP_ID": "OP_TAGS_SET", "kind": "instance", "name": "inst00001",
                          "tags": [f"j{k}"]}
                    t = time.perf_counter()
                    assert wait(client, client.submit_job([op])) == "success"
                    jobs.append(time.perf_counter() - t)
            snapshot = json.dumps(cfg).encode()
            rewrites = []
            for _ in range(5):
                t = time.perf_counter()
                atomic_write(paths.data_dir / "bench-full-rewrite", snapshot)
                rewrites.append(time.perf_counter() - t)
            return {"update": statistics.median(updates), "job": statistics.median(jobs),
                    "rewrite": statistics.median(rewrites), "size": len(snapshot)}
        finally:
            util.stop_all(paths)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=10000)
    parser.add_argument("--changes", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for count in (10, args.instances):
        r = measure(count, args.changes)
        print(f"{count:>6} instances: wconfd Update median {r['update'] * 1000:.2f} ms;"
              f" OP_TAGS_SET job median {r['job'] * 1000:.1f} ms;"
              f" (a full durable rewrite of the {r['size'] / 1e6:.1f} MB config.data would"
              f" cost {r['rewrite'] * 1000:.1f} ms)")


if __name__ == "__main__":
    main()

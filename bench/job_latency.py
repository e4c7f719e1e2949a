"""Job queue figures: single-job latency, 100 queued jobs, gnt-instance add (fake HV).

Run: python bench/job_latency.py [--jobs 50]
Prints medians; with Debian's Ganeti installed it also measures with Ganeti's own luxi
client (the same client that gave 0.33 s / 23.5 s against Ganeti 3.0.2 on this kind).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _cluster import cluster, ganeti_python, machine

from pyganeti.luxi.client import Client
from pyganeti.paths import Paths

DELAY = {"OP_ID": "OP_TEST_DELAY", "duration": 0.0, "on_master": True}
FINAL = {"success", "error", "canceled"}

GANETI_CLIENT = r"""
import sys, time, json
sys.path.insert(0, "/usr/share/ganeti/3.0")
from ganeti import luxi, opcodes, cli
c = luxi.Client(address=sys.argv[1]); n = int(sys.argv[2])
single = []
for i in range(n):
    t = time.perf_counter()
    jid = c.SubmitJob([opcodes.OpTestDelay(duration=0)])
    cli.PollJob(jid, cl=c, feedback_fn=lambda m: None)
    single.append(time.perf_counter() - t)
t = time.perf_counter()
ids = [c.SubmitJob([opcodes.OpTestDelay(duration=0)]) for i in range(100)]
for j in ids:
    cli.PollJob(j, cl=c, feedback_fn=lambda m: None)
print(json.dumps({"single": single, "hundred": time.perf_counter() - t}))
"""


def wait(client: Client, job_id: str) -> str:
    prev = None
    while True:
        res = client.wait_for_job_change_once(job_id, ["status"], prev, None)
        if res == "nochange":
            continue
        prev = res[0]
        if prev[0] in FINAL:
            return str(prev[0])


def ours(paths: Paths, n: int) -> dict[str, float]:
    with Client(paths) as client:
        wait(client, client.submit_job([DELAY]))  # warm up connections
        single = []
        for _ in range(n):
            t = time.perf_counter()
            assert wait(client, client.submit_job([DELAY])) == "success"
            single.append(time.perf_counter() - t)
        t = time.perf_counter()
        ids = [client.submit_job([DELAY]) for _ in range(100)]
        for job_id in ids:
            assert wait(client, job_id) == "success"
        hundred = time.perf_counter() - t
        adds = []
        for i in range(n // 5 or 1):
            op = {"OP_ID": "OP_INSTANCE_CREATE", "instance_name": f"bench{i}",
                  "mode": "create", "disk_template": "file", "disks": [{"size": 64}],
                  "nics": [{}], "os_type": "noop+default", "name_check": False,
                  "ip_check": False}
            t = time.perf_counter()
            assert wait(client, client.submit_job([op])) == "success"
            adds.append(time.perf_counter() - t)
    return {"single_median": statistics.median(single), "single_min": min(single),
            "hundred": hundred, "add_median": statistics.median(adds)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=50)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with cluster() as paths:
        r = ours(paths, args.jobs)
        print(f"pyganeti client: one OP_TEST_DELAY(0) submit->success median"
              f" {r['single_median'] * 1000:.1f} ms (min {r['single_min'] * 1000:.1f} ms)")
        print(f"pyganeti client: 100 queued jobs submit->all success {r['hundred']:.3f} s")
        print(f"pyganeti client: gnt-instance add (file disk, fake HV, noop OS, started)"
              f" job median {r['add_median'] * 1000:.1f} ms")
        py = ganeti_python()
        if py:
            out = subprocess.run([py, "-c", GANETI_CLIENT, str(paths.luxi_socket),
                                  str(args.jobs)], capture_output=True, text=True,
                                 check=True)
            g = json.loads(out.stdout)
            print(f"Ganeti 3.0 luxi client: one job median"
                  f" {statistics.median(g['single']) * 1000:.1f} ms;"
                  f" 100 jobs {g['hundred']:.3f} s")


if __name__ == "__main__":
    main()

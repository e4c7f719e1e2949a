"""RAPI figures: GET /2/info (fresh TLS connection per request, one keep-alive connection,
eight concurrent connections), GET /2/instances?bulk=1 with 1,000 instances (also while a
job holds every lock), and submit → success of an instance shutdown through RAPI.

Run: PYTHONPATH=src python bench/rapi_bench.py [--instances 1000] [--seconds 3]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shlex
import ssl
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cluster import cluster, machine

from pyganeti.luxi.client import Client
from pyganeti.paths import Paths

AUTH = {"Authorization": "Basic " + base64.b64encode(b"bench:bench").decode()}


def tls() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Conn:
    """One HTTPS connection (kept alive unless `fresh`)."""

    def __init__(self, host: str, port: int, fresh: bool = False) -> None:
        self.host, self.port, self.fresh = host, port, fresh
        self.ctx = tls()
        self.conn: http.client.HTTPSConnection | None = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        if self.conn is None or self.fresh:
            self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx)
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **AUTH}
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server drops keep-alive connections idle for a minute: reconnect once.
            self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx)
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
        payload = json.loads(resp.read() or b"null")
        if self.fresh:
            self.conn.close()
        return resp.status, payload


def measure(fn: Callable[[], None], seconds: float, threads: int = 1) -> tuple[float, float, int]:
    """(requests/s, median latency ms, count) of fn run in `threads` threads for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        local: list[float] = []
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            fn()
            local.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(local)

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, len(latencies)


def report(label: str, rps: float, med: float, n: int, extra: str = "") -> None:
    print(f"  {label + ':':34s}{rps:8.1f} req/s  median {med:7.2f} ms  (n={n}){extra}")


def ok(result: tuple[int, Any]) -> Any:
    status, payload = result
    if status != 200:
        raise RuntimeError(f"RAPI answered {status}: {payload}")
    return payload


def create_instances(paths: Paths, first: int, end: int) -> float:
    """Create diskless stopped instances b<first>..b<end-1> (SubmitManyJobs); seconds taken."""
    t0 = time.perf_counter()
    with Client(paths) as luxi:
        jobs = [
            [{"OP_ID": "OP_INSTANCE_CREATE", "instance_name": f"b{i:04d}", "mode": "create",
              "disk_template": "diskless", "disks": [], "nics": [], "os_type": "noop+default",
              "start": False, "name_check": False, "ip_check": False,
              "conflicts_check": False, "wait_for_sync": False}]
            for i in range(first, end)
        ]  # fmt: skip
        ids = []
        for chunk in range(0, len(jobs), 200):
            for success, value in luxi.submit_many_jobs(jobs[chunk : chunk + 200]):
                if not success:
                    raise RuntimeError(f"submit failed: {value}")
                ids.append(int(value))
        for job_id in ids:
            status = wait(luxi, job_id)
            if status != "success":
                raise RuntimeError(f"creation job {job_id} ended {status}")
    return time.perf_counter() - t0


def wait(luxi: Client, job_id: int) -> str:
    prev = None
    while True:
        change = luxi.wait_for_job_change_once(job_id, ["status"], prev, None)
        if isinstance(change, list):
            prev = change[0]
            if prev[0] in ("success", "error", "canceled"):
                return str(prev[0])


def shutdown_roundtrip(conn: Conn, name: str) -> tuple[float, float]:
    """Seconds from PUT shutdown to the job's success (via /wait), then start again."""
    t0 = time.perf_counter()
    job = ok(conn.request("PUT", f"/2/instances/{name}/shutdown"))
    info = None
    while True:
        change = ok(conn.request("GET", f"/2/jobs/{job}/wait",
                                 {"fields": ["status"], "previous_job_info": info}))  # fmt: skip
        if change is not None:
            info = change["job_info"]
            if info[0] in ("success", "error", "canceled"):
                break
    elapsed = time.perf_counter() - t0
    if info[0] != "success":
        raise RuntimeError(f"shutdown job {job} ended {info[0]}")
    t1 = time.perf_counter()
    job = ok(conn.request("PUT", f"/2/instances/{name}/startup"))
    while ok(conn.request("GET", f"/2/jobs/{job}"))["status"] not in ("success", "error"):
        ok(conn.request("GET", f"/2/jobs/{job}/wait", {"fields": ["status"]}))
    return elapsed, time.perf_counter() - t1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--writes", type=int, default=20, help="shutdown round trips")
    args = parser.parse_args()
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"machine: {machine()}")
    # Other work on the machine skews every figure: show how busy it was.
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with cluster() as paths:
        paths.rapi_users.parent.mkdir(parents=True, exist_ok=True)
        paths.rapi_users.write_text("bench bench write\n")
        host = paths.ssconf_file("master_candidates_ips").read_text().split()[0]
        port = 5080
        fresh, keep = Conn(host, port, fresh=True), Conn(host, port)
        ok(keep.request("GET", "/2/info"))

        print("\nGET /2/info")
        rps, med, n = measure(lambda: ok(fresh.request("GET", "/2/info")), args.seconds)
        report("fresh TLS connection per request", rps, med, n)
        rps, med, n = measure(lambda: ok(keep.request("GET", "/2/info")), args.seconds)
        report("one keep-alive connection", rps, med, n)
        local = threading.local()

        def per_thread() -> None:
            if not hasattr(local, "conn"):
                local.conn = Conn(host, port)
            ok(local.conn.request("GET", "/2/info"))

        rps, med, n = measure(per_thread, args.seconds, threads=8)
        report("eight concurrent connections", rps, med, n)

        created = 0
        bulk = lambda: ok(keep.request("GET", "/2/instances?bulk=1"))  # noqa: E731
        for target in sorted({min(100, args.instances), args.instances} - {0}):
            print(f"\ncreating {target - created} diskless instances (SubmitManyJobs) ...")
            took = create_instances(paths, created, target)
            print(f"  created in {took:.1f} s ({(target - created) / took:.1f} instances/s)")
            created = target
            assert len(bulk()) == created
            print(f"GET /2/instances?bulk=1 with {created} instances")
            rps, med, n = measure(bulk, args.seconds)
            report("one keep-alive connection", rps, med, n)
        with Client(paths) as luxi:
            if not created:
                return 0
            # A job sleeping on the node holds its lock for the whole measurement.
            delay = args.seconds + 2.0
            blocker = int(luxi.submit_job([{"OP_ID": "OP_TEST_DELAY", "duration": delay,
                                            "on_nodes": ["node1"]}]))  # fmt: skip
            while luxi.query_jobs([blocker], ["status"])[0][0] != "running":
                time.sleep(0.01)
            rps, med, n = measure(bulk, args.seconds)
            still = luxi.query_jobs([blocker], ["status"])[0][0]
            report("while a job holds locks", rps, med, n, f"  [job {still} throughout]")
            wait(luxi, blocker)

        print(f"\nPUT /2/instances/NAME/shutdown → job success ({args.writes} round trips)")
        ok(keep.request("PUT", "/2/instances/b0000/startup"))
        time.sleep(0.5)
        times = [shutdown_roundtrip(keep, "b0000")[0] for _ in range(args.writes)]
        print(f"  median {statistics.median(times) * 1000:.1f} ms  min {min(times) * 1000:.1f} ms"
              f"  max {max(times) * 1000:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

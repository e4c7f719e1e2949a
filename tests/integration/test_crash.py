"""kill -9 of luxid and wconfd while jobs are queued and running: nothing accepted is lost."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest
from cluster_fixture import Cluster

from pyganeti.luxi.client import Client

FINAL = ("success", "error", "canceled")


def delay(seconds: float) -> dict[str, Any]:
    return {"OP_ID": "OP_TEST_DELAY", "duration": seconds, "on_master": True}


def wait_final(client: Client, job_ids: list[int], timeout: float = 60) -> dict[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        rows = client.query_jobs(job_ids, ["id", "status"])
        statuses = {int(r[0]): r[1] for r in rows if r is not None}
        if len(statuses) == len(job_ids) and all(s in FINAL for s in statuses.values()):
            return statuses
        if time.monotonic() > deadline:
            raise AssertionError(f"jobs not final: {statuses}")
        time.sleep(0.1)


def wait_status(client: Client, job_id: int, status: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while client.query_jobs([job_id], ["status"])[0][0] != status:
        assert time.monotonic() < deadline, f"job {job_id} never reached {status}"
        time.sleep(0.05)


def kill9(cluster: Cluster, daemon: str) -> None:
    pid = cluster.pid(daemon)
    assert pid is not None, f"{daemon} is not running"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while cluster.pid(daemon) is not None:
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.timeout(180)
def test_kill_luxid_with_running_and_queued_jobs(cluster: Cluster) -> None:
    with cluster.luxi() as client:
        running = [int(client.submit_job([delay(30)])) for _ in range(20)]
        queued = [int(client.submit_job([delay(0)])) for _ in range(4)]
        create = int(
            client.submit_job(
                [
                    {
                        "OP_ID": "OP_INSTANCE_CREATE",
                        "instance_name": "after-crash",
                        "mode": "create",
                        "disk_template": "diskless",
                        "disks": [],
                        "nics": [],
                        "os_type": "noop+default",
                        "name_check": False,
                        "ip_check": False,
                    }
                ]
            )
        )
        for job_id in running:
            wait_status(client, job_id, "running")
        assert client.query_jobs([create], ["status"])[0][0] == "queued"
    kill9(cluster, "ganeti-luxid")
    cluster.start("ganeti-luxid")
    with cluster.luxi() as client:
        statuses = wait_final(client, running + queued + [create])
        # The interrupted ones end as errors that say why; the queued ones run.
        assert {statuses[j] for j in running} == {"error"}
        result = client.query_jobs([running[0]], ["opresult"])[0][0][0]
        assert result[0] == "OpExecError" and "was running when its ganeti-luxid" in result[1][0]
        assert {statuses[j] for j in queued} == {"success"}
        assert statuses[create] == "success"
        names = client.query("instance", ["name", "status"], None)["data"]
        assert [[0, "after-crash"], [0, "running"]] in names
        # Their locks died with the old luxid: a job needing the big lock exclusively runs.
        job = int(client.submit_job([{"OP_ID": "OP_CLUSTER_SET_PARAMS", "candidate_pool_size": 7}]))
        assert wait_final(client, [job], timeout=30)[job] == "success"


@pytest.mark.timeout(180)
def test_kill_wconfd_during_config_writes(cluster: Cluster) -> None:
    with cluster.luxi() as client:
        serial_before = client.query_cluster_info()["mtime"]
        jobs = []
        for i in range(40):
            jobs.append(
                int(
                    client.submit_job(
                        [{"OP_ID": "OP_TAGS_SET", "kind": "cluster", "tags": [f"t{i}"]}]
                    )
                )
            )
            if i == 15:
                kill9(cluster, "ganeti-wconfd")
            if i == 25:
                cluster.start("ganeti-wconfd")
        statuses = wait_final(client, jobs, timeout=120)
        assert set(statuses.values()) == {"success"}, statuses
        tags = client.query_tags("cluster", None)
        assert sorted(tags) == sorted(f"t{i}" for i in range(40))
        assert client.query_cluster_info()["mtime"] > serial_before
    # The configuration on disk is complete once wconfd flushes it at stop.
    cluster.stop()
    import json

    data = json.loads(cluster.paths.config_file.read_bytes())
    assert set(data["cluster"]["tags"]) == {f"t{i}" for i in range(40)}


@pytest.mark.timeout(180)
def test_kill_wconfd_while_jobs_hold_locks(cluster: Cluster) -> None:
    with cluster.luxi() as client:
        holders = [int(client.submit_job([delay(3)])) for _ in range(3)]
        for job_id in holders:
            wait_status(client, job_id, "running")
        kill9(cluster, "ganeti-wconfd")
        # Accepted while wconfd is down: it waits for wconfd, it is not lost.
        create = int(
            client.submit_job(
                [
                    {
                        "OP_ID": "OP_INSTANCE_CREATE",
                        "instance_name": "during-outage",
                        "mode": "create",
                        "disk_template": "file",
                        "disks": [{"size": 64}],
                        "nics": [],
                        "os_type": "noop+default",
                        "name_check": False,
                        "ip_check": False,
                    }
                ]
            )
        )
        time.sleep(1)
        cluster.start("ganeti-wconfd")
        statuses = wait_final(client, [*holders, create], timeout=90)
        assert set(statuses.values()) == {"success"}, statuses
    verify = cluster.run("gnt-cluster", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.timeout(120)
def test_sigterm_of_luxid_with_a_running_job(cluster: Cluster) -> None:
    with cluster.luxi() as client:
        job = int(client.submit_job([delay(120)]))
        wait_status(client, job, "running")
    started = time.monotonic()
    assert cluster.run("pyganeti", "daemon-util", "stop", "ganeti-luxid").returncode == 0
    # A grace period for running jobs, then luxid exits instead of waiting for them.
    assert time.monotonic() - started < 25
    assert "ignored SIGTERM" not in cluster.paths.daemon_log("ganeti-luxid").read_text()
    cluster.start("ganeti-luxid")
    with cluster.luxi() as client:
        assert wait_final(client, [job])[job] == "error"
        result = client.query_jobs([job], ["opresult"])[0][0][0]
        assert "was running when its ganeti-luxid" in result[1][0]

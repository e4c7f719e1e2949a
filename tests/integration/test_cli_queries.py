"""Listing, info, tags, jobs, queue, watcher and OS commands of the real gnt-* tools.

Each test starts its own cluster (real daemons in a temporary root) and checks the
output against Ganeti's formats and the state on disk.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from cluster_fixture import Cluster

pytestmark = pytest.mark.timeout(120)

ADD = ("gnt-instance", "add", "-o", "noop+default", "--no-name-check", "--no-ip-check")


def add(cluster: Cluster, name: str, *args: str) -> None:
    cluster.run(*ADD, *args, name, check=True)


def job_rows(cluster: Cluster) -> list[list[Any]]:
    with cluster.luxi() as client:
        return [list(row) for row in client.query_jobs(None, ["id", "status", "summary"])]


def test_list_and_info_formats_and_os(cluster: Cluster) -> None:
    add(cluster, "web1", "-t", "file", "-s", "1G", "-B", "maxmem=256,minmem=256")
    add(cluster, "db1", "-t", "sharedfile", "-s", "512M", "--no-start", "--tags", "db,prod")
    add(cluster, "tiny", "-t", "diskless", "--no-start", "--no-nics")

    lines = cluster.run("gnt-instance", "list", check=True).stdout.splitlines()
    # Ganeti's default fields, titles and column alignment (numbers right-aligned).
    assert lines == [
        "Instance Hypervisor OS           Primary_node Status     Memory",
        "db1      fake       noop+default node1        ADMIN_down      -",
        "tiny     fake       noop+default node1        ADMIN_down      -",
        "web1     fake       noop+default node1        running      256M",
    ]
    out = cluster.run(
        "gnt-instance", "list", "--no-headers", "--separator=:", "-o", "name,status,tags,disk.sizes"
    ).stdout
    assert out == "db1:ADMIN_down:db,prod:512\ntiny:ADMIN_down::\nweb1:running::1024\n"
    # "+" adds to the default fields; names restrict the rows, in the order given
    # (as Ganeti 3.0's luxid answers name queries).
    out = cluster.run(
        "gnt-instance", "list", "--separator=|", "-o", "+disk_template,nic.count", "web1", "db1"
    ).stdout
    assert out.splitlines() == [
        "Instance|Hypervisor|OS|Primary_node|Status|Memory|Disk_template|NICs",
        "web1|fake|noop+default|node1|running|256|file|1",
        "db1|fake|noop+default|node1|ADMIN_down|-|sharedfile|1",
    ]
    sizes = {}
    for unit in ("m", "g", "t", "h"):
        out = cluster.run(
            "gnt-instance",
            "list",
            "--no-headers",
            "--separator= ",
            f"--units={unit}",
            "-o",
            "name,disk_usage,be/maxmem",
            "db1",
            "web1",
            check=True,
        ).stdout
        sizes[unit] = out.splitlines()
    assert sizes == {
        "m": ["db1 512 128", "web1 1024 256"],
        "g": ["db1 0.5 0.1", "web1 1.0 0.2"],
        "t": ["db1 0.0 0.0", "web1 0.0 0.0"],
        "h": ["db1 512M 128M", "web1 1.0G 256M"],
    }
    bad_unit = cluster.run("gnt-instance", "list", "--units=x")
    assert bad_unit.returncode == 2 and "--units" in bad_unit.stderr

    fields = cluster.run("gnt-instance", "list-fields", "name", "disk_usage", check=True).stdout
    assert fields.splitlines()[0].split() == ["Name", "Type", "Title", "Description"]
    assert fields.splitlines()[1].split()[:3] == ["name", "Text", "Instance"]
    assert fields.splitlines()[2].split()[:4] == ["disk_usage", "Storage", "size", "DiskUsage"]

    info = cluster.run("gnt-instance", "info", "db1", "web1", check=True).stdout
    assert info.startswith("- Instance name: db1\n")
    assert "\n- Instance name: web1\n" in info
    assert "State: configured to be down, actual state is down" in info
    assert "State: configured to be up, actual state is up" in info
    assert "Disk template: sharedfile" in info
    static = cluster.run("gnt-instance", "info", "--static", "web1", check=True).stdout
    assert "State: configured to be up\n" in static

    out = cluster.run("gnt-node", "list", "--no-headers", "-o", "name,pinst_cnt,pinst_list").stdout
    assert out.split() == ["node1", "3", "db1,tiny,web1"]

    assert cluster.run("gnt-os", "list", check=True).stdout.split() == ["Name", "noop+default"]
    assert cluster.run("gnt-os", "list", "--no-headers").stdout == "noop+default\n"
    info = cluster.run("gnt-os", "info", "noop", check=True).stdout
    assert info.startswith("noop:\n  - valid: True\n  - hidden: False\n")
    assert "  - API versions:\n    - 20\n" in info
    assert "  - variants:\n    - default\n" in info
    # Like Ganeti: an unknown OS gets an empty entry, not an error.
    unknown = cluster.run("gnt-os", "info", "nosuchos", check=True)
    assert unknown.stdout == "nosuchos: \n\n"


def test_tags_on_cluster_node_instance(cluster: Cluster) -> None:
    add(cluster, "t1", "-t", "diskless", "--no-start")
    targets = {
        "gnt-cluster": (),
        "gnt-node": ("node1",),
        "gnt-instance": ("t1",),
    }
    for tool, obj in targets.items():
        cluster.run(tool, "add-tags", *obj, "env:prod", "zeta", "alpha", check=True)
        listed = cluster.run(tool, "list-tags", *obj, check=True).stdout
        assert listed == "alpha\nenv:prod\nzeta\n", tool
        cluster.run(tool, "remove-tags", *obj, "zeta", check=True)
        assert cluster.run(tool, "list-tags", *obj).stdout == "alpha\nenv:prod\n", tool
        # Tags can also come one per line from a file, "-" being stdin.
        cluster.run(tool, "add-tags", *obj, "--from", "-", stdin="from-file\n", check=True)
    # Each object kept its own tags.
    with cluster.luxi() as client:
        assert client.query_tags("cluster", None) == ["alpha", "env:prod", "from-file"]
        assert client.query_tags("node", "node1") == ["alpha", "env:prod", "from-file"]
        assert client.query_tags("instance", "t1") == ["alpha", "env:prod", "from-file"]
    info = cluster.run("gnt-cluster", "info", check=True).stdout
    assert "Tags: alpha, env:prod, from-file\n" in info
    assert (
        cluster.run("gnt-instance", "list", "--no-headers", "-o", "tags").stdout
        == "alpha,env:prod,from-file\n"
    )

    # Removing a tag the object does not have fails and removes nothing.
    missing = cluster.run("gnt-instance", "remove-tags", "t1", "alpha", "nosuchtag")
    assert missing.returncode == 1
    assert "nosuchtag" in missing.stderr
    assert cluster.run("gnt-instance", "list-tags", "t1").stdout == "alpha\nenv:prod\nfrom-file\n"
    bad = cluster.run("gnt-node", "add-tags", "node1", "has space")
    assert bad.returncode == 1 and "has space" in bad.stderr
    unknown = cluster.run("gnt-instance", "list-tags", "nosuch")
    assert unknown.returncode == 1 and "nosuch" in unknown.stderr


def _wait_status(cluster: Cluster, job: int, wanted: str) -> None:
    """Wait (bounded) until a job reaches a status; luxid decides when, not this test."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with cluster.luxi() as client:
            ((status,),) = client.query_jobs([job], ["status"])
        if status == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"job {job} never reached {wanted} (last: {status})")


def test_jobs_list_info_watch_cancel_archive(cluster: Cluster) -> None:
    # A delay holding node1's lock, and a second one queued behind it. The first must
    # outlast the four commands up to "cancel 1" even on a busy machine; luxid cannot
    # kill a running job, so the rest of the test runs while it sleeps.
    delay = ("gnt-debug", "delay", "--submit", "--no-master", "-n", "node1", "10")
    first = cluster.run(*delay, check=True)
    assert (first.stdout, first.stderr) == ("", "JobID: 1\n")
    second = cluster.run(*delay, check=True)
    assert second.stderr == "JobID: 2\n"
    _wait_status(cluster, 1, "running")
    _wait_status(cluster, 2, "waiting")
    out = cluster.run("gnt-job", "list", "--no-headers", "--pending", check=True).stdout
    assert out.split() == ["2", "waiting", "TEST_DELAY(10.0)"]
    cancelled = cluster.run("gnt-job", "cancel", "2", check=True)
    assert cancelled.stdout == "Job 2 will be canceled\n"
    # A running job can no longer be cancelled this way.
    late = cluster.run("gnt-job", "cancel", "1")
    assert late.returncode == 1
    assert late.stdout == "Job 1 is no longer waiting in the queue\n"
    out = cluster.run("gnt-job", "list", "--no-headers", "--running", check=True).stdout
    assert out.split() == ["1", "running", "TEST_DELAY(10.0)"]

    _wait_status(cluster, 2, "canceled")
    info = cluster.run("gnt-job", "info", "2", check=True).stdout
    assert info.startswith("- Job ID: 2\n  Status: canceled\n")
    assert "    - Opcode: OP_TEST_DELAY\n" in info
    assert "        duration: 10.0\n" in info
    watched = cluster.run("gnt-job", "watch", "2")
    assert watched.returncode == 1
    assert "Job 2 failed: Unhandled Ganeti error: Job was canceled" in watched.stderr

    # The instance creation needs node1 too, so it runs once the delay is done.
    add(cluster, "j1", "-t", "diskless", "--no-start")
    lines = cluster.run("gnt-job", "list", check=True).stdout.splitlines()
    assert lines[0].split() == ["ID", "Status", "Summary"]
    assert [line.split() for line in lines[1:]] == [
        ["1", "success", "TEST_DELAY(10.0)"],
        ["2", "canceled", "TEST_DELAY(10.0)"],
        ["3", "success", "INSTANCE_CREATE(j1)"],
    ]
    output = cluster.run("gnt-job", "watch", "3", check=True).stdout
    assert output.startswith("Output from job 3 follows\n" + "-" * 25 + "\n")
    assert "adding instance j1 to cluster config" in output

    # Archiving moves finished jobs out of the list, into queue/archive.
    cluster.run("gnt-job", "archive", "2", check=True)
    assert [row[0] for row in job_rows(cluster)] == [1, 3]
    assert [p.name for p in cluster.paths.queue_archive_dir.rglob("job-*")] == ["job-2"]
    assert not (cluster.paths.queue_dir / "job-2").exists()
    info = cluster.run("gnt-job", "info", "2", check=True).stdout
    assert "  Status: canceled\n" in info  # archived jobs can still be looked at
    unknown = cluster.run("gnt-job", "info", "99")
    assert "Job ID 99 not found" in unknown.stdout + unknown.stderr


def test_queue_drain_and_watcher_pause(cluster: Cluster) -> None:
    assert cluster.run("gnt-cluster", "queue", "info").stdout == "The drain flag is unset\n"
    cluster.run("gnt-cluster", "queue", "drain", check=True)
    assert cluster.paths.queue_drain_file.exists()
    assert cluster.run("gnt-cluster", "queue", "info").stdout == "The drain flag is set\n"
    jobs_before = job_rows(cluster)
    refused = cluster.run(*ADD, "-t", "diskless", "q1")
    assert refused.returncode == 1
    assert refused.stderr == (
        "Failure: the job queue is marked for drain and doesn't accept new requests\n"
    )
    assert job_rows(cluster) == jobs_before
    assert cluster.run("gnt-instance", "list", "--no-headers").stdout == ""
    cluster.run("gnt-cluster", "queue", "undrain", check=True)
    assert not cluster.paths.queue_drain_file.exists()
    assert cluster.run("gnt-cluster", "queue", "info").stdout == "The drain flag is unset\n"
    add(cluster, "q1", "-t", "diskless", "--no-start")

    assert cluster.run("gnt-cluster", "watcher", "info").stdout == "The watcher is not paused.\n"
    before = time.time()
    paused = cluster.run("gnt-cluster", "watcher", "pause", "1h", check=True).stdout
    until = int(cluster.paths.watcher_pause_file.read_text())
    assert before + 3600 - 1 <= until
    assert paused == f"The watcher is paused until {time.ctime(until)}.\n"
    assert cluster.run("gnt-cluster", "watcher", "info").stdout == paused
    resumed = cluster.run("gnt-cluster", "watcher", "continue", check=True)
    assert resumed.stdout == "The watcher is no longer paused.\n"
    assert not cluster.paths.watcher_pause_file.exists()
    assert cluster.run("gnt-cluster", "watcher", "info").stdout == "The watcher is not paused.\n"
    bad = cluster.run("gnt-cluster", "watcher", "pause", "soon")
    assert bad.returncode != 0 and "soon" in bad.stderr
    assert not cluster.paths.watcher_pause_file.exists()


def test_os_diagnose(cluster: Cluster) -> None:
    out = cluster.run("gnt-os", "diagnose", check=True).stdout
    assert "OS: noop [global status: valid]" in out
    assert "  Node: node1, status: valid (path: " in out
    assert "[API versions: 20] [variants: default] [no parameters] [trusted]" in out

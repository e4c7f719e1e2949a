"""Instance lifecycle through the real gnt-* tools against real daemons in a temporary root.

add (each disk template) → power cycle and gnt-cluster verify (including an instance
that vanished behind Ganeti's back) → modify → rename → reinstall → remove, and
gnt-cluster destroy.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from cluster_fixture import Cluster

pytestmark = pytest.mark.timeout(120)

ADD = ("gnt-instance", "add", "-o", "noop+default", "--no-name-check", "--no-ip-check")
GIB = 1024 * 1024 * 1024
MIB = 1024 * 1024


def add(cluster: Cluster, name: str, *args: str) -> str:
    return cluster.run(*ADD, *args, name, check=True).stdout


def rows(cluster: Cluster, fields: str, *names: str) -> list[list[str]]:
    out = cluster.run(
        "gnt-instance", "list", "--no-headers", "--separator=|", "-o", fields, *names, check=True
    ).stdout
    return [line.split("|") for line in out.splitlines()]


def q(cluster: Cluster, *fields: str) -> list[list[Any]]:
    """Instance fields straight from luxid (cheaper than a gnt-instance process)."""
    with cluster.luxi() as client:
        result = client.query("instance", list(fields), None)
    return [[value for _status, value in row] for row in result["data"]]


def hv_state(cluster: Cluster, name: str) -> dict[str, Any] | None:
    path = cluster.paths.fake_hv_dir / name
    if not path.exists():
        return None
    state: dict[str, Any] = json.loads(path.read_text())
    return state


def files_under(path: Path) -> dict[str, int]:
    """Relative path -> size of every file below path."""
    return {
        str(p.relative_to(path)): p.stat().st_size for p in sorted(path.rglob("*")) if p.is_file()
    }


def test_add_with_each_template_creates_disks_and_state(cluster: Cluster) -> None:
    out = add(
        cluster,
        "dl1",
        "-t",
        "diskless",
        "--no-start",
        "-B",
        "maxmem=0.25G,minmem=128M,vcpus=2",  # sizes take units, as in Ganeti
        "--net",
        "0:mode=routed,link=lo,ip=192.0.2.10",
    )
    assert "adding instance dl1 to cluster config" in out
    assert "starting instance" not in out
    out = add(cluster, "f1", "-t", "file", "-s", "1G", "-O", "answer=42")
    assert "* creating instance disks..." in out and "* starting instance..." in out
    add(cluster, "sf1", "-t", "sharedfile", "--disk", "0:size=300M", "--disk", "1:size=100M")

    # Disks are real files of the requested size under the cluster's storage dirs.
    assert files_under(cluster.paths.file_storage_dir) == {"f1/disk0": GIB}
    assert files_under(cluster.paths.shared_file_storage_dir) == {
        "sf1/disk0": 300 * MIB,
        "sf1/disk1": 100 * MIB,
    }
    # The fake hypervisor runs exactly the started instances, with their parameters.
    assert sorted(p.name for p in cluster.paths.fake_hv_dir.iterdir()) == ["f1", "sf1"]
    state = hv_state(cluster, "f1")
    assert state is not None
    assert (state["state"], state["memory"], state["vcpus"]) == ("running", 128, 1)

    assert rows(
        cluster, "name,disk_template,status,be/maxmem,be/vcpus,nic.modes,nic.ips,disk.sizes,os"
    ) == [
        ["dl1", "diskless", "ADMIN_down", "256", "2", "routed", "192.0.2.10", "", "noop+default"],
        ["f1", "file", "running", "128", "1", "routed", "None", "1024", "noop+default"],
        ["sf1", "sharedfile", "running", "128", "1", "routed", "None", "300,100", "noop+default"],
    ]
    info = cluster.run("gnt-instance", "info", "f1", check=True).stdout
    assert "- Instance name: f1\n" in info
    assert "State: configured to be up, actual state is up" in info
    assert "Operating system parameters: \n    answer: 42\n" in info
    disk = cluster.paths.file_storage_dir / "f1" / "disk0"
    assert f"logical_id: ['loop', '{disk}']" in info
    assert "- disk/0: file, size 1.0G" in info
    info = cluster.run("gnt-instance", "info", "dl1", check=True).stdout
    assert "State: configured to be down, actual state is down" in info
    assert "IP: 192.0.2.10" in info and "mode: routed" in info and "link: lo" in info
    assert "    maxmem: 256\n" in info and "    vcpus: 2\n" in info
    assert "Disk template: diskless" in info


def test_power_cycle_and_verify(cluster: Cluster) -> None:
    add(cluster, "p1", "-t", "file", "-s", "128M")
    add(cluster, "p2", "-t", "diskless", "--no-start")
    first = hv_state(cluster, "p1")
    assert first is not None and first["state"] == "running"

    started = first["started"]
    for kind in ("soft", "hard", "full"):
        proc = cluster.run("gnt-instance", "reboot", f"--type={kind}", "p1", check=True)
        assert "Waiting for job" in proc.stdout + proc.stderr
        state = hv_state(cluster, "p1")
        assert state is not None and state["state"] == "running", kind
        assert state["started"] != started, f"{kind} reboot did not restart the instance"
        started = state["started"]
    # A full reboot starts the instance afresh from its configuration.
    cluster.run("gnt-instance", "modify", "-B", "maxmem=256,minmem=256", "p1", check=True)
    assert hv_state(cluster, "p1")["memory"] == 128  # type: ignore[index]
    cluster.run("gnt-instance", "reboot", "--type=full", "p1", check=True)
    assert hv_state(cluster, "p1")["memory"] == 256  # type: ignore[index]

    cluster.run("gnt-instance", "shutdown", "--timeout=0", "p1", check=True)
    assert hv_state(cluster, "p1") is None
    assert q(cluster, "name", "status", "admin_state", "oper_state") == [
        ["p1", "ADMIN_down", "down", False],
        ["p2", "ADMIN_down", "down", False],
    ]
    cluster.run("gnt-instance", "startup", "p1", check=True)
    assert q(cluster, "status", "admin_state", "oper_state")[0] == ["running", "up", True]
    assert hv_state(cluster, "p1") is not None

    ok = cluster.run("gnt-cluster", "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ERROR" not in ok.stdout + ok.stderr
    assert "* Verifying instance status" in ok.stdout
    # The hypervisor "forgets" the instance behind Ganeti's back; Ganeti still wants it up.
    (cluster.paths.fake_hv_dir / "p1").unlink()
    bad = cluster.run("gnt-cluster", "verify")
    assert bad.returncode == 1
    errors = [line for line in bad.stdout.splitlines() if "ERROR" in line]
    assert len(errors) == 1, bad.stdout
    assert errors[0].endswith(
        "  - ERROR: instance p1: instance not running on its primary node node1"
    )
    assert q(cluster, "name", "status") == [["p1", "ERROR_down"], ["p2", "ADMIN_down"]]
    # Starting it again through Ganeti repairs the cluster.
    cluster.run("gnt-instance", "startup", "p1", check=True)
    assert cluster.run("gnt-cluster", "verify").returncode == 0


def test_modify_rename_reinstall_remove(cluster: Cluster) -> None:
    fsd = cluster.paths.file_storage_dir
    add(cluster, "m1", "-t", "file", "-s", "256M", "-O", "answer=42")

    out = cluster.run(
        "gnt-instance",
        "modify",
        "-B",
        "vcpus=2",
        "-H",
        "migration_mode=non-live",
        "m1",
        check=True,
    ).stdout
    assert out.startswith("Modified instance m1\n")
    assert " - be/vcpus -> 2" in out and " - hv/migration_mode -> non-live" in out
    assert q(cluster, "be/vcpus", "be/maxmem") == [[2, 128]]
    # migration_mode is a cluster-global hypervisor parameter: no hv/ field, only info.
    info = cluster.run("gnt-instance", "info", "m1", check=True).stdout
    assert "  Hypervisor parameters: \n    migration_mode: non-live\n" in info

    out = cluster.run(
        "gnt-instance", "modify", "--net", "add:mode=bridged,link=br0", "m1", check=True
    ).stdout
    assert " - nic.1 -> add:" in out
    assert q(cluster, "nic.count", "nic.modes", "nic.links") == [
        [2, ["routed", "bridged"], ["", "br0"]]
    ]
    cluster.run("gnt-instance", "modify", "--net", "1:remove", "m1", check=True)
    assert q(cluster, "nic.count", "nic.modes") == [[1, ["routed"]]]

    # Disks are changed on the stopped instance; the new file appears and goes.
    cluster.run("gnt-instance", "shutdown", "m1", check=True)
    out = cluster.run("gnt-instance", "modify", "--disk", "add:size=64M", "m1", check=True).stdout
    assert " - disk/1 -> add:size=64,mode=rw" in out
    disks = files_under(fsd / "m1")
    assert len(disks) == 2 and disks["disk0"] == 256 * MIB
    (added,) = (name for name in disks if name != "disk0")
    assert disks[added] == 64 * MIB
    assert q(cluster, "disk.count", "disk.sizes") == [[2, [256, 64]]]
    cluster.run("gnt-instance", "modify", "--disk", "1:remove", "m1", check=True)
    assert files_under(fsd / "m1") == {"disk0": 256 * MIB}
    assert q(cluster, "disk.count") == [[1]]

    cluster.run("gnt-instance", "modify", "--offline", "m1", check=True)
    assert q(cluster, "status", "admin_state") == [["ADMIN_offline", "offline"]]
    refused = cluster.run("gnt-instance", "startup", "m1")
    assert refused.returncode == 1 and "offline" in refused.stderr
    assert hv_state(cluster, "m1") is None
    cluster.run("gnt-instance", "modify", "--online", "m1", check=True)
    assert q(cluster, "status", "admin_state") == [["ADMIN_down", "down"]]

    # Without -f and without a terminal the DNS confirmation is refused: nothing renamed.
    refused = cluster.run("gnt-instance", "rename", "--no-name-check", "--no-ip-check", "m1", "m2")
    assert refused.returncode == 1
    assert q(cluster, "name") == [["m1"]]
    for force, old, new in (("-f", "m1", "m2"), ("--force", "m2", "m3")):
        out = cluster.run(
            "gnt-instance",
            "rename",
            force,
            "--no-name-check",
            "--no-ip-check",
            old,
            new,
            check=True,
        ).stdout
        assert out == f"Instance '{old}' renamed to '{new}'\n"
        assert q(cluster, "name") == [[new]]
        # The file storage directory follows the name.
        assert not (fsd / old).exists()
        assert files_under(fsd / new) == {"disk0": 256 * MIB}

    create_logs = sorted(cluster.paths.os_log_dir.glob("add-noop-*"))
    out = cluster.run(
        "gnt-instance", "reinstall", "-f", "-O", "colour=blue", "m3", check=True
    ).stdout
    assert "Running the instance OS create scripts..." in out
    assert len(sorted(cluster.paths.os_log_dir.glob("add-noop-m3-*"))) == 1
    assert len(sorted(cluster.paths.os_log_dir.glob("add-noop-*"))) == len(create_logs) + 1
    # The given OS parameters are stored with the instance. (Ganeti 3.0 replaces the
    # stored ones; pyganeti merges them, so this only checks the new one.)
    ((name, status, os_name, osparams),) = q(cluster, "name", "status", "os", "osparams")
    assert (name, status, os_name, osparams["colour"]) == (
        "m3",
        "ADMIN_down",
        "noop+default",
        "blue",
    )

    cluster.run("gnt-instance", "startup", "m3", check=True)
    out = cluster.run("gnt-instance", "remove", "-f", "m3", check=True).stdout
    assert "Removing instance m3 out of cluster config" in out
    assert cluster.run("gnt-instance", "list", "--no-headers", check=True).stdout == ""
    assert hv_state(cluster, "m3") is None
    assert files_under(fsd) == {}
    assert not (fsd / "m3").exists()


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    # A zombie (state Z) has exited and only waits to be reaped by its parent.
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_destroy(cluster: Cluster) -> None:
    add(cluster, "x1", "-t", "file", "-s", "128M")
    pids = [cluster.pid(name) for name in ("ganeti-noded", "ganeti-wconfd", "ganeti-luxid")]
    assert all(pid is not None and _alive(pid) for pid in pids)

    refused = cluster.run("gnt-cluster", "destroy")
    assert refused.returncode == 1
    assert "supply the --yes-do-it option" in refused.stderr
    busy = cluster.run("gnt-cluster", "destroy", "--yes-do-it")
    assert busy.returncode == 1
    assert "There are still 1 instance(s)" in busy.stderr
    assert cluster.paths.config_file.exists()

    cluster.run("gnt-instance", "remove", "-f", "x1", check=True)
    cluster.run("gnt-cluster", "destroy", "--yes-do-it", check=True)
    assert not cluster.paths.config_file.exists()
    assert not cluster.paths.queue_dir.exists()
    # Destroy returns once the master daemons are told to stop; wait for them to exit.
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids if pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if pid and _alive(pid)]

    for argv in (
        ("gnt-cluster", "destroy", "--yes-do-it"),
        ("gnt-cluster", "info"),
        ("gnt-instance", "list"),
    ):
        gone = cluster.run(*argv)
        assert gone.returncode == 5, argv
        assert "This node is not part of a cluster" in gone.stderr
        assert str(cluster.paths.config_file) in gone.stderr
    hv_dir = cluster.paths.fake_hv_dir
    assert not hv_dir.exists() or os.listdir(hv_dir) == []

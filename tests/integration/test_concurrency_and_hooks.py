"""Jobs on different instances overlap in time, on the same instance they serialise;
hooks run with Ganeti's environment and a failing pre-hook aborts the opcode."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from cluster_fixture import Cluster
from test_crash import wait_final

HOOK = """#!/bin/sh
echo "$GANETI_INSTANCE_NAME start $(date +%s.%N) $GANETI_HOOKS_PHASE $GANETI_OP_CODE" >> {log}
sleep 1
echo "$GANETI_INSTANCE_NAME end $(date +%s.%N)" >> {log}
"""


def create(name: str) -> dict[str, Any]:
    return {
        "OP_ID": "OP_INSTANCE_CREATE",
        "instance_name": name,
        "mode": "create",
        "disk_template": "diskless",
        "disks": [],
        "nics": [],
        "os_type": "noop+default",
        "name_check": False,
        "ip_check": False,
    }


def startup(name: str) -> dict[str, Any]:
    return {"OP_ID": "OP_INSTANCE_STARTUP", "instance_name": name}


def reboot(name: str) -> dict[str, Any]:
    return {"OP_ID": "OP_INSTANCE_REBOOT", "instance_name": name, "reboot_type": "soft"}


def intervals(log: Path) -> list[tuple[str, float, float]]:
    starts: dict[str, list[float]] = {}
    out = []
    for line in log.read_text().splitlines():
        name, what, stamp = line.split()[:3]
        if what == "start":
            starts.setdefault(name, []).append(float(stamp))
        else:
            out.append((name, starts[name].pop(0), float(stamp)))
    return out


def overlap(a: tuple[str, float, float], b: tuple[str, float, float]) -> bool:
    return a[1] < b[2] and b[1] < a[2]


def install_hook(cluster: Cluster, hpath: str, phase: str, text: str) -> None:
    hook_dir = cluster.paths.hooks_dir / f"{hpath}-{phase}.d"
    hook_dir.mkdir(parents=True, exist_ok=True)
    script = hook_dir / "50-test"
    script.write_text(text)
    script.chmod(0o755)


@pytest.mark.timeout(120)
def test_jobs_overlap_across_instances_and_serialise_on_one(
    cluster: Cluster, tmp_path: Path
) -> None:
    log = tmp_path / "hooks.log"
    with cluster.luxi() as client:
        jobs = [int(client.submit_job([create(n)])) for n in ("i1", "i2")]
        assert set(wait_final(client, jobs).values()) == {"success"}
        # Reboots lock only their instance (as in Ganeti), so only i1 vs i1 conflict.
        install_hook(cluster, "instance-reboot", "pre", HOOK.format(log=log))
        jobs = [int(client.submit_job([reboot(n)])) for n in ("i1", "i2", "i1")]
        assert set(wait_final(client, jobs).values()) == {"success"}
    runs = intervals(log)
    assert len(runs) == 3
    i1 = [r for r in runs if r[0] == "i1"]
    i2 = [r for r in runs if r[0] == "i2"]
    assert overlap(i1[0], i2[0]) or overlap(i1[1], i2[0]), runs
    assert not overlap(i1[0], i1[1]), runs
    # The hook saw Ganeti's environment.
    first = log.read_text().splitlines()[0].split()
    assert first[3:] == ["pre", "OP_INSTANCE_REBOOT"]


@pytest.mark.timeout(120)
def test_failing_pre_hook_aborts_and_post_hook_sees_post_env(
    cluster: Cluster, tmp_path: Path
) -> None:
    env_dump = tmp_path / "post.env"
    with cluster.luxi() as client:
        job = int(client.submit_job([dict(create("i1"), start=False)]))
        assert wait_final(client, [job])[job] == "success"
        install_hook(cluster, "instance-start", "pre", "#!/bin/sh\necho no way >&2\nexit 1\n")
        install_hook(cluster, "instance-stop", "post", f"#!/bin/sh\nenv > {env_dump}\n")
        job = int(client.submit_job([startup("i1")]))
        assert wait_final(client, [job])[job] == "error"
        result = client.query_jobs([job], ["opresult"])[0][0][0]
        assert result[0] == "OpPrereqError" and "Hooks failure" in result[1][0]
        status = client.query("instance", ["status"], ["=", "name", "i1"])["data"]
        assert status == [[[0, "ADMIN_down"]]]
        job = int(client.submit_job([{"OP_ID": "OP_INSTANCE_SHUTDOWN", "instance_name": "i1"}]))
        assert wait_final(client, [job])[job] == "success"
    deadline = time.monotonic() + 5
    while not env_dump.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    env = dict(line.split("=", 1) for line in env_dump.read_text().splitlines() if "=" in line)
    assert env["GANETI_HOOKS_PHASE"] == "post"
    assert env["GANETI_OP_CODE"] == "OP_INSTANCE_SHUTDOWN"
    assert env["GANETI_INSTANCE_NAME"] == "i1"
    assert env["GANETI_POST_INSTANCE_NAME"] == "i1"
    assert env["GANETI_HOOKS_VERSION"] == "2"
    assert env["GANETI_OBJECT_TYPE"] == "INSTANCE"

"""Debian's Ganeti 3.0 luxi client (a real peer) submits, waits for and queries jobs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cluster_fixture import Cluster

GANETI = Path("/usr/share/ganeti/3.0/ganeti/luxi.py")
pytestmark = pytest.mark.skipif(not GANETI.exists(), reason="Debian's ganeti not installed")

SCRIPT = r"""
import json, sys
sys.path.insert(0, "/usr/share/ganeti/3.0")
from ganeti import cli, errors, luxi, opcodes
c = luxi.Client(address=sys.argv[1])
out = {}
jid = c.SubmitJob([opcodes.OpTestDelay(duration=0.1, repeat=2)])
out["result"] = cli.PollJob(jid, cl=c, feedback_fn=lambda m: None)
out["query_jobs"] = c.QueryJobs([jid], ["id", "status", "summary", "opstatus"])
many = c.SubmitManyJobs([[opcodes.OpTestDelay(duration=0)],
                         [opcodes.OpTestDelay(duration=0, depends=[[-1, ["success"]]])]])
out["many"] = [ok for ok, _ in many]
for ok, j in many:
    cli.PollJob(j, cl=c, feedback_fn=lambda m: None)
create = opcodes.OpInstanceCreate(instance_name="peer1", mode="create",
    disk_template="file", disks=[{"size": 128}], nics=[{}], os_type="noop+default",
    name_check=False, ip_check=False, beparams={"maxmem": 256, "minmem": 256})
cli.PollJob(c.SubmitJob([create]), cl=c, feedback_fn=lambda m: None)
resp = c.Query("instance", ["name", "status", "be/maxmem", "disk.sizes"], None)
out["query"] = resp.data
out["fields"] = [f.name for f in c.QueryFields("node", ["name", "mfree"]).fields]
out["info"] = c.QueryClusterInfo()["name"]
out["tags"] = c.QueryTags("cluster", "")
c.SetQueueDrainFlag(True)
try:
    c.SubmitJob([opcodes.OpTestDelay(duration=0)])
    out["drained"] = "accepted"
except errors.JobQueueDrainError as err:
    out["drained"] = "refused: %s" % err
c.SetQueueDrainFlag(False)
try:
    c.CallMethod(luxi.REQ_SUBMIT_JOB, ([{"OP_ID": "OP_TEST_DELAY", "duration": "soon"}],))
except errors.OpPrereqError as err:
    out["bad"] = str(err)
out["archived"] = c.ArchiveJob(jid)
print(json.dumps(out))
"""


@pytest.mark.timeout(120)
def test_ganeti_luxi_client_drives_luxid(cluster: Cluster) -> None:
    proc = subprocess.run(
        ["/usr/bin/python3", "-c", SCRIPT, str(cluster.paths.luxi_socket)],
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["result"] == [None]
    assert out["query_jobs"][0][1:] == ["success", ["TEST_DELAY(0.1)"], ["success"]]
    assert out["many"] == [True, True]
    assert out["query"] == [[[0, "peer1"], [0, "running"], [0, 256], [0, [128]]]]
    assert out["fields"] == ["name", "mfree"]
    assert out["info"] == "cluster"
    assert out["tags"] == []
    assert out["drained"].startswith("refused") and "drained" in out["drained"]
    assert "duration" in out["bad"]
    assert out["archived"] is True

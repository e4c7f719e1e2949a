"""ganeti-rapi as a real daemon, driven by Debian's GanetiRapiClient (system python3)
and by raw HTTPS requests for the error classes and authentication rules."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cluster_fixture import Cluster, make_cluster

from pyganeti.daemons import util

SYSTEM_PYTHON = "/usr/bin/python3"
SRC = str(Path(__file__).resolve().parents[2] / "src")
REALM = "Ganeti Remote API"

# Runs under the system interpreter: executes a list of GanetiRapiClient calls and prints
# one JSON result per call ({"ok": value} or {"error": message, "code": http status}).
# A call with "wait" waits for the returned job with WaitForJobChange and reports
# {"job": id, "status": ..., "opresult": ...}.
DRIVER = r"""
import json, sys
from ganeti.rapi import client
host, port, user, password, calls = json.loads(sys.argv[1])
c = client.GanetiRapiClient(host, port, username=user, password=password)
FINAL = ("success", "error", "canceled")
def wait(job):
    info, serial = None, None
    while True:
        res = c.WaitForJobChange(job, ["status"], info, serial)
        if res is None:
            continue
        info = res["job_info"]
        for entry in res["log_entries"]:
            serial = max(serial or 0, entry[0])
        if info[0] in FINAL:
            st = c.GetJobStatus(job)
            return {"job": job, "status": st["status"], "opresult": st["opresult"]}
out = []
for name, args, kwargs, do_wait in calls:
    try:
        value = getattr(c, name)(*args, **kwargs)
        out.append({"ok": wait(value) if do_wait else value})
    except client.GanetiApiError as err:
        out.append({"error": str(err), "code": err.code})
print(json.dumps(out))
"""


def _system_client_available() -> bool:
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import ganeti.rapi.client"], capture_output=True, check=False
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _system_client_available(),
    reason="Debian's python3-ganeti-rapi is not installed for /usr/bin/python3",
)


class Rapi:
    """Address of a running ganeti-rapi plus helpers for both kinds of client."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    def calls(
        self, calls: list[tuple[Any, ...]], user: str | None = None, password: str | None = None
    ) -> list[dict[str, Any]]:
        spec = [
            [c[0], list(c[1]) if len(c) > 1 else [], c[2] if len(c) > 2 else {}, len(c) > 3]
            for c in calls
        ]
        proc = subprocess.run(
            [SYSTEM_PYTHON, "-c", DRIVER, json.dumps([self.host, self.port, user, password, spec])],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        results: list[dict[str, Any]] = json.loads(proc.stdout)
        return results

    def ok(
        self, *calls: tuple[Any, ...], user: str = "admin", password: str = "secret"
    ) -> list[Any]:
        results = self.calls(list(calls), user, password)
        for call, result in zip(calls, results, strict=True):
            assert "ok" in result, f"{call[0]} failed: {result}"
        return [r["ok"] for r in results]

    def http(
        self, method: str, path: str, *, auth: tuple[str, str] | None = None, **kw: Any
    ) -> httpx.Response:
        with httpx.Client(verify=False, timeout=60) as client:
            return client.request(method, f"https://{self.host}:{self.port}{path}", auth=auth, **kw)


WRITER = ("admin", "secret")


def write_users(cluster: Cluster, text: str) -> None:
    path = cluster.paths.rapi_users
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)  # a new inode: the daemon sees the change at once


@pytest.fixture(scope="module")
def rapi_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Rapi]]:
    handle = make_cluster(tmp_path_factory.mktemp("rapi") / "root")
    try:
        write_users(
            handle,
            "# test users\nadmin secret write\nreader {CLEARTEXT}readpw read\n"
            f"hauser {{ha1}}{hashlib.md5(f'hauser:{REALM}:hapw'.encode()).hexdigest()} write\n"
            "nobody nopw\n",
        )
        host = handle.paths.ssconf_file("master_candidates_ips").read_text().split()[0]
        assert handle.pid("ganeti-rapi") is not None, "daemon-util did not start ganeti-rapi"
        yield handle, Rapi(host, 5080)
    finally:
        handle.stop()


@pytest.fixture(scope="module")
def rapi(rapi_cluster: tuple[Cluster, Rapi]) -> Rapi:
    return rapi_cluster[1]


def test_read_resources_with_the_real_client(rapi: Rapi) -> None:
    r = rapi.calls(
        [
            ("GetVersion",),
            ("GetFeatures",),
            ("GetInfo",),
            ("GetOperatingSystems",),
            ("GetNodes",),
            ("GetNodes", [], {"bulk": True}),
            ("GetNode", ["node1"]),
            ("GetNodeRole", ["node1"]),
            ("GetGroups",),
            ("GetGroup", ["default"]),
            ("GetNetworks",),
            ("GetClusterTags",),
            ("GetInstances", [], {"bulk": True}),
            ("QueryFields", ["node", ["name", "role"]]),
            ("GetNode", ["no-such-node"]),
            ("GetFilters",),
        ]
    )
    assert r[0]["ok"] == 2
    assert "instance-create-reqv1" in r[1]["ok"]
    info = r[2]["ok"]
    assert info["name"] == "cluster" or info["name"]
    assert info["master"] == "node1"
    assert "noop+default" in r[3]["ok"]
    assert r[4]["ok"] == ["node1"]
    assert r[5]["ok"][0]["name"] == "node1" and r[5]["ok"][0]["role"] == "M"
    assert r[6]["ok"]["name"] == "node1" and r[6]["ok"]["secondary_ip"] == r[6]["ok"]["sip"]
    assert r[7]["ok"] == "master"
    assert r[8]["ok"] == ["default"]
    assert r[9]["ok"]["node_list"] == ["node1"]
    assert r[10]["ok"] == []
    assert r[11]["ok"] == []
    assert r[12]["ok"] == []
    assert [f["name"] for f in r[13]["ok"]["fields"]] == ["name", "role"]
    assert r[14]["code"] == 404
    assert r[15]["ok"] == []


def test_instance_lifecycle_with_the_real_client(rapi: Rapi) -> None:
    disk = [{"size": 128}]
    (created,) = rapi.ok(
        ("CreateInstance", ["create", "life1", "file", disk, [{}]],
         {"os": "noop+default", "name_check": False, "ip_check": False,
          "hypervisor": "fake", "beparams": {"maxmem": 256, "minmem": 256}}, True),
    )  # fmt: skip
    assert created["status"] == "success", created
    inst, info_job, tags_before = rapi.ok(
        ("GetInstance", ["life1"]),
        ("GetInstanceInfo", ["life1"], {}, True),
        ("GetInstanceTags", ["life1"]),
    )
    assert inst["name"] == "life1" and inst["status"] == "running"
    assert inst["disk.sizes"] == [128] and inst["beparams"]["memory"] == 256
    assert info_job["status"] == "success" and "life1" in info_job["opresult"][0]
    assert tags_before == []

    down, after_down = rapi.ok(
        ("ShutdownInstance", ["life1"], {}, True), ("GetInstance", ["life1"])
    )
    assert down["status"] == "success" and after_down["status"] == "ADMIN_down"
    up, after_up = rapi.ok(("StartupInstance", ["life1"], {}, True), ("GetInstance", ["life1"]))
    assert up["status"] == "success" and after_up["status"] == "running"
    reboot, modify, after_modify = rapi.ok(
        ("RebootInstance", ["life1"], {"reboot_type": "soft"}, True),
        ("ModifyInstance", ["life1"], {"beparams": {"maxmem": 512}}, True),
        ("GetInstance", ["life1"]),
    )
    assert reboot["status"] == "success"
    assert modify["status"] == "success", modify
    assert after_modify["beparams"]["maxmem"] == 512

    down2, renamed, gone, new = rapi.ok(
        ("ShutdownInstance", ["life1"], {}, True),
        ("RenameInstance", ["life1", "life2"], {"ip_check": False, "name_check": False}, True),
        ("GetInstances",),
        ("GetInstance", ["life2"]),
    )
    assert down2["status"] == "success" and renamed["status"] == "success", renamed
    assert "life1" not in gone and "life2" in gone and new["name"] == "life2"

    added, tags, deleted, tags_after = rapi.ok(
        ("AddInstanceTags", ["life2", ["web", "prod"]], {}, True),
        ("GetInstanceTags", ["life2"]),
        ("DeleteInstanceTags", ["life2", ["web"]], {}, True),
        ("GetInstanceTags", ["life2"]),
    )
    assert added["status"] == "success" and sorted(tags) == ["prod", "web"]
    assert deleted["status"] == "success" and tags_after == ["prod"]

    removed, listing = rapi.ok(("DeleteInstance", ["life2"], {}, True), ("GetInstances",))
    assert removed["status"] == "success" and "life2" not in listing


def test_dry_run_changes_nothing(rapi: Rapi) -> None:
    job, tags = rapi.ok(("AddClusterTags", [["dry"]], {"dry_run": True}, True), ("GetClusterTags",))
    assert job["status"] == "success" and tags == []


def test_jobs_listing_status_and_wait(rapi: Rapi) -> None:
    job, jobs, bulk, status = rapi.ok(
        ("AddClusterTags", [["listed"]], {}, True),
        ("GetJobs",),
        ("GetJobs", [], {"bulk": True}),
        ("GetClusterTags",),
    )
    assert job["status"] == "success" and "listed" in status
    assert job["job"] in jobs and jobs == sorted(jobs)
    entry = next(j for j in bulk if j["id"] == job["job"])
    assert entry["status"] == "success" and entry["summary"][0].startswith("TAGS_SET")
    assert "oplog" not in entry
    (status,) = rapi.ok(("GetJobStatus", [job["job"]]))
    assert status["status"] == "success" and status["opstatus"] == ["success"]
    assert set(status) >= {"id", "ops", "oplog", "opresult", "received_ts", "end_ts"}
    (missing,) = rapi.calls([("GetJobStatus", [999999])])
    assert missing["code"] == 404
    # Waiting on a finished job answers at once with its state.
    (changed,) = rapi.ok(("WaitForJobChange", [job["job"], ["status"], None, None]))
    assert changed["job_info"] == ["success"]
    (anonymous_wait,) = rapi.calls([("WaitForJobChange", [job["job"], ["status"], None, None])])
    assert anonymous_wait["code"] == 401


def test_query_resources_with_filters(rapi: Rapi) -> None:
    nodes, groups, none, fields = rapi.ok(
        ("Query", ["node", ["name", "role"], ["=", "name", "node1"]]),
        ("Query", ["group", ["name", "node_cnt"]]),
        ("Query", ["node", ["name"], ["=", "role", "O"]]),
        ("QueryFields", ["instance"]),
    )
    assert nodes["data"] == [[[0, "node1"], [0, "M"]]]
    assert groups["data"] == [[[0, "default"], [0, 1]]]
    assert none["data"] == []
    assert any(f["name"] == "admin_state" for f in fields["fields"])
    bad, absent = rapi.calls(
        [("Query", ["node", ["name"], ["=~", "name"]]),
         ("Query", ["node", ["name"], ["=", "name", "absent"]])],
        *WRITER,
    )  # fmt: skip
    assert bad["code"] == 400 and "filter" in bad["error"].lower()
    assert absent["code"] == 404


def test_operation_without_backend_fails_its_job_clearly(rapi: Rapi) -> None:
    (created,) = rapi.ok(
        ("CreateInstance", ["create", "mig1", "diskless", [], []],
         {"os": "noop+default", "name_check": False, "ip_check": False,
          "start": False}, True),
    )  # fmt: skip
    assert created["status"] == "success", created
    (migrated,) = rapi.ok(("MigrateInstance", ["mig1"], {}, True))
    assert migrated["status"] == "error"
    assert "not implemented" in json.dumps(migrated["opresult"])


# --- authentication ----------------------------------------------------------


def test_anonymous_reads_but_cannot_write(rapi: Rapi) -> None:
    info, write = rapi.calls([("GetInfo",), ("AddClusterTags", [["x"]])])
    assert "name" in info["ok"]
    assert write["code"] == 401
    raw = rapi.http("PUT", "/2/tags?tag=x")
    assert raw.status_code == 401
    assert raw.headers["www-authenticate"] == f'Basic realm="{REALM}"'


def test_write_refused_for_read_only_user_and_wrong_password(rapi: Rapi) -> None:
    (read_only,) = rapi.calls([("AddClusterTags", [["x"]])], "reader", "readpw")
    assert read_only["code"] == 403
    (wrong,) = rapi.calls([("AddClusterTags", [["x"]])], "admin", "not-it")
    assert wrong["code"] == 401
    (no_rights,) = rapi.calls([("AddClusterTags", [["x"]])], "nobody", "nopw")
    assert no_rights["code"] == 403
    # A user without options may still read, like anyone; read rights open /2/query.
    reads = rapi.calls([("GetInfo",), ("Query", ["node", ["name"]])], "reader", "readpw")
    assert all("ok" in r for r in reads), reads
    assert rapi.http("GET", "/2/query/node?fields=name").status_code == 401


def test_cleartext_and_ha1_users(rapi: Rapi) -> None:
    (ha1,) = rapi.ok(("AddClusterTags", [["ha1"]], {}, True), user="hauser", password="hapw")
    assert ha1["status"] == "success"
    (wrong,) = rapi.calls([("AddClusterTags", [["x"]])], "hauser", "bad")
    assert wrong["code"] == 401
    assert (
        rapi.http("GET", "/2/query/node?fields=name", auth=("reader", "readpw")).status_code == 200
    )
    assert (
        rapi.http(
            "GET", "/2/query/node?fields=name", auth=("reader", "{CLEARTEXT}readpw")
        ).status_code
        == 401
    )


def test_users_file_reloaded_without_restart(rapi_cluster: tuple[Cluster, Rapi]) -> None:
    cluster, rapi = rapi_cluster
    pid = cluster.pid("ganeti-rapi")
    before = rapi.http("PUT", "/2/tags?tag=late", auth=("late", "pw1"))
    assert before.status_code == 401
    original = cluster.paths.rapi_users.read_text()
    try:
        write_users(cluster, original + "late pw1 write\n")
        after = rapi.http("PUT", "/2/tags?tag=late", auth=("late", "pw1"))
        assert after.status_code == 200, after.text
        assert isinstance(after.json(), int)
    finally:
        write_users(cluster, original)
    assert rapi.http("PUT", "/2/tags?tag=late", auth=("late", "pw1")).status_code == 401
    assert cluster.pid("ganeti-rapi") == pid
    log = cluster.paths.daemon_log("ganeti-rapi").read_text()
    assert "RAPI login failed: unknown user 'late'" in log
    assert "pw1" not in log


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def test_survives_a_luxid_restart(rapi_cluster: tuple[Cluster, Rapi]) -> None:
    cluster, rapi = rapi_cluster
    for _ in range(4):  # spread kept connections over several handler threads
        assert rapi.http("GET", "/2/info").status_code == 200
    assert util.stop(cluster.paths, "ganeti-luxid") == 0
    assert rapi.http("GET", "/2/info").status_code == 502  # no master daemon: a gateway error
    assert util.start(cluster.paths, "ganeti-luxid", quiet=True) == 0
    for _ in range(4):
        assert rapi.http("PUT", "/2/tags?tag=after-restart", auth=WRITER).status_code == 200
        assert rapi.http("GET", "/2/info").status_code == 200


def test_refuses_to_start_off_master(rapi_cluster: tuple[Cluster, Rapi]) -> None:
    cluster, rapi = rapi_cluster
    ssconf = cluster.paths.ssconf_file("master_node")
    original = ssconf.read_text()
    env = {**os.environ, "PYTHONPATH": SRC}
    try:
        ssconf.write_text("othernode\n")
        proc = subprocess.run(
            [sys.executable, "-m", "pyganeti.daemons.rapi", "--root", str(cluster.paths.root),
             "--port", str(_free_port(rapi.host))],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        ssconf.write_text(original)
    assert proc.returncode == 11
    assert "not the master" in proc.stderr


# --- errors ----------------------------------------------------------------------


def test_error_classes(rapi: Rapi) -> None:
    def check(resp: httpx.Response, status: int, *words: str) -> None:
        assert resp.status_code == status, resp.text
        body = resp.json()
        assert body["code"] == status and "explain" in body
        for word in words:
            assert word in body["message"], body

    json_hdr = {"Content-Type": "application/json"}
    check(
        rapi.http("POST", "/2/instances", auth=WRITER, content=b"{nope", headers=json_hdr),
        400,
        "JSON",
    )
    check(
        rapi.http(
            "POST",
            "/2/instances",
            auth=WRITER,
            content=b"{}",
            headers={"Content-Type": "text/plain"},
        ),
        400,
        "application/json",
    )
    check(rapi.http("GET", "/2/instances?bulky=1"), 400, "'bulky'")
    check(rapi.http("GET", "/2/instances?bulk=yes"), 400, "'bulk'")
    check(
        rapi.http("PUT", "/2/instances/x/shutdown", auth=WRITER, json={"timeout": "soon"}),
        400,
        "timeout",
    )
    check(
        rapi.http("PUT", "/2/instances/x/shutdown", auth=WRITER, json={"colour": 1}), 400, "colour"
    )
    check(rapi.http("PUT", "/2/instances/x/shutdown", auth=WRITER, json=[1]), 400, "object")
    check(rapi.http("POST", "/2/instances", auth=WRITER, json={"name": "a"}), 400, "version")
    check(
        rapi.http("PUT", "/2/instances/x/shutdown", auth=WRITER, json={"instance_name": "y"}),
        400,
        "static",
    )
    check(
        rapi.http("PUT", "/2/modify", auth=WRITER, json={"compression_tools": []}),
        403,
        "compression_tools",
    )
    check(rapi.http("GET", "/2/instances/absent"), 404)
    check(rapi.http("GET", "/2/no/such/path"), 404)
    check(rapi.http("GET", "/2/jobs/abc"), 404)
    check(rapi.http("GET", "/2/instances/absent/tags"), 404)
    wrong = rapi.http("PATCH", "/2/instances")
    check(wrong, 405)
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "POST"}
    check(rapi.http("POST", "/2/info"), 405)
    check(rapi.http("PUT", "/2/nodes/node1/role", auth=WRITER, json="boss"), 400, "boss")
    before = rapi.http("GET", "/2/jobs").json()
    check(
        rapi.http(
            "POST",
            "/2/instances",
            auth=WRITER,
            json={
                "__version__": 1,
                "name": "e1",
                "mode": "create",
                "disk_template": "plain-ish",
                "disks": [],
                "nics": [],
            },
        ),
        400,
        "disk_template",
    )
    assert rapi.http("GET", "/2/jobs").json() == before  # nothing was submitted


def test_openapi_description_is_served(rapi: Rapi) -> None:
    doc = rapi.http("GET", "/2/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    shutdown = doc["paths"]["/2/instances/{instance_name}/shutdown"]["put"]
    props = shutdown["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "timeout" in props and "instance_name" not in props
    assert shutdown["x-ganeti-access"] == ["write"]


def test_tls_is_on_by_default(rapi: Rapi) -> None:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((rapi.host, rapi.port), timeout=10) as raw,
        ctx.wrap_socket(raw) as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://{rapi.host}:{rapi.port}/version", timeout=5)


def test_require_authentication_and_plain_http(rapi_cluster: tuple[Cluster, Rapi]) -> None:
    # Runs last: it restarts the cluster's daemon with other options, then restores it.
    cluster, rapi = rapi_cluster
    assert util.stop(cluster.paths, "ganeti-rapi") == 0
    try:
        extra = ["--no-ssl", "--require-authentication", "--max-clients", "2"]
        assert util.start(cluster.paths, "ganeti-rapi", extra, quiet=True) == 0
        url = f"http://{rapi.host}:{rapi.port}"
        anon = httpx.get(f"{url}/2/info", timeout=10)
        assert anon.status_code == 401
        assert httpx.get(f"{url}/version", auth=("reader", "readpw"), timeout=10).json() == 2
        # Connections beyond --max-clients are accepted and wait for a slot.
        with httpx.Client(timeout=10) as c1, httpx.Client(timeout=10) as c2:
            assert c1.get(f"{url}/version", auth=WRITER).status_code == 200
            assert c2.get(f"{url}/version", auth=WRITER).status_code == 200
            with socket.create_connection((rapi.host, rapi.port), timeout=10) as third:
                third.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                third.settimeout(0.3)
                with pytest.raises(TimeoutError):
                    third.recv(100)  # both slots are held by keep-alive connections
                c1.close()
                third.settimeout(10)
                assert third.recv(100).startswith(b"HTTP/1.1 401")
    finally:
        util.stop(cluster.paths, "ganeti-rapi")
        assert util.start(cluster.paths, "ganeti-rapi", quiet=True) == 0

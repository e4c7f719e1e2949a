"""The request pipeline over real HTTP, with a recording luxi double behind it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pyganeti import errors
from pyganeti.http.background import BackgroundServer
from pyganeti.paths import Paths
from pyganeti.rapi.auth import UsersFile
from pyganeti.rapi.server import make_app, make_server

WRITER = ("w", "wpw")
READER = ("r", "rpw")


class RecordingLuxi:
    """Answers like luxid for one node and one instance; records submitted jobs."""

    def __init__(self) -> None:
        self.jobs: list[list[dict[str, Any]]] = []
        self.fail_with: Exception | None = None

    def submit_job(self, ops: list[dict[str, Any]]) -> str:
        if self.fail_with is not None:
            raise self.fail_with
        self.jobs.append(ops)
        return str(len(self.jobs))

    def query(self, what: str, fields: list[str], qfilter: Any = None) -> dict[str, Any]:
        if qfilter and qfilter[0] == "|" and qfilter[1][2] != "known":
            raise errors.OpPrereqError(f"{what} {qfilter[1][2]} not found", errors.ECODE_NOENT)
        row = [[0, "known"] if f == "name" else [0, "R"] if f == "role" else [0, None]
               for f in fields]  # fmt: skip
        return {"fields": [{"name": f} for f in fields], "data": [row]}

    def query_cluster_info(self) -> dict[str, Any]:
        return {"name": "c", "volume_group_name": "xenvg"}

    def query_tags(self, kind: str, name: str | None) -> list[str]:
        return ["t"]


@pytest.fixture
def luxi() -> RecordingLuxi:
    return RecordingLuxi()


@pytest.fixture
def url(tmp_path: Path, luxi: RecordingLuxi) -> Iterator[str]:
    users = tmp_path / "users"
    users.write_text("w wpw write\nr rpw read\n")
    app = make_app(
        Paths.from_root(tmp_path),
        users=UsersFile(users),
        luxi_factory=lambda: luxi,  # type: ignore[arg-type,return-value]
    )
    with BackgroundServer(make_server(app), "127.0.0.1", 0) as bg:
        yield f"http://127.0.0.1:{bg.address[1]}"


def error(resp: httpx.Response, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == status and isinstance(body["explain"], str)
    return str(body["message"])


def test_reads_and_aliases(url: str) -> None:
    assert httpx.get(f"{url}/version").json() == 2
    assert httpx.get(f"{url}/").json() is None
    info = httpx.get(f"{url}/2/info").json()
    assert info["vg_name"] == "xenvg"
    assert httpx.get(f"{url}/2/nodes").json() == [{"id": "known", "uri": "/2/nodes/known"}]
    assert httpx.get(f"{url}/2/nodes/known/role").json() == "regular"
    assert httpx.get(f"{url}/2/groups").json() == [{"name": "known", "uri": "/2/groups/known"}]
    assert httpx.get(f"{url}/2/tags").json() == ["t"]


def test_shutdown_job_carries_query_args_and_reason(url: str, luxi: RecordingLuxi) -> None:
    resp = httpx.put(
        f"{url}/2/instances/known/shutdown?no_remember=1&dry-run=1&reason=maint",
        json={"timeout": 7},
        auth=WRITER,
    )
    assert resp.json() == 1
    (op,) = luxi.jobs[0]
    assert op["OP_ID"] == "OP_INSTANCE_SHUTDOWN"
    assert (op["instance_name"], op["timeout"], op["no_remember"], op["dry_run"]) == (
        "known",
        7,
        True,
        True,
    )
    assert op["reason"][0][:2] == ["gnt:user", "maint"]
    assert op["reason"][1][0] == "gnt:library:rlib2:instances_name_shutdown"


def test_special_bodies(url: str, luxi: RecordingLuxi) -> None:
    assert httpx.put(f"{url}/2/tags?tag=a&tag=b", auth=WRITER).status_code == 200
    assert luxi.jobs[-1][0]["tags"] == ["a", "b"] and luxi.jobs[-1][0]["kind"] == "cluster"
    # Ganeti's client sends the tags as the body too; the body alone also works.
    assert httpx.put(f"{url}/2/nodes/known/tags", json=["x"], auth=WRITER).status_code == 200
    assert luxi.jobs[-1][0]["tags"] == ["x"] and luxi.jobs[-1][0]["name"] == "known"
    httpx.post(f"{url}/2/instances/known/reinstall", json={"os": "noop", "start": False},
               auth=WRITER)  # fmt: skip
    assert [o["OP_ID"] for o in luxi.jobs[-1]] == ["OP_INSTANCE_SHUTDOWN", "OP_INSTANCE_REINSTALL"]
    httpx.post(f"{url}/2/instances/known/reinstall?os=noop", auth=WRITER)
    assert luxi.jobs[-1][-1]["OP_ID"] == "OP_INSTANCE_STARTUP"
    httpx.put(f"{url}/2/nodes/known/role", json="drained", auth=WRITER)
    op = luxi.jobs[-1][0]
    assert (op["drained"], op["offline"], op["master_candidate"]) == (True, None, None)
    httpx.post(f"{url}/2/instances/known/replace-disks?mode=replace_on_primary&disks=0,1",
               auth=WRITER)  # fmt: skip
    assert luxi.jobs[-1][0]["disks"] == [0, 1]
    httpx.post(f"{url}/2/instances/known/disk/0/grow", json={"amount": 10}, auth=WRITER)
    assert luxi.jobs[-1][0]["disk"] == 0
    body = {"__version__": 1, "name": "n", "os": "noop", "mode": "create",
            "disk_template": "diskless", "disks": [], "nics": []}  # fmt: skip
    assert httpx.post(f"{url}/2/instances", json=body, auth=WRITER).status_code == 200
    op = luxi.jobs[-1][0]
    assert (op["instance_name"], op["os_type"]) == ("n", "noop")
    multi = {"instances": [{k: v for k, v in body.items() if k != "__version__"}]}
    assert httpx.post(f"{url}/2/instances-multi-alloc", json=multi, auth=WRITER).status_code == 200
    assert luxi.jobs[-1][0]["instances"][0]["OP_ID"] == "OP_INSTANCE_CREATE"


def test_bad_input_submits_nothing(url: str, luxi: RecordingLuxi) -> None:
    assert "JSON" in error(
        httpx.post(
            f"{url}/2/groups",
            content=b"[1,",
            auth=WRITER,
            headers={"Content-Type": "application/json"},
        ),
        400,
    )
    error(httpx.post(f"{url}/2/groups", content=b"{}", auth=WRITER,
                     headers={"Content-Type": "text/json"}), 400)  # fmt: skip
    assert "'nope'" in error(httpx.get(f"{url}/2/nodes?nope=1"), 400)
    assert "alloc_policy" in error(
        httpx.post(f"{url}/2/groups", json={"name": "g", "alloc_policy": 3}, auth=WRITER), 400
    )
    assert "version" in error(httpx.post(f"{url}/2/instances", json={}, auth=WRITER), 400)
    assert "version" in error(
        httpx.post(f"{url}/2/instances", json={"__version__": 2}, auth=WRITER), 400
    )
    error(httpx.post(f"{url}/2/instances-multi-alloc", json={}, auth=WRITER), 400)
    error(httpx.post(f"{url}/2/instances-multi-alloc", json={"instances": [1]}, auth=WRITER), 400)
    error(httpx.put(f"{url}/2/instances/known/startup", json={"x": 1}, auth=WRITER), 400)
    error(httpx.post(f"{url}/2/instances/known/disk/x/grow", json={}, auth=WRITER), 404)
    error(httpx.post(f"{url}/2/instances/known/reinstall?os=a", json={}, auth=WRITER), 400)
    error(httpx.put(f"{url}/2/nodes/known/role", json="boss", auth=WRITER), 400)
    error(httpx.put(f"{url}/2/tags", json={"t": 1}, auth=WRITER), 400)
    error(httpx.put(f"{url}/2/nodes/known/storage/modify?storage_type=file", auth=WRITER), 400)
    error(httpx.get(f"{url}/2/nodes/known/storage", auth=WRITER), 400)
    error(httpx.delete(f"{url}/2/jobs/3?dry-run=1", auth=WRITER), 400)
    error(httpx.request("GET", f"{url}/2/jobs/3/wait", json={"fields": "status"}, auth=WRITER), 400)
    error(httpx.get(f"{url}/2/query/node"), 401)
    error(httpx.get(f"{url}/2/query/node", auth=READER), 400)
    assert luxi.jobs == []


def test_not_found_and_wrong_method(url: str) -> None:
    assert "unknown" in error(httpx.get(f"{url}/2/nodes/unknown"), 404)
    error(httpx.get(f"{url}/3/info"), 404)
    resp = httpx.delete(f"{url}/2/info")
    error(resp, 405)
    assert resp.headers["allow"] == "GET"


def test_authentication_rules(url: str, luxi: RecordingLuxi) -> None:
    resp = httpx.put(f"{url}/2/redistribute-config")
    error(resp, 401)
    assert resp.headers["www-authenticate"].startswith("Basic realm=")
    error(httpx.put(f"{url}/2/redistribute-config", auth=READER), 403)
    error(httpx.put(f"{url}/2/redistribute-config", auth=("w", "bad")), 401)
    error(httpx.get(f"{url}/2/info", headers={"Authorization": "Bearer x"}), 401)
    # Credentials on a public resource are still checked, as Ganeti does.
    error(httpx.get(f"{url}/2/info", auth=("w", "bad")), 401)
    assert httpx.get(f"{url}/2/info", auth=READER).status_code == 200
    assert httpx.put(f"{url}/2/redistribute-config", auth=WRITER).json() == 1
    assert len(luxi.jobs) == 1


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (errors.JobQueueFull("full"), 503),
        (errors.JobQueueDrainError("drained"), 503),
        (errors.TransportError("no luxid"), 502),
        (errors.OpPrereqError("exists", errors.ECODE_EXISTS), 409),
    ],
)
def test_luxi_failures_map_to_statuses(
    url: str, luxi: RecordingLuxi, failure: Exception, status: int
) -> None:
    luxi.fail_with = failure
    error(httpx.put(f"{url}/2/redistribute-config", auth=WRITER), status)

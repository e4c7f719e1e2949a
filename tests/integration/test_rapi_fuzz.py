"""Fuzz every RAPI operation of a running daemon from its served OpenAPI description:
random path items, query strings and bodies must never get a 500 or break the daemon."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from cluster_fixture import Cluster, make_cluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WRITER = ("admin", "secret")
# Path items are random names, so jobs never act on the cluster's real objects.
NAMES = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Cluster, str, dict[str, Any]]]:
    handle = make_cluster(tmp_path_factory.mktemp("rapifuzz") / "root")
    try:
        handle.paths.rapi_users.write_text("admin secret write\n")
        host = handle.paths.ssconf_file("master_candidates_ips").read_text().split()[0]
        url = f"https://{host}:5080"
        doc = httpx.get(f"{url}/2/openapi.json", verify=False, timeout=30).json()
        yield handle, url, doc
    finally:
        handle.stop()


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, methods in doc["paths"].items()
        for method, op in methods.items()
        # /2/os waits for a job and /wait long-polls: fuzzed, but with cheap examples below.
    ]


def _query_value(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    garbage = st.text(max_size=6)
    if schema.get("type") == "integer":
        return st.one_of(st.sampled_from([0, 1]), st.integers(-5, 5), garbage)
    if schema.get("type") == "array":
        return st.lists(garbage, max_size=3)
    return garbage


@st.composite
def requests(draw: st.DrawFn, ops: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    method, path, op = draw(st.sampled_from(ops))
    query: list[tuple[str, str]] = []
    url = path
    for param in op["parameters"]:
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", quote(draw(NAMES), safe=""))
        elif draw(st.booleans()):
            value = draw(_query_value(param["schema"]))
            for item in value if isinstance(value, list) else [value]:
                query.append((param["name"], str(item)))
    if draw(st.integers(0, 9)) == 0:
        query.append((draw(st.text(min_size=1, max_size=6)), draw(st.text(max_size=6))))
    if query:
        url += "?" + urlencode(query)
    headers = {"Content-Type": "application/json"}
    content = b""
    body_kind = draw(st.integers(0, 9))
    schema = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
    props = schema.get("schema", {}).get("properties", {})
    if body_kind < 5 and props:
        keys = draw(st.lists(st.sampled_from(sorted(props)), max_size=4, unique=True))
        content = json.dumps({k: draw(JSON_VALUES) for k in keys}).encode()
    elif body_kind < 7:
        content = json.dumps(draw(JSON_VALUES)).encode()
    elif body_kind == 7:
        content = draw(st.binary(min_size=1, max_size=20))
    elif body_kind == 8:
        content = b"{}"
        headers["Content-Type"] = draw(st.sampled_from(["text/plain", "application/xml", ""]))
    auth = WRITER if draw(st.integers(0, 5)) else None
    return {"method": method, "url": url, "content": content, "headers": headers, "auth": auth}


def test_fuzzed_requests_never_get_a_server_error(
    server: tuple[Cluster, str, dict[str, Any]],
) -> None:
    cluster, base, doc = server
    ops = _operations(doc)
    assert len(ops) > 80
    seen: set[int] = set()
    counts: dict[int, int] = {}
    with httpx.Client(base_url=base, verify=False, timeout=60) as client:

        @settings(
            max_examples=300,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(requests(ops))
        def run(req: dict[str, Any]) -> None:
            resp = client.request(
                req["method"], req["url"], content=req["content"], headers=req["headers"],
                auth=req["auth"],
            )  # fmt: skip
            seen.add(resp.status_code)
            counts[resp.status_code] = counts.get(resp.status_code, 0) + 1
            assert resp.status_code < 500 or resp.status_code == 503, (req, resp.text)
            body = resp.json()
            if resp.status_code != 200:
                assert body["code"] == resp.status_code and body["message"], body

        run()
    print("fuzz statuses:", sorted(counts.items()))
    assert 200 in seen and 400 in seen and 404 in seen
    # The daemon survived and still answers.
    assert httpx.get(f"{base}/2/info", verify=False, timeout=30).status_code == 200
    assert cluster.pid("ganeti-rapi") is not None
    log = cluster.paths.daemon_log("ganeti-rapi").read_text()
    assert "internal server error" not in log.lower() and "Traceback" not in log

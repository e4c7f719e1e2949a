"""RpcClient against an in-process noded over mutual TLS."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from pyganeti import PROTOCOL_VERSION, errors
from pyganeti.paths import Paths
from pyganeti.rpc.client import RpcClient, RpcResult


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_version_and_keep_alive(noded: Any) -> None:
    for _ in range(3):
        assert noded.client.call(noded.address, "version") == PROTOCOL_VERSION
    # All calls went over one pooled connection.
    pool = noded.client._clients[noded.address]._transport._pool
    assert len(pool.connections) == 1


def test_client_is_shared_by_many_threads(noded: Any) -> None:
    def work(_: int) -> list[Any]:
        return [noded.client.call(noded.address, "version") for _ in range(10)]

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(work, range(12)))
    assert results == [[PROTOCOL_VERSION] * 10] * 12


def test_test_delay(noded: Any) -> None:
    assert noded.client.call(noded.address, "test_delay", duration=0.01) is None
    with pytest.raises(errors.OpExecError, match=r"invalid sleep duration -1"):
        noded.client.call(noded.address, "test_delay", duration=-1)


def test_remote_error_is_reraised_with_its_class(noded: Any) -> None:
    with pytest.raises(errors.FileStoragePathError, match=r"not inside an allowed"):
        noded.client.call(noded.address, "file_storage_dir_create", path="/etc/evil")
    with pytest.raises(errors.OpPrereqError) as info:
        noded.client.call(noded.address, "os_get", name="nonexistent")
    assert info.value.ecode == errors.ECODE_NOENT


def test_bad_arguments_fail_before_sending(noded: Any) -> None:
    with pytest.raises(errors.ProgrammerError, match=r"missing argument path"):
        noded.client.call(noded.address, "file_storage_dir_create")


def test_server_checks_arguments_too(noded: Any, paths: Paths) -> None:
    from pyganeti import certs

    host, port = noded.server.address
    with httpx.Client(verify=certs.client_context(paths.server_pem)) as raw:
        r = raw.post(f"https://{host}:{port}/os_get", json={"name": 3})
        assert r.status_code == 200
        assert r.json() == {
            "success": False,
            "error": ["ProgrammerError", ["RPC os_get: argument name must be str, not int"]],
        }
        r = raw.post(f"https://{host}:{port}/os_get", content=b"[1,2]")
        assert r.status_code == 400
        r = raw.post(f"https://{host}:{port}/no_such_call", json={})
        assert r.status_code == 404
        assert raw.get(f"https://{host}:{port}/version").status_code == 405


def test_unreachable_node(paths: Paths) -> None:
    with (
        RpcClient(paths, port=_free_port()) as client,
        pytest.raises(errors.RemoteError, match=r"node 127.0.0.1 unreachable"),
    ):
        client.call("127.0.0.1", "version")


def test_missing_cluster_cert_is_clear(tmp_path: Any) -> None:
    with (
        RpcClient(Paths.from_root(tmp_path), port=_free_port()) as client,
        pytest.raises(errors.X509CertError, match=r"server.pem is missing"),
    ):
        client.call("127.0.0.1", "version")


def test_call_many_mixes_success_and_failure(noded: Any) -> None:
    dead = "127.0.0.2"  # nothing listens on this loopback address
    results = noded.client.call_many([noded.address, dead], "version")
    assert set(results) == {noded.address, dead}
    ok, bad = results[noded.address], results[dead]
    assert isinstance(ok, RpcResult) and ok.payload == PROTOCOL_VERSION and not ok.failed
    ok.raise_if_failed("never")
    assert bad.failed and "unreachable" in (bad.fail_msg or "")
    with pytest.raises(errors.OpExecError, match=r"^checking version: node 127.0.0.2"):
        bad.raise_if_failed("checking version")
    with pytest.raises(errors.OpPrereqError):
        bad.raise_if_failed("checking version", prereq=True)

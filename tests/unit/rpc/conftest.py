"""A node root with a cluster certificate and an in-process noded served over TLS."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyganeti import certs
from pyganeti.http.background import BackgroundServer
from pyganeti.http.server import HttpServer
from pyganeti.node.context import NodeContext
from pyganeti.paths import Paths
from pyganeti.rpc.client import RpcClient
from pyganeti.rpc.server import build_router


@pytest.fixture(scope="session")
def cluster_pem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cert") / "server.pem"
    certs.generate_cluster_cert(path, "cluster.example.com")
    return path


@pytest.fixture
def paths(tmp_path: Path, cluster_pem: Path) -> Paths:
    p = Paths.from_root(tmp_path / "root")
    p.ensure_dirs()
    p.config_file.write_text("{}")
    shutil.copy(cluster_pem, p.server_pem)
    p.file_storage_paths.write_text(f"{p.file_storage_dir}\n")
    return p


@dataclass
class Noded:
    paths: Paths
    server: BackgroundServer
    client: RpcClient

    @property
    def address(self) -> str:
        return self.server.address[0]


@pytest.fixture
def noded(paths: Paths) -> Iterator[Noded]:
    ctx = NodeContext(paths)
    http = HttpServer(build_router(ctx), ssl_context=certs.server_context(paths.server_pem))
    with BackgroundServer(http) as bg:
        client = RpcClient(paths, port=bg.address[1])
        try:
            yield Noded(paths, bg, client)
        finally:
            client.close()

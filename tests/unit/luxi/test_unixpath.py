"""Unix sockets under paths longer than sun_path still bind and connect."""

from __future__ import annotations

import socket
from pathlib import Path

from pyganeti.unixpath import MAX_SUN_PATH, usable


def test_long_socket_path_binds_and_connects(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    path = deep / "sock"
    assert len(str(path)) > 108
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with usable(path) as bind_path:
        server.bind(bind_path)
    server.listen(1)
    assert path.exists()  # the socket lives at the long path itself
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with usable(path) as connect_path:
        client.connect(connect_path)
    conn, _ = server.accept()
    client.sendall(b"hi")
    assert conn.recv(2) == b"hi"
    for s in (conn, client, server):
        s.close()


def test_short_paths_are_used_unchanged(tmp_path: Path) -> None:
    with usable("/tmp/x.sock") as p:
        assert p == "/tmp/x.sock"
    assert MAX_SUN_PATH < 108

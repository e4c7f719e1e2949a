"""Serve HttpServers on loopback in background threads, stopped after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pyganeti.http.background import BackgroundServer
from pyganeti.http.server import HttpServer


@pytest.fixture
def serve() -> Iterator[Callable[[HttpServer], BackgroundServer]]:
    started: list[BackgroundServer] = []

    def _serve(server: HttpServer) -> BackgroundServer:
        bg = BackgroundServer(server).start()
        started.append(bg)
        return bg

    yield _serve
    for bg in started:
        bg.stop()

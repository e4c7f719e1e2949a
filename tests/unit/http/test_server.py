"""HttpServer over real loopback sockets: routing, errors, keep-alive, threads, max-clients."""

from __future__ import annotations

import select
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from pyganeti.http.messages import HttpError, Request, Response
from pyganeti.http.routing import Router
from pyganeti.http.server import HttpServer, interface_address


def _router() -> Router:
    router = Router()

    def echo(req: Request) -> Response:
        return Response.json(
            {
                "method": req.method,
                "path": req.path,
                "query": req.query,
                "params": req.params,
                "peer_port": req.peer[1],
                "body": req.body.decode(),
                "thread": threading.current_thread().name,
            }
        )

    async def aecho(req: Request) -> Response:
        return Response.json({"json": req.json(), "thread": threading.current_thread().name})

    def bad(req: Request) -> Response:
        raise HttpError(400, "you sent nonsense")

    def bug(req: Request) -> Response:
        raise RuntimeError("handler bug")

    router.add("GET", "/echo", echo)
    router.add("POST", "/echo", echo)
    router.add("GET", "/items/{name}/sub", echo)
    router.add("POST", "/json", aecho)
    router.add("GET", "/bad", bad)
    router.add("GET", "/bug", bug)
    return router


def _url(thread: Any, path: str) -> str:
    host, port = thread.address
    return f"http://{host}:{port}{path}"


def _raw(thread: Any) -> socket.socket:
    sock = socket.create_connection(thread.address, timeout=10)
    return sock


def _read_response(sock: socket.socket) -> bytes:
    """Read one full response (headers + Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        rest += sock.recv(65536)
    return head + b"\r\n\r\n" + rest


def test_routes_methods_query_and_params(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with httpx.Client() as client:
        r = client.get(_url(thread, "/items/a%20b/sub?x=1&x=2&y="))
        assert r.status_code == 200
        data = r.json()
        assert data["params"] == {"name": "a b"}
        assert data["query"] == {"x": ["1", "2"], "y": [""]}
        r = client.post(_url(thread, "/echo"), content=b"hello")
        assert r.json()["body"] == "hello"
        assert r.json()["method"] == "POST"


def test_not_found_and_method_not_allowed(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with httpx.Client() as client:
        r = client.get(_url(thread, "/nothing"))
        assert r.status_code == 404
        assert "/nothing" in r.json()["message"]
        r = client.delete(_url(thread, "/echo"))
        assert r.status_code == 405
        assert r.headers["allow"] == "GET, POST"
        r = client.put(_url(thread, "/items/x/sub"))
        assert r.status_code == 405


def test_handler_errors_and_bad_json(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with httpx.Client() as client:
        r = client.get(_url(thread, "/bad"))
        assert (r.status_code, r.json()["message"]) == (400, "you sent nonsense")
        r = client.post(_url(thread, "/json"), content=b"{not json")
        assert r.status_code == 400
        assert "not valid JSON" in r.json()["message"]
        r = client.post(_url(thread, "/json"), content=b"[" * 100000 + b"]" * 100000)
        assert (r.status_code, r.json()["message"]) == (400, "request body is nested too deeply")
        # A handler bug is a 500, and the server keeps serving.
        assert client.get(_url(thread, "/bug")).status_code == 500
        assert client.post(_url(thread, "/json"), json={"a": 1}).json()["json"] == {"a": 1}


def test_malformed_request_gets_400_and_close(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with _raw(thread) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        reply = _read_response(sock)
        assert reply.startswith(b"HTTP/1.1 400 ")
        assert b"connection: close" in reply.lower()
        assert sock.recv(10) == b""


def test_body_limit_gives_413(serve: Any) -> None:
    thread = serve(HttpServer(_router(), max_body_size=100))
    with httpx.Client() as client:
        r = client.post(_url(thread, "/echo"), content=b"x" * 101)
        assert r.status_code == 413
        assert client.post(_url(thread, "/echo"), content=b"x" * 100).status_code == 200
    # A chunked body (no Content-Length) is cut off too.
    with _raw(thread) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"80\r\n" + b"y" * 128 + b"\r\n0\r\n\r\n"
        )
        assert _read_response(sock).startswith(b"HTTP/1.1 413 ")


def test_expect_100_continue(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with _raw(thread) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        interim = sock.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100 ")
        sock.sendall(b"hello")
        reply = _read_response(sock)
        assert reply.startswith(b"HTTP/1.1 200 ") and b'"body":"hello"' in reply


def test_keep_alive_reuses_connection(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with _raw(thread) as sock:
        ports = []
        for _ in range(3):
            sock.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = _read_response(sock)
            assert reply.startswith(b"HTTP/1.1 200 ")
            ports.append(reply)
        assert len(ports) == 3  # three answers on one socket


def test_head_has_no_body(serve: Any) -> None:
    thread = serve(HttpServer(_router()))
    with httpx.Client() as client:
        r = client.head(_url(thread, "/echo"))
        assert r.status_code == 200
        assert r.content == b""
        assert int(r.headers["content-length"]) > 0


def test_sync_handler_runs_in_thread_and_does_not_block_loop(serve: Any) -> None:
    release = threading.Event()
    entered = threading.Event()
    router = _router()

    def slow(req: Request) -> Response:
        entered.set()
        release.wait(30)
        return Response.text("done")

    router.add("GET", "/slow", slow)
    thread = serve(HttpServer(router))
    result: dict[str, Any] = {}
    worker = threading.Thread(
        target=lambda: result.update(r=httpx.get(_url(thread, "/slow"), timeout=30))
    )
    worker.start()
    assert entered.wait(10)
    with httpx.Client() as client:
        echo = client.get(_url(thread, "/echo")).json()
        assert echo["thread"].startswith("http-handler")
        # Coroutine handlers run on the event loop's own thread.
        async_reply = client.post(_url(thread, "/json"), json=1).json()
        assert async_reply["thread"] == "http-server-loop"
    release.set()
    worker.join(10)
    assert result["r"].text == "done"


def test_max_clients_accepts_but_waits(serve: Any) -> None:
    calls: list[int] = []
    router = Router()

    def count(req: Request) -> Response:
        calls.append(req.peer[1])
        return Response.text("ok")

    router.add("GET", "/", count)
    server = HttpServer(router, max_clients=2)
    thread = serve(server)
    request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    first, second = _raw(thread), _raw(thread)
    for sock in (first, second):
        sock.sendall(request)
        assert _read_response(sock).startswith(b"HTTP/1.1 200 ")
    third = _raw(thread)  # accepted by the kernel and by the server...
    third.sendall(request)
    deadline = time.monotonic() + 10
    while len(server._connections) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(server._connections) == 3
    # ...but not answered while both slots are held.
    readable, _, _ = select.select([third], [], [], 0.3)
    assert readable == []
    assert len(calls) == 2
    first.close()
    assert _read_response(third).startswith(b"HTTP/1.1 200 ")
    assert len(calls) == 3
    second.close()
    third.close()


def test_idle_connection_is_closed_and_frees_its_slot(serve: Any) -> None:
    router = Router()
    router.add("GET", "/", lambda req: Response.text("ok"))
    thread = serve(HttpServer(router, max_clients=1, idle_timeout=0.2))
    idle = _raw(thread)
    # The idle connection is dropped after idle_timeout, so the next one is served.
    with _raw(thread) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _read_response(sock).startswith(b"HTTP/1.1 200 ")
    assert idle.recv(10) == b""
    idle.close()


def test_bad_constructor_and_routes() -> None:
    with pytest.raises(ValueError, match=r"max_clients"):
        HttpServer(Router(), max_clients=0)
    router = Router()
    router.add("GET", "/a", lambda r: Response())
    with pytest.raises(ValueError, match=r"duplicate"):
        router.add("GET", "/a", lambda r: Response())
    with pytest.raises(ValueError, match=r"must start"):
        router.add("GET", "a", lambda r: Response())


def test_interface_address() -> None:
    assert interface_address("lo") == "127.0.0.1"
    with pytest.raises(ValueError, match=r"no-such-if0"):
        interface_address("no-such-if0")

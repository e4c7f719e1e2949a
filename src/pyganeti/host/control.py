"""Client of the embedded supervisor's control socket, and starting the supervisor."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

from pyganeti.host.errors import HostApplyError
from pyganeti.host.layout import HostLayout
from pyganeti.unixpath import usable


class SupervisorNotRunning(HostApplyError):
    """No supervisor answers on the control socket of this root."""


def request(layout: HostLayout, op: str, timeout: float = 120.0, **args: Any) -> Any:
    """Send one request; return its result or raise HostApplyError with its message."""
    payload = json.dumps({"op": op, **args}).encode() + b"\n"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            with usable(layout.socket) as address:
                sock.connect(address)
        except (FileNotFoundError, ConnectionRefusedError):
            raise SupervisorNotRunning(
                f"no supervisor for root {layout.root} (socket {layout.socket});"
                " run 'pyganeti host apply' first"
            ) from None
        sock.sendall(payload)
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data:
        raise HostApplyError("the supervisor closed the connection without answering")
    answer = json.loads(data)
    if not answer.get("ok"):
        raise HostApplyError(str(answer.get("error")))
    return answer.get("result")


def is_running(layout: HostLayout) -> bool:
    try:
        request(layout, "status", timeout=10)
    except SupervisorNotRunning:
        return False
    return True


def ensure_supervisor(layout: HostLayout, wait: float = 30.0) -> None:
    """Start the embedded supervisor for this root unless one already answers."""
    if is_running(layout):
        request(layout, "reload")
        return
    layout.log_dir.mkdir(parents=True, exist_ok=True)
    with (layout.log_dir / "supervisor.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pyganeti.host.supervisor", "--root", str(layout.root)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=dict(os.environ),
        )
    deadline = time.monotonic() + wait
    while not is_running(layout):
        if proc.poll() is not None:
            raise HostApplyError(
                f"the supervisor exited with {proc.returncode}; see"
                f" {layout.log_dir / 'supervisor.log'}"
            )
        if time.monotonic() > deadline:
            raise HostApplyError("the supervisor did not open its control socket")
        time.sleep(0.05)

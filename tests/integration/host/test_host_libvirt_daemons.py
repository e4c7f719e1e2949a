"""The real libvirtd and virtlogd accept our rendered files and answer on their sockets."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyganeti.host.records import HostConfiguration, LibvirtConfiguration, VirtlogConfiguration
from pyganeti.host.render.services import expand

pytestmark = pytest.mark.skipif(
    not (
        Path("/usr/sbin/libvirtd").exists()
        and Path("/usr/sbin/virtlogd").exists()
        and shutil.which("virsh")
    ),
    reason="libvirt-daemon, libvirt-daemon-system and libvirt-clients are not installed",
)


@pytest.fixture
def root() -> Iterator[Path]:
    # Not pytest's tmp_path: its parents are 0700, and virtlogd runs unprivileged.
    path = Path(tempfile.mkdtemp(prefix="pyganeti-libvirt-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _write_files(root: Path, host: HostConfiguration) -> None:
    for spec in expand(host, str(root)).files:
        target = root / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spec.content or "")
        target.chmod(spec.mode)


def _wait_for(path: Path, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        if proc.poll() is not None:
            logs = "".join(p.read_text() for p in sorted(log.parent.glob("*.log")))
            pytest.fail(f"daemon exited with {proc.returncode}:\n{logs}")
        if time.monotonic() > deadline:
            pytest.fail(f"{path} never appeared:\n{log.read_text()}")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is not None:
        return proc.returncode
    os.kill(proc.pid, signal.SIGTERM)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        return proc.wait()


@pytest.mark.skipif(os.geteuid() != 0, reason="the system libvirtd runs as root")
def test_libvirtd_runs_on_rendered_config(root: Path) -> None:
    sockets = root / "sock"
    conf = LibvirtConfiguration(
        unix_sock_dir=str(sockets),
        # No polkit in a test container: let the socket permissions decide.
        auth_unix_ro="none",
        auth_unix_rw="none",
        log_outputs=f"3:file:{root}/libvirtd.log",
    )
    host = HostConfiguration(libvirt=conf)
    _write_files(root, host)
    service = expand(host, str(root)).service("libvirtd")
    for d in service.directories:
        Path(d).mkdir(parents=True, exist_ok=True)
    log = root / "stderr.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(service.command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(sockets / "libvirt-sock", proc, log)
        assert oct((sockets / "libvirt-sock").stat().st_mode & 0o777) == "0o770"
        assert (sockets / "libvirt-sock-ro").exists() and (sockets / "libvirt-admin-sock").exists()
        uri = f"qemu:///system?socket={sockets}/libvirt-sock"
        answer = subprocess.run(
            ["virsh", "-c", uri, "version"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert answer.returncode == 0, answer.stderr
        assert "Using library: libvirt" in answer.stdout
        assert (root / "var/run/libvirtd.pid").read_text().strip() == str(proc.pid)
    finally:
        _stop(proc)
    assert proc.returncode is not None


def test_virtlogd_runs_on_rendered_config(root: Path) -> None:
    host = HostConfiguration(virtlog=VirtlogConfiguration(max_clients=1000))
    _write_files(root, host)
    service = expand(host, str(root)).service("virtlogd")
    runtime = root / "run"
    runtime.mkdir()
    for d in service.directories:
        Path(d).mkdir(parents=True, exist_ok=True)
    command: list[str] = list(service.command)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(runtime))
    if os.geteuid() == 0:
        # As root virtlogd's socket is fixed at /run/libvirt; unprivileged it lives in
        # $XDG_RUNTIME_DIR, which keeps this test inside its directory.
        for d in (runtime, root / "var/run"):
            os.chown(d, 65534, 65534)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    log = root / "virtlogd.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        sock_path = runtime / "libvirt" / "virtlogd-sock"
        _wait_for(sock_path, proc, log)
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(sock_path))  # it accepts clients
        assert (root / "var/run/virtlogd.pid").read_text().strip() == str(proc.pid)
    finally:
        _stop(proc)

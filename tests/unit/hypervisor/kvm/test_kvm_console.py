"""Console logs: rotation at max-size with max-backups, the logger process relaying
between a (stand-in) QEMU serial connection and attached clients, and its exit."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from pyganeti.hypervisor.kvm import console


def test_rotation_keeps_max_backups_of_max_size(tmp_path: Path) -> None:
    log = console.RotatingLog(tmp_path / "vm.log", max_size=100, max_backups=3)
    stream = b"".join(f"{i}".encode() * 70 for i in range(10))  # 700 bytes
    for i in range(0, len(stream), 70):
        log.write(stream[i : i + 70])
    log.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["vm.log", "vm.log.1", "vm.log.2", "vm.log.3"]
    assert [(tmp_path / n).stat().st_size for n in names] == [100, 100, 100, 100]
    # Backups hold older bytes (.3 oldest); together the last 400 bytes, in order.
    assert (tmp_path / "vm.log").read_bytes() == stream[-100:]
    assert (tmp_path / "vm.log.3").read_bytes() == stream[-400:-300]
    everything = console.read_log(tmp_path / "vm.log", 10_000, with_backups=True)
    assert everything == stream[-400:]
    assert console.read_log(tmp_path / "vm.log", 10) == stream[-10:]


def test_rotation_with_no_backups_and_bad_settings(tmp_path: Path) -> None:
    log = console.RotatingLog(tmp_path / "vm.log", max_size=10, max_backups=0)
    log.write(b"a" * 25)
    log.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vm.log"]
    assert (tmp_path / "vm.log").read_bytes() == b"a" * 5
    with pytest.raises(ValueError, match="max_size=0"):
        console.RotatingLog(tmp_path / "x.log", max_size=0, max_backups=1)


def test_default_rotation_is_virtlogds() -> None:
    assert (console.DEFAULT_MAX_SIZE, console.DEFAULT_MAX_BACKUPS) == (2 * 1024 * 1024, 3)


def _connect(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(10)
    sock.connect(str(path))
    return sock


def _wait(predicate: object, what: str) -> None:
    deadline = time.monotonic() + 20
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_logger_relays_logs_rotates_and_exits_with_qemu(tmp_path: Path) -> None:
    serial, attach, log = tmp_path / "s.sock", tmp_path / "a.sock", tmp_path / "vm.log"
    fake_qemu = subprocess.Popen(["sleep", "600"])  # stands in for QEMU's process
    pid_file = tmp_path / "qemu.pid"
    pid_file.write_text(f"{fake_qemu.pid}\n")
    command = console.logger_command(serial, attach, log, pid_file, max_size=64, max_backups=2)
    logger = console.start_logger(command, serial)
    try:
        qemu_side = _connect(serial)  # QEMU's serial chardev connects as a client
        client = _connect(attach)
        time.sleep(0.2)
        qemu_side.sendall(b"hello from the guest\n")
        assert client.recv(100) == b"hello from the guest\n"
        client.sendall(b"typed\n")
        assert qemu_side.recv(100) == b"typed\n"
        qemu_side.sendall(b"x" * 200)
        _wait(lambda: (tmp_path / "vm.log.2").exists(), "rotation")
        assert sorted(p.name for p in tmp_path.glob("vm.log*")) == [
            "vm.log", "vm.log.1", "vm.log.2"
        ]  # fmt: skip
        client.close()
        # QEMU going away: the logger notices and exits, removing its sockets.
        qemu_side.close()
        fake_qemu.kill()
        fake_qemu.wait()
        _wait(lambda: not os.path.exists(f"/proc/{logger}") or _zombie(logger), "logger exit")
        assert not serial.exists() and not attach.exists()
    finally:
        fake_qemu.kill()
        fake_qemu.wait()
        with contextlib.suppress(ProcessLookupError):
            os.kill(logger, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    return not os.path.exists(f"/proc/{pid}")


def test_start_logger_reports_a_logger_that_cannot_start(tmp_path: Path) -> None:
    bad = console.logger_command(
        tmp_path / "no-such-dir" / "s.sock", tmp_path / "a", tmp_path / "l", tmp_path / "p"
    )
    with pytest.raises(RuntimeError, match="console logger did not start"):
        console.start_logger(bad, tmp_path / "no-such-dir" / "s.sock", timeout=20)


def test_show_log_prints_backups_then_the_current_log(tmp_path: Path) -> None:
    (tmp_path / "vm.log.2").write_bytes(b"oldest\n")
    (tmp_path / "vm.log.1").write_bytes(b"older\n")
    (tmp_path / "vm.log").write_bytes(b"newest\n")
    out = subprocess.run(
        console.show_log_command(tmp_path / "vm.log"), capture_output=True, check=True
    ).stdout
    assert out == b"oldest\nolder\nnewest\n"

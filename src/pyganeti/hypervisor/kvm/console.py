"""Serial consoles: a small logger process per VM, its rotating log, and console attach.

QEMU's serial port is a unix-socket chardev in client mode (with reconnect) pointing at
the logger, which is started first and runs in its own session so it outlives noded.
The logger writes everything the guest prints to a log that rotates at `max_size`
bytes keeping `max_backups` old files (virtlogd's defaults: 2 MiB and 3), and relays
between the guest and clients attached on a second socket (`gnt-instance console`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import select
import subprocess
import sys
import termios
import time
import tty
from pathlib import Path

from pyganeti.hypervisor.kvm.runtime import pid_alive

DEFAULT_MAX_SIZE = 2 * 1024 * 1024
DEFAULT_MAX_BACKUPS = 3
# How long the logger waits for QEMU to connect before giving up.
CONNECT_GRACE = 120.0
ESCAPE = b"\x1d"  # Ctrl-], as socat's escape=0x1d in Ganeti's console command


class RotatingLog:
    """Append-only log that rotates before a write would pass `max_size` bytes."""

    def __init__(self, path: Path, max_size: int, max_backups: int) -> None:
        if max_size < 1 or max_backups < 0:
            raise ValueError(f"invalid rotation: max_size={max_size} max_backups={max_backups}")
        self.path = path
        self.max_size = max_size
        self.max_backups = max_backups
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "ab", buffering=0)  # noqa: SIM115 - lives as long as the log

    def _rotate(self) -> None:
        self._fh.close()
        if self.max_backups == 0:
            self.path.unlink(missing_ok=True)
        else:
            oldest = self.path.with_name(f"{self.path.name}.{self.max_backups}")
            oldest.unlink(missing_ok=True)
            for i in range(self.max_backups - 1, 0, -1):
                src = self.path.with_name(f"{self.path.name}.{i}")
                if src.exists():
                    os.replace(src, self.path.with_name(f"{self.path.name}.{i + 1}"))
            if self.path.exists():
                os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        self._fh = open(self.path, "ab", buffering=0)  # noqa: SIM115

    def write(self, data: bytes) -> None:
        while data:
            size = self._fh.tell()
            room = self.max_size - size
            if room <= 0:
                self._rotate()
                continue
            self._fh.write(data[:room])
            data = data[room:]

    def close(self) -> None:
        self._fh.close()


def read_log(path: Path, max_bytes: int = 1 << 20, with_backups: bool = False) -> bytes:
    """The last `max_bytes` of the console log (oldest backup first when `with_backups`)."""
    files = [path]
    if with_backups:
        backups = sorted(
            (p for p in path.parent.glob(f"{path.name}.*") if p.suffix[1:].isdigit()),
            key=lambda p: int(p.suffix[1:]),
            reverse=True,
        )
        files = [*backups, path]
    data = b""
    for f in files:
        with contextlib.suppress(FileNotFoundError):
            data += f.read_bytes()
    return data[-max_bytes:]


class Relay:
    """The logger: one QEMU serial connection, any number of attached clients."""

    def __init__(self, log: RotatingLog, qemu_pid_file: Path) -> None:
        self.log = log
        self.qemu_pid_file = qemu_pid_file
        self.qemu: asyncio.StreamWriter | None = None
        self.clients: set[asyncio.StreamWriter] = set()
        self.ever_connected = False
        self.started = time.monotonic()

    async def on_qemu(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.qemu is not None:
            writer.close()
            return
        self.qemu, self.ever_connected = writer, True
        try:
            while data := await reader.read(65536):
                self.log.write(data)
                for client in list(self.clients):
                    try:
                        client.write(data)
                    except (ConnectionError, RuntimeError):
                        self.clients.discard(client)
        finally:
            self.qemu = None
            writer.close()

    async def on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.clients.add(writer)
        try:
            while data := await reader.read(4096):
                if self.qemu is not None:
                    self.qemu.write(data)
        except ConnectionError:
            pass
        finally:
            self.clients.discard(writer)
            writer.close()

    def qemu_gone(self) -> bool:
        """QEMU connected once and its process has ended (or never came in time)."""
        if not self.ever_connected:
            return time.monotonic() - self.started > CONNECT_GRACE
        if self.qemu is not None:
            return False
        try:
            pid = int(self.qemu_pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return True
        return not pid_alive(pid)


async def run_logger(args: argparse.Namespace) -> None:
    log = RotatingLog(Path(args.log), args.max_size, args.max_backups)
    relay = Relay(log, Path(args.qemu_pid_file))
    for sock in (args.serial, args.attach):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(sock)
    serial = await asyncio.start_unix_server(relay.on_qemu, args.serial)
    attach = await asyncio.start_unix_server(relay.on_client, args.attach)
    try:
        while not relay.qemu_gone():
            await asyncio.sleep(0.5)
    finally:
        serial.close()
        attach.close()
        for sock in (args.serial, args.attach):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(sock)
        log.close()


def logger_command(
    serial: Path,
    attach: Path,
    log: Path,
    qemu_pid_file: Path,
    max_size: int = DEFAULT_MAX_SIZE,
    max_backups: int = DEFAULT_MAX_BACKUPS,
) -> list[str]:
    return [
        sys.executable, "-m", "pyganeti.hypervisor.kvm.console", "log",
        "--serial", str(serial), "--attach", str(attach), "--log", str(log),
        "--qemu-pid-file", str(qemu_pid_file),
        "--max-size", str(max_size), "--max-backups", str(max_backups),
    ]  # fmt: skip


def start_logger(command: list[str], serial: Path, timeout: float = 10.0) -> int:
    """Start the logger detached; return its pid once its serial socket listens."""
    serial.unlink(missing_ok=True)
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while not serial.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            raise RuntimeError(f"the console logger did not start (exit {proc.poll()})")
        time.sleep(0.02)
    return proc.pid


def show_log_command(log: Path) -> list[str]:
    return [sys.executable, "-m", "pyganeti.hypervisor.kvm.console", "show-log", str(log)]


def attach_command(attach: Path) -> list[str]:
    return [sys.executable, "-m", "pyganeti.hypervisor.kvm.console", "attach", str(attach)]


def attach(sock_path: str) -> int:
    """Relay the terminal to the console until Ctrl-] or the VM closes it."""
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(sock_path)
    except OSError as err:
        sys.stderr.write(f"cannot connect to the console {sock_path}: {err.strerror}\n")
        return 1
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
    if saved is not None:
        tty.setraw(stdin)
    try:
        while True:
            ready, _, _ = select.select([sock, stdin], [], [])
            if sock in ready:
                data = sock.recv(65536)
                if not data:
                    return 0
                os.write(sys.stdout.fileno(), data)
            if stdin in ready:
                data = os.read(stdin, 4096)
                if not data or (saved is not None and ESCAPE in data):
                    return 0
                sock.sendall(data)
    finally:
        if saved is not None:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        sock.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyganeti.hypervisor.kvm.console")
    sub = parser.add_subparsers(dest="action", required=True)
    lg = sub.add_parser("log", help="the per-VM console logger")
    lg.add_argument("--serial", required=True)
    lg.add_argument("--attach", required=True)
    lg.add_argument("--log", required=True)
    lg.add_argument("--qemu-pid-file", required=True)
    lg.add_argument("--max-size", type=int, default=DEFAULT_MAX_SIZE)
    lg.add_argument("--max-backups", type=int, default=DEFAULT_MAX_BACKUPS)
    at = sub.add_parser("attach", help="attach the terminal to a console")
    at.add_argument("socket")
    sl = sub.add_parser("show-log", help="print a console log with its rotated backups")
    sl.add_argument("log")
    sl.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_SIZE * (DEFAULT_MAX_BACKUPS + 1))
    args = parser.parse_args(argv)
    if args.action == "attach":
        return attach(args.socket)
    if args.action == "show-log":
        sys.stdout.buffer.write(read_log(Path(args.log), args.max_bytes, with_backups=True))
        return 0
    asyncio.run(run_logger(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

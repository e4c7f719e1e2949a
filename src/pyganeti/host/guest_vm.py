"""The guest VM service (hurd-vm generalised): QEMU command line, and a runner that
boots the VM and delivers `secret-root` into it through the forwarded secrets port.

Secrets protocol (version 1), host → guest over TCP (guest port 1004):
  1. the guest-side receiver (`RECEIVER_SCRIPT`, run by the guest's init before the
     services needing secrets) listens and, on connection, sends ``pyganeti-secrets 1\\n``;
  2. the host sends a POSIX tar archive of secret-root's contents (paths relative to it,
     modes and numeric owners kept), then closes its sending side;
  3. the guest extracts it into its root and answers ``done N\\n`` (N: tar's exit status).
User-mode networking accepts host connections before the guest listens, so the host
retries until the greeting arrives. A GNU/Hurd (or any) image plugs in by running the
receiver at boot and its SSH and VNC servers on guest ports 2222 and 5900.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from pyganeti.host.records.guest_vm import (
    SECRETS_GUEST_PORT,
    SSH_GUEST_PORT,
    VNC_GUEST_PORT,
    GuestVmConfiguration,
)
from pyganeti.host.render.commands import program

GREETING = b"pyganeti-secrets 1\n"
DELIVERY_TIMEOUT = 600.0

RECEIVER_SCRIPT = """\
#!/bin/sh
# pyganeti guest secrets receiver (protocol 1): run once at boot, before the services
# that need the secrets. Usage: secrets-receiver [PORT [ROOT]]  (default 1004 and /).
# Needs nc (with -l, -p and -e) and tar, as BusyBox provides.
if [ "$1" = "--connected" ]; then
    printf 'pyganeti-secrets 1\\n'
    tar -x -f - -C "$2"
    printf 'done %s\\n' "$?"
    exit 0
fi
exec nc -l -p "${1:-1004}" -e "$0" --connected "${2:-/}"
"""


def default_net_options(vm: GuestVmConfiguration) -> tuple[str, ...]:
    """The seed's hurd-vm-net-options: an rtl8139 NIC on user networking with forwards."""
    forwards = ",".join(
        f"hostfwd=tcp:127.0.0.1:{host}-:{guest}"
        for host, guest in (
            (vm.secrets_port, SECRETS_GUEST_PORT),
            (vm.ssh_port, SSH_GUEST_PORT),
            (vm.vnc_port, VNC_GUEST_PORT),
        )
    )
    return ("--device", "rtl8139,netdev=net0", "--netdev", f"user,id=net0,{forwards}")


def qemu_command(vm: GuestVmConfiguration, disk: str | None = None) -> tuple[str, ...]:
    """The QEMU command line booting `vm` (from `disk` when an overlay replaces the image)."""
    return (
        # No accelerator is forced: add --enable-kvm to options where KVM works (nested
        # virtualisation can hang a guest under KVM, emulation always boots).
        program(vm.qemu, "qemu-system-x86_64"),
        "-m", str(vm.memory_size),
        "-display", "none",
        "-serial", "stdio",
        "-monitor", "none",
        "-drive", f"file={disk or vm.image},if=ide,media=disk",
        *(vm.net_options if vm.net_options is not None else default_net_options(vm)),
        *vm.options,
    )  # fmt: skip


def secrets_archive(secret_root: Path) -> bytes:
    """A tar of secret-root's contents (empty when it does not exist)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        if secret_root.is_dir():
            for path in sorted(secret_root.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(secret_root)), recursive=False)
    return buf.getvalue()


def deliver_secrets(
    port: int, archive: bytes, alive: object = None, timeout: float = DELIVERY_TIMEOUT
) -> int:
    """Send `archive` to the guest's receiver on 127.0.0.1:`port`; return tar's status.

    `alive` (a callable) stops the retries when the VM has exited.
    """
    deadline = time.monotonic() + timeout
    while True:
        if alive is not None and not alive():  # type: ignore[operator]
            raise RuntimeError("the VM exited before its secrets were delivered")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no secrets receiver answered on port {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                greeting = _read_line(sock)
                if greeting != GREETING:
                    raise ConnectionError(f"unexpected greeting {greeting!r}")
                sock.sendall(archive)
                sock.shutdown(socket.SHUT_WR)
                answer = _read_line(sock)
                if not answer.startswith(b"done "):
                    raise ConnectionError(f"unexpected answer {answer!r}")
                return int(answer.split()[1])
        except (OSError, ConnectionError, ValueError):
            # Not listening yet (user networking resets such connections): retry.
            time.sleep(1.0)


def _read_line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def create_overlay(image: str, size: int, overlay: Path) -> None:
    """A qcow2 overlay of `size` bytes over `image`: grows the disk, leaves the image."""
    overlay.parent.mkdir(parents=True, exist_ok=True)
    overlay.unlink(missing_ok=True)
    qemu_img = shutil.which("qemu-img") or "qemu-img"
    info = subprocess.run(
        [qemu_img, "info", "--output=json", image], capture_output=True, text=True, check=True
    )
    fmt = json.loads(info.stdout).get("format", "raw")
    subprocess.run(
        [qemu_img, "create", "-q", "-f", "qcow2", "-b", image, "-F", fmt, str(overlay),
         str(size)],
        check=True,
    )  # fmt: skip


def run(command: list[str], secrets_port: int, secret_root: Path) -> int:
    """Run QEMU, deliver the secrets, and stay until QEMU exits (SIGTERM stops it)."""
    qemu = subprocess.Popen(command)

    def stop(signum: int, _frame: object) -> None:
        qemu.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        status = deliver_secrets(
            secrets_port, secrets_archive(secret_root), alive=lambda: qemu.poll() is None
        )
        print(f"pyganeti-guest-vm: secrets delivered (guest tar status {status})", flush=True)
    except (RuntimeError, TimeoutError) as err:
        print(f"pyganeti-guest-vm: {err}", file=sys.stderr, flush=True)
    return qemu.wait()


def main(argv: list[str] | None = None) -> int:
    """`python -m pyganeti.host.guest_vm run ...` (what the service runs) or `receiver`."""
    parser = argparse.ArgumentParser(prog="python -m pyganeti.host.guest_vm")
    sub = parser.add_subparsers(dest="action", required=True)
    r = sub.add_parser("run", help="boot the VM and deliver its secrets")
    r.add_argument("--secrets-port", type=int, required=True)
    r.add_argument("--secret-root", type=Path, required=True)
    r.add_argument("--image", help="with --disk-size: the image to overlay")
    r.add_argument("--disk-size", type=int, help="size in bytes of an overlay to create")
    r.add_argument("--overlay", type=Path, help="with --disk-size: the overlay to create")
    r.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("receiver", help="print the guest-side secrets receiver script")
    args = parser.parse_args(argv)
    if args.action == "receiver":
        sys.stdout.write(RECEIVER_SCRIPT)
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("run needs the QEMU command line after --")
    if args.disk_size is not None:
        if args.image is None or args.overlay is None:
            parser.error("--disk-size needs --image and --overlay")
        try:
            create_overlay(args.image, args.disk_size, args.overlay)
        except (OSError, subprocess.CalledProcessError, ValueError) as err:
            print(f"pyganeti-guest-vm: cannot create the disk overlay: {err}", file=sys.stderr)
            return 1
    return run(command, args.secrets_port, args.secret_root)


def guest_vm_command(vm: GuestVmConfiguration, run_dir: str) -> tuple[str, ...]:
    """The service's command line: the runner wrapping QEMU (overlay in `run_dir`)."""
    runner = [sys.executable, "-m", "pyganeti.host.guest_vm", "run",
              "--secrets-port", str(vm.secrets_port), "--secret-root", vm.secret_root]  # fmt: skip
    disk = None
    if isinstance(vm.disk_size, int):
        disk = f"{run_dir}/{vm.service_names[0]}-disk.qcow2"
        runner += ["--image", vm.image, "--disk-size", str(vm.disk_size), "--overlay", disk]
    return (*runner, "--", *qemu_command(vm, disk))


if __name__ == "__main__":
    os.umask(0o077)
    sys.exit(main())

"""Guest VM pieces: QEMU command line, secrets archive and the host side of the protocol."""

from __future__ import annotations

import io
import socket
import tarfile
import threading
from pathlib import Path

import pytest

from pyganeti.host.guest_vm import (
    GREETING,
    RECEIVER_SCRIPT,
    deliver_secrets,
    main,
    qemu_command,
    secrets_archive,
)
from pyganeti.host.records import GuestVmConfiguration


def test_qemu_command_defaults_follow_the_seed() -> None:
    cmd = qemu_command(GuestVmConfiguration(image="/img/hurd.img"))
    assert cmd[0] == "qemu-system-x86_64"
    assert cmd[cmd.index("-m") + 1] == "512"
    assert "file=/img/hurd.img,if=ide,media=disk" in cmd
    assert cmd[cmd.index("--device") + 1] == "rtl8139,netdev=net0"
    assert cmd[cmd.index("--netdev") + 1] == (
        "user,id=net0,hostfwd=tcp:127.0.0.1:11004-:1004,"
        "hostfwd=tcp:127.0.0.1:10022-:2222,hostfwd=tcp:127.0.0.1:15900-:5900"
    )
    assert cmd[-1] == "--snapshot"


def test_qemu_command_with_own_net_options_and_package_prefix() -> None:
    vm = GuestVmConfiguration(
        image="/i", qemu="/opt/q", net_options=("-nic", "none"), options=(), memory_size=1024, id=1
    )
    cmd = qemu_command(vm)
    assert cmd[0] == "/opt/q/bin/qemu-system-x86_64"
    assert cmd[-2:] == ("-nic", "none") and "--netdev" not in cmd
    assert cmd[cmd.index("-m") + 1] == "1024"


def test_secrets_archive_keeps_paths_and_modes(tmp_path: Path) -> None:
    (tmp_path / "etc/ssh").mkdir(parents=True)
    key = tmp_path / "etc/ssh/ssh_host_ed25519_key"
    key.write_text("KEY")
    key.chmod(0o600)
    with tarfile.open(fileobj=io.BytesIO(secrets_archive(tmp_path))) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert set(members) == {"etc", "etc/ssh", "etc/ssh/ssh_host_ed25519_key"}
    assert members["etc/ssh/ssh_host_ed25519_key"].mode == 0o600


def test_missing_secret_root_sends_an_empty_archive(tmp_path: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(secrets_archive(tmp_path / "none"))) as tar:
        assert tar.getmembers() == []


def _guest(server: socket.socket, target: Path, refuse_first: bool) -> None:
    """The guest side of protocol 1, in Python, for the host side to talk to."""
    if refuse_first:
        conn, _ = server.accept()
        conn.close()  # as user networking does before the guest listens
    conn, _ = server.accept()
    with conn:
        conn.sendall(GREETING)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(target, filter="tar")
        conn.sendall(b"done 0\n")


def test_delivery_retries_until_the_receiver_greets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    (secrets / "etc").mkdir(parents=True)
    (secrets / "etc/token").write_text("t0ken")
    (secrets / "etc/token").chmod(0o640)
    target = tmp_path / "guest"
    target.mkdir()
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        guest = threading.Thread(target=_guest, args=(server, target, True))
        guest.start()
        assert deliver_secrets(port, secrets_archive(secrets), timeout=60) == 0
        guest.join()
    assert (target / "etc/token").read_text() == "t0ken"
    assert (target / "etc/token").stat().st_mode & 0o777 == 0o640


def test_delivery_stops_when_the_vm_is_gone() -> None:
    with pytest.raises(RuntimeError, match="exited before its secrets"):
        deliver_secrets(1, b"", alive=lambda: False)


def test_receiver_script_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["receiver"]) == 0
    out = capsys.readouterr().out
    assert out == RECEIVER_SCRIPT and "nc -l -p" in out and "tar -x" in out

"""ganeti-rapi's options, listening address and readiness probe."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pyganeti.daemons import rapi
from pyganeti.netutils import add_hosts_entry, node_name_file
from pyganeti.paths import Paths


def test_defaults_are_ganetis() -> None:
    args = rapi.make_parser().parse_args([])
    assert (args.port, args.max_clients, args.no_ssl, args.require_authentication) == (
        5080, 20, False, False,
    )  # fmt: skip
    assert rapi.bind_address(Paths.from_root("/"), args) == "0.0.0.0"


def test_bind_and_interface_are_exclusive() -> None:
    with pytest.raises(SystemExit):
        rapi.make_parser().parse_args(["--bind", "127.0.0.1", "--interface", "lo"])


def test_addresses(tmp_path: Path) -> None:
    paths = Paths.from_root(tmp_path)
    paths.ensure_dirs()
    Path(node_name_file(paths)).write_text("node9\n")
    add_hosts_entry(paths, "127.0.9.9", "node9")
    parser = rapi.make_parser()
    assert rapi.bind_address(paths, parser.parse_args([])) == "127.0.9.9"
    assert rapi.bind_address(paths, parser.parse_args(["-b", "127.0.0.2"])) == "127.0.0.2"
    assert rapi.bind_address(paths, parser.parse_args(["-i", "lo"])) == "127.0.0.1"
    with pytest.raises(ValueError, match="nosuchif0"):
        rapi.bind_address(paths, parser.parse_args(["-i", "nosuchif0"]))


def test_readiness_probe(tmp_path: Path) -> None:
    paths = Paths.from_root(tmp_path)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert rapi.is_ready(paths, ["--bind", "127.0.0.1", "--port", str(port)])
    assert not rapi.is_ready(paths, ["--bind", "127.0.0.1", "--port", str(port)])
    assert not rapi.is_ready(paths, ["--interface", "nosuchif0"])


def test_refuses_bad_options_before_starting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_exit = pytest.raises(SystemExit)
    with assert_exit:
        rapi.main(["--root", str(tmp_path), "--max-clients", "0"])
    assert "--max-clients" in capsys.readouterr().err
    with assert_exit:
        rapi.main(["--root", str(tmp_path), "--port", "70000"])
    assert "invalid port" in capsys.readouterr().err
    with assert_exit as exited:
        rapi.main(["--root", str(tmp_path)])
    assert exited.value.code == 5 and "no cluster" in capsys.readouterr().err

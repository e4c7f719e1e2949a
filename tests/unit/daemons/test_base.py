"""Daemon plumbing: pid file lock, cluster check, logging, signal shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pyganeti import errors
from pyganeti.daemons import base
from pyganeti.paths import Paths

SRC = str(Path(__file__).resolve().parents[3] / "src")

# A daemon whose main writes a marker, then waits (or fails when asked to).
DAEMON = textwrap.dedent(
    """
    import asyncio, sys
    from pyganeti import errors
    from pyganeti.daemons import base

    async def main(args, paths):
        (paths.run_dir / "ready").write_text("yes")
        if args.fail:
            raise errors.ConfigurationError("broken configuration")
        await asyncio.Event().wait()

    parser = base.make_parser("ganeti-testd", "test daemon")
    parser.add_argument("--fail", action="store_true")
    sys.exit(base.run_daemon("ganeti-testd", parser, main))
    """
)


def _spawn(root: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.Popen(
        [sys.executable, "-c", DAEMON, "--root", str(root), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_pid_file_lock_and_removal(tmp_path: Path) -> None:
    pid_path = tmp_path / "run" / "d.pid"
    with base.pid_file(pid_path):
        assert pid_path.read_text() == f"{os.getpid()}\n"
        with (
            pytest.raises(errors.PidFileLockError, match=rf"pid {os.getpid()}.*already running"),
            base.pid_file(pid_path),
        ):
            pass
        assert pid_path.exists()  # the refused attempt did not remove it
    assert not pid_path.exists()


def test_stale_pid_file_is_taken_over(tmp_path: Path) -> None:
    pid_path = tmp_path / "d.pid"
    pid_path.write_text("999999\n")
    with base.pid_file(pid_path):
        assert pid_path.read_text() == f"{os.getpid()}\n"


def test_require_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = Paths.from_root(tmp_path)
    with pytest.raises(SystemExit) as info:
        base.require_cluster(paths)
    assert info.value.code == errors.EXIT_NOTCLUSTER == 5
    err = capsys.readouterr().err
    assert f"no cluster is initialised under {tmp_path}" in err
    assert "gnt-cluster init or pyganeti up" in err
    paths.ensure_dirs()
    paths.config_file.write_text("{}")
    base.require_cluster(paths)


def test_common_options() -> None:
    args = base.make_parser("x", "y").parse_args(["-f", "-d", "--root", "/r", "--syslog", "yes"])
    assert (args.foreground, args.debug, args.root, args.syslog) == (True, True, "/r", "yes")


def test_daemon_runs_refuses_second_and_stops_on_sigterm(tmp_path: Path) -> None:
    paths = Paths.from_root(tmp_path)
    proc = _spawn(tmp_path)
    try:
        _wait_for(paths.run_dir / "ready", proc)
        assert paths.pid_file("ganeti-testd").read_text() == f"{proc.pid}\n"
        second = _spawn(tmp_path)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 1
        assert f"pid {proc.pid}" in err and "already running" in err
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert not paths.pid_file("ganeti-testd").exists()
    log = paths.daemon_log("ganeti-testd").read_text()
    assert "received SIGTERM, shutting down" in log and "ganeti-testd stopped" in log


def test_daemon_failure_is_reported(tmp_path: Path) -> None:
    paths = Paths.from_root(tmp_path)
    proc = _spawn(tmp_path, "--fail")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "ganeti-testd: broken configuration" in err
    assert not paths.pid_file("ganeti-testd").exists()

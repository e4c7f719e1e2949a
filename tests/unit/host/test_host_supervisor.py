"""The embedded supervisor's policies, run in-process on small shell commands."""

from __future__ import annotations

import asyncio
import datetime
import os
import signal
import subprocess
from pathlib import Path

import pytest

from pyganeti.host import supervisor as sup
from pyganeti.host.layout import HostLayout, save_services
from pyganeti.host.render.services import Service, ServiceKind
from pyganeti.host.supervisor import Supervisor, cron_due


def _supervisor(tmp_path: Path, *services: Service) -> Supervisor:
    layout = HostLayout(tmp_path)
    save_services(layout, services)
    s = Supervisor(layout)
    s.reload()
    return s


def _daemon(name: str, respawn: bool, script: str = "exec sleep 100") -> Service:
    return Service(name, ServiceKind.DAEMON, ("sh", "-c", script), respawn=respawn)


async def _until(predicate: object, what: str) -> None:
    for _ in range(600):
        if predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"never happened: {what}")


def test_cron_due() -> None:
    at = datetime.datetime(2026, 11, 21, 1, 45)
    assert cron_due("45 1 * * *", at)
    assert not cron_due("45 2 * * *", at)
    assert cron_due("*/5 * * * *", at) and not cron_due("*/5 * * * *", at.replace(minute=46))
    assert cron_due("45 1 * * 6", at)  # 2026-11-21 is a Saturday
    assert not cron_due("45 1 * * 1-5", at)


def test_non_respawned_daemon_stays_down(tmp_path: Path) -> None:
    async def run() -> None:
        s = _supervisor(tmp_path, _daemon("ganeti-noded", respawn=False))
        info = await s.start("ganeti-noded")
        assert info["status"] == "running"
        os.kill(info["pid"], signal.SIGKILL)
        unit = s.unit("ganeti-noded")
        await _until(lambda: unit.status == "failed", "daemon seen dead")
        await asyncio.sleep(0.3)
        assert unit.status == "failed" and unit.process is not None
        assert unit.process.returncode == -signal.SIGKILL  # nobody started it again

    asyncio.run(run())


def test_respawned_daemon_comes_back(tmp_path: Path) -> None:
    async def run() -> None:
        s = _supervisor(tmp_path, _daemon("libvirtd", respawn=True))
        first = (await s.start("libvirtd"))["pid"]
        os.kill(first, signal.SIGKILL)
        unit = s.unit("libvirtd")
        await _until(
            lambda: (
                unit.status == "running" and unit.process is not None and unit.process.pid != first
            ),
            "respawn",
        )
        await s.stop("libvirtd")
        assert unit.status == "stopped"

    asyncio.run(run())


def test_respawn_gives_up_on_a_crash_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sup, "RESPAWN_LIMIT", 3)

    async def run() -> None:
        s = _supervisor(tmp_path, _daemon("bad", respawn=True, script="exit 3"))
        await s.start("bad")
        unit = s.unit("bad")
        await _until(lambda: not unit.wanted, "give up")
        assert unit.status == "failed" and unit.last_exit == 3
        assert len(unit.quick_deaths) == 3

    asyncio.run(run())


def test_oneshot_runs_start_and_stop_commands(tmp_path: Path) -> None:
    marker = tmp_path / "registered"
    service = Service(
        "qemu-binfmt", ServiceKind.ONESHOT, ("touch", str(marker)), stop_command=("rm", str(marker))
    )

    async def run() -> None:
        s = _supervisor(tmp_path, service)
        assert (await s.start("qemu-binfmt"))["status"] == "done"
        assert marker.exists()
        assert (await s.stop("qemu-binfmt"))["status"] == "stopped"
        assert not marker.exists()

    asyncio.run(run())


def test_failing_oneshot_reports_exit_code(tmp_path: Path) -> None:
    async def run() -> None:
        s = _supervisor(tmp_path, Service("x", ServiceKind.ONESHOT, ("false",)))
        with pytest.raises(RuntimeError, match="exited 1"):
            await s.start("x")
        assert s.unit("x").status == "failed"

    asyncio.run(run())


def test_forced_start_uses_its_command_once_and_refuses_when_running(tmp_path: Path) -> None:
    async def run() -> None:
        s = _supervisor(tmp_path, _daemon("ganeti-wconfd", respawn=False))
        forced = ("sh", "-c", "exec sleep 101")
        info = await s.start("ganeti-wconfd", forced)
        assert info["command"] == list(forced)
        with pytest.raises(RuntimeError, match="stop it before a forced start"):
            await s.start("ganeti-wconfd", forced)
        await s.stop("ganeti-wconfd")
        info = await s.start("ganeti-wconfd")
        assert info["command"] == ["sh", "-c", "exec sleep 100"]
        await s.stop("ganeti-wconfd")

    asyncio.run(run())


def test_unknown_service_and_bad_requests(tmp_path: Path) -> None:
    async def run() -> None:
        s = _supervisor(tmp_path, _daemon("a", False))
        with pytest.raises(LookupError, match="no service 'b' \\(services: a\\)"):
            await s.handle({"op": "start", "name": "b"})
        with pytest.raises(ValueError, match="needs a service name"):
            await s.handle({"op": "start"})
        with pytest.raises(ValueError, match="unknown operation 'jump'"):
            await s.handle({"op": "jump", "name": "a"})

    asyncio.run(run())


def test_missing_program_fails_clearly(tmp_path: Path) -> None:
    async def run() -> None:
        s = _supervisor(tmp_path, Service("x", ServiceKind.DAEMON, ("/nonexistent/daemon",)))
        with pytest.raises(RuntimeError, match="cannot run /nonexistent/daemon"):
            await s.start("x")
        assert s.unit("x").status == "failed"

    asyncio.run(run())


def test_benign_and_clean_exits_are_not_failures(tmp_path: Path) -> None:
    # Ganeti daemons exit 5 without a cluster and 11 off the master: "stopped", with a
    # note; exit 0 (told to stop by daemon-util) is stopped too; anything else failed.
    def ganeti(name: str, code: int) -> Service:
        return Service(name, ServiceKind.DAEMON, ("sh", "-c", f"exit {code}"), benign_exits=(5, 11))

    async def run() -> None:
        s = _supervisor(tmp_path, ganeti("a", 5), ganeti("b", 0), ganeti("c", 1))
        for name in ("a", "b", "c"):
            await s.start(name)
        await _until(lambda: all(s.unit(n).last_exit is not None for n in "abc"), "exits")
        assert [s.status(n)["status"] for n in "abc"] == ["stopped", "stopped", "failed"]
        assert "not for this node now" in s.status("a")["note"]
        assert s.status("c")["note"] is None

    asyncio.run(run())


def test_unavailable_service_is_refused_with_its_reason(tmp_path: Path) -> None:
    service = Service(
        "ganeti-mond", ServiceKind.DAEMON, ("true",), unavailable="not implemented yet"
    )

    async def run() -> None:
        s = _supervisor(tmp_path, service)
        with pytest.raises(RuntimeError, match="ganeti-mond cannot run here: not implemented"):
            await s.start("ganeti-mond")
        assert s.status("ganeti-mond")["status"] == "stopped"

    asyncio.run(run())


def test_pid_file_holder_must_run_the_service_program(tmp_path: Path) -> None:
    pid_file = tmp_path / "d.pid"
    service = Service("d", ServiceKind.DAEMON, ("sleep", "100"), pid_file=str(pid_file))
    assert sup.pid_file_holder(service) is None  # no pid file
    pid_file.write_text("garbage\n")
    assert sup.pid_file_holder(service) is None
    # This test process is alive but is not `sleep`: a stale pid file is not trusted.
    pid_file.write_text(f"{os.getpid()}\n")
    assert sup.pid_file_holder(service) is None
    proc = subprocess.Popen(["sleep", "100"])
    try:
        pid_file.write_text(f"{proc.pid}\n")
        assert sup.pid_file_holder(service) == proc.pid
    finally:
        proc.kill()
        proc.wait()
    assert sup.pid_file_holder(service) is None  # gone

"""The embedded supervisor, used where systemd is not PID 1 (containers, test roots).

One asyncio process per root runs the services of the last apply: daemons (respawned
only when their record says so, with a give-up rule), oneshots with stop actions, and
cron-scheduled jobs. Commands arrive as one JSON line per connection on a unix socket.
Daemons with a pid file (Ganeti's) are also known by it, since daemon-util starts and
stops them as well: status, stop and start look at whoever holds it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyganeti.host.cron import parse_cron
from pyganeti.host.layout import HostLayout, load_services
from pyganeti.host.render.services import Service, ServiceKind
from pyganeti.unixpath import usable

STOP_TIMEOUT = 20.0
# A respawned daemon that dies this many times within RESPAWN_WINDOW seconds of its
# start is given up on (as Shepherd does), rather than restarted forever.
RESPAWN_LIMIT = 5
RESPAWN_WINDOW = 5.0


@dataclass
class Unit:
    """Run-time state of one service."""

    service: Service
    wanted: bool = False
    process: asyncio.subprocess.Process | None = None
    status: str = "stopped"  # stopped | running | failed | enabled | done
    last_exit: int | None = None
    last_run: float | None = None
    started: float = 0.0  # time.monotonic() of the last daemon start
    quick_deaths: list[float] = field(default_factory=list)
    watcher: asyncio.Task[None] | None = None
    override: tuple[str, ...] | None = None  # a one-time command line (force-start)
    # Shepherd's disable: `start` refuses the service (force-start still runs it).
    enabled: bool = True
    note: str | None = None  # why the last run ended, when that was no failure

    def own_pid(self) -> int | None:
        """The pid of the daemon this supervisor started, while it runs."""
        if self.process is not None and self.process.returncode is None:
            return self.process.pid
        return None

    def pid(self) -> int | None:
        """The running daemon's pid: ours, else the pid file's live holder."""
        return self.own_pid() or pid_file_holder(self.service)

    def describe(self) -> dict[str, Any]:
        pid = self.pid() if self.service.kind is ServiceKind.DAEMON else None
        status = self.status
        if pid is not None:
            status = "running"
        elif status == "running":  # our child is gone but its watcher has not run yet
            status = "stopped"
        return {
            "name": self.service.name,
            "kind": self.service.kind.value,
            "status": status,
            "enabled": self.enabled,
            "note": None if pid is not None else self.note,
            "unavailable": self.service.unavailable,
            "pid": pid,
            "last_exit": self.last_exit,
            "last_run": self.last_run,
            "respawn": self.service.respawn,
            "schedule": self.service.schedule,
            "command": list(self.override or self.service.command),
        }


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def _alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie is not)."""
    cmdline = _cmdline(pid)
    if cmdline is None:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def pid_file_holder(service: Service) -> int | None:
    """The live process named by the service's pid file, if it runs this service's program.

    A stale pid file may name a reused pid: only a process whose command line holds the
    service's program (its path, or its module for `python -m`) counts.
    """
    if service.pid_file is None:
        return None
    try:
        pid = int(Path(service.pid_file).read_text().strip())
    except (OSError, ValueError):
        return None
    cmdline = _cmdline(pid) if pid > 0 else None
    if cmdline is None or not _alive(pid):
        return None
    words = service.command[:3] if service.command[1:2] == ("-m",) else service.command[:1]
    marker = words[-1].encode()
    return pid if marker in cmdline.split(b"\0") else None


def cron_due(schedule: str, moment: datetime.datetime) -> bool:
    """Whether cron `schedule` fires in the minute of `moment` (cron's day OR rule)."""
    cron = parse_cron(schedule)
    minute, hour, dom, month, dow = cron.fields
    cron_dow = (moment.isoweekday()) % 7
    day_ok_dom = moment.day in dom
    day_ok_dow = cron_dow in {d % 7 for d in dow}
    _, _, r_dom, _, r_dow = cron.restricted
    # Both day fields restricted: cron fires when either matches.
    day_ok = (day_ok_dom or day_ok_dow) if (r_dom and r_dow) else (day_ok_dom and day_ok_dow)
    return moment.minute in minute and moment.hour in hour and moment.month in month and day_ok


class Supervisor:
    """Starts, stops and watches the services of one root."""

    def __init__(self, layout: HostLayout) -> None:
        self.layout = layout
        self.units: dict[str, Unit] = {}
        self._stopping = asyncio.Event()

    # --- configuration ------------------------------------------------------------
    def reload(self) -> dict[str, Any]:
        """Read services.json again: new services appear stopped, removed ones must
        have been stopped by the caller first (apply does)."""
        services = {s.name: s for s in load_services(self.layout)}
        for name in list(self.units):
            if name not in services and self.units[name].status in ("stopped", "failed", "done"):
                del self.units[name]
        for name, service in services.items():
            if name in self.units:
                self.units[name].service = service
            else:
                self.units[name] = Unit(service)
        return {"services": sorted(self.units)}

    def unit(self, name: str) -> Unit:
        for unit in self.units.values():
            if name == unit.service.name or name in unit.service.aliases:
                return unit
        known = ", ".join(sorted(self.units)) or "none"
        raise LookupError(f"no service {name!r} (services: {known})")

    # --- processes ------------------------------------------------------------------
    async def _spawn(self, unit: Unit, command: tuple[str, ...]) -> asyncio.subprocess.Process:
        service = unit.service
        for d in service.directories:
            Path(d).mkdir(parents=True, exist_ok=True)
        self.layout.log_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(dict(service.environment))
        with self.layout.service_log(service.name).open("ab") as log:
            return await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    async def _run_to_end(self, unit: Unit, command: tuple[str, ...]) -> int:
        try:
            proc = await self._spawn(unit, command)
        except OSError as err:
            raise RuntimeError(f"{unit.service.name}: cannot run {command[0]}: {err}") from None
        unit.last_run = time.time()
        code = await proc.wait()
        unit.last_exit = code
        return code

    async def start(self, name: str, override: tuple[str, ...] | None = None) -> dict[str, Any]:
        unit = self.unit(name)
        kind = unit.service.kind
        if unit.service.unavailable is not None:
            raise RuntimeError(f"{unit.service.name} cannot run here: {unit.service.unavailable}")
        if not unit.enabled and override is None:
            raise RuntimeError(
                f"{unit.service.name} is disabled; enable it first (force-start still works)"
            )
        external = pid_file_holder(unit.service) if unit.own_pid() is None else None
        if external is not None:
            # Started outside the supervisor (daemon-util): it already runs.
            if override is not None:
                raise RuntimeError(
                    f"{unit.service.name} is running (pid {external}); stop it before a"
                    " forced start"
                )
            return unit.describe()
        if kind is ServiceKind.SCHEDULE:
            unit.wanted, unit.status = True, "enabled"
        elif kind is ServiceKind.ONESHOT:
            if unit.status != "done":
                code = await self._run_to_end(unit, unit.service.command)
                unit.status = "done" if code == 0 else "failed"
                if code != 0:
                    raise RuntimeError(f"{unit.service.name}: start command exited {code}")
        elif unit.process is None or unit.process.returncode is not None:
            unit.wanted, unit.override, unit.quick_deaths = True, override, []
            unit.note = None
            await self._start_daemon(unit)
        elif override is not None:
            raise RuntimeError(f"{unit.service.name} is running; stop it before a forced start")
        return unit.describe()

    async def _start_daemon(self, unit: Unit) -> None:
        command = unit.override or unit.service.command
        try:
            unit.process = await self._spawn(unit, command)
        except OSError as err:
            unit.status, unit.wanted = "failed", False
            raise RuntimeError(f"{unit.service.name}: cannot run {command[0]}: {err}") from None
        unit.status, unit.last_run, unit.started = "running", time.time(), time.monotonic()
        unit.watcher = asyncio.create_task(self._watch(unit, unit.process))

    async def _watch(self, unit: Unit, proc: asyncio.subprocess.Process) -> None:
        code = await proc.wait()
        if unit.process is not proc:
            return
        unit.last_exit = code
        if not unit.wanted:
            unit.status = "stopped"
            return
        if code == 0 and not unit.service.respawn:
            # Ganeti daemons exit 0 when told to stop (e.g. by daemon-util stop-all).
            unit.status, unit.wanted = "stopped", False
            return
        if code in unit.service.benign_exits:
            # e.g. no cluster yet, or not the master: the daemon is not for this node now.
            unit.status, unit.wanted = "stopped", False
            unit.note = f"exited {code}: not for this node now (see its log)"
            return
        unit.status = "failed"
        if not unit.service.respawn or unit.override is not None:
            # Ganeti daemons: ganeti-watcher decides about restarts, not us.
            unit.wanted = False
            return
        now = time.monotonic()
        if now - unit.started < RESPAWN_WINDOW:
            unit.quick_deaths.append(now)
        if len(unit.quick_deaths) >= RESPAWN_LIMIT:
            unit.wanted = False
            return
        await asyncio.sleep(min(2 ** len(unit.quick_deaths) * 0.1, 5.0))
        if unit.wanted and unit.process is proc:
            with contextlib.suppress(RuntimeError):
                await self._start_daemon(unit)

    async def stop(self, name: str) -> dict[str, Any]:
        unit = self.unit(name)
        unit.wanted = False
        kind = unit.service.kind
        if kind is ServiceKind.SCHEDULE:
            unit.status = "stopped"
        elif kind is ServiceKind.ONESHOT:
            if unit.status == "done" and unit.service.stop_command is not None:
                code = await self._run_to_end(unit, unit.service.stop_command)
                if code != 0:
                    unit.status = "failed"
                    raise RuntimeError(f"{unit.service.name}: stop command exited {code}")
            unit.status = "stopped"
        else:
            await self._terminate(unit)
            await self._terminate_external(unit)
            unit.override = None
        return unit.describe()

    async def _terminate_external(self, unit: Unit) -> None:
        """Stop the pid file's holder when it is not our child (daemon-util started it)."""
        pid = pid_file_holder(unit.service)
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while pid_file_holder(unit.service) == pid and _alive(pid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
            await asyncio.sleep(0.05)
        unit.status = "stopped"

    def set_enabled(self, name: str, enabled: bool) -> dict[str, Any]:
        unit = self.unit(name)
        unit.enabled = enabled
        return unit.describe()

    async def _terminate(self, unit: Unit) -> None:
        proc = unit.process
        if proc is None or proc.returncode is not None:
            unit.status = "stopped"
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        if unit.watcher is not None:
            await unit.watcher
        unit.status, unit.last_exit = "stopped", proc.returncode

    async def restart(self, name: str) -> dict[str, Any]:
        await self.stop(name)
        return await self.start(name)

    def status(self, name: str | None = None) -> Any:
        if name is not None:
            return self.unit(name).describe()
        return [u.describe() for u in sorted(self.units.values(), key=lambda u: u.service.name)]

    # --- schedules ------------------------------------------------------------------
    async def run_schedules(self) -> None:
        """Run enabled scheduled jobs at their cron minutes (never two runs at once)."""
        running: dict[str, asyncio.Task[int]] = {}
        while not self._stopping.is_set():
            now = datetime.datetime.now()
            nxt = (now + datetime.timedelta(minutes=1)).replace(second=0, microsecond=0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), (nxt - now).total_seconds())
            if self._stopping.is_set():
                break
            for unit in list(self.units.values()):
                s = unit.service
                if s.kind is not ServiceKind.SCHEDULE or not unit.wanted or s.schedule is None:
                    continue
                busy = running.get(s.name)
                if busy is not None and not busy.done():
                    continue
                if cron_due(s.schedule, nxt):
                    running[s.name] = asyncio.create_task(self._run_to_end(unit, s.command))

    # --- control socket -------------------------------------------------------------
    async def handle(self, request: dict[str, Any]) -> Any:
        op = request.get("op")
        name = request.get("name")
        if op == "status":
            return self.status(name)
        if op == "reload":
            return self.reload()
        if op == "shutdown":
            self._stopping.set()
            return "shutting down"
        if not isinstance(name, str):
            raise ValueError(f"operation {op!r} needs a service name")
        if op == "start":
            override = request.get("command")
            return await self.start(name, None if override is None else tuple(override))
        if op == "stop":
            return await self.stop(name)
        if op == "restart":
            return await self.restart(name)
        if op in ("enable", "disable"):
            return self.set_enabled(name, op == "enable")
        raise ValueError(f"unknown operation {op!r}")

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            try:
                answer = {"ok": True, "result": await self.handle(json.loads(line))}
            except (LookupError, ValueError, RuntimeError) as err:
                answer = {"ok": False, "error": str(err).strip("'\"")}
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
        finally:
            writer.close()

    async def serve(self) -> None:
        """Serve the control socket until a shutdown request, then stop everything."""
        self.reload()
        self.layout.run_dir.mkdir(parents=True, exist_ok=True)
        self.layout.socket.unlink(missing_ok=True)
        with usable(self.layout.socket) as bind_path:
            server = await asyncio.start_unix_server(self._client, path=bind_path)
        os.chmod(self.layout.socket, 0o600)
        self.layout.pid_file.write_text(f"{os.getpid()}\n")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stopping.set)
        async with server, asyncio.TaskGroup() as tasks:
            tasks.create_task(self.run_schedules())
            await self._stopping.wait()
            server.close()
            for unit in list(self.units.values()):
                if unit.service.kind is ServiceKind.DAEMON:
                    await self._terminate(unit)
        self.layout.socket.unlink(missing_ok=True)
        self.layout.pid_file.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyganeti.host.supervisor")
    parser.add_argument("--root", default="/", help="host root directory (default /)")
    args = parser.parse_args(argv)
    asyncio.run(Supervisor(HostLayout(Path(args.root).resolve())).serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The embedded supervisor, used where systemd is not PID 1 (containers, test roots).

One asyncio process per root runs the services of the last apply: daemons (respawned
only when their record says so, with a give-up rule), oneshots with stop actions, and
cron-scheduled jobs. Commands arrive as one JSON line per connection on a unix socket.
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

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.service.name,
            "kind": self.service.kind.value,
            "status": self.status,
            "pid": self.process.pid if self.process and self.process.returncode is None else None,
            "last_exit": self.last_exit,
            "last_run": self.last_run,
            "respawn": self.service.respawn,
            "schedule": self.service.schedule,
            "command": list(self.override or self.service.command),
        }


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
            unit.override = None
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

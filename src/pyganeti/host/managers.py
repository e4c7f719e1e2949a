"""Service managers: the embedded supervisor, or systemd where it is PID 1.

Both take the same requests (start, stop, restart, status, enable, disable, force-start);
`pick_manager` chooses systemd only for the real root of a machine booted with it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Protocol

from pyganeti.host import control
from pyganeti.host.errors import HostApplyError
from pyganeti.host.layout import HostLayout, load_services, write_atomically
from pyganeti.host.render.services import Service, ServiceKind
from pyganeti.host.render.systemd import UNIT_DIR, units


class ServiceManager(Protocol):
    """What apply and the CLI need from a supervisor."""

    def install(self, services: tuple[Service, ...]) -> None: ...

    def start(self, name: str, command: tuple[str, ...] | None = None) -> Any: ...

    def stop(self, name: str) -> Any: ...

    def restart(self, name: str) -> Any: ...

    def status(self, name: str | None = None) -> Any: ...

    def enable(self, name: str) -> Any: ...

    def disable(self, name: str) -> Any: ...


class EmbeddedManager:
    """Drives the embedded supervisor of a root (started on first install)."""

    def __init__(self, layout: HostLayout) -> None:
        self.layout = layout

    def install(self, services: tuple[Service, ...]) -> None:
        # services.json is already written by apply; (re)load it in the supervisor.
        control.ensure_supervisor(self.layout)

    def start(self, name: str, command: tuple[str, ...] | None = None) -> Any:
        args: dict[str, Any] = {"name": name}
        if command is not None:
            args["command"] = list(command)
        return control.request(self.layout, "start", **args)

    def stop(self, name: str) -> Any:
        return control.request(self.layout, "stop", name=name)

    def restart(self, name: str) -> Any:
        return control.request(self.layout, "restart", name=name)

    def status(self, name: str | None = None) -> Any:
        return control.request(self.layout, "status", name=name)

    def enable(self, name: str) -> Any:
        return control.request(self.layout, "enable", name=name)

    def disable(self, name: str) -> Any:
        return control.request(self.layout, "disable", name=name)


class SystemdManager:
    """Generated units under etc/systemd/system, driven with systemctl."""

    def __init__(self, root: Path, systemctl: str = "systemctl") -> None:
        self.root = root
        self.systemctl = systemctl
        self._kinds = {s.name: s.kind for s in load_services(HostLayout(root))}

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [self.systemctl, *args], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise HostApplyError(
                f"systemctl {' '.join(args)} failed: {result.stderr.strip() or result.stdout}"
            )
        return result.stdout

    def _unit(self, name: str) -> str:
        # A scheduled job is started and stopped through its timer.
        kind = self._kinds.get(name)
        return f"{name}.timer" if kind is ServiceKind.SCHEDULE else f"{name}.service"

    def install(self, services: tuple[Service, ...]) -> None:
        unit_dir = self.root / UNIT_DIR
        for file_name, text in units(services).items():
            write_atomically(unit_dir / file_name, text)
        self._kinds = {s.name: s.kind for s in services}
        self._run("daemon-reload")

    def start(self, name: str, command: tuple[str, ...] | None = None) -> Any:
        if command is not None:
            # A one-time different command line runs as a transient unit.
            return _systemd_run(name, command)
        return self._run("start", self._unit(name))

    def stop(self, name: str) -> Any:
        return self._run("stop", self._unit(name))

    def restart(self, name: str) -> Any:
        return self._run("restart", self._unit(name))

    def enable(self, name: str) -> Any:
        return self._run("unmask", "--runtime", self._unit(name))

    def disable(self, name: str) -> Any:
        # Shepherd's disable refuses later starts: systemd's equivalent is a (runtime) mask.
        return self._run("mask", "--runtime", self._unit(name))

    def status(self, name: str | None = None) -> Any:
        names = [name] if name is not None else sorted(self._kinds)
        out = []
        for n in names:
            result = subprocess.run(
                [self.systemctl, "is-active", self._unit(n)],
                capture_output=True,
                text=True,
                check=False,
            )
            out.append({"name": n, "status": result.stdout.strip() or "unknown"})
        return out[0] if name is not None else out


def _systemd_run(name: str, command: tuple[str, ...]) -> str:
    result = subprocess.run(
        ["systemd-run", f"--unit={name}-forced", "--", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise HostApplyError(f"systemd-run for {name} failed: {result.stderr.strip()}")
    return result.stderr.strip()


def systemd_is_pid1() -> bool:
    """Whether this machine was booted with systemd (sd_booted's test)."""
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def pick_manager(root: Path) -> ServiceManager:
    """systemd for the real root of a systemd machine, else the embedded supervisor."""
    if root == Path("/") and systemd_is_pid1():
        return SystemdManager(root)
    return EmbeddedManager(HostLayout(root))

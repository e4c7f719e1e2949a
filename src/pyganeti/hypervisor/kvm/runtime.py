"""Per-instance runtime files of the KVM hypervisor under Paths.kvm_run_dir.

Everything noded must know about a running VM is on disk, so a restarted noded (or
ganeti-kvmd) has full knowledge: pid/NAME (QEMU's pid), conf/NAME (JSON runtime record:
command line, instance, accelerator, taps, console logger), ctrl/NAME.* (sockets and the
user-shutdown marker). Unix socket paths hold 108 bytes at most, so when the root is deep
the ctrl directory is a symlink to a short directory under /tmp.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
from pathlib import Path
from typing import Any

from pyganeti import errors
from pyganeti.paths import Paths

# Longest ctrl directory used in place; deeper roots get a short directory in /tmp so
# that "/NAME.console" still fits in sun_path's 108 bytes for names of ~50 characters.
_MAX_SOCKET_DIR = 48
_SUN_PATH = 107


def check_name(name: str) -> str:
    if not name or "/" in name or name.startswith(".") or "\0" in name or len(name) > 64:
        raise errors.HypervisorError(f"invalid instance name {name!r}")
    return name


def pid_alive(pid: int) -> bool:
    """True if `pid` runs and is not a zombie."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def process_start_time(pid: int) -> str | None:
    """The kernel's start time of `pid` (field 22 of stat): tells a reused pid apart."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[19]
    except (OSError, IndexError):
        return None


class RuntimeDir:
    """The KVM runtime directory of one node."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.root = paths.kvm_run_dir

    # --- layout --------------------------------------------------------------------
    @property
    def pid_dir(self) -> Path:
        return self.root / "pid"

    @property
    def conf_dir(self) -> Path:
        return self.root / "conf"

    @property
    def ctrl_dir(self) -> Path:
        return self.root / "ctrl"

    @property
    def console_log_dir(self) -> Path:
        return self.paths.log_dir / "kvm"

    def ensure(self) -> None:
        for d in (self.root, self.pid_dir, self.conf_dir, self.nvram_dir, self.console_log_dir):
            d.mkdir(parents=True, exist_ok=True, mode=0o750)
        short = self._short_dir()
        if short is None:
            self.ctrl_dir.mkdir(mode=0o750, exist_ok=True)
            return
        short.mkdir(mode=0o750, exist_ok=True)
        if not self.ctrl_dir.is_symlink():
            os.symlink(short, self.ctrl_dir)

    def _short_dir(self) -> Path | None:
        """Where sockets go for a deep root (None: in ctrl/ itself)."""
        if len(str(self.ctrl_dir)) <= _MAX_SOCKET_DIR:
            return None
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        return Path("/tmp") / f"pyganeti-kvm-{digest}"

    @property
    def socket_dir(self) -> Path:
        """The directory QEMU and clients are given for sockets (computed, never created:
        queries and ganeti-kvmd must not create directories on nodes without VMs)."""
        return self._short_dir() or self.ctrl_dir

    def pid_file(self, name: str) -> Path:
        return self.pid_dir / check_name(name)

    def conf_file(self, name: str) -> Path:
        return self.conf_dir / check_name(name)

    def qmp_socket(self, name: str) -> Path:
        return self.socket_dir / f"{check_name(name)}.qmp"

    def kvmd_socket(self, name: str) -> Path:
        # A second QMP socket: QMP serves one client per socket and ganeti-kvmd stays on.
        return self.socket_dir / f"{check_name(name)}.kvmd"

    def serial_socket(self, name: str) -> Path:
        return self.socket_dir / f"{check_name(name)}.serial"

    def console_socket(self, name: str) -> Path:
        return self.socket_dir / f"{check_name(name)}.console"

    def shutdown_marker(self, name: str) -> Path:
        return self.socket_dir / f"{check_name(name)}.shutdown"

    def check_socket_room(self, name: str) -> None:
        longest = self.socket_dir / f"{check_name(name)}.shutdown"
        if len(str(longest).encode()) > _SUN_PATH:
            raise errors.HypervisorError(
                f"instance name {name!r} is too long for unix sockets under {self.socket_dir}"
            )

    @property
    def nvram_dir(self) -> Path:
        return self.root / "nvram"

    def uefi_vars(self, name: str) -> Path:
        """The VM's own UEFI variable store (kept across restarts, like a real NVRAM)."""
        return self.nvram_dir / f"{check_name(name)}.fd"

    def console_log(self, name: str) -> Path:
        return self.console_log_dir / f"{check_name(name)}.log"

    # --- records -------------------------------------------------------------------
    def names(self) -> list[str]:
        """Instances with a runtime record or a user-shutdown marker."""
        found: set[str] = set()
        with contextlib.suppress(FileNotFoundError):
            found.update(n for n in os.listdir(self.conf_dir) if not n.startswith("."))
        with contextlib.suppress(FileNotFoundError):
            found.update(
                n.removesuffix(".shutdown")
                for n in os.listdir(self.socket_dir)
                if n.endswith(".shutdown")
            )
        return sorted(found)

    def write_conf(self, name: str, record: dict[str, Any]) -> None:
        self.ensure()
        target = self.conf_file(name)
        tmp = target.with_name(f".{name}.tmp")
        tmp.write_text(json.dumps(record, sort_keys=True))
        os.replace(tmp, target)

    def read_conf(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self.conf_file(name).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise errors.HypervisorError(f"corrupt KVM runtime of {name}: {err}") from None
        if not isinstance(data, dict):
            raise errors.HypervisorError(f"corrupt KVM runtime of {name}: not an object")
        return data

    def write_pid(self, name: str, pid: int) -> None:
        self.ensure()
        target = self.pid_file(name)
        tmp = target.with_name(f".{name}.tmp")
        tmp.write_text(f"{pid} {process_start_time(pid) or ''}\n")
        os.replace(tmp, target)

    def qemu_pid(self, name: str) -> int | None:
        """QEMU's pid if that process still runs (and is the one we started)."""
        try:
            fields = self.pid_file(name).read_text().split()
            pid = int(fields[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
        started = fields[1] if len(fields) > 1 else None
        if not pid_alive(pid):
            return None
        if started and process_start_time(pid) != started:
            return None
        return pid

    def is_user_shutdown(self, name: str) -> bool:
        return self.shutdown_marker(name).exists()

    def mark_user_shutdown(self, name: str) -> None:
        self.shutdown_marker(name).touch()

    def clear_user_shutdown(self, name: str) -> None:
        self.shutdown_marker(name).unlink(missing_ok=True)

    def remove(self, name: str, keep_marker: bool = False) -> None:
        """Drop the runtime files of a VM that no longer runs (the console log stays)."""
        for path in (
            self.pid_file(name),
            self.conf_file(name),
            self.qmp_socket(name),
            self.kvmd_socket(name),
            self.serial_socket(name),
            self.console_socket(name),
        ):
            path.unlink(missing_ok=True)
        if not keep_marker:
            self.clear_user_shutdown(name)

    def prune(self) -> None:
        """Remove an empty short socket directory (and its link) once no VM needs it."""
        short = self._short_dir()
        if short is None or self.names():
            return
        with contextlib.suppress(OSError):
            short.rmdir()  # fails, harmlessly, while anything is still in it
            self.ctrl_dir.unlink(missing_ok=True)

    def remove_console_logs(self, name: str) -> None:
        log = self.console_log(name)
        for path in log.parent.glob(f"{log.name}*"):
            if path.name == log.name or path.name[len(log.name) + 1 :].isdigit():
                path.unlink(missing_ok=True)


def kill_pid(pid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)

"""The KVM hypervisor: QEMU processes described by runtime files, controlled over QMP.

start: taps, console logger, QEMU (-daemonize) and the runtime record; stop: ACPI
powerdown over QMP, SIGKILL after the timeout; reboot: a fresh QEMU from the saved
command line. A VM that exits by itself is reaped on the next query; one that the guest
(or kill -TERM) shut down stays listed as "user down" once ganeti-kvmd marked it so.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from typing import TYPE_CHECKING, Any, ClassVar

from pyganeti import errors
from pyganeti.hypervisor import linuxinfo
from pyganeti.hypervisor.base import (
    CONS_MESSAGE,
    CONS_SSH,
    CONS_VNC,
    STATE_RUNNING,
    STATE_USER_DOWN,
    AttachedDisk,
    Hypervisor,
    InstanceInfo,
    NeedsPaths,
    Param,
)
from pyganeti.hypervisor.kvm import accel, cmdline, console, migration, nics, params, qmp
from pyganeti.hypervisor.kvm.runtime import RuntimeDir, kill_pid, pid_alive
from pyganeti.paths import Paths

log = logging.getLogger(__name__)

QEMU_START_TIMEOUT = 60.0
KILL_WAIT = 10.0
# One lifecycle change at a time per node: queries reap dead VMs, which must not race
# with a start or reboot that is between launching QEMU and recording it.
_LIFECYCLE = threading.RLock()


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class KvmHypervisor(NeedsPaths):
    """Ganeti's kvm hypervisor."""

    NAME: ClassVar[str] = "kvm"
    PARAMETERS: ClassVar[dict[str, Param]] = params.PARAMETERS
    CAN_MIGRATE: ClassVar[bool] = True
    SUPPORTS_USER_SHUTDOWN: ClassVar[bool] = True

    def __init__(self, paths: Paths) -> None:
        super().__init__(paths)
        self.rt = RuntimeDir(paths)

    # --- parameters -------------------------------------------------------------------
    @classmethod
    def coerce_parameters(cls, hvparams: dict[str, Any]) -> dict[str, Any]:
        """Typed values for parameters given as strings (e.g. on the command line)."""
        return params.coerce(hvparams)

    @classmethod
    def check_parameter_syntax(cls, hvparams: dict[str, Any]) -> None:
        params.check_syntax(hvparams)

    def validate_parameters(self, hvparams: dict[str, Any]) -> None:
        params.check_on_node(hvparams)

    # --- launching --------------------------------------------------------------------
    def _sockets(self, name: str) -> cmdline.Sockets:
        return cmdline.Sockets(
            qmp=self.rt.qmp_socket(name),
            kvmd=self.rt.kvmd_socket(name),
            serial=self.rt.serial_socket(name),
            pid_file=self.rt.pid_file(name),
            guest_agent=self.rt.socket_dir / f"{name}.qga",
            uefi_vars=self.rt.uefi_vars(name),
        )

    def _start_logger(self, name: str) -> int:
        return console.start_logger(
            console.logger_command(
                self.rt.serial_socket(name),
                self.rt.console_socket(name),
                self.rt.console_log(name),
                self.rt.pid_file(name),
            ),
            self.rt.serial_socket(name),
        )

    def _launch(self, name: str, record: dict[str, Any]) -> None:
        """Start the logger and QEMU for `record` and save the runtime (lock held)."""
        hv = record["instance"].get("hvparams") or {}
        self.rt.pid_file(name).unlink(missing_ok=True)
        logger_pid = self._start_logger(name) if hv.get("serial_console", True) else 0
        try:
            proc = subprocess.run(
                record["argv"],
                capture_output=True,
                text=True,
                timeout=QEMU_START_TIMEOUT,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            kill_pid(logger_pid)
            raise errors.HypervisorError(f"Failed to start instance {name}: {err}") from None
        pid = self._read_qemu_pid(name)
        if proc.returncode != 0 or pid is None:
            kill_pid(logger_pid)
            detail = proc.stderr.strip() or f"exit code {proc.returncode}"
            raise errors.HypervisorError(f"Failed to start instance {name}: {detail}")
        self.rt.write_pid(name, pid)
        record.update(pid=pid, logger_pid=logger_pid, started=time.time())
        self.rt.write_conf(name, record)

    def _read_qemu_pid(self, name: str) -> int | None:
        try:
            return int(self.rt.pid_file(name).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def start(
        self,
        instance: dict[str, Any],
        disks: list[AttachedDisk],
        startup_paused: bool,
        incoming: str | None = None,
    ) -> None:
        name = str(instance.get("name", ""))
        hv = params.filled(instance.get("hvparams"))
        params.check_on_node(hv)
        instance = {**instance, "hvparams": hv}
        with _LIFECYCLE:
            self.rt.ensure()
            self.rt.check_socket_room(name)
            if self.rt.qemu_pid(name) is not None:
                raise errors.HypervisorError(f"Failed to start instance {name}: already running")
            self._cleanup(name)
            self.rt.ensure()  # the cleanup may have pruned an empty socket directory
            choice = accel.choose(self.paths, str(hv["kvm_path"]), str(hv["kvm_flag"]))
            if choice.warning:
                log.warning("instance %s: %s", name, choice.warning)
            if params.effective_boot_type(hv) == "uefi" and not self.rt.uefi_vars(name).exists():
                shutil.copyfile(params.OVMF_VARS, self.rt.uefi_vars(name))
            taps = nics.create_taps(instance)
            try:
                spec = cmdline.LaunchSpec(
                    disks=disks,
                    nics=taps,
                    sockets=self._sockets(name),
                    accel=choice.accel,
                    incoming=incoming,
                    extra=["-S"] if startup_paused or incoming else [],
                )
                record = {
                    "instance": instance,
                    "argv": cmdline.build(instance, spec),
                    "accel": choice.accel,
                    "accel_reason": choice.reason,
                    "taps": [t.tap for t in taps],
                    "disks": [d.path for d in disks],
                }
                self._launch(name, record)
            except BaseException:
                nics.remove_taps([t.tap for t in taps])
                raise
        if hv.get("user_shutdown"):
            self._ensure_kvmd()

    def _ensure_kvmd(self) -> None:
        # As Ganeti: instances with user_shutdown need ganeti-kvmd watching them.
        from pyganeti.daemons import util  # lazy: avoids importing daemon code for queries

        try:
            if util.read_pid(self.paths, util.get_daemon("ganeti-kvmd")) is None:
                util.start(self.paths, "ganeti-kvmd", quiet=True)
        except errors.GenericError as err:
            log.warning("cannot start ganeti-kvmd: %s", err)

    # --- stopping ---------------------------------------------------------------------
    @staticmethod
    def _stop_logger(record: dict[str, Any]) -> None:
        raw = record.get("logger_pid")
        logger_pid = raw if isinstance(raw, int) else 0
        # The pid is only trusted while it still names our logger (pids get reused).
        if pid_alive(logger_pid) and "kvm.console" in _cmdline(logger_pid):
            kill_pid(logger_pid)
            wait_gone(logger_pid, KILL_WAIT)

    def _cleanup(self, name: str, keep_marker: bool = False) -> None:
        """Remove what a VM that no longer runs left: logger, taps, runtime files."""
        record = self.rt.read_conf(name) or {}
        self._stop_logger(record)
        nics.remove_taps([str(t) for t in record.get("taps", [])])
        self.rt.remove(name, keep_marker=keep_marker)
        self.rt.prune()

    def _kill(self, name: str, pid: int) -> None:
        kill_pid(pid)
        if not wait_gone(pid, KILL_WAIT):
            raise errors.HypervisorError(f"instance {name}: QEMU (pid {pid}) survived SIGKILL")

    def stop(
        self, instance: dict[str, Any], force: bool, timeout: int | None, name: str | None = None
    ) -> None:
        name = name or str(instance.get("name", ""))
        hv = params.filled(instance.get("hvparams"))
        with _LIFECYCLE:
            pid = self.rt.qemu_pid(name)
            known = pid is not None or self.rt.read_conf(name) is not None
            if not known and not self.rt.is_user_shutdown(name):
                raise errors.HypervisorError(f"Failed to stop instance {name}: not running")
            if pid is not None and not force and hv.get("acpi", True):
                try:
                    # ganeti-kvmd sees the POWERDOWN event: this shutdown is Ganeti's.
                    qmp.execute(self.rt.qmp_socket(name), "system_powerdown")
                except errors.HypervisorError as err:
                    log.warning("instance %s: ACPI powerdown failed: %s", name, err)
                if wait_gone(pid, float(timeout if timeout is not None else 120)):
                    pid = None
                else:
                    log.warning("instance %s ignored the ACPI powerdown; killing it", name)
            if pid is not None:
                self._kill(name, pid)
            self._cleanup(name)

    def reboot(self, instance: dict[str, Any]) -> None:
        """As Ganeti: a new QEMU process from the saved command line."""
        name = str(instance.get("name", ""))
        with _LIFECYCLE:
            pid = self.rt.qemu_pid(name)
            record = self.rt.read_conf(name)
            if pid is None or record is None:
                raise errors.HypervisorError(f"Failed to reboot instance {name}: not running")
            self._kill(name, pid)
            self._stop_logger(record)
            self._launch(name, record)

    # --- migration (see migration.py) ------------------------------------------------
    def accept_instance(
        self, instance: dict[str, Any], disks: list[AttachedDisk], address: str
    ) -> None:
        migration.accept(self, instance, disks, address)

    def migrate_instance(self, instance: dict[str, Any], target: str, live: bool) -> None:
        migration.migrate(self, instance, target, live)

    def get_migration_status(self, instance: dict[str, Any]) -> dict[str, Any]:
        return migration.status(self, instance)

    def finalize_migration_dst(self, instance: dict[str, Any], success: bool) -> None:
        migration.finalize_target(self, instance, success)

    def finalize_migration_src(self, instance: dict[str, Any], success: bool, live: bool) -> None:
        migration.finalize_source(self, instance, success, live)

    # --- queries ----------------------------------------------------------------------
    def _reap(self, name: str) -> None:
        """Clean up after a VM whose QEMU exited by itself (keeping a user-down mark)."""
        with _LIFECYCLE:
            if self.rt.qemu_pid(name) is None and self.rt.read_conf(name) is not None:
                self._cleanup(name, keep_marker=True)

    def get_instance_info(
        self, name: str, hvparams: dict[str, Any] | None = None
    ) -> InstanceInfo | None:
        pid = self.rt.qemu_pid(name)
        if pid is None:
            self._reap(name)
            if self.rt.is_user_shutdown(name):
                return InstanceInfo(name, "-1", 0, 0, STATE_USER_DOWN, 0.0)
            return None
        record = self.rt.read_conf(name) or {}
        be = (record.get("instance") or {}).get("beparams") or {}
        return InstanceInfo(
            name=name,
            id=str(pid),
            memory=int(be.get("maxmem", 0)),
            vcpus=int(be.get("vcpus", 1)),
            state=STATE_RUNNING,
            time=max(time.time() - float(record.get("started", time.time())), 0.0),
        )

    def get_all_instances_info(self, hvparams: dict[str, Any] | None = None) -> list[InstanceInfo]:
        infos = (self.get_instance_info(name) for name in self.rt.names())
        return [info for info in infos if info is not None]

    def list_instances(self, hvparams: dict[str, Any] | None = None) -> list[str]:
        return [info.name for info in self.get_all_instances_info(hvparams)]

    def get_node_info(self, hvparams: dict[str, Any] | None = None) -> dict[str, int]:
        return {**linuxinfo.read_meminfo(), **linuxinfo.read_cpuinfo()}

    def verify(self, hvparams: dict[str, Any] | None = None) -> str | None:
        kvm_path = str(params.filled(hvparams)["kvm_path"])
        try:
            subprocess.run([kvm_path, "--version"], capture_output=True, check=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as err:
            return f"The KVM binary ('{kvm_path}') does not run: {err}"
        return None

    def runtime_record(self, name: str) -> dict[str, Any] | None:
        """The saved runtime of `name` (command line, accelerator, taps...)."""
        return self.rt.read_conf(name)

    def console_log(self, name: str, max_bytes: int, with_backups: bool) -> bytes:
        """The tail of the serial console log of `name` (with rotated backups)."""
        return console.read_log(self.rt.console_log(name), max_bytes, with_backups)

    def remove_instance_files(self, name: str) -> None:
        """Drop what outlives a VM's runs (console logs, UEFI variables): on removal."""
        if self.rt.qemu_pid(name) is not None:
            raise errors.HypervisorError(f"instance {name} is running: its files stay")
        self.rt.remove_console_logs(name)
        self.rt.uefi_vars(name).unlink(missing_ok=True)

    def get_console_info(self, instance: dict[str, Any]) -> dict[str, Any]:
        from pyganeti.netutils import my_node_name

        name = str(instance.get("name"))
        hv = params.filled(instance.get("hvparams"))
        host = my_node_name(self.paths)
        if hv.get("serial_console"):
            return {
                "instance": name,
                "kind": CONS_SSH,
                "host": host,
                "user": "root",
                "command": console.attach_command(self.rt.console_socket(name)),
                # For gnt-instance console --show-log (run on the node like "command").
                "log_command": console.show_log_command(self.rt.console_log(name)),
            }
        if hv.get("vnc_bind_address"):
            port = int(instance.get("network_port") or 0)
            return {
                "instance": name,
                "kind": CONS_VNC,
                "host": hv["vnc_bind_address"],
                "port": port,
                "display": port - cmdline.VNC_BASE_PORT,
            }
        return {"instance": name, "kind": CONS_MESSAGE, "message": "No serial shell for instance"}


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


if TYPE_CHECKING:
    _conforms: type[Hypervisor] = KvmHypervisor

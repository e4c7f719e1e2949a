"""Expansion of a host configuration into managed files and services.

A `Service` is what a supervisor runs: a daemon, a scheduled job or a oneshot with a
stop action. Ganeti daemons are not respawned (the seed's policy: ganeti-watcher
restarts them, and blind respawning would fight master failover); libvirt's are.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum

from pyganeti.errors import EXIT_NOTCLUSTER, EXIT_NOTMASTER
from pyganeti.host.guest_vm import guest_vm_command
from pyganeti.host.records.ganeti import GanetiConfiguration
from pyganeti.host.records.guest_vm import GuestVmConfiguration
from pyganeti.host.records.host import HostConfiguration
from pyganeti.host.records.libvirt import LibvirtConfiguration
from pyganeti.host.records.qemu_binfmt import QemuBinfmtConfiguration
from pyganeti.host.records.virtlog import VirtlogConfiguration
from pyganeti.host.render.commands import (
    DAEMON_NAMES,
    cleaner_commands,
    daemon_command,
    program,
    unavailable_reason,
    watcher_command,
)
from pyganeti.host.render.files import FileSpec, under_root
from pyganeti.host.render.ganeti_etc import daemon_configurations, render_ganeti_etc
from pyganeti.host.render.libvirt_conf import render_libvirtd_conf, render_virtlogd_conf
from pyganeti.host.render.os_providers import render_os_providers
from pyganeti.paths import Paths

LIBVIRTD_CONF = "etc/libvirt/libvirtd.conf"
VIRTLOGD_CONF = "etc/libvirt/virtlogd.conf"
BINFMT_PREFIX = "qemu-"


class ServiceKind(StrEnum):
    DAEMON = "daemon"  # a long-running process
    SCHEDULE = "schedule"  # a command run on a cron schedule
    ONESHOT = "oneshot"  # a command run at start, `stop_command` undoing it at stop


@dataclass(frozen=True)
class Service:
    """One supervised service of the host."""

    name: str
    kind: ServiceKind
    command: tuple[str, ...]
    description: str = ""
    respawn: bool = False
    schedule: str | None = None
    stop_command: tuple[str, ...] | None = None
    environment: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    # Absolute directories created before the service starts.
    directories: tuple[str, ...] = ()
    # Managed files (relative to the root) the service reads: a change restarts it.
    config_files: tuple[str, ...] = ()
    # Absolute pid file the daemon keeps itself. Ganeti's daemons do, and daemon-util
    # starts and stops them too: the supervisor trusts the pid file over its own child.
    pid_file: str | None = None
    # Exit codes that mean "not for this node (yet)", not failure: Ganeti's
    # EXIT_NOTCLUSTER and EXIT_NOTMASTER, as daemon-util treats them.
    benign_exits: tuple[int, ...] = ()
    # Why this service cannot run here (its program is missing); None when it can.
    unavailable: str | None = None

    def __post_init__(self) -> None:
        if (self.kind is ServiceKind.SCHEDULE) != (self.schedule is not None):
            raise ValueError(f"{self.name}: only scheduled services have a schedule")
        if self.stop_command is not None and self.kind is not ServiceKind.ONESHOT:
            raise ValueError(f"{self.name}: only oneshot services have a stop command")


@dataclass(frozen=True)
class HostPlan:
    """Everything a host configuration produces under one root."""

    root: str
    files: tuple[FileSpec, ...]
    services: tuple[Service, ...]
    ganeti: bool  # whether the Ganeti directory layout is needed
    notes: tuple[str, ...] = ()  # what the user should know (e.g. a provider not found)

    def service(self, name: str) -> Service:
        """The service called `name` (or with that alias); KeyError naming the known ones."""
        for s in self.services:
            if name == s.name or name in s.aliases:
                return s
        known = ", ".join(s.name for s in self.services) or "none"
        raise KeyError(f"no service {name!r} in this host configuration (services: {known})")


def _ganeti_services(config: GanetiConfiguration, root: str) -> list[Service]:
    env = () if root in ("", "/") else (("GANETI_ROOT", root),)
    paths = Paths.from_root(root or "/")
    services: list[Service] = []
    for daemon in daemon_configurations(config):
        command = daemon_command(daemon, root)
        name = DAEMON_NAMES[type(daemon)]
        services.append(
            Service(
                name,
                ServiceKind.DAEMON,
                command,
                description=daemon.DOC,
                environment=env,
                pid_file=str(paths.pid_file(name)),
                benign_exits=(EXIT_NOTCLUSTER, EXIT_NOTMASTER),
                unavailable=unavailable_reason(command),
            )
        )
    watcher = config.watcher_configuration
    services.append(
        Service(
            "ganeti-watcher",
            ServiceKind.SCHEDULE,
            watcher_command(watcher),
            description=watcher.DOC,
            schedule=watcher.schedule,
            environment=env,
            unavailable=unavailable_reason(watcher_command(watcher)),
        )
    )
    for role, (schedule, command) in cleaner_commands(config.cleaner_configuration).items():
        services.append(
            Service(
                f"ganeti-cleaner-{role}",
                ServiceKind.SCHEDULE,
                command,
                description=f"ganeti-cleaner, {role} job: removes old files.",
                schedule=schedule,
                environment=env,
                unavailable=unavailable_reason(command),
            )
        )
    return services


def libvirtd_service(config: LibvirtConfiguration, root: str) -> Service:
    """libvirtd run on its rendered configuration file."""
    command = [
        program(config.libvirt, "libvirtd", "sbin"),
        "-f",
        under_root(root, "/" + LIBVIRTD_CONF),
    ]
    # libvirtd refuses to start listening on TLS without certificates, so --listen is
    # only given when a TCP listener is wanted or TLS has its key and certificate.
    if config.listen_tcp or (config.listen_tls and config.key_file and config.cert_file):
        command.append("--listen")
    directories = [config.unix_sock_dir]
    if root not in ("", "/"):
        command += ["--pid-file", under_root(root, "/var/run/libvirtd.pid")]
        directories.append(under_root(root, "/var/run"))
    return Service(
        "libvirtd",
        ServiceKind.DAEMON,
        tuple(command),
        description=config.DOC,
        respawn=True,
        directories=tuple(directories),
        config_files=(LIBVIRTD_CONF,),
    )


def virtlogd_service(config: VirtlogConfiguration, root: str) -> Service:
    """virtlogd run on its rendered configuration file."""
    command = ["virtlogd", "-f", under_root(root, "/" + VIRTLOGD_CONF)]
    directories: tuple[str, ...] = ()
    if root not in ("", "/"):
        command += ["--pid-file", under_root(root, "/var/run/virtlogd.pid")]
        directories = (under_root(root, "/var/run"),)
    return Service(
        "virtlogd",
        ServiceKind.DAEMON,
        tuple(command),
        description=config.DOC,
        respawn=True,
        directories=directories,
        config_files=(VIRTLOGD_CONF,),
    )


def qemu_binfmt_service(config: QemuBinfmtConfiguration, prefix: str = BINFMT_PREFIX) -> Service:
    """A oneshot registering the binfmt_misc handlers at start, removing them at stop."""
    names = tuple(p.name for p in config.platforms)
    base = (sys.executable, "-m", "pyganeti.host.binfmt")
    opts = ("--prefix", prefix, "--qemu", config.qemu)
    return Service(
        "qemu-binfmt",
        ServiceKind.ONESHOT,
        (*base, "register", *opts, *names),
        description=config.DOC,
        stop_command=(*base, "unregister", *opts, *names),
    )


def guest_vm_service(vm: GuestVmConfiguration, run_dir: str) -> Service:
    """The VM runner: boots QEMU, then delivers secret-root through the secrets port."""
    name, alias = vm.service_names
    return Service(
        name,
        ServiceKind.DAEMON,
        guest_vm_command(vm, run_dir),
        description=vm.DOC,
        aliases=(alias,),
        directories=(run_dir,),
    )


def expand(host: HostConfiguration, root: str = "/") -> HostPlan:
    """All files and services `host` describes, for a host whose root is `root`."""
    files: list[FileSpec] = []
    services: list[Service] = []
    notes: tuple[str, ...] = ()
    if host.ganeti is not None:
        files += render_ganeti_etc(host.ganeti, root)
        providers = render_os_providers(host.ganeti, root)
        files += providers.files
        notes = providers.notes
        services += _ganeti_services(host.ganeti, root)
    if host.libvirt is not None:
        files.append(FileSpec(LIBVIRTD_CONF, content=render_libvirtd_conf(host.libvirt)))
        services.append(libvirtd_service(host.libvirt, root))
    if host.virtlog is not None:
        files.append(FileSpec(VIRTLOGD_CONF, content=render_virtlogd_conf(host.virtlog)))
        services.append(virtlogd_service(host.virtlog, root))
    if host.qemu_binfmt is not None:
        services.append(qemu_binfmt_service(host.qemu_binfmt))
    run_dir = under_root(root, "/var/run/pyganeti-host")
    for vm in host.hurd_vm:
        services.append(guest_vm_service(vm, run_dir))
    return HostPlan(root, tuple(files), tuple(services), host.ganeti is not None, notes)

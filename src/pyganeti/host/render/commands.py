"""Command lines of the Ganeti daemons and periodic jobs, derived from their records.

Options are pyganeti's daemon options (Ganeti's long names): --port, --bind, --interface,
--max-clients, --no-ssl, --ssl-key, --ssl-cert, --require-authentication, --no-voting,
--yes-do-it, --debug and --root (given to daemons when the host root is not "/").
The default package, "ganeti", is pyganeti itself: its programs run as modules of the
Python running pyganeti, never whatever else PATH holds (Debian's Ganeti is in /usr/sbin).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

from pyganeti.host.records.ganeti import (
    DEFAULT_SSL_FILE,
    GanetiCleanerConfiguration,
    GanetiConfdConfiguration,
    GanetiKvmdConfiguration,
    GanetiLuxidConfiguration,
    GanetiMetadConfiguration,
    GanetiMondConfiguration,
    GanetiNodedConfiguration,
    GanetiRapiConfiguration,
    GanetiWatcherConfiguration,
    GanetiWconfdConfiguration,
)

DaemonConfiguration = (
    GanetiNodedConfiguration
    | GanetiConfdConfiguration
    | GanetiWconfdConfiguration
    | GanetiLuxidConfiguration
    | GanetiRapiConfiguration
    | GanetiKvmdConfiguration
    | GanetiMondConfiguration
    | GanetiMetadConfiguration
)

DAEMON_NAMES: dict[type, str] = {
    GanetiNodedConfiguration: "ganeti-noded",
    GanetiConfdConfiguration: "ganeti-confd",
    GanetiWconfdConfiguration: "ganeti-wconfd",
    GanetiLuxidConfiguration: "ganeti-luxid",
    GanetiRapiConfiguration: "ganeti-rapi",
    GanetiKvmdConfiguration: "ganeti-kvmd",
    GanetiMondConfiguration: "ganeti-mond",
    GanetiMetadConfiguration: "ganeti-metad",
}

DEFAULT_PACKAGE = "ganeti"

# pyganeti's implementation of each Ganeti program. Programs whose module does not exist
# (yet) are rendered all the same, and reported unavailable instead of being started.
PYGANETI_MODULES: dict[str, str] = {
    "ganeti-noded": "pyganeti.daemons.noded",
    "ganeti-confd": "pyganeti.daemons.confd",
    "ganeti-wconfd": "pyganeti.daemons.wconfd",
    "ganeti-luxid": "pyganeti.daemons.luxid",
    "ganeti-rapi": "pyganeti.daemons.rapi",
    "ganeti-kvmd": "pyganeti.daemons.kvmd",
    "ganeti-mond": "pyganeti.daemons.mond",
    "ganeti-metad": "pyganeti.daemons.metad",
    "ganeti-watcher": "pyganeti.tools.watcher",
    "ganeti-cleaner": "pyganeti.tools.cleaner",
}

# What `force-start ganeti-wconfd` adds: start on a node that is not (yet) the voted
# master, without asking, as Guix's force-start action does for master failover.
FORCE_START_OPTIONS = ("--force-node", "--no-voting", "--yes-do-it")


def program(package: str, name: str, subdir: str = "bin") -> str:
    """The program `name` of `package`: on PATH for a package name, else under a prefix."""
    if "/" in package:
        return f"{package.rstrip('/')}/{subdir}/{name}"
    return name


def ganeti_program(package: str, name: str) -> tuple[str, ...]:
    """The command running Ganeti program `name` of `package` (see the module docstring)."""
    if package == DEFAULT_PACKAGE and name in PYGANETI_MODULES:
        return (sys.executable, "-m", PYGANETI_MODULES[name])
    return (program(package, name),)


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def unavailable_reason(command: tuple[str, ...]) -> str | None:
    """Why `command` cannot run on this host (None when it can), checked before starting."""
    if len(command) >= 3 and command[0] == sys.executable and command[1] == "-m":
        if not _module_exists(command[2]):
            return f"not implemented by pyganeti yet (no module {command[2]})"
        return None
    exe = command[0]
    if "/" in exe:
        if not os.access(exe, os.X_OK):
            return f"{exe} is not an executable file"
        return None
    if shutil.which(exe) is None:
        return f"{exe} is not on PATH"
    return None


def _root_args(root: str) -> list[str]:
    return [] if root in ("", "/") else ["--root", root]


def _tls_args(ssl: bool, key: str, cert: str) -> list[str]:
    if not ssl:
        return ["--no-ssl"]
    args: list[str] = []
    # The default files are left to the daemon, which relocates them under --root.
    if key != DEFAULT_SSL_FILE:
        args += ["--ssl-key", key]
    if cert != DEFAULT_SSL_FILE:
        args += ["--ssl-cert", cert]
    return args


def daemon_options(config: DaemonConfiguration) -> tuple[str, ...]:
    """The options the daemon `config` describes (what etc/default/ganeti holds too)."""
    args: list[str] = []
    if isinstance(config, GanetiNodedConfiguration | GanetiRapiConfiguration):
        args += ["--port", str(config.port)]
        # The daemons take one of --bind and --interface; an interface wins, as in Ganeti.
        if config.interface is not None:
            args += ["--interface", config.interface]
        else:
            args += ["--bind", config.address]
        args += ["--max-clients", str(config.max_clients)]
        args += _tls_args(config.ssl, config.ssl_key, config.ssl_cert)
        if isinstance(config, GanetiRapiConfiguration) and config.require_authentication:
            args.append("--require-authentication")
    elif isinstance(config, GanetiConfdConfiguration | GanetiMondConfiguration):
        args += ["--port", str(config.port), "--bind", config.address]
    elif isinstance(config, GanetiMetadConfiguration):
        args += ["--port", str(config.port)]
        if config.address is not None:
            args += ["--bind", config.address]
    elif (
        isinstance(config, GanetiWconfdConfiguration | GanetiLuxidConfiguration)
        and config.no_voting
    ):
        # Ganeti only skips the vote non-interactively when also told --yes-do-it.
        args += ["--no-voting", "--yes-do-it"]
    if config.debug:
        args.append("--debug")
    return tuple(args)


def daemon_command(config: DaemonConfiguration, root: str = "/") -> tuple[str, ...]:
    """The command line starting the daemon `config` describes."""
    program_part = ganeti_program(config.ganeti, DAEMON_NAMES[type(config)])
    return (*program_part, *daemon_options(config), *_root_args(root))


def force_start_command(config: GanetiWconfdConfiguration, root: str = "/") -> tuple[str, ...]:
    """ganeti-wconfd's command line for a one-time forced start (master failover)."""
    program_part = ganeti_program(config.ganeti, DAEMON_NAMES[type(config)])
    options = [a for a in daemon_options(config) if a not in FORCE_START_OPTIONS]
    return (*program_part, *FORCE_START_OPTIONS, *options, *_root_args(root))


def watcher_command(config: GanetiWatcherConfiguration) -> tuple[str, ...]:
    """The ganeti-watcher command line run on the watcher schedule."""
    args = list(ganeti_program(config.ganeti, "ganeti-watcher"))
    if config.rapi_ip is not None:
        args += ["--rapi-ip", config.rapi_ip]
    args += ["--job-age", str(config.job_age)]
    if not config.verify_disks:
        args.append("--no-verify-disks")
    if config.debug:
        args.append("--debug")
    # The periodic tools find a relocated root through GANETI_ROOT (see services.py).
    return tuple(args)


def cleaner_commands(config: GanetiCleanerConfiguration) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The two cleaner jobs: {"master"|"node": (schedule, command line)}."""
    cleaner = ganeti_program(config.ganeti, "ganeti-cleaner")
    return {
        "master": (config.master_schedule, (*cleaner, "master")),
        "node": (config.node_schedule, (*cleaner, "node")),
    }

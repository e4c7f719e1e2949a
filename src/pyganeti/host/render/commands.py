"""Command lines of the Ganeti daemons and periodic jobs, derived from their records.

Options are pyganeti's daemon options (Ganeti's long names): --port, --bind, --interface,
--max-clients, --no-ssl, --ssl-key, --ssl-cert, --require-authentication, --no-voting,
--yes-do-it, --debug and --root (given to daemons when the host root is not "/").
"""

from __future__ import annotations

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

# What `force-start ganeti-wconfd` adds: start on a node that is not (yet) the voted
# master, without asking, as Guix's force-start action does for master failover.
FORCE_START_OPTIONS = ("--force-node", "--no-voting", "--yes-do-it")


def program(package: str, name: str, subdir: str = "bin") -> str:
    """The program `name` of `package`: on PATH for a package name, else under a prefix."""
    if "/" in package:
        return f"{package.rstrip('/')}/{subdir}/{name}"
    return name


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


def daemon_command(config: DaemonConfiguration, root: str = "/") -> tuple[str, ...]:
    """The command line starting the daemon `config` describes."""
    name = DAEMON_NAMES[type(config)]
    args = [program(config.ganeti, name)]
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
    return tuple(args + _root_args(root))


def force_start_command(config: GanetiWconfdConfiguration, root: str = "/") -> tuple[str, ...]:
    """ganeti-wconfd's command line for a one-time forced start (master failover)."""
    base = [a for a in daemon_command(config, root) if a not in FORCE_START_OPTIONS]
    return (base[0], *FORCE_START_OPTIONS, *base[1:])


def watcher_command(config: GanetiWatcherConfiguration) -> tuple[str, ...]:
    """The ganeti-watcher command line run on the watcher schedule."""
    args = [program(config.ganeti, "ganeti-watcher")]
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
    cleaner = program(config.ganeti, "ganeti-cleaner")
    return {
        "master": (config.master_schedule, (cleaner, "master")),
        "node": (config.node_schedule, (cleaner, "node")),
    }

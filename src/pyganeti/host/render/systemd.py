"""systemd units for services: .service for daemons and oneshots, .service + .timer for
scheduled jobs, and the crontab form of the same schedules (for hosts running cron)."""

from __future__ import annotations

import shlex

from pyganeti.host.cron import parse_cron
from pyganeti.host.render.files import GENERATED_HEADER
from pyganeti.host.render.services import Service, ServiceKind

UNIT_DIR = "etc/systemd/system"
CRONTAB_FILE = "etc/cron.d/pyganeti-host"


def exec_quote(arg: str) -> str:
    """One ExecStart= argument: quoted when needed; '%' and '$' escaped for systemd."""
    escaped = arg.replace("%", "%%").replace("$", "$$")
    if escaped and all(c.isalnum() or c in "-_./:=,+@" for c in escaped):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def exec_line(command: tuple[str, ...]) -> str:
    return " ".join(exec_quote(a) for a in command)


def _environment(service: Service) -> list[str]:
    return [f"Environment={exec_quote(f'{k}={v}')}" for k, v in service.environment]


def service_unit(service: Service) -> str:
    """The .service unit of `service`."""
    lines = [
        f"# {GENERATED_HEADER}",
        "[Unit]",
        f"Description={service.name}: {service.description}".rstrip(": "),
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
    ]
    if service.kind is ServiceKind.DAEMON:
        lines.append("Type=simple")
        # Ganeti daemons are restarted by ganeti-watcher, not by the supervisor.
        lines.append("Restart=on-failure" if service.respawn else "Restart=no")
    else:
        lines.append("Type=oneshot")
        if service.kind is ServiceKind.ONESHOT:
            lines.append("RemainAfterExit=yes")
    lines += _environment(service)
    lines.append(f"ExecStart={exec_line(service.command)}")
    if service.stop_command is not None:
        lines.append(f"ExecStop={exec_line(service.stop_command)}")
    if service.kind is not ServiceKind.SCHEDULE:
        lines += ["", "[Install]", "WantedBy=multi-user.target"]
    return "\n".join(lines) + "\n"


def timer_unit(service: Service) -> str:
    """The .timer unit firing scheduled `service` at its cron schedule."""
    if service.schedule is None:
        raise ValueError(f"{service.name} is not a scheduled service")
    return (
        "\n".join(
            [
                f"# {GENERATED_HEADER}",
                "[Unit]",
                f"Description=Run {service.name} on schedule {service.schedule}",
                "",
                "[Timer]",
                f"OnCalendar={parse_cron(service.schedule).on_calendar()}",
                f"Unit={service.name}.service",
                "",
                "[Install]",
                "WantedBy=timers.target",
            ]
        )
        + "\n"
    )


def units(services: tuple[Service, ...]) -> dict[str, str]:
    """{unit file name: content} for all `services`."""
    out: dict[str, str] = {}
    for s in services:
        out[f"{s.name}.service"] = service_unit(s)
        if s.kind is ServiceKind.SCHEDULE:
            out[f"{s.name}.timer"] = timer_unit(s)
    return out


def crontab_line(service: Service, user: str = "root") -> str:
    """The /etc/cron.d line running scheduled `service` (with its environment)."""
    if service.schedule is None:
        raise ValueError(f"{service.name} is not a scheduled service")
    env = " ".join(shlex.quote(f"{k}={v}") for k, v in service.environment)
    command = shlex.join(service.command)
    # '%' ends the command in crontab syntax unless escaped.
    command = command.replace("%", "\\%")
    return f"{service.schedule} {user} {env + ' ' if env else ''}{command}"


def crontab(services: tuple[Service, ...]) -> str:
    """An /etc/cron.d file with one line per scheduled service."""
    lines = [
        f"# {GENERATED_HEADER}",
        "SHELL=/bin/sh",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ]
    lines += [crontab_line(s) for s in services if s.kind is ServiceKind.SCHEDULE]
    return "\n".join(lines) + "\n"

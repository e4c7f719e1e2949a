"""`pyganeti host ...`: apply a host file, and control its services like Shepherd's herd."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pyganeti.host.apply import apply_host
from pyganeti.host.errors import HostApplyError, HostConfigError
from pyganeti.host.layout import HostLayout, load_services
from pyganeti.host.loader import load_host_file
from pyganeti.host.managers import ServiceManager, pick_manager
from pyganeti.host.render.commands import FORCE_START_OPTIONS

# Services with a force-start action (Guix gives it to ganeti-wconfd, for failover).
FORCE_STARTABLE = frozenset({"ganeti-wconfd"})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyganeti host", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=Path("/"), help="host root directory (default /)"
    )
    sub = parser.add_subparsers(dest="action", required=True)
    apply = sub.add_parser("apply", help="validate FILE, write files, (re)start services")
    apply.add_argument("file", type=Path)
    apply.add_argument("--dry-run", action="store_true", help="only show what would change")
    apply.add_argument("--root", type=Path, default=argparse.SUPPRESS)
    status = sub.add_parser("status", help="show services (all, or NAME)")
    status.add_argument("name", nargs="?")
    status.add_argument("--json", action="store_true")
    status.add_argument("--root", type=Path, default=argparse.SUPPRESS)
    for action in ("start", "stop", "restart", "enable", "disable", "force-start"):
        p = sub.add_parser(action, help=f"{action} service NAME")
        p.add_argument("name")
        p.add_argument("--root", type=Path, default=argparse.SUPPRESS)
    return parser


def _format_status(entry: dict[str, Any]) -> str:
    parts = [f"{entry['name']}: {entry['status']}"]
    if entry.get("enabled") is False:
        parts.append("disabled")
    if entry.get("unavailable"):
        parts.append(f"unavailable ({entry['unavailable']})")
    if entry.get("note"):
        parts.append(str(entry["note"]))
    if entry.get("pid"):
        parts.append(f"pid {entry['pid']}")
    if entry.get("schedule"):
        parts.append(f"schedule {entry['schedule']!r}")
    if entry.get("last_exit") is not None:
        parts.append(f"last exit {entry['last_exit']}")
    return ", ".join(parts)


def _force_start(manager: ServiceManager, root: Path, name: str) -> Any:
    if name not in FORCE_STARTABLE:
        raise HostApplyError(
            f"{name} has no force-start action (only {', '.join(sorted(FORCE_STARTABLE))})"
        )
    services = {s.name: s for s in load_services(HostLayout(root))}
    if name not in services:
        raise HostApplyError(f"no service {name!r} is configured under {root}")
    command = services[name].command
    extra = tuple(o for o in FORCE_START_OPTIONS if o not in command)
    # The options follow the program, which may be several words (python -m module).
    n = 3 if command[1:2] == ("-m",) else 1
    return manager.start(name, (*command[:n], *extra, *command[n:]))


def main(argv: list[str] | None = None) -> int:
    """Entry point of `pyganeti host`; returns the exit code."""
    args = _parser().parse_args(argv)
    root: Path = args.root.resolve()
    try:
        if args.action == "apply":
            host = load_host_file(args.file)
            manager = None if args.dry_run else pick_manager(root)
            report = apply_host(host, root, manager, dry_run=args.dry_run)
            print(report.summary())
            return 1 if report.errors else 0
        manager = pick_manager(root)
        if args.action == "status":
            result = manager.status(args.name)
            if args.json:
                print(json.dumps(result, indent=1))
            else:
                for entry in result if isinstance(result, list) else [result]:
                    print(_format_status(entry))
            return 0
        if args.action == "force-start":
            result = _force_start(manager, root, args.name)
        elif args.action == "start":
            result = manager.start(args.name)
        elif args.action == "stop":
            result = manager.stop(args.name)
        elif args.action == "enable":
            result = manager.enable(args.name)
        elif args.action == "disable":
            result = manager.disable(args.name)
        else:
            result = manager.restart(args.name)
        if isinstance(result, dict):
            print(_format_status(result))
        return 0
    except (HostConfigError, HostApplyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

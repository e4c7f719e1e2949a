"""Command tables and the shared main of every gnt-* tool (Ganeti's GenericMain).

A tool is a table {command name: Command}; `run` picks the command from the first
argument, parses its options with its own argparse parser, checks the argument count,
runs it and turns any error into Ganeti's message and exit code.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn, TextIO

from pyganeti import GANETI_COMPAT_VERSION, __version__, errors
from pyganeti.cli import options
from pyganeti.cli.errors import JobSubmitted, MasterUnreachable, UsageError, format_error
from pyganeti.cli.session import Session
from pyganeti.paths import Paths

CommandFn = Callable[[Session], int]


@dataclass(frozen=True)
class Command:
    """One sub-command: its function, positional argument count and options."""

    func: CommandFn
    min_args: int
    max_args: int | None
    opts: Sequence[options.Opt]
    usage: str
    description: str
    # Fixed option values the tool injects (Ganeti's "override", e.g. the tag kind).
    defaults: dict[str, object] = field(default_factory=dict)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # Usage errors exit 2, as Ganeti's optparse does; the dispatcher prints them.
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}", 2)


def _usage_lines(binary: str, commands: dict[str, Command]) -> list[str]:
    width = min(60, max(len(name) for name in commands))
    lines = [
        f"Usage: {binary} {{command}} [options...] [argument...]",
        f"{binary} <command> --help to see details, or man {binary}",
        "",
        "Commands:",
    ]
    for name, cmd in sorted(commands.items()):
        wrapped = textwrap.wrap(cmd.description, 79 - 3 - width) or [""]
        lines.append(f" {name:<{width}} - {wrapped[0]}")
        lines.extend(f" {'':<{width}}   {more}" for more in wrapped[1:])
    lines.append("")
    return lines


def _check_arg_count(name: str, cmd: Command, args: list[str]) -> str | None:
    """Ganeti's message for a wrong number of arguments, or None if the count is fine."""
    if args and cmd.max_args == 0:
        return f"Error: Command {name} expects no arguments"
    if cmd.max_args is not None and cmd.min_args == cmd.max_args and len(args) != cmd.min_args:
        return f"Error: Command {name} expects {cmd.min_args} argument(s)"
    if cmd.max_args is not None and len(args) > cmd.max_args:
        return f"Error: Command {name} expects only {cmd.max_args} argument(s)"
    if len(args) < cmd.min_args:
        return f"Error: Command {name} expects at least {cmd.min_args} argument(s)"
    return None


def build_parser(binary: str, name: str, cmd: Command) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{binary} {name}", usage=f"%(prog)s {cmd.usage}", description=cmd.description
    )
    for option in (*cmd.opts, *options.COMMON):
        option.add_to(parser)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    return parser


def run(
    binary: str,
    commands: dict[str, Command],
    argv: list[str] | None = None,
    aliases: dict[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run one gnt-* invocation; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    aliases = aliases or {}
    if not argv or argv[0] not in (*commands, *aliases, "--version", "--help"):
        out.write("\n".join(_usage_lines(binary, commands)) + "\n")
        return errors.EXIT_FAILURE
    if argv[0] == "--version":
        release = ".".join(str(p) for p in GANETI_COMPAT_VERSION)
        out.write(f"{binary} (pyganeti {__version__}) {release}\n")
        return errors.EXIT_SUCCESS
    if argv[0] == "--help":
        out.write("\n".join(_usage_lines(binary, commands)) + "\n")
        return errors.EXIT_SUCCESS
    name = aliases.get(argv[0], argv[0])
    cmd = commands[name]
    parser = build_parser(binary, name, cmd)
    session: Session | None = None
    try:
        try:
            opts = parser.parse_intermixed_args(argv[1:])
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        for key, value in cmd.defaults.items():
            setattr(opts, key, value)
        args: list[str] = list(opts.args)
        problem = _check_arg_count(name, cmd, args)
        if problem:
            err.write(problem + "\n")
            return errors.EXIT_FAILURE
        session = Session(
            binary=binary,
            command=name,
            opts=opts,
            args=args,
            paths=Paths.from_root(opts.root),
            out=out,
            err=err,
        )
        return cmd.func(session)
    except errors.LuxiError as exc:
        reported: Exception = exc
        if session is not None and str(exc).startswith("Cannot connect to"):
            reported = session.unreachable()
        code, text = format_error(reported)
        err.write(text + "\n")
        return code
    except (errors.GenericError, MasterUnreachable, UsageError, JobSubmitted) as exc:
        code, text = format_error(exc)
        err.write(text + "\n")
        return code
    except KeyboardInterrupt:
        err.write(
            "Aborted. Note that if the operation created any jobs, they might have"
            " been submitted and will continue to run in the background.\n"
        )
        return errors.EXIT_FAILURE
    except BrokenPipeError:
        return errors.EXIT_FAILURE
    finally:
        if session is not None:
            session.close()

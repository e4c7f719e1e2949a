"""gnt-debug: test opcodes (delay) and a view of the master's locks."""

from __future__ import annotations

import time
from typing import Any

from pyganeti import errors
from pyganeti.cli import jobs, listing, options, params
from pyganeti.cli.dispatch import Command, run
from pyganeti.cli.session import Session

LOCKS_DEF_FIELDS = ["name", "mode", "owner", "pending"]


def delay(s: Session) -> int:
    try:
        duration = float(s.args[0])
    except ValueError:
        raise errors.OpPrereqError(
            f"Invalid delay duration '{s.args[0]}': expected a number of seconds",
            errors.ECODE_INVAL,
        ) from None
    if duration < 0:
        raise errors.OpPrereqError(
            f"Invalid delay duration '{s.args[0]}': must not be negative", errors.ECODE_INVAL
        )
    op = jobs.opcode(
        "OP_TEST_DELAY",
        duration=duration,
        on_master=s.opts.on_master,
        on_nodes=s.opts.on_nodes,
        repeat=s.opts.repeat,
        interruptible=s.opts.interruptible,
        no_locks=s.opts.no_locks,
    )
    jobs.submit_or_send(s, op)
    return 0


def _dash_if_empty(fn: Any) -> Any:
    def wrapper(value: Any) -> Any:
        return "-" if not value else fn(value)

    return wrapper


def _format_pending(value: Any) -> str:
    return ", ".join(f"{mode}:{','.join(str(t) for t in threads)}" for mode, threads in value)


_LOCK_OVERRIDES: dict[str, listing.Formatter] = {
    "mode": (_dash_if_empty(str), False),
    "owner": (_dash_if_empty(lambda v: ",".join(str(o) for o in v)), False),
    "pending": (_dash_if_empty(_format_pending), False),
}


def list_locks(s: Session) -> int:
    fields = params.parse_fields(s.opts.output, LOCKS_DEF_FIELDS)
    while True:
        code = listing.generic_list(s, "lock", fields, [], overrides=_LOCK_OVERRIDES)
        if code != 0 or not s.opts.interval:
            return code
        s.stdout("")
        time.sleep(s.opts.interval)


_DELAY_OPTS = (
    options.opt(
        "--no-master",
        dest="on_master",
        default=True,
        action="store_false",
        help="Do not sleep in the master code",
    ),
    options.opt(
        "-n", dest="on_nodes", default=[], action="append", help="Select nodes to sleep on"
    ),
    options.opt(
        "-r",
        "--repeat",
        dest="repeat",
        type=int,
        default=0,
        help="Number of times to repeat the sleep",
    ),
    options.opt(
        "-i",
        "--interruptible",
        dest="interruptible",
        default=False,
        action="store_true",
        help="Allows the opcode to be interrupted by using a domain socket",
    ),
    options.opt(
        "-l",
        "--no-locks",
        dest="no_locks",
        default=False,
        action="store_true",
        help="Don't take locks while performing the delay",
    ),
    options.DRY_RUN,
    options.PRIORITY,
    *options.SUBMIT_OPTS,
)
INTERVAL = options.opt(
    "--interval",
    dest="interval",
    type=int,
    default=None,
    help="Number of seconds between repetions of the command",
)

COMMANDS: dict[str, Command] = {
    "delay": Command(
        delay, 1, 1, _DELAY_OPTS, "[<opts>...] <duration>", "Executes a TestDelay OpCode"
    ),
    "locks": Command(
        list_locks,
        0,
        0,
        (options.NOHDR, options.SEP, options.FIELDS, INTERVAL, options.VERBOSE),
        "[--interval N]",
        "Show a list of locks in the master daemon",
    ),
}


def main(argv: list[str] | None = None) -> int:
    return run("gnt-debug", COMMANDS, argv)

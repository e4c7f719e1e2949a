"""Plumbing every daemon shares: common options, logging, locked pid file, signal shutdown.

Daemons always run in the foreground; backgrounding is the supervisor's (daemon-util's) job.
Each daemon's main is one coroutine run inside an asyncio.TaskGroup; SIGTERM/SIGINT cancel it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import fcntl
import logging
import logging.handlers
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, NoReturn

from pyganeti import errors
from pyganeti.paths import ROOT_ENV, Paths

log = logging.getLogger(__name__)

MainFactory = Callable[[argparse.Namespace, Paths], Coroutine[Any, Any, None]]

_LOG_FORMAT = "%(asctime)s: %(name)s pid=%(process)d %(levelname)s %(message)s"


def make_parser(name: str, description: str) -> argparse.ArgumentParser:
    """An argument parser carrying the options common to all Ganeti daemons."""
    parser = argparse.ArgumentParser(prog=name, description=description)
    parser.add_argument(
        "-f",
        "--foreground",
        action="store_true",
        help="accepted for compatibility; daemons always stay in the foreground",
    )
    parser.add_argument("-d", "--debug", action="store_true", help="log at debug level")
    parser.add_argument(
        "--syslog",
        choices=("yes", "no", "only"),
        default="no",
        help="also (or only) log to syslog",
    )
    parser.add_argument(
        "--root",
        default=None,
        help=f"cluster root directory (default: ${ROOT_ENV} or /)",
    )
    return parser


def setup_logging(
    paths: Paths, name: str, *, debug: bool, syslog: str = "no", stderr: bool = True
) -> None:
    """Log to the daemon's log file (and stderr, and/or syslog)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    formatter = logging.Formatter(_LOG_FORMAT)
    handlers: list[logging.Handler] = []
    if syslog != "only":
        logfile = paths.daemon_log(name)
        logfile.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(logfile))
        if stderr:
            handlers.append(logging.StreamHandler(sys.stderr))
    if syslog in ("yes", "only") and os.path.exists("/dev/log"):
        sys_handler = logging.handlers.SysLogHandler(address="/dev/log")
        sys_handler.setFormatter(logging.Formatter(f"{name}: %(levelname)s %(message)s"))
        handlers.append(sys_handler)
    for handler in handlers:
        if handler.formatter is None:
            handler.setFormatter(formatter)
        root.addHandler(handler)


def require_cluster(paths: Paths) -> None:
    """Exit with EXIT_NOTCLUSTER and a clear message unless a cluster exists under the root."""
    if not paths.config_file.exists():
        die(
            f"no cluster is initialised under {paths.root} (run gnt-cluster init or pyganeti up)",
            errors.EXIT_NOTCLUSTER,
        )


# daemon-util passes the write end of a pipe in this variable; the daemon writes
# READY once it serves, so "started" never depends on probing a socket that a
# previous, still-exiting instance may hold open.
NOTIFY_ENV = "PYGANETI_NOTIFY_FD"


def notify_ready() -> None:
    """Tell whoever started this daemon that it now serves requests (once)."""
    fd_text = os.environ.pop(NOTIFY_ENV, None)
    if not fd_text:
        return
    try:
        fd = int(fd_text)
        os.write(fd, b"READY\n")
        os.close(fd)
    except (ValueError, OSError) as err:
        log.warning("could not notify readiness on fd %s: %s", fd_text, err)


def die(message: str, code: int = errors.EXIT_FAILURE) -> NoReturn:
    sys.stderr.write(f"{message}\n")
    raise SystemExit(code)


@contextlib.contextmanager
def pid_file(path: Path) -> Iterator[None]:
    """Hold a locked pid file for the block; a second holder is refused (PidFileLockError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            other = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            raise errors.PidFileLockError(
                f"another process (pid {other}) holds the pid file {path}: already running"
            ) from None
        # One write of the whole content after truncation: readers see old-empty or new.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        os.fsync(fd)
        try:
            yield
        finally:
            # Unlink while still holding the lock so no successor's file is removed.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    finally:
        os.close(fd)


async def _run_main(factory: MainFactory, args: argparse.Namespace, paths: Paths) -> None:
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    assert main_task is not None

    def _on_signal(signum: int) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        main_task.cancel()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _on_signal, signum)
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(factory(args, paths))
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def run_daemon(
    name: str,
    parser: argparse.ArgumentParser,
    main_factory: MainFactory,
    argv: list[str] | None = None,
    *,
    check: Callable[[argparse.Namespace, Paths], None] | None = None,
) -> int:
    """Parse options, set up logging and the pid file, run the main coroutine; returns an exit code.

    `check` runs before the pid file is taken (e.g. `require_cluster`); it exits on failure.
    """
    args = parser.parse_args(argv)
    paths = Paths.from_root(args.root)
    if check is not None:
        check(args, paths)
    try:
        # Under daemon-util or a supervisor stderr is a file or a pipe: the log file
        # already has every line, so only echo to an interactive terminal.
        setup_logging(paths, name, debug=args.debug, syslog=args.syslog, stderr=sys.stderr.isatty())
    except OSError as err:
        die(f"{name}: cannot open log file {paths.daemon_log(name)}: {err.strerror}")
    try:
        with pid_file(paths.pid_file(name)):
            log.info("%s starting (root %s)", name, paths.root)
            try:
                asyncio.run(_run_main(main_factory, args, paths))
            except asyncio.CancelledError:
                pass
            except ExceptionGroup as group:
                leaves = list(_leaves(group))
                if not all(isinstance(e, (errors.GenericError, OSError)) for e in leaves):
                    raise
                for leaf in leaves:
                    log.error("%s: %s", name, leaf)
                    sys.stderr.write(f"{name}: {leaf}\n")
                # e.g. EXIT_NOTMASTER, which daemon-util reports as "not master", not failure
                first = leaves[0]
                if isinstance(first, errors.GenericError):
                    return first.exit_code
                return errors.EXIT_FAILURE
            log.info("%s stopped", name)
    except errors.PidFileLockError as err:
        die(f"{name}: {err}")
    except OSError as err:
        die(f"{name}: cannot write pid file {paths.pid_file(name)}: {err.strerror}")
    return errors.EXIT_SUCCESS


def _leaves(group: BaseExceptionGroup[BaseException]) -> Iterator[BaseException]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc

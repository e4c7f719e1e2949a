"""daemon-util: start, stop and check the daemons of one node, as Ganeti's script does.

Daemons run in the foreground; this module starts them detached, waits until each is
ready (its socket answers) or has exited, and reports Ganeti's way: exit code 0, or 11
("not master") which is fine for master-only daemons on other nodes.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyganeti import errors
from pyganeti.daemons.base import NOTIFY_ENV
from pyganeti.netutils import my_node_name, resolve
from pyganeti.paths import Paths
from pyganeti.unixpath import usable

START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
DEFAULT_NODED_PORT = 1811


@dataclass(frozen=True)
class Daemon:
    name: str
    module: str
    master_only: bool
    # Probe telling the daemon serves requests: (paths, args) -> bool; used only for
    # daemons that do not notify readiness themselves.
    ready: Callable[[Paths, list[str]], bool]
    notifies: bool = True

    @property
    def var_prefix(self) -> str:
        return self.name.removeprefix("ganeti-").upper()


def _unix_ready(path_of: Callable[[Paths], Path]) -> Callable[[Paths, list[str]], bool]:
    def probe(paths: Paths, _args: list[str]) -> bool:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(0.5)
            with usable(path_of(paths)) as address:
                sock.connect(address)
            return True
        except OSError:
            return False
        finally:
            sock.close()

    return probe


def _option(args: list[str], *names: str) -> str | None:
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _noded_ready(paths: Paths, args: list[str]) -> bool:
    address = _option(args, "-b", "--bind") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    port = int(_option(args, "-p", "--port") or DEFAULT_NODED_PORT)
    try:
        with socket.create_connection((address, port), timeout=0.5):
            return True
    except OSError:
        return False


def _rapi_ready(paths: Paths, args: list[str]) -> bool:
    from pyganeti.daemons.rapi import is_ready  # lazy: daemon-util stays light to import

    return is_ready(paths, args)


# Start order as Ganeti's; stop order is the reverse.
DAEMONS: list[Daemon] = [
    Daemon("ganeti-noded", "pyganeti.daemons.noded", False, _noded_ready),
    Daemon(
        "ganeti-wconfd", "pyganeti.daemons.wconfd", True, _unix_ready(lambda p: p.wconfd_socket)
    ),
    Daemon("ganeti-rapi", "pyganeti.daemons.rapi", True, _rapi_ready),
    Daemon("ganeti-luxid", "pyganeti.daemons.luxid", True, _unix_ready(lambda p: p.luxi_socket)),
    Daemon(
        "ganeti-kvmd",
        "pyganeti.daemons.kvmd",
        False,
        lambda p, a: p.pid_file("ganeti-kvmd").exists(),
        notifies=False,
    ),
]
BY_NAME = {d.name: d for d in DAEMONS}


def get_daemon(name: str) -> Daemon:
    try:
        return BY_NAME[name]
    except KeyError:
        raise errors.ParameterError(f"Unknown daemon name '{name}'") from None


def _defaults(paths: Paths) -> dict[str, str]:
    """Variables of etc/default/ganeti (NODED_ARGS=..., EXTRA_LUXID_ARGS=...)."""
    values: dict[str, str] = {}
    try:
        text = (paths.root / "etc/default/ganeti").read_text()
    except FileNotFoundError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        parts = shlex.split(value) if value else []
        values[key.strip()] = " ".join(parts)
    return values


def daemon_args(paths: Paths, daemon: Daemon, extra: list[str]) -> list[str]:
    env = _defaults(paths)
    args = shlex.split(env.get(f"{daemon.var_prefix}_ARGS", ""))
    args += shlex.split(env.get(f"EXTRA_{daemon.var_prefix}_ARGS", ""))
    args += extra
    if (
        daemon.name == "ganeti-noded"
        and not paths.is_default_root
        and _option(args, "-b", "--bind") is None
    ):
        # A relocated root simulates one node: serve on that node's own address.
        args += ["--bind", resolve(paths, my_node_name(paths))]
    if not paths.is_default_root:
        args += ["--root", str(paths.root)]
    return args


def read_pid(paths: Paths, daemon: Daemon) -> int | None:
    try:
        pid = int(paths.pid_file(daemon.name).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    # A stale pid file may name a reused pid: only trust a process that is this daemon,
    # of this root (several clusters share a machine in tests and trials).
    if (daemon.name in cmdline or daemon.module in cmdline) and _same_root(paths, cmdline):
        return pid
    if not cmdline and _alive(pid) and _comm(pid).startswith(("python", "ganeti")):
        # Killed and still exiting: the kernel drops the memory (so the command line
        # reads empty) before it closes the files, so its sockets may still accept.
        return pid
    return None


def check(paths: Paths, name: str) -> int:
    return 0 if read_pid(paths, get_daemon(name)) is not None else 1


def is_master(paths: Paths) -> bool:
    try:
        master = paths.ssconf_file("master_node").read_text().strip()
    except FileNotFoundError:
        return False
    return master == my_node_name(paths)


def start(paths: Paths, name: str, extra: list[str] | None = None, quiet: bool = False) -> int:
    daemon = get_daemon(name)
    if read_pid(paths, daemon) is not None:
        return 0
    paths.ensure_dirs()
    args = daemon_args(paths, daemon, list(extra or []))
    stderr_path = paths.run_dir / f"{daemon.name}.stderr"
    env = dict(os.environ)
    env.pop("GANETI_ROOT", None)  # the --root argument is authoritative
    ready_r, ready_w = os.pipe()
    if daemon.notifies:
        env[NOTIFY_ENV] = str(ready_w)
    try:
        with open(stderr_path, "wb") as err_fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", daemon.module, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err_fh,
                start_new_session=True,
                env=env,
                pass_fds=(ready_w,),
            )
    finally:
        os.close(ready_w)
    try:
        return _wait_started(paths, daemon, proc, args, ready_r, stderr_path, quiet)
    finally:
        os.close(ready_r)


def _wait_started(
    paths: Paths,
    daemon: Daemon,
    proc: subprocess.Popen[bytes],
    args: list[str],
    ready_r: int,
    stderr_path: Path,
    quiet: bool,
) -> int:
    """0 once the daemon says READY (or, for daemons that cannot, its probe answers)."""
    name = daemon.name
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if daemon.notifies:
            readable, _, _ = select.select([ready_r], [], [], 0.05)
            if readable and os.read(ready_r, 16).startswith(b"READY"):
                return 0
        code = proc.poll()
        if code is not None:
            if code == errors.EXIT_NOTMASTER:
                if not quiet:
                    print(f"{name}: not master")
                return 0
            tail = stderr_path.read_text(errors="replace").strip().splitlines()[-5:]
            if not tail:
                # Errors after logging started go to the daemon's log file.
                log_lines = _read_tail(paths.daemon_log(daemon.name))
                tail = [ln for ln in log_lines if " ERROR " in ln or "Error" in ln][-5:]
            sys.stderr.write(
                f"{name} failed to start (exit code {code}):\n"
                + "\n".join(f"  {line}" for line in tail)
                + "\n"
            )
            return 1
        if not daemon.notifies:
            if daemon.ready(paths, args):
                return 0
            time.sleep(0.02)
    sys.stderr.write(f"{name} did not become ready within {START_TIMEOUT:.0f}s\n")
    return 1


def _read_tail(path: Path, lines: int = 50) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return []


def stop(paths: Paths, name: str) -> int:
    daemon = get_daemon(name)
    pid = read_pid(paths, daemon)
    if pid is None:
        return 0
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return 0
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if not _alive(pid):
            return 0
        time.sleep(0.02)
    sys.stderr.write(f"{name} (pid {pid}) ignored SIGTERM for {STOP_TIMEOUT:.0f}s; killing it\n")
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return 0


def _same_root(paths: Paths, cmdline: str) -> bool:
    words = cmdline.split()
    root = None
    for i, word in enumerate(words):
        if word == "--root" and i + 1 < len(words):
            root = words[i + 1]
        elif word.startswith("--root="):
            root = word.split("=", 1)[1]
    if root is None:
        return paths.is_default_root
    return Path(root).resolve() == paths.root


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        # Reap it if it is our child; otherwise just probe.
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def start_all(paths: Paths) -> int:
    master = is_master(paths)
    for daemon in DAEMONS:
        if daemon.master_only and not master:
            continue
        if start(paths, daemon.name) != 0:
            return 1
    return 0


def stop_all(paths: Paths) -> int:
    for daemon in reversed(DAEMONS):
        stop(paths, daemon.name)
    return 0


USAGE = """usage: pyganeti daemon-util COMMAND [ARGS]
commands: start NAME [ARGS...] | stop NAME | check NAME | check-and-start NAME |
          start-all | stop-all | start-master | stop-master | is-daemon-name NAME |
          list-start-daemons | list-stop-daemons | daemon-pidfile NAME"""


def main(argv: list[str], paths: Paths) -> int:
    if not argv:
        sys.stderr.write(USAGE + "\n")
        return 1
    command, rest = argv[0], argv[1:]
    needs_name = ("start", "stop", "check", "check-and-start", "is-daemon-name", "daemon-pidfile")
    if command in needs_name and not rest:
        sys.stderr.write("Missing daemon name.\n")
        return 1
    try:
        if command == "start":
            return start(paths, rest[0], rest[1:])
        if command == "stop":
            return stop(paths, rest[0])
        if command == "check":
            return check(paths, rest[0])
        if command == "check-and-start":
            return 0 if check(paths, rest[0]) == 0 else start(paths, rest[0])
        if command == "is-daemon-name":
            get_daemon(rest[0])
            return 0
        if command == "daemon-pidfile":
            print(paths.pid_file(get_daemon(rest[0]).name))
            return 0
    except errors.ParameterError as err:
        sys.stderr.write(f"{err}\n")
        return 1
    if command == "start-all":
        return start_all(paths)
    if command == "stop-all":
        return stop_all(paths)
    if command == "start-master":
        return max(start(paths, d.name) for d in DAEMONS if d.master_only)
    if command == "stop-master":
        return max(stop(paths, d.name) for d in reversed(DAEMONS) if d.master_only)
    if command == "list-start-daemons":
        print("\n".join(d.name for d in DAEMONS))
        return 0
    if command == "list-stop-daemons":
        print("\n".join(d.name for d in reversed(DAEMONS)))
        return 0
    sys.stderr.write(f"Unknown command: {command}\n")
    return 1

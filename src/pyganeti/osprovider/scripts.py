"""Run an OS script with its environment, a timeout and a per-run log file."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from pyganeti import errors
from pyganeti.osprovider.discovery import OsDefinition
from pyganeti.paths import Paths

# Below the slow RPC timeout, so the master hears of a hung script as an error, not a lost node.
DEFAULT_TIMEOUT = 840.0
_TAIL_LINES = 20


def log_path(paths: Paths, kind: str, os_name: str, instance_name: str) -> Path:
    """Ganeti's log naming: <kind>-<os>-<instance>-<timestamp>.log under the OS log dir."""
    stamp = time.strftime("%Y-%m-%d_%H_%M_%S")
    # Names come from the master; never let one steer the log file out of the log dir.
    safe = instance_name.replace("/", "_").replace("\0", "_").lstrip(".") or "_"
    base = f"{kind}-{os_name}-{safe}-{stamp}"
    path = paths.os_log_dir / f"{base}.log"
    counter = 1
    while path.exists():
        path = paths.os_log_dir / f"{base}.{counter}.log"
        counter += 1
    return path


def run_script(
    paths: Paths,
    os_def: OsDefinition,
    script: str,
    env: dict[str, str],
    *,
    kind: str,
    instance_name: str,
    args: list[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Run `script` of `os_def`; returns the log path, OpExecError with the log tail on failure."""
    script_path = os_def.scripts.get(script)
    if script_path is None:
        raise errors.OpExecError(f"OS {os_def.name} has no {script} script")
    logfile = log_path(paths, kind, os_def.name, instance_name)
    logfile.parent.mkdir(parents=True, exist_ok=True)
    with open(logfile, "wb") as out:
        try:
            # A session of its own, so a timeout kills the script's children too.
            proc = subprocess.Popen(
                [script_path, *(args or [])],
                env=env,
                cwd=os_def.path,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as err:
            reason = f"could not be executed: {err.strerror}"
        else:
            try:
                status = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                reason = f"timed out after {timeout:g} seconds"
            else:
                if status == 0:
                    return logfile
                reason = (
                    f"exited with status {status}" if status > 0 else f"killed by signal {-status}"
                )
    raise errors.OpExecError(
        f"OS {script} script failed ({reason}), last lines in the log file {logfile}:\n"
        + _tail(logfile)
    )


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-_TAIL_LINES:])

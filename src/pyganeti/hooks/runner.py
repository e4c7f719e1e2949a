"""Run one hooks directory the way Ganeti's run-parts does: sorted, named by a strict mask."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from pathlib import Path

from pyganeti import errors

HOOK_SUCCESS = "success"
HOOK_FAIL = "fail"
HOOK_SKIP = "skip"
PHASES = ("pre", "post")
# Ganeti's EXT_PLUGIN_MASK: names with dots (backups, .dpkg-old...) are skipped on purpose.
NAME_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
HOOKS_PATH = "/sbin:/bin:/usr/sbin:/usr/bin"
DEFAULT_TIMEOUT = 300.0


def run_hooks(
    hooks_dir: Path,
    hpath: str,
    phase: str,
    env: dict[str, str],
    timeout: float = DEFAULT_TIMEOUT,
) -> list[list[str]]:
    """Run <hooks_dir>/<hpath>-<phase>.d/*; returns [[relative name, status, output], ...].

    A missing directory means no hooks (empty list). Non-matching or non-executable
    entries are reported as skipped.
    """
    if phase not in PHASES:
        raise errors.ProgrammerError(f"unknown hooks phase {phase!r} (expected pre or post)")
    if not NAME_RE.match(hpath):
        raise errors.ProgrammerError(f"invalid hooks path {hpath!r}")
    bad = [
        k for k, v in env.items() if not isinstance(k, str) or not isinstance(v, str) or "=" in k
    ]
    if bad:
        raise errors.ProgrammerError(f"invalid hooks environment entries: {bad!r}")
    subdir = f"{hpath}-{phase}.d"
    directory = hooks_dir / subdir
    try:
        names = sorted(n for n in os.listdir(directory) if not n.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    # Hooks see only what the master sent, plus a fixed PATH and C locale (Ganeti's rules).
    script_env = {"PATH": HOOKS_PATH, **env, "LC_ALL": "C"}
    results: list[list[str]] = []
    for name in names:
        path = directory / name
        label = f"{subdir}/{name}"
        if not (NAME_RE.match(name) and path.is_file() and os.access(path, os.X_OK)):
            results.append([label, HOOK_SKIP, ""])
            continue
        results.append([label, *_run_one(path, script_env, timeout)])
    return results


def _run_one(path: Path, env: dict[str, str], timeout: float) -> list[str]:
    try:
        # A session of its own, so a timeout kills the hook's children too.
        proc = subprocess.Popen(
            [str(path)],
            env=env,
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as err:
        return [HOOK_FAIL, f"Hook script execution error: {err.strerror}"]
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        partial = out.decode(errors="replace").strip()
        return [HOOK_FAIL, f"Hook script timed out after {timeout:g} seconds\n{partial}".strip()]
    output = out.decode(errors="replace").strip()
    return [HOOK_SUCCESS if proc.returncode == 0 else HOOK_FAIL, output]

"""Confirmation questions: answered on the controlling terminal, "no" without one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from pyganeti.cli import prompt

_ASK = "from pyganeti.cli.prompt import ask_user; print(ask_user('Really?'))"


def _env() -> dict[str, str]:
    # The child imports the same pyganeti as this test (src/pyganeti/cli/prompt.py).
    return {**os.environ, "PYTHONPATH": str(Path(prompt.__file__).parents[2])}


def test_without_terminal_the_answer_is_no() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _ASK],
        start_new_session=True,  # no controlling terminal
        capture_output=True,
        text=True,
        timeout=30,
        env=_env(),
        check=True,
    )
    assert result.stdout == "False\n"


def _ask_on_pty(reply: bytes) -> str:
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is its controlling terminal
        os.execve(sys.executable, [sys.executable, "-c", _ASK], _env())
    seen = b""
    try:
        while b"y/[n]/?: " not in seen:
            seen += os.read(fd, 1024)
        os.write(fd, reply)
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    # The terminal turns every "\n" into "\r\n".
    return seen.decode().replace("\r\n", "\n")


def test_terminal_answers() -> None:
    assert _ask_on_pty(b"y\n") == "Really?\ny/[n]/?: y\nTrue\n"
    assert _ask_on_pty(b"n\n").rstrip().endswith("False")

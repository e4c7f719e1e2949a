"""Asking the user for confirmation on the terminal, as Ganeti's AskUser does."""

from __future__ import annotations

import textwrap


def ask_user(text: str) -> bool:
    """Ask a yes/no question on /dev/tty; with no terminal the answer is no (as in Ganeti)."""
    question = "\n".join(
        textwrap.fill(line, 70, replace_whitespace=False) for line in text.splitlines()
    )
    try:
        # A terminal is not seekable, so it cannot be one read-write text stream.
        reader = open("/dev/tty", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        return False
    try:
        with open("/dev/tty", "w", encoding="utf-8") as writer:
            while True:
                writer.write(f"{question}\ny/[n]/?: ")
                writer.flush()
                line = reader.readline(2).strip().lower()
                if line == "y":
                    return True
                # End of input counts as the default answer rather than looping forever.
                if line in ("n", ""):
                    return False
                if line == "?":
                    writer.write(
                        " y - Perform the operation\n n - Do not perform the operation\n\n"
                    )
    finally:
        reader.close()

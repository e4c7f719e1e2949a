"""binfmt_misc handlers for QEMU platforms: register, unregister, inspect.

Handlers are named PREFIX+platform (``qemu-aarch64`` by default) and run Debian's
static emulators with the F flag (the kernel opens the interpreter at registration, so
it works in chroots and containers). Only handlers whose interpreter is ours are removed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from pyganeti.host.errors import HostApplyError, HostConfigError
from pyganeti.host.records.qemu_binfmt import QemuPlatform, lookup_qemu_platforms

BINFMT_DIR = Path("/proc/sys/fs/binfmt_misc")
FLAGS = "F"


def ensure_mounted(binfmt_dir: Path = BINFMT_DIR) -> None:
    """Mount binfmt_misc on `binfmt_dir` unless its register file is already there."""
    if (binfmt_dir / "register").exists():
        return
    result = subprocess.run(
        ["mount", "-t", "binfmt_misc", "binfmt_misc", str(binfmt_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not (binfmt_dir / "register").exists():
        raise HostApplyError(
            f"cannot mount binfmt_misc on {binfmt_dir}: {result.stderr.strip() or 'failed'}"
        )


def _escape(data: bytes) -> str:
    # Every byte as \xHH: the kernel decodes these, and ':' can never end a field early.
    return "".join(f"\\x{b:02x}" for b in data)


def registration(platform: QemuPlatform, name: str, interpreter: str) -> str:
    """The line written to binfmt_misc/register for `platform`."""
    return f":{name}:M:0:{_escape(platform.magic)}:{_escape(platform.mask)}:{interpreter}:{FLAGS}"


def handler_info(name: str, binfmt_dir: Path = BINFMT_DIR) -> dict[str, str] | None:
    """The kernel's description of handler `name` ({"state", "interpreter", ...}) or None."""
    path = binfmt_dir / name
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    info: dict[str, str] = {}
    for line in text.splitlines():
        if line in ("enabled", "disabled"):
            info["state"] = line
        elif " " in line:
            key, _, value = line.partition(" ")
            info[key.rstrip(":")] = value
    return info


def register(
    platforms: Iterable[QemuPlatform],
    prefix: str = "qemu-",
    qemu: str = "qemu",
    binfmt_dir: Path = BINFMT_DIR,
) -> list[str]:
    """Register one handler per platform; return the names registered now.

    A handler already registered with our interpreter is left alone (start is
    idempotent); one with another interpreter is someone else's, and is an error.
    """
    platforms = list(platforms)
    for p in platforms:
        interpreter = p.interpreter(qemu)
        if not os.access(interpreter, os.X_OK):
            raise HostApplyError(
                f"qemu-binfmt: emulator {interpreter} for {p.name} is missing"
                " (install Debian's qemu-user-static)"
            )
    ensure_mounted(binfmt_dir)
    done: list[str] = []
    for p in platforms:
        name = prefix + p.name
        interpreter = p.interpreter(qemu)
        info = handler_info(name, binfmt_dir)
        if info is not None:
            if info.get("interpreter") == interpreter:
                continue
            raise HostApplyError(
                f"qemu-binfmt: handler {name} is already registered with interpreter"
                f" {info.get('interpreter')}; not replacing a handler that is not ours"
            )
        try:
            (binfmt_dir / "register").write_text(registration(p, name, interpreter))
        except OSError as err:
            raise HostApplyError(f"qemu-binfmt: registering {name} failed: {err}") from None
        done.append(name)
    return done


def unregister(
    platforms: Iterable[QemuPlatform],
    prefix: str = "qemu-",
    qemu: str = "qemu",
    binfmt_dir: Path = BINFMT_DIR,
) -> list[str]:
    """Remove our handlers for `platforms`; return the names removed."""
    removed: list[str] = []
    for p in platforms:
        name = prefix + p.name
        info = handler_info(name, binfmt_dir)
        if info is None or info.get("interpreter") != p.interpreter(qemu):
            continue  # absent, or someone else's handler
        try:
            (binfmt_dir / name).write_text("-1")
        except OSError as err:
            raise HostApplyError(f"qemu-binfmt: removing {name} failed: {err}") from None
        removed.append(name)
    return removed


def main(argv: list[str] | None = None) -> int:
    """`python -m pyganeti.host.binfmt register|unregister [--prefix P] [--qemu Q] NAMES`."""
    parser = argparse.ArgumentParser(prog="python -m pyganeti.host.binfmt")
    parser.add_argument("action", choices=("register", "unregister"))
    parser.add_argument("--prefix", default="qemu-")
    parser.add_argument("--qemu", default="qemu")
    parser.add_argument("--binfmt-dir", type=Path, default=BINFMT_DIR)
    parser.add_argument("platforms", nargs="*")
    args = parser.parse_intermixed_args(argv)
    try:
        platforms = lookup_qemu_platforms(*args.platforms)
        action = register if args.action == "register" else unregister
        names = action(platforms, args.prefix, args.qemu, args.binfmt_dir)
    except (HostApplyError, HostConfigError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for name in names:
        print(f"{args.action}ed {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

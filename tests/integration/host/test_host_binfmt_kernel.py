"""Real binfmt_misc: register an aarch64 handler, run a foreign binary, unregister it."""

from __future__ import annotations

import os
import struct
import subprocess
import uuid
from pathlib import Path

import pytest

from pyganeti.host.binfmt import BINFMT_DIR, ensure_mounted, handler_info, register, unregister
from pyganeti.host.errors import HostApplyError
from pyganeti.host.records import lookup_qemu_platforms

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="binfmt_misc needs root"),
    pytest.mark.skipif(
        not Path("/usr/bin/qemu-aarch64-static").exists(), reason="qemu-user-static absent"
    ),
]


def _aarch64_hello(path: Path) -> None:
    """Write a minimal static aarch64 Linux ELF printing "ok" (no toolchain needed)."""
    code = [
        0xD2800020,  # mov x0, #1          (stdout)
        0x100000E1,  # adr x1, message     (28 bytes ahead)
        0xD2800062,  # mov x2, #3
        0xD2800808,  # mov x8, #64         (write)
        0xD4000001,  # svc #0
        0xD2800000,  # mov x0, #0
        0xD2800BA8,  # mov x8, #93         (exit)
        0xD4000001,  # svc #0
    ]
    body = b"".join(struct.pack("<I", c) for c in code) + b"ok\n"
    base, headers = 0x400000, 64 + 56
    size = headers + len(body)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    elf = ident + struct.pack(
        "<HHIQQQIHHHHHH", 2, 183, 1, base + headers, 64, 0, 0, 64, 56, 1, 64, 0, 0
    )
    program = struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, size, size, 0x1000)
    path.write_bytes(elf + program + body)
    path.chmod(0o755)


def test_foreign_binary_runs_through_our_handler(tmp_path: Path) -> None:
    try:
        ensure_mounted()
    except HostApplyError as err:
        pytest.skip(f"binfmt_misc unavailable here: {err}")
    prefix = f"pyganeti-test-{uuid.uuid4().hex[:8]}-"
    platforms = lookup_qemu_platforms("aarch64")
    hello = tmp_path / "hello"
    _aarch64_hello(hello)
    if handler_info("qemu-aarch64") is None:
        # Without any handler the kernel cannot run it: proves ours does the work.
        with pytest.raises(OSError):
            subprocess.run([str(hello)], check=False)
    try:
        assert register(platforms, prefix) == [f"{prefix}aarch64"]
        info = handler_info(f"{prefix}aarch64")
        assert info is not None and info["state"] == "enabled"
        assert info["interpreter"] == "/usr/bin/qemu-aarch64-static"
        out = subprocess.run([str(hello)], capture_output=True, text=True, check=True)
        assert out.stdout == "ok\n"
    finally:
        removed = unregister(platforms, prefix)
    assert removed == [f"{prefix}aarch64"]
    assert not (BINFMT_DIR / f"{prefix}aarch64").exists()

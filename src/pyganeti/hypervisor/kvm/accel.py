"""Choose KVM or software emulation (TCG) by booting a probe guest, not by asking.

A /dev/kvm that opens, or QMP's query-kvm saying "enabled", does not prove that a guest
runs: a paravirtual KVM without VMX/SVM accepts the VM and then hangs it, or runs it
fitfully. The probe boots a 512-byte boot sector that waits for three BIOS timer ticks
(interrupts and HLT wake-ups), writes "K" to the serial port and exits QEMU through
isa-debug-exit. KVM is chosen only if that succeeds three times in a row, each run no
slower than twice what software emulation took: a KVM that sometimes hangs, or that is
slower than emulation, is not worth using. The answer is cached per QEMU binary and
host boot in Paths.kvm_run_dir/accel.json.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pyganeti.paths import Paths

log = logging.getLogger(__name__)

KVM = "kvm"
TCG = "tcg"
PROBE_TIMEOUT = 8.0
# xor ax,ax; mov ds,ax; sti; mov bx,[0x46c]; add bx,3; w: hlt; mov ax,[0x46c]; cmp ax,bx;
# jb w; mov dx,0x3f8; mov al,'K'; out dx,al; mov al,0x10; out 0xf4,al; cli; hlt; jmp $-1
_BOOT_CODE = bytes.fromhex("31c08ed8fb8b1e6c0483c303f4a16c0439d872f8baf803b04beeb010e6f4faf4ebfd")
KVM_RUNS = 3
_EXIT_OK = (0x10 << 1) | 1  # isa-debug-exit turns the written value v into (v << 1) | 1
_lock = threading.Lock()


@dataclass(frozen=True)
class AccelChoice:
    accel: str  # KVM or TCG
    reason: str

    @property
    def warning(self) -> str | None:
        if self.accel == TCG:
            return f"KVM acceleration unavailable ({self.reason}): using software emulation"
        return None


def boot_sector() -> bytes:
    return _BOOT_CODE + bytes(510 - len(_BOOT_CODE)) + b"\x55\xaa"


def run_probe(kvm_path: str, accel: str, timeout: float = PROBE_TIMEOUT) -> tuple[bool, str]:
    """Boot the probe sector under `accel`; (booted, explanation)."""
    with tempfile.TemporaryDirectory(prefix="pyganeti-accel-") as tmp:
        image = Path(tmp) / "probe.img"
        image.write_bytes(boot_sector())
        argv = [
            kvm_path, "-accel", accel, "-nodefaults", "-no-user-config", "-display", "none",
            "-m", "16", "-serial", "stdio", "-monitor", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-drive", f"file={image},format=raw,if=floppy", "-boot", "a",
        ]  # fmt: skip
        try:
            proc = subprocess.run(
                argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
            )
        except subprocess.TimeoutExpired:
            return False, f"the probe guest did not finish booting within {timeout:.1f}s"
        except OSError as err:
            return False, f"cannot run {kvm_path}: {err.strerror}"
    if proc.returncode == _EXIT_OK and proc.stdout.startswith(b"K"):
        return True, "the probe guest booted"
    detail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
    return False, f"the probe guest failed (exit {proc.returncode}: {detail[0]})"


def timed_probe(kvm_path: str, accel: str, timeout: float) -> tuple[bool, str, float]:
    start = time.monotonic()
    works, why = run_probe(kvm_path, accel, timeout)
    return works, why, time.monotonic() - start


def _probe(kvm_path: str) -> AccelChoice:
    works, why, tcg_time = timed_probe(kvm_path, TCG, PROBE_TIMEOUT)
    if not works:
        # Emulation itself failing is a broken QEMU; KVM cannot be judged against it.
        return AccelChoice(TCG, f"software emulation probe failed too: {why}")
    limit = max(2 * tcg_time, 1.0)
    for run in range(1, KVM_RUNS + 1):
        works, why, took = timed_probe(kvm_path, KVM, limit)
        if not works:
            return AccelChoice(TCG, f"KVM probe run {run}: {why}")
        if took > limit:
            return AccelChoice(
                TCG, f"KVM probe run {run} took {took:.1f}s, emulation {tcg_time:.1f}s"
            )
    return AccelChoice(KVM, f"the KVM probe guest booted {KVM_RUNS} times within {limit:.1f}s")


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _key(kvm_path: str) -> str:
    try:
        st = os.stat(kvm_path)
        stamp = f"{st.st_ino}:{st.st_mtime_ns}"
    except OSError:
        stamp = "missing"
    return f"{os.path.realpath(kvm_path)}|{stamp}|{_boot_id()}"


def choose(paths: Paths, kvm_path: str, kvm_flag: str, dev_kvm: str = "/dev/kvm") -> AccelChoice:
    """The accelerator for a VM: kvm_flag forces it, otherwise the (cached) probe decides."""
    if kvm_flag == "disabled":
        return AccelChoice(TCG, "kvm_flag=disabled")
    if kvm_flag == "enabled":
        return AccelChoice(KVM, "kvm_flag=enabled")
    if not os.access(dev_kvm, os.R_OK | os.W_OK):
        return AccelChoice(TCG, f"{dev_kvm} is missing or not accessible")
    cache = paths.kvm_run_dir / "accel.json"
    key = _key(kvm_path)
    with _lock:
        try:
            known = json.loads(cache.read_text())
        except (OSError, ValueError):
            known = {}
        entry = known.get(key) if isinstance(known, dict) else None
        if isinstance(entry, dict) and entry.get("accel") in (KVM, TCG):
            return AccelChoice(str(entry["accel"]), str(entry.get("reason", "")))
        choice = _probe(kvm_path)
        if choice.accel == TCG:
            log.warning(
                "KVM probe with %s: %s; VMs use software emulation", kvm_path, choice.reason
            )
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(".accel.json.tmp")
        tmp.write_text(json.dumps({key: {"accel": choice.accel, "reason": choice.reason}}))
        os.replace(tmp, cache)
        return choice

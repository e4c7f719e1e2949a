"""KVM hypervisor figures on a real single-node cluster (prints numbers, asserts nothing).

  gnt-instance add → the guest's first console line (kernel) and its init's marker
  gnt-instance startup → first console line and marker
  gnt-instance shutdown (ACPI powerdown answered by the guest) → returned
for software emulation (TCG) and, where the boot probe says it works, KVM. The guest is
a Debian kernel with a busybox initramfs (pyganeti.hypervisor.kvm.guestimage).

  PYTHONPATH=src python bench/kvm_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _cluster import cluster, machine

from pyganeti.hypervisor.kvm import accel
from pyganeti.hypervisor.kvm.guestimage import BOOT_MARKER, build_guest
from pyganeti.hypervisor.kvm.runtime import RuntimeDir
from pyganeti.paths import Paths

BIN = Path(sys.executable).parent
TIMEOUT = 300.0


def gnt(paths: Paths, *argv: str) -> None:
    exe = str(BIN / argv[0]) if (BIN / argv[0]).exists() else argv[0]
    env = dict(os.environ, GANETI_ROOT=str(paths.root))
    proc = subprocess.run([exe, *argv[1:]], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stdout}{proc.stderr}")


def wait_console(rt: RuntimeDir, name: str, start: float, skip: int) -> tuple[float, float]:
    """Seconds from `start` to the first new console line and to the boot marker."""
    log = rt.console_log(name)
    first = None
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        data = log.read_bytes()[skip:] if log.exists() else b""
        if first is None and b"\n" in data:
            first = time.monotonic() - start
        if BOOT_MARKER.encode() in data:
            return first or time.monotonic() - start, time.monotonic() - start
        time.sleep(0.02)
    raise SystemExit(f"instance {name} printed no boot marker within {TIMEOUT:.0f}s")


def log_size(rt: RuntimeDir, name: str) -> int:
    path = rt.console_log(name)
    return path.stat().st_size if path.exists() else 0


def measure(
    paths: Paths, kernel: Path, initrd: Path, flag: str, runs: int
) -> dict[str, list[float]]:
    rt = RuntimeDir(paths)
    out: dict[str, list[float]] = {k: [] for k in (
        "add→first line", "add→init", "startup→first line", "startup→init", "shutdown"
    )}  # fmt: skip
    hv = (f"kvm:kernel_path={kernel},initrd_path={initrd},root_path=,kernel_args=panic=-1,"
          f"kvm_flag={flag}")  # fmt: skip
    for run in range(runs):
        name = f"bench{flag or 'probe'}{run}"
        start = time.monotonic()
        gnt(paths, "gnt-instance", "add", "-o", "noop+default", "-t", "file", "-s", "16M",
            "--no-nics", "-H", hv, "-B", "maxmem=128M,minmem=128M,vcpus=1",
            "--no-name-check", "--no-ip-check", name)  # fmt: skip
        first, init = wait_console(rt, name, start, 0)
        out["add→first line"].append(first)
        out["add→init"].append(init)
        start = time.monotonic()
        gnt(paths, "gnt-instance", "shutdown", "--timeout=120", name)
        out["shutdown"].append(time.monotonic() - start)
        skip = log_size(rt, name)
        start = time.monotonic()
        gnt(paths, "gnt-instance", "startup", name)
        first, init = wait_console(rt, name, start, skip)
        out["startup→first line"].append(first)
        out["startup→init"].append(init)
        gnt(paths, "gnt-instance", "remove", "-f", "--shutdown-timeout=120", name)
    return out


def report(title: str, figures: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    for key, values in figures.items():
        print(f"  {key:<20} median {statistics.median(values):6.2f} s"
              f"  (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("qemu-system-x86_64") is None:
        raise SystemExit("qemu-system-x86_64 is not installed")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="pyganeti-kvm-bench-") as tmp:
        image = build_guest(Path(tmp))
        with cluster() as paths:
            gnt(paths, "gnt-cluster", "modify", "--enabled-hypervisors=fake,kvm")
            choice = accel.choose(paths, "/usr/bin/kvm", "")
            print(f"KVM probe: {choice.accel} ({choice.reason})")
            report("software emulation (TCG)",
                   measure(paths, image.kernel, image.initrd, "disabled", args.runs))  # fmt: skip
            if choice.accel == accel.KVM:
                report("KVM", measure(paths, image.kernel, image.initrd, "enabled", args.runs))
            else:
                print("\nKVM: not measured, the boot probe found it unusable on this host")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

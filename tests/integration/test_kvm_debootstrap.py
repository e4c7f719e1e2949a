"""Debian's ganeti-instance-debootstrap, unchanged, as the OS provider of a KVM instance
on a file disk: the installed Debian boots to a login prompt on the serial console.

There is no device-mapper here, so kpartx cannot map partitions: the test's variant sets
PARTITION_STYLE=none (the filesystem fills the whole disk, root=/dev/vda). Its variant
configuration is bind-mounted over /etc/ganeti/instance-debootstrap inside a private
mount namespace, so the host's configuration is never touched. The installed system has
no kernel: it boots directly with a Debian kernel and a small initramfs that mounts the
disk and runs its /sbin/init (systemd), which starts a getty on ttyS0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cluster_fixture import free_node_address

from pyganeti.hypervisor.kvm.guestimage import ROOT_BOOT_INIT, build_guest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(3000),
    pytest.mark.skipif(
        shutil.which("qemu-system-x86_64") is None
        or shutil.which("debootstrap") is None
        or shutil.which("unshare") is None
        or not Path("/usr/share/ganeti/os/debootstrap/create").exists()
        or os.geteuid() != 0,
        reason="needs QEMU, debootstrap, ganeti-instance-debootstrap, unshare and root",
    ),
]

VARIANT = 'SUITE="bookworm"\nMIRROR="http://deb.debian.org/debian"\nPARTITION_STYLE="none"\n'

# Runs in a private mount namespace (unshare -m): cluster, install, boot, removal.
SCRIPT = """
import os, subprocess, sys, time
from pathlib import Path
from pyganeti.cli.umbrella import up
from pyganeti.daemons import util
from pyganeti.hypervisor.kvm.runtime import RuntimeDir
from pyganeti.paths import Paths

root, kernel, initrd, node_ip, etc = sys.argv[1:6]
subprocess.run(["mount", "--make-rprivate", "/"], check=True)
subprocess.run(["mount", "--bind", etc, "/etc/ganeti/instance-debootstrap"], check=True)
paths = Paths.from_root(root)
assert up(paths, node_ip=node_ip, quiet=True) == 0
os.symlink("/usr/share/ganeti/os/debootstrap", paths.os_search_path[0] / "debootstrap")
env = dict(os.environ, GANETI_ROOT=root)
bindir = Path(sys.executable).parent

def gnt(*argv, timeout=2400):
    exe = str(bindir / argv[0]) if (bindir / argv[0]).exists() else argv[0]
    proc = subprocess.run([exe, *argv[1:]], env=env, capture_output=True, text=True,
                          timeout=timeout)
    print("RUN", " ".join(argv[:3]), proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc.returncode

try:
    gnt("gnt-cluster", "modify", "--enabled-hypervisors=fake,kvm")
    start = time.monotonic()
    code = gnt("gnt-instance", "add", "-o", "debootstrap+pyganeti", "-t", "file", "-s", "1G",
               "--no-nics", "-H",
               f"kvm:kernel_path={kernel},initrd_path={initrd},root_path=/dev/vda",
               "-B", "maxmem=256M,minmem=256M,vcpus=1", "--no-name-check", "--no-ip-check",
               "deb1")
    print("INSTALLED", code, f"{time.monotonic() - start:.0f}s")
    log = RuntimeDir(paths).console_log("deb1")
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "deb1 login:" in text:
            print("LOGIN-PROMPT", f"{time.monotonic() - start:.0f}s")
            break
        time.sleep(1)
    else:
        print("CONSOLE", text[-3000:])
    # The fresh system ignores the ACPI power button (nothing handles it yet): the
    # shutdown timeout ends in a kill, which must stay below the RPC's 60 s.
    gnt("gnt-instance", "remove", "-f", "--shutdown-timeout=20", "deb1")
finally:
    util.stop_all(paths)
    subprocess.run(["umount", "/etc/ganeti/instance-debootstrap"], check=False)
"""


def test_debootstrap_install_boots_to_a_login_prompt(tmp_path: Path) -> None:
    try:
        guest = build_guest(tmp_path / "boot", init=ROOT_BOOT_INIT)
    except Exception as err:
        pytest.skip(f"cannot build the boot initramfs: {err}")
    etc = tmp_path / "instance-debootstrap"
    (etc / "variants").mkdir(parents=True)
    (etc / "hooks").mkdir()
    (etc / "variants.list").write_text("default\npyganeti\n")
    (etc / "variants/default.conf").write_text("")
    (etc / "variants/pyganeti.conf").write_text(VARIANT)
    script = tmp_path / "inside.py"
    script.write_text(textwrap.dedent(SCRIPT))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    env.pop("GANETI_ROOT", None)
    proc = subprocess.run(
        ["unshare", "-m", sys.executable, str(script), str(tmp_path / "root"),
         str(guest.kernel), str(guest.initrd), free_node_address(), str(etc)],
        capture_output=True, text=True, timeout=2900, env=env,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, f"{out}\n{proc.stderr}"
    assert "INSTALLED 0" in out, out
    assert "LOGIN-PROMPT" in out, out
    assert "RUN gnt-instance remove -f 0" in out, out

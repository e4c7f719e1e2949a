"""`pyganeti demo-vm` on a cluster from `pyganeti up`: enables kvm, boots the tiny guest,
prints its first console lines and the removal command, which then leaves nothing."""

from __future__ import annotations

import os
import shlex
import signal

from cluster_fixture import Cluster
from test_kvm_lifecycle import (  # same requirements (qemu, apt-get), slow
    pytestmark,  # noqa: F401
    qemu_and_loggers,
    status,
)

from pyganeti.hypervisor.kvm.guestimage import BOOT_MARKER
from pyganeti.hypervisor.kvm.runtime import RuntimeDir

NAME = "demo-vm1"


def test_demo_vm(cluster: Cluster) -> None:
    rt = RuntimeDir(cluster.paths)
    root = str(cluster.paths.root)
    # Bad input first: a non-positive timeout, a root with no cluster.
    bad = cluster.run("pyganeti", "demo-vm", "--root", root, "--timeout", "0")
    assert bad.returncode != 0 and "timeout must be positive" in bad.stderr
    bad = cluster.run("pyganeti", "demo-vm", "--root", "/nonexistent/pyganeti-root")
    assert bad.returncode != 0 and "pyganeti up --root /nonexistent/pyganeti-root" in bad.stderr
    try:
        proc = cluster.run("pyganeti", "demo-vm", "--root", root, timeout=600)
        print(proc.stdout)
        assert proc.returncode == 0, proc.stderr
        assert "Enabling the kvm hypervisor" in proc.stdout
        assert f"  | {BOOT_MARKER}" in proc.stdout
        assert status(cluster, NAME) == "running"
        hvs = cluster.run("gnt-cluster", "info", check=True).stdout
        assert "kvm" in hvs
        # A second run refuses to clobber the instance and says how to remove it.
        again = cluster.run("pyganeti", "demo-vm", "--root", root)
        assert again.returncode != 0 and f"instance {NAME} already exists" in again.stderr
        # The printed removal command works and leaves no process behind.
        lines = [ln.strip() for ln in proc.stdout.splitlines()]
        remove = next(ln for ln in lines if ln.startswith(f"gnt-instance remove -f {NAME}"))
        argv = shlex.split(remove.split("#")[0])
        cluster.run(*argv, check=True, timeout=120)
        assert qemu_and_loggers(rt) == []
        assert NAME not in cluster.run("gnt-instance", "list", "--no-headers", "-o", "name").stdout
    finally:
        for leftover in qemu_and_loggers(rt):
            os.kill(leftover, signal.SIGKILL)

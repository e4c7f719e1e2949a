"""Debian's real ganeti-instance-debootstrap, made visible in a relocated root by
`pyganeti host apply`, reads that root's variant files (not the machine's /etc)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pyganeti.host.apply import apply_host
from pyganeti.host.loader import load_host_file
from pyganeti.host.render.services import Service
from pyganeti.osprovider.discovery import diagnose
from pyganeti.osprovider.env import SCRIPT_PATH
from pyganeti.paths import Paths

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "guix-system-test.toml"
DEBIAN_PROVIDER = Path("/usr/share/ganeti/os/debootstrap")

pytestmark = pytest.mark.skipif(
    not (DEBIAN_PROVIDER / "create").exists(), reason="ganeti-instance-debootstrap not installed"
)


class NoServices:
    """Apply's service manager when only the files matter here."""

    def install(self, services: tuple[Service, ...]) -> None:
        pass

    def start(self, name: str, command: tuple[str, ...] | None = None) -> Any:
        pass

    def stop(self, name: str) -> Any:
        pass

    def restart(self, name: str) -> Any:
        pass

    def status(self, name: str | None = None) -> Any:
        return []

    def enable(self, name: str) -> Any:
        pass

    def disable(self, name: str) -> Any:
        pass


def test_debootstrap_provider_uses_the_roots_variants(tmp_path: Path) -> None:
    root = tmp_path / "root"
    report = apply_host(load_host_file(EXAMPLE), root, NoServices())
    assert report.notes == [] and not report.errors
    paths = Paths.from_root(root)
    found = {e["name"]: e for e in diagnose(paths)}
    assert sorted(found) == ["debootstrap", "guix"]
    assert found["debootstrap"]["status"] and found["debootstrap"]["variants"] == ["default"]

    os_dir = paths.os_search_path[0] / "debootstrap"
    assert os.readlink(os_dir / "common.sh") == str(DEBIAN_PROVIDER / "common.sh")
    disk = tmp_path / "disk0"
    disk.write_bytes(bytes(1024))
    env = {
        "PATH": SCRIPT_PATH,
        "OS_API_VERSION": "20",
        "OS_VARIANT": "nope",
        "INSTANCE_NAME": "inst1",
        "DISK_COUNT": "1",
        "DISK_0_PATH": str(disk),
        "HYPERVISOR": "fake",
    }
    proc = subprocess.run(
        [str(os_dir / "create")], cwd=os_dir, env=env, capture_output=True, text=True, timeout=60
    )
    # Refused before any work, naming the variant file it looked for: under the root.
    assert proc.returncode == 1
    variants = root / "etc/ganeti/instance-debootstrap/variants"
    assert f"please create file {variants}/nope.conf" in proc.stderr
    assert disk.read_bytes() == bytes(1024)
    assert (variants / "default.conf").read_text().count("SUITE=stable") == 1

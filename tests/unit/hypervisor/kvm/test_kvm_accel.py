"""The accelerator probe: KVM only when a guest really boots under it, else TCG."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pyganeti.hypervisor.kvm import accel
from pyganeti.paths import Paths

# A stand-in for QEMU: TCG boots the probe; KVM behaves as $KVM_MODE says.
FAKE_QEMU = """#!/bin/sh
case "$*" in
  *"-accel tcg"*) printf K; exit 33;;
esac
case "{mode}" in
  works) printf K; exit 33;;
  hangs) exec sleep 30;;
  fails) echo "kvm: failed to initialize kvm: Operation not permitted" >&2; exit 1;;
esac
"""


def fake_qemu(tmp_path: Path, mode: str) -> str:
    path = tmp_path / f"qemu-{mode}"
    path.write_text(FAKE_QEMU.replace("{mode}", mode))
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def dev_kvm(tmp_path: Path) -> str:
    dev = tmp_path / "kvm-device"
    dev.write_bytes(b"")
    return str(dev)


def test_boot_sector_is_a_valid_mbr() -> None:
    sector = accel.boot_sector()
    assert len(sector) == 512 and sector.endswith(b"\x55\xaa")


@pytest.mark.parametrize(
    ("mode", "expected", "reason"),
    [
        ("works", accel.KVM, "booted 3 times"),
        ("hangs", accel.TCG, "did not finish booting"),
        ("fails", accel.TCG, "Operation not permitted"),
    ],
)
def test_probe_decides_and_caches(
    tmp_path: Path, dev_kvm: str, mode: str, expected: str, reason: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    paths = Paths.from_root(tmp_path / "root")
    qemu = fake_qemu(tmp_path, mode)
    choice = accel.choose(paths, qemu, "", dev_kvm=dev_kvm)
    assert choice.accel == expected and reason in choice.reason
    assert (choice.warning is None) == (expected == accel.KVM)
    cached = json.loads((paths.kvm_run_dir / "accel.json").read_text())
    assert [v["accel"] for v in cached.values()] == [expected]
    # The cached answer is reused without probing again...
    monkeypatch.setattr(accel, "run_probe", lambda *a: pytest.fail("probed again"))
    assert accel.choose(paths, qemu, "", dev_kvm=dev_kvm) == choice
    # ...until the QEMU binary changes.
    monkeypatch.undo()
    Path(qemu).write_text("#!/bin/sh\nexit 99\n")
    again = accel.choose(paths, qemu, "", dev_kvm=dev_kvm)
    assert again.accel == accel.TCG and "software emulation probe failed too" in again.reason


def test_flags_and_missing_device_skip_the_probe(tmp_path: Path) -> None:
    paths = Paths.from_root(tmp_path)
    assert accel.choose(paths, "/nonexistent", "disabled").accel == accel.TCG
    assert accel.choose(paths, "/nonexistent", "enabled").accel == accel.KVM
    missing = accel.choose(paths, "/nonexistent", "", dev_kvm=str(tmp_path / "none"))
    assert missing.accel == accel.TCG and "missing or not accessible" in missing.reason
    assert not (paths.kvm_run_dir / "accel.json").exists()


@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="needs QEMU")
def test_the_probe_boots_under_real_emulation() -> None:
    works, why = accel.run_probe(shutil.which("qemu-system-x86_64") or "", accel.TCG, 60)
    assert works, why

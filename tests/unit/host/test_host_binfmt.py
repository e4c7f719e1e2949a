"""binfmt_misc registration logic against a stand-in directory (no kernel state touched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyganeti.host.binfmt import handler_info, main, register, registration, unregister
from pyganeti.host.errors import HostApplyError
from pyganeti.host.records import lookup_qemu_platforms
from pyganeti.host.records.qemu_binfmt import QEMU_PLATFORMS


def _fake_qemu(tmp_path: Path, *names: str) -> str:
    prefix = tmp_path / "qemu"
    (prefix / "bin").mkdir(parents=True)
    for name in names:
        exe = prefix / "bin" / f"qemu-{name}-static"
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    return str(prefix)


def _fake_binfmt(tmp_path: Path) -> Path:
    d = tmp_path / "binfmt_misc"
    d.mkdir()
    (d / "register").write_text("")
    return d


def test_registration_line() -> None:
    line = registration(QEMU_PLATFORMS["arm"], "qemu-arm", "/usr/bin/qemu-arm-static")
    fields = line.split(":")
    assert fields[:4] == ["", "qemu-arm", "M", "0"]
    assert fields[4].startswith("\\x7f\\x45\\x4c\\x46\\x01") and fields[4].endswith("\\x28\\x00")
    assert fields[5].startswith("\\xff") and fields[6:] == ["/usr/bin/qemu-arm-static", "F"]
    assert len(fields[4]) == len(fields[5]) == 4 * 20


def test_register_writes_registration(tmp_path: Path) -> None:
    qemu = _fake_qemu(tmp_path, "arm")
    d = _fake_binfmt(tmp_path)
    assert register(lookup_qemu_platforms("arm"), "t-", qemu, d) == ["t-arm"]
    assert (d / "register").read_text().startswith(":t-arm:M:0:")


def test_missing_emulator_is_an_error_before_anything_is_written(tmp_path: Path) -> None:
    qemu = _fake_qemu(tmp_path, "arm")
    d = _fake_binfmt(tmp_path)
    with pytest.raises(HostApplyError, match="qemu-aarch64-static for aarch64 is missing"):
        register(lookup_qemu_platforms("arm", "aarch64"), "t-", qemu, d)
    assert (d / "register").read_text() == ""


def test_someone_elses_handler_is_neither_replaced_nor_removed(tmp_path: Path) -> None:
    qemu = _fake_qemu(tmp_path, "arm")
    d = _fake_binfmt(tmp_path)
    (d / "t-arm").write_text("enabled\ninterpreter /usr/libexec/other\nflags: F\n")
    with pytest.raises(HostApplyError, match="not ours"):
        register(lookup_qemu_platforms("arm"), "t-", qemu, d)
    assert unregister(lookup_qemu_platforms("arm"), "t-", qemu, d) == []
    assert (d / "t-arm").read_text().startswith("enabled")
    assert (d / "register").read_text() == ""


def test_our_handler_is_kept_on_register_and_removed_on_unregister(tmp_path: Path) -> None:
    qemu = _fake_qemu(tmp_path, "arm")
    d = _fake_binfmt(tmp_path)
    interp = f"{qemu}/bin/qemu-arm-static"
    (d / "t-arm").write_text(f"enabled\ninterpreter {interp}\nflags: F\noffset 0\n")
    assert handler_info("t-arm", d) == {
        "state": "enabled",
        "interpreter": interp,
        "flags": "F",
        "offset": "0",
    }
    assert register(lookup_qemu_platforms("arm"), "t-", qemu, d) == []
    assert unregister(lookup_qemu_platforms("arm"), "t-", qemu, d) == ["t-arm"]
    assert (d / "t-arm").read_text() == "-1"  # what the kernel takes as "remove"


def test_main_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _fake_binfmt(tmp_path)
    assert main(["register", "--binfmt-dir", str(d), "vax"]) == 1
    assert "unknown QEMU platform(s) 'vax'" in capsys.readouterr().err

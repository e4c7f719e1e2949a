"""qemu-binfmt-configuration, lookup-qemu-platforms, qemu-platform?, qemu-platform-name."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records import (
    QemuBinfmtConfiguration,
    lookup_qemu_platforms,
    qemu_platform_name,
    qemu_platform_p,
)
from pyganeti.host.records.qemu_binfmt import QEMU_PLATFORMS


def test_defaults() -> None:
    conf = QemuBinfmtConfiguration()
    assert conf.platforms == () and conf.qemu == "qemu"


def test_lookup_predicate_and_name() -> None:
    arm, aarch64 = lookup_qemu_platforms("arm", "aarch64")
    assert qemu_platform_p(arm) and not qemu_platform_p("arm")
    assert qemu_platform_name(aarch64) == "aarch64"
    conf = QemuBinfmtConfiguration(platforms=(arm, aarch64))
    assert [p.name for p in conf.platforms] == ["arm", "aarch64"]


def test_unknown_platform_is_named() -> None:
    with pytest.raises(HostConfigError, match="'armx'") as err:
        lookup_qemu_platforms("arm", "armx")
    assert err.value.field == "platforms"


def test_duplicate_platform_rejected() -> None:
    with pytest.raises(HostConfigError, match="more than once"):
        QemuBinfmtConfiguration(platforms=lookup_qemu_platforms("arm", "arm"))


def test_aarch64_magic_and_mask_are_qemus() -> None:
    p = QEMU_PLATFORMS["aarch64"]
    # ELF, 64-bit, little endian, version 1, ET_EXEC (mask allows ET_DYN), EM_AARCH64.
    assert p.magic == b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\xb7\x00"
    assert p.mask == b"\xff" * 7 + b"\x00" + b"\xff" * 8 + b"\xfe\xff\xff\xff"
    assert len(p.magic) == len(p.mask)


@pytest.mark.skipif(not Path("/usr/share/binfmts").is_dir(), reason="qemu-user-static absent")
def test_table_matches_debian_qemu_user_static() -> None:
    # The facts were taken from these files; a new qemu upload must not drift unnoticed.
    for name, platform in QEMU_PLATFORMS.items():
        spec = Path(f"/usr/share/binfmts/qemu-{name}")
        if not spec.exists():
            continue
        fields = dict(line.split(" ", 1) for line in spec.read_text().splitlines() if " " in line)
        decode = lambda s: s.encode().decode("unicode_escape").encode("latin-1")  # noqa: E731
        assert decode(fields["magic"]) == platform.magic, name
        assert decode(fields["mask"]) == platform.mask, name


def test_interpreter_paths() -> None:
    arm = QEMU_PLATFORMS["arm"]
    assert arm.interpreter() == "/usr/bin/qemu-arm-static"
    assert arm.interpreter("/opt/qemu") == "/opt/qemu/bin/qemu-arm-static"

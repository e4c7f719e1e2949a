"""The `qemu-binfmt-configuration` record and QEMU platforms (lookup-qemu-platforms & co).

Magic and mask of each platform are the facts Debian's qemu-user-static ships in
/usr/share/binfmts/qemu-* (from QEMU's scripts/qemu-binfmt-conf.sh), hex-encoded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records.schema import Record, Source, check_non_empty, located_error, setting

# (name, ELF magic, mask), as hex.
# fmt: off
_PLATFORM_TABLE: tuple[tuple[str, str, str], ...] = (
    ("aarch64", "7f454c460201010000000000000000000200b700", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("alpha", "7f454c4602010100000000000000000002002690", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("arm", "7f454c4601010100000000000000000002002800", "ffffffffffffff00fffffffffffffffffeffffff"),
    ("armeb", "7f454c4601020100000000000000000000020028", "ffffffffffffff00fffffffffffffffffffeffff"),  # noqa: E501
    ("cris", "7f454c4601010100000000000000000002004c00", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("hexagon", "7f454c460101010000000000000000000200a400", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("hppa", "7f454c460102010000000000000000000002000f", "ffffffffffffff00fffffffffffffffffffeffff"),  # noqa: E501
    ("loongarch64", "7f454c4602010100000000000000000002000201", "fffffffffffffffc00fffffffffffffffeffffff"),  # noqa: E501
    ("m68k", "7f454c4601020100000000000000000000020004", "ffffffffffffff00fffffffffffffffffffeffff"),  # noqa: E501
    ("microblaze", "7f454c460102010000000000000000000002baab", "ffffffffffffff00fffffffffffffffffffeffff"),  # noqa: E501
    ("mips", "7f454c46010201000000000000000000000200080000000000000000000000000000000000000000", "ffffffffffffff00fefffffffffffffffffeffff0000000000000000000000000000000000000020"),  # noqa: E501
    ("mips64", "7f454c4602020100000000000000000000020008", "ffffffffffffff00fefffffffffffffffffeffff"),  # noqa: E501
    ("mips64el", "7f454c4602010100000000000000000002000800", "ffffffffffffff00fefffffffffffffffeffffff"),  # noqa: E501
    ("mipsel", "7f454c46010101000000000000000000020008000000000000000000000000000000000000", "ffffffffffffff00fefffffffffffffffeffffff0000000000000000000000000000000020"),  # noqa: E501
    ("mipsn32", "7f454c46010201000000000000000000000200080000000000000000000000000000000000000020", "ffffffffffffff00fefffffffffffffffffeffff0000000000000000000000000000000000000020"),  # noqa: E501
    ("mipsn32el", "7f454c46010101000000000000000000020008000000000000000000000000000000000020", "ffffffffffffff00fefffffffffffffffeffffff0000000000000000000000000000000020"),  # noqa: E501
    ("ppc", "7f454c4601020100000000000000000000020014", "fffffffffffffffcfffffffffffffffffffeffff"),
    ("ppc64", "7f454c4602020100000000000000000000020015", "fffffffffffffffcfffffffffffffffffffeffff"),  # noqa: E501
    ("ppc64le", "7f454c4602010100000000000000000002001500", "fffffffffffffffcfffffffffffffffffeffff00"),  # noqa: E501
    ("riscv32", "7f454c460101010000000000000000000200f300", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("riscv64", "7f454c460201010000000000000000000200f300", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("s390x", "7f454c4602020100000000000000000000020016", "fffffffffffffffcfffffffffffffffffffeffff"),  # noqa: E501
    ("sh4", "7f454c4601010100000000000000000002002a00", "fffffffffffffffcfffffffffffffffffeffffff"),
    ("sh4eb", "7f454c460102010000000000000000000002002a", "fffffffffffffffcfffffffffffffffffffeffff"),  # noqa: E501
    ("sparc", "7f454c4601020100000000000000000000020002", "fffffffffffffffcfffffffffffffffffffeffff"),  # noqa: E501
    ("sparc32plus", "7f454c4601020100000000000000000000020012", "fffffffffffffffcfffffffffffffffffffeffff"),  # noqa: E501
    ("sparc64", "7f454c460202010000000000000000000002002b", "fffffffffffffffcfffffffffffffffffffeffff"),  # noqa: E501
    ("xtensa", "7f454c4601010100000000000000000002005e00", "ffffffffffffff00fffffffffffffffffeffffff"),  # noqa: E501
    ("xtensaeb", "7f454c460102010000000000000000000002005e", "ffffffffffffff00fffffffffffffffffffeffff"),  # noqa: E501
)
# fmt: on


@dataclass(frozen=True)
class QemuPlatform:
    """A platform QEMU can emulate: its name and the binfmt_misc magic and mask."""

    name: str
    magic: bytes
    mask: bytes

    def interpreter(self, qemu: str = "qemu") -> str:
        """Path of the static emulator: Debian's qemu-user-static, or under prefix `qemu`."""
        binary = f"qemu-{self.name}-static"
        if "/" in qemu:
            return f"{qemu.rstrip('/')}/bin/{binary}"
        return f"/usr/bin/{binary}"


QEMU_PLATFORMS: dict[str, QemuPlatform] = {
    name: QemuPlatform(name, bytes.fromhex(magic), bytes.fromhex(mask))
    for name, magic, mask in _PLATFORM_TABLE
}


def lookup_qemu_platforms(*names: str) -> tuple[QemuPlatform, ...]:
    """lookup-qemu-platforms: the platform objects for `names` ("arm", "mips64el", ...)."""
    unknown = [n for n in names if n not in QEMU_PLATFORMS]
    if unknown:
        raise HostConfigError(
            f"unknown QEMU platform(s) {', '.join(map(repr, unknown))}"
            f" (known: {', '.join(sorted(QEMU_PLATFORMS))})",
            record=QemuBinfmtConfiguration.RECORD,
            field="platforms",
        )
    return tuple(QEMU_PLATFORMS[n] for n in names)


def qemu_platform_p(obj: object) -> bool:
    """qemu-platform?: whether `obj` is a platform object."""
    return isinstance(obj, QemuPlatform)


def qemu_platform_name(platform: QemuPlatform) -> str:
    """qemu-platform-name: the platform's name, e.g. "arm"."""
    return platform.name


def _parse_platforms(raw: Any, source: Source, path: tuple[str | int, ...]) -> Any:
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise located_error(
            'expected a list of platform names such as ["arm"]',
            source,
            path,
            QemuBinfmtConfiguration.RECORD,
            "platforms",
        )
    try:
        return lookup_qemu_platforms(*raw)
    except HostConfigError as err:
        raise err.located(source.file, source.line(path)) from None


def _check_unique(value: object) -> str | None:
    if isinstance(value, tuple):
        names = [p.name for p in value if isinstance(p, QemuPlatform)]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            return f"platform {sorted(dup)[0]!r} is listed more than once"
    return None


@dataclass(frozen=True, kw_only=True)
class QemuBinfmtConfiguration(Record):
    """Transparent emulation of foreign binaries through QEMU and binfmt_misc."""

    RECORD = "qemu-binfmt-configuration"
    DOC = (
        "Registers one binfmt_misc handler per platform so that foreign-architecture"
        " binaries run transparently under QEMU; stopping the service unregisters them."
    )

    platforms: tuple[QemuPlatform, ...] = setting(
        (),
        doc="List of emulated QEMU platforms, as returned by lookup-qemu-platforms; in TOML"
        ' a list of names such as ["arm", "aarch64"].',
        parse=_parse_platforms,
        check=_check_unique,
        default_doc="()",
    )
    qemu: str = setting(
        "qemu",
        doc="The QEMU package: a name means Debian's qemu-user-static binaries"
        " (/usr/bin/qemu-ARCH-static); a value containing '/' is a prefix whose bin/"
        " holds qemu-ARCH-static.",
        check=check_non_empty,
    )


def platforms_named(names: Iterable[str]) -> tuple[QemuPlatform, ...]:
    """Platforms for an iterable of names (convenience over lookup_qemu_platforms)."""
    return lookup_qemu_platforms(*names)

"""OS provider records (`ganeti-os`, `ganeti-os-variant`, `debootstrap-configuration`).

Also the seeds' helpers (debootstrap-variant, debootstrap-os, guix-variant, guix-os) and
defaults (%default-debootstrap-hooks, ...-extra-pkgs, ...-variants, %default-guix-variants,
%default-ganeti-os). Variant files are described by content (`PlainFile`), by a path on
the host (`LocalFile`, rendered as a symlink) or, for debootstrap, by a record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records.schema import (
    Record,
    Source,
    build,
    check_all,
    check_each,
    check_non_empty,
    check_non_negative,
    check_positive,
    located_error,
    setting,
)

# run-parts(8), which ganeti-instance-debootstrap uses for its hooks, silently skips
# files whose names are not made of these characters: refuse them up front.
_RUN_PARTS_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_VARIANT_NAME = re.compile(r"^[A-Za-z0-9_.+-]+$")


def _check_variant_name(value: object) -> str | None:
    if isinstance(value, str) and not _VARIANT_NAME.match(value):
        return f"{value!r} is not a valid name (letters, digits, '_', '.', '+', '-')"
    return None


def _check_hooks(value: object) -> str | None:
    if isinstance(value, tuple):
        names = [pair[0] for pair in value]
        for name in names:
            if not _RUN_PARTS_NAME.match(name):
                return (
                    f"hook name {name!r} would be skipped by run-parts: use only letters,"
                    " digits, '_' and '-'"
                )
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            return f"hook {sorted(dup)[0]!r} is given more than once"
    if isinstance(value, str) and not value.startswith("/"):
        return f"hooks directory {value!r} is not an absolute path"
    return None


def _check_extension(value: object) -> str | None:
    if isinstance(value, str) and value and (not value.startswith(".") or "/" in value):
        return f"extension {value!r} must start with '.' and contain no '/'"
    return None


@dataclass(frozen=True, kw_only=True)
class PlainFile(Record):
    """A file given by its content (Guix's plain-file)."""

    RECORD = "plain-file"
    DOC = "A file given by its name and content."

    name: str = setting(
        doc="A name for the file (informational, as in Guix).", check=check_non_empty
    )
    content: str = setting(doc="The file's content.")


@dataclass(frozen=True, kw_only=True)
class LocalFile(Record):
    """A file already on the host; the rendered variant file is a symlink to it."""

    RECORD = "local-file"
    DOC = "A file already present on the host, referred to by absolute path."

    path: str = setting(doc="Absolute path of the file on the host.", check=check_non_empty)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.path.startswith("/"):
            raise HostConfigError(
                f"{self.path!r} is not an absolute path", record=self.RECORD, field="path"
            )


def _parse_hooks(raw: Any, source: Source, path: tuple[str | int, ...]) -> Any:
    # TOML spelling: false (#f), a directory path, a table name → content (kept in
    # file order), or a list of [name, content] pairs.
    if raw is False:
        return None
    if isinstance(raw, Mapping):
        return tuple((str(k), v) for k, v in raw.items())
    if isinstance(raw, list):
        return tuple(tuple(p) if isinstance(p, list) else p for p in raw)
    return raw


_NETWORK_HOOK = """#!/bin/sh
# Configure DHCP on the first network interface of a new debootstrap instance.
set -e
[ -n "$TARGET" ] && [ -d "$TARGET" ] || { echo "Missing target directory" >&2; exit 1; }
[ "${NIC_COUNT:-0}" -gt 0 ] || exit 0
mkdir -p "$TARGET/etc/network"
cat > "$TARGET/etc/network/interfaces" <<EOF
auto lo
iface lo inet loopback

auto eth0
iface eth0 inet dhcp
EOF
"""

_GRUB_HOOK = """#!/bin/bash
# Install GRUB on the instance disk so that KVM can boot it without a host kernel.
set -e
[ -n "$TARGET" ] && [ -d "$TARGET" ] || { echo "Missing target directory" >&2; exit 1; }
export LANG=C DEBIAN_FRONTEND=noninteractive
if [ -n "$PROXY" ]; then export http_proxy="$PROXY" https_proxy="$PROXY"; fi
chroot "$TARGET" apt-get -y install grub-pc
mknod "$TARGET/dev/sda" b $(stat -L -c "0x%t 0x%T" "$BLOCKDEV")
mknod "$TARGET/dev/sda1" b $(stat -L -c "0x%t 0x%T" "$FSYSDEV")
trap 'rm -f "$TARGET/dev/sda" "$TARGET/dev/sda1"' EXIT
mkdir -p "$TARGET/boot/grub"
echo "(hd0) /dev/sda" > "$TARGET/boot/grub/device.map"
chroot "$TARGET" update-grub
grub-install --no-floppy --root-directory="$TARGET" "$BLOCKDEV"
"""

DEFAULT_DEBOOTSTRAP_HOOKS: tuple[tuple[str, str], ...] = (
    ("10-network", _NETWORK_HOOK),
    ("90-grub", _GRUB_HOOK),
)
"""%default-debootstrap-hooks: configure networking and the GRUB bootloader."""

DEFAULT_DEBOOTSTRAP_EXTRA_PKGS: tuple[str, ...] = (
    "acpi-support-base",
    "udev",
    "linux-image-amd64",
    "openssh-server",
    "locales-all",
    "ifupdown",
    "isc-dhcp-client",
    "netbase",
)
"""%default-debootstrap-extra-pkgs: packages for a fully-virtualized (KVM) guest."""


@dataclass(frozen=True, kw_only=True)
class DebootstrapConfiguration(Record):
    """A variant file of the debootstrap OS provider (ganeti-instance-debootstrap)."""

    RECORD = "debootstrap-configuration"
    DOC = "Creates variant files suitable for the debootstrap OS provider."

    hooks: tuple[tuple[str, str], ...] | str | None = setting(
        DEFAULT_DEBOOTSTRAP_HOOKS,
        doc="Scripts run when the OS is installed: a list of (name, content) pairs turned"
        " into a directory of executables, or the absolute path of such a directory."
        " If none (false in TOML), hooks in /etc/ganeti/instance-debootstrap/hooks are"
        " used, if any.",
        check=_check_hooks,
        parse=_parse_hooks,
        default_doc="%default-debootstrap-hooks",
    )
    proxy: str | None = setting(None, doc="HTTP proxy to use, if any.", check=check_non_empty)
    mirror: str | None = setting(
        None,
        doc="The Debian mirror, e.g. http://ftp.no.debian.org/debian. The default varies"
        " with the distribution.",
        check=check_non_empty,
    )
    arch: str | None = setting(
        None,
        doc="The dpkg architecture (e.g. armhf to debootstrap ARMv7 on an AArch64 host);"
        " default is the current system architecture.",
        check=check_non_empty,
    )
    suite: str | None = setting(
        "stable",
        doc="A Debian suite such as bookworm or focal; if none, the provider's default.",
        check=check_non_empty,
    )
    extra_pkgs: tuple[str, ...] = setting(
        DEFAULT_DEBOOTSTRAP_EXTRA_PKGS,
        doc="Extra packages installed by dpkg in addition to the minimal system.",
        check=check_each(check_non_empty),
        default_doc="%default-debootstrap-extra-pkgs",
    )
    components: tuple[str, ...] | None = setting(
        None,
        doc='When set, a list of Debian repository components, e.g. ["main", "contrib"].',
        check=check_each(check_non_empty),
    )
    generate_cache: bool = setting(
        True,
        key="generate-cache?",
        doc="Whether to automatically cache the generated debootstrap archive.",
    )
    clean_cache: int | None = setting(
        14,
        doc="Discard the cache after this many days; none (false in TOML) never clears it.",
        check=check_non_negative,
    )
    partition_style: str = setting(
        "msdos",
        doc="The type of partition to create: 'msdos', 'none' or another string the"
        " provider understands.",
        check=check_non_empty,
    )
    partition_alignment: int = setting(
        2048, doc="Alignment of the partition in sectors.", check=check_positive
    )


VariantFile = PlainFile | LocalFile | DebootstrapConfiguration


def _parse_variant_configuration(raw: Any, source: Source, path: tuple[str | int, ...]) -> Any:
    # In TOML a configuration is a table with exactly one of: content (with optional
    # name) → plain-file, file → local-file, debootstrap → debootstrap-configuration.
    if not isinstance(raw, Mapping):
        raise located_error(
            "expected a table with 'content', 'file' or 'debootstrap'",
            source,
            path,
            GanetiOsVariant.RECORD,
            "configuration",
        )
    kinds = [k for k in ("content", "file", "debootstrap") if k in raw]
    if len(kinds) != 1:
        raise located_error(
            "give exactly one of 'content', 'file' or 'debootstrap'"
            f" (got {', '.join(sorted(raw)) or 'none'})",
            source,
            path,
            GanetiOsVariant.RECORD,
            "configuration",
        )
    kind = kinds[0]
    if kind == "debootstrap":
        extra = set(raw) - {"debootstrap"}
        if extra:
            raise located_error(
                f"unexpected key(s) next to 'debootstrap': {', '.join(sorted(extra))}",
                source,
                path,
                GanetiOsVariant.RECORD,
                "configuration",
            )
        return build(DebootstrapConfiguration, raw["debootstrap"], source, (*path, "debootstrap"))
    if kind == "file":
        return build(
            LocalFile,
            {"path": raw["file"], **{k: v for k, v in raw.items() if k != "file"}},
            source,
            path,
        )
    return build(PlainFile, {"name": "configuration", **raw}, source, path)


@dataclass(frozen=True, kw_only=True)
class GanetiOsVariant(Record):
    """One variant of a Ganeti OS provider."""

    RECORD = "ganeti-os-variant"
    DOC = "A Ganeti OS variant: a name and its configuration file."

    name: str = setting(doc="The name of this variant.", check=_check_variant_name)
    configuration: VariantFile = setting(  # noqa: RUF009
        doc="The configuration file for this variant: a plain-file (TOML: {content = ...}),"
        ' a local-file ({file = "/path"}, rendered as a symlink) or a'
        " debootstrap-configuration ({debootstrap = {...}}).",
        parse=_parse_variant_configuration,
    )


def _check_variant_names_unique(value: object) -> str | None:
    if isinstance(value, tuple):
        names = [v.name for v in value if isinstance(v, GanetiOsVariant)]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            return f"variant {sorted(dup)[0]!r} is listed more than once"
    return None


@dataclass(frozen=True, kw_only=True)
class GanetiOs(Record):
    """An OS provider whose variants go to /etc/ganeti/instance-NAME/variants/."""

    RECORD = "ganeti-os"
    DOC = "An OS provider configuration: where its variant files go and what they hold."

    name: str = setting(
        doc="The OS provider's name; it only decides where the configuration goes:"
        " 'debootstrap' creates /etc/ganeti/instance-debootstrap.",
        check=_check_variant_name,
    )
    extension: str = setting(
        doc="The file extension of this provider's variant files, e.g. '.conf' or '.scm'.",
        check=_check_extension,
    )
    variants: tuple[GanetiOsVariant, ...] = setting(
        (),
        doc="List of ganeti-os-variant records for this OS.",
        check=check_all(_check_variant_names_unique),
    )


def debootstrap_variant(name: str, configuration: DebootstrapConfiguration) -> GanetiOsVariant:
    """debootstrap-variant: a variant made of a name and a debootstrap-configuration."""
    return GanetiOsVariant(name=name, configuration=configuration)


def debootstrap_os(variants: tuple[GanetiOsVariant, ...] | list[GanetiOsVariant]) -> GanetiOs:
    """debootstrap-os: the debootstrap provider with these variants (extension .conf)."""
    return GanetiOs(name="debootstrap", extension=".conf", variants=tuple(variants))


def guix_variant(name: str, configuration: PlainFile | LocalFile) -> GanetiOsVariant:
    """guix-variant: a variant holding a Guix System configuration file."""
    return GanetiOsVariant(name=name, configuration=configuration)


def guix_os(variants: tuple[GanetiOsVariant, ...] | list[GanetiOsVariant]) -> GanetiOs:
    """guix-os: the guix provider with these variants (extension .scm)."""
    return GanetiOs(name="guix", extension=".scm", variants=tuple(variants))


# A Guix System for a KVM guest with an SSH server and a serial console, authorising
# the Ganeti hosts' SSH keys (what Guix's dynamic.scm example provides).
_GUIX_DYNAMIC_SCM = """\
;; Guix System configuration for a Ganeti KVM instance: SSH server, serial console,
;; and root login for the Ganeti host's SSH keys (/root/.ssh/authorized_keys).
;; The guix OS provider's create script sets INSTANCE_NAME, TARGET_DEVICE (the disk
;; GRUB goes to), FS_TYPE and ROOT_LABEL (the root file system it made).
(use-modules (gnu))
(use-service-modules networking ssh)

(define (env name default)
  (or (getenv name) default))

(operating-system
  (host-name (env "INSTANCE_NAME" "guix"))
  (timezone "Etc/UTC")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets (list (env "TARGET_DEVICE" "/dev/vda")))
               (terminal-outputs '(console serial))))
  (kernel-arguments '("console=ttyS0"))
  (file-systems (cons (file-system
                        (device (file-system-label (env "ROOT_LABEL" "guix-root")))
                        (mount-point "/")
                        (type (env "FS_TYPE" "ext4")))
                      %base-file-systems))
  (services
   (append (list (service dhcp-client-service-type)
                 (service openssh-service-type
                          (openssh-configuration
                           (permit-root-login 'prohibit-password)
                           (authorized-keys
                            `(("root" ,(local-file "/root/.ssh/authorized_keys")))))))
           %base-services)))
"""

DEFAULT_DEBOOTSTRAP_VARIANTS: tuple[GanetiOsVariant, ...] = (
    debootstrap_variant("default", DebootstrapConfiguration()),
)
"""%default-debootstrap-variants: one variant, "default", with the default configuration."""

DEFAULT_GUIX_VARIANTS: tuple[GanetiOsVariant, ...] = (
    guix_variant("default", PlainFile(name="dynamic.scm", content=_GUIX_DYNAMIC_SCM)),
)
"""%default-guix-variants: one variant, "default": SSH server and serial console."""

DEFAULT_GANETI_OS: tuple[GanetiOs, ...] = (
    debootstrap_os(DEFAULT_DEBOOTSTRAP_VARIANTS),
    guix_os(DEFAULT_GUIX_VARIANTS),
)
"""%default-ganeti-os: the debootstrap and guix providers with their default variants."""

__all__ = [
    "DEFAULT_DEBOOTSTRAP_EXTRA_PKGS",
    "DEFAULT_DEBOOTSTRAP_HOOKS",
    "DEFAULT_DEBOOTSTRAP_VARIANTS",
    "DEFAULT_GANETI_OS",
    "DEFAULT_GUIX_VARIANTS",
    "DebootstrapConfiguration",
    "GanetiOs",
    "GanetiOsVariant",
    "LocalFile",
    "PlainFile",
    "debootstrap_os",
    "debootstrap_variant",
    "guix_os",
    "guix_variant",
]

"""OS provider directories for the configured `ganeti-os` records, on the OS search path.

Each configured provider NAME gets ROOT/srv/ganeti/os/NAME, the first directory of Ganeti's
OS search path (so it wins over the others):

* a provider shipped with pyganeti (guix; noop only when configured) is copied there
  from the package;
* a provider installed on the host (Debian's ganeti-instance-debootstrap in
  /usr/share/ganeti/os/debootstrap) is linked entry by entry. In a relocated root its
  scripts are small wrappers instead, exporting VARIANTS_DIR (the variable Debian's and
  Guix's providers read their variant files from) so they use the root's variants;
* a provider found nowhere gets only its /etc variant files, and a note says so; one
  installed in /srv/ganeti/os itself on the real root is left alone (with a note).

In every case variants.list links to the one the host configuration renders under
etc/ganeti/instance-NAME/variants/ (Guix's layout), so `gnt-os list` shows exactly the
configured variants.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from pyganeti.host.records.ganeti import GanetiConfiguration
from pyganeti.host.render.files import GENERATED_HEADER, FileSpec, under_root
from pyganeti.host.render.ganeti_etc import os_dir
from pyganeti.osprovider.discovery import SCRIPTS, VARIANTS_FILE
from pyganeti.osprovider.install import builtin_os_names

# Where providers live on this host: Ganeti's default OS search path.
SYSTEM_OS_DIRS: tuple[str, ...] = (
    "/srv/ganeti/os",
    "/usr/local/lib/ganeti/os",
    "/usr/lib/ganeti/os",
    "/usr/share/ganeti/os",
)
# Relative to the root: the first directory of the OS search path (see paths.Paths).
OS_TARGET_DIR = "srv/ganeti/os"


@dataclass(frozen=True)
class ProviderFiles:
    """The managed files making the configured providers visible, and notes for the user."""

    files: tuple[FileSpec, ...]
    notes: tuple[str, ...]


def _variants_list_link(name: str, root: str) -> FileSpec:
    target = under_root(root, f"/{os_dir(name)}/variants/{VARIANTS_FILE}")
    return FileSpec(f"{OS_TARGET_DIR}/{name}/{VARIANTS_FILE}", symlink_to=target)


def _builtin_files(name: str, root: str) -> list[FileSpec]:
    source = resources.files("pyganeti.osprovider") / "builtin" / name
    files: list[FileSpec] = []
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if not entry.is_file() or entry.name == VARIANTS_FILE:
            continue
        files.append(
            FileSpec(
                f"{OS_TARGET_DIR}/{name}/{entry.name}",
                content=entry.read_text(encoding="utf-8"),
                mode=0o755 if entry.name in SCRIPTS else 0o644,
            )
        )
    files.append(_variants_list_link(name, root))
    return files


def _wrapper(script: str, name: str, root: str) -> str:
    variants = under_root(root, f"/{os_dir(name)}/variants")
    return (
        "#!/bin/sh\n"
        f"# {GENERATED_HEADER}\n"
        f"# Runs the host's {name} provider on the variant files of the root {root}.\n"
        f"VARIANTS_DIR={shlex.quote(variants)}\n"
        "export VARIANTS_DIR\n"
        f'exec {shlex.quote(script)} "$@"\n'
    )


def root_is_relocated(root: str) -> bool:
    return root not in ("", "/")


def _system_files(name: str, provider: Path, root: str) -> list[FileSpec]:
    relocated = root_is_relocated(root)
    files: list[FileSpec] = []
    for entry in sorted(os.listdir(provider)):
        if entry == VARIANTS_FILE:
            continue
        rel = f"{OS_TARGET_DIR}/{name}/{entry}"
        source = str(provider / entry)
        if relocated and entry in SCRIPTS:
            files.append(FileSpec(rel, content=_wrapper(source, name, root), mode=0o755))
        else:
            # Scripts run with the OS directory as working directory, so helpers they
            # source (common.sh) must be reachable from here too.
            files.append(FileSpec(rel, symlink_to=source))
    files.append(_variants_list_link(name, root))
    return files


def find_system_provider(
    name: str, root: str, system_os_dirs: Sequence[str] = SYSTEM_OS_DIRS
) -> Path | None:
    """The host's installed provider `name`, other than the directory we manage ourselves."""
    ours = PurePosixPath(under_root(root, f"/{OS_TARGET_DIR}/{name}"))
    for top in system_os_dirs:
        candidate = Path(top) / name
        if PurePosixPath(candidate) == ours or candidate.is_symlink():
            continue
        if (candidate / "ganeti_api_version").is_file():
            return candidate
    return None


def render_os_providers(
    config: GanetiConfiguration,
    root: str = "/",
    system_os_dirs: Sequence[str] = SYSTEM_OS_DIRS,
) -> ProviderFiles:
    """Files placing every configured OS provider on the root's OS search path."""
    builtin = set(builtin_os_names())
    files: list[FileSpec] = []
    notes: list[str] = []
    for os_record in config.os:
        name = os_record.name
        if name in builtin:
            files += _builtin_files(name, root)
            continue
        ours = Path(under_root(root, f"/{OS_TARGET_DIR}/{name}"))
        api_file = ours / "ganeti_api_version"
        if api_file.is_file() and not api_file.is_symlink() and not root_is_relocated(root):
            # Installed right where we would put it (e.g. --with-os-dir=/srv/ganeti/os):
            # it is found first already; leave the installation alone.
            notes.append(
                f"OS provider {name!r} is installed in {ours} itself and is left as installed;"
                f" its variants.list is not linked to the configured variants"
            )
            continue
        provider = find_system_provider(name, root, system_os_dirs)
        if provider is None:
            notes.append(
                f"OS provider {name!r} is installed neither with pyganeti nor on this host"
                f" (looked in {', '.join(system_os_dirs)}): only its variant files are"
                f" written, and gnt-os list will not show it"
            )
            continue
        files += _system_files(name, provider, root)
    return ProviderFiles(tuple(files), tuple(notes))

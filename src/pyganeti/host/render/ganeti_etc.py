"""/etc files of Ganeti: file-storage-paths, each OS provider's variants and variants.list,
and /etc/default/ganeti (the daemons' options, for daemon-util)."""

from __future__ import annotations

import shlex

from pyganeti.host.records.ganeti import GanetiConfiguration
from pyganeti.host.records.ganeti_os import (
    DebootstrapConfiguration,
    GanetiOs,
    LocalFile,
    PlainFile,
)
from pyganeti.host.render.commands import DAEMON_NAMES, DaemonConfiguration, daemon_options
from pyganeti.host.render.debootstrap import render_debootstrap_variant
from pyganeti.host.render.files import GENERATED_HEADER, FileSpec, under_root


def render_file_storage_paths(paths: tuple[str, ...], root: str = "/") -> FileSpec:
    """etc/ganeti/file-storage-paths: one allowed directory per line, relocated to `root`."""
    lines = "".join(f"{under_root(root, p)}\n" for p in paths)
    return FileSpec("etc/ganeti/file-storage-paths", content=lines)


def os_dir(os_name: str) -> str:
    """Directory (relative to the root) holding an OS provider's configuration."""
    return f"etc/ganeti/instance-{os_name}"


def render_os(os: GanetiOs, root: str = "/") -> list[FileSpec]:
    """Variant files, variants.list and (for debootstrap records) hook directories."""
    variants_dir = f"{os_dir(os.name)}/variants"
    files: list[FileSpec] = []
    for variant in os.variants:
        target = f"{variants_dir}/{variant.name}{os.extension}"
        conf = variant.configuration
        if isinstance(conf, PlainFile):
            files.append(FileSpec(target, content=conf.content))
        elif isinstance(conf, LocalFile):
            files.append(FileSpec(target, symlink_to=conf.path))
        elif isinstance(conf, DebootstrapConfiguration):
            hooks_dir = f"{os_dir(os.name)}/hooks.d/{variant.name}"
            files.append(
                FileSpec(target, content=render_debootstrap_variant(conf, hooks_dir, root))
            )
            if isinstance(conf.hooks, tuple):
                files.extend(
                    FileSpec(f"{hooks_dir}/{name}", content=content, mode=0o755)
                    for name, content in conf.hooks
                )
        else:  # pragma: no cover - the record's type check rules this out
            raise TypeError(f"unsupported variant configuration {conf!r}")
    listing = "".join(f"{v.name}\n" for v in os.variants)
    files.append(FileSpec(f"{variants_dir}/variants.list", content=listing))
    return files


def render_ganeti_etc(config: GanetiConfiguration, root: str = "/") -> list[FileSpec]:
    """Every /etc/ganeti file a ganeti-configuration produces."""
    files = [
        render_file_storage_paths(config.file_storage_paths, root),
        render_daemon_defaults(config),
    ]
    for os in config.os:
        files.extend(render_os(os, root))
    return files


DAEMON_DEFAULTS_FILE = "etc/default/ganeti"


def render_daemon_defaults(config: GanetiConfiguration) -> FileSpec:
    """etc/default/ganeti: each daemon's options as NAME_ARGS, which daemon-util reads.

    So daemons that `daemon-util start-all` (or gnt-cluster init) starts outside the
    supervisor get the options of the host configuration too (e.g. RAPI's --no-ssl).
    """
    lines = [f"# {GENERATED_HEADER}"]
    for daemon in daemon_configurations(config):
        var = DAEMON_NAMES[type(daemon)].removeprefix("ganeti-").upper()
        lines.append(f"{var}_ARGS={shlex.quote(' '.join(daemon_options(daemon)))}")
    return FileSpec(DAEMON_DEFAULTS_FILE, content="\n".join(lines) + "\n")


def daemon_configurations(config: GanetiConfiguration) -> tuple[DaemonConfiguration, ...]:
    """The eight daemon records of `config`, in Ganeti's start order where it has one."""
    return (
        config.noded_configuration,
        config.confd_configuration,
        config.wconfd_configuration,
        config.luxid_configuration,
        config.rapi_configuration,
        config.kvmd_configuration,
        config.mond_configuration,
        config.metad_configuration,
    )

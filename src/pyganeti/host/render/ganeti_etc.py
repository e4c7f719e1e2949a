"""/etc/ganeti files: file-storage-paths, and each OS provider's variants and variants.list."""

from __future__ import annotations

from pyganeti.host.records.ganeti import GanetiConfiguration
from pyganeti.host.records.ganeti_os import (
    DebootstrapConfiguration,
    GanetiOs,
    LocalFile,
    PlainFile,
)
from pyganeti.host.render.debootstrap import render_debootstrap_variant
from pyganeti.host.render.files import FileSpec, under_root


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
    files = [render_file_storage_paths(config.file_storage_paths, root)]
    for os in config.os:
        files.extend(render_os(os, root))
    return files

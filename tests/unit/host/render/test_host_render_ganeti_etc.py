"""/etc/ganeti files: file-storage-paths and OS variants, including the seeds' examples."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pyganeti.host.records import (
    DebootstrapConfiguration,
    GanetiConfiguration,
    GanetiOs,
    GanetiOsVariant,
    LocalFile,
    PlainFile,
    debootstrap_os,
    debootstrap_variant,
)
from pyganeti.host.render.files import FileSpec
from pyganeti.host.render.ganeti_etc import render_ganeti_etc, render_os


def _by_path(files: list[FileSpec]) -> dict[str, FileSpec]:
    return {f.path: f for f in files}


def test_seed_custom_os_example_gives_exactly_its_files() -> None:
    os = GanetiOs(
        name="custom",
        extension=".conf",
        variants=(
            GanetiOsVariant(
                name="foo", configuration=PlainFile(name="bar", content="this is fine")
            ),
        ),
    )
    files = _by_path(render_os(os))
    assert set(files) == {
        "etc/ganeti/instance-custom/variants/foo.conf",
        "etc/ganeti/instance-custom/variants/variants.list",
    }
    assert files["etc/ganeti/instance-custom/variants/foo.conf"].content == "this is fine"
    assert files["etc/ganeti/instance-custom/variants/variants.list"].content == "foo\n"


def test_local_file_variant_is_a_symlink() -> None:
    os = GanetiOs(
        name="guix",
        extension=".scm",
        variants=(GanetiOsVariant(name="vm", configuration=LocalFile(path="/x/vm.scm")),),
    )
    spec = _by_path(render_os(os))["etc/ganeti/instance-guix/variants/vm.scm"]
    assert spec.symlink_to == "/x/vm.scm" and spec.content is None


def test_node_example_with_two_storage_paths_relocated_under_root() -> None:
    conf = GanetiConfiguration(file_storage_paths=("/srv/ganeti/file-storage", "/srv/b"))
    files = _by_path(render_ganeti_etc(conf))
    assert files["etc/ganeti/file-storage-paths"].content == "/srv/ganeti/file-storage\n/srv/b\n"
    relocated = _by_path(render_ganeti_etc(conf, "/tmp/node1"))
    assert relocated["etc/ganeti/file-storage-paths"].content == (
        "/tmp/node1/srv/ganeti/file-storage\n/tmp/node1/srv/b\n"
    )


def test_default_os_files() -> None:
    files = _by_path(render_ganeti_etc(GanetiConfiguration()))
    assert files["etc/ganeti/instance-debootstrap/variants/variants.list"].content == "default\n"
    assert "etc/ganeti/instance-debootstrap/variants/default.conf" in files
    assert files["etc/ganeti/instance-guix/variants/variants.list"].content == "default\n"
    assert "operating-system" in (
        files["etc/ganeti/instance-guix/variants/default.scm"].content or ""
    )
    hooks = [p for p in files if "/hooks.d/default/" in p]
    assert hooks and all(files[p].mode == 0o755 for p in hooks)


def test_seed_hook_pair_becomes_an_executable(tmp_path: Path) -> None:
    conf = DebootstrapConfiguration(hooks=(("99-hello-world", "#!/bin/sh\necho Hello, World"),))
    files = _by_path(render_os(debootstrap_os([debootstrap_variant("v", conf)]), str(tmp_path)))
    hook = files["etc/ganeti/instance-debootstrap/hooks.d/v/99-hello-world"]
    assert hook.mode == 0o755
    # The hook directory runs under run-parts, as ganeti-instance-debootstrap does.
    target = tmp_path / hook.path
    target.parent.mkdir(parents=True)
    target.write_text(hook.content or "")
    target.chmod(hook.mode)
    out = subprocess.run(
        ["run-parts", str(target.parent)], capture_output=True, text=True, check=True
    )
    assert out.stdout == "Hello, World\n"

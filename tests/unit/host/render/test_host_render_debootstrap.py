"""Debootstrap variant files: the keys ganeti-instance-debootstrap sources, shell-safe."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pyganeti.host.records import DebootstrapConfiguration, debootstrap_os, debootstrap_variant
from pyganeti.host.render.debootstrap import render_debootstrap_variant
from pyganeti.host.render.ganeti_etc import render_os

KEYS = (
    "PROXY",
    "MIRROR",
    "ARCH",
    "SUITE",
    "EXTRA_PKGS",
    "COMPONENTS",
    "CUSTOMIZE_DIR",
    "GENERATE_CACHE",
    "CLEAN_CACHE",
    "PARTITION_STYLE",
    "PARTITION_ALIGNMENT",
)


def _source(text: str, tmp_path: Path) -> dict[str, str]:
    """Source the file with sh, as common.sh does, and read every key back."""
    conf = tmp_path / "variant.conf"
    conf.write_text(text)
    script = f". {conf}; " + "; ".join(
        f'printf "%s=%s|%s\\n" {k} "${{{k}-UNSET}}" "${{{k}+set}}"' for k in KEYS
    )
    out = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True)
    values = {}
    for line in out.stdout.splitlines():
        key, _, rest = line.partition("=")
        value, _, is_set = rest.rpartition("|")
        if is_set:
            values[key] = value
    return values


def test_all_keys(tmp_path: Path) -> None:
    conf = DebootstrapConfiguration(
        proxy="http://proxy:3128/",
        mirror="http://deb.example/debian",
        arch="armhf",
        suite="bookworm",
        extra_pkgs=("openssh-server", "udev"),
        components=("main", "contrib"),
        generate_cache=False,
        clean_cache=None,
        partition_style="none",
        partition_alignment=4096,
    )
    values = _source(
        render_debootstrap_variant(conf, "etc/ganeti/instance-x/hooks.d/v", "/r"), tmp_path
    )
    assert values == {
        "PROXY": "http://proxy:3128/",
        "MIRROR": "http://deb.example/debian",
        "ARCH": "armhf",
        "SUITE": "bookworm",
        "EXTRA_PKGS": "openssh-server,udev",
        "COMPONENTS": "main,contrib",
        "CUSTOMIZE_DIR": "/r/etc/ganeti/instance-x/hooks.d/v",
        "GENERATE_CACHE": "no",
        "CLEAN_CACHE": "",
        "PARTITION_STYLE": "none",
        "PARTITION_ALIGNMENT": "4096",
    }


def test_defaults_leave_unset_values_to_the_provider(tmp_path: Path) -> None:
    values = _source(render_debootstrap_variant(DebootstrapConfiguration(), "h"), tmp_path)
    assert "PROXY" not in values and "MIRROR" not in values and "ARCH" not in values
    assert "COMPONENTS" not in values
    assert values["SUITE"] == "stable"
    assert values["GENERATE_CACHE"] == "yes" and values["CLEAN_CACHE"] == "14"
    assert values["PARTITION_STYLE"] == "msdos" and values["PARTITION_ALIGNMENT"] == "2048"
    assert values["CUSTOMIZE_DIR"] == "/h"


def test_hooks_none_or_directory(tmp_path: Path) -> None:
    none = _source(render_debootstrap_variant(DebootstrapConfiguration(hooks=None), "h"), tmp_path)
    assert "CUSTOMIZE_DIR" not in none
    given = _source(
        render_debootstrap_variant(DebootstrapConfiguration(hooks="/srv/hooks"), "h", "/r"),
        tmp_path,
    )
    assert given["CUSTOMIZE_DIR"] == "/srv/hooks"


def test_values_are_shell_quoted(tmp_path: Path) -> None:
    nasty = "http://x/$(touch pwned);`id`'\""
    values = _source(
        render_debootstrap_variant(DebootstrapConfiguration(mirror=nasty), "h"), tmp_path
    )
    assert values["MIRROR"] == nasty
    assert not (tmp_path / "pwned").exists()


PROVIDER = Path("/usr/share/ganeti/os/debootstrap")


@pytest.mark.skipif(
    not (PROVIDER / "common.sh").exists(), reason="ganeti-instance-debootstrap is not installed"
)
def test_the_real_provider_reads_our_variant(tmp_path: Path) -> None:
    # ganeti-instance-debootstrap's own common.sh selects and sources the variant file.
    conf = DebootstrapConfiguration(
        suite="bookworm",
        extra_pkgs=("udev", "openssh-server"),
        components=("main", "contrib"),
        clean_cache=None,
        partition_alignment=4096,
    )
    os_ = debootstrap_os([debootstrap_variant("web", conf)])
    for spec in render_os(os_, str(tmp_path)):
        target = tmp_path / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spec.content or "")
    variants = tmp_path / "etc/ganeti/instance-debootstrap/variants"
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "OS_API_VERSION": "20",
        "INSTANCE_NAME": "vm1",
        "HYPERVISOR": "kvm",
        "DISK_COUNT": "1",
        "DISK_0_PATH": "/dev/null",
        "OS_VARIANT": "web",
        "VARIANTS_DIR": str(variants),
    }
    script = ". ./common.sh; " + "; ".join(f'echo "{k}=${k}"' for k in KEYS)
    out = subprocess.run(
        ["bash", "-c", script], cwd=PROVIDER, env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    values = dict(line.split("=", 1) for line in out.stdout.splitlines())
    assert values["SUITE"] == "bookworm"
    assert values["EXTRA_PKGS"] == "udev,openssh-server"
    assert values["COMPONENTS"] == "main,contrib"
    assert values["CLEAN_CACHE"] == ""  # the variant is sourced last: "" = never clean
    assert values["PARTITION_ALIGNMENT"] == "4096"
    assert values["CUSTOMIZE_DIR"] == f"{tmp_path}/etc/ganeti/instance-debootstrap/hooks.d/web"
    hooks = Path(values["CUSTOMIZE_DIR"])
    assert sorted(p.name for p in hooks.iterdir()) == ["10-network", "90-grub"]

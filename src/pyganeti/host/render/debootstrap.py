"""Variant files of ganeti-instance-debootstrap: shell assignments its common.sh sources."""

from __future__ import annotations

import shlex

from pyganeti.host.records.ganeti_os import DebootstrapConfiguration
from pyganeti.host.render.files import GENERATED_HEADER, under_root


def render_debootstrap_variant(
    conf: DebootstrapConfiguration, hooks_dir: str, root: str = "/"
) -> str:
    """The variant file for `conf`; `hooks_dir` (relative to root) holds listed hooks.

    Unset optional values are left out, so the provider's defaults file decides them.
    """
    values: list[tuple[str, str]] = []
    if conf.proxy is not None:
        values.append(("PROXY", conf.proxy))
    if conf.mirror is not None:
        values.append(("MIRROR", conf.mirror))
    if conf.arch is not None:
        values.append(("ARCH", conf.arch))
    if conf.suite is not None:
        values.append(("SUITE", conf.suite))
    # debootstrap's --include and --components take comma-separated lists.
    values.append(("EXTRA_PKGS", ",".join(conf.extra_pkgs)))
    if conf.components is not None:
        values.append(("COMPONENTS", ",".join(conf.components)))
    if isinstance(conf.hooks, tuple):
        values.append(("CUSTOMIZE_DIR", under_root(root, "/" + hooks_dir)))
    elif isinstance(conf.hooks, str):
        values.append(("CUSTOMIZE_DIR", conf.hooks))
    values.append(("GENERATE_CACHE", "yes" if conf.generate_cache else "no"))
    # An empty CLEAN_CACHE disables cache cleaning in ganeti-instance-debootstrap.
    values.append(("CLEAN_CACHE", "" if conf.clean_cache is None else str(conf.clean_cache)))
    values.append(("PARTITION_STYLE", conf.partition_style))
    values.append(("PARTITION_ALIGNMENT", str(conf.partition_alignment)))
    lines = [f"# {GENERATED_HEADER}"]
    lines.extend(f"{key}={shlex.quote(value)}" for key, value in values)
    return "\n".join(lines) + "\n"

"""libvirtd.conf and virtlogd.conf in libvirt's configuration syntax (virConf)."""

from __future__ import annotations

import dataclasses
import json

from pyganeti.host.records.libvirt import (
    OBSOLETE_CONF_KEYS,
    OMIT_WHEN_EMPTY,
    LibvirtConfiguration,
    conf_key,
)
from pyganeti.host.records.schema import Record
from pyganeti.host.records.virtlog import VirtlogConfiguration
from pyganeti.host.render.files import GENERATED_HEADER

# Fields that are not libvirtd.conf settings (the package to run).
_NOT_SETTINGS = frozenset({"libvirt"})


def conf_value(value: bool | int | str | tuple[str, ...]) -> str:
    """One value in virConf syntax: 0/1 booleans, integers, "strings", [lists]."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # virConf strings accept the same escapes as JSON's for quotes and backslashes.
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"


def _render(record: Record, title: str) -> str:
    lines = [f"# {title}", f"# {GENERATED_HEADER}"]
    for f in dataclasses.fields(record):
        if f.name in _NOT_SETTINGS:
            continue
        key = conf_key(f)
        value = getattr(record, f.name)
        if f.name in OMIT_WHEN_EMPTY and not value:
            continue
        if key in OBSOLETE_CONF_KEYS:
            lines.append(f"# {key}: kept from the seed; libvirt >= 9 ignores it")
        lines.append(f"{key} = {conf_value(value)}")
    return "\n".join(lines) + "\n"


def render_libvirtd_conf(config: LibvirtConfiguration) -> str:
    """libvirtd.conf for `config`."""
    return _render(config, "libvirtd.conf")


def render_virtlogd_conf(config: VirtlogConfiguration) -> str:
    """virtlogd.conf for `config`."""
    return _render(config, "virtlogd.conf")

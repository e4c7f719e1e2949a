"""Hypervisor name → backend class; backends are imported lazily by dotted path."""

from __future__ import annotations

import importlib
from typing import Any

from pyganeti import errors
from pyganeti.hypervisor.base import Hypervisor
from pyganeti.paths import Paths

# Add a backend by adding one line here (the KVM backend will be "kvm").
_BACKENDS: dict[str, str] = {
    "fake": "pyganeti.hypervisor.fake:FakeHypervisor",
    "kvm": "pyganeti.hypervisor.kvm:KvmHypervisor",
}


def known_hypervisors() -> list[str]:
    return sorted(_BACKENDS)


def get_hypervisor_class(name: str) -> Any:
    """The backend class for `name`; HypervisorError naming the known ones otherwise."""
    target = _BACKENDS.get(name)
    if target is None:
        raise errors.HypervisorError(
            f"unknown hypervisor {name!r} (known: {', '.join(known_hypervisors())})"
        )
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def get_hypervisor(name: str, paths: Paths) -> Hypervisor:
    hv: Hypervisor = get_hypervisor_class(name)(paths)
    return hv

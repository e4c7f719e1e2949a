"""Hypervisor backends: a protocol, a name → class registry, and the fake backend."""

from pyganeti.hypervisor.base import AttachedDisk, Hypervisor, InstanceInfo, Param
from pyganeti.hypervisor.registry import get_hypervisor, get_hypervisor_class, known_hypervisors

__all__ = [
    "AttachedDisk",
    "Hypervisor",
    "InstanceInfo",
    "Param",
    "get_hypervisor",
    "get_hypervisor_class",
    "known_hypervisors",
]

"""Disk storage backends on the node: protocol + registry + file and sharedfile."""

from pyganeti.storage.base import DiskBackend
from pyganeti.storage.registry import get_backend, known_dev_types

__all__ = ["DiskBackend", "get_backend", "known_dev_types"]

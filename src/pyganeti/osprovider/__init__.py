"""Ganeti OS API 20 providers: discovery on the OS search path, script environment, runs."""

from pyganeti.osprovider.discovery import OsDefinition, diagnose, find_os, split_name
from pyganeti.osprovider.install import install_builtin_os

__all__ = ["OsDefinition", "diagnose", "find_os", "install_builtin_os", "split_name"]

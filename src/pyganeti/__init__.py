"""pyganeti: a pure-Python, Ganeti 3.0 compatible virtual machine cluster manager."""

__version__ = "0.1.0"
# The Ganeti release whose wire and file formats we follow.
GANETI_COMPAT_VERSION = (3, 0, 2)
# Ganeti's config.data "version" field for 3.0 (major*1000000 + minor*10000 + revision).
CONFIG_VERSION = 3000000
# Protocol version exchanged by node RPC and reported by gnt-cluster version.
PROTOCOL_VERSION = 3000000

"""What ganeti-noded does on its node, split by domain; each function takes a NodeContext."""

from pyganeti.node.context import NodeContext

__all__ = ["NodeContext"]

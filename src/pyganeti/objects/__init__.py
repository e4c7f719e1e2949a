"""The persisted model: cluster, node groups, nodes, instances, disks, NICs, networks.

Objects live as JSON-ready dicts in Ganeti 3.0's config.data layout (the store replaces
an object's dict on every change and never mutates one in place); the TypedDicts in
model.py give them static types, and params.py fills parameters down the inheritance
chain cluster → node group → instance.
"""

"""RAPI v2 resources, one module per resource family; ENDPOINTS is the whole table."""

from __future__ import annotations

from pyganeti.rapi.endpoint import Endpoint
from pyganeti.rapi.routes import cluster, groups, instances, jobs, networks, nodes, query


def all_endpoints() -> list[Endpoint]:
    """Every RAPI endpoint, in a stable order (the OpenAPI description follows it)."""
    return [
        *cluster.ENDPOINTS,
        *instances.ENDPOINTS,
        *nodes.ENDPOINTS,
        *groups.ENDPOINTS,
        *networks.ENDPOINTS,
        *jobs.ENDPOINTS,
        *query.ENDPOINTS,
    ]

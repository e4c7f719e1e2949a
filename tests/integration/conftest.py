"""Fixtures for integration tests (real daemon processes in a temporary root)."""

from cluster_fixture import Cluster, cluster, make_cluster  # noqa: F401

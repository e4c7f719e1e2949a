"""Cluster configuration: the store wconfd owns, its client, and luxid's replica."""

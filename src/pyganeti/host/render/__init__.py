"""Renderers, one per file format, and the expansion of records into files and services."""

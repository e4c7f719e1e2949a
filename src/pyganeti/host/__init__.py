"""Declarative host configuration: typed records → /etc files, daemons and schedules."""

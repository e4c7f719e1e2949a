"""Ganeti's remote API, version 2, served by ganeti-rapi over HTTPS."""

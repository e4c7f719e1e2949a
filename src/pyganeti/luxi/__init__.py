"""Luxi: Ganeti's JSON-over-unix-socket protocol (client, framing, server side)."""

"""Logical units: one per opcode, each checks arguments, declares locks, checks
prerequisites (reading only) and then executes."""

"""Ganeti's test and benchmark helpers on the node (OP_TEST_DELAY's node part)."""

from __future__ import annotations

import time

from pyganeti import errors
from pyganeti.node.context import NodeContext

MAX_DELAY = 24 * 3600.0


def test_delay(ctx: NodeContext, duration: float) -> None:
    """Sleep `duration` seconds in a handler thread (the event loop keeps serving)."""
    if not 0 <= duration <= MAX_DELAY:
        raise errors.OpExecError(f"invalid sleep duration {duration!r} (0 to {MAX_DELAY:g} s)")
    time.sleep(duration)

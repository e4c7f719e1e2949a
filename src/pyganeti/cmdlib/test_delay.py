"""OP_TEST_DELAY: sleep on the master and/or on nodes (Ganeti's test and benchmark opcode)."""

from __future__ import annotations

import time
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import NoHooksLU
from pyganeti.locking import Level


class LUTestDelay(NoHooksLU):
    def check_arguments(self) -> None:
        if self.op.duration < 0:
            raise errors.OpPrereqError("Duration must be non-negative", errors.ECODE_INVAL)
        if self.op.repeat < 0:
            raise errors.OpPrereqError("Repeat must be non-negative", errors.ECODE_INVAL)

    def expand_names(self) -> None:
        self.node_uuids: list[str] = []
        for name in self.op.on_nodes or []:
            self.node_uuids.append(self.cfg.expand("nodes", name)["uuid"])
        self.node_uuids.extend(self.op.on_node_uuids or [])
        if self.op.no_locks:
            self.needed_locks[Level.CLUSTER] = []
        elif self.node_uuids:
            self.needed_locks[Level.NODE] = sorted(
                self.cfg.expand("nodes", u)["name"] for u in self.node_uuids
            )

    def _delay_once(self) -> None:
        if self.op.on_master:
            time.sleep(self.op.duration)
        for uuid in self.node_uuids:
            self.rpc.call(self.node_address(uuid), "test_delay", duration=self.op.duration)

    def exec(self) -> Any:
        for i in range(max(1, self.op.repeat)):
            if self.op.repeat:
                self.feedback(f"Test delay iteration {i + 1}/{self.op.repeat}")
            self._delay_once()
        return None

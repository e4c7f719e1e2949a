"""OP_OS_DIAGNOSE: the OS providers found on the nodes (what gnt-os list/diagnose show)."""

from __future__ import annotations

from typing import Any

from pyganeti.cmdlib.base import NoHooksLU
from pyganeti.livedata import LiveData
from pyganeti.locking import Level
from pyganeti.query.engine import legacy_query


class LUOsDiagnose(NoHooksLU):
    def expand_names(self) -> None:
        self.lock_all(Level.NODE, shared=True)

    def exec(self) -> Any:
        fields = list(self.op.output_fields)
        ctx = LiveData(self.env.paths, self.rpc).context(
            "os", fields, self.env.cfg.replica.view(), None
        )
        return legacy_query(ctx, "os", list(self.op.names or []), fields)

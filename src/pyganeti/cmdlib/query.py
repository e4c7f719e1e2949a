"""OP_QUERY and OP_QUERY_FIELDS: queries submitted as jobs (Ganeti keeps both paths)."""

from __future__ import annotations

from typing import Any

from pyganeti.cmdlib.base import NoHooksLU
from pyganeti.query.engine import query_fields


class LUQuery(NoHooksLU):
    def exec(self) -> Any:
        from pyganeti.livedata import LiveData

        ctx = LiveData(self.env.paths, self.rpc).context(
            self.op.what, self.op.fields, self.env.cfg.replica.view(), None
        )
        from pyganeti.query.engine import run_query

        return run_query(ctx, self.op.what, self.op.fields, self.op.qfilter)


class LUQueryFields(NoHooksLU):
    def exec(self) -> Any:
        return query_fields(self.op.what, self.op.fields)

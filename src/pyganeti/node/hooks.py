"""The hooks_runner call: run this node's hooks for one operation phase."""

from __future__ import annotations

from pyganeti.hooks import run_hooks
from pyganeti.node.context import NodeContext


def hooks_runner(ctx: NodeContext, hpath: str, phase: str, env: dict[str, str]) -> list[list[str]]:
    return run_hooks(ctx.paths.hooks_dir, hpath, phase, env)

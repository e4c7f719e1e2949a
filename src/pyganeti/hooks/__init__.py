"""Node-side hooks: run hooks/<hpath>-<phase>.d/ scripts with the GANETI_* environment."""

from pyganeti.hooks.runner import HOOK_FAIL, HOOK_SKIP, HOOK_SUCCESS, run_hooks

__all__ = ["HOOK_FAIL", "HOOK_SKIP", "HOOK_SUCCESS", "run_hooks"]

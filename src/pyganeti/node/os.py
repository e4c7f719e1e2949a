"""OS installation, rename, diagnosis and validation on this node (OS API 20)."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.node.context import NodeContext
from pyganeti.node.instances import attach_disks
from pyganeti.osprovider import discovery, scripts
from pyganeti.osprovider.env import core_env, instance_env

VALIDATE_CHECKS = ("parameters",)


def _os_for(ctx: NodeContext, instance: dict[str, Any]) -> discovery.OsDefinition:
    os_name = instance.get("os")
    if not isinstance(os_name, str) or not os_name:
        raise errors.OpExecError(f"instance {instance.get('name')} has no OS set")
    return discovery.find_os(ctx.paths, os_name)


def instance_os_add(ctx: NodeContext, instance: dict[str, Any], reinstall: bool, debug: int) -> str:
    """Run the OS create script for `instance`; returns the path of the log file."""
    os_def = _os_for(ctx, instance)
    disk_paths = [d.path for d in attach_disks(ctx, instance)]
    env = instance_env(os_def, instance, disk_paths, debug)
    if reinstall:
        env["INSTANCE_REINSTALL"] = "1"
    script = "create" if "create" in os_def.scripts else "create_untrusted"
    log = scripts.run_script(
        ctx.paths, os_def, script, env, kind="add", instance_name=str(instance["name"])
    )
    return str(log)


def instance_run_rename(
    ctx: NodeContext, instance: dict[str, Any], old_name: str, debug: int
) -> str:
    """Run the OS rename script (instance already carries its new name); returns the log path."""
    os_def = _os_for(ctx, instance)
    disk_paths = [d.path for d in attach_disks(ctx, instance)]
    env = instance_env(os_def, instance, disk_paths, debug)
    env["OLD_INSTANCE_NAME"] = old_name
    log = scripts.run_script(
        ctx.paths,
        os_def,
        "rename",
        env,
        kind="rename",
        instance_name=f"{old_name}-{instance['name']}",
    )
    return str(log)


def os_diagnose(ctx: NodeContext) -> list[dict[str, Any]]:
    return discovery.diagnose(ctx.paths)


def os_get(ctx: NodeContext, name: str) -> dict[str, Any]:
    return discovery.find_os(ctx.paths, name).to_dict()


def os_validate(
    ctx: NodeContext, required: bool, name: str, checks: list[str], osparams: dict[str, Any]
) -> bool:
    """Check `osparams` against the OS; False if the OS is absent and not `required`."""
    unknown_checks = sorted(set(checks) - set(VALIDATE_CHECKS))
    if unknown_checks:
        raise errors.OpPrereqError(
            f"unknown OS validation checks: {', '.join(unknown_checks)}", errors.ECODE_INVAL
        )
    try:
        os_def = discovery.find_os(ctx.paths, name)
    except errors.OpPrereqError:
        if not required:
            return False
        raise
    if os_def.api_version < 20:
        return True
    if "parameters" in checks:
        declared = {p[0] for p in os_def.parameters}
        unknown = sorted(set(osparams) - declared)
        if unknown:
            raise errors.OpPrereqError(
                f"OS {os_def.name} does not accept the parameters {', '.join(unknown)}",
                errors.ECODE_INVAL,
            )
    if "verify" in os_def.scripts:
        env = core_env(os_def, name, osparams, 0)
        scripts.run_script(
            ctx.paths,
            os_def,
            "verify",
            env,
            kind="verify",
            instance_name="none",
            args=list(checks),
            timeout=60.0,
        )
    return True

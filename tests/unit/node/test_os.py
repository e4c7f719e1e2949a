"""OS install/rename/validate through the node functions with the built-in noop OS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.node import os as nos
from pyganeti.node import storage as ns
from pyganeti.node.context import NodeContext
from pyganeti.osprovider import find_os, install_builtin_os
from pyganeti.osprovider.scripts import run_script


def test_noop_install_checks_disks(ctx: NodeContext, instance: dict[str, Any]) -> None:
    install_builtin_os(ctx.paths)
    for disk in instance["disks"]:
        ns.blockdev_create(ctx, disk, 4, True, False, "web1")
    log = nos.instance_os_add(ctx, instance, False, 0)
    assert "web1 has 2 disk(s)" in Path(log).read_text()
    log = nos.instance_os_add(ctx, instance, True, 0)
    assert log.startswith(str(ctx.paths.os_log_dir / "add-noop-web1-"))


def test_noop_create_script_refuses_missing_disk(ctx: NodeContext) -> None:
    install_builtin_os(ctx.paths)
    os_def = find_os(ctx.paths, "noop")
    env = {"DISK_COUNT": "1", "DISK_0_PATH": "/nonexistent/disk", "INSTANCE_NAME": "x"}
    with pytest.raises(errors.OpExecError, match=r"disk 0 \(/nonexistent/disk\) does not exist"):
        run_script(ctx.paths, os_def, "create", env, kind="add", instance_name="x")
    with pytest.raises(errors.OpExecError, match=r"DISK_0_PATH is not set"):
        run_script(ctx.paths, os_def, "create", {"DISK_COUNT": "1"}, kind="add", instance_name="x")


def test_install_without_os_or_disks(ctx: NodeContext, instance: dict[str, Any]) -> None:
    with pytest.raises(errors.OpPrereqError, match=r"OS 'noop' not found"):
        nos.instance_os_add(ctx, instance, False, 0)
    install_builtin_os(ctx.paths)
    with pytest.raises(errors.BlockDeviceError, match=r"does not exist"):
        nos.instance_os_add(ctx, instance, False, 0)


def test_failing_create_reports_log(ctx: NodeContext, instance: dict[str, Any]) -> None:
    target = install_builtin_os(ctx.paths)
    (target / "create").write_text('#!/bin/sh\necho "reinstall=${INSTANCE_REINSTALL:-0}"\nexit 9\n')
    for disk in instance["disks"]:
        ns.blockdev_create(ctx, disk, 4, True, False, "web1")
    with pytest.raises(errors.OpExecError, match=r"status 9\).*\n.*reinstall=1"):
        nos.instance_os_add(ctx, instance, True, 0)


def test_rename_script_gets_old_name(ctx: NodeContext, instance: dict[str, Any]) -> None:
    install_builtin_os(ctx.paths)
    for disk in instance["disks"]:
        ns.blockdev_create(ctx, disk, 4, True, False, "web1")
    log = nos.instance_run_rename(ctx, instance, "old1", 0)
    assert "rename-noop-old1-web1-" in log
    assert Path(log).read_text().strip() == "noop rename: old1 -> web1"


def test_diagnose_get_validate(ctx: NodeContext) -> None:
    assert nos.os_diagnose(ctx) == []
    assert nos.os_validate(ctx, False, "noop", ["parameters"], {}) is False
    with pytest.raises(errors.OpPrereqError, match=r"not found"):
        nos.os_validate(ctx, True, "noop", ["parameters"], {})
    install_builtin_os(ctx.paths)
    assert [o["name"] for o in nos.os_diagnose(ctx)] == ["noop"]
    assert nos.os_get(ctx, "noop+default")["variants"] == ["default"]
    assert nos.os_validate(ctx, True, "noop", ["parameters"], {}) is True
    with pytest.raises(errors.OpPrereqError, match=r"does not accept the parameters colour"):
        nos.os_validate(ctx, True, "noop", ["parameters"], {"colour": "red"})
    # Without the parameters check the OS's own verify script still refuses them.
    with pytest.raises(errors.OpExecError, match=r"takes no parameters"):
        nos.os_validate(ctx, True, "noop", [], {"colour": "red"})
    with pytest.raises(errors.OpPrereqError, match=r"unknown OS validation checks: disks"):
        nos.os_validate(ctx, True, "noop", ["disks"], {})

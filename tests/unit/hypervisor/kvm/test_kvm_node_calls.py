"""The node RPC functions added for KVM: console logs and migration dispatch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pyganeti import errors
from pyganeti.hypervisor.kvm.runtime import RuntimeDir
from pyganeti.node import console as node_console
from pyganeti.node import migration as node_migration
from pyganeti.node.context import NodeContext
from pyganeti.paths import Paths
from pyganeti.rpc.calls import CALLS
from pyganeti.rpc.server import resolve


def test_calls_are_declared_and_match_their_functions() -> None:
    for name in ("instance_console_log", "instance_hypervisor_files_remove", "accept_instance",
                 "instance_migrate", "instance_get_migration_status",
                 "instance_finalize_migration_dst", "instance_finalize_migration_src"):  # fmt: skip
        resolve(CALLS[name])  # raises if the signature and the table disagree


def test_console_log_tail_backups_and_removal(tmp_path: Path) -> None:
    ctx = NodeContext(Paths.from_root(tmp_path))
    rt = RuntimeDir(ctx.paths)
    rt.ensure()
    rt.console_log("vm1").with_name("vm1.log.1").write_bytes(b"first boot\n")
    rt.console_log("vm1").write_bytes(b"second boot\n")
    assert node_console.instance_console_log(ctx, "vm1", "kvm", 1 << 20, False) == "second boot\n"
    both = node_console.instance_console_log(ctx, "vm1", "kvm", 1 << 20, True)
    assert both == "first boot\nsecond boot\n"
    assert node_console.instance_console_log(ctx, "vm1", "kvm", 5, False) == "boot\n"
    node_console.instance_hypervisor_files_remove(ctx, "vm1", "kvm")
    assert list(rt.console_log_dir.iterdir()) == []
    if rt.ctrl_dir.is_symlink():
        shutil.rmtree(rt.socket_dir)


def test_bad_requests_are_refused_clearly(tmp_path: Path) -> None:
    ctx = NodeContext(Paths.from_root(tmp_path))
    with pytest.raises(errors.HypervisorError, match="fake keeps no console logs"):
        node_console.instance_console_log(ctx, "vm1", "fake", 100, False)
    with pytest.raises(errors.OpExecError, match="max_bytes must be positive"):
        node_console.instance_console_log(ctx, "vm1", "kvm", 0, False)
    with pytest.raises(errors.HypervisorError, match="Cannot migrate instance vm1: not running"):
        node_migration.instance_migrate(
            ctx, {"name": "vm1", "hypervisor": "kvm", "hvparams": {}}, "127.0.0.1", True
        )

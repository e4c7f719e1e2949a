"""ssconf and upload files, node_info, node_verify and hooks_runner on the node."""

from __future__ import annotations

import stat
from typing import Any

import pytest

from pyganeti import PROTOCOL_VERSION, errors
from pyganeti.node import files, info
from pyganeti.node.context import NodeContext
from pyganeti.node.hooks import hooks_runner


def test_ssconf_files(ctx: NodeContext) -> None:
    files.write_ssconf_files(ctx, {"cluster_name": "c.example.com", "master_node": "n1"})
    f = ctx.paths.ssconf_file("cluster_name")
    assert f.read_text() == "c.example.com"
    assert stat.S_IMODE(f.stat().st_mode) == 0o444
    files.write_ssconf_files(ctx, {"cluster_name": "d.example.com"})
    assert f.read_text() == "d.example.com"
    with pytest.raises(errors.ProgrammerError, match=r"invalid ssconf key '../x'"):
        files.write_ssconf_files(ctx, {"master_node": "n2", "../x": "y"})
    # Nothing was written: keys are all checked first.
    assert ctx.paths.ssconf_file("master_node").read_text() == "n1"


def test_upload_allow_list(ctx: NodeContext, tmp_path: Any) -> None:
    files.upload_file(ctx, str(ctx.paths.config_file), '{"a": 1}', 0o640)
    assert ctx.paths.config_file.read_text() == '{"a": 1}'
    assert stat.S_IMODE(ctx.paths.config_file.stat().st_mode) == 0o640
    for bad in ("/etc/passwd", str(ctx.paths.data_dir / ".." / "etc" / "x"), "relative"):
        with pytest.raises(errors.OpExecError, match=r"refused"):
            files.upload_file(ctx, bad, "x", 0o644)
    with pytest.raises(errors.OpExecError, match=r"invalid file mode"):
        files.upload_file(ctx, str(ctx.paths.config_file), "x", 0o70000)
    assert ctx.paths.config_file.read_text() == '{"a": 1}'


def test_node_info(ctx: NodeContext) -> None:
    result = info.node_info(ctx, [["file", str(ctx.paths.file_storage_dir), []]], ["fake"])
    assert result["memory"]["memory_total"] > 0
    assert result["cpu"]["cpu_total"] > 0
    [storage] = result["storage"]
    assert storage["type"] == "file" and storage["storage_free"] > 0
    [hv] = result["hv"]
    assert hv["name"] == "fake" and hv["memory_free"] == hv["memory_total"]
    with pytest.raises(errors.StorageError, match=r"storage type 'lvm-vg' is not supported"):
        info.node_info(ctx, [["lvm-vg", "xenvg", []]], [])


def test_node_verify(ctx: NodeContext) -> None:
    result = info.node_verify(
        ctx,
        {
            "version": None,
            "file_storage_paths": [str(ctx.paths.file_storage_dir), "/etc"],
            "hypervisor": ["fake", "xen"],
            "hvparams": {"fake": {"migration_mode": "warp"}},
            "os": None,
        },
    )
    assert result["version"][0] == PROTOCOL_VERSION
    [problem] = result["file_storage_paths"]
    assert "/etc" in problem
    assert "fake-hypervisor' does not exist" in result["hypervisor"]["fake"]
    assert "unknown hypervisor" in result["hypervisor"]["xen"]
    assert "warp" in result["hvparams"]["fake"]
    assert result["os"] == []
    ctx.paths.fake_hv_dir.mkdir(parents=True)
    assert info.node_verify(ctx, {"hypervisor": ["fake"]}) == {"hypervisor": {"fake": None}}
    with pytest.raises(errors.ProgrammerError, match=r"unknown node_verify check.*lvm"):
        info.node_verify(ctx, {"lvm": None})


def test_hooks_runner(ctx: NodeContext) -> None:
    d = ctx.paths.hooks_dir / "cluster-verify-post.d"
    d.mkdir(parents=True)
    (d / "check").write_text("#!/bin/sh\necho $GANETI_CLUSTER\n")
    (d / "check").chmod(0o755)
    assert hooks_runner(ctx, "cluster-verify", "post", {"GANETI_CLUSTER": "c1"}) == [
        ["cluster-verify-post.d/check", "success", "c1"]
    ]

"""A node root with file storage allowed and a NodeContext over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyganeti.node.context import NodeContext
from pyganeti.paths import Paths


@pytest.fixture
def ctx(tmp_path: Path) -> NodeContext:
    paths = Paths.from_root(tmp_path / "root")
    paths.ensure_dirs()
    paths.file_storage_paths.write_text(f"{paths.file_storage_dir}\n")
    return NodeContext(paths)


@pytest.fixture
def instance(ctx: NodeContext) -> dict[str, Any]:
    base = ctx.paths.file_storage_dir / "web1"
    return {
        "name": "web1",
        "uuid": "iuuid",
        "os": "noop+default",
        "hypervisor": "fake",
        "primary_node": "nuuid",
        "admin_state": "up",
        "disk_template": "file",
        "osparams": {},
        "beparams": {"maxmem": 128, "minmem": 128, "vcpus": 1},
        "hvparams": {"migration_mode": "live"},
        "nics": [{"mac": "aa:00:00:00:00:01", "ip": None, "uuid": "n0", "name": None,
                  "network": None, "nicparams": {"mode": "bridged", "link": "br0", "vlan": ""}}],
        "disks": [
            {"uuid": f"d{i}", "dev_type": "file", "size": 4, "mode": "rw", "iv_name": f"disk/{i}",
             "logical_id": ["loop", str(base / f"d{i}.file")], "params": {}, "name": None}
            for i in range(2)
        ],
    }  # fmt: skip

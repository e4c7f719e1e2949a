"""--dry-run runs the checks of an opcode and changes nothing."""

from __future__ import annotations

import pytest
from cluster_fixture import Cluster


@pytest.mark.timeout(120)
def test_dry_run_changes_nothing(cluster: Cluster) -> None:
    before = cluster.luxi().query_cluster_info()["mtime"]
    add = cluster.run("gnt-instance", "add", "--dry-run", "-t", "file", "-s", "256M", "-o",
                      "noop+default", "--no-name-check", "--no-ip-check", "dry1")
    assert add.returncode == 0, add.stderr
    assert cluster.run("gnt-instance", "list", "--no-headers", "-o", "name").stdout == ""
    assert not (cluster.paths.file_storage_dir / "dry1").exists()
    assert cluster.luxi().query_cluster_info()["mtime"] == before
    # The checks still run: a dry run of something impossible fails.
    bad = cluster.run("gnt-instance", "add", "--dry-run", "-t", "file", "-s", "256M", "-o",
                      "nosuch+os", "--no-name-check", "--no-ip-check", "dry2")
    assert bad.returncode == 1 and "OS 'nosuch' not found" in bad.stderr

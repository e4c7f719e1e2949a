"""Relocatable roots: a deep root (socket paths beyond sun_path) and two clusters side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from cluster_fixture import make_cluster


@pytest.mark.timeout(120)
def test_deep_root_and_two_independent_clusters(tmp_path: Path) -> None:
    deep = make_cluster(tmp_path / ("x" * 50) / ("y" * 30) / "root")
    other = make_cluster(tmp_path / "other")
    try:
        assert len(str(deep.paths.luxi_socket)) > 108
        for c, name in ((deep, "a1"), (other, "b1")):
            c.run(
                "gnt-instance",
                "add",
                "-t",
                "diskless",
                "--no-nics",
                "-o",
                "noop+default",
                "--no-name-check",
                "--no-ip-check",
                name,
                check=True,
            )
        listed = [
            c.run("gnt-instance", "list", "--no-headers", "-o", "name", check=True).stdout.split()
            for c in (deep, other)
        ]
        assert listed == [["a1"], ["b1"]]
        # Each cluster's node daemon serves its own loopback address.
        assert (
            deep.run("gnt-node", "list", "--no-headers", "-o", "pip", check=True).stdout
            != other.run("gnt-node", "list", "--no-headers", "-o", "pip", check=True).stdout
        )
    finally:
        deep.stop()
        other.stop()

"""daemon-util: Ganeti's commands and exit codes, and daemons' refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cluster_fixture import Cluster

DAEMONS = ("ganeti-noded", "ganeti-wconfd", "ganeti-luxid")


def du(cluster: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    return cluster.run("pyganeti", "daemon-util", *args)


@pytest.mark.timeout(120)
def test_check_stop_start_and_exit_codes(cluster: Cluster) -> None:
    for name in DAEMONS:
        assert du(cluster, "check", name).returncode == 0
        assert cluster.paths.pid_file(name).exists()
    assert du(cluster, "check", "ganeti-nonsense").returncode == 1
    assert "Unknown daemon name" in du(cluster, "check", "ganeti-nonsense").stderr
    assert du(cluster, "frobnicate").returncode == 1
    listed = du(cluster, "list-start-daemons").stdout.split()
    assert [d for d in listed if d in DAEMONS] == list(DAEMONS)  # Ganeti's start order
    assert du(cluster, "list-stop-daemons").stdout.split() == listed[::-1]
    assert du(cluster, "stop", "ganeti-luxid").returncode == 0
    assert du(cluster, "check", "ganeti-luxid").returncode == 1
    assert not cluster.paths.pid_file("ganeti-luxid").exists()  # removed on SIGTERM
    assert du(cluster, "stop", "ganeti-luxid").returncode == 0  # stopping twice is fine
    assert du(cluster, "stop-all").returncode == 0
    assert all(du(cluster, "check", n).returncode == 1 for n in DAEMONS)
    assert du(cluster, "start-all").returncode == 0
    assert all(du(cluster, "check", n).returncode == 0 for n in DAEMONS)
    assert cluster.run("gnt-debug", "delay", "0").returncode == 0
    # A second instance of a running daemon refuses (locked pid file), with a clear message.
    proc = subprocess.run([sys.executable, "-m", "pyganeti.daemons.luxid", "--root",
                           str(cluster.paths.root)], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode != 0 and "already running" in proc.stderr


@pytest.mark.timeout(60)
@pytest.mark.parametrize("module", ["wconfd", "luxid", "noded"])
def test_daemons_refuse_without_cluster(tmp_path: Path, module: str) -> None:
    proc = subprocess.run([sys.executable, "-m", f"pyganeti.daemons.{module}", "--root",
                           str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 5
    assert "no cluster is initialised" in proc.stderr


@pytest.mark.timeout(60)
def test_voting_options_need_confirmation(cluster: Cluster) -> None:
    du(cluster, "stop", "ganeti-luxid")
    du(cluster, "stop", "ganeti-wconfd")
    proc = subprocess.run([sys.executable, "-m", "pyganeti.daemons.wconfd", "--root",
                           str(cluster.paths.root), "--no-voting"], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 11 and "--yes-do-it" in proc.stderr
    # Not the master in the configuration: refused unless --force-node.
    proc = subprocess.run([sys.executable, "-m", "pyganeti.daemons.wconfd", "--root",
                           str(cluster.paths.root)], capture_output=True, text=True,
                          timeout=30, env={**cluster.env, "GANETI_HOSTNAME": "intruder"})
    assert proc.returncode == 11 and "not the master" in proc.stderr

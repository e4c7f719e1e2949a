"""Bad input to the real gnt-* tools: a clear error, a Ganeti exit code, nothing changed.

"Nothing changed" is checked on the real cluster: the configuration serial (from
config.data and its journal), the instances and their serials, the files below the
root, and the job list (which grows by exactly one failed job when the error is only
found by the master).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from cluster_fixture import Cluster

pytestmark = pytest.mark.timeout(120)

ADD = ("gnt-instance", "add", "-o", "noop+default", "--no-name-check", "--no-ip-check")


def config_serial(cluster: Cluster) -> int:
    """The configuration serial: the newest of the snapshot and its journal."""
    data = cluster.paths.data_dir
    serial = int(json.loads((data / "config.data").read_text())["serial_no"])
    journal = data / "config.journal"
    if journal.exists():
        for line in journal.read_text().splitlines():
            if line.strip():
                serial = max(serial, int(json.loads(line)["serial"]))
    return serial


@dataclass(frozen=True)
class State:
    serial: int
    instances: list[list[Any]]
    jobs: list[list[Any]]
    files: frozenset[str]


def state(cluster: Cluster) -> State:
    with cluster.luxi() as client:
        instances = client.query("instance", ["name", "serial_no", "status"], None)["data"]
        jobs = client.query_jobs(None, ["id", "status"])
    root = cluster.paths.root
    # Logs and the job queue legitimately change, and wconfd's background snapshot
    # comes and goes as a hidden temporary file; everything else must not change.
    skip = (cluster.paths.log_dir, cluster.paths.queue_dir)
    files = frozenset(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if not any(p == s or s in p.parents for s in skip) and not p.name.startswith(".")
    )
    return State(
        config_serial(cluster),
        [[value for _status, value in row] for row in instances],
        [list(row) for row in jobs],
        files,
    )


def assert_unchanged(cluster: Cluster, before: State, failed_jobs: int = 0) -> None:
    after = state(cluster)
    assert after.serial == before.serial
    assert after.instances == before.instances
    new_paths = sorted(after.files - before.files)
    gone_paths = sorted(before.files - after.files)
    assert (new_paths, gone_paths) == ([], [])
    assert after.jobs[: len(before.jobs)] == before.jobs
    new_jobs = after.jobs[len(before.jobs) :]
    assert [status for _id, status in new_jobs] == ["error"] * failed_jobs


def check_refused(
    cluster: Cluster,
    argv: tuple[str, ...],
    code: int,
    *needles: str,
    failed_jobs: int = 0,
    on_stdout: bool = False,
) -> str:
    """Run argv, expect exit `code` and an error naming each needle, and no change.

    Errors go to stderr, except where Ganeti prints a result message to stdout.
    """
    before = state(cluster)
    proc = cluster.run(*argv)
    assert proc.returncode == code, (argv, proc.stdout, proc.stderr)
    text = proc.stdout if on_stdout else proc.stderr
    for needle in needles:
        assert needle in text, (argv, needle, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert_unchanged(cluster, before, failed_jobs)
    return proc.stderr


@pytest.fixture
def populated(cluster: Cluster) -> Cluster:
    cluster.run(*ADD, "-t", "file", "-s", "128M", "web1", check=True)
    cluster.run(*ADD, "-t", "diskless", "--no-start", "dl1", check=True)
    return cluster


def test_bad_add_options(populated: Cluster) -> None:
    c = populated
    base = (*ADD, "--no-start")
    # Refused by the client before anything is submitted.
    err = check_refused(c, (*base, "--bogus-opt", "-t", "diskless", "b1"), 2, "--bogus-opt")
    assert err.startswith("usage: gnt-instance add")
    check_refused(c, (*base, "-t", "nosuch", "b1"), 2, "'nosuch'", "--disk-template")
    check_refused(
        c,
        (*base, "-t", "diskless", "-B", "maxmem=abc", "b1"),
        1,
        "Parameter Error: 'maxmem' (value abc) is not a valid size",
    )
    check_refused(
        c,
        (*base, "-t", "diskless", "-B", "vcpus=two", "b1"),
        1,
        "Parameter Error: 'vcpus' (value two) is not a valid integer",
    )
    check_refused(
        c, (*base, "-t", "diskless", "-B", "nosuch=1", "b1"), 1, "Unknown parameter 'nosuch'"
    )
    check_refused(c, (*base, "-t", "file", "-s", "lots", "b1"), 2, "lots")
    check_refused(
        c,
        (*base, "-t", "file", "-s", "1G", "--disk", "0:size=1G", "b1"),
        1,
        "Please use either the '--disk' or '-s' option",
    )
    check_refused(c, (*base, "-t", "diskless", "-B", "maxmem", "b1"), 1, "maxmem")

    # Found by the master: one failed job, nothing else.
    prereq = "Failure: prerequisites not met for this operation:\nerror type: wrong_input"
    check_refused(
        c,
        (*base, "-t", "diskless", "-H", "fake:bogus=1", "b1"),
        1,
        prereq,
        "bogus",
        failed_jobs=1,
    )
    check_refused(
        c,
        (*base, "-t", "diskless", "--net", "0:mode=weird", "b1"),
        1,
        prereq,
        "invalid mode 'weird'",
        failed_jobs=1,
    )
    for where in ("../../etc", "/etc", "sub/../../x"):
        check_refused(
            c,
            (*base, "-t", "file", "-s", "64M", f"--file-storage-dir={where}", "b1"),
            1,
            prereq,
            f"'{where}'",
            failed_jobs=1,
        )
    check_refused(
        c,
        ("gnt-instance", "add", "-t", "diskless", "--no-name-check", "--no-ip-check", "b1"),
        1,
        "OS is required (-o)",
        failed_jobs=1,
    )
    check_refused(
        c,
        (*ADD, "-t", "diskless", "-o", "nosuchos", "b1"),
        1,
        "nosuchos",
        failed_jobs=1,
    )
    for template in ("file", "diskless"):
        args = ("-s", "64M") if template == "file" else ()
        check_refused(
            c,
            (*base, "-t", template, *args, "web1"),
            1,
            "error type: already_exists",
            "Instance 'web1' is already in the cluster",
            failed_jobs=1,
        )
    assert sorted(p.name for p in c.paths.file_storage_dir.iterdir()) == ["web1"]


def test_bad_modify_options(populated: Cluster) -> None:
    c = populated
    check_refused(
        c,
        ("gnt-instance", "modify", "-B", "maxmem=abc", "dl1"),
        1,
        "'maxmem' (value abc) is not a valid size",
    )
    check_refused(
        c,
        ("gnt-instance", "modify", "-H", "bogus=1", "dl1"),
        1,
        "Unknown parameter(s) for hypervisor fake: bogus",
        failed_jobs=1,
    )
    check_refused(
        c,
        ("gnt-instance", "modify", "-H", "migration_mode=sideways", "dl1"),
        1,
        "migration_mode",
        failed_jobs=1,
    )
    check_refused(
        c,
        ("gnt-instance", "modify", "--net", "0:mode=weird", "dl1"),
        1,
        "weird",
        failed_jobs=1,
    )
    check_refused(c, ("gnt-instance", "modify", "dl1"), 1, "at least one of the parameters")
    check_refused(
        c,
        ("gnt-instance", "modify", "--disk", "add:size=64M", "dl1"),
        1,
        "diskless",
        failed_jobs=1,
    )
    check_refused(
        c,
        ("gnt-instance", "modify", "--disk", "3:remove", "web1"),
        1,
        "3",
        failed_jobs=1,
    )


def test_unknown_names_and_fields(populated: Cluster) -> None:
    c = populated
    unknown = "unknown_entity"
    for argv in (
        ("gnt-instance", "startup", "nosuch"),
        ("gnt-instance", "shutdown", "nosuch"),
        ("gnt-instance", "info", "nosuch"),
        ("gnt-instance", "list", "web1", "nosuch"),
        ("gnt-instance", "modify", "-B", "vcpus=2", "nosuch"),
        ("gnt-instance", "reinstall", "-f", "nosuch"),
        ("gnt-instance", "rename", "-f", "--no-name-check", "--no-ip-check", "nosuch", "x"),
        ("gnt-node", "list-tags", "nosuchnode"),
    ):
        before = state(c)
        proc = c.run(*argv)
        assert proc.returncode == 1, argv
        assert "nosuch" in proc.stderr and unknown in proc.stderr, (argv, proc.stderr)
        after = state(c)
        # Some of these are refused inside a job: at most one failed job, nothing else.
        assert len(after.jobs) - len(before.jobs) <= 1
        assert_unchanged(c, before, failed_jobs=len(after.jobs) - len(before.jobs))
    check_refused(
        c, ("gnt-instance", "remove", "-f", "nosuch"), 1, unknown, "nosuch", failed_jobs=1
    )
    check_refused(c, ("gnt-job", "cancel", "999"), 1, "Job 999 not found", on_stdout=True)

    for tool in ("gnt-instance", "gnt-node", "gnt-job"):
        before = state(c)
        proc = c.run(tool, "list", "-o", "name,nosuchfield" if tool != "gnt-job" else "id,nosuch")
        assert proc.returncode == 14, tool
        assert "Warning: Queried for unknown fields nosuch" in proc.stderr
        # Like Ganeti, the known columns are still shown; unknown ones as "??".
        rows = proc.stdout.splitlines()[1:]
        assert rows and all(row.split()[-1] == "??" for row in rows), proc.stdout
        assert_unchanged(c, before)
    proc = c.run("gnt-instance", "list-fields", "name", "nosuchfield")
    assert proc.returncode == 14
    assert "nosuchfield" in proc.stdout + proc.stderr
    check_refused(c, ("gnt-instance", "list", "-F", "name ==="), 1, "name ===")


def test_remove_without_force_and_tty_keeps_the_instance(populated: Cluster) -> None:
    c = populated
    # stdin is not a terminal: the confirmation is refused, as in Ganeti (exit 1).
    check_refused(c, ("gnt-instance", "remove", "web1"), 1)
    assert (c.paths.file_storage_dir / "web1" / "disk0").exists()
    assert (c.paths.fake_hv_dir / "web1").exists()
    check_refused(c, ("gnt-cluster", "destroy"), 1, "--yes-do-it")
    check_refused(c, ("gnt-cluster", "queue", "frobnicate"), 1, "frobnicate")
    check_refused(c, ("gnt-cluster", "watcher", "pause"), 1)
    check_refused(c, ("gnt-instance", "reboot", "--type=gentle", "web1"), 2, "gentle")
    check_refused(c, ("gnt-instance", "startup"), 1)

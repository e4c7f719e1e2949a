"""Node-side hooks runner: naming rules, order, environment, statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyganeti import errors
from pyganeti.hooks import HOOK_FAIL, HOOK_SKIP, HOOK_SUCCESS, run_hooks


def script(path: Path, body: str, mode: int = 0o755) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(mode)


def test_runs_sorted_with_statuses_and_env(tmp_path: Path) -> None:
    d = tmp_path / "instance-start-pre.d"
    d.mkdir()
    script(d / "20-fail", "echo failing; exit 1\n")
    script(d / "10-ok", 'echo "op=$GANETI_OP_CODE path=$PATH home=${HOME:-unset}"\n')
    script(d / "30-noexec", "exit 0\n", mode=0o644)
    script(d / "40-bad.name", "exit 0\n")
    script(d / ".hidden", "exit 1\n")
    (d / "50-dir").mkdir()
    results = run_hooks(
        tmp_path, "instance-start", "pre", {"GANETI_OP_CODE": "OP_INSTANCE_STARTUP"}
    )
    assert results == [
        ["instance-start-pre.d/10-ok", HOOK_SUCCESS,
         "op=OP_INSTANCE_STARTUP path=/sbin:/bin:/usr/sbin:/usr/bin home=unset"],
        ["instance-start-pre.d/20-fail", HOOK_FAIL, "failing"],
        ["instance-start-pre.d/30-noexec", HOOK_SKIP, ""],
        ["instance-start-pre.d/40-bad.name", HOOK_SKIP, ""],
        ["instance-start-pre.d/50-dir", HOOK_SKIP, ""],
    ]  # fmt: skip


def test_missing_directory_means_no_hooks(tmp_path: Path) -> None:
    assert run_hooks(tmp_path, "instance-start", "post", {}) == []


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(errors.ProgrammerError, match=r"unknown hooks phase 'during'"):
        run_hooks(tmp_path, "instance-start", "during", {})
    with pytest.raises(errors.ProgrammerError, match=r"invalid hooks path"):
        run_hooks(tmp_path, "../../bin", "pre", {})
    with pytest.raises(errors.ProgrammerError, match=r"environment"):
        run_hooks(tmp_path, "x", "pre", {"A=B": "c"})


def test_timeout_is_a_failure(tmp_path: Path) -> None:
    d = tmp_path / "x-post.d"
    d.mkdir()
    script(d / "slow", "echo started\nexec sleep 30\n")
    [[name, status, output]] = run_hooks(tmp_path, "x", "post", {}, timeout=0.3)
    assert (name, status) == ("x-post.d/slow", HOOK_FAIL)
    assert "timed out" in output

"""apply_host: diffs, atomic writes, removal of stale files, exactly the right actions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pyganeti.host.apply import apply_host
from pyganeti.host.errors import HostApplyError
from pyganeti.host.loader import loads_host
from pyganeti.host.render.services import Service


class RecordingManager:
    """A ServiceManager that records what apply asks of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.installed: tuple[Service, ...] = ()
        self.fail_start: set[str] = set()

    def install(self, services: tuple[Service, ...]) -> None:
        self.installed = services

    def start(self, name: str, command: tuple[str, ...] | None = None) -> Any:
        if name in self.fail_start:
            raise HostApplyError(f"{name}: cannot run")
        self.calls.append(("start", name))

    def stop(self, name: str) -> Any:
        self.calls.append(("stop", name))

    def restart(self, name: str) -> Any:
        self.calls.append(("restart", name))

    def status(self, name: str | None = None) -> Any:
        return []


BASE = """\
[ganeti]
file-storage-paths = ["/srv/ganeti/file-storage"]

[ganeti.rapi-configuration]
ssl = false

[virtlog]
"""


def test_dry_run_shows_diff_and_changes_nothing(tmp_path: Path) -> None:
    report = apply_host(loads_host(BASE), tmp_path, None, dry_run=True)
    assert "etc/ganeti/file-storage-paths" in report.written
    text = report.summary()
    assert f"+{tmp_path}/srv/ganeti/file-storage" in text
    assert "would start ganeti-rapi" in text and "would start virtlogd" in text
    assert list(tmp_path.iterdir()) == []


def test_first_apply_writes_files_dirs_and_starts_everything(tmp_path: Path) -> None:
    manager = RecordingManager()
    report = apply_host(loads_host(BASE), tmp_path, manager)
    assert not report.errors
    assert (tmp_path / "etc/ganeti/file-storage-paths").read_text() == (
        f"{tmp_path}/srv/ganeti/file-storage\n"
    )
    hook = tmp_path / "etc/ganeti/instance-debootstrap/hooks.d/default/10-network"
    assert os.access(hook, os.X_OK)
    assert (tmp_path / "var/lib/ganeti").is_dir() and (
        tmp_path / "srv/ganeti/file-storage"
    ).is_dir()
    assert (tmp_path / "etc/libvirt/virtlogd.conf").exists()
    started = [n for op, n in manager.calls if op == "start"]
    assert started[0] == "ganeti-noded" and "virtlogd" in started and len(started) == 12
    assert started.index("ganeti-watcher") > started.index("virtlogd")  # schedules last
    assert {s.name for s in manager.installed} == set(started)


def test_reapply_is_a_no_op(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    manager = RecordingManager()
    report = apply_host(loads_host(BASE), tmp_path, manager)
    assert manager.calls == [] and report.written == []
    assert report.summary() == "nothing to do"


def test_only_changed_services_restart(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    manager = RecordingManager()
    changed = BASE.replace("ssl = false", "ssl = false\nport = 5081") + "max-clients = 9\n"
    report = apply_host(loads_host(changed), tmp_path, manager)
    # virtlogd restarts because its configuration file changed, rapi because its
    # command line did; nothing else is touched.
    assert sorted(manager.calls) == [("restart", "ganeti-rapi"), ("restart", "virtlogd")]
    assert report.written == ["etc/libvirt/virtlogd.conf"]
    assert "-max_clients = 1024" in report.summary() and "+max_clients = 9" in report.summary()


def test_removed_service_is_stopped_and_its_files_removed(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    manager = RecordingManager()
    report = apply_host(loads_host(BASE.replace("[virtlog]\n", "")), tmp_path, manager)
    assert manager.calls == [("stop", "virtlogd")]
    assert report.removed == ["etc/libvirt/virtlogd.conf"]
    assert not (tmp_path / "etc/libvirt/virtlogd.conf").exists()


def test_hand_edited_file_is_restored_with_a_diff(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    target = tmp_path / "etc/ganeti/file-storage-paths"
    target.write_text("/elsewhere\n")
    report = apply_host(loads_host(BASE), tmp_path, RecordingManager())
    assert "-/elsewhere" in report.summary()
    assert target.read_text() == f"{tmp_path}/srv/ganeti/file-storage\n"


def test_symlinked_variant(tmp_path: Path) -> None:
    host = loads_host(
        '[ganeti]\n[[ganeti.os]]\nname = "guix"\nextension = ".scm"\n'
        '[[ganeti.os.variants]]\nname = "vm"\nconfiguration = { file = "/etc/vm.scm" }\n'
    )
    apply_host(host, tmp_path, RecordingManager())
    link = tmp_path / "etc/ganeti/instance-guix/variants/vm.scm"
    assert link.is_symlink() and os.readlink(link) == "/etc/vm.scm"


def test_start_failures_are_reported_and_the_rest_still_starts(tmp_path: Path) -> None:
    manager = RecordingManager()
    manager.fail_start = {"ganeti-noded"}
    report = apply_host(loads_host(BASE), tmp_path, manager)
    assert report.errors == ["starting ganeti-noded: ganeti-noded: cannot run"]
    assert ("start", "ganeti-confd") in manager.calls


def test_apply_without_manager_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HostApplyError, match="needs a service manager"):
        apply_host(loads_host(BASE), tmp_path, None)
    assert list(tmp_path.iterdir()) == []

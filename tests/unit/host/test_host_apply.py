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

    def enable(self, name: str) -> Any:
        self.calls.append(("enable", name))

    def disable(self, name: str) -> Any:
        self.calls.append(("disable", name))


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
    assert started[0] == "ganeti-noded"
    assert {"ganeti-wconfd", "ganeti-luxid", "ganeti-rapi", "virtlogd"} <= set(started)
    # Everything runnable starts; what pyganeti lacks (yet) is named, never started.
    runnable = {s.name for s in manager.installed if s.unavailable is None}
    assert set(started) == runnable and len(started) == len(runnable)
    missing = [s for s in manager.installed if s.unavailable is not None]
    for service in missing:
        assert f"not starting {service.name}: {service.unavailable}" in report.summary()
    if "ganeti-watcher" in started:
        assert started.index("ganeti-watcher") > started.index("virtlogd")  # schedules last


def test_reapply_is_a_no_op(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    manager = RecordingManager()
    report = apply_host(loads_host(BASE), tmp_path, manager)
    assert manager.calls == [] and report.written == []
    assert report.summary().splitlines()[0] == "nothing to do"
    assert all(line.startswith("not starting ") for line in report.summary().splitlines()[1:])


def test_only_changed_services_restart(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    manager = RecordingManager()
    changed = BASE.replace("ssl = false", "ssl = false\nport = 5081") + "max-clients = 9\n"
    report = apply_host(loads_host(changed), tmp_path, manager)
    # virtlogd restarts because its configuration file changed, rapi because its
    # command line did; nothing else is touched.
    assert sorted(manager.calls) == [("restart", "ganeti-rapi"), ("restart", "virtlogd")]
    # etc/default/ganeti holds the daemons' options for daemon-util: RAPI's port changed.
    assert report.written == ["etc/default/ganeti", "etc/libvirt/virtlogd.conf"]
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
    assert ("start", "ganeti-wconfd") in manager.calls


def test_apply_without_manager_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HostApplyError, match="needs a service manager"):
        apply_host(loads_host(BASE), tmp_path, None)
    assert list(tmp_path.iterdir()) == []


def test_os_providers_and_daemon_defaults_are_installed(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    guix = tmp_path / "srv/ganeti/os/guix"
    assert os.access(guix / "create", os.X_OK) and (guix / "ganeti_api_version").read_text() == (
        "20\n"
    )
    listing = guix / "variants.list"
    assert os.readlink(listing) == f"{tmp_path}/etc/ganeti/instance-guix/variants/variants.list"
    assert listing.read_text() == "default\n"
    defaults = (tmp_path / "etc/default/ganeti").read_text()
    assert "RAPI_ARGS='--port 5080 --bind 0.0.0.0 --max-clients 20 --no-ssl'" in defaults
    # The noop provider ships with pyganeti but is only installed when configured.
    assert not (tmp_path / "srv/ganeti/os/noop").exists()


def test_unknown_os_provider_gets_its_files_and_a_note(tmp_path: Path) -> None:
    host = loads_host(
        '[ganeti]\n[[ganeti.os]]\nname = "custom"\nextension = ".conf"\n'
        '[[ganeti.os.variants]]\nname = "foo"\nconfiguration = { content = "this is fine" }\n'
    )
    report = apply_host(host, tmp_path, RecordingManager())
    variants = tmp_path / "etc/ganeti/instance-custom/variants"
    assert (variants / "foo.conf").read_text() == "this is fine"
    assert (variants / "variants.list").read_text() == "foo\n"
    assert not (tmp_path / "srv/ganeti/os/custom").exists()
    assert "note: OS provider 'custom' is installed neither with pyganeti nor" in report.summary()


def test_dropped_os_provider_directory_goes_away(tmp_path: Path) -> None:
    apply_host(loads_host(BASE), tmp_path, RecordingManager())
    assert (tmp_path / "srv/ganeti/os/guix/create").exists()
    no_os = BASE.replace("[ganeti]\n", "[ganeti]\nos = []\n")
    report = apply_host(loads_host(no_os), tmp_path, RecordingManager())
    assert "srv/ganeti/os/guix/create" in report.removed
    assert not (tmp_path / "srv/ganeti/os/guix").exists()

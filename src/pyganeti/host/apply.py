"""Apply a host configuration: write changed files atomically, then start, stop or
restart exactly the services whose definition or configuration files changed."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyganeti.host.errors import HostApplyError
from pyganeti.host.layout import HostLayout, save_services, service_to_json, write_atomically
from pyganeti.host.managers import ServiceManager
from pyganeti.host.records.host import HostConfiguration
from pyganeti.host.render.files import FileSpec
from pyganeti.host.render.os_providers import OS_TARGET_DIR
from pyganeti.host.render.services import HostPlan, Service, ServiceKind, expand
from pyganeti.paths import Paths


@dataclass
class ApplyReport:
    """What an apply changed (or, with dry_run, would change)."""

    dry_run: bool
    diffs: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    restarted: list[str] = field(default_factory=list)
    # Services whose program is missing on this host: "name: reason", never started.
    unavailable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would " if self.dry_run else ""
        lines = list(self.diffs)
        for label, items in (
            ("write", self.written),
            ("remove", self.removed),
            ("stop", self.stopped),
            ("start", self.started),
            ("restart", self.restarted),
        ):
            lines += [f"{verb}{label} {item}" for item in items]
        if not any((self.written, self.removed, self.started, self.stopped, self.restarted)):
            lines.append("nothing to do")
        lines += [f"not starting {item}" for item in self.unavailable]
        lines += [f"note: {note}" for note in self.notes]
        lines += [f"error: {e}" for e in self.errors]
        return "\n".join(lines)


def _current(path: Path) -> tuple[str | None, str]:
    """(text for the diff, identity) of what is at `path` now."""
    if path.is_symlink():
        target = os.readlink(path)
        return f"symlink to {target}\n", f"link:{target}"
    if path.exists():
        data = path.read_bytes()
        mode = path.stat().st_mode & 0o7777
        return data.decode("utf-8", "replace"), f"file:{mode:o}:{hashlib.sha256(data).hexdigest()}"
    return None, "absent"


def _wanted(spec: FileSpec) -> tuple[str, str]:
    if spec.symlink_to is not None:
        return f"symlink to {spec.symlink_to}\n", f"link:{spec.symlink_to}"
    data = (spec.content or "").encode("utf-8")
    return spec.content or "", f"file:{spec.mode:o}:{hashlib.sha256(data).hexdigest()}"


def _diff(rel: str, old: str | None, new: str | None) -> str:
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        (new or "").splitlines(keepends=True),
        fromfile="/dev/null" if old is None else f"a/{rel}",
        tofile="/dev/null" if new is None else f"b/{rel}",
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return text or f"mode or link of {rel} changes\n"


def _write(root: Path, spec: FileSpec) -> None:
    target = root / spec.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if spec.symlink_to is not None:
        tmp = target.with_name(f".{target.name}.tmp-link")
        tmp.unlink(missing_ok=True)
        os.symlink(spec.symlink_to, tmp)
        os.replace(tmp, target)
    else:
        if target.is_symlink():
            target.unlink()
        write_atomically(target, spec.content or "", spec.mode)


def fingerprint(service: Service, files: dict[str, FileSpec]) -> str:
    """Hash of a service's definition and of the files it reads: a change → restart."""
    h = hashlib.sha256(json.dumps(service_to_json(service), sort_keys=True).encode())
    for rel in service.config_files:
        spec = files.get(rel)
        h.update(rel.encode() + b"\0" + _wanted(spec)[1].encode() if spec else b"")
    return h.hexdigest()


def _load_manifest(layout: HostLayout) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(layout.manifest_file.read_text(encoding="utf-8"))
        return data
    except FileNotFoundError:
        return {"files": [], "services": {}}
    except (OSError, ValueError) as err:
        raise HostApplyError(f"{layout.manifest_file}: unreadable ({err})") from None


def _start_order(services: list[Service]) -> list[Service]:
    # Oneshots (e.g. binfmt handlers) first, then daemons, then schedules.
    rank = {ServiceKind.ONESHOT: 0, ServiceKind.DAEMON: 1, ServiceKind.SCHEDULE: 2}
    return sorted(services, key=lambda s: rank[s.kind])


def apply_host(
    host: HostConfiguration,
    root: Path,
    manager: ServiceManager | None,
    dry_run: bool = False,
) -> ApplyReport:
    """Bring the host under `root` to `host`; `manager` None only with dry_run."""
    root = root.resolve()
    plan: HostPlan = expand(host, str(root))
    layout = HostLayout(root)
    manifest = _load_manifest(layout)
    report = ApplyReport(dry_run, notes=list(plan.notes))
    files = {spec.path: spec for spec in plan.files}

    changed_files: list[FileSpec] = []
    for spec in plan.files:
        old_text, old_id = _current(root / spec.path)
        new_text, new_id = _wanted(spec)
        if old_id != new_id:
            changed_files.append(spec)
            report.written.append(spec.path)
            report.diffs.append(_diff(spec.path, old_text, new_text))
    stale = [rel for rel in manifest.get("files", []) if rel not in files]
    for rel in stale:
        old_text, old_id = _current(root / rel)
        if old_id != "absent":
            report.removed.append(rel)
            report.diffs.append(_diff(rel, old_text, None))

    old_prints: dict[str, str] = manifest.get("services", {})
    new_prints = {s.name: fingerprint(s, files) for s in plan.services}
    report.stopped = [name for name in old_prints if name not in new_prints]
    # A service whose program went missing is stopped rather than left running stale.
    report.stopped += [
        s.name
        for s in plan.services
        if s.unavailable and s.name in old_prints and old_prints[s.name] != new_prints[s.name]
    ]
    runnable = [s for s in plan.services if s.unavailable is None]
    report.unavailable = [f"{s.name}: {s.unavailable}" for s in plan.services if s.unavailable]
    new_services = [s for s in runnable if s.name not in old_prints]
    changed_services = [
        s for s in runnable if s.name in old_prints and old_prints[s.name] != new_prints[s.name]
    ]
    report.started = [s.name for s in _start_order(new_services)]
    report.restarted = [s.name for s in _start_order(changed_services)]
    if dry_run:
        return report
    if manager is None:
        raise HostApplyError("applying needs a service manager")

    # Services that go away are stopped while the supervisor still knows them.
    for name in report.stopped:
        try:
            manager.stop(name)
        except HostApplyError as err:
            report.errors.append(f"stopping {name}: {err}")
    for spec in changed_files:
        _write(root, spec)
    for rel in report.removed:
        (root / rel).unlink(missing_ok=True)
        parent = (root / rel).parent
        # An OS provider directory left empty would show up as an invalid OS.
        if parent.parent == root / OS_TARGET_DIR:
            with contextlib.suppress(OSError):
                parent.rmdir()
    if plan.ganeti:
        Paths.from_root(root).ensure_dirs()
    for service in plan.services:
        for d in service.directories:
            Path(d).mkdir(parents=True, exist_ok=True)
    save_services(layout, plan.services)
    manager.install(plan.services)
    for service in _start_order(new_services):
        try:
            manager.start(service.name)
        except HostApplyError as err:
            report.errors.append(f"starting {service.name}: {err}")
    for service in _start_order(changed_services):
        try:
            manager.restart(service.name)
        except HostApplyError as err:
            report.errors.append(f"restarting {service.name}: {err}")
    manifest_data = {"files": sorted(files), "services": new_prints}
    write_atomically(layout.manifest_file, json.dumps(manifest_data, indent=1) + "\n", 0o600)
    return report

"""Where the host layer keeps its own state under a root, and services as JSON."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pyganeti.host.errors import HostApplyError
from pyganeti.host.render.services import Service, ServiceKind


@dataclass(frozen=True)
class HostLayout:
    """The host layer's own files under `root`."""

    root: Path

    @property
    def state_dir(self) -> Path:
        return self.root / "var/lib/pyganeti-host"

    @property
    def services_file(self) -> Path:
        # The services the supervisor manages, as written by the last apply.
        return self.state_dir / "services.json"

    @property
    def manifest_file(self) -> Path:
        # Managed files and service fingerprints of the last apply.
        return self.state_dir / "manifest.json"

    @property
    def run_dir(self) -> Path:
        return self.root / "var/run/pyganeti-host"

    @property
    def socket(self) -> Path:
        return self.run_dir / "supervisor.sock"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "supervisor.pid"

    @property
    def log_dir(self) -> Path:
        return self.root / "var/log/pyganeti-host"

    def service_log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"


def service_to_json(service: Service) -> dict[str, Any]:
    data = asdict(service)
    data["kind"] = service.kind.value
    return data


def service_from_json(data: dict[str, Any]) -> Service:
    def tup(key: str) -> tuple[Any, ...]:
        return tuple(data.get(key) or ())

    stop = data.get("stop_command")
    return Service(
        name=str(data["name"]),
        kind=ServiceKind(data["kind"]),
        command=tup("command"),
        description=str(data.get("description", "")),
        respawn=bool(data.get("respawn", False)),
        schedule=data.get("schedule"),
        stop_command=None if stop is None else tuple(stop),
        environment=tuple(tuple(pair) for pair in tup("environment")),
        aliases=tup("aliases"),
        directories=tup("directories"),
        config_files=tup("config_files"),
        pid_file=data.get("pid_file"),
        benign_exits=tuple(int(c) for c in tup("benign_exits")),
        unavailable=data.get("unavailable"),
    )


def write_atomically(path: Path, data: str | bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` in one rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_services(layout: HostLayout, services: tuple[Service, ...]) -> None:
    text = json.dumps([service_to_json(s) for s in services], indent=1, sort_keys=True)
    write_atomically(layout.services_file, text + "\n", 0o600)


def load_services(layout: HostLayout) -> tuple[Service, ...]:
    """Services of the last apply (none before the first)."""
    try:
        raw = json.loads(layout.services_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, ValueError) as err:
        raise HostApplyError(f"{layout.services_file}: unreadable ({err})") from None
    return tuple(service_from_json(item) for item in raw)

"""Every filesystem path of a node, derived from one root directory.

The default root is "/", which gives Ganeti's standard layout. Setting GANETI_ROOT
(or passing --root) relocates the whole cluster into a directory, so that a non-root
user can run a cluster and several clusters or simulated nodes can share a machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "GANETI_ROOT"

# Daemon names as Ganeti spells them; log file names follow Ganeti's convention.
DAEMON_LOG_NAMES: dict[str, str] = {
    "ganeti-noded": "node-daemon.log",
    "ganeti-wconfd": "wconf-daemon.log",
    "ganeti-luxid": "luxi-daemon.log",
    "ganeti-confd": "conf-daemon.log",
    "ganeti-rapi": "rapi-daemon.log",
    "ganeti-kvmd": "kvm-daemon.log",
    "ganeti-mond": "monitoring-daemon.log",
    "ganeti-metad": "meta-daemon.log",
}


@dataclass(frozen=True)
class Paths:
    """All paths of one node; construct with `Paths.from_root` or `get_paths()`."""

    root: Path

    @classmethod
    def from_root(cls, root: str | os.PathLike[str] | None = None) -> Paths:
        if root is None:
            root = os.environ.get(ROOT_ENV) or "/"
        return cls(Path(root).resolve())

    def _r(self, rel: str) -> Path:
        return self.root / rel

    @property
    def is_default_root(self) -> bool:
        return self.root == Path("/")

    # --- /var/lib/ganeti -------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self._r("var/lib/ganeti")

    @property
    def config_file(self) -> Path:
        return self.data_dir / "config.data"

    @property
    def config_journal(self) -> Path:
        # Append-only log of changes newer than config.data (see config/store.py).
        return self.data_dir / "config.journal"

    @property
    def server_pem(self) -> Path:
        return self.data_dir / "server.pem"

    @property
    def cluster_domain_secret(self) -> Path:
        return self.data_dir / "cluster-domain-secret"

    @property
    def confd_hmac_key(self) -> Path:
        return self.data_dir / "hmac.key"

    @property
    def rapi_users(self) -> Path:
        return self.data_dir / "rapi" / "users"

    @property
    def queue_dir(self) -> Path:
        return self.data_dir / "queue"

    @property
    def queue_archive_dir(self) -> Path:
        return self.queue_dir / "archive"

    @property
    def queue_serial_file(self) -> Path:
        return self.queue_dir / "serial"

    @property
    def queue_drain_file(self) -> Path:
        return self.queue_dir / "drain"

    @property
    def watcher_pause_file(self) -> Path:
        return self.data_dir / "watcher.pause"

    @property
    def watcher_state_file(self) -> Path:
        return self.data_dir / "watcher.data"

    def ssconf_file(self, key: str) -> Path:
        return self.data_dir / f"ssconf_{key}"

    @property
    def instance_runtime_dir(self) -> Path:
        return self.data_dir / "instance-runtime"

    # --- /etc/ganeti -----------------------------------------------------
    @property
    def conf_dir(self) -> Path:
        return self._r("etc/ganeti")

    @property
    def file_storage_paths(self) -> Path:
        return self.conf_dir / "file-storage-paths"

    @property
    def hooks_dir(self) -> Path:
        return self.conf_dir / "hooks"

    def os_variants_dir(self, os_name: str) -> Path:
        return self.conf_dir / f"instance-{os_name}" / "variants"

    @property
    def hosts_file(self) -> Path:
        # Name resolution inside a relocated root consults the root's own hosts file first.
        return self._r("etc/hosts")

    # --- /var/run/ganeti -------------------------------------------------
    @property
    def run_dir(self) -> Path:
        return self._r("var/run/ganeti")

    @property
    def socket_dir(self) -> Path:
        return self.run_dir / "socket"

    @property
    def luxi_socket(self) -> Path:
        return self.socket_dir / "ganeti-query"

    @property
    def wconfd_socket(self) -> Path:
        return self.socket_dir / "ganeti-wconfd"

    def pid_file(self, daemon: str) -> Path:
        return self.run_dir / f"{daemon}.pid"

    @property
    def fake_hv_dir(self) -> Path:
        return self.run_dir / "fake-hypervisor"

    @property
    def kvm_run_dir(self) -> Path:
        return self.run_dir / "kvm-hypervisor"

    # --- /var/log/ganeti -------------------------------------------------
    @property
    def log_dir(self) -> Path:
        return self._r("var/log/ganeti")

    def daemon_log(self, daemon: str) -> Path:
        return self.log_dir / DAEMON_LOG_NAMES.get(daemon, f"{daemon}.log")

    @property
    def os_log_dir(self) -> Path:
        return self.log_dir / "os"

    @property
    def hooks_log_dir(self) -> Path:
        return self.log_dir / "hooks"

    @property
    def commands_log(self) -> Path:
        return self.log_dir / "commands.log"

    # --- /srv/ganeti -----------------------------------------------------
    @property
    def file_storage_dir(self) -> Path:
        return self._r("srv/ganeti/file-storage")

    @property
    def shared_file_storage_dir(self) -> Path:
        return self._r("srv/ganeti/shared-file-storage")

    @property
    def export_dir(self) -> Path:
        return self._r("srv/ganeti/export")

    @property
    def os_search_path(self) -> list[Path]:
        # Ganeti's default OS search path, relocated under the root.
        return [
            self._r("srv/ganeti/os"),
            self._r("usr/local/lib/ganeti/os"),
            self._r("usr/lib/ganeti/os"),
            self._r("usr/share/ganeti/os"),
        ]

    def ensure_dirs(self) -> None:
        """Create the directories every daemon expects (idempotent)."""
        for d, mode in (
            (self.data_dir, 0o755),
            (self.queue_dir, 0o700),
            (self.queue_archive_dir, 0o700),
            (self.data_dir / "rapi", 0o750),
            (self.instance_runtime_dir, 0o750),
            (self.conf_dir, 0o755),
            (self.hooks_dir, 0o755),
            (self.run_dir, 0o775),
            (self.socket_dir, 0o750),
            (self.log_dir, 0o755),
            (self.os_log_dir, 0o750),
            (self.hooks_log_dir, 0o750),
            (self.file_storage_dir, 0o750),
            (self.shared_file_storage_dir, 0o750),
            (self.os_search_path[0], 0o755),
        ):
            d.mkdir(parents=True, exist_ok=True, mode=mode)


def get_paths(root: str | os.PathLike[str] | None = None) -> Paths:
    """Paths for `root`, else $GANETI_ROOT, else "/"."""
    return Paths.from_root(root)

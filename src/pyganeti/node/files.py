"""Cluster files the master pushes to nodes: ssconf values and an allow-list of uploads."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from pyganeti import errors
from pyganeti.node.context import NodeContext
from pyganeti.paths import Paths

_SSCONF_KEY = re.compile(r"^[a-z0-9_]+$")
SSCONF_MODE = 0o444


def upload_allowed(paths: Paths) -> set[Path]:
    """Files the master may overwrite on a node (Ganeti's upload list, relocated)."""
    return {
        paths.config_file,
        paths.hosts_file,
        paths.rapi_users,
        paths.cluster_domain_secret,
        paths.confd_hmac_key,
        paths.data_dir / "rapi.pem",
        paths.data_dir / "spice.pem",
        paths.data_dir / "spice-ca.pem",
        paths.data_dir / "known_hosts",
        paths.conf_dir / "vnc-cluster-password",
    }


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Replace `path` with `data` in one rename, so readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), mode)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_ssconf_files(ctx: NodeContext, values: dict[str, str]) -> None:
    """Write each value to ssconf_<key>; every key and value is checked before any write."""
    for key, value in values.items():
        if not _SSCONF_KEY.match(key):
            raise errors.ProgrammerError(f"invalid ssconf key {key!r}")
        if not isinstance(value, str):
            raise errors.ProgrammerError(f"ssconf value for {key} must be a string, not {value!r}")
    for key, value in values.items():
        write_atomic(ctx.paths.ssconf_file(key), value.encode(), SSCONF_MODE)


def upload_file(ctx: NodeContext, path: str, content: str, mode: int) -> None:
    """Overwrite one allow-listed cluster file with `content` (text) and `mode`."""
    if not isinstance(mode, int) or not 0 <= mode <= 0o7777:
        raise errors.OpExecError(f"invalid file mode {mode!r}")
    target = Path(os.path.normpath(path)) if os.path.isabs(path) else None
    if target is None or target not in upload_allowed(ctx.paths):
        raise errors.OpExecError(
            f"upload of {path} refused: not one of the cluster files a node accepts"
        )
    write_atomic(target, content.encode(), mode)

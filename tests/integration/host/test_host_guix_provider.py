"""The guix OS provider shipped with pyganeti: installed, discovered, and its scripts run
as ganeti-noded runs them (OS directory as working directory, OS API 20 environment)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pyganeti.host.records import GanetiConfiguration
from pyganeti.host.records.ganeti_os import DEFAULT_GANETI_OS
from pyganeti.host.render.ganeti_etc import render_os
from pyganeti.osprovider.discovery import diagnose, find_os
from pyganeti.osprovider.env import SCRIPT_PATH
from pyganeti.osprovider.install import install_builtin_os
from pyganeti.paths import Paths

GUIX_LOCATIONS = (
    "/var/guix/profiles/per-user/root/current-guix/bin/guix",
    "/run/current-system/profile/bin/guix",
    "/usr/local/bin/guix",
)
MiB = 1024 * 1024


def _write_variants(paths: Paths) -> None:
    """What `pyganeti host apply` renders for %default-ganeti-os (guix part)."""
    guix = next(os for os in DEFAULT_GANETI_OS if os.name == "guix")
    for spec in render_os(guix, str(paths.root)):
        target = paths.root / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        assert spec.content is not None
        target.write_text(spec.content)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    paths = Paths.from_root(tmp_path / "root")
    paths.ensure_dirs()
    install_builtin_os(paths, "guix")
    _write_variants(paths)
    return paths


def _run(
    paths: Paths,
    script: str,
    env: dict[str, str],
    path: str = SCRIPT_PATH,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    os_dir = paths.os_search_path[0] / "guix"
    base = {"OS_API_VERSION": "20", "OS_NAME": "guix", "OS_VARIANT": "default", "PATH": path}
    return subprocess.run(
        [str(os_dir / script)],
        cwd=os_dir,
        env={**base, **env},
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
    )


def _disk(tmp_path: Path, size: int = 64 * MiB) -> Path:
    disk = tmp_path / "disk0"
    with disk.open("wb") as f:
        f.truncate(size)
    return disk


def _disk_env(disk: Path) -> dict[str, str]:
    return {"INSTANCE_NAME": "guix1", "DISK_COUNT": "1", "DISK_0_PATH": str(disk)}


def test_installed_provider_is_valid_with_the_configured_variants(paths: Paths) -> None:
    os_dir = paths.os_search_path[0] / "guix"
    assert os.readlink(os_dir / "variants.list") == str(
        paths.os_variants_dir("guix") / "variants.list"
    )
    [entry] = diagnose(paths)  # the noop provider is not there unless installed
    assert entry["name"] == "guix" and entry["status"], entry["diagnose"]
    assert entry["variants"] == ["default"] and entry["api_versions"] == [20]
    params = [p[0] for p in entry["parameters"]]
    assert params == [
        "filesystem",
        "commit",
        "branch",
        "repo_uri",
        "disable_authentication",
        "system",
        "target",
    ]
    assert find_os(paths, "guix+default").trusted


def test_create_without_guix_fails_clearly_and_leaves_the_disk(
    paths: Paths, tmp_path: Path
) -> None:
    if shutil.which("guix", path=SCRIPT_PATH) or any(os.path.exists(p) for p in GUIX_LOCATIONS):
        pytest.skip("Guix is installed on this machine")
    disk = _disk(tmp_path, MiB)
    disk.write_bytes(b"\x5a" * MiB)
    proc = _run(paths, "create", _disk_env(disk))
    assert proc.returncode == 1
    assert b"guix create: the guix command is not installed on this node" in proc.stderr
    assert disk.read_bytes() == b"\x5a" * MiB


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISK_COUNT": "0"}, b"the instance needs at least one disk"),
        ({"OS_VARIANT": "nope"}, b"variant 'nope' has no configuration"),
        ({"OS_VARIANT": "../x"}, b"invalid variant name '../x'"),
        ({"OSP_FILESYSTEM": "ntfs"}, b"parameter filesystem: 'ntfs' is not one of"),
        ({"OSP_COMMIT": "abc;rm"}, b"parameter commit: 'abc;rm' is not a hexadecimal"),
        ({"OSP_REPO_URI": "nowhere"}, b"parameter repo_uri: 'nowhere' is not a URL"),
        ({"OSP_SYSTEM": "-x"}, b"parameter system: '-x' is not a system type"),
    ],
)
def test_create_and_verify_refuse_bad_input_before_touching_the_disk(
    paths: Paths, tmp_path: Path, env: dict[str, str], message: bytes
) -> None:
    disk = _disk(tmp_path, MiB)
    proc = _run(paths, "create", {**_disk_env(disk), **env})
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert disk.read_bytes() == bytes(MiB)
    if "DISK_COUNT" not in env:
        verify = _run(paths, "verify", env)
        assert verify.returncode == 1 and message in verify.stderr, verify.stderr


def test_verify_accepts_good_parameters(paths: Paths) -> None:
    env = {"OSP_FILESYSTEM": "xfs", "OSP_COMMIT": "0123abcd", "OSP_BRANCH": "master"}
    proc = _run(paths, "verify", env)
    assert proc.returncode == 0, proc.stderr


def _fake_guix(bin_dir: Path, log: Path) -> None:
    """A guix that records its arguments and environment, and `system init` writes a
    marker into the target directory (the real one installs the system there)."""
    bin_dir.mkdir()
    guix = bin_dir / "guix"
    guix.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo "guix (GNU Guix) 0-fake"; exit 0; fi\n'
        f'printf "%s\\n" "$*" "$TARGET_DEVICE" "$FS_TYPE" "$ROOT_LABEL" > {log}\n'
        "for last; do :; done\n"
        'echo "installed by fake guix" > "$last/marker"\n'
    )
    guix.chmod(0o755)


def _can_mount() -> str | None:
    if os.geteuid() != 0:
        return "needs root (loop devices, mount)"
    for tool in ("losetup", "sfdisk", "mkfs.ext4", "mount"):
        if shutil.which(tool, path=SCRIPT_PATH) is None:
            return f"needs {tool}"
    probe = subprocess.run(["losetup", "-f"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return f"no loop device: {probe.stderr.strip()}"
    return None


def test_create_partitions_formats_and_runs_guix_system_init(paths: Paths, tmp_path: Path) -> None:
    reason = _can_mount()
    if reason is not None:
        pytest.skip(reason)
    disk = _disk(tmp_path)
    log = tmp_path / "guix.log"
    _fake_guix(tmp_path / "bin", log)
    env = {**_disk_env(disk), "OSP_COMMIT": "0123abcd", "OSP_SYSTEM": "i686-linux"}
    proc = _run(paths, "create", env, path=f"{tmp_path / 'bin'}:{SCRIPT_PATH}")
    assert proc.returncode == 0, proc.stderr.decode()
    args, target_device, fs_type, label = log.read_text().splitlines()
    variant = paths.os_variants_dir("guix") / "default.scm"
    words = args.split()
    assert words[:5] == ["time-machine", "--commit=0123abcd", "--", "system", "--system=i686-linux"]
    assert words[5:7] == ["init", str(variant)]
    assert target_device.startswith("/dev/loop") and (fs_type, label) == ("ext4", "guix-root")

    # A GPT with the BIOS boot partition at 1 MiB and the root file system from 3 MiB on.
    table = json.loads(
        subprocess.run(["sfdisk", "--json", str(disk)], capture_output=True, check=True).stdout
    )["partitiontable"]
    assert table["label"] == "gpt"
    starts = [(p["start"], p["type"]) for p in table["partitions"]]
    assert starts == [
        (2048, "21686148-6449-6E6F-744E-656564454649"),
        (6144, "0FC63DAF-8483-4772-8E79-3D69D8477DE4"),
    ]
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    subprocess.run(["mount", "-o", f"loop,ro,offset={6144 * 512}", str(disk), str(mnt)], check=True)
    try:
        assert (mnt / "marker").read_text() == "installed by fake guix\n"
    finally:
        subprocess.run(["umount", str(mnt)], check=True)
    # Every loop device the script attached is detached again.
    attached = subprocess.run(
        ["losetup", "-j", str(disk)], capture_output=True, text=True, check=True
    ).stdout
    assert attached == ""


def test_export_import_round_trip_and_rename(paths: Paths, tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.write_bytes(os.urandom(3 * MiB + 5))
    exported = _run(paths, "export", {"EXPORT_DEVICE": str(source), "EXPORT_INDEX": "0"})
    assert exported.returncode == 0 and exported.stdout == source.read_bytes()
    target = _disk(tmp_path, 4 * MiB)
    imported = _run(
        paths, "import", {"IMPORT_DEVICE": str(target), "IMPORT_INDEX": "0"}, stdin=exported.stdout
    )
    assert imported.returncode == 0, imported.stderr
    assert target.read_bytes()[: len(exported.stdout)] == exported.stdout
    missing = _run(paths, "export", {})
    assert missing.returncode == 1 and b"no EXPORT_DISK_PATH or EXPORT_DEVICE" in missing.stderr
    renamed = _run(paths, "rename", {"OLD_INSTANCE_NAME": "a", "INSTANCE_NAME": "b"})
    assert renamed.returncode == 0 and b"renamed a to b" in renamed.stderr


def test_ganeti_configuration_default_os_lists_guix() -> None:
    assert [os.name for os in GanetiConfiguration().os] == ["debootstrap", "guix"]

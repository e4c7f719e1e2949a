"""The built-in `diskimage` OS through gnt-instance add in a real cluster: instances from a
raw and a qcow2 image file (disk content checked byte for byte), the `image` parameter,
a cloud-init NoCloud seed on disk 1, and refusals that leave nothing behind."""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cluster_fixture import Cluster

from pyganeti import errors
from pyganeti.osprovider.install import IMAGE_OS, add_image_variant, install_builtin_os

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="needs qemu-img")

MIB = 1024 * 1024


def make_raw(path: Path, seed: int, size: int = 2 * MIB) -> bytes:
    """A raw image: random bytes in the first MiB, a hole, a tail marker."""
    data = bytearray(size)
    data[:MIB] = random.Random(seed).randbytes(MIB)
    data[-16:] = b"TAIL-OF-IMAGE-%02d" % seed
    path.write_bytes(bytes(data))
    return bytes(data)


def add(cluster: Cluster, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    start = time.monotonic()
    proc = cluster.run(
        "gnt-instance", "add", "-t", "file", "--no-nics", "--no-start", "--no-name-check",
        "--no-ip-check", *extra, name, timeout=300,
    )  # fmt: skip
    print(f"provisioning {name} ({' '.join(extra)}): {time.monotonic() - start:.2f} s")
    return proc


def disk(cluster: Cluster, name: str, idx: int = 0) -> Path:
    return cluster.paths.file_storage_dir / name / f"disk{idx}"


def instances(cluster: Cluster) -> list[str]:
    return cluster.run("gnt-instance", "list", "--no-headers", "-o", "name").stdout.split()


def refused(cluster: Cluster, name: str, proc: subprocess.CompletedProcess[str]) -> str:
    """The refusal's text, after checking that nothing of the instance was left."""
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert name not in instances(cluster)
    assert not (cluster.paths.file_storage_dir / name).exists()
    return proc.stdout + proc.stderr


def test_image_instances(cluster: Cluster, tmp_path: Path) -> None:
    install_builtin_os(cluster.paths, IMAGE_OS)
    raw = make_raw(tmp_path / "tiny.img", 1)
    add_image_variant(cluster.paths, "tiny", tmp_path / "tiny.img", "raw")
    source = make_raw(tmp_path / "q.raw", 2, 3 * MIB)
    subprocess.run(
        ["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(tmp_path / "q.raw"),
         str(tmp_path / "q.qcow2")], check=True,
    )  # fmt: skip
    add_image_variant(cluster.paths, "q", tmp_path / "q.qcow2")  # format probed
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(tmp_path / "big.qcow2"), "16M"],
                   check=True)  # fmt: skip
    add_image_variant(cluster.paths, "big", tmp_path / "big.qcow2", "qcow2")
    listed = cluster.run("gnt-os", "list", "--no-headers", check=True).stdout.split()
    assert {"diskimage+tiny", "diskimage+q"} <= set(listed)

    # 1. Raw image: the disk holds the image, keeps its own size and is sparse.
    add(cluster, "raw1", "-o", "diskimage+tiny", "-s", "8M").check_returncode()
    got = disk(cluster, "raw1").read_bytes()
    assert len(got) == 8 * MIB
    assert got[:MIB] == raw[:MIB] and got[: len(raw)] == raw
    assert got[len(raw) :] == bytes(8 * MIB - len(raw))
    assert disk(cluster, "raw1").stat().st_blocks * 512 < 4 * MIB

    # 2. qcow2 image (format probed): the disk holds the image's raw content.
    add(cluster, "qcow1", "-o", "diskimage+q", "-s", "4M").check_returncode()
    got = disk(cluster, "qcow1").read_bytes()
    assert len(got) == 4 * MIB and got[:MIB] == source[:MIB] and got[: len(source)] == source

    # 3. The image parameter names a file directly, over the (default) variant.
    add(cluster, "param1", "-o", "diskimage", "-s", "4M",
        "-O", f"image={tmp_path / 'q.raw'},image_format=raw").check_returncode()  # fmt: skip
    assert disk(cluster, "param1").read_bytes()[:MIB] == source[:MIB]

    # 4. A cloud-init seed: an ISO 9660 "cidata" volume on disk 1 with our meta/user data.
    add(cluster, "seed1", "-o", "diskimage+tiny", "--disk", "0:size=4M", "--disk", "1:size=1M",
        "-O", "hostname=guest-one").check_returncode()  # fmt: skip
    assert disk(cluster, "seed1").read_bytes()[:MIB] == raw[:MIB]
    seed = disk(cluster, "seed1", 1).read_bytes()
    assert seed[32769:32774] == b"CD001" and seed[32808:32814].lower() == b"cidata"
    assert b"local-hostname: guest-one" in seed and b"#cloud-config" in seed
    assert b"hostname: guest-one" in seed

    # Refusals, each leaving no instance and no disk behind.
    # An image larger than the disk.
    text = refused(cluster, "big1", add(cluster, "big1", "-o", "diskimage+big", "-s", "4M"))
    assert "larger than disk 0" in text and "at least 16M" in text
    # A seed with no second disk to hold it.
    text = refused(cluster, "seed2", add(cluster, "seed2", "-o", "diskimage+tiny", "-s", "4M",
                                         "-O", "hostname=x"))  # fmt: skip
    assert "no second disk" in text
    # A missing image, a relative path, a bad format: refused by verify, before any disk.
    for params, named in (
        (f"image={tmp_path / 'missing.img'}", "does not exist"),
        ("image=relative.img", "not an absolute path"),
        ("image_format=vmdk", "image_format: 'vmdk' is not raw or qcow2"),
        ("hostname=bad_name!", "hostname: 'bad_name!' is not a host name"),
    ):
        proc = add(cluster, "bad1", "-o", "diskimage+tiny", "-s", "4M", "-O", params)
        assert named in refused(cluster, "bad1", proc)
    # An unknown variant.
    assert "nope" in refused(
        cluster, "bad2", add(cluster, "bad2", "-o", "diskimage+nope", "-s", "4M")
    )

    # Remove all: the disks go.
    for name in ("raw1", "qcow1", "param1", "seed1"):
        cluster.run("gnt-instance", "remove", "-f", name, check=True)
        assert not disk(cluster, name).exists()


def test_add_image_variant_refuses_bad_input(tmp_path: Path) -> None:
    from pyganeti.paths import Paths

    paths = Paths.from_root(tmp_path / "root")
    image = tmp_path / "x.img"
    image.write_bytes(b"x" * 512)
    for variant, img, fmt, named in (
        ("../etc", image, "", "invalid variant name"),
        ("a b", image, "", "invalid variant name"),
        ("ok", tmp_path / "missing.img", "", "not an existing file"),
        ("ok", image, "vmdk", "not raw or qcow2"),
    ):
        with pytest.raises(errors.OpPrereqError, match=named):
            add_image_variant(paths, variant, img, fmt)
    assert not paths.os_variants_dir(IMAGE_OS).exists()
    first = add_image_variant(paths, "one", image, "raw")
    add_image_variant(paths, "two", image)
    add_image_variant(paths, "one", image)  # replaced, listed once
    listing = (first.parent / "variants.list").read_text().split()
    assert listing == ["one", "two"]
    assert first.read_text() == f"IMAGE={image}\nIMAGE_FORMAT=''\n"


def run_create(os_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(os_dir / "create")], cwd=os_dir, env=env, capture_output=True, text=True
    )


@pytest.mark.skipif(shutil.which("genisoimage") is None, reason="needs genisoimage")
def test_seed_tools(tmp_path: Path) -> None:
    """The seed falls back to genisoimage without cloud-localds, and fails clearly with
    no ISO tool at all (before the disk is written)."""
    from pyganeti.paths import Paths

    paths = Paths.from_root(tmp_path / "root")
    paths.ensure_dirs()
    os_dir = install_builtin_os(paths, IMAGE_OS)
    image = tmp_path / "tiny.img"
    raw = make_raw(image, 3)
    add_image_variant(paths, "tiny", image, "raw")
    # A PATH with the tools create needs, but no cloud-localds.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in ("sh", "cat", "cp", "dd", "rm", "mktemp", "stat", "sed", "dirname", "readlink",
                 "printf", "blockdev", "qemu-img", "genisoimage"):  # fmt: skip
        found = shutil.which(tool)
        if found:
            (bindir / tool).symlink_to(found)
    disks = [tmp_path / "disk0", tmp_path / "disk1"]
    for d in disks:
        d.write_bytes(bytes(4 * MIB))
    env = {
        "PATH": str(bindir), "OS_VARIANT": "tiny", "INSTANCE_NAME": "i1", "INSTANCE_UUID": "u-1",
        "DISK_COUNT": "2", "DISK_0_PATH": str(disks[0]), "DISK_1_PATH": str(disks[1]),
        "OSP_CLOUD_INIT_USER_DATA": "#cloud-config\nruncmd: [echo hi]",
    }  # fmt: skip
    proc = run_create(os_dir, env)
    assert proc.returncode == 0, proc.stderr
    assert disks[0].read_bytes()[:MIB] == raw[:MIB]
    seed = disks[1].read_bytes()
    assert seed[32769:32774] == b"CD001" and b"runcmd: [echo hi]" in seed
    assert b"instance-id: u-1" in seed and b"local-hostname: i1" in seed

    (bindir / "genisoimage").unlink()
    for d in disks:
        d.write_bytes(bytes(4 * MIB))
    proc = run_create(os_dir, env)
    assert proc.returncode != 0
    assert "none of cloud-localds (cloud-image-utils), genisoimage" in proc.stderr
    assert disks[0].read_bytes() == bytes(4 * MIB) and disks[1].read_bytes() == bytes(4 * MIB)

"""A tiny bootable guest built from Debian packages: a kernel and a busybox initramfs.

Used by the KVM tests, the benchmark and the quickstart demo. The packages come from the
package registry through apt-get download and are unpacked with dpkg-deb; results are
cached (by package version) in a cache directory so later builds take no time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pyganeti import errors

DEFAULT_CACHE = Path(os.environ.get("PYGANETI_TEST_CACHE", "/var/tmp/pyganeti-test-cache"))

# Modules the guest loads so that a virtio disk and NIC (virtio-mmio under -M microvm,
# virtio-pci otherwise), the ACPI power button (seen by busybox acpid) and an ext4 root
# work (ext4 asks the crypto API for "crc32c" by name, so its module is listed too);
# dependencies are added from each module's own `depends=` field.
GUEST_MODULES = (
    "virtio_mmio", "virtio_pci", "virtio_blk", "virtio_net", "button", "evdev", "ext4",
    "crc32c_generic",
)  # fmt: skip

# Marker lines the guest prints on its serial console.
BOOT_MARKER = "PYGANETI-GUEST-UP"

# The guest's init: prints a marker (with the first line of its first disk when that
# disk starts with "MARKER:"), powers off on the ACPI power button (busybox acpid),
# and then runs each line typed on the console as a shell command.
GUEST_INIT = f"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko 2>/dev/null; done
ip link set lo up
mkdir -p /etc/acpi/PWRF
printf '#!/bin/sh\\npoweroff -f\\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log -p /tmp/acpid.pid
disk=""
for d in /dev/vda /dev/sda /dev/hda; do [ -b $d ] && disk=$d && break; done
tag=""
[ -n "$disk" ] && tag=$(head -c 64 $disk | head -n 1 | grep '^MARKER:')
echo "{BOOT_MARKER} disk=$disk $tag"
while true; do
  if read -r line; then eval "$line"; else sleep 1; fi
done
"""


# An initramfs init that boots an installed system (e.g. from ganeti-instance-debootstrap)
# whose disk carries no kernel: load the disk and filesystem modules, mount root= and
# hand over to its /sbin/init.
ROOT_BOOT_INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko 2>/dev/null; done
root=/dev/vda
for arg in $(cat /proc/cmdline); do
  case "$arg" in root=*) root="${arg#root=}";; esac
done
i=0
while [ ! -b "$root" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
mkdir -p /newroot
mount -t ext4 "$root" /newroot || { echo "pyganeti initramfs: cannot mount $root"; sh; }
umount /sys /proc
mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/init
"""


@dataclass(frozen=True)
class GuestImage:
    kernel: Path
    initrd: Path


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)


def _kernel_package() -> str:
    depends = _run(["apt-cache", "depends", "linux-image-amd64"], Path("/")).stdout
    for line in depends.splitlines():
        if "Depends: linux-image-" in line:
            return line.split()[-1]
    raise errors.HypervisorError(
        "apt cannot resolve linux-image-amd64 (run apt-get update) to build a guest kernel"
    )


def debian_tree(cache: Path = DEFAULT_CACHE) -> Path:
    """The unpacked kernel and busybox-static packages (downloaded once into `cache`)."""
    cache.mkdir(parents=True, exist_ok=True)
    kernel_pkg = _kernel_package()
    for pkg in (kernel_pkg, "busybox-static"):
        if not list(cache.glob(f"{pkg}_*.deb")):
            got = _run(["apt-get", "download", pkg], cache)
            if got.returncode != 0:
                raise errors.HypervisorError(f"cannot download {pkg}: {got.stderr.strip()}")
    debs = sorted([*cache.glob(f"{kernel_pkg}_*.deb"), *cache.glob("busybox-static_*.deb")])
    tree = cache / ("tree-" + "-".join(d.stem for d in debs))
    if not (tree / ".complete").exists():
        shutil.rmtree(tree, ignore_errors=True)
        for deb in debs:
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
        (tree / ".complete").touch()
    return tree


def module_depends(ko: Path) -> list[str]:
    """The `depends=` list of a kernel module file (its .modinfo section)."""
    data = ko.read_bytes()
    start = data.find(b"\0depends=")
    if start < 0:
        return []
    value = data[start + len(b"\0depends=") : data.index(b"\0", start + 1)].decode()
    return [name.replace("-", "_") for name in value.split(",") if name]


def module_closure(modules_dir: Path, wanted: tuple[str, ...]) -> list[Path]:
    """The module files for `wanted` and their dependencies, dependencies first."""
    files = {ko.stem: ko for ko in modules_dir.rglob("*.ko")}
    order: list[Path] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in files:
            return  # absent: built into the kernel
        seen.add(name)
        for dep in module_depends(files[name]):
            visit(dep)
        order.append(files[name])

    for name in wanted:
        visit(name)
    return order


def cpio_newc(entries: list[tuple[str, int, bytes, int]]) -> bytes:
    """A newc cpio archive of (name, mode, data, minor-of-major-5 device) entries."""
    out = bytearray()
    for ino, (name, mode, data, minor) in enumerate([*entries, ("TRAILER!!!", 0, b"", 0)], 1):
        raw = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 5 if minor else 0, minor, len(raw), 0]
        out += b"070701" + b"".join(f"{f:08x}".encode() for f in fields) + raw
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def build_guest(dest: Path, cache: Path = DEFAULT_CACHE, init: str = GUEST_INIT) -> GuestImage:
    """Write `dest`/vmlinuz and `dest`/initrd.cpio; returns their paths."""
    tree = debian_tree(cache)
    dest.mkdir(parents=True, exist_ok=True)
    kernel = dest / "vmlinuz"
    shutil.copyfile(next((tree / "boot").glob("vmlinuz-*")), kernel)
    modules = module_closure(tree / "lib/modules", GUEST_MODULES)
    d, x, f = 0o040755, 0o100755, 0o100644
    entries = [
        (n, d, b"", 0)
        for n in ("bin", "dev", "proc", "sys", "etc", "etc/acpi", "tmp", "lib", "lib/modules")
    ]
    entries += [
        ("dev/console", 0o020600, b"", 1),
        ("bin/busybox", x, (tree / "bin/busybox").read_bytes(), 0),
        ("init", x, init.encode(), 0),
        ("lib/modules/order", f, "\n".join(m.stem for m in modules).encode() + b"\n", 0),
    ]
    entries += [(f"lib/modules/{m.name}", f, m.read_bytes(), 0) for m in modules]
    initrd = dest / "initrd.cpio"
    initrd.write_bytes(cpio_newc(entries))
    return GuestImage(kernel, initrd)

"""The `pyganeti` command: quickstart (up/down, demo-vm), daemon-util, host configuration."""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pyganeti import __version__, errors
from pyganeti.paths import ROOT_ENV, Paths

DEFAULT_UP_ROOT = "~/.local/share/pyganeti/cluster"
NODE_NAME = "node1"
CLUSTER_NAME = "cluster"


def _free_loopback(port: int = 1811) -> str:
    """The first 127.0.1.N where nothing listens on `port`: one address per node."""
    for n in range(1, 255):
        address = f"127.0.1.{n}"
        with socket.socket() as sock:
            try:
                sock.bind((address, port))
            except OSError:
                continue
        return address
    raise errors.OpPrereqError("No free loopback address in 127.0.1.0/24", errors.ECODE_ENVIRON)


def up(paths: Paths, node_ip: str | None = None, quiet: bool = False) -> int:
    from pyganeti.bootstrap import InitOptions, init_cluster
    from pyganeti.daemons import util
    from pyganeti.netutils import add_hosts_entry, node_name_file
    from pyganeti.osprovider.install import install_builtin_os

    paths.ensure_dirs()
    if not paths.config_file.exists():
        node_ip = node_ip or _free_loopback()
        cluster_ip = node_ip.replace("127.0.1.", "127.0.2.")
        Path(node_name_file(paths)).write_text(NODE_NAME + "\n")
        add_hosts_entry(paths, node_ip, NODE_NAME)
        add_hosts_entry(paths, cluster_ip, CLUSTER_NAME)
        install_builtin_os(paths, "noop")
        if not quiet:
            print(
                f"Initialising a single-node cluster in {paths.root}"
                f" (node {NODE_NAME} at {node_ip}, fake hypervisor, file storage)"
            )
        init_cluster(
            paths,
            InitOptions(
                cluster_name=CLUSTER_NAME,
                enabled_hypervisors=["fake"],
                nicparams={"mode": "routed", "link": ""},
            ),
        )
    else:
        code = util.start_all(paths)
        if code != 0:
            return code
    root = paths.root
    if quiet:
        return 0
    print(f"""The cluster in {root} is up.

  export {ROOT_ENV}={root}
  gnt-cluster info
  gnt-instance add -t file -s 1G -o noop+default --no-name-check --no-ip-check demo1
  gnt-instance list
  pyganeti down --root {root}     # stop it; `pyganeti up` again restarts what is stopped""")
    return 0


def down(paths: Paths) -> int:
    from pyganeti.daemons import util

    return util.stop_all(paths)


DEMO_NAME = "demo-vm1"
DEMO_TIMEOUT = 240.0


def _gnt(paths: Paths, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run a gnt-* tool (installed next to this Python) against the cluster in `paths`."""
    exe = Path(sys.executable).parent / argv[0]
    env = dict(os.environ, **{ROOT_ENV: str(paths.root)})
    return subprocess.run(
        [str(exe) if exe.exists() else argv[0], *argv[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _checked(proc: subprocess.CompletedProcess[str], what: str) -> str:
    if proc.returncode != 0:
        raise errors.OpExecError(f"{what} failed:\n{(proc.stderr or proc.stdout).strip()}")
    return proc.stdout


def demo_vm(
    paths: Paths,
    name: str = DEMO_NAME,
    timeout: float = DEMO_TIMEOUT,
    out: Callable[[str], object] | None = None,
) -> int:
    """Boot a tiny real VM on a cluster brought up by `pyganeti up` and show its console.

    Enables kvm, builds a kernel and busybox initramfs from Debian packages (cached),
    adds and starts instance `name` on a file disk, prints its console lines up to the
    guest's first prompt marker, and says how to reach and remove it.
    """
    from pyganeti.hypervisor.kvm.guestimage import BOOT_MARKER, build_guest
    from pyganeti.hypervisor.kvm.runtime import RuntimeDir
    from pyganeti.luxi.client import Client

    write = out or sys.stdout.write
    if timeout <= 0:
        raise errors.OpPrereqError(f"timeout must be positive, not {timeout:g}", errors.ECODE_INVAL)
    try:
        with Client(paths) as client:
            info = client.query_cluster_info()
            rows = client.query("instance", ["name"], None)["data"]
    except (OSError, errors.GenericError) as err:
        raise errors.OpPrereqError(
            f"no running cluster in {paths.root} ({err}): run `pyganeti up --root {paths.root}`",
            errors.ECODE_ENVIRON,
        ) from None
    remove = f"{ROOT_ENV}={shlex.quote(str(paths.root))} gnt-instance remove -f {name}"
    if any(row[0][1] == name for row in rows):
        raise errors.OpPrereqError(
            f"instance {name} already exists; remove it first: {remove}", errors.ECODE_EXISTS
        )
    enabled = list(info.get("enabled_hypervisors") or [])
    if "kvm" not in enabled:
        write("Enabling the kvm hypervisor\n")
        _checked(
            _gnt(
                paths,
                "gnt-cluster",
                "modify",
                "--enabled-hypervisors=" + ",".join([*enabled, "kvm"]),
            ),
            "enabling kvm",
        )
    write("Building the guest (Debian kernel + busybox initramfs; cached after the first time)\n")
    guest = build_guest(paths.data_dir / "demo-guest")
    hv = (
        f"kvm:kernel_path={guest.kernel},initrd_path={guest.initrd},root_path=,kernel_args=panic=-1"
    )
    write(f"Adding and starting instance {name} (128 MiB, 1 vCPU, 16 MiB file disk)\n")
    started = time.monotonic()
    _checked(
        _gnt(paths, "gnt-instance", "add", "-o", "noop+default", "-t", "file", "-s", "16M",
             "--no-nics", "-H", hv, "-B", "maxmem=128M,minmem=128M,vcpus=1",
             "--no-name-check", "--no-ip-check", name),
        f"gnt-instance add {name}",
    )  # fmt: skip
    added = time.monotonic()
    log = RuntimeDir(paths).console_log(name)
    text = ""
    first_output: float | None = None
    while BOOT_MARKER not in text:
        if time.monotonic() - started > timeout:
            raise errors.OpExecError(
                f"instance {name} printed no {BOOT_MARKER!r} within {timeout:g} s;"
                f" its console so far:\n{text[-2000:]}\nremove it with: {remove}"
            )
        time.sleep(0.2)
        text = log.read_text(errors="replace") if log.exists() else ""
        if text and first_output is None:
            first_output = time.monotonic()
    booted = time.monotonic()
    first = (first_output or booted) - started
    lines = text[: text.index(BOOT_MARKER)].splitlines()[-15:]
    lines.append(text[text.index(BOOT_MARKER) :].splitlines()[0])
    write(f"First console lines of {name}:\n")
    write("".join(f"  | {line}\n" for line in lines))
    root = shlex.quote(str(paths.root))
    write(
        f"""Instance {name} booted. Counted from `gnt-instance add`: the add returned after
{added - started:.1f} s, the first console output came after {first:.1f} s,
the guest's marker line after {booted - started:.1f} s.

  export {ROOT_ENV}={root}
  gnt-instance console {name}            # attach (Ctrl-] leaves); try: uname -a
  gnt-instance console --show-log {name} # the whole console log
  gnt-instance remove -f {name}          # stop and remove it
"""
    )
    return 0


def _root_arg(value: str | None, default: str | None) -> Paths:
    root = value or os.environ.get(ROOT_ENV) or default
    if root is None:
        return Paths.from_root()
    return Paths.from_root(os.path.expanduser(root))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pyganeti", description=__doc__)
    parser.add_argument("--version", action="version", version=f"pyganeti {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="initialise (if needed) and start a single-node cluster")
    p_up.add_argument(
        "--root", help=f"cluster directory (default ${ROOT_ENV} or {DEFAULT_UP_ROOT})"
    )
    p_down = sub.add_parser("down", help="stop the cluster's daemons")
    p_down.add_argument("--root")
    p_demo = sub.add_parser(
        "demo-vm", help="boot a tiny real VM on a `pyganeti up` cluster and show its console"
    )
    p_demo.add_argument("--root")
    p_demo.add_argument("--name", default=DEMO_NAME, help=f"instance name (default {DEMO_NAME})")
    p_demo.add_argument(
        "--timeout", type=float, default=DEMO_TIMEOUT, help="seconds to wait for the boot"
    )
    p_du = sub.add_parser("daemon-util", help="start/stop/check daemons (Ganeti's daemon-util)")
    p_du.add_argument("--root")
    p_du.add_argument("args", nargs=argparse.REMAINDER)
    p_host = sub.add_parser("host", help="declarative host configuration", add_help=False)
    p_host.add_argument("args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            return up(_root_arg(args.root, DEFAULT_UP_ROOT))
        if args.command == "down":
            return down(_root_arg(args.root, DEFAULT_UP_ROOT))
        if args.command == "demo-vm":
            return demo_vm(_root_arg(args.root, DEFAULT_UP_ROOT), args.name, args.timeout)
        if args.command == "daemon-util":
            from pyganeti.daemons import util

            return util.main(args.args, _root_arg(args.root, None))
        if args.command == "host":
            from pyganeti.host.cli import main as host_main

            return host_main(args.args)
    except errors.GenericError as err:
        sys.stderr.write(f"pyganeti {args.command}: {err.message}\n")
        return err.exit_code
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""The `pyganeti` command: quickstart (up/down), daemon-util, host configuration."""

from __future__ import annotations

import argparse
import os
import socket
import sys
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

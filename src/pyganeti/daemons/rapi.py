"""ganeti-rapi: serve Ganeti's remote API v2 over HTTPS on the master node."""

from __future__ import annotations

import argparse
import logging
import socket

from pyganeti import errors
from pyganeti.daemons import base
from pyganeti.http.server import interface_address
from pyganeti.netutils import my_node_name, resolve
from pyganeti.paths import Paths
from pyganeti.rapi import server

NAME = "ganeti-rapi"
DEFAULT_PORT = 5080
DEFAULT_BIND = "0.0.0.0"
DEFAULT_MAX_CLIENTS = 20

log = logging.getLogger(__name__)


def make_parser() -> argparse.ArgumentParser:
    parser = base.make_parser(NAME, "Ganeti remote API daemon (RAPI v2 over HTTPS).")
    parser.add_argument("-p", "--port", type=int, default=DEFAULT_PORT, help="TCP port (5080)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "-b", "--bind", default=None,
        help="address to listen on (0.0.0.0; under a relocated root: the node's address)",
    )  # fmt: skip
    where.add_argument("-i", "--interface", default=None, help="listen on this interface's IPv4")
    parser.add_argument(
        "--max-clients", type=int, default=DEFAULT_MAX_CLIENTS,
        help="connections served at once; more are accepted and wait for a slot (20)",
    )  # fmt: skip
    parser.add_argument("--no-ssl", action="store_true", help="serve plain HTTP")
    parser.add_argument(
        "-K", "--ssl-key", default=None, help="TLS key (default: the certificate file)"
    )
    parser.add_argument(
        "-C", "--ssl-cert", default=None,
        help="TLS certificate (default: rapi.pem, else the cluster's server.pem)",
    )  # fmt: skip
    parser.add_argument(
        "--require-authentication", action="store_true",
        help="require a valid user even for read-only requests",
    )  # fmt: skip
    return parser


def default_cert(paths: Paths) -> str:
    rapi_pem = paths.data_dir / "rapi.pem"
    return str(rapi_pem if rapi_pem.exists() else paths.server_pem)


def bind_address(paths: Paths, args: argparse.Namespace) -> str:
    """Where to listen: --interface, --bind, else 0.0.0.0 (the node's own address when
    the root is relocated, so several simulated nodes share the machine)."""
    if args.interface is not None:
        return interface_address(args.interface)
    if args.bind is not None:
        return str(args.bind)
    if not paths.is_default_root:
        return resolve(paths, my_node_name(paths))
    return DEFAULT_BIND


def is_ready(paths: Paths, argv: list[str]) -> bool:
    """Readiness probe for daemon-util: the port accepts TCP connections."""
    args, _ = make_parser().parse_known_args(argv)
    try:
        address = bind_address(paths, args)
    except (ValueError, errors.GenericError, OSError):
        return False
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    try:
        with socket.create_connection((address, args.port), timeout=0.5):
            return True
    except OSError:
        return False


def _check(args: argparse.Namespace, paths: Paths) -> None:
    if args.max_clients < 1:
        base.die(f"{NAME}: --max-clients must be at least 1, not {args.max_clients}")
    if not 0 < args.port < 65536:
        base.die(f"{NAME}: invalid port {args.port}")
    base.require_cluster(paths)
    try:
        master = paths.ssconf_file("master_node").read_text().strip()
    except OSError as err:
        base.die(f"{NAME}: cannot read ssconf master_node: {err.strerror}")
    me = my_node_name(paths)
    if master != me:
        base.die(
            f"{NAME}: this node ({me}) is not the master ({master}); RAPI runs on the master",
            errors.EXIT_NOTMASTER,
        )
    if not args.no_ssl:
        cert = args.ssl_cert or default_cert(paths)
        for what, path in (("certificate", cert), ("key", args.ssl_key or cert)):
            try:
                open(path, "rb").close()
            except OSError as err:
                base.die(f"{NAME}: cannot read the TLS {what} {path}: {err.strerror}")
    try:
        args.bind = bind_address(paths, args)
    except (ValueError, errors.GenericError) as err:
        base.die(f"{NAME}: {err}")


async def serve(args: argparse.Namespace, paths: Paths) -> None:
    ssl_context = None
    if not args.no_ssl:
        cert = args.ssl_cert or default_cert(paths)
        ssl_context = server.tls_context(cert, args.ssl_key)
    app = server.make_app(paths, require_authentication=args.require_authentication)
    app.users.users()  # read (and log) the users file once at start
    http_server = server.make_server(app, ssl_context=ssl_context, max_clients=args.max_clients)
    async with http_server:
        await http_server.start(args.bind, args.port)
        base.notify_ready()
        await http_server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    return base.run_daemon(NAME, make_parser(), serve, argv, check=_check)


if __name__ == "__main__":
    raise SystemExit(main())

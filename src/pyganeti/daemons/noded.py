"""ganeti-noded: serve the node RPC table over HTTPS on this node."""

from __future__ import annotations

import argparse
import logging

from pyganeti import certs
from pyganeti.daemons import base
from pyganeti.http.server import HttpServer, interface_address
from pyganeti.node.context import NodeContext
from pyganeti.paths import Paths
from pyganeti.rpc.server import build_router

NAME = "ganeti-noded"
DEFAULT_PORT = 1811
DEFAULT_MAX_CLIENTS = 20

log = logging.getLogger(__name__)


def make_parser() -> argparse.ArgumentParser:
    parser = base.make_parser(NAME, "Ganeti node daemon: runs node RPC calls from the master.")
    parser.add_argument("-p", "--port", type=int, default=DEFAULT_PORT, help="TCP port (1811)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-b", "--bind", default="0.0.0.0", help="address to listen on")
    where.add_argument("-i", "--interface", default=None, help="listen on this interface's IPv4")
    parser.add_argument(
        "--max-clients",
        type=int,
        default=DEFAULT_MAX_CLIENTS,
        help="connections served at once; more are accepted but wait",
    )
    parser.add_argument("--no-ssl", action="store_true", help="serve plain HTTP (testing only)")
    parser.add_argument("-K", "--ssl-key", default=None, help="TLS key (default: server.pem)")
    parser.add_argument("-C", "--ssl-cert", default=None, help="TLS cert (default: server.pem)")
    return parser


def _check(args: argparse.Namespace, paths: Paths) -> None:
    if args.max_clients < 1:
        base.die(f"{NAME}: --max-clients must be at least 1, not {args.max_clients}")
    if not 0 < args.port < 65536:
        base.die(f"{NAME}: invalid port {args.port}")
    base.require_cluster(paths)
    if not args.no_ssl:
        cert = args.ssl_cert or str(paths.server_pem)
        key = args.ssl_key or cert
        for what, path in (("certificate", cert), ("key", key)):
            try:
                open(path, "rb").close()
            except OSError as err:
                base.die(
                    f"{NAME}: cannot read the cluster {what} {path}: {err.strerror}"
                    " (is the cluster initialised on this node?)"
                )
    if args.interface is not None:
        try:
            args.bind = interface_address(args.interface)
        except ValueError as err:
            base.die(f"{NAME}: {err}")


async def serve(args: argparse.Namespace, paths: Paths) -> None:
    ssl_context = None
    if not args.no_ssl:
        cert = args.ssl_cert or str(paths.server_pem)
        ssl_context = certs.server_context(cert, args.ssl_key or cert)
    ctx = NodeContext(paths)
    ctx.paths.fake_hv_dir.mkdir(parents=True, exist_ok=True)
    server = HttpServer(build_router(ctx), ssl_context=ssl_context, max_clients=args.max_clients)
    async with server:
        await server.start(args.bind, args.port)
        base.notify_ready()
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    return base.run_daemon(NAME, make_parser(), serve, argv, check=_check)


if __name__ == "__main__":
    raise SystemExit(main())

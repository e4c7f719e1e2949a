"""ganeti-wconfd: the only writer of the cluster configuration; also locks and reservations."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os

from pyganeti import errors
from pyganeti.config.server import WConfd
from pyganeti.config.store import ConfigStore
from pyganeti.daemons import base
from pyganeti.daemons.master import add_voting_options, check_master
from pyganeti.luxi import server as luxi_server
from pyganeti.paths import Paths

NAME = "ganeti-wconfd"
log = logging.getLogger(__name__)


async def _main(args: argparse.Namespace, paths: Paths) -> None:
    store = await asyncio.to_thread(ConfigStore.load, paths)
    check_master(paths, store.data, args)
    wconfd = WConfd(store)
    await wconfd.restore_locks()
    sock = paths.wconfd_socket
    sock.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(sock)
    server = await luxi_server.start_unix_server(str(sock), wconfd.handle)
    os.chmod(sock, 0o660)
    log.info("serving on %s, configuration serial %d", sock, store.serial)
    base.notify_ready()
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(server.serve_forever())
            group.create_task(wconfd.housekeeping())
    finally:
        server.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(sock)
        wconfd.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = base.make_parser(NAME, "Ganeti configuration writer daemon")
    add_voting_options(parser, force_node=True)
    return base.run_daemon(NAME, parser, _main, argv, check=lambda a, p: base.require_cluster(p))


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["errors", "main"]

"""ganeti-wconfd: the only writer of the cluster configuration; also locks and reservations."""

from __future__ import annotations

import argparse
import asyncio
import logging

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
    try:
        async with luxi_server.listening(sock, wconfd.handle) as server:
            log.info("serving on %s, configuration serial %d", sock, store.serial)
            base.notify_ready()
            async with asyncio.TaskGroup() as group:
                group.create_task(server.serve_forever())
                group.create_task(wconfd.housekeeping())
    finally:
        wconfd.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = base.make_parser(NAME, "Ganeti configuration writer daemon")
    add_voting_options(parser, force_node=True)
    return base.run_daemon(NAME, parser, _main, argv, check=lambda a, p: base.require_cluster(p))


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["errors", "main"]

"""ganeti-luxid: the job queue and queries on the luxi socket (socket/ganeti-query)."""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

from pyganeti.config.client import WConfdClient, WConfdPool
from pyganeti.config.replica import ConfigReplica
from pyganeti.daemons import base
from pyganeti.daemons.master import add_voting_options, check_master
from pyganeti.jobs.executor import JobExecutor
from pyganeti.jobs.queue import JobQueue
from pyganeti.livedata import LiveData
from pyganeti.luxi import server as luxi_server
from pyganeti.luxi.methods import LuxiMethods
from pyganeti.opcodes.registry import from_dict
from pyganeti.paths import Paths
from pyganeti.rpc.client import RpcClient

NAME = "ganeti-luxid"
# How long a stopping luxid lets running jobs finish (daemon-util kills after 30 s).
STOP_GRACE = 10.0
log = logging.getLogger(__name__)


def _validate(op: dict[str, Any]) -> dict[str, Any]:
    # Strict validation before anything is queued; the stored form has every default.
    return from_dict(op).to_dict()


async def _main(args: argparse.Namespace, paths: Paths) -> None:
    loop = asyncio.get_running_loop()
    replica = ConfigReplica(WConfdClient(paths))
    await asyncio.to_thread(replica.sync)
    check_master(paths, replica.view(), args)
    rpc = RpcClient(paths)
    pool = WConfdPool(paths)
    queue: JobQueue

    def submit_from_job(jobs: list[list[dict[str, Any]]]) -> list[list[Any]]:
        async def submit() -> list[list[Any]]:
            return [[ok, int(v) if ok else v] for ok, v in queue.submit_many(jobs)]

        return asyncio.run_coroutine_threadsafe(submit(), loop).result()

    executor = JobExecutor(paths, replica, rpc, submit_from_job)
    max_running = int(replica.cluster.get("max_running_jobs") or 20)
    queue = JobQueue(paths, _validate, executor, max_running=max_running)
    settled = queue.start(loop)
    for job_id in settled:
        log.warning("Job %d was interrupted by a previous stop and has been settled", job_id)
    methods = LuxiMethods(paths, queue, replica, pool, LiveData(paths, rpc, pool))
    sock = paths.luxi_socket
    try:
        async with luxi_server.listening(sock, methods.handle) as server:
            log.info("serving luxi on %s (%d jobs in queue)", sock, len(queue.jobs))
            base.notify_ready()
            await server.serve_forever()
    finally:
        left = await queue.drain(STOP_GRACE)
        if left:
            log.warning(
                "stopping with jobs still running (%s): they will be settled as"
                " interrupted at the next start",
                ", ".join(map(str, left)),
            )


def main(argv: list[str] | None = None) -> int:
    parser = base.make_parser(NAME, "Ganeti query and job queue daemon")
    add_voting_options(parser)
    return base.run_daemon(NAME, parser, _main, argv, check=lambda a, p: base.require_cluster(p))


if __name__ == "__main__":
    raise SystemExit(main())

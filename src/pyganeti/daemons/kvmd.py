"""ganeti-kvmd: tell guest-initiated shutdowns of KVM instances from Ganeti's.

Watches the second QMP socket (NAME.kvmd) of every running instance in the KVM control
directory. Ganeti's own shutdown is an ACPI powerdown, which QEMU announces with a
POWERDOWN event before SHUTDOWN; a SHUTDOWN without POWERDOWN was the guest's (poweroff
inside it) or a `kill -TERM` of QEMU, and kvmd then writes NAME.shutdown, which makes
the hypervisor report the instance "user down" (USER_down or ERROR_down on the master,
by the cluster's enabled_user_shutdown and the instance's user_shutdown). SIGKILL and
crashes send no events and leave no marker, as in Ganeti.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from typing import Any

from qemu.qmp import QMPClient, QMPError

from pyganeti.daemons import base
from pyganeti.hypervisor.kvm.runtime import RuntimeDir
from pyganeti.paths import Paths

NAME = "ganeti-kvmd"
SCAN_INTERVAL = 0.5
log = logging.getLogger(__name__)


class Watcher:
    """One QMP event listener per running instance, started as instances appear."""

    def __init__(self, paths: Paths) -> None:
        self.rt = RuntimeDir(paths)
        self.watched: dict[str, asyncio.Task[None]] = {}

    async def watch(self, name: str, pid: int) -> None:
        client = QMPClient(f"kvmd:{name}")
        powerdown = False
        try:
            await client.connect(str(self.rt.kvmd_socket(name)))
            log.info("watching instance %s (QEMU pid %d)", name, pid)
            async for event in client.events:
                kind = event.get("event")
                if kind == "POWERDOWN":
                    powerdown = True
                elif kind == "SHUTDOWN":
                    raw: Any = event.get("data")
                    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
                    if powerdown:
                        log.info("instance %s: shutdown requested by Ganeti", name)
                    else:
                        log.info(
                            "instance %s: user shutdown (guest=%s, reason=%s)",
                            name,
                            data.get("guest"),
                            data.get("reason"),
                        )
                        self.rt.mark_user_shutdown(name)
        except (QMPError, OSError, EOFError) as err:
            log.debug("instance %s: QMP connection ended: %s", name, err)
        finally:
            with contextlib.suppress(Exception):
                await client.disconnect()

    def _running(self) -> dict[str, int]:
        running = {}
        for name in self.rt.names():
            pid = self.rt.qemu_pid(name)
            if pid is not None and self.rt.kvmd_socket(name).exists():
                running[name] = pid
        return running

    async def run(self) -> None:
        async with asyncio.TaskGroup() as group:
            pids: dict[str, int] = {}
            while True:
                for name, task in list(self.watched.items()):
                    if task.done():
                        del self.watched[name]
                for name, pid in (await asyncio.to_thread(self._running)).items():
                    # A reboot gives the same name a new QEMU: watch the new one too.
                    if name not in self.watched or pids.get(name) != pid:
                        pids[name] = pid
                        self.watched[name] = group.create_task(self.watch(name, pid))
                await asyncio.sleep(SCAN_INTERVAL)


async def _main(args: argparse.Namespace, paths: Paths) -> None:
    # Nothing is created here: a node without KVM instances keeps no KVM directories.
    await Watcher(paths).run()


def main(argv: list[str] | None = None) -> int:
    parser = base.make_parser(NAME, "Ganeti KVM daemon: detects user shutdowns of instances")
    return base.run_daemon(NAME, parser, _main, argv)


if __name__ == "__main__":
    raise SystemExit(main())

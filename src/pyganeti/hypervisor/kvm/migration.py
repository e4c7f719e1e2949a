"""Live and non-live migration of a VM between two QEMU processes over TCP.

Order (as Ganeti's): the target accepts (a new QEMU, paused, -incoming on its node
address and the instance's migration_port), the source migrates (downtime and bandwidth
from hvparams) and waits for completion, then each side finalizes: on success the target
continues and the source's QEMU is killed; on failure the target is thrown away and a
non-live source continues.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from qemu.qmp import QMPClient

from pyganeti import errors
from pyganeti.hypervisor.base import AttachedDisk
from pyganeti.hypervisor.kvm import params, qmp

if TYPE_CHECKING:
    from pyganeti.hypervisor.kvm import KvmHypervisor

log = logging.getLogger(__name__)

MIGRATION_TIMEOUT = 600.0
POLL = 0.2
MIB = 1024 * 1024


def _name(instance: dict[str, Any]) -> str:
    return str(instance.get("name", ""))


def accept(
    hv: KvmHypervisor, instance: dict[str, Any], disks: list[AttachedDisk], address: str
) -> None:
    """Start the target QEMU waiting for the incoming state on address:migration_port."""
    port = params.filled(instance.get("hvparams"))["migration_port"]
    hv.start(instance, disks, False, incoming=f"tcp:{address}:{port}")


def migrate(hv: KvmHypervisor, instance: dict[str, Any], target: str, live: bool) -> None:
    """Send the running VM to target:migration_port; returns once QEMU says completed."""
    name = _name(instance)
    hvp = params.filled(instance.get("hvparams"))
    if hv.rt.qemu_pid(name) is None:
        raise errors.HypervisorError(f"Cannot migrate instance {name}: not running")
    uri = f"tcp:{target}:{hvp['migration_port']}"

    async def body(client: QMPClient) -> dict[str, Any]:
        await client.execute(
            "migrate-set-parameters",
            {
                "downtime-limit": int(hvp["migration_downtime"]),
                "max-bandwidth": int(hvp["migration_bandwidth"]) * MIB,
            },
        )
        caps = [c for c in str(hvp.get("migration_caps") or "").split(":") if c]
        if caps:
            await client.execute(
                "migrate-set-capabilities",
                {"capabilities": [{"capability": c, "state": True} for c in caps]},
            )
        if not live:
            await client.execute("stop")
        await client.execute("migrate", {"uri": uri})
        deadline = time.monotonic() + MIGRATION_TIMEOUT
        while True:
            raw: Any = await client.execute("query-migrate")
            status: dict[str, Any] = raw if isinstance(raw, dict) else {}
            state = status.get("status")
            if state == "completed":
                return status
            if state in ("failed", "cancelled"):
                raise errors.HypervisorError(
                    f"Migration of instance {name} {state}: {status.get('error-desc', '')}"
                )
            if time.monotonic() > deadline:
                await client.execute("migrate_cancel")
                raise errors.HypervisorError(f"Migration of instance {name} timed out")
            await asyncio.sleep(POLL)

    status = qmp.run(hv.rt.qmp_socket(name), body, MIGRATION_TIMEOUT + 30)
    log.info("instance %s migrated to %s: %s", name, uri, status.get("ram", {}))


def status(hv: KvmHypervisor, instance: dict[str, Any]) -> dict[str, Any]:
    """QEMU's query-migrate answer on this side."""
    result: dict[str, Any] = qmp.execute(hv.rt.qmp_socket(_name(instance)), "query-migrate")
    return result


def finalize_target(hv: KvmHypervisor, instance: dict[str, Any], success: bool) -> None:
    name = _name(instance)
    if not success:
        hv.stop(instance, True, 0)
        return
    state = qmp.execute(hv.rt.qmp_socket(name), "query-status")
    if state.get("status") not in ("paused", "prelaunch", "running"):
        raise errors.HypervisorError(
            f"Migrated instance {name} is in state {state.get('status')!r}, not running"
        )
    if state.get("status") != "running":
        qmp.execute(hv.rt.qmp_socket(name), "cont")
    record = hv.rt.read_conf(name)
    if record is not None:
        # A restart of this VM (reboot) must not wait for another incoming migration.
        argv = list(record["argv"])
        if "-incoming" in argv:
            at = argv.index("-incoming")
            del argv[at : at + 2]
        if "-S" in argv:
            argv.remove("-S")
        record["argv"] = argv
        hv.rt.write_conf(name, record)


def finalize_source(hv: KvmHypervisor, instance: dict[str, Any], success: bool, live: bool) -> None:
    name = _name(instance)
    if success:
        hv.stop(instance, True, 0)
    elif not live:
        qmp.execute(hv.rt.qmp_socket(name), "cont")

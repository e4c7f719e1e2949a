"""OP_INSTANCE_REMOVE: stop the instance, remove its disks, drop it from the config."""

from __future__ import annotations

import os
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.instance_common import InstanceLU
from pyganeti.locking import Level
from pyganeti.objects import model


class LUInstanceRemove(InstanceLU):
    HPATH = "instance-remove"
    NODE_LEVELS = (Level.NODE, Level.NODE_RES)

    def build_hooks_env(self) -> dict[str, Any]:
        env = super().build_hooks_env()
        env["SHUTDOWN_TIMEOUT"] = self.op.shutdown_timeout
        return env

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        master = self.cfg.cluster["master_node"]
        return [master], [master, self.instance["primary_node"]]

    def exec(self) -> Any:
        inst, address = self.instance, self.address()
        self.feedback(f"Shutting down instance {inst['name']} on node {self.node['name']}")
        try:
            if self.live_info():
                self.rpc.call(
                    address,
                    "instance_shutdown",
                    instance=self.filled(),
                    timeout=self.op.shutdown_timeout,
                )
        except errors.GenericError as err:
            if not self.op.ignore_failures:
                raise errors.OpExecError(
                    f"Could not shutdown instance {inst['name']}: {err}"
                ) from None
            self.feedback(f"Warning: can't shutdown instance: {err}")
        disks = self.cfg.instance_disks(inst)
        self.feedback(f"Removing block devices for instance {inst['name']}")
        failed = False
        for disk in disks:
            try:
                self.rpc.call(address, "blockdev_remove", disk=disk)
            except errors.GenericError as err:
                failed = True
                self.feedback(f"Warning: could not remove disk {disk.get('iv_name')}: {err}")
        if inst.get("disk_template") in model.FILE_TEMPLATES and disks:
            storage_dir = os.path.dirname(disks[0]["logical_id"][1])
            try:
                self.rpc.call(address, "file_storage_dir_remove", path=storage_dir)
            except errors.GenericError as err:
                failed = True
                self.feedback(f"Warning: could not remove {storage_dir}: {err}")
        if failed and not self.op.ignore_failures:
            raise errors.OpExecError("Can't remove instance's disks")
        try:
            # Console logs, UEFI variable stores and other per-instance hypervisor files.
            self.rpc.call(
                address,
                "instance_hypervisor_files_remove",
                instance_name=inst["name"],
                hypervisor=inst["hypervisor"],
            )
        except errors.GenericError as err:
            self.feedback(f"Warning: could not remove hypervisor files of {inst['name']}: {err}")
        self.feedback(f"Removing instance {inst['name']} out of cluster config")
        self.cfg.commit(
            [
                {"kind": "instances", "uuid": inst["uuid"], "value": None},
                *({"kind": "disks", "uuid": d["uuid"], "value": None} for d in disks),
            ]
        )
        return None

"""OP_INSTANCE_ACTIVATE_DISKS and OP_INSTANCE_DEACTIVATE_DISKS."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.instance_common import InstanceLU
from pyganeti.locking import Level


class LUInstanceActivateDisks(InstanceLU):
    NODE_LEVELS = (Level.NODE,)
    NODE_SHARED = True

    def exec(self) -> Any:
        result = []
        for disk in self.cfg.instance_disks(self.instance):
            path = self.rpc.call(self.address(), "blockdev_assemble", disk=disk)
            result.append([self.node["name"], disk.get("iv_name"), path])
        if not self.instance.get("disks_active"):
            self.cfg.put("instances", dict(self.instance, disks_active=True))
        return result


class LUInstanceDeactivateDisks(InstanceLU):
    NODE_LEVELS = (Level.NODE,)
    NODE_SHARED = True

    def check_prereq(self) -> None:
        super().check_prereq()
        if self.live_info() and not self.op.force:
            raise errors.OpPrereqError(
                f"Instance {self.instance['name']} is running, can't deactivate its disks",
                errors.ECODE_STATE,
            )

    def exec(self) -> Any:
        for disk in self.cfg.instance_disks(self.instance):
            self.rpc.call(self.address(), "blockdev_shutdown", disk=disk)
        if self.instance.get("disks_active"):
            self.cfg.put("instances", dict(self.instance, disks_active=False))
        return None

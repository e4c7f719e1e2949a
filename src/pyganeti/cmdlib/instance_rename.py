"""OP_INSTANCE_RENAME and OP_INSTANCE_REINSTALL: operations that rerun OS scripts."""

from __future__ import annotations

import os
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.instance_common import InstanceLU
from pyganeti.locking import Level
from pyganeti.netutils import resolve
from pyganeti.objects import model


def _require_stopped(lu: InstanceLU, what: str) -> None:
    if lu.live_info():
        raise errors.OpPrereqError(
            f"Instance {lu.instance['name']} is running, cannot {what} it; shut it down first",
            errors.ECODE_STATE,
        )


class LUInstanceRename(InstanceLU):
    HPATH = "instance-rename"

    def check_arguments(self) -> None:
        if self.op.ip_check and not self.op.name_check:
            raise errors.OpPrereqError("IP address check requires a name check", errors.ECODE_INVAL)

    def expand_names(self) -> None:
        super().expand_names()
        new = self.op.new_name
        if self.op.name_check:
            try:
                resolve(self.env.paths, new)
            except errors.ResolverError as err:
                raise errors.OpPrereqError(
                    f"New name '{new}' does not resolve ({err})", errors.ECODE_RESOLVE
                ) from None
        # Both names are locked, so nobody creates an instance with the new one meanwhile.
        self.needed_locks[Level.INSTANCE] = [self.instance["name"], new]

    def check_prereq(self) -> None:
        super().check_prereq()
        new = self.op.new_name
        if new == self.instance["name"]:
            raise errors.OpPrereqError("The new name equals the current one", errors.ECODE_INVAL)
        if self.cfg.by_name("instances", new) is not None:
            raise errors.OpPrereqError(
                f"Instance '{new}' is already in the cluster", errors.ECODE_EXISTS
            )
        self.cfg.reserve("name", new)
        _require_stopped(self, "rename")

    def build_hooks_env(self) -> dict[str, Any]:
        env = super().build_hooks_env()
        env["INSTANCE_NEW_NAME"] = self.op.new_name
        return env

    def exec(self) -> Any:
        old, new, address = self.instance["name"], self.op.new_name, self.address()
        disks = self.cfg.instance_disks(self.instance)
        new_disks = []
        if self.instance.get("disk_template") in model.FILE_TEMPLATES and disks:
            old_dir = os.path.dirname(disks[0]["logical_id"][1])
            new_dir = os.path.join(os.path.dirname(old_dir), new)
            self.rpc.call(address, "file_storage_dir_rename", old_path=old_dir, new_path=new_dir)
            for disk in disks:
                driver, path = disk["logical_id"]
                new_disks.append(
                    dict(disk, logical_id=[driver, os.path.join(new_dir, os.path.basename(path))])
                )
        inst = dict(self.instance, name=new)
        self.cfg.commit(
            [
                *({"kind": "disks", "uuid": d["uuid"], "value": d} for d in new_disks),
                {
                    "kind": "instances",
                    "uuid": inst["uuid"],
                    "value": inst,
                    "expect_serial": self.instance.get("serial_no"),
                },
            ]
        )
        self.instance = self.cfg.get("instances", inst["uuid"]) or inst
        if inst.get("os"):
            try:
                self.rpc.call(
                    address,
                    "instance_run_rename",
                    instance=self.filled(),
                    old_name=old,
                    debug=self.op.debug_level or 0,
                )
            except errors.GenericError as err:
                self.feedback(
                    f"Warning: could not run the OS rename script for {new} (old name {old}): {err}"
                )
        return new


class LUInstanceReinstall(InstanceLU):
    HPATH = "instance-reinstall"
    NODE_LEVELS = (Level.NODE,)

    def check_prereq(self) -> None:
        super().check_prereq()
        if self.instance.get("disk_template") == model.DT_DISKLESS:
            raise errors.OpPrereqError("Cannot reinstall a diskless instance", errors.ECODE_INVAL)
        _require_stopped(self, "reinstall")
        self.os_name = self.op.os_type or self.instance.get("os")
        if not self.os_name:
            raise errors.OpPrereqError(
                "The instance has no OS; give one with -o", errors.ECODE_INVAL
            )
        if not self.rpc.call(self.address(), "os_get", name=self.os_name):
            raise errors.OpPrereqError(
                f"OS '{self.os_name}' not found on node {self.node['name']}", errors.ECODE_INVAL
            )

    def exec(self) -> Any:
        inst = dict(self.instance, os=self.os_name)
        if self.op.osparams is not None:
            # Ganeti replaces the OS parameters on reinstall; it does not merge them.
            inst["osparams"] = dict(self.op.osparams)
        if inst != self.instance:
            self.cfg.put("instances", inst)
            self.instance = self.cfg.get("instances", inst["uuid"]) or inst
        self.feedback("Running the instance OS create scripts...")
        self.rpc.call(
            self.address(),
            "instance_os_add",
            instance=self.filled(),
            reinstall=True,
            debug=self.op.debug_level or 0,
        )
        return None

"""OP_INSTANCE_STARTUP, OP_INSTANCE_SHUTDOWN, OP_INSTANCE_REBOOT."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.instance_common import InstanceLU, check_node_free_memory
from pyganeti.cmdlib.instance_create import check_beparams
from pyganeti.locking import Level
from pyganeti.objects import model


def _check_not_offline(lu: InstanceLU) -> None:
    if lu.instance.get("admin_state") == model.ADMINST_OFFLINE:
        raise errors.OpPrereqError(
            f"Instance '{lu.instance['name']}' is marked offline", errors.ECODE_STATE
        )
    if lu.node and lu.node.get("offline"):
        raise errors.OpPrereqError(f"Primary node {lu.node['name']} is offline", errors.ECODE_STATE)


class LUInstanceStartup(InstanceLU):
    HPATH = "instance-start"
    NODE_LEVELS = (Level.NODE_RES,)

    def check_arguments(self) -> None:
        self.beparams = check_beparams(self.op.beparams) if self.op.beparams else {}

    def check_prereq(self) -> None:
        super().check_prereq()
        _check_not_offline(self)
        self.running = self.live_info()
        if not self.running:
            filled = self.filled(beparams=self.beparams)
            check_node_free_memory(
                self,
                self.node,
                int(filled["beparams"]["maxmem"]),
                self.instance["hypervisor"],
                f"starting instance {self.instance['name']}",
            )

    def build_hooks_env(self) -> dict[str, Any]:
        env = super().build_hooks_env()
        env["FORCE"] = self.op.force
        return env

    def exec(self) -> Any:
        inst = self.instance
        if not self.op.no_remember:
            inst = dict(
                inst,
                admin_state=model.ADMINST_UP,
                admin_state_source=model.ADMIN_SOURCE,
                disks_active=True,
            )
            self.cfg.put("instances", inst)
            self.instance = inst
        if self.running and self.running.get("state") == "running":
            self.feedback("Instance is already running")
            return None
        self.rpc.call(
            self.address(),
            "instance_start",
            instance=self.filled(hvparams=self.op.hvparams, beparams=self.beparams),
            startup_paused=self.op.startup_paused,
        )
        return None


class LUInstanceShutdown(InstanceLU):
    HPATH = "instance-stop"

    def check_prereq(self) -> None:
        super().check_prereq()
        if self.instance.get("admin_state") == model.ADMINST_OFFLINE and not self.op.force:
            raise errors.OpPrereqError(
                f"Instance '{self.instance['name']}' is marked offline", errors.ECODE_STATE
            )

    def build_hooks_env(self) -> dict[str, Any]:
        env = super().build_hooks_env()
        env["TIMEOUT"] = self.op.timeout
        return env

    def exec(self) -> Any:
        inst = self.instance
        if not self.op.no_remember and inst.get("admin_state") != model.ADMINST_OFFLINE:
            source = self.op.admin_state_source or model.ADMIN_SOURCE
            inst = dict(inst, admin_state=model.ADMINST_DOWN, admin_state_source=source)
            self.cfg.put("instances", inst)
            self.instance = inst
        if not self.live_info():
            self.feedback("Instance is already stopped")
            return None
        self.rpc.call(
            self.address(), "instance_shutdown", instance=self.filled(), timeout=self.op.timeout
        )
        return None


class LUInstanceReboot(InstanceLU):
    HPATH = "instance-reboot"

    def check_prereq(self) -> None:
        super().check_prereq()
        _check_not_offline(self)
        info = self.live_info()
        if not info or info.get("state") != "running":
            raise errors.OpPrereqError(
                f"Instance {self.instance['name']} is not running", errors.ECODE_STATE
            )

    def build_hooks_env(self) -> dict[str, Any]:
        env = super().build_hooks_env()
        env["REBOOT_TYPE"] = self.op.reboot_type
        env["SHUTDOWN_TIMEOUT"] = self.op.shutdown_timeout
        return env

    def exec(self) -> Any:
        self.rpc.call(
            self.address(),
            "instance_reboot",
            instance=self.filled(),
            reboot_type=self.op.reboot_type,
            shutdown_timeout=self.op.shutdown_timeout,
        )
        inst = dict(self.instance, admin_state=model.ADMINST_UP)
        if self.instance.get("admin_state") != model.ADMINST_UP:
            self.cfg.put("instances", inst)
        return None

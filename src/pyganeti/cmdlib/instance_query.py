"""OP_INSTANCE_QUERY_DATA (gnt-instance info), OP_INSTANCE_CONSOLE and pyganeti's
OP_INSTANCE_CONSOLE_LOG (gnt-instance console --show-log)."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import NoHooksLU
from pyganeti.cmdlib.instance_common import InstanceLU
from pyganeti.locking import Level
from pyganeti.objects import params


class LUInstanceQueryData(NoHooksLU):
    def expand_names(self) -> None:
        if self.op.instances:
            self.wanted = [self.cfg.expand("instances", n) for n in self.op.instances]
        else:
            self.wanted = sorted(self.cfg.values("instances"), key=lambda i: i["name"])
        if self.op.use_locking:
            self.needed_locks[Level.INSTANCE] = [i["name"] for i in self.wanted]
            self.share_locks[Level.INSTANCE] = True

    def exec(self) -> Any:
        cluster = self.cfg.cluster
        result = {}
        for inst in self.wanted:
            inst = self.cfg.get("instances", inst["uuid"]) or inst
            node = self.cfg.get("nodes", inst["primary_node"]) or {}
            run_state = None
            if not self.op.static:
                try:
                    info = self.rpc.call(
                        str(node.get("primary_ip")),
                        "instance_info",
                        instance_name=inst["name"],
                        hypervisor=inst["hypervisor"],
                        hvparams=params.fill_hv(
                            cluster, inst["hypervisor"], inst.get("os"), inst.get("hvparams")
                        ),
                    )
                    run_state = "up" if info and info.get("state") == "running" else "down"
                except errors.GenericError:
                    run_state = None
            disks: list[dict[str, Any]] = []
            for disk in self.cfg.instance_disks(inst):
                disks.append(
                    {
                        "iv_name": disk.get("iv_name"),
                        "dev_type": disk.get("dev_type"),
                        "logical_id": disk.get("logical_id"),
                        "size": disk.get("size"),
                        "mode": disk.get("mode"),
                        "name": disk.get("name"),
                        "uuid": disk.get("uuid"),
                        "pstatus": None,
                        "sstatus": None,
                        "children": [],
                        "spindles": disk.get("spindles"),
                    }
                )
            nics = []
            for nic in inst.get("nics", []):
                nicp = params.fill_nic(cluster, nic.get("nicparams"))
                nics.append(
                    [
                        nic.get("name"),
                        nic.get("uuid"),
                        nic.get("ip"),
                        nic.get("mac"),
                        nicp.get("mode"),
                        nicp.get("link"),
                        nicp.get("vlan"),
                        nic.get("network"),
                        None,
                    ]
                )
            result[inst["name"]] = {
                "name": inst["name"],
                "config_state": inst.get("admin_state"),
                "run_state": run_state,
                "pnode_group_uuid": node.get("group"),
                "pnode_group_name": (self.cfg.get("nodegroups", node.get("group", "")) or {}).get(
                    "name"
                ),
                "snodes_group_uuids": [],
                "snodes_group_names": [],
                "pnode": node.get("name"),
                "snodes": [],
                "os": inst.get("os"),
                "network_port": inst.get("network_port"),
                "nics": nics,
                "disk_template": inst.get("disk_template"),
                "disks": disks,
                "hypervisor": inst["hypervisor"],
                "hv_instance": inst.get("hvparams", {}),
                "hv_actual": params.fill_hv(
                    cluster, inst["hypervisor"], inst.get("os"), inst.get("hvparams")
                ),
                "be_instance": inst.get("beparams", {}),
                "be_actual": params.fill_be(cluster, inst.get("beparams")),
                "os_instance": inst.get("osparams", {}),
                "os_actual": params.fill_os(cluster, inst.get("os", ""), inst.get("osparams")),
                "uuid": inst["uuid"],
                "serial_no": inst.get("serial_no"),
                "mtime": inst.get("mtime"),
                "ctime": inst.get("ctime"),
                "admin_state_source": inst.get("admin_state_source"),
                "tags": list(inst.get("tags", [])),
            }
        return result


class _ConsoleLU(InstanceLU):
    """Reads about one instance's console: the instance lock is shared."""

    HPATH = None
    NODE_SHARED = True

    def expand_names(self) -> None:
        super().expand_names()
        self.share_locks[Level.INSTANCE] = True


class LUInstanceConsole(_ConsoleLU):
    def exec(self) -> Any:
        info = self.live_info()
        if not info or info.get("state") != "running":
            raise errors.OpExecError(f"Instance {self.instance['name']} is not running")
        console: dict[str, Any] = self.rpc.call(
            self.address(), "instance_console_info", instance=self.filled()
        )
        return console


class LUInstanceConsoleLog(_ConsoleLU):
    """OP_INSTANCE_CONSOLE_LOG (gnt-instance console --show-log): works when stopped too."""

    def exec(self) -> Any:
        inst = self.instance
        text = self.rpc.call(
            self.address(),
            "instance_console_log",
            instance_name=inst["name"],
            hypervisor=inst["hypervisor"],
            max_bytes=self.op.max_bytes,
            with_backups=self.op.with_backups,
        )
        return {"instance": inst["name"], "kind": "log", "log": str(text or "")}

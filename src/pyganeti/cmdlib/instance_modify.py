"""OP_INSTANCE_SET_PARAMS: parameters, OS, NICs, disks and the offline flag."""

from __future__ import annotations

import os
from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import new_uuid
from pyganeti.cmdlib.instance_common import InstanceLU
from pyganeti.cmdlib.instance_create import check_beparams, check_hvparams, disk_size
from pyganeti.locking import Level
from pyganeti.objects import model, params
from pyganeti.objects.defaults import NIC_MODES


def _normalise_mods(mods: list[Any], what: str) -> list[tuple[str, Any, dict[str, Any]]]:
    """Ganeti accepts [op, index, params] and the older [op-or-index, params]."""
    out = []
    for mod in mods:
        if len(mod) == 3:
            action, ident, values = mod
        else:
            first, values = mod
            if first in ("add", "remove"):
                action, ident = first, -1
            else:
                action, ident = "modify", first
        if action not in ("add", "remove", "modify"):
            raise errors.OpPrereqError(
                f"Invalid {what} modification {action!r}", errors.ECODE_INVAL
            )
        out.append((str(action), ident, dict(values or {})))
    return out


def _index(items: list[Any], ident: Any, what: str, name_of: Any) -> int:
    if isinstance(ident, int) or (isinstance(ident, str) and ident.lstrip("-").isdigit()):
        idx = int(ident)
        if idx == -1:
            idx = len(items) - 1
        if not 0 <= idx < len(items):
            raise errors.OpPrereqError(f"Invalid {what} index {ident}", errors.ECODE_INVAL)
        return idx
    for idx, item in enumerate(items):
        if name_of(item) == ident:
            return idx
    raise errors.OpPrereqError(f"{what} '{ident}' not found", errors.ECODE_NOENT)


class LUInstanceSetParams(InstanceLU):
    HPATH = "instance-modify"
    NODE_LEVELS = (Level.NODE, Level.NODE_RES)

    def check_arguments(self) -> None:
        op = self.op
        self.nic_mods = _normalise_mods(op.nics, "NIC")
        self.disk_mods = _normalise_mods(op.disks, "disk")
        unsupported = [
            name
            for name, value in (
                ("disk_template", op.disk_template),
                ("pnode", op.pnode),
                ("remote_node", op.remote_node),
                ("runtime_mem", op.runtime_mem),
                ("hotplug", op.hotplug or None),
                ("ext_params", op.ext_params or None),
                ("instance_communication", op.instance_communication),
            )
            if value
        ]
        if unsupported:
            raise errors.OpPrereqError(
                f"Changing {', '.join(unsupported)} is not supported yet", errors.ECODE_INVAL
            )
        if not (
            op.nics
            or op.disks
            or op.beparams
            or op.hvparams
            or op.osparams
            or op.os_name
            or op.offline is not None
            or op.osparams_private
        ):
            raise errors.OpPrereqError("No changes submitted", errors.ECODE_INVAL)
        self.beparams = check_beparams(op.beparams) if op.beparams else {}

    def check_prereq(self) -> None:
        super().check_prereq()
        inst, cluster, op = self.instance, self.cfg.cluster, self.op
        self.new = dict(inst)
        self.changes: list[list[Any]] = []
        if op.hvparams:
            hv = params.update_params(inst.get("hvparams", {}), op.hvparams)
            filled = params.fill_hv(cluster, inst["hypervisor"], inst.get("os"), hv)
            check_hvparams(inst["hypervisor"], hv, filled)
            self.new["hvparams"] = hv
            self.changes += [[f"hv/{k}", v] for k, v in op.hvparams.items()]
        if self.beparams:
            be = params.update_params(inst.get("beparams", {}), self.beparams)
            check_beparams(params.fill_be(cluster, be))
            self.new["beparams"] = be
            self.changes += [[f"be/{k}", v] for k, v in self.beparams.items()]
        if op.osparams:
            self.new["osparams"] = params.update_params(inst.get("osparams", {}), op.osparams)
            self.changes += [[f"os/{k}", v] for k, v in op.osparams.items()]
        if op.os_name:
            info = self.rpc.call(self.address(), "os_get", name=op.os_name)
            if not info:
                raise errors.OpPrereqError(
                    f"OS '{op.os_name}' not found on node {self.node['name']}", errors.ECODE_INVAL
                )
            self.new["os"] = op.os_name
            self.changes.append(["os", op.os_name])
        if op.offline is not None:
            if op.offline and self.live_info():
                raise errors.OpPrereqError(
                    "Instance is running; shut it down before marking it offline",
                    errors.ECODE_STATE,
                )
            state = model.ADMINST_OFFLINE if op.offline else model.ADMINST_DOWN
            self.new["admin_state"] = state
            self.changes.append(["admin_state", state])
        self._plan_nics()
        self._plan_disks()

    def _plan_nics(self) -> None:
        nics = [dict(n) for n in self.instance.get("nics", [])]
        self.new_macs: list[str] = []
        for action, ident, values in self.nic_mods:
            mode = values.get("mode")
            if mode is not None and mode not in NIC_MODES:
                raise errors.OpPrereqError(f"Invalid NIC mode {mode!r}", errors.ECODE_INVAL)
            nicparams: dict[str, Any] = {
                k: values[k] for k in ("mode", "link", "vlan") if k in values
            }
            if action == "add":
                mac = (values.get("mac") or "auto").lower()
                if mac in ("auto", "generate"):
                    mac = self.cfg.generate_mac(self.cfg.cluster.get("mac_prefix", "aa:00:00"))
                else:
                    self.cfg.reserve("mac", mac)
                nic = {
                    "uuid": new_uuid(),
                    "name": values.get("name"),
                    "mac": mac,
                    "ip": values.get("ip"),
                    "network": values.get("network"),
                    "nicparams": nicparams,
                }
                nics.append(nic)
                self.changes.append([f"nic.{len(nics) - 1}", f"add:mac={mac}"])
                continue
            idx = _index(nics, ident, "NIC", lambda n: n.get("name") or n.get("uuid"))
            if action == "remove":
                nics.pop(idx)
                self.changes.append([f"nic.{idx}", "remove"])
            else:
                nic = nics[idx]
                if "mac" in values:
                    self.cfg.reserve("mac", values["mac"].lower())
                    nic["mac"] = values["mac"].lower()
                for key in ("ip", "name", "network"):
                    if key in values:
                        nic[key] = values[key]
                nic["nicparams"] = params.update_params(nic.get("nicparams", {}), dict(nicparams))
                self.changes += [[f"nic.{k}/{idx}", v] for k, v in values.items()]
        self.new["nics"] = nics

    def _plan_disks(self) -> None:
        self.add_disks: list[dict[str, Any]] = []
        self.remove_disks: list[dict[str, Any]] = []
        self.changed_disks: list[dict[str, Any]] = []
        if not self.disk_mods:
            return
        if self.instance.get("disk_template") == model.DT_DISKLESS:
            raise errors.OpPrereqError(
                "Disks cannot be changed on a diskless instance", errors.ECODE_INVAL
            )
        disks = self.cfg.instance_disks(self.instance)
        uuids = [d["uuid"] for d in disks]
        for action, ident, values in self.disk_mods:
            if action == "add":
                if self.live_info():
                    raise errors.OpPrereqError(
                        "Adding disks to a running instance needs"
                        " hotplug, which is not supported yet",
                        errors.ECODE_STATE,
                    )
                idx = len(uuids)
                base = os.path.dirname(disks[0]["logical_id"][1]) if disks else ""
                disk = {
                    "uuid": new_uuid(),
                    "name": values.get("name"),
                    "dev_type": self.instance["disk_template"],
                    "logical_id": [
                        disks[0]["logical_id"][0] if disks else "loop",
                        os.path.join(base, f"disk{idx}-{new_uuid()[:8]}"),
                    ],
                    "children": [],
                    "nodes": [self.instance["primary_node"]],
                    "iv_name": f"disk/{idx}",
                    "size": disk_size(values, idx),
                    "mode": values.get("mode", "rw"),
                    "params": {},
                    "spindles": None,
                }
                self.add_disks.append(disk)
                uuids.append(disk["uuid"])
                self.changes.append([f"disk/{idx}", f"add:size={disk['size']},mode={disk['mode']}"])
                continue
            idx = _index(
                uuids, ident, "disk", lambda u: (self.cfg.get("disks", u) or {}).get("name") or u
            )
            if action == "remove":
                if self.live_info():
                    raise errors.OpPrereqError(
                        "Removing disks from a running instance needs"
                        " hotplug, which is not supported yet",
                        errors.ECODE_STATE,
                    )
                disk = self.cfg.get("disks", uuids[idx]) or {}
                self.remove_disks.append(disk)
                uuids.pop(idx)
                self.changes.append([f"disk/{idx}", "remove"])
            else:
                unknown = set(values) - {"mode", "name"}
                if unknown:
                    raise errors.OpPrereqError(
                        f"Cannot modify disk parameter(s) {', '.join(sorted(unknown))}",
                        errors.ECODE_INVAL,
                    )
                disk = dict(self.cfg.get("disks", uuids[idx]) or {})
                disk.update(values)
                self.changed_disks.append(disk)
                self.changes += [[f"disk.{k}/{idx}", v] for k, v in values.items()]
        self.new["disks"] = uuids

    def exec(self) -> Any:
        address = self.address()
        created = []
        try:
            for disk in self.add_disks:
                self.rpc.call(
                    address,
                    "blockdev_create",
                    disk=disk,
                    size=disk["size"],
                    on_primary=True,
                    exclusive_storage=False,
                    instance_name=self.instance["name"],
                )
                created.append(disk)
        except errors.GenericError:
            for disk in created:
                self.rpc.call(address, "blockdev_remove", disk=disk)
            raise
        changes: list[dict[str, Any]] = [
            *({"kind": "disks", "uuid": d["uuid"], "value": d} for d in self.add_disks),
            *({"kind": "disks", "uuid": d["uuid"], "value": d} for d in self.changed_disks),
            {
                "kind": "instances",
                "uuid": self.new["uuid"],
                "value": self.new,
                "expect_serial": self.instance.get("serial_no"),
            },
            *({"kind": "disks", "uuid": d["uuid"], "value": None} for d in self.remove_disks),
        ]
        self.cfg.commit(changes)
        for disk in self.remove_disks:
            try:
                self.rpc.call(address, "blockdev_remove", disk=disk)
            except errors.GenericError as err:
                self.feedback(f"Warning: could not remove disk {disk.get('iv_name')}: {err}")
        return self.changes

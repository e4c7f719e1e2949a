"""OP_INSTANCE_CREATE: disks, configuration entry, OS installation, first start."""

from __future__ import annotations

import contextlib
import os
import socket
from typing import Any

from pyganeti import errors
from pyganeti.cli.units import parse_unit
from pyganeti.cmdlib.base import LogicalUnit, new_uuid
from pyganeti.cmdlib.instance_common import check_node_free_memory, instance_hooks_env
from pyganeti.hypervisor.registry import get_hypervisor_class
from pyganeti.locking import Level
from pyganeti.netutils import resolve
from pyganeti.objects import model, params
from pyganeti.objects.defaults import BE_DEFAULTS, BE_LEGACY_MEMORY, BE_TYPES, NIC_MODES

VALUE_AUTO = "auto"
VALUE_GENERATE = "generate"
DISK_ACCESS_MODES = ("rw", "ro")


def check_beparams(beparams: dict[str, Any]) -> dict[str, Any]:
    """Typed backend parameters (accepting Ganeti 2's "memory"); clear error otherwise."""
    out = dict(beparams)
    if BE_LEGACY_MEMORY in out:
        mem = out.pop(BE_LEGACY_MEMORY)
        out.setdefault("maxmem", mem)
        out.setdefault("minmem", mem)
    for key, value in out.items():
        kind = BE_TYPES.get(key)
        if kind is None:
            raise errors.OpPrereqError(
                f"Unknown backend parameter '{key}' (known: {', '.join(sorted(BE_DEFAULTS))})",
                errors.ECODE_INVAL,
            )
        if kind is bool and isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        elif kind is int and isinstance(value, str):
            if key in ("maxmem", "minmem"):
                # Memory sizes take units ("1G"), as Ganeti's size type does.
                with contextlib.suppress(errors.UnitParseError):
                    value = parse_unit(value)
            else:
                with contextlib.suppress(ValueError):
                    value = int(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise errors.OpPrereqError(
                f"Backend parameter '{key}' must be {kind.__name__}, not {value!r}",
                errors.ECODE_INVAL,
            )
        out[key] = value
    if "minmem" in out and "maxmem" in out and out["minmem"] > out["maxmem"]:
        raise errors.OpPrereqError(
            "Backend parameter minmem is larger than maxmem", errors.ECODE_INVAL
        )
    return out


def check_hvparams(hv_name: str, hvparams: dict[str, Any], filled: dict[str, Any]) -> None:
    cls = get_hypervisor_class(hv_name)
    unknown = sorted(set(hvparams) - set(cls.PARAMETERS))
    if unknown:
        raise errors.OpPrereqError(
            f"Unknown parameter(s) for hypervisor {hv_name}: {', '.join(unknown)}",
            errors.ECODE_INVAL,
        )
    # Values typed on the command line arrive as strings ("yes", "30"): type them in
    # place, as Ganeti's ForceDictType does, for backends that declare how.
    coerce = getattr(cls, "coerce_parameters", None)
    if coerce is not None:
        for values in (hvparams, filled):
            values.update(coerce(values))
    cls.check_parameter_syntax(filled)


def disk_size(spec: dict[str, Any], idx: int) -> int:
    size = spec.get("size")
    if isinstance(size, str):
        size = parse_unit(size)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise errors.OpPrereqError(
            f"Disk {idx}: invalid size {spec.get('size')!r}", errors.ECODE_INVAL
        )
    return size


class LUInstanceCreate(LogicalUnit):
    HPATH = "instance-add"
    HTYPE = "INSTANCE"

    def check_arguments(self) -> None:
        op = self.op
        if op.mode != "create":
            raise errors.OpPrereqError(
                f"Instance creation mode '{op.mode}' (import) is not supported yet",
                errors.ECODE_INVAL,
            )
        if op.forthcoming or op.commit:
            raise errors.OpPrereqError(
                "Forthcoming instances are not supported yet", errors.ECODE_INVAL
            )
        if op.iallocator:
            raise errors.OpPrereqError(
                "Instance allocators are not supported yet; give the node with -n",
                errors.ECODE_INVAL,
            )
        if op.disk_template is None:
            raise errors.OpPrereqError("A disk template is required (-t)", errors.ECODE_INVAL)
        if op.disk_template not in model.SUPPORTED_DISK_TEMPLATES:
            raise errors.OpPrereqError(
                f"Disk template '{op.disk_template}' is not supported by this release"
                f" (supported: {', '.join(model.SUPPORTED_DISK_TEMPLATES)})",
                errors.ECODE_INVAL,
            )
        if op.disk_template == model.DT_DISKLESS and op.disks:
            raise errors.OpPrereqError("Diskless instances take no disks", errors.ECODE_INVAL)
        if op.disk_template != model.DT_DISKLESS and not op.disks:
            raise errors.OpPrereqError(
                f"Template '{op.disk_template}' needs at least one disk", errors.ECODE_INVAL
            )
        self.disk_specs = []
        for idx, spec in enumerate(op.disks):
            mode = spec.get("mode", "rw")
            if mode not in DISK_ACCESS_MODES:
                raise errors.OpPrereqError(
                    f"Disk {idx}: invalid access mode {mode!r}", errors.ECODE_INVAL
                )
            self.disk_specs.append(
                {"size": disk_size(spec, idx), "mode": mode, "name": spec.get("name")}
            )
        for idx, nic in enumerate(op.nics):
            mode = nic.get("mode")
            if mode is not None and mode not in NIC_MODES:
                raise errors.OpPrereqError(f"NIC {idx}: invalid mode {mode!r}", errors.ECODE_INVAL)
        if op.file_storage_dir is not None and (
            os.path.isabs(op.file_storage_dir) or ".." in op.file_storage_dir.split("/")
        ):
            raise errors.OpPrereqError(
                f"File storage directory '{op.file_storage_dir}' must be a relative path"
                " without '..' (it is placed under the cluster's file storage directory)",
                errors.ECODE_INVAL,
            )
        if op.ip_check and not op.name_check:
            raise errors.OpPrereqError(
                "Cannot do IP address check without a name check", errors.ECODE_INVAL
            )
        self.beparams = check_beparams(op.beparams)
        if op.no_install is False and op.os_type is None:
            raise errors.OpPrereqError(
                "An OS is required (-o) unless --no-install", errors.ECODE_INVAL
            )

    def expand_names(self) -> None:
        op = self.op
        self.name = op.instance_name
        self.ip_from_name: str | None = None
        if op.name_check:
            try:
                self.ip_from_name = resolve(self.env.paths, op.instance_name)
            except errors.ResolverError as err:
                raise errors.OpPrereqError(
                    f"Instance name '{op.instance_name}' does not resolve ({err}); use"
                    " --no-name-check to skip the check",
                    errors.ECODE_RESOLVE,
                ) from None
        if self.cfg.by_name("instances", self.name) is not None:
            raise errors.OpPrereqError(
                f"Instance '{self.name}' is already in the cluster", errors.ECODE_EXISTS
            )
        if op.pnode:
            self.pnode = self.cfg.expand("nodes", op.pnode)
        elif op.pnode_uuid:
            self.pnode = self.cfg.expand("nodes", op.pnode_uuid)
        else:
            capable = [n for n in self.cfg.values("nodes") if n.get("vm_capable", True)]
            if len(capable) != 1:
                raise errors.OpPrereqError(
                    "No primary node given (-n) and the cluster has more than one node",
                    errors.ECODE_INVAL,
                )
            self.pnode = capable[0]
        self.needed_locks[Level.INSTANCE] = [self.name]
        self.needed_locks[Level.NODE] = [self.pnode["name"]]
        self.needed_locks[Level.NODE_RES] = [self.pnode["name"]]

    def check_prereq(self) -> None:
        op, cluster = self.op, self.cfg.cluster
        self.cfg.reserve("name", self.name)
        if self.cfg.by_name("instances", self.name) is not None:
            raise errors.OpPrereqError(
                f"Instance '{self.name}' is already in the cluster", errors.ECODE_EXISTS
            )
        if op.ip_check and self.ip_from_name and _alive(self.ip_from_name):
            raise errors.OpPrereqError(
                f"IP {self.ip_from_name} of instance {self.name} is already in use",
                errors.ECODE_NOTUNIQUE,
            )
        enabled = cluster.get("enabled_disk_templates", [])
        if op.disk_template not in enabled:
            raise errors.OpPrereqError(
                f"Disk template '{op.disk_template}' is not enabled in the cluster (enabled:"
                f" {', '.join(enabled)})",
                errors.ECODE_STATE,
            )
        self.hv_name = op.hypervisor or cluster["enabled_hypervisors"][0]
        if self.hv_name not in cluster["enabled_hypervisors"]:
            raise errors.OpPrereqError(
                f"Hypervisor '{self.hv_name}' is not enabled in the cluster", errors.ECODE_STATE
            )
        self.hv_filled = params.fill_hv(cluster, self.hv_name, op.os_type, op.hvparams)
        check_hvparams(self.hv_name, op.hvparams, self.hv_filled)
        self.be_filled = params.fill_be(cluster, self.beparams)
        self.os_name = op.os_type or ""
        if op.os_type and not op.no_install:
            os_info = self.rpc.call(self.pnode["primary_ip"], "os_get", name=op.os_type)
            if not os_info or not os_info.get("status", os_info.get("valid", True)):
                raise errors.OpPrereqError(
                    f"OS '{op.os_type}' not in supported OS list for node {self.pnode['name']}",
                    errors.ECODE_INVAL,
                )
        if op.start:
            check_node_free_memory(
                self,
                self.pnode,
                int(self.be_filled["maxmem"]),
                self.hv_name,
                f"starting instance {self.name}",
            )
        self.nics = self._build_nics()
        self.disks = self._build_disks()
        self.instance: dict[str, Any] = {
            "uuid": new_uuid(),
            "name": self.name,
            "primary_node": self.pnode["uuid"],
            "secondary_nodes": [],
            "os": self.os_name,
            "hypervisor": self.hv_name,
            "hvparams": dict(op.hvparams),
            "beparams": self.beparams,
            "osparams": dict(op.osparams),
            "osparams_private": {},
            "admin_state": model.ADMINST_DOWN,
            "admin_state_source": model.ADMIN_SOURCE,
            "nics": self.nics,
            "disks": [d["uuid"] for d in self.disks],
            "disk_template": op.disk_template,
            "disks_active": False,
            "network_port": None,
            "tags": list(op.tags),
        }

    def _build_nics(self) -> list[dict[str, Any]]:
        cluster = self.cfg.cluster
        nics = []
        for idx, spec in enumerate(self.op.nics):
            mac = (spec.get("mac") or VALUE_AUTO).lower()
            if mac in (VALUE_AUTO, VALUE_GENERATE):
                mac = self.cfg.generate_mac(cluster.get("mac_prefix", "aa:00:00"))
            else:
                try:
                    self.cfg.reserve("mac", mac)
                except errors.ReservationError as err:
                    raise errors.OpPrereqError(
                        f"NIC {idx}: {err}", errors.ECODE_NOTUNIQUE
                    ) from None
            ip = spec.get("ip")
            if ip and ip.lower() == "auto":
                ip = self.ip_from_name
            nicparams = {k: spec[k] for k in ("mode", "link", "vlan") if spec.get(k) is not None}
            nics.append(
                {
                    "uuid": new_uuid(),
                    "name": spec.get("name"),
                    "mac": mac,
                    "ip": ip,
                    "network": spec.get("network"),
                    "nicparams": nicparams,
                }
            )
        return nics

    def _build_disks(self) -> list[dict[str, Any]]:
        template = self.op.disk_template
        driver = self.op.file_driver or "loop"
        base = ""
        if template in model.FILE_TEMPLATES:
            key = "file_storage_dir" if template == model.DT_FILE else "shared_file_storage_dir"
            base = self.cfg.cluster.get(key) or ""
            if not base:
                raise errors.OpPrereqError(f"No {key} set in the cluster", errors.ECODE_STATE)
            if self.op.file_storage_dir:
                base = os.path.join(base, self.op.file_storage_dir)
            base = os.path.join(base, self.name)
        self.storage_dir = base
        disks = []
        for idx, spec in enumerate(self.disk_specs):
            logical_id: list[Any] = []
            if template in model.FILE_TEMPLATES:
                logical_id = [driver, os.path.join(base, f"disk{idx}")]
            disks.append(
                {
                    "uuid": new_uuid(),
                    "name": spec["name"],
                    "dev_type": template,
                    "logical_id": logical_id,
                    "children": [],
                    "nodes": [self.pnode["uuid"]],
                    "iv_name": f"disk/{idx}",
                    "size": spec["size"],
                    "mode": spec["mode"],
                    "params": {},
                    "spindles": None,
                }
            )
        return disks

    def build_hooks_env(self) -> dict[str, Any]:
        env = instance_hooks_env(self, self._hook_view())
        env["INSTANCE_ADD_MODE"] = self.op.mode
        return env

    def _hook_view(self) -> dict[str, Any]:
        # Disks are not in the configuration yet: show the planned ones.
        view = dict(self.instance, disks=[])
        return view

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        nodes = [self.cfg.cluster["master_node"], self.pnode["uuid"]]
        return nodes, nodes

    def exec(self) -> Any:
        address = str(self.pnode["primary_ip"])
        created: list[dict[str, Any]] = []
        self.dir_created = False
        try:
            if self.disks:
                self.feedback("* creating instance disks...")
                if self.storage_dir:
                    self.rpc.call(address, "file_storage_dir_create", path=self.storage_dir)
                    self.dir_created = True
                for disk in self.disks:
                    self.rpc.call(
                        address,
                        "blockdev_create",
                        disk=disk,
                        size=disk["size"],
                        on_primary=True,
                        exclusive_storage=False,
                        instance_name=self.name,
                    )
                    created.append(disk)
            self.feedback(f"adding instance {self.name} to cluster config")
            self.cfg.commit(
                [
                    *({"kind": "disks", "uuid": d["uuid"], "value": d} for d in self.disks),
                    {"kind": "instances", "uuid": self.instance["uuid"], "value": self.instance},
                ]
            )
        except Exception:
            self._remove_disks(address, created)
            raise
        if not self.op.no_install and self.os_name:
            self.feedback("* running the instance OS create scripts...")
            try:
                self.rpc.call(
                    address,
                    "instance_os_add",
                    instance=self._filled(),
                    reinstall=False,
                    debug=self.op.debug_level or 0,
                )
            except errors.GenericError as err:
                self.feedback(f"OS installation failed, removing instance {self.name}")
                self._forget(address)
                raise errors.OpExecError(
                    f"Could not add os for instance {self.name} on node {self.pnode['name']}: {err}"
                ) from None
        if self.op.start:
            inst = self.cfg.get("instances", self.instance["uuid"])
            assert inst is not None
            self.cfg.put("instances", dict(inst, admin_state=model.ADMINST_UP, disks_active=True))
            self.feedback("* starting instance...")
            self.rpc.call(address, "instance_start", instance=self._filled(), startup_paused=False)
        return [self.pnode["name"]]

    def _filled(self) -> dict[str, Any]:
        inst = self.cfg.get("instances", self.instance["uuid"])
        assert inst is not None
        return params.filled_instance(
            self.cfg.cluster,
            inst,  # type: ignore[arg-type]
            self.cfg.instance_disks(inst),
        )

    def _remove_disks(self, address: str, disks: list[dict[str, Any]]) -> None:
        for disk in disks:
            try:
                self.rpc.call(address, "blockdev_remove", disk=disk)
            except errors.GenericError as err:
                self.feedback(f"Warning: could not remove disk {disk['iv_name']}: {err}")
        if self.storage_dir and self.dir_created:
            try:
                self.rpc.call(address, "file_storage_dir_remove", path=self.storage_dir)
            except errors.GenericError as err:
                self.feedback(f"Warning: could not remove {self.storage_dir}: {err}")

    def _forget(self, address: str) -> None:
        self._remove_disks(address, self.disks)
        self.cfg.commit(
            [
                {"kind": "instances", "uuid": self.instance["uuid"], "value": None},
                *({"kind": "disks", "uuid": d["uuid"], "value": None} for d in self.disks),
            ]
        )


def _alive(ip: str, port: int = 22, timeout: float = 0.5) -> bool:
    """Whether something answers at ip (Ganeti's TCP ping for the IP check)."""
    try:
        with socket.create_connection((ip, port), timeout=timeout):
            return True
    except ConnectionRefusedError:
        return True
    except OSError:
        return False

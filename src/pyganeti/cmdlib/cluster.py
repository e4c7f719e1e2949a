"""Cluster-wide logical units: query, parameters, destroy, post-init, redistribution."""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import LogicalUnit, NoHooksLU
from pyganeti.cmdlib.cluster_info import cluster_info
from pyganeti.cmdlib.instance_create import check_beparams, check_hvparams
from pyganeti.hypervisor.registry import known_hypervisors
from pyganeti.locking import Level
from pyganeti.netutils import is_mac_prefix
from pyganeti.objects import model, params
from pyganeti.objects.defaults import NIC_MODES, PP_DEFAULT
from pyganeti.ssconf import ssconf_values


class LUClusterQuery(NoHooksLU):
    def exec(self) -> Any:
        return cluster_info(
            {"cluster": self.cfg.cluster, "nodes": {n["uuid"]: n for n in self.cfg.values("nodes")}}
        )


class LUClusterPostInit(LogicalUnit):
    HPATH = "cluster-init"
    HTYPE = "CLUSTER"

    def build_hooks_env(self) -> dict[str, Any]:
        return {"OP_TARGET": self.cfg.cluster.get("cluster_name")}

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        return [], [self.cfg.cluster["master_node"]]

    def exec(self) -> Any:
        return True


class LUClusterDestroy(LogicalUnit):
    HPATH = "cluster-destroy"
    HTYPE = "CLUSTER"

    def expand_names(self) -> None:
        self.lock_all(Level.INSTANCE, Level.NODE)

    def build_hooks_env(self) -> dict[str, Any]:
        return {"OP_TARGET": self.cfg.cluster.get("cluster_name")}

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        return [], []

    def check_prereq(self) -> None:
        nodes = self.cfg.values("nodes")
        if len(nodes) != 1:
            raise errors.OpPrereqError(
                f"There are still {len(nodes) - 1} node(s) in this cluster; remove them first",
                errors.ECODE_INVAL,
            )
        instances = self.cfg.values("instances")
        if instances:
            raise errors.OpPrereqError(
                f"There are still {len(instances)} instance(s) in this cluster; remove them first",
                errors.ECODE_INVAL,
            )

    def exec(self) -> Any:
        return self.cfg.cluster["master_node"]


class LUClusterRedistConf(NoHooksLU):
    REQ_BGL = False

    def expand_names(self) -> None:
        self.lock_all(Level.NODE)

    def exec(self) -> Any:
        values = ssconf_values(self.env.cfg.replica.view())
        for node in self.cfg.values("nodes"):
            if node.get("offline"):
                continue
            self.rpc.call(str(node["primary_ip"]), "write_ssconf_files", values=values)
        return None


def _check_nicparams(nicparams: dict[str, Any]) -> None:
    unknown = set(nicparams) - {"mode", "link", "vlan"}
    if unknown:
        raise errors.OpPrereqError(
            f"Unknown NIC parameter(s): {', '.join(sorted(unknown))}", errors.ECODE_INVAL
        )
    if "mode" in nicparams and nicparams["mode"] not in NIC_MODES:
        raise errors.OpPrereqError(f"Invalid NIC mode {nicparams['mode']!r}", errors.ECODE_INVAL)


# Parameters of OP_CLUSTER_SET_PARAMS whose change this release performs; the rest are
# refused clearly rather than stored without effect.
_SIMPLE = (
    "candidate_pool_size",
    "max_running_jobs",
    "max_tracked_jobs",
    "mac_prefix",
    "maintain_node_health",
    "prealloc_wipe_disks",
    "default_iallocator",
    "modify_etc_hosts",
    "master_netdev",
    "master_netmask",
    "install_image",
    "zeroing_image",
    "enabled_user_shutdown",
    "use_external_mip_script",
    "file_storage_dir",
    "shared_file_storage_dir",
    "gluster_storage_dir",
    "default_iallocator_params",
    "compression_tools",
)
_UNSUPPORTED = (
    "hv_state",
    "disk_state",
    "vg_name",
    "uid_pool",
    "add_uids",
    "remove_uids",
    "ipolicy",
    "drbd_helper",
    "reserved_lvs",
    "instance_communication_network",
    "enabled_data_collectors",
    "data_collector_interval",
    "osparams_private_cluster",
)


class LUClusterSetParams(LogicalUnit):
    HPATH = "cluster-modify"
    HTYPE = "CLUSTER"
    REQ_BGL = True

    def check_arguments(self) -> None:
        used = [name for name in _UNSUPPORTED if getattr(self.op, name, None)]
        if used:
            raise errors.OpPrereqError(
                f"Changing {', '.join(used)} is not supported yet", errors.ECODE_INVAL
            )
        if self.op.beparams:
            self.beparams = check_beparams(self.op.beparams)
        if self.op.nicparams:
            _check_nicparams(self.op.nicparams)

    def expand_names(self) -> None:
        self.lock_all(Level.NODE)

    def build_hooks_env(self) -> dict[str, Any]:
        return {
            "OP_TARGET": self.cfg.cluster.get("cluster_name"),
            "NEW_VG_NAME": self.op.vg_name or "",
        }

    def check_prereq(self) -> None:
        op = self.op
        cl = dict(self.cfg.cluster)
        if op.enabled_hypervisors is not None:
            bad = sorted(set(op.enabled_hypervisors) - set(known_hypervisors()))
            if bad or not op.enabled_hypervisors:
                raise errors.OpPrereqError(
                    f"Unknown hypervisor(s): {', '.join(bad) or '(empty list)'}", errors.ECODE_INVAL
                )
            cl["enabled_hypervisors"] = list(op.enabled_hypervisors)
        if op.hvparams:
            hvp = {k: dict(v) for k, v in cl.get("hvparams", {}).items()}
            for hv_name, values in op.hvparams.items():
                new = params.update_params(hvp.get(hv_name, {}), values)
                check_hvparams(hv_name, values, new)
                hvp[hv_name] = new
            cl["hvparams"] = hvp
        if op.beparams:
            be = dict(cl.get("beparams", {}))
            be[PP_DEFAULT] = params.update_params(be.get(PP_DEFAULT, {}), self.beparams)
            cl["beparams"] = be
        if op.nicparams:
            nic = dict(cl.get("nicparams", {}))
            nic[PP_DEFAULT] = params.update_params(nic.get(PP_DEFAULT, {}), op.nicparams)
            cl["nicparams"] = nic
        if op.ndparams:
            cl["ndparams"] = params.update_params(cl.get("ndparams", {}), op.ndparams)
        if op.diskparams:
            dp = {k: dict(v) for k, v in cl.get("diskparams", {}).items()}
            for template, values in op.diskparams.items():
                if template not in model.DISK_TEMPLATES:
                    raise errors.OpPrereqError(
                        f"Unknown disk template {template!r}", errors.ECODE_INVAL
                    )
                dp[template] = params.update_params(dp.get(template, {}), values)
            cl["diskparams"] = dp
        if op.osparams:
            osp = dict(cl.get("osparams", {}))
            for os_name, values in op.osparams.items():
                osp[os_name] = params.update_params(osp.get(os_name, {}), values)
            cl["osparams"] = osp
        if op.os_hvp:
            cl["os_hvp"] = {**cl.get("os_hvp", {}), **op.os_hvp}
        if op.enabled_disk_templates is not None:
            self._check_disk_templates(op.enabled_disk_templates)
            cl["enabled_disk_templates"] = list(op.enabled_disk_templates)
        for name, key in (("hidden_os", "hidden_os"), ("blacklisted_os", "blacklisted_os")):
            mods = getattr(op, name)
            if mods:
                current = list(cl.get(key, []))
                for action, os_name in mods:
                    if action == "add" and os_name not in current:
                        current.append(os_name)
                    elif action == "remove" and os_name in current:
                        current.remove(os_name)
                cl[key] = current
        for name in _SIMPLE:
            value = getattr(self.op, name, None)
            if value is not None:
                cl[name] = value
        if op.mac_prefix is not None and not is_mac_prefix(op.mac_prefix):
            raise errors.OpPrereqError(f"Invalid MAC prefix {op.mac_prefix!r}", errors.ECODE_INVAL)
        self.new_cluster = cl

    def _check_disk_templates(self, templates: list[str]) -> None:
        if not templates:
            raise errors.OpPrereqError(
                "At least one disk template must be enabled", errors.ECODE_INVAL
            )
        bad = [t for t in templates if t not in model.SUPPORTED_DISK_TEMPLATES]
        if bad:
            raise errors.OpPrereqError(
                f"Disk template(s) {', '.join(bad)} are not supported by this release",
                errors.ECODE_INVAL,
            )
        in_use = {str(i.get("disk_template")) for i in self.cfg.values("instances")}
        disabled = sorted(in_use - set(templates))
        if disabled:
            raise errors.OpPrereqError(
                f"Cannot disable disk template(s) {', '.join(disabled)}: instances use them",
                errors.ECODE_STATE,
            )

    def exec(self) -> Any:
        self.cfg.put_cluster(self.new_cluster)
        return None

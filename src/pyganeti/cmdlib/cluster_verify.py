"""OP_CLUSTER_VERIFY and its parts: configuration, node groups, disks.

As in Ganeti, OP_CLUSTER_VERIFY only submits one OP_CLUSTER_VERIFY_CONFIG job and one
OP_CLUSTER_VERIFY_GROUP job per group; each of those reports findings as job log
messages ("  - ERROR: node node1: ...") and returns whether everything was fine.
"""

from __future__ import annotations

from typing import Any

from pyganeti import errors
from pyganeti.cmdlib.base import LogicalUnit, NoHooksLU
from pyganeti.locking import Level
from pyganeti.objects import model, params

ERROR = "ERROR"
WARNING = "WARNING"


class _Reporter:
    """Ganeti's verify message format, with error codes on request."""

    def __init__(self, lu: LogicalUnit) -> None:
        self.lu = lu
        self.bad = False

    def report(self, code: tuple[str, str], name: str, message: str, kind: str = ERROR) -> None:
        obj_type, ecode = code
        if ecode in (self.lu.op.ignore_errors or []):
            kind = WARNING
        if self.lu.op.error_codes:
            text = f"  - {kind}:{ecode}:{obj_type}:{name}:{message}"
        else:
            text = f"  - {kind}: {obj_type} {name}: {message}"
        self.lu.feedback(text)
        if kind == ERROR:
            self.bad = True


ECLUSTERCFG = ("cluster", "ECLUSTERCFG")
ECLUSTERDANGLINGINST = ("node", "ECLUSTERDANGLINGINST")
ENODERPC = ("node", "ENODERPC")
ENODEVERSION = ("node", "ENODEVERSION")
ENODEHV = ("node", "ENODEHV")
ENODEFILESTORAGEPATHS = ("node", "ENODEFILESTORAGEPATHS")
ENODEORPHANINSTANCE = ("node", "ENODEORPHANINSTANCE")
EINSTANCEDOWN = ("instance", "EINSTANCEDOWN")
EINSTANCEWRONGNODE = ("instance", "EINSTANCEWRONGNODE")
EINSTANCEBADNODE = ("instance", "EINSTANCEBADNODE")


class LUClusterVerify(NoHooksLU):
    def exec(self) -> Any:
        common = {
            "debug_simulate_errors": self.op.debug_simulate_errors,
            "error_codes": self.op.error_codes,
            "ignore_errors": self.op.ignore_errors,
            "verbose": self.op.verbose,
        }
        jobs: list[list[dict[str, Any]]] = []
        if self.op.group_name is None:
            jobs.append([{"OP_ID": "OP_CLUSTER_VERIFY_CONFIG", **common}])
            groups = sorted(g["name"] for g in self.cfg.values("nodegroups"))
        else:
            groups = [self.cfg.expand("nodegroups", self.op.group_name)["name"]]
        for group in groups:
            jobs.append(
                [
                    {
                        "OP_ID": "OP_CLUSTER_VERIFY_GROUP",
                        "group_name": group,
                        "skip_checks": self.op.skip_checks,
                        **common,
                    }
                ]
            )
        return {"jobs": self.env.submit_jobs(jobs)}


class LUClusterVerifyConfig(NoHooksLU):
    def expand_names(self) -> None:
        self.lock_all(Level.INSTANCE, Level.NODEGROUP, Level.NODE, shared=True)

    def exec(self) -> Any:
        rep = _Reporter(self)
        self.feedback("* Verifying cluster config")
        cluster = self.cfg.cluster
        nodes = {n["uuid"]: n for n in self.cfg.values("nodes")}
        groups = {g["uuid"] for g in self.cfg.values("nodegroups")}
        if cluster.get("master_node") not in nodes:
            rep.report(ECLUSTERCFG, "", "the master node is not in the configuration")
        for hv_name in cluster.get("enabled_hypervisors", []):
            try:
                from pyganeti.hypervisor.registry import get_hypervisor_class

                get_hypervisor_class(hv_name).check_parameter_syntax(
                    cluster.get("hvparams", {}).get(hv_name, {})
                )
            except errors.GenericError as err:
                rep.report(ECLUSTERCFG, "", f"hypervisor {hv_name} parameters: {err}")
        for node in nodes.values():
            if node.get("group") not in groups:
                rep.report(ECLUSTERCFG, "", f"node {node['name']} is in an unknown group")
        self.feedback("* Verifying all nodes belong to an existing group")
        disks_seen: dict[str, str] = {}
        for inst in self.cfg.values("instances"):
            if inst.get("primary_node") not in nodes:
                rep.report(
                    ECLUSTERDANGLINGINST,
                    "",
                    f"instance {inst['name']} has a non-existing primary node",
                )
            for disk in inst.get("disks", []):
                if self.cfg.get("disks", disk) is None:
                    rep.report(ECLUSTERCFG, "", f"instance {inst['name']} uses missing disk {disk}")
                if disk in disks_seen:
                    rep.report(
                        ECLUSTERCFG,
                        "",
                        f"disk {disk} is used by instances {disks_seen[disk]} and {inst['name']}",
                    )
                disks_seen[disk] = inst["name"]
            if inst.get("disk_template") not in cluster.get("enabled_disk_templates", []):
                rep.report(
                    ECLUSTERCFG,
                    "",
                    f"instance {inst['name']} uses disk template"
                    f" {inst.get('disk_template')}, which is not enabled",
                    WARNING,
                )
        orphans = set(d["uuid"] for d in self.cfg.values("disks")) - set(disks_seen)
        for disk in sorted(orphans):
            rep.report(ECLUSTERCFG, "", f"disk {disk} belongs to no instance", WARNING)
        return not rep.bad


class LUClusterVerifyGroup(LogicalUnit):
    HPATH = "cluster-verify"
    HTYPE = "CLUSTER"

    def expand_names(self) -> None:
        self.group = self.cfg.expand("nodegroups", self.op.group_name)
        self.needed_locks[Level.NODEGROUP] = [self.group["name"]]
        self.share_locks[Level.NODEGROUP] = True
        self.lock_all(Level.INSTANCE, Level.NODE, shared=True)

    def build_hooks_nodes(self) -> tuple[list[str], list[str]]:
        return [], [
            n["uuid"]
            for n in self.cfg.values("nodes")
            if n.get("group") == self.group["uuid"] and not n.get("offline")
        ]

    def build_hooks_env(self) -> dict[str, Any]:
        return {"CLUSTER_TAGS": " ".join(self.cfg.cluster.get("tags", []))}

    def exec(self) -> Any:
        rep = _Reporter(self)
        cluster = self.cfg.cluster
        nodes = [n for n in self.cfg.values("nodes") if n.get("group") == self.group["uuid"]]
        by_uuid = {n["uuid"]: n for n in nodes}
        instances = [i for i in self.cfg.values("instances") if i["primary_node"] in by_uuid]
        self.feedback(f"* Verifying group '{self.group['name']}'")
        self.feedback(f"* Gathering data ({len(nodes)} nodes)")
        hvs = list(cluster.get("enabled_hypervisors", []))
        all_hvparams = {hv: cluster.get("hvparams", {}).get(hv, {}) for hv in hvs}
        # Only the storage directories of enabled templates must be allowed.
        enabled = cluster.get("enabled_disk_templates", [])
        paths = [
            cluster[key]
            for template, key in (
                (model.DT_FILE, "file_storage_dir"),
                (model.DT_SHARED_FILE, "shared_file_storage_dir"),
            )
            if template in enabled and cluster.get(key)
        ]
        running: dict[str, dict[str, Any]] = {}
        self.feedback("* Verifying node status")
        for node in sorted(nodes, key=lambda n: n["name"]):
            if node.get("offline"):
                continue
            address = str(node["primary_ip"])
            try:
                result = self.rpc.call(
                    address,
                    "node_verify",
                    checks={
                        "version": None,
                        "hypervisor": hvs,
                        "hvparams": all_hvparams,
                        "file_storage_paths": paths,
                    },
                )
                running[node["uuid"]] = self.rpc.call(
                    address, "all_instances_info", hypervisors=hvs, all_hvparams=all_hvparams
                )
            except errors.GenericError as err:
                rep.report(ENODERPC, node["name"], f"while contacting node: {err}")
                continue
            self._check_node(rep, node, result)
        self.feedback("* Verifying instance status")
        for inst in sorted(instances, key=lambda i: i["name"]):
            node = by_uuid[inst["primary_node"]]
            if node.get("offline") or node["uuid"] not in running:
                continue
            live = running[node["uuid"]].get(inst["name"])
            if inst.get("admin_state") == model.ADMINST_UP and (
                not live or live.get("state") != "running"
            ):
                rep.report(
                    EINSTANCEDOWN,
                    inst["name"],
                    f"instance not running on its primary node {node['name']}",
                )
            be = params.fill_be(cluster, inst.get("beparams"))
            if (
                live
                and live.get("state") == "running"
                and int(live.get("memory", 0)) > int(be["maxmem"]) > 0
            ):
                rep.report(
                    EINSTANCEBADNODE,
                    inst["name"],
                    f"instance uses {live['memory']} MiB, more than its maximum {be['maxmem']} MiB",
                    WARNING,
                )
        known = {i["name"] for i in self.cfg.values("instances")}
        self.feedback("* Verifying orphan instances")
        for node_uuid, live_all in running.items():
            for name in sorted(set(live_all) - known):
                rep.report(
                    ENODEORPHANINSTANCE,
                    by_uuid[node_uuid]["name"],
                    f"instance {name} on node {by_uuid[node_uuid]['name']} is unknown",
                )
        return not rep.bad

    def _check_node(self, rep: _Reporter, node: dict[str, Any], result: dict[str, Any]) -> None:
        import pyganeti

        version = result.get("version")
        if version and version[0] != pyganeti.PROTOCOL_VERSION:
            rep.report(
                ENODEVERSION,
                node["name"],
                f"incompatible protocol versions: master {pyganeti.PROTOCOL_VERSION},"
                f" node {version[0]}",
            )
        for hv_name, problem in (result.get("hypervisor") or {}).items():
            if problem:
                rep.report(
                    ENODEHV, node["name"], f"hypervisor {hv_name} verify failure: '{problem}'"
                )
        for hv_name, problem in (result.get("hvparams") or {}).items():
            if problem:
                rep.report(
                    ENODEHV,
                    node["name"],
                    f"hypervisor {hv_name} parameter verify failure: '{problem}'",
                )
        for problem in result.get("file_storage_paths") or []:
            rep.report(ENODEFILESTORAGEPATHS, node["name"], problem)


class LUClusterVerifyDisks(NoHooksLU):
    """Nothing to repair without DRBD or LVM: report that no disks need activation."""

    def exec(self) -> Any:
        return {"jobs": []}

"""Collects what a query needs beyond the configuration: live instance and node state,
OS lists (from the nodes through node RPC), jobs and locks. Only the data the query's
fields actually need is collected (query.engine.required_data)."""

from __future__ import annotations

import functools
import os
import platform
import time
from collections.abc import Mapping, Sequence
from typing import Any, cast

from pyganeti import errors
from pyganeti.config.client import WConfdPool
from pyganeti.objects import params
from pyganeti.objects.model import ConfigDict
from pyganeti.paths import Paths
from pyganeti.query import fielddefs as fd
from pyganeti.query.context import QueryContext
from pyganeti.query.engine import required_data
from pyganeti.rpc.client import RpcClient


@functools.cache
def _arch_bits() -> str:
    # platform.architecture() forks `file` on every call: ask once per process.
    return platform.architecture()[0]


# The fake hypervisor says "user down"; the query layer speaks Ganeti's user_down.
_STATE_NAMES = {"user down": "user_down"}


class LiveData:
    def __init__(self, paths: Paths, rpc: RpcClient, wconfd: WConfdPool | None = None) -> None:
        self.paths = paths
        self.rpc = rpc
        self.wconfd = wconfd

    def context(
        self, what: str, fields: list[str], config: ConfigDict, queue: Any, qfilter: Any = None
    ) -> QueryContext:
        needs = required_data(what, fields, qfilter)
        ctx = QueryContext(config=config, arch_info=(_arch_bits(), os.uname().machine))
        online = [n for n in config["nodes"].values() if not n.get("offline")]
        unreachable: set[str] = set()
        if fd.DATA_LIVE_INSTANCES in needs:
            ctx.live_instances = self._instances(config, online, unreachable)
        if fd.DATA_LIVE_NODES in needs:
            ctx.live_nodes = self._nodes(config, online, unreachable)
        if fd.DATA_CONSOLE in needs:
            if ctx.live_instances is None:
                ctx.live_instances = self._instances(config, online, unreachable)
            ctx.console = self._consoles(config, ctx.live_instances)
        if fd.DATA_OS in needs:
            ctx.os_list = list(self._os_list(config, online, unreachable))
        if fd.DATA_JOBS in needs and queue is not None:
            ctx.jobs = [
                cast(Mapping[str, Any], {**j.serialize(), "archived": j.archived})
                for j in queue.all_jobs(include_archived=True)
            ]
        if fd.DATA_LOCKS in needs and self.wconfd is not None:
            ctx.locks = [cast(Mapping[str, Any], lk) for lk in self.wconfd.list_locks()]
        if fd.DATA_QUEUE in needs:
            ctx.queue_drained = self.paths.queue_drain_file.exists()
            ctx.watcher_pause = _watcher_pause(self.paths)
        ctx.unreachable_nodes = frozenset(unreachable)
        return ctx

    def _hv_args(self, config: ConfigDict) -> dict[str, Any]:
        hvs = list(config["cluster"].get("enabled_hypervisors", []))
        return {
            "hypervisors": hvs,
            "all_hvparams": {hv: config["cluster"].get("hvparams", {}).get(hv, {}) for hv in hvs},
        }

    def _instances(
        self, config: ConfigDict, online: Sequence[Mapping[str, Any]], unreachable: set[str]
    ) -> dict[str, dict[str, Any]]:
        results = self.rpc.call_many(
            [str(n["primary_ip"]) for n in online], "all_instances_info", **self._hv_args(config)
        )
        live: dict[str, dict[str, Any]] = {}
        for node in online:
            res = results.get(str(node["primary_ip"]))
            if res is None or res.fail_msg:
                unreachable.add(node["uuid"])
                continue
            for name, info in (res.payload or {}).items():
                state = _STATE_NAMES.get(info.get("state"), info.get("state"))
                live[name] = dict(info, state=state, node=node["uuid"])
        return live

    def _nodes(
        self, config: ConfigDict, online: Sequence[Mapping[str, Any]], unreachable: set[str]
    ) -> dict[str, dict[str, Any]]:
        cluster = config["cluster"]
        hvs = list(cluster.get("enabled_hypervisors", []))[:1]
        storage = []
        if cluster.get("file_storage_dir"):
            storage.append(["file", cluster["file_storage_dir"], []])
        results = self.rpc.call_many(
            [str(n["primary_ip"]) for n in online], "node_info", storage_units=storage, hv_names=hvs
        )
        live: dict[str, dict[str, Any]] = {}
        for node in online:
            res = results.get(str(node["primary_ip"]))
            if res is None or res.fail_msg:
                unreachable.add(node["uuid"])
                continue
            live[node["uuid"]] = _flatten_node_info(res.payload or {})
        return live

    def _consoles(
        self, config: ConfigDict, live: Mapping[str, Mapping[str, Any]]
    ) -> dict[str, Any]:
        """How to reach the console of each running instance (from its node)."""
        out: dict[str, Any] = {}
        for inst in config["instances"].values():
            state = live.get(inst["name"], {}).get("state")
            node = config["nodes"].get(inst["primary_node"])
            if state != "running" or node is None:
                continue
            disks = [config["disks"][u] for u in inst.get("disks", []) if u in config["disks"]]
            filled = params.filled_instance(config["cluster"], inst, disks)  # type: ignore[arg-type]
            try:
                out[inst["name"]] = self.rpc.call(
                    str(node["primary_ip"]), "instance_console_info", instance=filled
                )
            except errors.GenericError:
                continue
        return out

    def _os_list(
        self, config: ConfigDict, online: Sequence[Mapping[str, Any]], unreachable: set[str]
    ) -> list[dict[str, Any]]:
        cluster = config["cluster"]
        results = self.rpc.call_many([str(n["primary_ip"]) for n in online], "os_diagnose")
        merged: dict[str, dict[str, Any]] = {}
        answered = 0
        for node in online:
            res = results.get(str(node["primary_ip"]))
            if res is None or res.fail_msg:
                unreachable.add(node["uuid"])
                continue
            answered += 1
            for item in res.payload or []:
                name = item["name"]
                entry = merged.setdefault(
                    name,
                    {
                        "name": name,
                        "valid": True,
                        "variants": None,
                        "api_versions": None,
                        "parameters": None,
                        "node_status": {},
                        "trusted": True,
                        "seen": 0,
                    },
                )
                entry["seen"] += 1
                entry["valid"] = entry["valid"] and bool(item.get("status"))
                entry["trusted"] = entry["trusted"] and bool(item.get("trusted", True))
                for key in ("variants", "api_versions"):
                    values = set(item.get(key) or [])
                    entry[key] = values if entry[key] is None else entry[key] & values
                params = {tuple(p) for p in item.get("parameters") or []}
                entry["parameters"] = (
                    params if entry["parameters"] is None else entry["parameters"] & params
                )
                entry["node_status"][node["name"]] = [
                    [
                        item.get("path"),
                        bool(item.get("status")),
                        item.get("diagnose", ""),
                        item.get("variants") or [],
                        item.get("parameters") or [],
                        item.get("api_versions") or [],
                        bool(item.get("trusted", True)),
                    ]
                ]
        out = []
        for entry in merged.values():
            # An OS missing on some node is not valid cluster-wide.
            valid = entry.pop("seen") == answered and entry["valid"]
            out.append(
                dict(
                    entry,
                    valid=valid,
                    variants=sorted(entry["variants"] or []),
                    api_versions=sorted(entry["api_versions"] or []),
                    parameters=sorted(list(p) for p in entry["parameters"] or []),
                    hidden=entry["name"] in cluster.get("hidden_os", []),
                    blacklisted=entry["name"] in cluster.get("blacklisted_os", []),
                    os_hvp=cluster.get("os_hvp", {}).get(entry["name"], {}),
                    osparams=cluster.get("osparams", {}).get(entry["name"], {}),
                )
            )
        return out


def _flatten_node_info(info: Mapping[str, Any]) -> dict[str, Any]:
    """Node RPC node_info → the flat keys the node query fields read."""
    mem = info.get("memory") or {}
    cpu = info.get("cpu") or {}
    hv = (info.get("hv") or [{}])[0] if info.get("hv") else {}
    out: dict[str, Any] = {"bootid": info.get("bootid")}
    out["memory_total"] = hv.get("memory_total", mem.get("memory_total"))
    out["memory_free"] = hv.get("memory_free", mem.get("memory_free"))
    out["memory_dom0"] = hv.get("memory_dom0", mem.get("memory_dom0"))
    out["cpu_total"] = hv.get("cpu_total", cpu.get("cpu_total"))
    out["cpu_nodes"] = hv.get("cpu_nodes", cpu.get("cpu_nodes"))
    out["cpu_sockets"] = hv.get("cpu_sockets", cpu.get("cpu_sockets"))
    out["cpu_dom0"] = hv.get("cpu_dom0", cpu.get("cpu_dom0"))
    storage = info.get("storage") or []
    if storage:
        first = storage[0]
        out["disk_total"] = first.get("storage_size")
        out["disk_free"] = first.get("storage_free")
    return out


def _watcher_pause(paths: Paths) -> float | None:
    try:
        until = float(paths.watcher_pause_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return until if until > time.time() else None


__all__ = ["LiveData", "errors"]

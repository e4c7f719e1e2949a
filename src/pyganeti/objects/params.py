"""Parameter inheritance: cluster → node group → instance, as Ganeti fills them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyganeti.objects.defaults import PP_DEFAULT
from pyganeti.objects.model import InstanceDict, NodeDict, NodeGroupDict

# A value of "default" in a modification removes the override (Ganeti's VALUE_DEFAULT).
VALUE_DEFAULT = "default"


def fill_dict(
    defaults: Mapping[str, Any] | None,
    custom: Mapping[str, Any] | None,
    skip_keys: Iterable[str] = (),
) -> dict[str, Any]:
    """`defaults` overridden by `custom` (Ganeti's FillDict).

    A shallow copy: configuration dicts are never mutated, so sharing nested values is
    safe and keeps per-object queries cheap.
    """
    out = dict(defaults or {})
    if custom:
        out.update(custom)
    for key in skip_keys:
        out.pop(key, None)
    return out


def update_params(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a modification: a value of "default" (or None) drops the override."""
    out = dict(current)
    for key, value in changes.items():
        if value is None or value == VALUE_DEFAULT:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def os_base_name(os_name: str) -> str:
    """ "debootstrap+default" → "debootstrap"."""
    return os_name.split("+", 1)[0]


def fill_hv(
    cluster: Mapping[str, Any],
    hv_name: str,
    os_name: str | None,
    hvparams: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Instance hypervisor parameters over OS-specific over cluster defaults."""
    base = dict(cluster.get("hvparams", {}).get(hv_name, {}))
    if os_name:
        base.update(cluster.get("os_hvp", {}).get(os_name, {}).get(hv_name, {}))
    return fill_dict(base, hvparams)


def fill_be(cluster: Mapping[str, Any], beparams: Mapping[str, Any] | None) -> dict[str, Any]:
    return fill_dict(cluster.get("beparams", {}).get(PP_DEFAULT, {}), beparams)


def fill_nic(cluster: Mapping[str, Any], nicparams: Mapping[str, Any] | None) -> dict[str, Any]:
    return fill_dict(cluster.get("nicparams", {}).get(PP_DEFAULT, {}), nicparams)


def fill_os(
    cluster: Mapping[str, Any], os_name: str, osparams: Mapping[str, Any] | None
) -> dict[str, Any]:
    """OS parameters: instance over "provider+variant" over "provider" cluster defaults."""
    cl_os = cluster.get("osparams", {})
    base = fill_dict(cl_os.get(os_base_name(os_name), {}), cl_os.get(os_name, {}))
    return fill_dict(base, osparams)


def fill_nd(
    cluster: Mapping[str, Any], group: NodeGroupDict | None, node: NodeDict | None
) -> dict[str, Any]:
    """Node parameters: node over group over cluster."""
    out = dict(cluster.get("ndparams", {}))
    if group is not None:
        out.update(group.get("ndparams", {}))
    if node is not None:
        out.update(node.get("ndparams", {}))
    return out


def fill_disk_params(
    cluster: Mapping[str, Any], group: NodeGroupDict | None, template: str
) -> dict[str, Any]:
    out = dict(cluster.get("diskparams", {}).get(template, {}))
    if group is not None:
        out.update(group.get("diskparams", {}).get(template, {}))
    return out


def fill_ipolicy(cluster: Mapping[str, Any], group: NodeGroupDict | None) -> dict[str, Any]:
    return fill_dict(cluster.get("ipolicy", {}), group.get("ipolicy") if group else None)


def filled_instance(
    cluster: Mapping[str, Any], inst: InstanceDict, disks: list[dict[str, Any]]
) -> dict[str, Any]:
    """The instance as sent to a node: parameters filled, disk dicts expanded."""
    out: dict[str, Any] = dict(inst)
    out["hvparams"] = fill_hv(cluster, inst["hypervisor"], inst.get("os"), inst.get("hvparams"))
    out["beparams"] = fill_be(cluster, inst.get("beparams"))
    out["osparams"] = fill_os(cluster, inst.get("os", ""), inst.get("osparams"))
    out["nics"] = [
        dict(nic, nicparams=fill_nic(cluster, nic.get("nicparams"))) for nic in inst.get("nics", [])
    ]
    out["disks"] = disks
    return out

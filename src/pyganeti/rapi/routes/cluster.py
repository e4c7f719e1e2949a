"""Cluster-wide resources: /, /version, /2, /2/info, /2/features, /2/os, /2/modify,
/2/redistribute-config and /2/tags.
"""

from __future__ import annotations

from typing import Any

from pyganeti.http.messages import HttpError
from pyganeti.opcodes.cluster import OpClusterRedistConf, OpClusterSetParams
from pyganeti.opcodes.providers import OpOsDiagnose
from pyganeti.rapi.endpoint import Call, Endpoint
from pyganeti.rapi.opjobs import op_endpoint, reason_trail, submit, wait_for_job
from pyganeti.rapi.routes.listing import OBJECT_SCHEMA
from pyganeti.rapi.routes.tags import tag_endpoints

RAPI_VERSION = 2
#: Optional features this server implements (Ganeti's ALL_FEATURES).
FEATURES = [
    "instance-create-reqv1",
    "instance-reinstall-reqv1",
    "node-migrate-reqv1",
    "node-evac-res1",
]
#: /2/info also answers these older names (Ganeti's GET_ALIASES).
INFO_ALIASES = {"volume_group_name": "vg_name", "drbd_usermode_helper": "drbd_helper"}


def get_root(_call: Call) -> None:
    return None


def get_version(_call: Call) -> int:
    return RAPI_VERSION


def get_info(call: Call) -> dict[str, Any]:
    info = call.luxi.query_cluster_info()
    for name, alias in INFO_ALIASES.items():
        if name in info:
            info[alias] = info[name]
    return info


def get_features(_call: Call) -> list[str]:
    return list(FEATURES)


def get_os(call: Call) -> list[str]:
    """OS names with their variants, from an OS diagnose job (as Ganeti does)."""
    op = OpOsDiagnose(
        output_fields=["name", "variants"], names=[], reason=reason_trail(call, "os")
    ).to_dict()
    job_id = submit(call.luxi, [op])
    status, opresult = wait_for_job(call.luxi, job_id)
    data = opresult[0] if status == "success" and opresult else None
    if not isinstance(data, list):
        raise HttpError(502, f"Can't get OS list (job {job_id} ended {status}: {opresult})")
    names: list[str] = []
    for name, variants in data:
        if variants:
            names.extend(f"{name}+{variant}" for variant in variants)
        else:
            names.append(name)
    return names


_NULL: dict[str, Any] = {"type": "null"}
_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}

ENDPOINTS: list[Endpoint] = [
    Endpoint("GET", "/", get_root, "Legacy root resource (null)", result_schema=_NULL),
    Endpoint("GET", "/2", get_root, "API version 2 root (null)", result_schema=_NULL),
    Endpoint(
        "GET",
        "/version",
        get_version,
        "Remote API version (2)",
        result_schema={"type": "integer", "const": RAPI_VERSION},
    ),
    Endpoint("GET", "/2/info", get_info, "Cluster information", result_schema=OBJECT_SCHEMA),
    Endpoint("GET", "/2/features", get_features, "Optional features", result_schema=_STRINGS),
    Endpoint("GET", "/2/os", get_os, "Operating systems (name+variant)", result_schema=_STRINGS),
    op_endpoint(
        "PUT",
        "/2/modify",
        OpClusterSetParams,
        "Modify cluster parameters",
        forbidden=("compression_tools",),
    ),
    op_endpoint(
        "PUT",
        "/2/redistribute-config",
        OpClusterRedistConf,
        "Redistribute the configuration to all nodes",
        body=False,
    ),
    *tag_endpoints("cluster", "/2", None),
]

"""Static types of the configuration objects, in Ganeti 3.0's config.data layout."""

from __future__ import annotations

from typing import Any, TypedDict

# Config sections holding objects keyed by UUID.
KINDS = ("nodes", "nodegroups", "instances", "networks", "disks", "filters")

ADMINST_UP = "up"
ADMINST_DOWN = "down"
ADMINST_OFFLINE = "offline"
ADMIN_STATES = (ADMINST_UP, ADMINST_DOWN, ADMINST_OFFLINE)

# Who last changed an instance's admin state (Ganeti's admin_state_source).
ADMIN_SOURCE = "admin"
USER_SOURCE = "user"

DT_DISKLESS = "diskless"
DT_FILE = "file"
DT_SHARED_FILE = "sharedfile"
DT_PLAIN = "plain"
DT_DRBD8 = "drbd"
DT_RBD = "rbd"
DT_EXT = "ext"
DT_BLOCK = "blockdev"
DT_GLUSTER = "gluster"
DISK_TEMPLATES = (
    DT_DISKLESS,
    DT_FILE,
    DT_SHARED_FILE,
    DT_PLAIN,
    DT_DRBD8,
    DT_RBD,
    DT_EXT,
    DT_BLOCK,
    DT_GLUSTER,
)
# Templates whose backends exist in this release (others are refused clearly).
SUPPORTED_DISK_TEMPLATES = (DT_DISKLESS, DT_FILE, DT_SHARED_FILE)
FILE_TEMPLATES = (DT_FILE, DT_SHARED_FILE)


class Timestamped(TypedDict, total=False):
    uuid: str
    serial_no: int
    ctime: float
    mtime: float


class NICDict(TypedDict, total=False):
    uuid: str
    name: str | None
    mac: str
    ip: str | None
    network: str | None
    nicparams: dict[str, Any]
    netinfo: dict[str, Any] | None
    hvinfo: dict[str, Any]


class DiskDict(Timestamped, total=False):
    name: str | None
    dev_type: str
    logical_id: list[Any]
    children: list[Any]
    nodes: list[str]
    iv_name: str
    size: int
    mode: str
    params: dict[str, Any]
    spindles: int | None
    forthcoming: bool


class InstanceDict(Timestamped, total=False):
    name: str
    primary_node: str
    secondary_nodes: list[str]
    os: str
    hypervisor: str
    hvparams: dict[str, Any]
    beparams: dict[str, Any]
    osparams: dict[str, Any]
    osparams_private: dict[str, Any]
    admin_state: str
    admin_state_source: str
    nics: list[NICDict]
    disks: list[str]
    disk_template: str
    disks_active: bool
    network_port: int | None
    tags: list[str]
    forthcoming: bool


class NodeDict(Timestamped, total=False):
    name: str
    primary_ip: str
    secondary_ip: str
    master_candidate: bool
    offline: bool
    drained: bool
    group: str
    master_capable: bool
    vm_capable: bool
    ndparams: dict[str, Any]
    powered: bool
    hv_state_static: dict[str, Any]
    disk_state_static: dict[str, Any]
    tags: list[str]


class NodeGroupDict(Timestamped, total=False):
    name: str
    ndparams: dict[str, Any]
    diskparams: dict[str, Any]
    ipolicy: dict[str, Any]
    hv_state_static: dict[str, Any]
    disk_state_static: dict[str, Any]
    alloc_policy: str
    networks: dict[str, Any]
    tags: list[str]


class NetworkDict(Timestamped, total=False):
    name: str
    mac_prefix: str | None
    network: str
    network6: str | None
    gateway: str | None
    gateway6: str | None
    reservations: str
    ext_reservations: str
    tags: list[str]


class ConfigDict(TypedDict):
    version: int
    cluster: dict[str, Any]
    nodes: dict[str, NodeDict]
    nodegroups: dict[str, NodeGroupDict]
    instances: dict[str, InstanceDict]
    networks: dict[str, NetworkDict]
    disks: dict[str, DiskDict]
    filters: dict[str, dict[str, Any]]
    serial_no: int
    ctime: float
    mtime: float

"""The closed value sets opcode parameters draw from, as ``Literal`` types.

Values are Ganeti 3.0's (constants.py); ``values_of`` lists a set at run time.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

DiskTemplate = Literal[
    "blockdev", "diskless", "drbd", "ext", "file", "gluster", "plain", "rbd", "sharedfile"
]
Hypervisor = Literal["chroot", "fake", "kvm", "lxc", "xen-hvm", "xen-pvm"]
StorageType = Literal[
    "blockdev", "diskless", "ext", "file", "gluster", "lvm-pv", "lvm-vg", "rados", "sharedfile"
]
FileDriver = Literal["blktap", "blktap2", "loop"]
MigrationMode = Literal["live", "non-live"]
NicMode = Literal["bridged", "openvswitch", "pool", "routed"]
#: Keys a NIC definition may carry (Ganeti's INIC_PARAMS).
NicParamName = Literal["bridge", "ip", "link", "mac", "mode", "name", "network", "vlan"]
InstanceCreateMode = Literal["create", "import", "remote-import"]
RebootType = Literal["full", "hard", "soft"]
ReplaceDisksMode = Literal[
    "replace_auto", "replace_new_secondary", "replace_on_primary", "replace_on_secondary"
]
AdminStateSource = Literal["admin", "user"]
EvacMode = Literal["all", "primary-only", "secondary-only"]
AllocPolicy = Literal["preferred", "last_resort", "unallocable"]
ExportMode = Literal["local", "remote"]
OobCommand = Literal["health", "power-cycle", "power-off", "power-on", "power-status"]
TagKind = Literal["cluster", "instance", "network", "node", "nodegroup"]
#: Resources OpQuery/OpQueryFields accept: those answered by opcodes and by luxi.
QueryResource = Literal[
    "cluster", "extstorage", "os",
    "export", "filter", "group", "instance", "job", "lock", "network", "node",
]  # fmt: skip
#: Device modification actions of the old two-item form and of cluster OS lists.
DeviceAction = Literal["add", "attach", "detach", "remove"]
#: Device modification actions of the three-item form, which can also modify.
DeviceActionWithModify = Literal["add", "attach", "detach", "modify", "remove"]
VerifyOptionalCheck = Literal["nplusone_mem"]
SshKeyType = Literal["dsa", "ecdsa", "rsa"]
IAllocatorDirection = Literal["in", "out"]
IAllocatorMode = Literal[
    "allocate", "allocate-secondary", "change-group", "multi-allocate", "node-evacuate", "relocate"
]
#: Job statuses a dependency may wait for: the final ones.
FinalizedJobStatus = Literal["canceled", "error", "success"]
#: Error codes of cluster verification (for ignore_errors).
ClusterVerifyErrorCode = Literal[
    "ECLUSTERCERT", "ECLUSTERCFG", "ECLUSTERCLIENTCERT", "ECLUSTERDANGLINGINST",
    "ECLUSTERDANGLINGNODES", "ECLUSTERFILECHECK", "EEXTAGS", "EGROUPDIFFERENTPVSIZE",
    "EINSTANCEBADNODE", "EINSTANCEDOWN", "EINSTANCEFAULTYDISK", "EINSTANCELAYOUT",
    "EINSTANCEMISSINGCFGPARAMETER", "EINSTANCEMISSINGDISK", "EINSTANCEPOLICY",
    "EINSTANCESPLITGROUPS", "EINSTANCEUNSUITABLENODE", "EINSTANCEWRONGNODE", "ENODEDRBD",
    "ENODEDRBDHELPER", "ENODEDRBDVERSION", "ENODEFILECHECK", "ENODEFILESTORAGEPATHS",
    "ENODEFILESTORAGEPATHUNUSABLE", "ENODEGLUSTERSTORAGEPATHUNUSABLE", "ENODEHOOKS", "ENODEHV",
    "ENODELVM", "ENODEN1", "ENODENET", "ENODEOOBPATH", "ENODEORPHANINSTANCE", "ENODEORPHANLV",
    "ENODEOS", "ENODERPC", "ENODESETUP", "ENODESHAREDFILESTORAGEPATHUNUSABLE", "ENODESSH",
    "ENODETIME", "ENODEUSERSCRIPTS", "ENODEVERSION",
]  # fmt: skip


def values_of(literal: Any) -> tuple[Any, ...]:
    """The members of one of the Literal types above, in declaration order."""
    return get_args(literal)

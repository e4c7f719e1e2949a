"""Instance lifecycle opcodes: create (one or many), reinstall, rename, change, remove, query."""

from typing import Any, ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import DiskTemplate, FileDriver, Hypervisor, InstanceCreateMode
from pyganeti.opcodes.types import (
    DiskModifications,
    DiskParams,
    JsonObject,
    MaybeBool,
    MaybeJsonObject,
    MaybePositiveInt,
    MaybeString,
    NicModifications,
    NicParams,
    NonEmptyString,
    NonEmptyStringList,
    NonNegativeInt,
    PrivateObject,
    SecretObject,
)


@opcode
class OpInstanceCreate(OpCode):
    """Create an instance: allocate its disks and NICs, install or import its OS, start it.

    Remote imports also carry the source's signed handshake, X509 CA and old name.
    """

    OP_ID: ClassVar[str] = "OP_INSTANCE_CREATE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param("Name of the new instance")
    force_variant: bool = param(g.FORCE_VARIANT, default=False)
    wait_for_sync: bool = param(g.WAIT_FOR_SYNC, default=True)
    name_check: bool = param(g.NAME_CHECK, default=True)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    opportunistic_locking: bool = param(
        "Let the allocator consider only nodes no other job holds locked", default=False
    )
    beparams: JsonObject = param(g.BEPARAMS, default={})
    disks: list[DiskParams] = param(g.DISKS)
    disk_template: DiskTemplate | None = param(g.DISK_TEMPLATE, default=None)
    group_name: MaybeString = param("Node group to place the instance in", default=None)
    file_driver: FileDriver | None = param(g.FILE_DRIVER, default=None)
    file_storage_dir: MaybeString = param(g.FILE_STORAGE_DIR, default=None)
    hvparams: JsonObject = param(g.HVPARAMS, default={})
    hypervisor: Hypervisor | None = param(g.HYPERVISOR, default=None)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    identify_defaults: bool = param(
        "Store parameters equal to the cluster defaults as defaults", default=False
    )
    ip_check: bool = param(g.IP_CHECK, default=True)
    conflicts_check: bool = param(g.CONFLICTS_CHECK, default=True)
    mode: InstanceCreateMode = param("Create from scratch, import, or import remotely")
    nics: list[NicParams] = param(g.NICS)
    no_install: MaybeBool = param(
        "Skip the OS installation (and so do not start the instance)", default=None
    )
    osparams: JsonObject = param(g.OSPARAMS, default={})
    osparams_private: PrivateObject | None = param(g.OSPARAMS_PRIVATE, default=None)
    osparams_secret: SecretObject | None = param(g.OSPARAMS_SECRET, default=None)
    os_type: MaybeString = param(g.OS_TYPE, default=None)
    pnode: MaybeString = param(g.PNODE, default=None)
    pnode_uuid: MaybeString = param(g.PNODE_UUID, default=None)
    snode: MaybeString = param(g.SNODE, default=None)
    snode_uuid: MaybeString = param(g.SNODE_UUID, default=None)
    source_handshake: list[Any] | None = param(
        "Signed handshake of the source cluster (remote import)", default=None
    )
    source_instance_name: MaybeString = param(
        "Name of the instance on the source cluster (remote import)", default=None
    )
    source_shutdown_timeout: NonNegativeInt = param(
        "Seconds the source instance had to shut down (remote import)", default=120
    )
    source_x509_ca: MaybeString = param(
        "X509 CA of the source cluster in PEM format (remote import)", default=None
    )
    src_node: MaybeString = param("Node holding the export to import", default=None)
    src_node_uuid: MaybeString = param(
        "UUID of the source node, filled in once the name is resolved", default=None
    )
    src_path: MaybeString = param("Directory of the export to import", default=None)
    compress: str = param(g.COMPRESS, default="none")
    start: bool = param("Start the instance once created", default=True)
    forthcoming: bool = param("Only reserve the resources, create nothing yet", default=False)
    commit: bool = param("Create an instance whose resources were reserved", default=False)
    tags: NonEmptyStringList = param("Tags of the new instance", default=[])
    instance_communication: bool = param(
        "Connect the instance to the metadata communication network", default=False
    )
    helper_startup_timeout: int | None = param(
        "Seconds the OS installation helper VM may take to start", default=None
    )
    helper_shutdown_timeout: int | None = param(
        "Seconds the OS installation helper VM may take to shut down", default=None
    )


@opcode
class OpInstanceMultiAlloc(OpCode):
    """Allocate nodes for several new instances at once, then create each in its own job."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_MULTI_ALLOC"

    opportunistic_locking: bool = param(
        "Let the allocator consider only nodes no other job holds locked", default=False
    )
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    instances: list[OpInstanceCreate] = param(
        "Creation opcodes of the instances to allocate", default=[]
    )


@opcode
class OpInstanceReinstall(OpCode):
    """Reinstall the OS of a stopped instance, erasing its disks."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_REINSTALL"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    force_variant: bool = param(g.FORCE_VARIANT, default=False)
    os_type: MaybeString = param("OS to install instead of the current one", default=None)
    osparams: MaybeJsonObject = param("OS parameters for this installation only", default=None)
    osparams_private: PrivateObject | None = param(
        "Private OS parameters for this installation only", default=None
    )
    osparams_secret: SecretObject | None = param(
        "Secret OS parameters for this installation only", default=None
    )


@opcode
class OpInstanceRemove(OpCode):
    """Shut an instance down and remove it with its disks."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_REMOVE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    shutdown_timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)
    ignore_failures: bool = param(
        "Remove the instance from the configuration even if cleanup fails", default=False
    )


@opcode
class OpInstanceRename(OpCode):
    """Rename an instance."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_RENAME"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    new_name: NonEmptyString = param("New name of the instance")
    name_check: bool = param(g.NAME_CHECK, default=True)
    ip_check: bool = param(g.IP_CHECK, default=True)


@opcode
class OpInstanceConsole(OpCode):
    """Return how to reach an instance's console."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_CONSOLE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)


@opcode
class OpInstanceQueryData(OpCode):
    """Return detailed configuration and run-time data of instances."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_QUERY_DATA"

    use_locking: bool = param(g.USE_LOCKING, default=False)
    instances: NonEmptyStringList = param("Instances to report on; all if empty", default=[])
    static: bool = param("Report only configuration data, query no node", default=False)


@opcode
class OpInstanceSetParams(OpCode):
    """Change an instance's devices and parameters; unset parameters stay as they are."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_SET_PARAMS"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    force: bool = param(g.FORCE, default=False)
    force_variant: bool = param(g.FORCE_VARIANT, default=False)
    ignore_ipolicy: bool = param(g.IGNORE_IPOLICY, default=False)
    nics: NicModifications = param(
        "NIC changes: [action, index or name, parameters] items", default=[]
    )
    disks: DiskModifications = param(
        "Disk changes: [action, index or name, parameters] items", default=[]
    )
    beparams: JsonObject = param(g.BEPARAMS, default={})
    runtime_mem: MaybePositiveInt = param(
        "Memory to give the running instance now, in MiB", default=None
    )
    hvparams: JsonObject = param(g.HVPARAMS, default={})
    disk_template: DiskTemplate | None = param(
        "Disk template to convert the instance to", default=None
    )
    ext_params: JsonObject = param(
        "ExtStorage parameters for a conversion to the ext template", default={}
    )
    file_driver: FileDriver | None = param(g.FILE_DRIVER, default=None)
    file_storage_dir: MaybeString = param(g.FILE_STORAGE_DIR, default=None)
    pnode: MaybeString = param("New primary node (offline instances only)", default=None)
    pnode_uuid: MaybeString = param(g.PNODE_UUID, default=None)
    remote_node: MaybeString = param(
        "Secondary node for a conversion to a mirrored template", default=None
    )
    remote_node_uuid: MaybeString = param(g.REMOTE_NODE_UUID, default=None)
    iallocator: MaybeString = param(g.IALLOCATOR, default=None)
    os_name: MaybeString = param("Change the OS recorded, without reinstalling", default=None)
    osparams: JsonObject = param(g.OSPARAMS, default={})
    osparams_private: PrivateObject | None = param(g.OSPARAMS_PRIVATE, default=None)
    wait_for_sync: bool = param(g.WAIT_FOR_SYNC, default=True)
    offline: MaybeBool = param("Mark the instance offline or online", default=None)
    conflicts_check: bool = param(g.CONFLICTS_CHECK, default=True)
    hotplug: bool = param("Apply device changes to the running instance", default=False)
    hotplug_if_possible: bool = param(
        "Apply device changes to the running instance where the hypervisor can",
        default=False,
    )
    instance_communication: MaybeBool = param(
        "Connect or disconnect the metadata communication network", default=None
    )

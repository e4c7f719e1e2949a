"""Cluster-wide opcodes: lifecycle, verification, configuration and crypto renewal."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import (
    ClusterVerifyErrorCode,
    DiskTemplate,
    Hypervisor,
    SshKeyType,
    VerifyOptionalCheck,
)
from pyganeti.opcodes.types import (
    JsonObject,
    JsonObjectsByName,
    MaybeBool,
    MaybeJsonObject,
    MaybeNonEmptyStringList,
    MaybeNonNegativeInt,
    MaybePositiveInt,
    MaybeString,
    NicParams,
    NonEmptyString,
    NonEmptyStringList,
    OsListChanges,
    PrivateObject,
)

UidRanges = list[tuple[int, int]] | None


@opcode
class OpClusterPostInit(OpCode):
    """Run the post-initialization hooks; changes nothing in the cluster."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_POST_INIT"


@opcode
class OpClusterDestroy(OpCode):
    """Destroy the cluster; all state is lost for good. Returns the master node's name."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_DESTROY"


@opcode
class OpClusterQuery(OpCode):
    """Return the cluster's information (name, parameters, versions...)."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_QUERY"


@opcode
class OpClusterVerify(OpCode):
    """Submit the jobs verifying the configuration and every node group."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_VERIFY"

    debug_simulate_errors: bool = param(g.DEBUG_SIMULATE_ERRORS, default=False)
    error_codes: bool = param(g.ERROR_CODES, default=False)
    skip_checks: list[VerifyOptionalCheck] = param(g.SKIP_CHECKS, default=[])
    ignore_errors: list[ClusterVerifyErrorCode] = param(g.IGNORE_ERRORS, default=[])
    verbose: bool = param(g.VERBOSE, default=False)
    group_name: MaybeString = param(g.MAYBE_GROUP_NAME, default=None)
    verify_clutter: bool = param(g.VERIFY_CLUTTER, default=False)


@opcode
class OpClusterVerifyConfig(OpCode):
    """Verify the cluster-wide configuration (not the nodes)."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_VERIFY_CONFIG"

    debug_simulate_errors: bool = param(g.DEBUG_SIMULATE_ERRORS, default=False)
    error_codes: bool = param(g.ERROR_CODES, default=False)
    ignore_errors: list[ClusterVerifyErrorCode] = param(g.IGNORE_ERRORS, default=[])
    verbose: bool = param(g.VERBOSE, default=False)


@opcode
class OpClusterVerifyGroup(OpCode):
    """Verify the nodes and instances of one node group."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_VERIFY_GROUP"
    OP_DSC_FIELD: ClassVar[str | None] = "group_name"

    group_name: NonEmptyString = param(g.GROUP_NAME)
    debug_simulate_errors: bool = param(g.DEBUG_SIMULATE_ERRORS, default=False)
    error_codes: bool = param(g.ERROR_CODES, default=False)
    skip_checks: list[VerifyOptionalCheck] = param(g.SKIP_CHECKS, default=[])
    ignore_errors: list[ClusterVerifyErrorCode] = param(g.IGNORE_ERRORS, default=[])
    verbose: bool = param(g.VERBOSE, default=False)
    verify_clutter: bool = param(g.VERIFY_CLUTTER, default=False)


@opcode
class OpClusterVerifyDisks(OpCode):
    """Submit jobs checking the disks of every node group (or of one)."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_VERIFY_DISKS"

    group_name: MaybeString = param(g.MAYBE_GROUP_NAME, default=None)


@opcode
class OpClusterRepairDiskSizes(OpCode):
    """Compare recorded disk sizes with the real ones and fix the configuration.

    Returns [instance, disk index, parameter, new size] for every correction.
    """

    OP_ID: ClassVar[str] = "OP_CLUSTER_REPAIR_DISK_SIZES"

    instances: NonEmptyStringList = param("Instances to check; all if empty", default=[])


@opcode
class OpClusterConfigQuery(OpCode):
    """Return selected cluster configuration values."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_CONFIG_QUERY"

    output_fields: NonEmptyStringList = param(g.OUTPUT_FIELDS)


@opcode
class OpClusterRename(OpCode):
    """Rename the cluster; the master IP follows the new name's address."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_RENAME"
    OP_DSC_FIELD: ClassVar[str | None] = "name"

    name: NonEmptyString = param("New name of the cluster")


@opcode
class OpClusterSetParams(OpCode):
    """Change cluster-wide parameters; every unset parameter stays as it is."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_SET_PARAMS"

    force: bool = param(g.FORCE, default=False)
    hv_state: MaybeJsonObject = param(g.HV_STATE, default=None)
    disk_state: MaybeJsonObject = param(g.DISK_STATE, default=None)
    vg_name: str | None = param("LVM volume group; an empty string disables LVM", default=None)
    enabled_hypervisors: list[Hypervisor] | None = param(
        "Hypervisors instances may use; the first is the default", default=None
    )
    hvparams: JsonObjectsByName | None = param("Per hypervisor parameter defaults", default=None)
    beparams: MaybeJsonObject = param("Backend parameter defaults", default=None)
    os_hvp: JsonObjectsByName | None = param(
        "Per OS hypervisor parameter defaults (keyed by OS, then hypervisor)", default=None
    )
    osparams: JsonObjectsByName | None = param("Per OS parameter defaults", default=None)
    osparams_private_cluster: dict[str, PrivateObject] | None = param(
        "Per OS private parameter defaults", default=None
    )
    diskparams: dict[DiskTemplate, JsonObject] | None = param(g.DISKPARAMS, default=None)
    candidate_pool_size: MaybePositiveInt = param(
        "Number of master candidates to maintain", default=None
    )
    max_running_jobs: MaybePositiveInt = param("Jobs allowed to run at once", default=None)
    max_tracked_jobs: MaybePositiveInt = param("Jobs kept tracked in the job queue", default=None)
    uid_pool: UidRanges = param(
        "Replace the user-id pool with these inclusive [first, last] ranges", default=None
    )
    add_uids: UidRanges = param("Add inclusive [first, last] user-id ranges", default=None)
    remove_uids: UidRanges = param("Remove inclusive [first, last] user-id ranges", default=None)
    maintain_node_health: MaybeBool = param(
        "Let the watcher shut down instances left on offline nodes", default=None
    )
    prealloc_wipe_disks: MaybeBool = param(
        "Wipe new disks before giving them to instances", default=None
    )
    nicparams: NicParams | None = param("NIC parameter defaults", default=None)
    ndparams: MaybeJsonObject = param("Node parameter defaults", default=None)
    ipolicy: MaybeJsonObject = param("Cluster instance policy", default=None)
    drbd_helper: str | None = param(
        "DRBD usermode helper; an empty string disables the check", default=None
    )
    default_iallocator: str | None = param(
        "Instance allocator used when none is given", default=None
    )
    default_iallocator_params: MaybeJsonObject = param(
        "Parameters passed to the default instance allocator", default=None
    )
    mac_prefix: MaybeString = param("MAC address prefix for new NICs", default=None)
    master_netdev: str | None = param("Network device carrying the master IP", default=None)
    master_netmask: MaybeNonNegativeInt = param("Prefix length of the master IP", default=None)
    reserved_lvs: MaybeNonEmptyStringList = param(
        "Logical volumes cluster verify must not report as orphans", default=None
    )
    hidden_os: OsListChanges | None = param(
        'Changes to the hidden OS list, as ["add" or "remove", OS name] pairs',
        default=None,
    )
    blacklisted_os: OsListChanges | None = param(
        'Changes to the blacklisted OS list, as ["add" or "remove", OS name] pairs',
        default=None,
    )
    use_external_mip_script: MaybeBool = param(
        "Configure the master IP with the user-supplied script", default=None
    )
    enabled_disk_templates: list[DiskTemplate] | None = param(
        "Disk templates instances may use; the first is the default", default=None
    )
    modify_etc_hosts: MaybeBool = param("Let Ganeti maintain /etc/hosts on the nodes", default=None)
    file_storage_dir: str | None = param("Directory for file-backed disks", default=None)
    shared_file_storage_dir: str | None = param(
        "Directory for shared-file-backed disks", default=None
    )
    gluster_storage_dir: str | None = param("Directory for Gluster-backed disks", default=None)
    install_image: str | None = param(
        "Image of the helper VM running OS scripts isolated from the node", default=None
    )
    instance_communication_network: str | None = param(
        "Network connecting instances with the metadata service", default=None
    )
    zeroing_image: str | None = param(
        "Image of the helper VM zeroing free disk space before export", default=None
    )
    compression_tools: MaybeNonEmptyStringList = param(
        "Compression tools allowed for moving data", default=None
    )
    enabled_user_shutdown: MaybeBool = param(
        "Let users shut instances down from inside", default=None
    )
    enabled_data_collectors: dict[str, bool] | None = param(
        "Enable or disable monitoring data collectors by name", default=None
    )
    data_collector_interval: dict[str, int] | None = param(
        "Interval between runs of each data collector, in microseconds", default=None
    )


@opcode
class OpClusterRedistConf(OpCode):
    """Push the whole configuration to every node again."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_REDIST_CONF"


@opcode
class OpClusterActivateMasterIp(OpCode):
    """Bring the master IP up on the master node."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_ACTIVATE_MASTER_IP"


@opcode
class OpClusterDeactivateMasterIp(OpCode):
    """Take the master IP down on the master node."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_DEACTIVATE_MASTER_IP"


@opcode
class OpClusterRenewCrypto(OpCode):
    """Renew the cluster's node certificates and, optionally, its SSH keys."""

    OP_ID: ClassVar[str] = "OP_CLUSTER_RENEW_CRYPTO"

    node_certificates: bool = param("Renew the nodes' SSL certificates", default=False)
    renew_ssh_keys: bool = param("Renew the cluster's SSH keys", default=False)
    ssh_key_type: SshKeyType | None = param("Type of the new SSH keys", default=None)
    ssh_key_bits: MaybePositiveInt = param("Size in bits of the new SSH keys", default=None)
    verbose: bool = param(g.VERBOSE, default=False)
    debug: bool = param("Log debugging detail", default=False)

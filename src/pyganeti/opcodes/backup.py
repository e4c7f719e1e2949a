"""Instance export opcodes: prepare a remote export, export, remove an export."""

from typing import Any, ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import ExportMode
from pyganeti.opcodes.types import ExportTarget, MaybeString, NonNegativeInt


@opcode
class OpBackupPrepare(OpCode):
    """Prepare an export; for remote exports returns the handshake, key name and CA."""

    OP_ID: ClassVar[str] = "OP_BACKUP_PREPARE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    mode: ExportMode = param("Export to a node of this cluster or to another cluster")


@opcode
class OpBackupExport(OpCode):
    """Export an instance to a node (local) or to other clusters (remote).

    A remote target is a list of [host, port, magic, HMAC, HMAC salt] destinations,
    the HMAC computed with the cluster domain secret over "index:host:port".
    """

    OP_ID: ClassVar[str] = "OP_BACKUP_EXPORT"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    compress: str = param(g.COMPRESS, default="none")
    shutdown_timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)
    target_node: ExportTarget = param("Node name (local) or remote destinations (remote)")
    target_node_uuid: MaybeString = param(
        "UUID of the target node (local export), filled in once resolved", default=None
    )
    shutdown: bool = param("Shut the instance down for a consistent export", default=True)
    remove_instance: bool = param("Remove the instance once exported", default=False)
    ignore_remove_failures: bool = param("Carry on if removing the instance fails", default=False)
    mode: ExportMode = param("Export to a node of this cluster or to another", default="local")
    x509_key_name: list[Any] | None = param(
        "Name and signature of the X509 key from the prepare step (remote)", default=None
    )
    destination_x509_ca: MaybeString = param(
        "X509 CA of the destination in PEM format (remote)", default=None
    )
    zero_free_space: bool = param(
        "Zero the free space of the instance's disks before exporting", default=False
    )
    zeroing_timeout_fixed: int | None = param(
        "Fixed seconds allowed for zeroing free space", default=None
    )
    zeroing_timeout_per_mib: float | None = param(
        "Seconds per MiB of disk added to the zeroing time limit", default=None
    )
    long_sleep: bool = param("Allow a long shutdown of the instance", default=False)


@opcode
class OpBackupRemove(OpCode):
    """Remove the exports of an instance."""

    OP_ID: ClassVar[str] = "OP_BACKUP_REMOVE"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param("Name of the instance whose exports to remove")
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)

"""Instance run-state opcodes: start, shut down, reboot."""

from typing import ClassVar

from pyganeti.opcodes import glossary as g
from pyganeti.opcodes.base import OpCode, opcode, param
from pyganeti.opcodes.choices import AdminStateSource, RebootType
from pyganeti.opcodes.types import JsonObject, MaybeString, NonNegativeInt


@opcode
class OpInstanceStartup(OpCode):
    """Start an instance."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_STARTUP"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    force: bool = param(g.FORCE, default=False)
    ignore_offline_nodes: bool = param(g.IGNORE_OFFLINE_NODES, default=False)
    hvparams: JsonObject = param("Hypervisor parameters for this start only", default={})
    beparams: JsonObject = param("Backend parameters for this start only", default={})
    no_remember: bool = param(g.NO_REMEMBER, default=False)
    startup_paused: bool = param("Start the instance with its CPUs paused", default=False)
    shutdown_timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)


@opcode
class OpInstanceShutdown(OpCode):
    """Shut an instance down."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_SHUTDOWN"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    force: bool = param(g.FORCE, default=False)
    ignore_offline_nodes: bool = param(g.IGNORE_OFFLINE_NODES, default=False)
    timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)
    no_remember: bool = param(g.NO_REMEMBER, default=False)
    admin_state_source: AdminStateSource | None = param(
        "Who changed the administrative state: an administrator or the user inside",
        default=None,
    )


@opcode
class OpInstanceReboot(OpCode):
    """Reboot an instance: from inside (soft), by the hypervisor (hard) or by restart (full)."""

    OP_ID: ClassVar[str] = "OP_INSTANCE_REBOOT"
    OP_DSC_FIELD: ClassVar[str | None] = "instance_name"

    instance_name: str = param(g.INSTANCE_NAME)
    instance_uuid: MaybeString = param(g.INSTANCE_UUID, default=None)
    shutdown_timeout: NonNegativeInt = param(g.SHUTDOWN_TIMEOUT, default=120)
    ignore_secondaries: bool = param(
        "Start even if the disks on secondary nodes fail", default=False
    )
    reboot_type: RebootType = param("Kind of reboot")

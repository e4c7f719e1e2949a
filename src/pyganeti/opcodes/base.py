"""The opcode base class, its common parameters and the declaration helpers.

An opcode is a frozen dataclass declared with ``@opcode``; each parameter is a field whose
annotation is its type and whose ``param(doc, default=...)`` gives its doc and default.
Construction validates every parameter; ``from_dict``/``to_dict`` convert the wire form.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar, cast, dataclass_transform, overload

from pyganeti import errors
from pyganeti.opcodes.checks import Check, Mismatch, compile_type, register_nested, show, type_hints
from pyganeti.opcodes.choices import FinalizedJobStatus
from pyganeti.opcodes.types import JobId, NonNegativeInt, Priority, RelativeJobId

T = TypeVar("T")
OpT = TypeVar("OpT", bound="OpCode")

#: The wire key naming an opcode's class.
OP_ID_KEY = "OP_ID"
#: Ganeti's default opcode priority.
OP_PRIO_DEFAULT = 0
#: Priorities a client may submit (Ganeti's OP_PRIO_SUBMIT_VALID); a running job's
#: opcodes may later move anywhere in the Priority range.
OP_PRIO_SUBMIT_VALID = (-10, 0, 10)
#: Summary prefixes shortened by tiny_summary (Ganeti's SUMMARY_PREFIX).
_TINY_PREFIXES = {"CLUSTER_": "C_", "GROUP_": "G_", "NODE_": "N_", "INSTANCE_": "I_"}


@overload
def param(doc: str) -> Any: ...
@overload
def param(doc: str, *, default: T) -> T: ...
def param(doc: str, *, default: Any = dataclasses.MISSING) -> Any:
    """Declare a parameter: without ``default`` it is required.

    Mutable defaults are copied for each opcode, so no two opcodes share a list.
    """
    if not doc.strip():
        raise ValueError("every opcode parameter needs a doc string")
    metadata = {"doc": doc}
    if isinstance(default, list | dict):
        template = default
        return dataclasses.field(default_factory=lambda: copy.deepcopy(template), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(param,))
def _frozen_dataclass(cls: type[T]) -> type[T]:
    # repr=False: OpCode.__repr__ redacts private parameters.
    return cast(type[T], dataclasses.dataclass(frozen=True, kw_only=True, repr=False)(cls))


@_frozen_dataclass
class OpCode:
    """Base of every opcode: the parameters Ganeti gives all of them."""

    #: Wire name of the opcode, e.g. "OP_INSTANCE_STARTUP".
    OP_ID: ClassVar[str]
    #: The parameter whose value identifies what the opcode acts on, for summaries.
    OP_DSC_FIELD: ClassVar[str | None] = None
    #: Whether a logical unit executes the opcode (False only for OpTestDummy).
    WITH_LU: ClassVar[bool] = True
    #: Compiled checks of all parameters, filled in by @opcode.
    CHECKS: ClassVar[Mapping[str, Check]] = {}

    dry_run: bool | None = param("Only run the prerequisite checks, change nothing", default=None)
    debug_level: NonNegativeInt | None = param("Verbosity of debug logging", default=None)
    priority: Priority = param(
        "Priority within the job queue, -20 (highest) to 19 (lowest)", default=OP_PRIO_DEFAULT
    )
    depends: list[tuple[JobId | RelativeJobId, list[FinalizedJobStatus]]] | None = param(
        "Jobs this one waits for, each as [job id, statuses it must end in]; negative ids"
        " count back among jobs submitted together",
        default=None,
    )
    comment: str | None = param("Free text saying what the opcode is for", default=None)
    reason: list[Any] | None = param(
        "Reason trail: entries [source, text, timestamp] telling why the opcode runs",
        default=[],
    )

    def __post_init__(self) -> None:
        # Frozen: normalized values (copied containers, floats) are stored by the back door.
        for name, check in self.CHECKS.items():
            value = getattr(self, name)
            try:
                normalized = check.validate(value, name)
            except Mismatch as exc:
                raise _prereq_error(self.OP_ID, exc, check.is_private()) from None
            object.__setattr__(self, name, normalized)

    @classmethod
    def from_dict(cls: type[OpT], data: Mapping[str, Any]) -> OpT:
        """Validate a wire dict (with or without OP_ID) into this opcode class.

        Raises OpPrereqError(ECODE_INVAL) naming the opcode and parameter at fault.
        """
        if "CHECKS" not in cls.__dict__ or "OP_ID" not in cls.__dict__:
            raise errors.ProgrammerError(f"{cls.__name__} is not a declared opcode")
        if not isinstance(data, Mapping):
            raise errors.OpPrereqError(
                f"Opcode {cls.OP_ID}: expected a dictionary of parameters, got {show(data)}",
                errors.ECODE_INVAL,
            )
        op_id = data.get(OP_ID_KEY, cls.OP_ID)
        if op_id != cls.OP_ID:
            raise errors.OpPrereqError(
                f"Opcode {cls.OP_ID}: data is for {op_id!r}", errors.ECODE_INVAL
            )
        params = {k: v for k, v in data.items() if k != OP_ID_KEY}
        unknown = sorted(str(k) for k in params if k not in cls.CHECKS)
        if unknown:
            raise errors.OpPrereqError(
                f"Opcode {cls.OP_ID}: unknown parameter(s) "
                + ", ".join(_with_suggestion(name, cls.CHECKS) for name in unknown),
                errors.ECODE_INVAL,
            )
        missing = [name for name in required_params(cls) if name not in params]
        if missing:
            raise errors.OpPrereqError(
                f"Opcode {cls.OP_ID}: missing required parameter(s) "
                + ", ".join(f"{name!r} ({cls.CHECKS[name].describe()})" for name in missing),
                errors.ECODE_INVAL,
            )
        return cls(**params)

    def to_dict(self, redact: bool = False) -> dict[str, Any]:
        """Ganeti's wire dict: OP_ID and every parameter, JSON-ready.

        With ``redact`` private and secret values become None, as Ganeti logs them.
        """
        data = {
            name: check.to_wire(getattr(self, name), redact) for name, check in self.CHECKS.items()
        }
        data[OP_ID_KEY] = self.OP_ID
        return data

    def summary(self) -> str:
        """OP_ID without "OP_", plus the OP_DSC_FIELD value in parentheses (Ganeti's Summary)."""
        text = self.OP_ID[3:]
        if self.OP_DSC_FIELD:
            value = getattr(self, self.OP_DSC_FIELD)
            if isinstance(value, list | tuple):
                value = ",".join(str(item) for item in value)
            text = f"{text}({value})"
        return text

    def tiny_summary(self) -> str:
        """A compact OP_ID: "I_STARTUP" for "OP_INSTANCE_STARTUP" (Ganeti's TinySummary)."""
        text = self.OP_ID[3:]
        for prefix, short in _TINY_PREFIXES.items():
            if text.startswith(prefix):
                return short + text[len(prefix) :]
        return text

    def replace(self: OpT, **changes: Any) -> OpT:
        """A copy with some parameters changed, validated like a new opcode."""
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        # Built from the redacted dict so private parameters never reach logs.
        params = self.to_dict(redact=True)
        del params[OP_ID_KEY]
        inner = ", ".join(f"{k}={v!r}" for k, v in params.items())
        return f"{type(self).__name__}({inner})"


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(param,))
def opcode(cls: type[OpT]) -> type[OpT]:
    """Declare an opcode class: make it a frozen dataclass and compile its checks."""
    if "OP_ID" not in cls.__dict__ or not cls.OP_ID.startswith("OP_"):
        raise TypeError(f"{cls.__name__} must set OP_ID to an 'OP_...' name")
    if not (cls.__dict__.get("__doc__") or "").strip():
        raise TypeError(f"{cls.__name__} needs a docstring: it is the opcode's reference text")
    made = _frozen_dataclass(cls)
    hints = type_hints(made)
    checks: dict[str, Check] = {}
    reserved = set(dir(OpCode)) - {f.name for f in dataclasses.fields(OpCode)}
    for field in dataclasses.fields(made):
        if field.name in reserved:
            raise TypeError(f"{cls.__name__}.{field.name} shadows an OpCode attribute")
        if "doc" not in field.metadata:
            raise TypeError(f"{cls.__name__}.{field.name} must be declared with param()")
        checks[field.name] = compile_type(hints[field.name])
        if field.default is not dataclasses.MISSING and field.default is not None:
            # A default must satisfy its own type, or the opcode could never be built bare.
            try:
                checks[field.name].validate(field.default, field.name)
            except Mismatch as exc:
                raise TypeError(f"{cls.__name__}.{field.name}: bad default") from exc
    if made.OP_DSC_FIELD is not None and made.OP_DSC_FIELD not in checks:
        raise TypeError(f"{cls.__name__}.OP_DSC_FIELD names no parameter")
    made.CHECKS = checks
    return made


def required_params(cls: type[OpCode]) -> list[str]:
    """Names of the parameters without a default, in declaration order."""
    return [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def param_doc(cls: type[OpCode], name: str) -> str:
    """The doc string a parameter was declared with."""
    for field in dataclasses.fields(cls):
        if field.name == name:
            return str(field.metadata["doc"])
    raise KeyError(f"{cls.OP_ID} has no parameter {name!r}")


def param_default(cls: type[OpCode], name: str) -> Any:
    """A parameter's default (a fresh copy for mutable ones); dataclasses.MISSING if required."""
    for field in dataclasses.fields(cls):
        if field.name == name:
            if field.default_factory is not dataclasses.MISSING:
                return field.default_factory()
            return field.default
    raise KeyError(f"{cls.OP_ID} has no parameter {name!r}")


def _with_suggestion(name: str, known: Mapping[str, Check]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name)


def _prereq_error(op_id: str, exc: Mismatch, private: bool) -> errors.OpPrereqError:
    # Ganeti's wording ("Parameter 'OP.x' fails validation") first, so existing clients
    # that match on it keep working; then what was expected and what came instead.
    head = f"Parameter '{op_id}.{exc.where}' fails validation"
    if exc.detail:
        return errors.OpPrereqError(f"{head}: {exc.detail}", errors.ECODE_INVAL)
    # A private value is never echoed back: only its type is named.
    given = f"a value of type {type(exc.value).__name__}" if private else show(exc.value)
    return errors.OpPrereqError(f"{head}: expected {exc.expected}, got {given}", errors.ECODE_INVAL)


def _build_nested(cls: type[OpCode], data: Mapping[str, Any]) -> OpCode:
    # Nested opcodes must say what they are, as Ganeti's LoadOpCode requires.
    if OP_ID_KEY not in data:
        raise errors.OpPrereqError(
            f"Opcode {cls.OP_ID}: nested opcode lacks its {OP_ID_KEY}", errors.ECODE_INVAL
        )
    return cls.from_dict(data)


def _dump_nested(op: OpCode, redact: bool) -> dict[str, Any]:
    return op.to_dict(redact)


def _nested_schema(cls: type[OpCode]) -> dict[str, Any]:
    # Imported here: reference.py builds on this module.
    from pyganeti.opcodes.reference import schema

    return schema(cls)


register_nested(OpCode, (_build_nested, _dump_nested, _nested_schema))

"""Declaration of one RAPI resource method (path, access, query arguments, body, result)
and the per-request view handlers receive. The route table and the OpenAPI description
are both derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pyganeti.http.messages import HttpError, Request
from pyganeti.luxi.client import Client
from pyganeti.opcodes.base import OpCode
from pyganeti.rapi.auth import User

QueryKind = Literal["flag", "int", "str", "multi"]


@dataclass(frozen=True)
class QueryArg:
    """One query-string argument.

    Kinds: ``flag`` is Ganeti's 0/1 integer read as a boolean, ``int`` an integer,
    ``str`` a string (last value wins), ``multi`` a repeatable string (all values).
    ``param`` names the opcode parameter the argument fills, for opcode resources.
    """

    name: str
    kind: QueryKind
    doc: str
    param: str | None = None
    default: Any = None


#: Accepted by every resource: a user-supplied reason added to the job's reason trail.
REASON_ARG = QueryArg("reason", "str", "Reason recorded in the reason trail of submitted jobs")
DRY_RUN = QueryArg("dry-run", "flag", "Only check the request, change nothing", "dry_run", False)
FORCE = QueryArg("force", "flag", "Force the operation", "force", False)
BULK = QueryArg("bulk", "flag", "Return full objects instead of name/URI pairs", None, False)
LOCK = QueryArg("lock", "flag", "Accepted for compatibility; queries never take locks", None, False)


@dataclass
class Call:
    """What a handler sees of one request: path items, checked query args, JSON body."""

    request: Request
    items: Mapping[str, str]
    args: dict[str, Any]
    body: Any
    luxi: Client
    user: User | None
    endpoint: Endpoint

    def body_dict(self, what: str = "Body contents") -> dict[str, Any]:
        """The body as a dictionary (an empty body is {}); 400 for anything else."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise HttpError(
                400, f"{what}: Type is '{json_type(self.body)}', but 'object' is expected"
            )
        return dict(self.body)


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Endpoint:
    """One method on one path, e.g. PUT /2/instances/{instance_name}/shutdown."""

    method: str
    path: str
    handler: Handler
    summary: str
    #: Rights needed besides authentication; empty means anonymous access is fine
    #: (unless the daemon runs with --require-authentication).
    access: frozenset[str] = frozenset()
    query: tuple[QueryArg, ...] = ()
    #: JSON Schema of the request body (None: the resource takes no body).
    body_schema: Mapping[str, Any] | None = None
    #: JSON Schema of a 200 answer.
    result_schema: Mapping[str, Any] = field(default_factory=dict)
    #: The opcode a job of this resource runs, when it submits one.
    opcode: type[OpCode] | None = None


def json_type(value: Any) -> str:
    """JSON's name for the type of a decoded value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def parse_query(query: Mapping[str, list[str]], declared: tuple[QueryArg, ...]) -> dict[str, Any]:
    """Check the query string against the declared arguments; 400 naming the one at fault."""
    by_name = {arg.name: arg for arg in (*declared, REASON_ARG)}
    values: dict[str, Any] = {}
    for name, raw in query.items():
        arg = by_name.get(name)
        if arg is None:
            known = ", ".join(sorted(by_name))
            raise HttpError(400, f"Unknown query argument '{name}' (accepted: {known})")
        if arg.kind == "multi":
            values[name] = list(raw)
            continue
        text = raw[-1]
        if arg.kind == "str":
            values[name] = text
            continue
        try:
            number = int(text)
        except ValueError:
            raise HttpError(
                400, f"Invalid value for the '{name}' parameter: {text!r} is not an integer"
            ) from None
        values[name] = bool(number) if arg.kind == "flag" else number
    for arg in by_name.values():
        if arg.name not in values:
            values[arg.name] = list(arg.default or []) if arg.kind == "multi" else arg.default
    return values

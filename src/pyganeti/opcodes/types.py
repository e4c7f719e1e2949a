"""Parameter types of opcodes: constraint markers for ``Annotated`` and reusable aliases.

The aliases mirror the names of Ganeti's ``ht`` checks (``NonEmptyString`` for
``TNonEmptyString``, ``MaybeString`` for ``TMaybeString``...) so declarations read alike.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pyganeti.opcodes.choices import DeviceAction, DeviceActionWithModify, NicParamName


class Constraint:
    """A restriction on a value that already has the right Python type."""

    def accepts(self, value: Any) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        """A short phrase completing "expected <type> ..."."""
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """JSON Schema keywords expressing this constraint."""
        return {}


@dataclass(frozen=True)
class NonEmpty(Constraint):
    """A string or container with at least one element."""

    def accepts(self, value: Any) -> bool:
        return len(value) > 0

    def describe(self) -> str:
        return "non-empty"

    def schema(self) -> dict[str, Any]:
        return {"minLength": 1}


@dataclass(frozen=True)
class Range(Constraint):
    """A number within bounds; either bound may be open (None). Bounds are inclusive."""

    low: float | None = None
    high: float | None = None

    def accepts(self, value: Any) -> bool:
        if self.low is not None and value < self.low:
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        if self.low is not None and self.high is not None:
            return f"in [{self.low}, {self.high}]"
        if self.low is not None:
            return f">= {self.low}"
        return f"<= {self.high}"

    def schema(self) -> dict[str, Any]:
        keywords: dict[str, Any] = {}
        if self.low is not None:
            keywords["minimum"] = self.low
        if self.high is not None:
            keywords["maximum"] = self.high
        return keywords


def NonNegative() -> Range:
    """Zero or more (Ganeti's TNonNegative)."""
    return Range(low=0)


@dataclass(frozen=True)
class Positive(Constraint):
    """Strictly greater than zero (Ganeti's TPositive); strict, so not a Range."""

    def accepts(self, value: Any) -> bool:
        return bool(value > 0)

    def describe(self) -> str:
        return "> 0"

    def schema(self) -> dict[str, Any]:
        return {"exclusiveMinimum": 0}


@dataclass(frozen=True)
class Negative(Constraint):
    """Strictly less than zero (relative job ids)."""

    def accepts(self, value: Any) -> bool:
        return bool(value < 0)

    def describe(self) -> str:
        return "< 0"

    def schema(self) -> dict[str, Any]:
        return {"exclusiveMaximum": 0}


class OneOf(Constraint):
    """Membership in a fixed set; type-strict, so True is not 1."""

    def __init__(self, *values: Any) -> None:
        self.values = values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OneOf) and self.values == other.values

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"OneOf{self.values!r}"

    def accepts(self, value: Any) -> bool:
        return any(type(v) is type(value) and v == value for v in self.values)

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class Regex(Constraint):
    """A string matching a regular expression in full."""

    pattern: str

    def accepts(self, value: Any) -> bool:
        return re.fullmatch(self.pattern, value) is not None

    def describe(self) -> str:
        return f"matching {self.pattern!r}"

    def schema(self) -> dict[str, Any]:
        return {"pattern": f"^(?:{self.pattern})$"}


@dataclass(frozen=True)
class IPAddress(Constraint):
    """A textual IP address of one version (Ganeti's TIPv4Address/TIPv6Address)."""

    version: Literal[4, 6]

    def accepts(self, value: Any) -> bool:
        parser = ipaddress.IPv4Address if self.version == 4 else ipaddress.IPv6Address
        try:
            parser(value)
        except ValueError:
            return False
        return True

    def describe(self) -> str:
        return f"an IPv{self.version} address"

    def schema(self) -> dict[str, Any]:
        return {"format": f"ipv{self.version}"}


@dataclass(frozen=True)
class IPNetwork(Constraint):
    """A network in CIDR notation without host bits (Ganeti's TIPv4Network/TIPv6Network)."""

    version: Literal[4, 6]

    def accepts(self, value: Any) -> bool:
        parser = ipaddress.IPv4Network if self.version == 4 else ipaddress.IPv6Network
        try:
            parser(value)
        except ValueError:
            return False
        return True

    def describe(self) -> str:
        return f"an IPv{self.version} network"

    def schema(self) -> dict[str, Any]:
        return {"format": f"ipv{self.version}-network"}


@dataclass(frozen=True)
class Private(Constraint):
    """Marks a value that must not appear in logs or redacted dumps (Ganeti's TPrivate)."""

    def accepts(self, value: Any) -> bool:
        return True

    def describe(self) -> str:
        return "(private)"

    def schema(self) -> dict[str, Any]:
        return {"x-private": True}


@dataclass(frozen=True)
class Secret(Private):
    """A private value that is not even kept in the job queue (Ganeti's TSecret)."""

    def describe(self) -> str:
        return "(secret)"

    def schema(self) -> dict[str, Any]:
        return {"x-private": True, "x-secret": True}


# Aliases named after Ganeti's ht checks.
NonEmptyString = Annotated[str, NonEmpty()]
MaybeString = NonEmptyString | None
MaybeBool = bool | None
NonNegativeInt = Annotated[int, NonNegative()]
PositiveInt = Annotated[int, Positive()]
NegativeInt = Annotated[int, Negative()]
MaybeNonNegativeInt = NonNegativeInt | None
MaybePositiveInt = PositiveInt | None
NonEmptyStringList = list[NonEmptyString]
MaybeNonEmptyStringList = list[NonEmptyString] | None
#: Ganeti's TObject(TAny): a JSON object with arbitrary values.
JsonObject = dict[str, Any]
MaybeJsonObject = JsonObject | None
#: A dictionary of JSON objects keyed by name (hypervisor, OS...).
JsonObjectsByName = dict[str, JsonObject]
IPv4Address = Annotated[str, IPAddress(4)]
IPv6Address = Annotated[str, IPAddress(6)]
IPv4Network = Annotated[str, IPNetwork(4)]
IPv6Network = Annotated[str, IPNetwork(6)]
PrivateObject = Annotated[JsonObject, Private()]
SecretObject = Annotated[JsonObject, Secret()]
#: Job ids travel as numbers or decimal strings (Ganeti's TJobId).
JobId = NonNegativeInt | Annotated[str, Regex(r"\d+")]
#: Negative ids refer to jobs submitted earlier in the same SubmitManyJobs call.
RelativeJobId = NegativeInt
#: The priority range of jobs and opcodes: -20 (highest) to 19 (lowest).
Priority = Annotated[int, Range(-20, 19)]
#: The value range of a disk index (Ganeti allows at most 16 disks).
MAX_DISKS = 16
DiskIndex = Annotated[int, Range(0, MAX_DISKS - 1)]


# Composite shapes of device definitions and modifications.
#: A NIC definition (Ganeti's TINicParams): known keys, string or null values.
NicParams = dict[NicParamName, str | None]
#: A disk definition (Ganeti's TIDiskParams): sizes as integers, the rest as strings.
DiskParams = dict[NonEmptyString, NonEmptyString | int]
#: Device modifications, new form [action, index, params] (index may be negative or a
#: name) or the older [action or index, params] form.
NicModifications = (
    list[tuple[DeviceActionWithModify, int | str, NicParams]]
    | list[tuple[DeviceAction | NonNegativeInt, NicParams]]
)
DiskModifications = (
    list[tuple[DeviceActionWithModify, int | str, DiskParams]]
    | list[tuple[DeviceAction | NonNegativeInt, DiskParams]]
)
#: Disks to recreate: indices, or [index, changed parameters] pairs.
RecreateDisks = list[NonNegativeInt] | list[tuple[NonNegativeInt, DiskParams]]
#: An export target: a node name (local export) or the list of remote destinations.
ExportTarget = NonEmptyString | list[Any]
#: Changes to an OS list: [action, OS name] pairs.
OsListChanges = list[tuple[DeviceAction, NonEmptyString]]

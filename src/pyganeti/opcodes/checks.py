"""Validators compiled from parameter annotations: check, describe, JSON Schema, redact.

An annotation (``int``, ``list[str]``, ``Literal[...]``, ``X | None``, ``Annotated[X, ...]``,
a nested opcode class) compiles once into a tree of ``Check`` nodes that every surface shares.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pyganeti.opcodes.types import Constraint, Private

#: How a nested opcode class is validated and serialized; base.py registers it so that
#: this module does not import the opcode base class (which imports this module).
NestedHooks = tuple[
    Callable[[type[Any], Mapping[str, Any]], Any],  # build an instance from a wire dict
    Callable[[Any, bool], dict[str, Any]],  # wire dict of an instance (redacted or not)
    Callable[[type[Any]], dict[str, Any]],  # JSON Schema of the class
]
_nested_hooks: dict[type[Any], NestedHooks] = {}


def register_nested(base: type[Any], hooks: NestedHooks) -> None:
    """Let annotations name subclasses of ``base`` (opcodes inside opcodes)."""
    _nested_hooks[base] = hooks


class Mismatch(Exception):
    """A value does not fit its declared type; ``where`` locates it inside the parameter."""

    def __init__(self, where: str, expected: str, value: Any, detail: str = "") -> None:
        super().__init__(where, expected)
        self.where = where
        self.expected = expected
        self.value = value
        self.detail = detail


def show(value: Any, limit: int = 60) -> str:
    """A value for an error message: its JSON type name and a truncated repr."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{_type_name(value)} {text}"


def _type_name(value: Any) -> str:
    names = {
        bool: "boolean",
        int: "integer",
        float: "float",
        str: "string",
        list: "list",
        tuple: "list",
        dict: "dictionary",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


class Check:
    """One node of a compiled type: validates and normalizes a wire value."""

    def validate(self, value: Any, where: str) -> Any:
        """The normalized value (fresh containers, ints widened to floats) or Mismatch."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_wire(self, value: Any, redact: bool) -> Any:
        """JSON-ready form of a validated value; private parts become None if redact."""
        return value

    def is_private(self) -> bool:
        return False


class AnyCheck(Check):
    # Copies both ways: an opcode must share no mutable state with its input or output.
    def validate(self, value: Any, where: str) -> Any:
        return copy.deepcopy(value)

    def to_wire(self, value: Any, redact: bool) -> Any:
        return copy.deepcopy(value)

    def describe(self) -> str:
        return "anything"

    def schema(self) -> dict[str, Any]:
        return {}


class ScalarCheck(Check):
    """bool, int, str or None: exact JSON types (a boolean is never an integer)."""

    def __init__(self, kind: type[Any]) -> None:
        self.kind = kind

    def validate(self, value: Any, where: str) -> Any:
        if type(value) is not self.kind:
            raise Mismatch(where, self.describe(), value)
        return value

    def describe(self) -> str:
        return {bool: "boolean", int: "integer", str: "string", type(None): "None"}[self.kind]

    def schema(self) -> dict[str, Any]:
        json_type = {bool: "boolean", int: "integer", str: "string", type(None): "null"}
        return {"type": json_type[self.kind]}


class FloatCheck(Check):
    """A float; integers are accepted and widened, as Ganeti's Validate does."""

    def validate(self, value: Any, where: str) -> Any:
        if type(value) is float:
            return value
        if type(value) is int:
            return float(value)
        raise Mismatch(where, self.describe(), value)

    def describe(self) -> str:
        return "float"

    def schema(self) -> dict[str, Any]:
        return {"type": "number"}


class LiteralCheck(Check):
    def __init__(self, values: tuple[Any, ...]) -> None:
        self.values = values

    def validate(self, value: Any, where: str) -> Any:
        if not any(type(v) is type(value) and v == value for v in self.values):
            raise Mismatch(where, self.describe(), value)
        return value

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


class ListCheck(Check):
    def __init__(self, item: Check) -> None:
        self.item = item

    def validate(self, value: Any, where: str) -> Any:
        if not isinstance(value, list | tuple):
            raise Mismatch(where, self.describe(), value)
        return [self.item.validate(v, f"{where}[{i}]") for i, v in enumerate(value)]

    def describe(self) -> str:
        return f"list of {_wrap(self.item.describe())}"

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema()}

    def to_wire(self, value: Any, redact: bool) -> Any:
        return [self.item.to_wire(v, redact) for v in value]

    def is_private(self) -> bool:
        return self.item.is_private()


class TupleCheck(Check):
    """A fixed-length sequence; JSON carries it as a list, Python holds a tuple."""

    def __init__(self, items: tuple[Check, ...]) -> None:
        self.items = items

    def validate(self, value: Any, where: str) -> Any:
        if not isinstance(value, list | tuple) or len(value) != len(self.items):
            raise Mismatch(where, self.describe(), value)
        pairs = enumerate(zip(self.items, value, strict=True))
        return tuple(c.validate(v, f"{where}[{i}]") for i, (c, v) in pairs)

    def describe(self) -> str:
        return "[" + ", ".join(c.describe() for c in self.items) + "]"

    def schema(self) -> dict[str, Any]:
        n = len(self.items)
        return {
            "type": "array",
            "prefixItems": [c.schema() for c in self.items],
            "minItems": n,
            "maxItems": n,
        }

    def to_wire(self, value: Any, redact: bool) -> Any:
        return [c.to_wire(v, redact) for c, v in zip(self.items, value, strict=True)]

    def is_private(self) -> bool:
        return any(c.is_private() for c in self.items)


class DictCheck(Check):
    def __init__(self, key: Check, value: Check) -> None:
        self.key = key
        self.value = value

    def validate(self, value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise Mismatch(where, self.describe(), value)
        result = {}
        for k, v in value.items():
            self.key.validate(k, f"{where} key {k!r}")
            result[k] = self.value.validate(v, f"{where}[{k!r}]")
        return result

    def describe(self) -> str:
        if isinstance(self.value, AnyCheck):
            return "dictionary"
        return f"dictionary of {_wrap(self.key.describe())} to {_wrap(self.value.describe())}"

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "object"}
        if not isinstance(self.value, AnyCheck):
            result["additionalProperties"] = self.value.schema()
        key_schema = dict(self.key.schema())
        key_schema.pop("type", None)
        if key_schema:
            result["propertyNames"] = key_schema
        return result

    def to_wire(self, value: Any, redact: bool) -> Any:
        return {k: self.value.to_wire(v, redact) for k, v in value.items()}

    def is_private(self) -> bool:
        return self.value.is_private()


class UnionCheck(Check):
    """The first alternative that accepts the value wins (declaration order)."""

    def __init__(self, options: tuple[Check, ...]) -> None:
        self.options = options

    def validate(self, value: Any, where: str) -> Any:
        failures: list[Mismatch] = []
        for option in self.options:
            try:
                return option.validate(value, where)
            except Mismatch as exc:
                failures.append(exc)
        # When an alternative got past the outer shape (the failure lies deeper), its
        # message is more useful than listing every alternative.
        deepest = max(failures, key=lambda f: len(f.where))
        if len(deepest.where) > len(where):
            raise deepest
        raise Mismatch(where, self.describe(), value)

    def describe(self) -> str:
        parts = [o.describe() for o in self.options if not _is_none(o)]
        text = " or ".join(parts)
        if any(_is_none(o) for o in self.options):
            text = f"{text} or None" if len(parts) == 1 else f"({text}) or None"
        return text

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [o.schema() for o in self.options]}

    def to_wire(self, value: Any, redact: bool) -> Any:
        # Re-dispatch on the value: the first option that accepts it serialized it.
        for option in self.options:
            try:
                option.validate(value, "")
            except Mismatch:
                continue
            return option.to_wire(value, redact)
        return value

    def is_private(self) -> bool:
        return any(o.is_private() for o in self.options)


class ConstrainedCheck(Check):
    """A base check narrowed by ``Annotated`` constraints."""

    def __init__(self, base: Check, constraints: tuple[Constraint, ...]) -> None:
        self.base = base
        self.constraints = constraints

    def validate(self, value: Any, where: str) -> Any:
        try:
            value = self.base.validate(value, where)
        except Mismatch as exc:
            if exc.where != where:
                raise
            # Say what is wanted in full ("integer in [-20, 19]", not "integer").
            raise Mismatch(where, self.describe(), value) from None
        for constraint in self.constraints:
            if not constraint.accepts(value):
                raise Mismatch(where, self.describe(), value)
        return value

    def describe(self) -> str:
        words = [c.describe() for c in self.constraints]
        prefix = [w for w in words if w == "non-empty"]
        suffix = [w for w in words if w != "non-empty"]
        return " ".join([*prefix, self.base.describe(), *suffix])

    def schema(self) -> dict[str, Any]:
        result = dict(self.base.schema())
        for constraint in self.constraints:
            keywords = constraint.schema()
            if "minLength" in keywords and result.get("type") in ("array", "object"):
                keywords = {"minItems" if result["type"] == "array" else "minProperties": 1}
            result.update(keywords)
        return result

    def to_wire(self, value: Any, redact: bool) -> Any:
        if redact and self.is_private():
            return _redacted(value)
        return self.base.to_wire(value, redact)

    def is_private(self) -> bool:
        return any(isinstance(c, Private) for c in self.constraints) or self.base.is_private()


class NestedCheck(Check):
    """An opcode carried inside another opcode's parameter (OpInstanceMultiAlloc)."""

    def __init__(self, cls: type[Any], hooks: NestedHooks) -> None:
        self.cls = cls
        self.build, self.dump, self.class_schema = hooks

    def validate(self, value: Any, where: str) -> Any:
        if isinstance(value, self.cls):
            return value
        if not isinstance(value, dict):
            raise Mismatch(where, self.describe(), value)
        try:
            return self.build(self.cls, value)
        except Exception as exc:
            # The nested opcode's own message already names its parameter.
            raise Mismatch(where, self.describe(), value, detail=str(exc.args[0])) from exc

    def describe(self) -> str:
        return f"{self.cls.OP_ID} opcode"

    def schema(self) -> dict[str, Any]:
        return self.class_schema(self.cls)

    def to_wire(self, value: Any, redact: bool) -> Any:
        return self.dump(value, redact)


def _redacted(value: Any) -> Any:
    # Ganeti serializes each private value as null but keeps dictionary keys.
    if isinstance(value, dict):
        return {k: _redacted(v) if isinstance(v, dict) else None for k, v in value.items()}
    return None


def _is_none(check: Check) -> bool:
    return isinstance(check, ScalarCheck) and check.kind is type(None)


def _wrap(text: str) -> str:
    return f"({text})" if " or " in text else text


def compile_type(annotation: Any) -> Check:
    """Compile a parameter annotation into its Check tree."""
    if annotation is Any:
        return AnyCheck()
    if annotation is None or annotation is type(None):
        return ScalarCheck(type(None))
    if annotation in (bool, int, str):
        return ScalarCheck(annotation)
    if annotation is float:
        return FloatCheck()
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        base = compile_type(args[0])
        constraints = tuple(a for a in args[1:] if isinstance(a, Constraint))
        if len(constraints) != len(args) - 1:
            raise TypeError(f"unknown metadata in {annotation!r}: use Constraint markers")
        return ConstrainedCheck(base, constraints)
    if origin is Literal:
        return LiteralCheck(args)
    if origin in (Union, types.UnionType):
        return UnionCheck(tuple(compile_type(a) for a in args))
    if origin is list:
        return ListCheck(compile_type(args[0]))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return ListCheck(compile_type(args[0]))
        return TupleCheck(tuple(compile_type(a) for a in args))
    if origin is dict:
        return DictCheck(compile_type(args[0]), compile_type(args[1]))
    if isinstance(annotation, type):
        for base_cls, hooks in _nested_hooks.items():
            if issubclass(annotation, base_cls):
                return NestedCheck(annotation, hooks)
    raise TypeError(f"unsupported parameter annotation {annotation!r}")


def type_hints(cls: type[Any]) -> dict[str, Any]:
    """Resolved annotations of a class and its bases, constraints kept."""
    return typing.get_type_hints(cls, include_extras=True)

"""Declarative record machinery: fields carry seed key, type, default and doc; validation.

Every host record is a frozen keyword-only dataclass deriving from `Record`; its fields
are declared with `setting()`. Validation, the TOML reader and the reference docs all
derive from those declarations (DESIGN rule 1: declare once, derive the rest).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass
from typing import Any, ClassVar, Literal, Protocol, TypeVar, Union

from pyganeti.host.errors import HostConfigError

R = TypeVar("R", bound="Record")

# A check returns None when the value is acceptable, else what is wrong with it.
Check = Callable[[Any], "str | None"]


class Source(Protocol):
    """Where values being built come from, so errors can name the file and line."""

    @property
    def file(self) -> str: ...

    def line(self, path: tuple[str | int, ...]) -> int | None: ...


# A parser turns a raw TOML value into the field's Python value (e.g. platform names
# into platform objects); it receives the source and the value's key path for errors.
Parser = Callable[[Any, Source, tuple[str | int, ...]], Any]


def setting(
    default: Any = MISSING,
    *,
    doc: str,
    key: str | None = None,
    check: Check | None = None,
    parse: Parser | None = None,
    default_doc: str | None = None,
) -> Any:
    """Declare one record field.

    `key` is the seed's spelling when it is not the field name with "_" → "-"
    (e.g. ``ssl?``); `default_doc` overrides how the default is shown in the docs.
    """
    metadata = {"doc": doc, "key": key, "check": check, "parse": parse, "default_doc": default_doc}
    if default is MISSING:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def seed_key(f: dataclasses.Field[Any]) -> str:
    """The field's name as the seeds spell it (``max-clients``, ``ssl?``)."""
    explicit = f.metadata.get("key")
    return str(explicit) if explicit else f.name.replace("_", "-")


def toml_keys(f: dataclasses.Field[Any]) -> tuple[str, ...]:
    """Keys accepted in a host file: the seed spelling, and without a trailing "?"."""
    key = seed_key(f)
    return (key, key[:-1]) if key.endswith("?") else (key,)


@dataclass(frozen=True, kw_only=True)
class Record:
    """Base of all host records: validates every field against its declaration."""

    RECORD: ClassVar[str] = "record"
    DOC: ClassVar[str] = ""

    def __post_init__(self) -> None:
        hints = _hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            tp = hints[f.name]
            # Python callers may pass lists; records hold tuples so they stay hashable
            # and compare equal to what the TOML reader builds.
            coerced = _coerce_sequences(value, tp)
            if coerced is not value:
                object.__setattr__(self, f.name, coerced)
                value = coerced
            if not type_accepts(tp, value):
                raise HostConfigError(
                    f"expected {type_name(tp)}, got {value!r}",
                    record=self.RECORD,
                    field=seed_key(f),
                )
            check: Check | None = f.metadata.get("check")
            if check is not None:
                problem = check(value)
                if problem is not None:
                    raise HostConfigError(problem, record=self.RECORD, field=seed_key(f))


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def field_types(cls: type[Record]) -> dict[str, Any]:
    """The resolved type of every field of `cls`."""
    return dict(_hints(cls))


def _union_args(tp: Any) -> tuple[Any, ...] | None:
    origin = typing.get_origin(tp)
    if origin is Union or isinstance(tp, types.UnionType):
        return typing.get_args(tp)
    return None


def _coerce_sequences(value: Any, tp: Any) -> Any:
    if isinstance(value, list):
        options = _union_args(tp) or (tp,)
        if any(typing.get_origin(o) is tuple for o in options):
            return tuple(_coerce_sequences(v, _tuple_item_type(tp, i)) for i, v in enumerate(value))
    return value


def _tuple_item_type(tp: Any, index: int) -> Any:
    for option in _union_args(tp) or (tp,):
        if typing.get_origin(option) is tuple:
            args = typing.get_args(option)
            if len(args) == 2 and args[1] is Ellipsis:
                return args[0]
            if index < len(args):
                return args[index]
    return Any


def type_accepts(tp: Any, value: Any) -> bool:
    """Whether `value` is of the declared type `tp` (the subset of types records use)."""
    if tp is Any:
        return True
    options = _union_args(tp)
    if options is not None:
        return any(type_accepts(o, value) for o in options)
    if tp is type(None):
        return value is None
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    origin = typing.get_origin(tp)
    if origin is Literal:
        return value in typing.get_args(tp)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return all(type_accepts(args[0], v) for v in value)
        return len(args) == len(value) and all(
            type_accepts(a, v) for a, v in zip(args, value, strict=True)
        )
    if isinstance(tp, type):
        return isinstance(value, tp)
    raise TypeError(f"unsupported record field type {tp!r}")


def type_name(tp: Any) -> str:
    """Human name of a declared type, as the docs and error messages show it."""
    options = _union_args(tp)
    if options is not None:
        return " or ".join(type_name(o) for o in options)
    if tp is type(None):
        return "none"
    simple = {bool: "boolean", int: "integer", str: "string"}
    if tp in simple:
        return simple[tp]
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list of ({type_name(args[0])})"
        return "pair of (" + ", ".join(type_name(a) for a in args) + ")"
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.RECORD
    if isinstance(tp, type):
        return tp.__name__
    return repr(tp)


def build(cls: type[R], data: Any, source: Source, path: tuple[str | int, ...]) -> R:
    """Build record `cls` from a TOML table found at `path` in `source`."""
    if not isinstance(data, Mapping):
        raise HostConfigError(
            f"expected a table, got {data!r}",
            record=cls.RECORD,
            file=source.file,
            line=source.line(path),
        )
    by_key: dict[str, dataclasses.Field[Any]] = {}
    for f in dataclasses.fields(cls):
        for k in toml_keys(f):
            by_key[k] = f
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for key, raw in data.items():
        found = by_key.get(key)
        if found is None:
            known = ", ".join(seed_key(x) for x in dataclasses.fields(cls))
            raise HostConfigError(
                f"unknown key '{key}' (known keys: {known})",
                record=cls.RECORD,
                file=source.file,
                line=source.line((*path, key)),
            )
        f = found
        if f.name in kwargs:
            raise HostConfigError(
                f"key '{key}' given twice (as '{seed_key(f)}' and without '?')",
                record=cls.RECORD,
                field=seed_key(f),
                file=source.file,
                line=source.line((*path, key)),
            )
        kwargs[f.name] = convert(hints[f.name], f, raw, source, (*path, key), cls.RECORD)
    try:
        return cls(**kwargs)
    except HostConfigError as err:
        line = source.line(path)
        if err.field is not None and err.record == cls.RECORD:
            for key in data:
                if seed_key(by_key[key]) == err.field:
                    line = source.line((*path, key))
        if err.file is not None:
            raise
        raise err.located(source.file, line) from None
    except TypeError as err:
        missing = [
            seed_key(f)
            for f in dataclasses.fields(cls)
            if f.name not in kwargs and f.default is MISSING and f.default_factory is MISSING
        ]
        raise HostConfigError(
            f"missing required key(s): {', '.join(missing) or str(err)}",
            record=cls.RECORD,
            file=source.file,
            line=source.line(path),
        ) from None


def convert(
    tp: Any,
    f: dataclasses.Field[Any] | None,
    raw: Any,
    source: Source,
    path: tuple[str | int, ...],
    record: str,
) -> Any:
    """Turn raw TOML value `raw` into a value for a field of type `tp`."""
    parse: Parser | None = f.metadata.get("parse") if f is not None else None
    if parse is not None:
        return parse(raw, source, path)
    options = _union_args(tp) or (tp,)
    if raw is False and type(None) in options and bool not in options:
        # TOML has no null: false stands for the seeds' #f in fields that are not booleans.
        return None
    if isinstance(raw, Mapping):
        for o in options:
            if isinstance(o, type) and issubclass(o, Record):
                return build(o, raw, source, path)
    if isinstance(raw, list):
        for o in options:
            if typing.get_origin(o) is tuple:
                return tuple(
                    convert(_tuple_item_type(o, i), None, item, source, (*path, i), record)
                    for i, item in enumerate(raw)
                )
    return raw


def located_error(
    problem: str, source: Source, path: tuple[str | int, ...], record: str, field: str
) -> HostConfigError:
    """An error about the value at `path`, naming the file and its line."""
    return HostConfigError(
        problem, record=record, field=field, file=source.file, line=source.line(path)
    )


# --- value checks shared by several records ------------------------------------------


def check_port(value: Any) -> str | None:
    if isinstance(value, int) and not 0 < value < 65536:
        return f"port {value} is outside 1-65535"
    return None


def check_positive(value: Any) -> str | None:
    if isinstance(value, int) and value <= 0:
        return f"must be a positive integer, got {value}"
    return None


def check_non_negative(value: Any) -> str | None:
    if isinstance(value, int) and value < 0:
        return f"must not be negative, got {value}"
    return None


def check_non_empty(value: Any) -> str | None:
    if isinstance(value, str) and not value.strip():
        return "must not be empty"
    return None


def check_all(*checks: Check) -> Check:
    """A check that runs `checks` in order and reports the first problem."""

    def run(value: Any) -> str | None:
        for c in checks:
            problem = c(value)
            if problem is not None:
                return problem
        return None

    return run


def check_each(check: Check) -> Check:
    """Apply `check` to every item of a sequence value."""

    def run(value: Any) -> str | None:
        if isinstance(value, Sequence) and not isinstance(value, str):
            for item in value:
                problem = check(item)
                if problem is not None:
                    return problem
        return None

    return run

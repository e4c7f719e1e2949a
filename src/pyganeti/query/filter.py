"""Ganeti's list-form query filters: validation, compilation into a predicate, name hints.

A filter is a list whose first item is an operator: logic ("|", "&"), unary ("!", "?")
or binary (field name and value). Validation happens once, at compile time, and every
error names the problem and where in the filter it is (e.g. "filter[2][1]").
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pyganeti import errors
from pyganeti.query.fielddefs import (
    FLAG_HOSTNAME,
    FLAG_JOB_ID,
    FLAG_SPLIT_TIMESTAMP,
    QFT_BOOL,
    QFT_NUMBER,
    QFT_NUMBER_FLOAT,
    QFT_TEXT,
    QFT_TIMESTAMP,
    QFT_UNIT,
    Abnormal,
    Field,
)

OP_OR = "|"
OP_AND = "&"
OP_NOT = "!"
OP_TRUE = "?"
OP_EQUAL = "=="
OP_EQUAL_LEGACY = "="
OP_NOT_EQUAL = "!="
OP_LT = "<"
OP_LE = "<="
OP_GT = ">"
OP_GE = ">="
OP_REGEXP = "=~"
OP_CONTAINS = "=[]"

LOGIC_OPS = frozenset([OP_OR, OP_AND])
UNARY_OPS = frozenset([OP_NOT, OP_TRUE])
EQUALITY_OPS = frozenset([OP_EQUAL, OP_EQUAL_LEGACY])
ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    OP_LT: operator.lt,
    OP_LE: operator.le,
    OP_GT: operator.gt,
    OP_GE: operator.ge,
}
BINARY_OPS = frozenset([*EQUALITY_OPS, OP_NOT_EQUAL, *ORDER_OPS, OP_REGEXP, OP_CONTAINS])
ALL_OPS = LOGIC_OPS | UNARY_OPS | BINARY_OPS

# Ganeti refuses deeper filters so a hostile filter cannot exhaust the stack.
MAX_LEVELS = 10

Predicate = Callable[[Any], bool]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# Which right-hand values each field kind can be compared with.
_KIND_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    QFT_TEXT: (lambda v: isinstance(v, str), "a string"),
    QFT_BOOL: (lambda v: isinstance(v, bool), "a boolean"),
    QFT_NUMBER: (_is_int, "an integer"),
    QFT_UNIT: (_is_int, "an integer"),
    QFT_NUMBER_FLOAT: (_is_number, "a number"),
    QFT_TIMESTAMP: (_is_number, "a number"),
}


def _err(pos: str, problem: str) -> errors.QueryFilterParseError:
    return errors.QueryFilterParseError(f"Invalid query filter at {pos}: {problem}")


def merge_time(value: Any) -> float | None:
    """A [seconds, microseconds] pair as float seconds, or None if it is not one."""
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(_is_number(part) for part in value)
    ):
        return float(value[0]) + float(value[1]) / 1e6
    return None


def hostname_matches(actual: Any, wanted: str) -> bool:
    """Ganeti's hostname equality: exact, or `wanted` is a leading part of the FQDN."""
    if not isinstance(actual, str):
        return False
    if actual == wanted:
        return True
    return re.match(rf"^{re.escape(wanted)}(\..*)?$", actual, re.IGNORECASE) is not None


def _safe(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def run(lhs: Any, rhs: Any) -> bool:
        try:
            return bool(compare(lhs, rhs))
        except TypeError:
            # Values of "other" fields may be of any type; a mismatch simply does not match.
            return False

    return run


def _contains(lhs: Any, rhs: Any) -> bool:
    if isinstance(lhs, (list, tuple, str, dict)):
        try:
            return rhs in lhs
        except TypeError:
            return False
    return False


class _Compiler:
    def __init__(self, fields: Mapping[str, Field]) -> None:
        self._fields = fields
        self.referenced: list[Field] = []

    def compile(self, qfilter: Any, pos: str, level: int) -> Predicate:
        if not isinstance(qfilter, (list, tuple)) or not qfilter:
            raise _err(pos, f"expected a non-empty list, got {qfilter!r}")
        if level >= MAX_LEVELS:
            raise _err(pos, f"filter nested too deep (at most {MAX_LEVELS} levels)")
        op, *operands = qfilter
        if not isinstance(op, str) or op not in ALL_OPS:
            raise _err(f"{pos}[0]", f"unknown operator {op!r}")
        if op in LOGIC_OPS:
            subs = [
                self.compile(sub, f"{pos}[{idx}]", level + 1)
                for idx, sub in enumerate(operands, start=1)
            ]
            if op == OP_OR:
                return lambda row: any(sub(row) for sub in subs)
            return lambda row: all(sub(row) for sub in subs)
        if op in UNARY_OPS:
            if len(operands) != 1:
                raise _err(pos, f"operator '{op}' expects exactly one operand, got {len(operands)}")
            if op == OP_NOT:
                inner = self.compile(operands[0], f"{pos}[1]", level + 1)
                return lambda row: not inner(row)
            fdef = self._lookup(operands[0], f"{pos}[1]")
            return lambda row: _truth(fdef.getter(row))
        if len(operands) != 2:
            raise _err(pos, f"operator '{op}' expects a field name and a value, got {operands!r}")
        return self._binary(op, operands[0], operands[1], pos)

    def _lookup(self, name: Any, pos: str) -> Field:
        if not isinstance(name, str) or name not in self._fields:
            raise _err(pos, f"unknown field {name!r}")
        fdef = self._fields[name]
        self.referenced.append(fdef)
        return fdef

    def _binary(self, op: str, name: Any, value: Any, pos: str) -> Predicate:
        fdef = self._lookup(name, f"{pos}[1]")
        vpos = f"{pos}[2]"
        compare: Callable[[Any, Any], bool]
        if op == OP_REGEXP:
            if not isinstance(value, str):
                raise _err(vpos, f"regular expression must be a string, got {value!r}")
            try:
                pattern = re.compile(value)
            except re.error as exc:
                raise _err(vpos, f"invalid regular expression {value!r} ({exc})") from None
            return _wrap(fdef, lambda lhs: isinstance(lhs, str) and pattern.search(lhs) is not None)
        if op == OP_CONTAINS:
            return _wrap(fdef, lambda lhs: _contains(lhs, value))
        value = self._prepare_value(fdef, value, vpos)
        if op in EQUALITY_OPS or op == OP_NOT_EQUAL:
            if fdef.flags & FLAG_HOSTNAME and isinstance(value, str):
                compare = hostname_matches
            elif fdef.flags & FLAG_SPLIT_TIMESTAMP:
                compare = _safe(lambda lhs, rhs: merge_time(lhs) == rhs)
            else:
                compare = _safe(operator.eq)
            if op == OP_NOT_EQUAL:
                positive = compare
                compare = lambda lhs, rhs: not positive(lhs, rhs)  # noqa: E731
        else:
            order = ORDER_OPS[op]
            if fdef.flags & FLAG_SPLIT_TIMESTAMP:

                def compare(lhs: Any, rhs: Any) -> bool:
                    merged = merge_time(lhs)
                    return merged is not None and order(merged, rhs)

            else:
                compare = _safe(order)
        rhs = value
        return _wrap(fdef, lambda lhs: compare(lhs, rhs))

    @staticmethod
    def _prepare_value(fdef: Field, value: Any, pos: str) -> Any:
        if fdef.flags & FLAG_JOB_ID:
            try:
                return int(value)
            except (TypeError, ValueError):
                raise _err(pos, f"invalid job ID {value!r}") from None
        if fdef.flags & FLAG_SPLIT_TIMESTAMP:
            if _is_number(value):
                return float(value)
            merged = merge_time(value)
            if merged is None:
                raise _err(pos, f"field '{fdef.name}' compares with a timestamp, got {value!r}")
            return merged
        check = _KIND_CHECKS.get(fdef.kind)
        if check is not None and not check[0](value):
            raise _err(
                pos,
                f"unable to compare field '{fdef.name}' (type '{fdef.kind}') with"
                f" {value!r}, expected {check[1]}",
            )
        return value


def _truth(value: Any) -> bool:
    # Like Ganeti, a cell without data does not exclude its row.
    if isinstance(value, Abnormal):
        return True
    return bool(value)


def _wrap(fdef: Field, test: Callable[[Any], bool]) -> Predicate:
    getter = fdef.getter

    def predicate(row: Any) -> bool:
        value = getter(row)
        if isinstance(value, Abnormal):
            return True
        return test(value)

    return predicate


class CompiledFilter:
    """A validated filter: a predicate over rows plus the fields it reads."""

    def __init__(self, predicate: Predicate, referenced: Sequence[Field]) -> None:
        self.predicate = predicate
        self.referenced = tuple(referenced)

    def __call__(self, row: Any) -> bool:
        return self.predicate(row)

    def needs(self) -> frozenset[str]:
        """Data kinds (DATA_*) the referenced fields need."""
        result: set[str] = set()
        for fdef in self.referenced:
            result |= fdef.needs
        return frozenset(result)


def compile_filter(fields: Mapping[str, Field], qfilter: Any) -> CompiledFilter | None:
    """Validate `qfilter` against `fields` and compile it; None for no filter.

    Raises errors.QueryFilterParseError naming the problem and its position.
    """
    if qfilter is None:
        return None
    compiler = _Compiler(fields)
    predicate = compiler.compile(qfilter, "filter", 0)
    return CompiledFilter(predicate, compiler.referenced)


def requested_names(qfilter: Any, namefield: str = "name") -> list[Any] | None:
    """The names a filter asks for when it is only an OR of `namefield` equalities.

    Returns them in order without duplicates, or None when the filter selects by anything
    else (then every item must be considered, and unknown names are not an error).
    """
    names: list[Any] = []

    def walk(node: Any) -> bool:
        if not isinstance(node, (list, tuple)) or not node:
            return False
        op, *operands = node
        if op == OP_OR:
            return all(walk(sub) for sub in operands)
        if op in EQUALITY_OPS and len(operands) == 2 and operands[0] == namefield:
            names.append(operands[1])
            return True
        return False

    if qfilter is None or not walk(qfilter) or not names:
        return None
    unique: list[Any] = []
    for name in names:
        if name not in unique:
            unique.append(name)
    return unique


def make_simple_filter(namefield: str, values: Sequence[Any] | None) -> list[Any] | None:
    """Ganeti's MakeSimpleFilter: an OR of equalities, or None for no values."""
    if not values:
        return None
    return [OP_OR, *([OP_EQUAL, namefield, value] for value in values)]

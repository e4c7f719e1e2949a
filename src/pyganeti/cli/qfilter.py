"""Ganeti's query filter language: text such as 'status == "running" and not admin_state'
parsed into the list form luxi queries take, plus the name-argument filters of list commands.
"""

from __future__ import annotations

import re
from typing import Any

from pyganeti import errors

OP_OR = "|"
OP_AND = "&"
OP_NOT = "!"
OP_TRUE = "?"
OP_EQUAL = "=="
OP_NOT_EQUAL = "!="
OP_LT = "<"
OP_LE = "<="
OP_GT = ">"
OP_GE = ">="
OP_REGEXP = "=~"
OP_CONTAINS = "=[]"

# A name argument containing any of these is taken to be a filter expression.
FILTER_DETECTION_CHARS = frozenset(" \t\n\v\f\r!\"'()/<=>\\~")
GLOB_DETECTION_CHARS = frozenset("*?")

_BINARY_OPS = {
    "==": OP_EQUAL,
    "=": OP_EQUAL,
    "!=": OP_NOT_EQUAL,
    "<": OP_LT,
    "<=": OP_LE,
    ">": OP_GT,
    ">=": OP_GE,
}
# Longest first, so "<=" is not read as "<" followed by "=".
_OPERATORS = ("=~", "!~", "=*", "!*", "==", "!=", "<=", ">=", "=", "<", ">")
_REGEXP_DELIMS = "/#^|"
_REGEXP_FLAGS = frozenset("si")
_FIELD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_/.]*")
_NUMBER_RE = re.compile(r"[+-]?[0-9]+")
_KEYWORDS = ("and", "or", "not", "in")


def dns_glob_pattern(pattern: str) -> str:
    """Regexp for a DNS name glob: '*' and '?' never match the dot between labels."""
    parts = []
    for piece in re.findall(r"\*|\?|[^*?]+", pattern):
        parts.append("[^.]*" if piece == "*" else "[^.]" if piece == "?" else re.escape(piece))
    return "^" + "".join(parts) + r"(\..*)?$"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> errors.QueryFilterParseError:
        return errors.QueryFilterParseError(
            f"Failed to parse query filter '{self.text}': {what} (at char {self.pos})"
        )

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek_keyword(self, word: str) -> bool:
        self.skip_ws()
        end = self.pos + len(word)
        if self.text[self.pos : end] != word:
            return False
        return end >= len(self.text) or not (self.text[end].isalnum() or self.text[end] in "_/.")

    def take_keyword(self, word: str) -> bool:
        if self.peek_keyword(word):
            self.pos += len(word)
            return True
        return False

    def parse(self) -> list[Any]:
        result = self.or_expr()
        self.skip_ws()
        if self.pos != len(self.text):
            raise self.fail("unexpected text")
        return result

    def _chain(self, op: str, word: str, sub: Any) -> list[Any]:
        items = [sub()]
        while self.take_keyword(word):
            items.append(sub())
        return items[0] if len(items) == 1 else [op, *items]

    def or_expr(self) -> list[Any]:
        return self._chain(OP_OR, "or", self.and_expr)

    def and_expr(self) -> list[Any]:
        return self._chain(OP_AND, "and", self.not_expr)

    def not_expr(self) -> list[Any]:
        # "not in" belongs to a condition ('"x" not in tags'), never starts one.
        if self.peek_keyword("not"):
            self.pos += 3
            return [OP_NOT, self.not_expr()]
        return self.atom()

    def atom(self) -> list[Any]:
        self.skip_ws()
        if self.text.startswith("(", self.pos):
            self.pos += 1
            inner = self.or_expr()
            self.skip_ws()
            if not self.text.startswith(")", self.pos):
                raise self.fail("expected ')'")
            self.pos += 1
            return inner
        return self.condition()

    def value(self) -> Any | None:
        """A number or quoted string at the cursor, else None (cursor unchanged)."""
        self.skip_ws()
        if self.pos < len(self.text) and self.text[self.pos] in "\"'":
            quote = self.text[self.pos]
            end = self.pos + 1
            while end < len(self.text) and self.text[end] != quote:
                end += 2 if self.text[end] == "\\" else 1
            if end >= len(self.text):
                raise self.fail("unterminated string")
            val = self.text[self.pos + 1 : end]
            self.pos = end + 1
            return val
        match = _NUMBER_RE.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return int(match.group())
        return None

    def field(self) -> str:
        self.skip_ws()
        match = _FIELD_RE.match(self.text, self.pos)
        if not match or match.group() in _KEYWORDS:
            raise self.fail("expected a field name")
        self.pos = match.end()
        return match.group()

    def regexp(self) -> str:
        self.skip_ws()
        if self.text.startswith("m", self.pos):
            self.pos += 1
        if self.pos >= len(self.text) or self.text[self.pos] not in _REGEXP_DELIMS:
            raise self.fail("expected a regular expression")
        delim = self.text[self.pos]
        end = self.pos + 1
        while end < len(self.text) and self.text[end] != delim:
            end += 2 if self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise self.fail("unterminated regular expression")
        body = self.text[self.pos + 1 : end].replace("\\" + delim, delim)
        self.pos = end + 1
        flags_match = re.compile(r"[A-Za-z]*").match(self.text, self.pos)
        flags = flags_match.group() if flags_match else ""
        self.pos += len(flags)
        unknown = set(flags) - _REGEXP_FLAGS
        if unknown:
            raise self.fail(f"Unknown regular expression flags: '{''.join(sorted(unknown))}'")
        pattern = (f"(?{''.join(sorted(set(flags)))})" if flags else "") + body
        try:
            re.compile(pattern)
        except re.error as err:
            raise self.fail(f"Invalid regular expression ({err})") from None
        return pattern

    def condition(self) -> list[Any]:
        start = self.pos
        val = self.value()
        if val is not None:
            if self.take_keyword("in"):
                return [OP_CONTAINS, self.field(), val]
            if self.take_keyword("not") and self.take_keyword("in"):
                return [OP_NOT, [OP_CONTAINS, self.field(), val]]
            self.pos = start
            raise self.fail("expected 'in' or 'not in' after a value")
        name = self.field()
        self.skip_ws()
        op = next((o for o in _OPERATORS if self.text.startswith(o, self.pos)), None)
        if op is None:
            return [OP_TRUE, name]
        self.pos += len(op)
        if op in ("=~", "!~"):
            cond = [OP_REGEXP, name, self.regexp()]
            return cond if op == "=~" else [OP_NOT, cond]
        rhs = self.value()
        if rhs is None:
            raise self.fail(f"expected a number or quoted string after '{op}'")
        if op in ("=*", "!*"):
            if not isinstance(rhs, str):
                raise self.fail(f"expected a quoted glob pattern after '{op}'")
            cond = [OP_REGEXP, name, dns_glob_pattern(rhs)]
            return cond if op == "=*" else [OP_NOT, cond]
        return [_BINARY_OPS[op], name, rhs]


def parse_filter(text: str) -> list[Any]:
    """The list form of a filter expression; QueryFilterParseError naming the problem."""
    return _Parser(text).parse()


def make_simple_filter(namefield: str, values: list[Any] | None) -> list[Any] | None:
    """name == v1 or name == v2 ...; None for no values."""
    if not values:
        return None
    return [OP_OR, *([OP_EQUAL, namefield, v] for v in values)]


def make_filter(
    args: list[str], force_filter: bool, namefield: str = "name", isnumeric: bool = False
) -> list[Any] | None:
    """The filter of a list command's arguments (names, globs, or one filter expression)."""
    if force_filter or (len(args) == 1 and set(args[0]) & FILTER_DETECTION_CHARS):
        if len(args) != 1:
            raise errors.OpPrereqError(
                "Exactly one argument must be given as a filter", errors.ECODE_INVAL
            )
        return parse_filter(args[0])
    if not args:
        return None
    parts: list[Any] = [OP_OR]
    for arg in args:
        if isnumeric:
            try:
                parts.append([OP_EQUAL, namefield, int(arg)])
            except ValueError:
                raise errors.OpPrereqError(
                    f"Invalid job ID passed: '{arg}'", errors.ECODE_INVAL
                ) from None
        elif set(arg) & GLOB_DETECTION_CHARS:
            parts.append([OP_REGEXP, namefield, dns_glob_pattern(arg)])
        else:
            parts.append([OP_EQUAL, namefield, arg])
    return parts

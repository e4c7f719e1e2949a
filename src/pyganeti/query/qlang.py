"""The text form of query filters (`gnt-* list --filter`, `-F`) and filters from arguments.

A small recursive-descent parser for Ganeti's qlang grammar:
  expr := or ; or := and ("or" and)* ; and := unary ("and" unary)* ; unary := "not" unary | atom
  atom := "(" expr ")" | value ["not"] "in" field | field op value | field ("=~"|"!~") regex
        | field ("=*"|"!*") string | field
Precedence is Ganeti's: not binds tightest, then and, then or.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pyganeti import errors
from pyganeti.query.filter import (
    OP_AND,
    OP_CONTAINS,
    OP_EQUAL,
    OP_GE,
    OP_GT,
    OP_LE,
    OP_LT,
    OP_NOT,
    OP_NOT_EQUAL,
    OP_OR,
    OP_REGEXP,
    OP_TRUE,
)

# Characters that make a single command-line argument a filter rather than a name.
FILTER_DETECTION_CHARS = frozenset(" \t\n\v\f\r!\"'()/<=>\\~")
GLOB_DETECTION_CHARS = frozenset("*?")

_BINARY_OPS = {
    "==": OP_EQUAL,
    "=": OP_EQUAL,  # legacy spelling
    "!=": OP_NOT_EQUAL,
    "<": OP_LT,
    "<=": OP_LE,
    ">": OP_GT,
    ">=": OP_GE,
}
# Longest first so "<=" is not read as "<".
_OPERATORS = ("==", "!=", "<=", ">=", "=~", "!~", "=*", "!*", "=", "<", ">")
_REGEX_DELIMITERS = "/#^|"
_REGEX_FLAGS = frozenset("si")
_KEYWORDS = frozenset(["and", "or", "not", "in"])
_FIELD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_/.]*")
_NUMBER_RE = re.compile(r"[-+]?[0-9]+")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/.")


def dns_glob_pattern(pattern: str) -> str:
    """Regular expression for a DNS-name glob: "*" and "?" never cross a dot.

    Matching starts at the leftmost label and any further domain parts are accepted.
    """
    parts: list[str] = []
    literal: list[str] = []
    for char in pattern:
        if char in "*?":
            parts.append(re.escape("".join(literal)))
            literal = []
            parts.append("[^.]*" if char == "*" else "[^.]")
        else:
            literal.append(char)
    parts.append(re.escape("".join(literal)))
    return "^" + "".join(parts) + r"(\..*)?$"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, problem: str, pos: int | None = None) -> errors.QueryFilterParseError:
        where = self.pos if pos is None else pos
        return errors.QueryFilterParseError(
            f"Failed to parse query filter '{self.text}': {problem} (at char {where})"
        )

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_space()
        return self.pos >= len(self.text)

    def peek_keyword(self, word: str) -> bool:
        self.skip_space()
        end = self.pos + len(word)
        if self.text[self.pos : end] != word:
            return False
        return end >= len(self.text) or self.text[end] not in _WORD_CHARS

    def take_keyword(self, word: str) -> bool:
        if self.peek_keyword(word):
            self.pos += len(word)
            return True
        return False

    def describe_next(self) -> str:
        if self.at_end():
            return "end of text"
        return repr(self.text[self.pos])

    def parse(self) -> list[Any]:
        result = self.parse_or()
        if not self.at_end():
            raise self.fail(f"expected end of text, found {self.describe_next()}")
        return result

    def parse_or(self) -> list[Any]:
        operands = [self.parse_and()]
        while self.take_keyword("or"):
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else [OP_OR, *operands]

    def parse_and(self) -> list[Any]:
        operands = [self.parse_not()]
        while self.take_keyword("and"):
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else [OP_AND, *operands]

    def parse_not(self) -> list[Any]:
        if self.take_keyword("not"):
            return [OP_NOT, self.parse_not()]
        return self.parse_atom()

    def parse_atom(self) -> list[Any]:
        self.skip_space()
        if self.text.startswith("(", self.pos):
            self.pos += 1
            inner = self.parse_or()
            self.skip_space()
            if not self.text.startswith(")", self.pos):
                raise self.fail(f"expected ')', found {self.describe_next()}")
            self.pos += 1
            return inner
        value = self.try_value()
        if value is not None:
            negate = self.take_keyword("not")
            if not self.take_keyword("in"):
                raise self.fail(f"expected 'in' after a value, found {self.describe_next()}")
            fieldname = self.field_name()
            condition = [OP_CONTAINS, fieldname, value[0]]
            return [OP_NOT, condition] if negate else condition
        fieldname = self.field_name()
        self.skip_space()
        op = next((o for o in _OPERATORS if self.text.startswith(o, self.pos)), None)
        if op is None:
            return [OP_TRUE, fieldname]
        self.pos += len(op)
        if op in ("=~", "!~"):
            condition = [OP_REGEXP, fieldname, self.regex()]
            return [OP_NOT, condition] if op == "!~" else condition
        if op in ("=*", "!*"):
            self.skip_space()
            start = self.pos
            glob = self.try_value()
            if glob is None or not isinstance(glob[0], str):
                raise self.fail("expected a quoted glob pattern", start)
            condition = [OP_REGEXP, fieldname, dns_glob_pattern(glob[0])]
            return [OP_NOT, condition] if op == "!*" else condition
        operand = self.try_value()
        if operand is None:
            raise self.fail(f"expected a number or quoted string, found {self.describe_next()}")
        return [_BINARY_OPS[op], fieldname, operand[0]]

    def field_name(self) -> str:
        self.skip_space()
        match = _FIELD_RE.match(self.text, self.pos)
        if match is None or match.group(0) in _KEYWORDS:
            raise self.fail(f"expected a field name, found {self.describe_next()}")
        self.pos = match.end()
        return match.group(0)

    def try_value(self) -> tuple[Any] | None:
        """A number or quoted string (as a 1-tuple), or None when none starts here."""
        self.skip_space()
        match = _NUMBER_RE.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()
            return (int(match.group(0)),)
        if self.pos < len(self.text) and self.text[self.pos] in "\"'":
            return (self.quoted(self.text[self.pos]),)
        return None

    def quoted(self, quote: str) -> str:
        # Ganeti keeps the text between the quotes verbatim (escapes are not decoded);
        # a backslash only stops the next character from ending the string.
        start = self.pos
        pos = self.pos + 1
        while pos < len(self.text):
            char = self.text[pos]
            if char == "\\" and pos + 1 < len(self.text):
                pos += 2
                continue
            if char in "\r\n":
                break
            if char == quote:
                self.pos = pos + 1
                return self.text[start + 1 : pos]
            pos += 1
        raise self.fail("unterminated quoted string", start)

    def regex(self) -> str:
        self.skip_space()
        start = self.pos
        if self.text.startswith("m", self.pos):
            self.pos += 1
        if self.pos >= len(self.text) or self.text[self.pos] not in _REGEX_DELIMITERS:
            raise self.fail(
                f"expected a regular expression delimited by one of {_REGEX_DELIMITERS!r}", start
            )
        delim = self.text[self.pos]
        pos = self.pos + 1
        body: list[str] = []
        while True:
            if pos >= len(self.text):
                raise self.fail("unterminated regular expression", start)
            char = self.text[pos]
            if char == "\\" and pos + 1 < len(self.text):
                # "\<delimiter>" stands for the delimiter; other escapes reach the regex
                # engine unchanged (Ganeti's parser dropped every backslash, which made
                # "\d" or "\." impossible to write).
                nxt = self.text[pos + 1]
                body.append(nxt if nxt == delim else char + nxt)
                pos += 2
                continue
            if char == delim:
                break
            body.append(char)
            pos += 1
        pos += 1
        flags_match = re.compile(r"[A-Za-z]*").match(self.text, pos)
        assert flags_match is not None
        flags = flags_match.group(0)
        unknown = sorted(set(flags) - _REGEX_FLAGS)
        if unknown:
            raise self.fail(f"unknown regular expression flags: '{''.join(unknown)}'", start)
        self.pos = flags_match.end()
        prefix = f"(?{''.join(sorted(set(flags)))})" if flags else ""
        pattern = prefix + "".join(body)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise self.fail(f"invalid regular expression ({exc})", start) from None
        return pattern


def parse_filter_text(text: str) -> list[Any]:
    """Parse a qlang filter string into the list form; QueryFilterParseError if invalid."""
    return _Parser(text).parse()


def is_filter_text(text: str) -> bool:
    """Whether a single argument looks like a filter rather than a name."""
    return bool(FILTER_DETECTION_CHARS & set(text))


def _name_part(namefield: str, text: str, isnumeric: bool) -> list[Any]:
    if isnumeric:
        try:
            number = int(text)
        except ValueError:
            raise errors.OpPrereqError(
                f"Invalid job ID passed: {text!r}", errors.ECODE_INVAL
            ) from None
        return [OP_EQUAL, namefield, number]
    if GLOB_DETECTION_CHARS & set(text):
        return [OP_REGEXP, namefield, dns_glob_pattern(text)]
    return [OP_EQUAL, namefield, text]


def make_filter(
    args: Sequence[str],
    force_filter: bool,
    namefield: str | None = None,
    isnumeric: bool = False,
) -> list[Any] | None:
    """Ganeti's MakeFilter: command arguments as a filter.

    One argument that looks like a filter (or force_filter) is parsed as qlang text;
    otherwise names (globs become regular expressions) are ORed; no arguments: None.
    """
    field = namefield or "name"
    if force_filter or (len(args) == 1 and is_filter_text(args[0])):
        if len(args) != 1:
            raise errors.OpPrereqError(
                "Exactly one argument must be given as a filter", errors.ECODE_INVAL
            )
        return parse_filter_text(args[0])
    if args:
        return [OP_OR, *(_name_part(field, arg, isnumeric) for arg in args)]
    return None

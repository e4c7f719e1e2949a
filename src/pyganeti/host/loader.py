"""Read a TOML host file into a `HostConfiguration`, with file and line in every error.

Spelling rule: keys are the seeds' names (``max-clients``, ``file-storage-paths``); a
seed name ending in "?" may be written with it (quoted: ``"ssl?" = false``) or without it
(``ssl = false``). TOML has no null, so ``false`` stands for the seeds' ``#f`` in fields
that are not booleans. tomllib reports no positions, so `KeyLines` finds each key's line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records.host import HostConfiguration
from pyganeti.host.records.schema import build

KeyPath = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=")
_KEY_PART = re.compile(_KEY)


def _split_dotted(dotted: str) -> list[str]:
    parts = []
    for m in _KEY_PART.finditer(dotted):
        text = m.group(0)
        if text[0] in "\"'":
            text = text[1:-1].encode().decode("unicode_escape") if text[0] == '"' else text[1:-1]
        parts.append(text)
    return parts


class KeyLines:
    """Line numbers of the keys and tables of a TOML document, by key path.

    Paths index arrays of tables by position: ("ganeti", "os", 1, "name") is the name
    of the second [[ganeti.os]]. Values nested inside inline tables or arrays map to
    the line of their enclosing key.
    """

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self._lines: dict[KeyPath, int] = {}
        self._index(text)

    def _resolve(self, parts: list[str], arrays: dict[KeyPath, int]) -> KeyPath:
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            if path in arrays:
                path = (*path, arrays[path] - 1)
        return path

    def _index(self, text: str) -> None:
        arrays: dict[KeyPath, int] = {}
        table: KeyPath = ()
        in_multiline: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline is not None:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            m = _ARRAY_HEADER.match(line)
            if m:
                parts = _split_dotted(m.group(1))
                parent = self._resolve(parts[:-1], arrays)
                array = (*parent, parts[-1])
                arrays[array] = arrays.get(array, 0) + 1
                table = (*array, arrays[array] - 1)
                self._lines.setdefault(array, number)
                self._lines[table] = number
                continue
            m = _TABLE_HEADER.match(line)
            if m:
                table = self._resolve(_split_dotted(m.group(1)), arrays)
                self._lines.setdefault(table, number)
                continue
            m = _KEY_LINE.match(line)
            if m:
                key_path = (*table, *_split_dotted(m.group(1)))
                self._lines.setdefault(key_path, number)
                rest = line[m.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote

    def line(self, path: KeyPath) -> int | None:
        """The line of `path`, or of its nearest enclosing key or table."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None


def loads_host(text: str, file: str = "<host file>") -> HostConfiguration:
    """Parse host file `text`; errors name `file`, the line, record and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line_match = re.search(r"line (\d+)", str(err))
        if line_match:
            line: int | None = int(line_match.group(1))
        elif "end of document" in str(err):
            line = max(1, len(text.splitlines()))
        else:
            line = None
        raise HostConfigError(f"not valid TOML: {err}", file=file, line=line) from None
    return build(HostConfiguration, data, KeyLines(text, file), ())


def load_host_file(path: str | Path) -> HostConfiguration:
    """Read and validate the host file at `path`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise HostConfigError(f"cannot read host file: {err.strerror}", file=str(p)) from None
    except UnicodeDecodeError:
        raise HostConfigError("host file is not UTF-8 text", file=str(p)) from None
    return loads_host(text, str(p))

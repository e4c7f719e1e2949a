"""parse_unit / format_unit: Ganeti's ParseUnit and FormatUnit semantics."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.cli.units import format_unit, parse_unit

GANETI_LIB = "/usr/share/ganeti/3.0"
HAVE_GANETI = os.path.isdir(os.path.join(GANETI_LIB, "ganeti"))


def run_ganeti(script: str, payload: Any) -> Any:
    env = dict(os.environ, PYTHONPATH=GANETI_LIB)
    proc = subprocess.run(
        ["/usr/bin/python3", "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(proc.stdout)


SIZES = [
    "0",
    "1",
    "4",
    "5",
    "1.5",
    ".5",
    "100",
    "1g",
    "1G",
    "1.1G",
    "2gb",
    "3GiB",
    "0.5t",
    "2TB",
    "1tib",
    "7 MiB",
    "7m",
    "10 mb",
    "1.001g",
]
VALUES = [0, 1, 512, 1023, 1024, 1536, 10240, 1048575, 1048576, 5000000, 2.5]


@pytest.mark.parametrize(
    ("text", "mib"),
    [
        ("0", 0),
        ("1", 4),
        ("4", 4),
        ("5", 8),
        ("1.5", 4),
        ("1g", 1024),
        ("1.1G", 1128),
        ("0.5t", 524288),
        ("2TB", 2097152),
        ("7 MiB", 8),
        ("3GiB", 3072),
    ],
)
def test_parse_unit(text: str, mib: int) -> None:
    assert parse_unit(text) == mib


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Invalid format for size ''"),
        ("abc", "Invalid format for size 'abc'"),
        ("-1", "Invalid format for size '-1'"),
        ("1.2.3", "Invalid number in size '1.2.3'"),
        ("1x", "Unknown unit 'x' in size '1x'"),
        ("1 kb", "Unknown unit 'kb' in size '1 kb'"),
    ],
)
def test_parse_unit_rejects_bad_sizes(text: str, message: str) -> None:
    with pytest.raises(errors.UnitParseError) as exc:
        parse_unit(text)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("value", "units", "text"),
    [
        (0, "h", "0M"),
        (512, "h", "512M"),
        (1024, "h", "1.0G"),
        (1536, "h", "1.5G"),
        (1048576, "h", "1.0T"),
        (1536, "m", "1536"),
        (1536, "g", "1.5"),
        (1048576, "t", "1.0"),
    ],
)
def test_format_unit(value: int, units: str, text: str) -> None:
    assert format_unit(value, units) == text


def test_format_unit_rejects_bad_arguments() -> None:
    with pytest.raises(errors.ProgrammerError, match="Invalid unit specified 'k'"):
        format_unit(1, "k")
    with pytest.raises(errors.ProgrammerError, match="Invalid value specified"):
        format_unit("12", "h")  # type: ignore[arg-type]


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_same_results_as_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti.utils import text\n"
        "sizes, values = json.load(sys.stdin)\n"
        "print(json.dumps([[text.ParseUnit(s) for s in sizes],\n"
        "                  [[text.FormatUnit(v, u) for u in 'hmgt'] for v in values]]))\n"
    )
    parsed, formatted = run_ganeti(script, [SIZES, VALUES])
    assert [parse_unit(s) for s in SIZES] == parsed
    assert [[format_unit(v, u) for u in "hmgt"] for v in VALUES] == formatted

"""The qlang text form: parsing (checked against Ganeti's own parser), errors, make_filter."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from query_sample import HAVE_GANETI, run_ganeti

from pyganeti import errors
from pyganeti.query.qlang import dns_glob_pattern, is_filter_text, make_filter, parse_filter_text

TEXTS = [
    'name == "inst1"',
    "name = 'inst1'",
    'name != "x" or mtotal < 1024',
    "a and b or not c",
    "a and (b or c)",
    "not not a",
    "not a and b",
    "a or b and c",
    "x != 1 or y < 2 or z >= 3 or w <= -4 or v > +5",
    '"web" in tags',
    '"web" not in tags and admin_up',
    "7 in disk.sizes",
    "name =~ m/inst[0-9]+/",
    "name =~ /a\\/b/i",
    "name !~ #x|y#s",
    "name =~ ^abc^",
    'name =* "*.example.com"',
    "name !* 'web?'",
    'pnode.group == "default" and (oper_ram > 512 or status == "ERROR_down")',
    'hv/kernel_path == ""',
    '   name   ==   "spaced"   ',
    'notes == "n" and order',
]


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_parse_matches_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti import qlang\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps([qlang.ParseFilter(t) for t in texts]))\n"
    )
    expected = run_ganeti(script, TEXTS)
    assert [parse_filter_text(text) for text in TEXTS] == expected


def test_specific_structures() -> None:
    assert parse_filter_text("a and b or not c") == [
        "|",
        ["&", ["?", "a"], ["?", "b"]],
        ["!", ["?", "c"]],
    ]
    assert parse_filter_text('"x" not in tags') == ["!", ["=[]", "tags", "x"]]
    assert parse_filter_text("mtotal > -5") == [">", "mtotal", -5]
    assert parse_filter_text("name =~ m/a/si") == ["=~", "name", "(?is)a"]


def test_regex_escapes_reach_the_regex_engine() -> None:
    # Deliberate difference from Ganeti, whose parser dropped every backslash.
    assert parse_filter_text(r"name =~ m/\d+\./") == ["=~", "name", r"\d+\."]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name ==", "expected a number or quoted string, found end of text"),
        ("name == inst1", "expected a number or quoted string, found 'i'"),
        ("(a", "expected ')', found end of text"),
        ("a b", "expected end of text, found 'b' (at char 2)"),
        ("", "expected a field name, found end of text"),
        ("and", "expected a field name"),
        ('"x" tags', "expected 'in' after a value"),
        ('name == "open', "unterminated quoted string (at char 8)"),
        ("name =~ m/a/x", "unknown regular expression flags: 'x'"),
        ("name =~ m/(/", "invalid regular expression"),
        ("name =~ m/abc", "unterminated regular expression"),
        ("name =~ abc", "expected a regular expression delimited"),
        ("name =* 5", "expected a quoted glob pattern"),
    ],
)
def test_bad_text_is_a_clear_parse_error(text: str, message: str) -> None:
    with pytest.raises(errors.QueryFilterParseError) as exc:
        parse_filter_text(text)
    assert message in str(exc.value)
    assert f"'{text}'" in str(exc.value)


def test_dns_glob_pattern() -> None:
    regex = re.compile(dns_glob_pattern("web*.example"))
    assert regex.match("web1.example")
    assert regex.match("web1.example.com")
    assert not regex.match("web1.sub.example")
    assert re.compile(dns_glob_pattern("n?")).match("n1.x")
    assert not re.compile(dns_glob_pattern("n?")).match("n12")


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_glob_pattern_matches_ganeti() -> None:
    patterns = ["*.site", "web?", "a.b*c", "[x]+*", "plain"]
    script = (
        "import json, sys\n"
        "from ganeti import utils\n"
        "print(json.dumps([utils.DnsNameGlobPattern(p) for p in json.load(sys.stdin)]))\n"
    )
    assert [dns_glob_pattern(p) for p in patterns] == run_ganeti(script, patterns)


@pytest.mark.parametrize(
    ("args", "force", "kwargs", "expected"),
    [
        ([], False, {}, None),
        (["a", "b"], False, {}, ["|", ["==", "name", "a"], ["==", "name", "b"]]),
        (["web*"], False, {}, ["|", ["=~", "name", dns_glob_pattern("web*")]]),
        (['name == "a"'], False, {}, ["==", "name", "a"]),
        (["admin_up"], True, {}, ["?", "admin_up"]),
        (
            ["1", "22"],
            False,
            {"namefield": "id", "isnumeric": True},
            ["|", ["==", "id", 1], ["==", "id", 22]],
        ),
    ],
)
def test_make_filter(args: list[str], force: bool, kwargs: dict[str, Any], expected: Any) -> None:
    assert make_filter(args, force, **kwargs) == expected


def test_make_filter_errors() -> None:
    with pytest.raises(errors.OpPrereqError, match="Exactly one argument"):
        make_filter(["a", "b"], True)
    with pytest.raises(errors.OpPrereqError, match="Invalid job ID passed: 'x'"):
        make_filter(["x"], False, namefield="id", isnumeric=True)


def test_filter_detection() -> None:
    assert is_filter_text("a == b")
    assert is_filter_text("x(")
    assert not is_filter_text("inst1.example.com")
    assert not is_filter_text("web*")


GLOBS = ['"*.site"', "'n?'"]


def _random_filter_text(rng: random.Random, depth: int = 0) -> str:
    """A random but valid qlang expression (fixed seed, so the batch is reproducible)."""
    field = rng.choice(["name", "os", "be/memory", "nic.ip/0", "tags", "admin_up", "x_1"])
    value = rng.choice(['"web"', "'db'", "42", "-7", "+3", '"a b"', '""'])
    atoms = [
        f"{field} {rng.choice(['==', '=', '!=', '<', '<=', '>', '>='])} {value}",
        field,
        f"{value} in {field}",
        f"{value} not in {field}",
        f"{field} =~ m/{rng.choice(['^inst', 'a|b', '[0-9]+'])}/{rng.choice(['', 'i', 's'])}",
        f"{field} !~ #{rng.choice(['x', 'y.*'])}#",
        f"{field} =* {rng.choice(GLOBS)}",
    ]
    if depth < 2 and rng.random() < 0.6:
        left = _random_filter_text(rng, depth + 1)
        right = _random_filter_text(rng, depth + 1)
        form = rng.choice(["{} and {}", "{} or {}", "({}) and ({})", "not {} or {}", "({})  or {}"])
        return form.format(left, right)
    return rng.choice(atoms)


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_random_expressions_parse_like_ganeti() -> None:
    rng = random.Random(20261121)
    texts = [_random_filter_text(rng) for _ in range(100)]
    script = (
        "import json, sys\n"
        "from ganeti import errors, qlang\n"
        "parser = qlang.BuildFilterParser()\n"
        "out = []\n"
        "for text in json.load(sys.stdin):\n"
        "    try:\n"
        "        out.append(qlang.ParseFilter(text, parser))\n"
        "    except errors.QueryFilterParseError:\n"
        "        out.append(None)\n"
        "print(json.dumps(out))\n"
    )
    expected = run_ganeti(script, texts)
    compared = 0
    for text, want in zip(texts, expected, strict=True):
        if want is None:
            # Ganeti reads a keyword after a regular expression ("/x/ and ...") as regex
            # flags and fails; we take flags only right after the delimiter.
            assert "~" in text, text
            parse_filter_text(text)
        else:
            assert parse_filter_text(text) == want, text
            compared += 1
    assert compared > 60


def test_regex_followed_by_keyword() -> None:
    assert parse_filter_text("name =~ /x/ and os") == ["&", ["=~", "name", "x"], ["?", "os"]]

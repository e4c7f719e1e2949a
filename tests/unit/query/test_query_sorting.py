"""Nice sort: digit runs compare as numbers, like Ganeti's NiceSort."""

from __future__ import annotations

import pytest
from query_sample import HAVE_GANETI, run_ganeti

from pyganeti.query.sorting import nice_sort

NAMES = [
    "inst10",
    "inst2",
    "inst1",
    "inst",
    "a1b2c3d4e5f6g7h8i9",
    "a1b2c3d4e5f6g7h8i10",
    "node10.example.com",
    "node9.example.com",
    "10",
    "9",
    "",
    "B",
    "a",
    "x01",
    "x1",
    "n1.2",
    "n1.10",
]


def test_numbers_inside_names_sort_numerically() -> None:
    assert nice_sort(["inst10", "inst2", "inst1"]) == ["inst1", "inst2", "inst10"]
    assert nice_sort(["node10.example.com", "node9.example.com"]) == [
        "node9.example.com",
        "node10.example.com",
    ]


def test_key_function() -> None:
    items = [("b10", 1), ("b9", 2)]
    assert nice_sort(items, key=lambda item: item[0]) == [("b9", 2), ("b10", 1)]


@pytest.mark.skipif(not HAVE_GANETI, reason="Ganeti 3.0 sources not installed")
def test_same_order_as_ganeti() -> None:
    script = (
        "import json, sys\n"
        "from ganeti import utils\n"
        "print(json.dumps(utils.NiceSort(json.load(sys.stdin))))\n"
    )
    assert nice_sort(NAMES) == run_ganeti(script, NAMES)

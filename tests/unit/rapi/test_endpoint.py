"""Query-string checking against the declared arguments."""

from __future__ import annotations

import pytest

from pyganeti.http.messages import HttpError
from pyganeti.rapi.endpoint import BULK, DRY_RUN, QueryArg, parse_query

TAG = QueryArg("tag", "multi", "tags", "tags", [])
TYPE = QueryArg("type", "str", "kind", "reboot_type", "hard")
COUNT = QueryArg("count", "int", "count")


def test_values_defaults_and_last_value_wins() -> None:
    args = parse_query(
        {"bulk": ["0", "1"], "tag": ["a", "b"], "count": ["-3"]}, (BULK, DRY_RUN, TAG, TYPE, COUNT)
    )
    assert args == {
        "bulk": True,
        "dry-run": False,
        "tag": ["a", "b"],
        "type": "hard",
        "count": -3,
        "reason": None,
    }


def test_reason_is_accepted_everywhere() -> None:
    assert parse_query({"reason": ["because"]}, ())["reason"] == "because"


@pytest.mark.parametrize(
    ("query", "word"),
    [({"bluk": ["1"]}, "'bluk'"), ({"bulk": ["yes"]}, "'bulk'"), ({"count": [""]}, "'count'")],
)
def test_bad_arguments_are_named(query: dict[str, list[str]], word: str) -> None:
    with pytest.raises(HttpError) as err:
        parse_query(query, (BULK, COUNT))
    assert err.value.status == 400 and word in err.value.message

"""Backend parameters are typed on the master too: units for memory, clear errors."""

from __future__ import annotations

import pytest

from pyganeti import errors
from pyganeti.cmdlib.instance_create import check_beparams


def test_memory_with_units_and_legacy_memory() -> None:
    assert check_beparams({"maxmem": "1G", "minmem": "512M"}) == {"maxmem": 1024,
                                                                   "minmem": 512}
    assert check_beparams({"memory": 256}) == {"maxmem": 256, "minmem": 256}
    assert check_beparams({"vcpus": "2", "auto_balance": "false"}) == {
        "vcpus": 2, "auto_balance": False}


@pytest.mark.parametrize(("given", "message"), [
    ({"maxmem": "lots"}, "maxmem"),
    ({"vcpus": True}, "vcpus"),
    ({"nosuch": 1}, "Unknown backend parameter 'nosuch'"),
    ({"minmem": 512, "maxmem": 256}, "minmem is larger than maxmem"),
])
def test_bad_backend_parameters(given: dict[str, object], message: str) -> None:
    with pytest.raises(errors.OpPrereqError, match=message):
        check_beparams(given)

"""The generated reference documentation is complete and committed up to date."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pyganeti.host.docs import main, render_reference
from pyganeti.host.records import ALL_RECORDS
from pyganeti.host.records.schema import seed_key

REFERENCE = Path(__file__).resolve().parents[3] / "docs" / "reference" / "host.md"


def test_committed_reference_is_up_to_date() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == render_reference(), (
        "docs/reference/host.md is stale: run python -m pyganeti.host.docs"
    )


def test_every_field_of_every_record_is_documented() -> None:
    text = render_reference()
    for cls in ALL_RECORDS:
        assert f"## `{cls.RECORD}`" in text
        for f in dataclasses.fields(cls):
            assert f"| `{seed_key(f)}` |" in text


def test_rapi_ssl_disagreement_is_documented() -> None:
    assert "Ganeti's own default, TLS on, holds" in render_reference()


def test_check_mode(tmp_path: Path) -> None:
    out = tmp_path / "host.md"
    assert main(["--output", str(out), "--check"]) == 1
    assert main(["--output", str(out)]) == 0
    assert main(["--output", str(out), "--check"]) == 0
    out.write_text(out.read_text() + "edit\n")
    assert main(["--output", str(out), "--check"]) == 1

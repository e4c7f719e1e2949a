"""Helpers to lay out OS definitions in a temporary root."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pyganeti.paths import Paths

SCRIPT_NAMES = ("create", "export", "import", "rename", "verify")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    p = Paths.from_root(tmp_path / "root")
    p.ensure_dirs()
    return p


MakeOs = Callable[..., Path]


@pytest.fixture
def make_os(paths: Paths) -> MakeOs:
    def _make(
        name: str,
        *,
        api: str = "20\n",
        variants: str | None = "default\nother\n",
        parameters: str = "size disk size\n",
        scripts: dict[str, str] | None = None,
        search_index: int = 0,
    ) -> Path:
        d = paths.os_search_path[search_index] / name
        d.mkdir(parents=True)
        (d / "ganeti_api_version").write_text(api)
        if variants is not None:
            (d / "variants.list").write_text(variants)
        (d / "parameters.list").write_text(parameters)
        bodies = {s: "#!/bin/sh\nexit 0\n" for s in SCRIPT_NAMES}
        bodies.update(scripts or {})
        for script, body in bodies.items():
            f = d / script
            f.write_text(body)
            f.chmod(0o755)
        return d

    return _make

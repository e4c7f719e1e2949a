"""OS discovery on the search path with Ganeti's validity rules."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti import errors
from pyganeti.osprovider import diagnose, find_os, install_builtin_os, split_name
from pyganeti.paths import Paths


def by_name(paths: Paths) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in diagnose(paths)}


def test_valid_os_is_found_with_variants_and_parameters(paths: Paths, make_os: Any) -> None:
    d = make_os("debootstrap", variants="# comment\ndefault\n\nbuster\n")
    found = by_name(paths)["debootstrap"]
    assert found == {
        "name": "debootstrap",
        "path": str(d),
        "status": True,
        "diagnose": "",
        "variants": ["default", "buster"],
        "parameters": [["size", "disk size"]],
        "api_versions": [20],
        "trusted": True,
    }
    os_def = find_os(paths, "debootstrap+buster")
    assert os_def.api_version == 20
    assert set(os_def.scripts) == {"create", "export", "import", "rename", "verify"}


def test_invalid_definitions_are_diagnosed(paths: Paths, make_os: Any) -> None:
    make_os("oldapi", api="5\n")
    make_os("noapi")
    (paths.os_search_path[0] / "noapi" / "ganeti_api_version").unlink()
    d = make_os("noexec")
    (d / "rename").chmod(0o644)
    d = make_os("noparams")
    (d / "parameters.list").unlink()
    d = make_os("nocreate")
    (d / "create").unlink()
    found = by_name(paths)
    assert not any(o["status"] for o in found.values())
    assert "API version mismatch" in found["oldapi"]["diagnose"]
    assert "ganeti_api_version" in found["noapi"]["diagnose"]
    assert (
        "'rename'" in found["noexec"]["diagnose"]
        and "not executable" in found["noexec"]["diagnose"]
    )
    assert "'parameters.list'" in found["noparams"]["diagnose"]
    assert "create script" in found["nocreate"]["diagnose"]
    with pytest.raises(errors.OpPrereqError, match=r"OS 'noexec' is invalid"):
        find_os(paths, "noexec")


def test_variants_are_optional_and_checked(paths: Paths, make_os: Any) -> None:
    make_os("plain", variants=None)
    assert find_os(paths, "plain").variants == []
    with pytest.raises(errors.OpPrereqError, match=r"does not support variants"):
        find_os(paths, "plain+x")
    make_os("multi")
    with pytest.raises(errors.OpPrereqError, match=r"no variant 'nope'.*default, other"):
        find_os(paths, "multi+nope")


def test_search_order_and_missing(paths: Paths, make_os: Any) -> None:
    make_os("dup", search_index=1, variants="second\n")
    make_os("dup", search_index=0, variants="first\n")
    assert find_os(paths, "dup").variants == ["first"]
    with pytest.raises(errors.OpPrereqError) as info:
        find_os(paths, "absent")
    assert info.value.ecode == errors.ECODE_NOENT
    assert "not found in the OS search path" in info.value.message
    with pytest.raises(errors.OpPrereqError, match=r"invalid OS name"):
        find_os(paths, "../etc")


def test_split_name() -> None:
    assert split_name("deb+buster") == ("deb", "buster")
    assert split_name("deb") == ("deb", "")


def test_builtin_noop_only_after_install(paths: Paths) -> None:
    assert "noop" not in by_name(paths)
    target = install_builtin_os(paths)
    assert target == paths.os_search_path[0] / "noop"
    noop = by_name(paths)["noop"]
    assert noop["status"] is True, noop["diagnose"]
    assert noop["variants"] == ["default"] and noop["api_versions"] == [20]
    install_builtin_os(paths)  # re-install replaces
    with pytest.raises(errors.OpPrereqError, match=r"no built-in OS named 'nope'"):
        install_builtin_os(paths, "nope")

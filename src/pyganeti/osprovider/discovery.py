"""Find OS definitions on the OS search path and check them by Ganeti's rules."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyganeti import errors
from pyganeti.paths import Paths

API_VERSIONS = frozenset({10, 15, 20})
API_FILE = "ganeti_api_version"
VARIANTS_FILE = "variants.list"
PARAMETERS_FILE = "parameters.list"
SCRIPT_CREATE = "create"
SCRIPT_CREATE_UNTRUSTED = "create_untrusted"
SCRIPTS = ("create", "create_untrusted", "export", "import", "rename", "verify")


@dataclass(frozen=True)
class OsDefinition:
    """A valid OS found on disk; `scripts` maps script name → absolute path."""

    name: str
    path: str
    api_versions: list[int]
    variants: list[str]
    parameters: list[list[str]]  # [name, documentation]
    scripts: dict[str, str] = field(default_factory=dict)

    @property
    def api_version(self) -> int:
        """The highest API version both sides speak."""
        return max(API_VERSIONS.intersection(self.api_versions))

    @property
    def trusted(self) -> bool:
        return SCRIPT_CREATE in self.scripts

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "status": True,
            "diagnose": "",
            "variants": list(self.variants),
            "parameters": [list(p) for p in self.parameters],
            "api_versions": list(self.api_versions),
            "trusted": self.trusted,
        }


def split_name(full_name: str) -> tuple[str, str]:
    """'debootstrap+buster' → ('debootstrap', 'buster'); no variant → ''."""
    name, _, variant = full_name.partition("+")
    return name, variant


def _read_api_versions(os_dir: Path) -> list[int]:
    api_file = os_dir / API_FILE
    try:
        text = api_file.read_text()
    except OSError as err:
        raise _Invalid(
            f"required file '{API_FILE}' not found under path {os_dir}: {err.strerror}"
        ) from None
    try:
        versions = [int(line.strip()) for line in text.splitlines() if line.strip()]
    except ValueError as err:
        raise _Invalid(f"API version(s) in {api_file} are not integers: {err}") from None
    if not API_VERSIONS.intersection(versions):
        raise _Invalid(
            f"API version mismatch for path '{os_dir}': found {versions},"
            f" want one of {sorted(API_VERSIONS)}"
        )
    return versions


class _Invalid(Exception):
    """An OS directory that is not a valid OS definition (message says why)."""


def load_os(name: str, os_dir: Path) -> OsDefinition:
    """Check `os_dir` like Ganeti does; raises _Invalid with the reason."""
    versions = _read_api_versions(os_dir)
    top = max(API_VERSIONS.intersection(versions))
    # True means required.
    wanted: dict[str, bool] = {s: True for s in SCRIPTS}
    wanted[SCRIPT_CREATE] = False
    wanted[SCRIPT_CREATE_UNTRUSTED] = False
    if top >= 15:
        wanted[VARIANTS_FILE] = False
    if top >= 20:
        wanted[PARAMETERS_FILE] = True
    else:
        del wanted["verify"]
    found: dict[str, str] = {}
    for fname, required in wanted.items():
        fpath = os_dir / fname
        try:
            st = fpath.stat()
        except FileNotFoundError:
            if not required:
                continue
            raise _Invalid(f"file '{fname}' under path '{os_dir}' is missing") from None
        except OSError as err:
            raise _Invalid(f"file '{fname}' under path '{os_dir}': {err.strerror}") from None
        if not stat.S_ISREG(st.st_mode):
            raise _Invalid(f"file '{fname}' under path '{os_dir}' is not a regular file")
        if fname in SCRIPTS and not st.st_mode & stat.S_IXUSR:
            raise _Invalid(f"file '{fname}' under path '{os_dir}' is not executable")
        found[fname] = str(fpath)
    if SCRIPT_CREATE not in found and SCRIPT_CREATE_UNTRUSTED not in found:
        raise _Invalid(f"a create script (trusted or untrusted) under path '{os_dir}' must exist")
    variants: list[str] = []
    if VARIANTS_FILE in found:
        variants = _lines(Path(found.pop(VARIANTS_FILE)), comments=True)
    parameters: list[list[str]] = []
    if PARAMETERS_FILE in found:
        for line in _lines(Path(found.pop(PARAMETERS_FILE)), comments=False):
            parts = line.split(None, 1)
            parameters.append([parts[0], parts[1] if len(parts) > 1 else ""])
    return OsDefinition(name, str(os_dir), versions, variants, parameters, found)


def _lines(path: Path, comments: bool) -> list[str]:
    try:
        text = path.read_text()
    except OSError as err:
        raise _Invalid(f"cannot read {path}: {err.strerror}") from None
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not (comments and line.startswith("#")):
            result.append(line)
    return result


def diagnose(paths: Paths) -> list[dict[str, Any]]:
    """Every OS directory on the search path, valid or not (first occurrence of a name wins)."""
    result: list[dict[str, Any]] = []
    for top in paths.os_search_path:
        try:
            names = sorted(os.listdir(top))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            continue
        for name in names:
            os_dir = top / name
            if name.startswith(".") or not os_dir.is_dir():
                continue
            try:
                result.append(load_os(name, os_dir).to_dict())
            except _Invalid as err:
                result.append(
                    {
                        "name": name,
                        "path": str(os_dir),
                        "status": False,
                        "diagnose": str(err),
                        "variants": [],
                        "parameters": [],
                        "api_versions": [],
                        "trusted": False,
                    }
                )
    return result


def find_os(paths: Paths, full_name: str) -> OsDefinition:
    """The OS called `full_name` (variant allowed) from the first search directory holding it."""
    name, variant = split_name(full_name)
    if not name or "/" in name or name.startswith("."):
        raise errors.OpPrereqError(f"invalid OS name {full_name!r}", errors.ECODE_INVAL)
    for top in paths.os_search_path:
        os_dir = top / name
        if os_dir.is_dir():
            break
    else:
        searched = ", ".join(str(p) for p in paths.os_search_path)
        raise errors.OpPrereqError(
            f"OS '{name}' not found in the OS search path ({searched})", errors.ECODE_NOENT
        )
    try:
        os_def = load_os(name, os_dir)
    except _Invalid as err:
        raise errors.OpPrereqError(f"OS '{name}' is invalid: {err}", errors.ECODE_INVAL) from None
    if variant and not os_def.variants:
        raise errors.OpPrereqError(
            f"OS '{name}' does not support variants ('{full_name}' given)", errors.ECODE_INVAL
        )
    if variant and variant not in os_def.variants:
        raise errors.OpPrereqError(
            f"OS '{name}' has no variant '{variant}' (variants: {', '.join(os_def.variants)})",
            errors.ECODE_INVAL,
        )
    return os_def

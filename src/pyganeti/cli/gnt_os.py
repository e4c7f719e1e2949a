"""gnt-os: list, diagnose and describe the operating system definitions of the cluster."""

from __future__ import annotations

from typing import Any

from pyganeti.cli import jobs, options, output, params
from pyganeti.cli.dispatch import Command, run
from pyganeti.cli.generic_info import generic_info_text
from pyganeti.cli.session import Session

OS_API_V15 = 15
OS_API_V20 = 20


def _diagnose(s: Session, fields: list[str]) -> Any:
    return jobs.submit_opcode(s, jobs.opcode("OP_OS_DIAGNOSE", output_fields=fields, names=[]))


def list_os(s: Session) -> int:
    result = _diagnose(s, ["name", "variants"])
    rows = [[name] for os_name, variants in result for name in params.os_names(os_name, variants)]
    headers = None if s.opts.no_headers else {"name": "Name"}
    for line in output.generate_table(headers, ["name"], None, rows):
        s.stdout(line)
    return 0


def show_os_info(s: Session) -> int:
    result = _diagnose(
        s,
        [
            "name",
            "valid",
            "variants",
            "parameters",
            "api_versions",
            "blacklisted",
            "hidden",
            "os_hvp",
            "osparams",
            "trusted",
        ],
    )
    if result is None:
        s.stderr("Can't get the OS list")
        return 1
    wanted = list(s.args)
    total_os_hvp: dict[str, Any] = {}
    total_osparams: dict[str, Any] = {}
    for (
        name,
        valid,
        variants,
        parameters,
        api_versions,
        blacklisted,
        hidden,
        os_hvp,
        osparams,
        trusted,
    ) in result:
        total_os_hvp.update(os_hvp or {})
        total_osparams.update(osparams or {})
        if s.args:
            if name not in wanted:
                continue
            wanted.remove(name)
        s.stdout(f"{name}:")
        s.stdout(f"  - valid: {valid}")
        s.stdout(f"  - hidden: {hidden}")
        s.stdout(f"  - blacklisted: {blacklisted}")
        if valid:
            s.stdout("  - API versions:")
            for version in sorted(api_versions or []):
                s.stdout(f"    - {version}")
            s.stdout("  - variants:")
            for variant in variants or []:
                s.stdout(f"    - {variant}")
            s.stdout("  - parameters:")
            for pname, pdesc in parameters or []:
                s.stdout(f"    - {pname}: {pdesc}")
        s.stdout(f"  - trusted: {trusted}")
        s.stdout("")
    # Names that are not OS definitions may still carry cluster-level parameters.
    for name in wanted:
        if name not in total_os_hvp and name not in total_osparams:
            s.stdout(f"{name}: ")
        else:
            s.stdout(
                generic_info_text(
                    [
                        (
                            name,
                            [
                                ("OS-specific hypervisor parameters", total_os_hvp.get(name, {})),
                                ("OS parameters", total_osparams.get(name, {})),
                            ],
                        )
                    ]
                )
            )
        s.stdout("")
    return 0


def _os_status(valid: bool, message: str) -> str:
    return "valid" if valid else f"invalid - {message}"


def _node_message(entry: list[Any]) -> tuple[bool, str]:
    path, valid, message, variants, parameters, api, trusted = entry
    text = f"{_os_status(valid, message)} (path: {path})"
    if api:
        max_api = max(api)
        text += f" [API versions: {', '.join(str(v) for v in api)}]"
    else:
        max_api = 0
        text += " [no API versions declared]"
    if max_api >= OS_API_V15:
        text += f" [variants: {', '.join(variants)}]" if variants else " [no variants]"
    if max_api >= OS_API_V20:
        if parameters:
            text += f" [parameters: {', '.join(p[0] for p in parameters)}]"
        else:
            text += " [no parameters]"
    text += " [trusted]" if trusted else " [untrusted]"
    return bool(valid), text


def diagnose_os(s: Session) -> int:
    result = _diagnose(s, ["name", "valid", "variants", "node_status", "hidden", "blacklisted"])
    if result is None:
        s.stderr("Can't get the OS list")
        return 1
    has_bad = False
    for os_name, _, variants, node_data, hidden, blacklisted in result:
        good: dict[str, str] = {}
        bad: dict[str, str] = {}
        shadowed: dict[str, list[str]] = {}
        for node, entries in (node_data or {}).items():
            shadowed[node] = []
            if not entries:
                bad[node] = "OS not found"
                continue
            ok, text = _node_message(entries[0])
            (good if ok else bad)[node] = text
            for hpath, hstatus, hmsg, *_ in entries[1:]:
                shadowed[node].append(
                    f"    [hidden] path: {hpath}, status: {_os_status(hstatus, hmsg)}"
                )
        if good and not bad:
            status = "valid"
        else:
            status = "invalid" if bad and not good else "partial valid"
            has_bad = True
        line = f"OS: {os_name} [global status: {status}]"
        line += " [hidden]" if hidden else ""
        line += " [blacklisted]" if blacklisted else ""
        s.stdout(line)
        if variants:
            s.stdout(f"  Variants: [{', '.join(variants)}]")
        for messages in (good, bad):
            for node in sorted(messages):
                s.stdout(f"  Node: {node}, status: {messages[node]}")
                for extra in shadowed[node]:
                    s.stdout(extra)
        s.stdout("")
    return int(has_bad)


COMMANDS: dict[str, Command] = {
    "list": Command(
        list_os,
        0,
        0,
        (options.NOHDR, options.PRIORITY),
        "",
        "Lists all valid operating systems on the cluster",
    ),
    "diagnose": Command(
        diagnose_os, 0, 0, (options.PRIORITY,), "", "Diagnose all operating systems"
    ),
    "info": Command(
        show_os_info,
        0,
        None,
        (options.PRIORITY,),
        "[<os>...]",
        "Show detailed information about operating systems",
    ),
}
ALIASES = {"show": "info"}


def main(argv: list[str] | None = None) -> int:
    return run("gnt-os", COMMANDS, argv, ALIASES)

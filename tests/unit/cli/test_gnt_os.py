"""gnt-os commands against the fake master daemon."""

from __future__ import annotations

from typing import Any

from pyganeti.cli import gnt_os


def test_list_expands_variants(cli: Any) -> None:
    cli.fake.script_job(opresult=[[["debootstrap", ["default", "minimal"]], ["guix", []]]])
    code, out, _ = cli.run(gnt_os.main, "list", "--no-headers")
    assert (code, out) == (0, "debootstrap+default\ndebootstrap+minimal\nguix\n")
    (op,) = cli.fake.submitted_ops()
    assert (op["OP_ID"], op["output_fields"], op["names"]) == (
        "OP_OS_DIAGNOSE",
        ["name", "variants"],
        [],
    )


def test_list_with_header(cli: Any) -> None:
    cli.fake.script_job(opresult=[[["guix", ["default"]]]])
    code, out, _ = cli.run(gnt_os.main, "list")
    assert code == 0
    assert [line.rstrip() for line in out.splitlines()] == ["Name", "guix+default"]


def test_list_takes_no_arguments(cli: Any) -> None:
    code, _, err = cli.run(gnt_os.main, "list", "guix")
    assert (code, err) == (1, "Error: Command list expects no arguments\n")


def _node_entry(valid: bool, message: str = "") -> list[Any]:
    return ["/srv/ganeti/os/guix", valid, message, ["default"], [["dhcp", "use dhcp"]], [20], True]


def test_diagnose_statuses(cli: Any) -> None:
    cli.fake.script_job(
        opresult=[
            [
                ["guix", True, ["default"], {"n1": [_node_entry(True)]}, False, False],
                ["broken", False, [], {"n1": [_node_entry(False, "no create script")],
                                       "n2": []}, True, False],
            ]
        ]
    )  # fmt: skip
    code, out, _ = cli.run(gnt_os.main, "diagnose")
    assert code == 1
    lines = out.splitlines()
    assert lines[:3] == [
        "OS: guix [global status: valid]",
        "  Variants: [default]",
        "  Node: n1, status: valid (path: /srv/ganeti/os/guix) [API versions: 20]"
        " [variants: default] [parameters: dhcp] [trusted]",
    ]
    assert lines[4] == "OS: broken [global status: invalid] [hidden]"
    assert "  Node: n2, status: OS not found" in lines
    assert any("invalid - no create script" in line for line in lines)


def test_info(cli: Any) -> None:
    cli.fake.script_job(
        opresult=[
            [["guix", True, ["default"], [["dhcp", "use dhcp"]], [20], False, False, {},
              {"guix": {"dhcp": "yes"}}, True]]
        ]
    )  # fmt: skip
    code, out, _ = cli.run(gnt_os.main, "info", "guix", "other")
    assert code == 0
    assert out.splitlines() == [
        "guix:", "  - valid: True", "  - hidden: False", "  - blacklisted: False",
        "  - API versions:", "    - 20", "  - variants:", "    - default", "  - parameters:",
        "    - dhcp: use dhcp", "  - trusted: True", "", "other: ", "",
    ]  # fmt: skip

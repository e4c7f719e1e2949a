"""gnt-node commands against the fake master daemon."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti.cli import gnt_node

NODE_FIELDS = {
    "name": ("Node", "text"),
    "dtotal": ("DTotal", "unit"),
    "dfree": ("DFree", "unit"),
    "mtotal": ("MTotal", "unit"),
    "mnode": ("MNode", "unit"),
    "mfree": ("MFree", "unit"),
    "pinst_cnt": ("Pinst", "number"),
    "sinst_cnt": ("Sinst", "number"),
    "pip": ("PrimaryIP", "text"),
    "sip": ("SecondaryIP", "text"),
    "pinst_list": ("PriInstances", "other"),
    "sinst_list": ("SecInstances", "other"),
    "master_candidate": ("MasterC", "bool"),
    "drained": ("Drained", "bool"),
    "offline": ("Offline", "bool"),
    "master_capable": ("MasterCapable", "bool"),
    "vm_capable": ("VMCapable", "bool"),
    "powered": ("Powered", "bool"),
    "ndparams": ("NodeParameters", "other"),
    "custom_ndparams": ("CustomNodeParameters", "other"),
}


@pytest.fixture
def nodes(cli: Any) -> Any:
    cli.fake.set_table(
        "node",
        NODE_FIELDS,
        [
            {"name": "n1", "dtotal": 102400, "dfree": 51200, "mtotal": 4096, "mnode": 1024,
             "mfree": 3072, "pinst_cnt": 2, "sinst_cnt": 0, "pip": "192.0.2.1",
             "sip": "192.0.2.1", "pinst_list": ["web1", "db1"], "sinst_list": [],
             "master_candidate": True, "drained": False, "offline": False,
             "master_capable": True, "vm_capable": True,
             "ndparams": {"ssh_port": 22, "spindle_count": 1},
             "custom_ndparams": {"ssh_port": 22}},
        ],
    )  # fmt: skip
    return cli


def test_list_default_fields(nodes: Any) -> None:
    code, out, _ = nodes.run(gnt_node.main, "list")
    assert code == 0
    assert nodes.fake.calls("Query")[0][1] == gnt_node.LIST_DEF_FIELDS
    header, row = out.splitlines()
    assert header.split() == ["Node", "DTotal", "DFree", "MTotal", "MNode", "MFree", "Pinst",
                              "Sinst"]  # fmt: skip
    assert row.split() == ["n1", "100.0G", "50.0G", "4.0G", "1.0G", "3.0G", "2", "0"]


def test_list_units_and_joined_lists(nodes: Any) -> None:
    code, out, _ = nodes.run(
        gnt_node.main, "list", "--no-headers", "--units", "m", "-o", "name,dfree,pinst_list"
    )
    assert code == 0
    assert out.split() == ["n1", "51200", "web1,db1"]


def test_list_unknown_units_is_a_usage_error(nodes: Any) -> None:
    code, _, err = nodes.run(gnt_node.main, "list", "--units", "q")
    assert code == 2 and "--units: invalid choice: 'q'" in err


def test_info(nodes: Any) -> None:
    code, out, _ = nodes.run(gnt_node.main, "info", "n1")
    assert code == 0
    assert out.splitlines() == [
        "- Node name: n1", "  primary ip: 192.0.2.1", "  secondary ip: 192.0.2.1",
        "  master candidate: True", "  drained: False", "  offline: False",
        "  master_capable: True", "  vm_capable: True", "  primary for instances: ",
        "    - db1", "    - web1", "  secondary for instances: ", "  node parameters: ",
        "    spindle_count: default (1)", "    ssh_port: 22",
    ]  # fmt: skip


def test_info_unknown_node(nodes: Any) -> None:
    code, _, err = nodes.run(gnt_node.main, "info", "n9")
    assert code == 1 and "Node 'n9' does not exist" in err


def test_modify(nodes: Any) -> None:
    nodes.fake.script_job(opresult=[[["drained", True]]])
    code, out, _ = nodes.run(gnt_node.main, "modify", "--drained", "yes", "-C", "no", "n1")
    assert code == 0
    assert out == "Modified node n1\n - drained -> True\n"
    op = nodes.fake.submitted_ops()[0]
    assert op["OP_ID"] == "OP_NODE_SET_PARAMS"
    assert (op["node_name"], op["drained"], op["master_candidate"]) == ("n1", True, False)
    assert "offline" not in op


def test_modify_bad_input(nodes: Any) -> None:
    code, _, err = nodes.run(gnt_node.main, "modify", "n1")
    assert code == 1 and "Please give at least one of the parameters." in err
    code, _, err = nodes.run(gnt_node.main, "modify", "--offline", "perhaps", "n1")
    assert code == 2 and "--offline: invalid yes/no value: 'perhaps'" in err
    # Bringing a node online asks first; without a terminal that means no.
    assert nodes.run(gnt_node.main, "modify", "--offline", "no", "n1")[0] == 1
    assert nodes.fake.submitted_ops() == []
    assert nodes.run(gnt_node.main, "modify", "-f", "--offline", "no", "n1")[0] == 0


def test_node_tags(nodes: Any) -> None:
    nodes.fake.tags[("node", "n1")] = ["rack1"]
    assert nodes.run(gnt_node.main, "list-tags", "n1")[1] == "rack1\n"
    assert nodes.run(gnt_node.main, "remove-tags", "n1", "rack1")[0] == 0
    op = nodes.fake.submitted_ops()[0]
    assert (op["OP_ID"], op["kind"], op["name"]) == ("OP_TAGS_DEL", "node", "n1")
    code, _, err = nodes.run(gnt_node.main, "list-tags")
    assert code == 1 and "expects 1 argument(s)" in err

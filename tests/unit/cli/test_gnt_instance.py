"""gnt-instance commands against the fake master daemon."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti.cli import gnt_instance

GENERIC = ("reason", "debug_level", "dry_run")
INSTANCE_FIELDS = {
    "name": ("Instance", "text"),
    "hypervisor": ("Hypervisor", "text"),
    "os": ("OS", "text"),
    "pnode": ("Primary_node", "text"),
    "status": ("Status", "text"),
    "oper_ram": ("Memory", "unit"),
    "tags": ("Tags", "other"),
    "console": ("Console", "other"),
    "oper_state": ("Running", "bool"),
}


@pytest.fixture
def instances(cli: Any) -> Any:
    cli.fake.set_table(
        "instance",
        INSTANCE_FIELDS,
        [
            {"name": "web1", "hypervisor": "kvm", "os": "debootstrap+default", "pnode": "n1",
             "status": "running", "oper_ram": 512, "tags": ["b", "a"], "oper_state": True,
             "console": {"kind": "msg", "message": "Use the serial socket", "instance": "web1"}},
            {"name": "db1", "hypervisor": "kvm", "os": "guix", "pnode": "n2",
             "status": "ADMIN_down", "oper_ram": None, "tags": [], "oper_state": False,
             "console": None},
        ],
    )  # fmt: skip
    return cli


def _op(cli: Any, idx: int = -1) -> dict[str, Any]:
    op = cli.fake.submitted_ops()[idx]
    return {k: v for k, v in op.items() if k not in GENERIC}


def test_add_builds_create_opcode(cli: Any) -> None:
    code, _, _ = cli.run(
        gnt_instance.main, "add", "-t", "plain", "-o", "debootstrap+default",
        "-n", "n1:n2", "--disk", "0:size=1G", "--disk", "1:size=512,mode=ro",
        "--net", "0:mac=aa:00:00:11:22:33,link=br0", "-H", "kvm:acpi=false",
        "-B", "maxmem=1G", "-O", "dhcp=yes", "--no-start", "--no-ip-check",
        "--no-name-check", "--tags", "x,y", "--file-storage-dir", "sub", "web2",
    )  # fmt: skip
    assert code == 0
    assert _op(cli) == {
        "OP_ID": "OP_INSTANCE_CREATE", "instance_name": "web2", "mode": "create",
        "disks": [{"size": 1024}, {"size": 512, "mode": "ro"}], "disk_template": "plain",
        "nics": [{"mac": "aa:00:00:11:22:33", "link": "br0"}], "conflicts_check": True,
        "pnode": "n1", "snode": "n2", "ip_check": False, "name_check": False,
        "wait_for_sync": True, "file_storage_dir": "sub", "hypervisor": "kvm",
        "hvparams": {"acpi": "false"}, "beparams": {"maxmem": 1024},
        "osparams": {"dhcp": "yes"}, "start": False, "os_type": "debootstrap+default",
        "force_variant": False, "no_install": False, "tags": ["x", "y"],
        "ignore_ipolicy": False,
    }  # fmt: skip


def test_add_defaults_one_nic_and_os_size(cli: Any) -> None:
    assert cli.run(gnt_instance.main, "add", "-t", "file", "-s", "2G", "-o", "x", "i1")[0] == 0
    op = _op(cli)
    assert op["disks"] == [{"size": 2048}] and op["nics"] == [{}]
    assert cli.run(gnt_instance.main, "add", "-t", "diskless", "--no-nics", "-o", "x", "i2")[0] == 0
    op = _op(cli)
    assert op["disks"] == [] and op["nics"] == []


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["-t", "plain", "i1"], "No disk information specified"),
        (["-t", "plain", "-s", "1G", "--disk", "0:size=1G", "i1"], "either the '--disk' or '-s'"),
        (["-t", "diskless", "-s", "1G", "i1"], "Diskless instance but disk information"),
        (
            ["-t", "plain", "--disk", "0:mode=rw", "i1"],
            "Missing size or adoption source for disk 0",
        ),
        (["-t", "plain", "--disk", "0:size=lots", "i1"], "Invalid disk size for disk 0"),
        (["-t", "plain", "--disk", "x:size=1", "i1"], "Invalid disk index passed"),
        (["-t", "plain", "-s", "1G", "--no-nics", "--net", "0:link=br0", "i1"], "--no-nics"),
    ],
)
def test_add_rejects_bad_input_without_submitting(cli: Any, argv: list[str], fragment: str) -> None:
    code, _, err = cli.run(gnt_instance.main, "add", *argv)
    assert code == 1
    assert fragment in err
    assert cli.fake.requests == []


def test_add_rejects_bad_os_size_as_usage_error(cli: Any) -> None:
    code, _, err = cli.run(gnt_instance.main, "add", "-t", "plain", "-s", "big", "i1")
    assert code == 2 and "-s/--os-size: invalid size 'big'" in err


def test_add_failure_from_master(cli: Any) -> None:
    cli.fake.script_job(
        status="error", opstatus=["error"],
        opresult=[["OpPrereqError", ["Instance 'i1' is already in the cluster", "already_exists"]]],
    )  # fmt: skip
    code, _, err = cli.run(gnt_instance.main, "add", "-t", "plain", "-s", "1G", "i1")
    assert code == 1
    assert err.endswith("error type: already_exists, error details:\n"
                        "Instance 'i1' is already in the cluster\n")  # fmt: skip


def test_list_default_fields_and_headers(instances: Any) -> None:
    code, out, _ = instances.run(gnt_instance.main, "list")
    assert code == 0
    (query,) = instances.fake.calls("Query")
    assert query == ["instance", ["name", "hypervisor", "os", "pnode", "status", "oper_ram"], None]
    lines = out.splitlines()
    assert lines[0].split() == ["Instance", "Hypervisor", "OS", "Primary_node", "Status", "Memory"]
    assert lines[1].split() == ["web1", "kvm", "debootstrap+default", "n1", "running", "512M"]


def test_list_no_headers_separator_and_names(instances: Any) -> None:
    code, out, _ = instances.run(
        gnt_instance.main, "list", "--no-headers", "--separator", "|", "-o", "name,tags", "web1"
    )
    assert code == 0
    assert out == "web1|b,a\n"
    assert instances.fake.calls("Query")[0][2] == ["|", ["==", "name", "web1"]]


def test_list_plus_fields_and_filter(instances: Any) -> None:
    code, out, _ = instances.run(
        gnt_instance.main, "list", "--no-headers", "-o", "+tags", "-F", 'status == "running"'
    )
    assert code == 0
    assert instances.fake.calls("Query")[0][1][-1] == "tags"
    assert instances.fake.calls("Query")[0][2] == ["==", "status", "running"]
    assert out.splitlines()[0].split()[0] == "web1"


def test_list_unknown_field_exits_14(instances: Any) -> None:
    code, _out, err = instances.run(gnt_instance.main, "list", "-o", "name,bogus")
    assert code == 14
    assert "Warning: Queried for unknown fields bogus" in err


def test_list_bad_filter(instances: Any) -> None:
    code, _, err = instances.run(gnt_instance.main, "list", 'name == "x')
    assert code == 1 and "Error while parsing query filter" in err
    assert instances.fake.requests == []


def test_list_fields(instances: Any) -> None:
    code, out, _ = instances.run(gnt_instance.main, "list-fields", "name", "os")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Name", "Type", "Title", "Description"]
    assert lines[1].split()[:3] == ["name", "Text", "Instance"]
    assert instances.fake.calls("QueryFields") == [["instance", ["name", "os"]]]


def test_startup_shutdown_reboot_opcodes(instances: Any) -> None:
    run = instances.run
    assert run(gnt_instance.main, "startup", "-H", "boot_order=cdrom", "web1")[0] == 0
    assert _op(instances) == {
        "OP_ID": "OP_INSTANCE_STARTUP", "instance_name": "web1", "force": False,
        "ignore_offline_nodes": False, "no_remember": False, "startup_paused": False,
        "hvparams": {"boot_order": "cdrom"},
    }  # fmt: skip
    assert run(gnt_instance.main, "stop", "--timeout", "30", "--no-remember", "web1")[0] == 0
    assert _op(instances) == {
        "OP_ID": "OP_INSTANCE_SHUTDOWN", "instance_name": "web1", "force": False,
        "timeout": 30, "ignore_offline_nodes": False, "no_remember": True,
    }  # fmt: skip
    assert run(gnt_instance.main, "reboot", "-t", "soft", "web1")[0] == 0
    assert _op(instances) == {
        "OP_ID": "OP_INSTANCE_REBOOT", "instance_name": "web1", "reboot_type": "soft",
        "ignore_secondaries": False, "shutdown_timeout": 120,
    }  # fmt: skip


def test_startup_of_unknown_instance_fails_without_jobs(instances: Any) -> None:
    code, _, err = instances.run(gnt_instance.main, "startup", "nosuch")
    assert code == 1 and "Instance 'nosuch' does not exist" in err
    assert instances.fake.submitted_ops() == []


def test_many_instances_need_confirmation(instances: Any) -> None:
    code, _, _ = instances.run(gnt_instance.main, "shutdown", "--all")
    assert code == 1  # no terminal: the answer is no
    assert instances.fake.submitted_ops() == []
    code, out, _ = instances.run(gnt_instance.main, "shutdown", "--all", "--force-multiple")
    assert code == 0
    assert [op["instance_name"] for op in instances.fake.submitted_ops()] == ["web1", "db1"]
    assert "Submitted jobs 1, 2" in out


def test_failed_job_in_many_ops_sets_exit_code(instances: Any) -> None:
    instances.fake.script_job(status="error", opstatus=["error"], opresult=["boom"])
    code, _, err = instances.run(gnt_instance.main, "startup", "web1")
    assert code == 1
    assert "Job 1 for web1 has failed: Failure: command execution error:\nboom" in err


def test_remove_requires_force_or_confirmation(instances: Any) -> None:
    assert instances.run(gnt_instance.main, "remove", "web1")[0] == 1
    assert instances.fake.submitted_ops() == []
    assert instances.run(gnt_instance.main, "remove", "nosuch")[0] == 1
    assert instances.run(gnt_instance.main, "remove", "-f", "--ignore-failures", "web1")[0] == 0
    assert _op(instances) == {
        "OP_ID": "OP_INSTANCE_REMOVE", "instance_name": "web1", "ignore_failures": True,
        "shutdown_timeout": 120,
    }  # fmt: skip


def test_rename_prints_new_name(instances: Any) -> None:
    instances.fake.script_job(opresult=["web9.example.com"])
    code, out, _ = instances.run(gnt_instance.main, "rename", "web1", "web9")
    assert (code, out) == (0, "Instance 'web1' renamed to 'web9.example.com'\n")
    assert _op(instances)["new_name"] == "web9"
    # Without name check a confirmation is needed, which a non-tty denies.
    assert instances.run(gnt_instance.main, "rename", "--no-name-check", "web1", "x")[0] == 1


def test_reinstall(instances: Any) -> None:
    assert instances.run(gnt_instance.main, "reinstall", "web1")[0] == 1
    assert instances.fake.submitted_ops() == []
    assert instances.run(gnt_instance.main, "reinstall", "-f", "-o", "guix", "web1")[0] == 0
    assert _op(instances) == {
        "OP_ID": "OP_INSTANCE_REINSTALL", "instance_name": "web1", "os_type": "guix",
        "force_variant": False,
    }  # fmt: skip


def test_modify(instances: Any) -> None:
    instances.fake.script_job(opresult=[[["be/maxmem", 1024], ["disk/1", "add:size=1024"]]])
    code, out, _ = instances.run(
        gnt_instance.main, "modify", "-B", "maxmem=1G,vcpus=default", "--disk", "add:size=1G",
        "--net", "0:link=br1", "--disk", "1:remove", "web1",
    )  # fmt: skip
    assert code == 0
    assert out.startswith("Modified instance web1\n - be/maxmem -> 1024\n")
    op = _op(instances)
    assert op["beparams"] == {"maxmem": 1024, "vcpus": "default"}
    assert op["disks"] == [["add", -1, {"size": 1024}], ["remove", 1, {}]]
    assert op["nics"] == [["modify", 0, {"link": "br1"}]]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "Please give at least one of the parameters."),
        (["--disk", "add:mode=rw"], "Missing required parameter 'size'"),
        (["--disk", "0:add,remove"], "Cannot do more than one"),
        (["--net", "0:remove,link=x"], "Not accepting parameters on removal"),
        (
            ["-B", "vcpus=2", "--file-driver", "loop"],
            "requires converting to a file-based disk template",
        ),
    ],
)
def test_modify_rejects_bad_input(instances: Any, argv: list[str], fragment: str) -> None:
    code, _, err = instances.run(gnt_instance.main, "modify", *argv, "web1")
    assert code == 1 and fragment in err
    assert instances.fake.submitted_ops() == []


def test_info(cli: Any) -> None:
    inst = {
        "name": "web1", "uuid": "u1", "serial_no": 3, "ctime": None, "mtime": None,
        "config_state": "up", "run_state": "up", "pnode": "n1", "pnode_group_name": "default",
        "pnode_group_uuid": "g1", "snodes": [], "snodes_group_names": [],
        "snodes_group_uuids": [], "os": "guix", "os_instance": {}, "os_actual": {},
        "hypervisor": "fake", "hv_instance": {}, "hv_actual": {"migration_mode": "live"},
        "be_instance": {"maxmem": 256}, "be_actual": {"maxmem": 256, "vcpus": 1},
        "nics": [["eth0", "nu", None, "aa:00:00:00:00:01", "bridged", "br0", "", {}, None]],
        "disk_template": "plain",
        "disks": [{"iv_name": "disk/0", "size": 1024, "dev_type": "plain", "spindles": None,
                   "mode": "rw", "logical_id": ["xenvg", "uuid.disk0"], "pstatus": None,
                   "sstatus": None, "name": None, "uuid": "du", "children": []}],
    }  # fmt: skip
    cli.fake.script_job(opresult=[{"web1": inst}])
    code, out, _ = cli.run(gnt_instance.main, "info", "web1")
    assert code == 0
    assert out.startswith("- Instance name: web1\n  UUID: u1\n  Serial number: 3\n")
    assert "  State: configured to be up, actual state is up\n" in out
    assert "  Nodes: \n    - primary: n1\n      group: default (UUID g1)\n" in out
    assert "\n    vcpus: default (1)\n" in out and "\n    memory: default (256)\n" in out
    assert (
        "    - disk/0: plain, size 1.0G\n" in out and "      logical_id: xenvg/uuid.disk0\n" in out
    )
    assert "    - nic/0: \n      MAC: aa:00:00:00:00:01\n" in out
    op = _op(cli)
    assert op == {"OP_ID": "OP_INSTANCE_QUERY_DATA", "instances": ["web1"], "static": False,
                  "use_locking": True}  # fmt: skip


def test_info_needs_names_or_all(cli: Any) -> None:
    code, _, err = cli.run(gnt_instance.main, "info")
    assert code == 1 and "No instance selected" in err
    code, _, err = cli.run(gnt_instance.main, "info", "--all", "web1")
    assert code == 1 and "Cannot use --all if you specify instance names." in err
    assert cli.fake.requests == []


def test_console_message_and_not_running(instances: Any) -> None:
    assert instances.run(gnt_instance.main, "console", "web1")[:2] == (0, "Use the serial socket\n")
    code, _, err = instances.run(gnt_instance.main, "console", "db1")
    assert code == 1 and "Instance db1 is not running, can't get console" in err


def test_console_ssh_show_command(instances: Any) -> None:
    row = instances.fake.tables["instance"].rows[0]
    row["console"] = {"kind": "ssh", "host": "n1", "user": "root", "port": 22,
                      "command": ["socat", "STDIO,raw", "UNIX-CONNECT:/run/x.sock"]}  # fmt: skip
    code, out, _ = instances.run(gnt_instance.main, "console", "--show-cmd", "web1")
    assert code == 0
    assert out.startswith("ssh -oEscapeChar=none -oBatchMode=yes -t -p 22 root@n1 ")
    assert "UNIX-CONNECT:/run/x.sock" in out


def test_disks_activation(instances: Any) -> None:
    instances.fake.script_job(opresult=[[["n1", "disk/0", "/dev/xenvg/d0"]]])
    code, out, _ = instances.run(gnt_instance.main, "activate-disks", "web1")
    assert (code, out) == (0, "n1:disk/0:/dev/xenvg/d0\n")
    assert instances.run(gnt_instance.main, "deactivate-disks", "-f", "web1")[0] == 0
    assert _op(instances) == {"OP_ID": "OP_INSTANCE_DEACTIVATE_DISKS", "instance_name": "web1",
                              "force": True}  # fmt: skip


def test_instance_tags(instances: Any) -> None:
    instances.fake.tags[("instance", "web1")] = ["b", "a"]
    assert instances.run(gnt_instance.main, "list-tags", "web1")[1] == "a\nb\n"
    assert instances.run(gnt_instance.main, "add-tags", "web1", "t")[0] == 0
    assert _op(instances) == {"OP_ID": "OP_TAGS_SET", "kind": "instance", "name": "web1",
                              "tags": ["t"]}  # fmt: skip
    code, _, err = instances.run(gnt_instance.main, "remove-tags", "web1")
    assert code == 1 and "No tags to be removed" in err


def test_confirmed_remove_submits(instances: Any) -> None:
    instances.answer = True
    assert instances.run(gnt_instance.main, "remove", "web1")[0] == 0
    (question,) = instances.questions
    assert question.startswith("This will remove the volumes of the instance web1")
    assert _op(instances)["OP_ID"] == "OP_INSTANCE_REMOVE"


def test_multi_instance_question_lists_instances(instances: Any) -> None:
    instances.answer = True
    assert instances.run(gnt_instance.main, "startup", "web1", "db1")[0] == 0
    (question,) = instances.questions
    assert "The startup will operate on 2 instances." in question
    assert question.endswith("Affected instances:\n  web1\n  db1")


def test_selection_by_node(instances: Any) -> None:
    fields = {"name": ("Node", "text"), "pinst_list": ("P", "other"),
              "sinst_list": ("S", "other"), "tags": ("T", "other")}  # fmt: skip
    instances.fake.set_table(
        "node", fields, [{"name": "n1", "pinst_list": ["web1"], "sinst_list": ["db1"], "tags": []}]
    )
    code, _, _ = instances.run(gnt_instance.main, "reboot", "--primary", "--force-multiple", "n1")
    assert code == 0
    assert [op["instance_name"] for op in instances.fake.submitted_ops()] == ["web1"]
    code, _, err = instances.run(gnt_instance.main, "reboot", "--node", "n7")
    assert code == 1 and "Node 'n7' does not exist" in err
    code, _, err = instances.run(gnt_instance.main, "reboot", "--all", "web1")
    assert code == 1 and "Cluster filter mode takes no arguments" in err
    assert len(instances.fake.submitted_ops()) == 1

"""The call table: every entry resolves to a node function with matching arguments."""

from __future__ import annotations

import pytest

from pyganeti import errors
from pyganeti.rpc.calls import CALLS, Arg, Call, Timeout, get_call
from pyganeti.rpc.server import resolve

EXPECTED = {
    "version", "node_info", "node_verify", "instance_start", "instance_shutdown",
    "instance_reboot", "instance_info", "all_instances_info", "instance_list",
    "instance_console_info", "blockdev_create", "blockdev_remove", "blockdev_rename",
    "blockdev_grow", "blockdev_getsize", "blockdev_assemble", "blockdev_shutdown",
    "file_storage_dir_create", "file_storage_dir_remove", "file_storage_dir_rename",
    "instance_os_add", "instance_run_rename", "os_diagnose", "os_get", "os_validate",
    "hooks_runner", "write_ssconf_files", "upload_file", "test_delay",
}  # fmt: skip


def test_table_has_every_call_and_each_resolves() -> None:
    assert set(CALLS) >= EXPECTED
    for call in CALLS.values():
        assert callable(resolve(call))
        assert call.doc
        assert all(a.doc for a in call.args)


def test_os_install_is_slow_queries_are_fast() -> None:
    assert CALLS["instance_os_add"].timeout is Timeout.SLOW
    assert CALLS["version"].timeout is Timeout.FAST
    assert CALLS["version"].timeout_for({}) == 10.0
    # test_delay waits as long as it was asked to sleep, plus the base timeout.
    assert CALLS["test_delay"].timeout_for({"duration": 30}) == 40.0


def test_bind_checks_arguments() -> None:
    call = get_call("blockdev_grow")
    bound = call.bind({"disk": {}, "amount": 5})
    assert bound == {"disk": {}, "amount": 5, "dryrun": False}
    with pytest.raises(errors.ProgrammerError, match=r"missing argument amount"):
        call.bind({"disk": {}})
    with pytest.raises(errors.ProgrammerError, match=r"unknown argument.*bogus"):
        call.bind({"disk": {}, "amount": 1, "bogus": 1})
    with pytest.raises(errors.ProgrammerError, match=r"amount must be int, not str"):
        call.bind({"disk": {}, "amount": "5"})
    with pytest.raises(errors.ProgrammerError, match=r"amount must be int, not bool"):
        call.bind({"disk": {}, "amount": True})
    with pytest.raises(errors.ProgrammerError, match=r"unknown node RPC call"):
        get_call("no_such_call")


def test_resolve_rejects_mismatched_signature() -> None:
    bad = Call("x", (Arg("wrong", "str", "doc"),), Timeout.FAST, "pyganeti.node.info:version", "d")
    with pytest.raises(errors.ProgrammerError, match=r"table declares"):
        resolve(bad)

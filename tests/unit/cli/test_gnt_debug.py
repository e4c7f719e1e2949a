"""gnt-debug commands against the fake master daemon."""

from __future__ import annotations

from typing import Any

from pyganeti.cli import gnt_debug

LOCK_FIELDS = {
    "name": ("Name", "text"),
    "mode": ("Mode", "other"),
    "owner": ("Owner", "other"),
    "pending": ("Pending", "other"),
}


def test_delay_options(cli: Any) -> None:
    code, _, _ = cli.run(
        gnt_debug.main, "delay", "--no-master", "-n", "n1", "-n", "n2", "-r", "3", "-i", "-l", "1.5"
    )
    assert code == 0
    (op,) = cli.fake.submitted_ops()
    assert {k: op[k] for k in ("duration", "on_master", "on_nodes", "repeat", "interruptible",
                               "no_locks")} == {
        "duration": 1.5, "on_master": False, "on_nodes": ["n1", "n2"], "repeat": 3,
        "interruptible": True, "no_locks": True,
    }  # fmt: skip


def test_delay_bad_repeat_is_usage_error(cli: Any) -> None:
    code, _, err = cli.run(gnt_debug.main, "delay", "-r", "many", "1")
    assert code == 2 and "-r/--repeat: invalid int value: 'many'" in err
    assert cli.fake.requests == []


def test_locks(cli: Any) -> None:
    cli.fake.set_table(
        "lock",
        LOCK_FIELDS,
        [
            {"name": "cluster/BGL", "mode": "shared", "owner": ["job/1", "job/2"],
             "pending": [["exclusive", ["job/3"]]]},
            {"name": "instance/web1", "mode": "", "owner": [], "pending": []},
        ],
    )  # fmt: skip
    code, out, _ = cli.run(gnt_debug.main, "locks", "--no-headers", "--separator", ";")
    assert code == 0
    assert out.splitlines() == [
        "cluster/BGL;shared;job/1,job/2;exclusive:job/3",
        "instance/web1;-;-;-",
    ]
    assert cli.fake.calls("Query") == [["lock", ["name", "mode", "owner", "pending"], None]]

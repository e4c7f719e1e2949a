"""The fake hypervisor: on-disk state, memory accounting, user shutdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.hypervisor import get_hypervisor, get_hypervisor_class, known_hypervisors
from pyganeti.hypervisor.base import STATE_RUNNING, STATE_USER_DOWN, AttachedDisk
from pyganeti.hypervisor.fake import FakeHypervisor
from pyganeti.paths import Paths

MEMINFO = """MemTotal:        4194304 kB
MemFree:          102400 kB
Buffers:           10240 kB
Cached:            20480 kB
Active:           204800 kB
"""


@pytest.fixture
def hv(tmp_path: Path) -> FakeHypervisor:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(MEMINFO)  # 4096 MiB total
    return FakeHypervisor(Paths.from_root(tmp_path / "root"), meminfo=str(meminfo))


def inst(name: str, maxmem: int = 1024, minmem: int = 512, vcpus: int = 2) -> dict[str, Any]:
    return {
        "name": name,
        "uuid": f"uuid-{name}",
        "hypervisor": "fake",
        "beparams": {"maxmem": maxmem, "minmem": minmem, "vcpus": vcpus},
        "hvparams": {"migration_mode": "live"},
        "disks": [],
    }


def test_registry() -> None:
    assert "fake" in known_hypervisors()
    assert get_hypervisor_class("fake") is FakeHypervisor
    with pytest.raises(errors.HypervisorError, match=r"unknown hypervisor 'xen'.*known: fake"):
        get_hypervisor_class("xen")


def test_start_stop_and_info(hv: FakeHypervisor) -> None:
    assert hv.list_instances() == []
    hv.start(inst("a"), [], False)
    assert hv.list_instances() == ["a"]
    info = hv.get_instance_info("a")
    assert info is not None
    assert (info.memory, info.vcpus, info.state, info.id) == (1024, 2, STATE_RUNNING, "uuid-a")
    with pytest.raises(errors.HypervisorError, match=r"already running"):
        hv.start(inst("a"), [], False)
    hv.stop(inst("a"), False, 10)
    assert hv.get_instance_info("a") is None
    with pytest.raises(errors.HypervisorError, match=r"not running"):
        hv.stop(inst("a"), False, 10)


def test_state_survives_a_new_hypervisor_object(hv: FakeHypervisor) -> None:
    hv.start(inst("a"), [], False)
    again = get_hypervisor("fake", hv.paths)
    assert again.list_instances() == ["a"]
    assert (hv.paths.fake_hv_dir / "a").is_file()


def test_memory_accounting_and_refusal(hv: FakeHypervisor) -> None:
    assert hv.get_node_info()["memory_free"] == 4096
    hv.start(inst("a", maxmem=3000, minmem=3000), [], False)
    node = hv.get_node_info()
    assert (node["memory_total"], node["memory_free"]) == (4096, 1096)
    with pytest.raises(errors.HypervisorError, match=r"Not enough memory to start instance b"):
        hv.start(inst("b", maxmem=2048, minmem=2048), [], False)
    assert hv.list_instances() == ["a"]  # nothing recorded for the refused one
    # Ganeti's rule: fits between minmem and maxmem -> starts with what is free.
    hv.start(inst("c", maxmem=2048, minmem=1000), [], False)
    info = hv.get_instance_info("c")
    assert info is not None and info.memory == 1096
    assert hv.get_node_info()["memory_free"] == 0


def test_missing_beparams_are_named(hv: FakeHypervisor) -> None:
    bad = inst("a")
    del bad["beparams"]["maxmem"]
    with pytest.raises(errors.HypervisorError, match=r"backend parameter maxmem"):
        hv.start(bad, [], False)
    assert hv.list_instances() == []


def test_missing_disk_refuses_start(hv: FakeHypervisor, tmp_path: Path) -> None:
    disk = AttachedDisk({"uuid": "d"}, str(tmp_path / "nope"))
    with pytest.raises(errors.HypervisorError, match=r"does not exist"):
        hv.start(inst("a"), [disk], False)


def test_reboot(hv: FakeHypervisor) -> None:
    with pytest.raises(errors.HypervisorError, match=r"not running"):
        hv.reboot(inst("a"))
    hv.start(inst("a"), [], False)
    hv.reboot(inst("a"))
    assert hv.get_instance_info("a") is not None


def test_user_down(hv: FakeHypervisor) -> None:
    hv.start(inst("a", maxmem=1000, minmem=1000), [], False)
    hv.mark_user_down("a")
    info = hv.get_instance_info("a")
    assert info is not None and info.state == STATE_USER_DOWN
    assert [i.state for i in hv.get_all_instances_info()] == [STATE_USER_DOWN]
    assert hv.get_node_info()["memory_free"] == 4096  # its memory is released
    with pytest.raises(errors.HypervisorError, match=r"not running"):
        hv.mark_user_down("a")
    with pytest.raises(errors.HypervisorError, match=r"not running"):
        hv.reboot(inst("a"))
    # Starting again (or stopping to clean up) works from user-down.
    hv.start(inst("a", maxmem=1000, minmem=1000), [], False)
    assert hv.get_instance_info("a").state == STATE_RUNNING  # type: ignore[union-attr]


def test_parameters_and_names(hv: FakeHypervisor) -> None:
    FakeHypervisor.check_parameter_syntax({"migration_mode": "non-live"})
    with pytest.raises(errors.HypervisorError, match=r"migration_mode='warp' is invalid"):
        FakeHypervisor.check_parameter_syntax({"migration_mode": "warp"})
    with pytest.raises(errors.HypervisorError, match=r"unknown parameter.*kernel_path"):
        hv.validate_parameters({"kernel_path": "/x"})
    with pytest.raises(errors.HypervisorError, match=r"invalid instance name"):
        hv.start(inst("../escape"), [], False)
    assert hv.get_console_info(inst("a"))["kind"] == "msg"


def test_verify(hv: FakeHypervisor) -> None:
    assert "does not exist" in (hv.verify() or "")
    hv.paths.fake_hv_dir.mkdir(parents=True)
    assert hv.verify() is None


def test_corrupt_state_is_reported(hv: FakeHypervisor) -> None:
    hv.paths.fake_hv_dir.mkdir(parents=True)
    (hv.paths.fake_hv_dir / "a").write_text("{broken")
    with pytest.raises(errors.HypervisorError, match=r"corrupt fake state for instance a"):
        hv.get_instance_info("a")

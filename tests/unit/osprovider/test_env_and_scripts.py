"""The OS script environment (exact Ganeti names) and script runs with logs."""

from __future__ import annotations

from typing import Any

import pytest

from pyganeti import errors
from pyganeti.osprovider import find_os
from pyganeti.osprovider.env import instance_env
from pyganeti.osprovider.scripts import run_script
from pyganeti.paths import Paths

INSTANCE: dict[str, Any] = {
    "name": "web1.example.com",
    "uuid": "iuuid",
    "os": "deb+other",
    "hypervisor": "kvm",
    "primary_node": "nuuid",
    "ctime": 1.5,
    "mtime": 2.5,
    "osparams": {"dhcp-server": "no"},
    "beparams": {"maxmem": 512, "vcpus": 1},
    "hvparams": {"disk_type": "paravirtual", "nic_type": "virtio"},
    "disks": [
        {"uuid": "d0", "name": "root", "size": 1024, "mode": "rw", "dev_type": "file",
         "logical_id": ["loop", "/srv/d0"]},
        {"uuid": "d1", "size": 2048, "mode": "ro", "dev_type": "plain",
         "logical_id": ["xenvg", "d1"]},
    ],
    "nics": [
        {"mac": "aa:00:00:00:00:01", "ip": "192.0.2.5", "uuid": "n0", "name": "eth0",
         "nicparams": {"mode": "bridged", "link": "br0", "vlan": ""}},
        {"mac": "aa:00:00:00:00:02", "ip": None, "uuid": "n1",
         "nicparams": {"mode": "routed", "link": "", "vlan": ""}},
    ],
}  # fmt: skip


def test_instance_env_names_and_values(paths: Paths, make_os: Any) -> None:
    make_os("deb")
    env = instance_env(find_os(paths, "deb+other"), INSTANCE, ["/srv/d0", "/dev/xenvg/d1"], 1)
    expected = {
        "OS_API_VERSION": "20",
        "OS_NAME": "deb",
        "OS_VARIANT": "other",
        "DEBUG_LEVEL": "1",
        "PATH": "/sbin:/bin:/usr/sbin:/usr/bin",
        "OSP_DHCP_SERVER": "no",
        "INSTANCE_NAME": "web1.example.com",
        "INSTANCE_OS": "deb+other",
        "INSTANCE_UUID": "iuuid",
        "INSTANCE_PRIMARY_NODE": "nuuid",
        "INSTANCE_CTIME": "1.5",
        "INSTANCE_MTIME": "2.5",
        "INSTANCE_SECONDARY_NODES": "",
        "HYPERVISOR": "kvm",
        "DISK_COUNT": "2",
        "DISK_0_PATH": "/srv/d0",
        "DISK_0_ACCESS": "rw",
        "DISK_0_UUID": "d0",
        "DISK_0_NAME": "root",
        "DISK_0_SIZE": "1024",
        "DISK_0_FRONTEND_TYPE": "paravirtual",
        "DISK_0_BACKEND_TYPE": "file:loop",
        "DISK_1_PATH": "/dev/xenvg/d1",
        "DISK_1_ACCESS": "ro",
        "DISK_1_UUID": "d1",
        "DISK_1_SIZE": "2048",
        "DISK_1_FRONTEND_TYPE": "paravirtual",
        "DISK_1_BACKEND_TYPE": "block",
        "NIC_COUNT": "2",
        "NIC_0_MAC": "aa:00:00:00:00:01",
        "NIC_0_IP": "192.0.2.5",
        "NIC_0_UUID": "n0",
        "NIC_0_NAME": "eth0",
        "NIC_0_MODE": "bridged",
        "NIC_0_BRIDGE": "br0",
        "NIC_0_LINK": "br0",
        "NIC_0_FRONTEND_TYPE": "virtio",
        "NIC_1_MAC": "aa:00:00:00:00:02",
        "NIC_1_UUID": "n1",
        "NIC_1_MODE": "routed",
        "NIC_1_FRONTEND_TYPE": "virtio",
        "INSTANCE_BE_maxmem": "512",
        "INSTANCE_BE_vcpus": "1",
        "INSTANCE_HV_disk_type": "paravirtual",
        "INSTANCE_HV_nic_type": "virtio",
    }
    assert env == expected


def test_default_variant_is_the_first(paths: Paths, make_os: Any) -> None:
    make_os("deb")
    env = instance_env(find_os(paths, "deb"), {**INSTANCE, "os": "deb"}, [], 0)
    assert env["OS_VARIANT"] == "default"


def test_script_sees_env_and_logs_output(paths: Paths, make_os: Any) -> None:
    make_os("deb", scripts={"create": '#!/bin/sh\necho "installing $INSTANCE_NAME from $PWD"\n'})
    os_def = find_os(paths, "deb")
    log = run_script(paths, os_def, "create", {"INSTANCE_NAME": "web1"}, kind="add",
                     instance_name="web1")  # fmt: skip
    assert log.parent == paths.os_log_dir
    assert log.name.startswith("add-deb-web1-") and log.suffix == ".log"
    assert log.read_text() == f"installing web1 from {os_def.path}\n"


def test_log_name_cannot_escape_log_dir(paths: Paths, make_os: Any) -> None:
    make_os("deb")
    log = run_script(paths, find_os(paths, "deb"), "create", {}, kind="add",
                     instance_name="../../etc/x")  # fmt: skip
    assert log.parent == paths.os_log_dir
    assert log.name.startswith("add-deb-_.._etc_x-")


def test_failing_script_error_has_log_tail(paths: Paths, make_os: Any) -> None:
    body = "#!/bin/sh\nfor i in $(seq 1 30); do echo line$i; done\necho 'disk full' >&2\nexit 3\n"
    make_os("deb", scripts={"create": body})
    with pytest.raises(errors.OpExecError) as info:
        run_script(paths, find_os(paths, "deb"), "create", {}, kind="add", instance_name="x")
    msg = info.value.message
    assert "OS create script failed (exited with status 3)" in msg
    assert str(paths.os_log_dir) in msg
    assert msg.rstrip().endswith("disk full")
    assert "line30" in msg and "line5\n" not in msg  # only the tail


def test_script_timeout(paths: Paths, make_os: Any) -> None:
    make_os("deb", scripts={"create": "#!/bin/sh\nexec sleep 30\n"})
    with pytest.raises(errors.OpExecError, match=r"timed out after 0.2 seconds"):
        run_script(paths, find_os(paths, "deb"), "create", {}, kind="add", instance_name="x",
                   timeout=0.2)  # fmt: skip

"""Expansion of a host configuration into files and services; systemd units and crontab."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pyganeti.host.records import (
    GanetiConfiguration,
    GanetiRapiConfiguration,
    GanetiWatcherConfiguration,
    GuestVmConfiguration,
    HostConfiguration,
    LibvirtConfiguration,
    QemuBinfmtConfiguration,
    VirtlogConfiguration,
    lookup_qemu_platforms,
)
from pyganeti.host.render.services import Service, ServiceKind, expand
from pyganeti.host.render.systemd import crontab, crontab_line, exec_quote, units

GANETI_DAEMONS = [
    "ganeti-noded",
    "ganeti-confd",
    "ganeti-wconfd",
    "ganeti-luxid",
    "ganeti-rapi",
    "ganeti-kvmd",
    "ganeti-mond",
    "ganeti-metad",
]
GANETI_JOBS = ["ganeti-watcher", "ganeti-cleaner-master", "ganeti-cleaner-node"]


def test_ganeti_configuration_expands_into_all_services_and_etc_files() -> None:
    plan = expand(HostConfiguration(ganeti=GanetiConfiguration()), "/r")
    assert [s.name for s in plan.services] == GANETI_DAEMONS + GANETI_JOBS
    assert plan.ganeti
    daemons = [s for s in plan.services if s.kind is ServiceKind.DAEMON]
    # Not respawned blindly: ganeti-watcher restarts them.
    assert daemons and not any(s.respawn for s in daemons)
    assert all(s.environment == (("GANETI_ROOT", "/r"),) for s in plan.services)
    jobs = {s.name: s.schedule for s in plan.services if s.kind is ServiceKind.SCHEDULE}
    assert jobs == {
        "ganeti-watcher": "*/5 * * * *",
        "ganeti-cleaner-master": "45 1 * * *",
        "ganeti-cleaner-node": "45 2 * * *",
    }
    paths = {f.path for f in plan.files}
    assert "etc/ganeti/file-storage-paths" in paths
    assert "etc/ganeti/instance-guix/variants/variants.list" in paths


def test_root_slash_has_no_relocation() -> None:
    plan = expand(HostConfiguration(ganeti=GanetiConfiguration()))
    assert all(s.environment == () for s in plan.services)
    assert "--root" not in plan.service("ganeti-noded").command


def test_libvirt_virtlog_binfmt() -> None:
    plan = expand(
        HostConfiguration(
            libvirt=LibvirtConfiguration(unix_sock_dir="/tmp/s"),
            virtlog=VirtlogConfiguration(),
            qemu_binfmt=QemuBinfmtConfiguration(platforms=lookup_qemu_platforms("arm")),
        ),
        "/r",
    )
    libvirtd = plan.service("libvirtd")
    assert libvirtd.command == (
        "libvirtd",
        "-f",
        "/r/etc/libvirt/libvirtd.conf",
        "--pid-file",
        "/r/var/run/libvirtd.pid",
    )
    assert libvirtd.respawn and libvirtd.directories == ("/tmp/s", "/r/var/run")
    assert libvirtd.config_files == ("etc/libvirt/libvirtd.conf",)
    assert plan.service("virtlogd").command[:3] == (
        "virtlogd",
        "-f",
        "/r/etc/libvirt/virtlogd.conf",
    )
    binfmt = plan.service("qemu-binfmt")
    assert binfmt.kind is ServiceKind.ONESHOT
    assert binfmt.command[-6:] == ("register", "--prefix", "qemu-", "--qemu", "qemu", "arm")
    assert binfmt.stop_command is not None and "unregister" in binfmt.stop_command
    assert {f.path for f in plan.files} == {
        "etc/libvirt/libvirtd.conf",
        "etc/libvirt/virtlogd.conf",
    }


def test_libvirtd_listens_only_when_it_can() -> None:
    def cmd(**kw: object) -> tuple[str, ...]:
        return (
            expand(HostConfiguration(libvirt=LibvirtConfiguration(**kw)))
            .service(  # type: ignore[arg-type]
                "libvirtd"
            )
            .command
        )

    assert "--listen" not in cmd()  # TLS wanted but no certificates: libvirtd would refuse
    assert "--listen" in cmd(listen_tcp=True)
    assert "--listen" in cmd(key_file="/k", cert_file="/c")


def test_unknown_service_is_named() -> None:
    plan = expand(HostConfiguration(virtlog=VirtlogConfiguration()))
    with pytest.raises(KeyError, match=r"no service 'libvirtd'.*virtlogd"):
        plan.service("libvirtd")


def test_guest_vm_service() -> None:
    vm = GuestVmConfiguration(image="/i.img", id=2, disk_size=1 << 30)
    service = expand(HostConfiguration(hurd_vm=(vm,)), "/r").service("childhurd2")
    assert (service.name, service.aliases) == ("hurd-vm2", ("childhurd2",))
    assert service.kind is ServiceKind.DAEMON and not service.respawn
    cmd = service.command
    assert cmd[1:4] == ("-m", "pyganeti.host.guest_vm", "run")
    assert cmd[cmd.index("--secrets-port") + 1] == "13004"
    assert cmd[cmd.index("--overlay") + 1] == "/r/var/run/pyganeti-host/hurd-vm2-disk.qcow2"
    qemu = cmd[cmd.index("--") + 1 :]
    assert qemu[0] == "qemu-system-x86_64"
    assert "file=/r/var/run/pyganeti-host/hurd-vm2-disk.qcow2,if=ide,media=disk" in qemu


def test_units() -> None:
    plan = expand(
        HostConfiguration(
            ganeti=GanetiConfiguration(rapi_configuration=GanetiRapiConfiguration(ssl=False)),
            libvirt=LibvirtConfiguration(),
            qemu_binfmt=QemuBinfmtConfiguration(platforms=lookup_qemu_platforms("arm")),
        ),
        "/r",
    )
    u = units(plan.services)
    rapi = u["ganeti-rapi.service"]
    assert "Restart=no" in rapi and "Environment=GANETI_ROOT=/r" in rapi
    assert (
        f"ExecStart={sys.executable} -m pyganeti.daemons.rapi --port 5080 --bind 0.0.0.0"
        " --max-clients 20 --no-ssl --root /r"
    ) in rapi
    assert "Restart=on-failure" in u["libvirtd.service"]
    assert "OnCalendar=*-*-* 01:45:00" in u["ganeti-cleaner-master.timer"]
    assert "Type=oneshot" in u["ganeti-watcher.service"]
    assert "[Install]" not in u["ganeti-watcher.service"]  # started by its timer only
    binfmt = u["qemu-binfmt.service"]
    assert "RemainAfterExit=yes" in binfmt and "ExecStop=" in binfmt
    assert "ganeti-noded.timer" not in u


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    tool = tmp_path / "bin" / "ganeti-watcher"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    watcher_conf = GanetiWatcherConfiguration(ganeti=str(tmp_path))
    plan = expand(HostConfiguration(ganeti=GanetiConfiguration(watcher_configuration=watcher_conf)))
    for name, text in units(plan.services).items():
        if name.startswith("ganeti-watcher"):
            (tmp_path / name).write_text(text)
    # The watcher's package is a prefix, so its ExecStart names an existing program.
    watcher = plan.service("ganeti-watcher")
    assert watcher.command[0] == f"{tmp_path}/bin/ganeti-watcher"
    result = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            str(tmp_path / "ganeti-watcher.timer"),
            str(tmp_path / "ganeti-watcher.service"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_exec_quoting() -> None:
    assert exec_quote("plain-arg") == "plain-arg"
    assert exec_quote("a b") == '"a b"'
    assert exec_quote("100%") == '"100%%"'
    assert exec_quote('$x"') == '"$$x\\""'


def test_crontab() -> None:
    plan = expand(HostConfiguration(ganeti=GanetiConfiguration()), "/r")
    text = crontab(plan.services)
    tools = f"root GANETI_ROOT=/r {sys.executable} -m pyganeti.tools"
    assert f"*/5 * * * * {tools}.watcher --job-age 21600" in text
    assert f"45 1 * * * {tools}.cleaner master" in text
    assert f"45 2 * * * {tools}.cleaner node" in text
    assert "ganeti-noded" not in text
    odd = Service("x", ServiceKind.SCHEDULE, ("echo", "50%"), schedule="0 * * * *")
    assert crontab_line(odd) == "0 * * * * root echo 50\\%"
    with pytest.raises(ValueError, match="not a scheduled"):
        crontab_line(plan.service("ganeti-noded"))

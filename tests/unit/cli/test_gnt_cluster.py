"""gnt-cluster commands against the fake master daemon."""

from __future__ import annotations

import sys
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.cli import gnt_cluster
from pyganeti.paths import Paths


@dataclass
class _InitOptions:
    cluster_name: str
    master_netdev: str | None = None
    enabled_hypervisors: list[str] = field(default_factory=lambda: ["fake"])
    hvparams: dict[str, Any] = field(default_factory=dict)
    beparams: dict[str, Any] = field(default_factory=dict)
    nicparams: dict[str, Any] = field(default_factory=dict)
    ndparams: dict[str, Any] = field(default_factory=dict)
    diskparams: dict[str, Any] = field(default_factory=dict)
    enabled_disk_templates: list[str] | None = None
    file_storage_dir: str | None = None
    shared_file_storage_dir: str | None = None
    mac_prefix: str = "aa:00:00"
    secondary_ip: str | None = None
    candidate_pool_size: int = 10
    modify_etc_hosts: bool = True
    user_shutdown: bool = False
    vg_name: str | None = None


@pytest.fixture
def bootstrap(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A stand-in pyganeti.bootstrap with the agreed API, recording its calls."""
    calls: list[tuple[str, Any]] = []
    module = types.ModuleType("pyganeti.bootstrap")

    def init_cluster(paths: Paths, opts: _InitOptions) -> None:
        if opts.cluster_name == "bad":
            raise errors.OpPrereqError("Cannot resolve 'bad'", errors.ECODE_RESOLVE)
        calls.append(("init", (paths, opts)))

    def finalize_destroy(paths: Paths) -> None:
        calls.append(("destroy", paths))

    module.InitOptions = _InitOptions  # type: ignore[attr-defined]
    module.init_cluster = init_cluster  # type: ignore[attr-defined]
    module.finalize_destroy = finalize_destroy  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyganeti.bootstrap", module)
    return types.SimpleNamespace(calls=calls)


def test_init_passes_parsed_options(tmp_path: Path, bootstrap: Any) -> None:
    code = gnt_cluster.main(
        [
            "init", "--root", str(tmp_path), "--master-netdev", "lo",
            "--enabled-hypervisors", "kvm,fake", "-H", "kvm:kernel_path=/vmlinuz,acpi",
            "-B", "maxmem=256", "-N", "link=br0", "-D", "plain:stripes=2",
            "--enabled-disk-templates", "file,plain", "--file-storage-dir", "/srv/f",
            "--mac-prefix", "aa:bb:cc", "-s", "10.0.0.1", "--no-etc-hosts",
            "--candidate-pool-size", "3", "--user-shutdown", "yes", "--vg-name", "xenvg",
            "--node-parameters", "ssh_port=22", "cluster.example.com",
        ]
    )  # fmt: skip
    assert code == 0
    ((kind, (paths, opts)),) = bootstrap.calls
    assert kind == "init" and paths.root == tmp_path.resolve()
    assert opts == _InitOptions(
        cluster_name="cluster.example.com", master_netdev="lo",
        enabled_hypervisors=["kvm", "fake"],
        hvparams={"kvm": {"kernel_path": "/vmlinuz", "acpi": True}},
        beparams={"maxmem": 256}, nicparams={"link": "br0"}, ndparams={"ssh_port": "22"},
        diskparams={"plain": {"stripes": "2"}}, enabled_disk_templates=["file", "plain"],
        file_storage_dir="/srv/f", mac_prefix="aa:bb:cc", secondary_ip="10.0.0.1",
        candidate_pool_size=3, modify_etc_hosts=False, user_shutdown=True, vg_name="xenvg",
    )  # fmt: skip


def test_init_defaults_come_from_init_options(tmp_path: Path, bootstrap: Any) -> None:
    assert gnt_cluster.main(["init", "--root", str(tmp_path), "c1"]) == 0
    opts = bootstrap.calls[0][1][1]
    assert opts == _InitOptions(cluster_name="c1")


def test_init_rejects_bad_input_before_bootstrapping(
    tmp_path: Path, bootstrap: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gnt_cluster.main(["init", "--root", str(tmp_path), "-D", "weird:x=1", "c1"]) == 1
    assert "Disk templates unknown: weird" in capsys.readouterr().err
    assert gnt_cluster.main(["init", "--root", str(tmp_path), "--user-shutdown", "si", "c"]) == 2
    assert "--user-shutdown: invalid yes/no value: 'si'" in capsys.readouterr().err
    assert gnt_cluster.main(["init", "--root", str(tmp_path), "-H", "kvm", "-H", "kvm", "c"]) == 1
    assert "Duplicated parameter group 'kvm' in -H" in capsys.readouterr().err
    assert bootstrap.calls == []


def test_init_reports_bootstrap_refusal(
    tmp_path: Path, bootstrap: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gnt_cluster.main(["init", "--root", str(tmp_path), "bad"]) == 1
    assert "error type: resolver_error, error details:\nCannot resolve 'bad'" in (
        capsys.readouterr().err
    )


def test_init_runs_post_init_when_master_is_up(cli: Any, bootstrap: Any) -> None:
    assert cli.run(gnt_cluster.main, "init", "c1")[0] == 0
    assert [op["OP_ID"] for op in cli.fake.submitted_ops()] == ["OP_CLUSTER_POST_INIT"]


def test_destroy_requires_yes_do_it(cli: Any, bootstrap: Any) -> None:
    code, _, err = cli.run(gnt_cluster.main, "destroy")
    assert code == 1
    assert "supply the --yes-do-it option" in err
    assert cli.fake.requests == [] and bootstrap.calls == []


def test_destroy_submits_then_finalizes(cli: Any, bootstrap: Any) -> None:
    assert cli.run(gnt_cluster.main, "destroy", "--yes-do-it")[0] == 0
    assert [op["OP_ID"] for op in cli.fake.submitted_ops()] == ["OP_CLUSTER_DESTROY"]
    assert [kind for kind, _ in bootstrap.calls] == ["destroy"]


def test_destroy_failure_keeps_files(cli: Any, bootstrap: Any) -> None:
    cli.fake.script_job(status="error", opstatus=["error"], opresult=["nodes still there"])
    assert cli.run(gnt_cluster.main, "destroy", "--yes-do-it")[0] == 1
    assert bootstrap.calls == []


def test_version_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert gnt_cluster.main(["version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Software version", "Internode protocol", "Configuration format", "OS api version",
        "Export interface", "VCS version",
    ]  # fmt: skip
    assert lines[0] == "Software version: 3.0.2"
    assert lines[3] == "OS api version: 20"


def test_getmaster_reads_ssconf(cli: Any) -> None:
    paths = Paths.from_root(cli.root)
    paths.ssconf_file("master_node").write_text("node1.example.com\n")
    assert cli.run(gnt_cluster.main, "getmaster") == (0, "node1.example.com\n", "")


def test_getmaster_without_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gnt_cluster.main(["getmaster", "--root", str(tmp_path)]) == 5


def test_info_layout(cli: Any) -> None:
    cli.fake.cluster_info = {
        "name": "c1", "uuid": "u-1", "ctime": None, "mtime": None, "master": "n1",
        "architecture": ["64bit", "x86_64"], "tags": ["b", "a"],
        "default_hypervisor": "fake", "enabled_hypervisors": ["fake"],
        "hvparams": {"fake": {"migration_mode": "live"}, "kvm": {"acpi": True}},
        "candidate_pool_size": 10, "compression_tools": ["gzip", "lzop"],
        "beparams": {"default": {"maxmem": 128}},
        "ipolicy": {"minmax": [{"min": {"cpu-count": 1}, "max": {"cpu-count": 8}}],
                    "std": {"cpu-count": 1}, "disk-templates": ["plain"], "vcpu-ratio": 4.0},
    }  # fmt: skip
    code, out, _ = cli.run(gnt_cluster.main, "info")
    assert code == 0
    lines = out.splitlines()
    assert lines[:9] == [
        "Cluster name: c1", "Cluster UUID: u-1", "Creation time: N/A",
        "Modification time: N/A", "Master node: n1", "Architecture (this node): 64bit (x86_64)",
        "Tags: a, b", "Default hypervisor: fake", "Enabled hypervisors: fake",
    ]  # fmt: skip
    # Only enabled hypervisors' parameters are shown.
    assert lines[9:12] == ["Hypervisor parameters: ", "  fake: ", "    migration_mode: live"]
    assert "  candidate pool size: 10" in lines
    assert "  compression tools: " in lines and "    - gzip" in lines
    assert "Default instance parameters: " in lines and "    maxmem: 128" in lines
    assert "        cpu-count: 8" in lines and "  allowed disk templates: plain" in lines


def test_verify_waits_for_group_jobs_and_fails_on_errors(cli: Any) -> None:
    good = cli.fake.add_job(opresult=[True], log=[("message", "* Verifying group1")])
    bad = cli.fake.add_job(opresult=[False], log=[("message", "  - ERROR: node n2: broken")])
    cli.fake.script_job(opresult=[{"jobs": [[True, good], [True, bad]]}])
    code, out, _ = cli.run(gnt_cluster.main, "verify", "--error-codes", "-I", "ENODEVERSION")
    assert code == 1
    assert "Submitted jobs 1, 2" in out
    assert "Waiting for job 2 ..." in out and "ERROR: node n2: broken" in out
    assert "job(s) failed" not in out
    op = cli.fake.submitted_ops()[0]
    assert op["OP_ID"] == "OP_CLUSTER_VERIFY"
    assert op["error_codes"] is True and op["ignore_errors"] == ["ENODEVERSION"]


def test_verify_success(cli: Any) -> None:
    good = cli.fake.add_job(opresult=[True])
    cli.fake.script_job(opresult=[{"jobs": [[True, good]]}])
    assert cli.run(gnt_cluster.main, "verify")[0] == 0


def test_modify_requires_a_change(cli: Any) -> None:
    code, _, err = cli.run(gnt_cluster.main, "modify")
    assert (code, err) == (1, "Please give at least one of the parameters.\n")
    assert cli.fake.requests == []


def test_modify_sends_only_given_parameters(cli: Any) -> None:
    code, _, _ = cli.run(
        gnt_cluster.main, "modify", "--user-shutdown", "no", "-B", "maxmem=512",
        "--enabled-hypervisors", "kvm", "-H", "kvm:acpi=false", "--no-lvm-storage",
    )  # fmt: skip
    assert code == 0
    (op,) = cli.fake.submitted_ops()
    assert {k: v for k, v in op.items() if k not in ("reason", "debug_level", "dry_run")} == {
        "OP_ID": "OP_CLUSTER_SET_PARAMS", "force": False, "enabled_user_shutdown": False,
        "beparams": {"maxmem": 512}, "enabled_hypervisors": ["kvm"],
        "hvparams": {"kvm": {"acpi": "false"}}, "vg_name": "",
    }  # fmt: skip


def test_cluster_tags(cli: Any) -> None:
    cli.fake.tags[("cluster", "")] = ["zeta", "alpha"]
    assert cli.run(gnt_cluster.main, "list-tags") == (0, "alpha\nzeta\n", "")
    assert cli.run(gnt_cluster.main, "add-tags", "t1", "t2")[0] == 0
    assert cli.run(gnt_cluster.main, "remove-tags", "t1")[0] == 0
    ops = cli.fake.submitted_ops()
    assert [(o["OP_ID"], o["kind"], o["name"], o["tags"]) for o in ops] == [
        ("OP_TAGS_SET", "cluster", "", ["t1", "t2"]),
        ("OP_TAGS_DEL", "cluster", "", ["t1"]),
    ]


def test_add_tags_from_file_and_empty_refusal(cli: Any, tmp_path: Path) -> None:
    source = tmp_path / "tags"
    source.write_text("a\n b \n")
    assert cli.run(gnt_cluster.main, "add-tags", "--from", str(source))[0] == 0
    assert cli.fake.submitted_ops()[0]["tags"] == ["a", "b"]
    code, _, err = cli.run(gnt_cluster.main, "add-tags")
    assert code == 1 and "No tags to be added" in err
    code, _, err = cli.run(gnt_cluster.main, "add-tags", "--from", str(tmp_path / "missing"))
    assert code == 1 and "Cannot read tags from" in err
    assert len(cli.fake.submitted_ops()) == 1


def test_queue_commands(cli: Any) -> None:
    assert cli.run(gnt_cluster.main, "queue", "drain")[0] == 0
    assert cli.run(gnt_cluster.main, "queue", "undrain")[0] == 0
    assert cli.fake.calls("SetDrainFlag") == [[True], [False]]
    cli.fake.config_values["drain_flag"] = True
    assert cli.run(gnt_cluster.main, "queue", "info")[1] == "The drain flag is set\n"
    cli.fake.config_values["drain_flag"] = False
    assert cli.run(gnt_cluster.main, "queue", "info")[1] == "The drain flag is unset\n"
    code, _, err = cli.run(gnt_cluster.main, "queue", "flush")
    assert code == 1 and "Command 'flush' is not valid." in err


def test_watcher_commands(cli: Any) -> None:
    before = time.time()
    code, out, _ = cli.run(gnt_cluster.main, "watcher", "pause", "1h")
    assert code == 0
    (until,) = cli.fake.calls("SetWatcherPause")[0]
    assert before + 3600 <= until <= time.time() + 3600
    assert out == f"The watcher is paused until {time.ctime(until)}.\n"
    assert cli.run(gnt_cluster.main, "watcher", "continue")[1] == (
        "The watcher is no longer paused.\n"
    )
    cli.fake.config_values["watcher_pause"] = None
    assert cli.run(gnt_cluster.main, "watcher", "info")[1] == "The watcher is not paused.\n"


def test_watcher_bad_input_changes_nothing(cli: Any) -> None:
    code, _, err = cli.run(gnt_cluster.main, "watcher", "pause")
    assert code == 1 and "Missing pause duration" in err
    code, _, err = cli.run(gnt_cluster.main, "watcher", "pause", "soon")
    assert code == 1 and "Invalid time specification 'soon'" in err
    assert cli.fake.calls("SetWatcherPause") == []


def test_redist_conf(cli: Any) -> None:
    assert cli.run(gnt_cluster.main, "redist-conf")[0] == 0
    assert cli.fake.submitted_ops()[0]["OP_ID"] == "OP_CLUSTER_REDIST_CONF"


def test_init_without_bootstrap_module_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyganeti.bootstrap", None)  # import raises
    assert gnt_cluster.main(["init", "--root", str(tmp_path), "c1"]) == 1
    assert "module pyganeti.bootstrap is missing" in capsys.readouterr().err

"""The shared main: command selection, usage errors, argument counts, missing master."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyganeti.cli import gnt_cluster, gnt_debug, gnt_instance, gnt_job
from pyganeti.paths import Paths


def test_no_command_prints_usage_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert gnt_job.main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Usage: gnt-job {command} [options...] [argument...]")
    assert " watch " in out and "Follows a job" in out


def test_unknown_command_fails_and_help_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert gnt_job.main(["frobnicate"]) == 1
    assert gnt_job.main(["--help"]) == 0
    assert "Commands:" in capsys.readouterr().out


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert gnt_cluster.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("gnt-cluster (pyganeti ")


def test_unknown_option_is_a_usage_error_naming_it(cli: Any) -> None:
    code, _, err = cli.run(gnt_instance.main, "list", "--bogus")
    assert code == 2
    assert "unrecognized arguments: --bogus" in err
    assert cli.fake.requests == []


def test_invalid_choice_names_the_option(cli: Any) -> None:
    code, _, err = cli.run(gnt_instance.main, "reboot", "--type", "gentle", "i1")
    assert code == 2
    assert "argument -t/--type: invalid choice: 'gentle'" in err
    code, _, err = cli.run(gnt_debug.main, "delay", "--priority", "urgent", "1")
    assert code == 2
    assert "--priority: invalid choice: 'urgent'" in err
    assert cli.fake.requests == []


def test_bad_key_value_syntax_is_a_parameter_failure(cli: Any) -> None:
    code, _, err = cli.run(gnt_instance.main, "add", "-B", "a=1,a=2", "-s", "1G", "i1")
    assert code == 1
    assert "Failure: unknown/wrong parameter name 'Duplicate key 'a' in option -B'" in err
    assert cli.fake.requests == []


def test_argument_counts_use_ganeti_messages(cli: Any) -> None:
    assert cli.run(gnt_cluster.main, "getmaster", "extra")[0:3:2] == (
        1,
        "Error: Command getmaster expects no arguments\n",
    )
    assert cli.run(gnt_instance.main, "rename", "a")[0:3:2] == (
        1,
        "Error: Command rename expects 2 argument(s)\n",
    )
    assert cli.run(gnt_job.main, "archive")[0:3:2] == (
        1,
        "Error: Command archive expects at least 1 argument(s)\n",
    )
    assert cli.run(gnt_cluster.main, "watcher", "pause", "1h", "x")[0:3:2] == (
        1,
        "Error: Command watcher expects only 2 argument(s)\n",
    )
    assert cli.fake.requests == []


def test_aliases(cli: Any) -> None:
    cli.fake.tags[("cluster", "")] = []
    cli.fake.cluster_info = {"name": "c1"}
    code, out, _ = cli.run(gnt_cluster.main, "show")
    assert code == 0
    assert out.startswith("Cluster name: c1\n")


def test_no_socket_and_no_config_exits_5(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gnt_instance.main(["list", "--root", str(tmp_path)]) == 5
    err = capsys.readouterr().err
    assert "not part of a cluster" in err and str(tmp_path) in err


def test_no_socket_with_config_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = Paths.from_root(tmp_path)
    paths.data_dir.mkdir(parents=True)
    paths.config_file.write_text("{}")
    assert gnt_instance.main(["list", "--root", str(tmp_path)]) == 1
    assert "Cannot communicate with the master daemon" in capsys.readouterr().err


def test_ganeti_root_environment_is_honoured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GANETI_ROOT", str(tmp_path))
    assert gnt_job.main(["list"]) == 5
    assert str(tmp_path) in capsys.readouterr().err

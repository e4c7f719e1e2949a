"""Command lines of the Ganeti daemons and jobs, from their records."""

from __future__ import annotations

import sys

import pytest

from pyganeti.host.records import (
    GanetiCleanerConfiguration,
    GanetiConfdConfiguration,
    GanetiKvmdConfiguration,
    GanetiLuxidConfiguration,
    GanetiMetadConfiguration,
    GanetiMondConfiguration,
    GanetiNodedConfiguration,
    GanetiRapiConfiguration,
    GanetiWatcherConfiguration,
    GanetiWconfdConfiguration,
)
from pyganeti.host.render.commands import (
    PYGANETI_MODULES,
    cleaner_commands,
    daemon_command,
    force_start_command,
    unavailable_reason,
    watcher_command,
)

# The default package is pyganeti: its programs run as modules of this Python.
OURS = {name: (sys.executable, "-m", module) for name, module in PYGANETI_MODULES.items()}


def test_noded_defaults_and_root() -> None:
    assert daemon_command(GanetiNodedConfiguration()) == (
        *OURS["ganeti-noded"],
        "--port",
        "1811",
        "--bind",
        "0.0.0.0",
        "--max-clients",
        "20",
    )
    assert daemon_command(GanetiNodedConfiguration(), "/tmp/n1")[-2:] == ("--root", "/tmp/n1")


def test_noded_all_options() -> None:
    conf = GanetiNodedConfiguration(
        ganeti="/opt/pyganeti",
        port=2000,
        address="127.0.1.1",
        interface="eth0",
        max_clients=5,
        ssl_key="/k",
        debug=True,
    )
    assert daemon_command(conf) == (
        "/opt/pyganeti/bin/ganeti-noded",
        "--port",
        "2000",
        "--interface",
        "eth0",
        "--max-clients",
        "5",
        "--ssl-key",
        "/k",
        "--debug",
    )


def test_rapi_without_tls_and_with_authentication() -> None:
    cmd = daemon_command(GanetiRapiConfiguration(ssl=False, require_authentication=True))
    assert cmd == (
        *OURS["ganeti-rapi"],
        "--port",
        "5080",
        "--bind",
        "0.0.0.0",
        "--max-clients",
        "20",
        "--no-ssl",
        "--require-authentication",
    )


def test_other_daemons() -> None:
    assert daemon_command(GanetiConfdConfiguration()) == (
        *OURS["ganeti-confd"],
        "--port",
        "1814",
        "--bind",
        "0.0.0.0",
    )
    assert daemon_command(GanetiMondConfiguration(debug=True)) == (
        *OURS["ganeti-mond"],
        "--port",
        "1815",
        "--bind",
        "0.0.0.0",
        "--debug",
    )
    assert daemon_command(GanetiMetadConfiguration()) == (*OURS["ganeti-metad"], "--port", "80")
    assert daemon_command(GanetiMetadConfiguration(address="169.254.169.254"))[-2:] == (
        "--bind",
        "169.254.169.254",
    )
    assert daemon_command(GanetiKvmdConfiguration()) == (*OURS["ganeti-kvmd"],)
    assert daemon_command(GanetiLuxidConfiguration(no_voting=True)) == (
        *OURS["ganeti-luxid"],
        "--no-voting",
        "--yes-do-it",
    )
    assert daemon_command(GanetiWconfdConfiguration()) == (*OURS["ganeti-wconfd"],)


def test_force_start_wconfd() -> None:
    assert force_start_command(GanetiWconfdConfiguration(), "/r") == (
        *OURS["ganeti-wconfd"],
        "--force-node",
        "--no-voting",
        "--yes-do-it",
        "--root",
        "/r",
    )
    # Not doubled when the record already skips the vote.
    cmd = force_start_command(GanetiWconfdConfiguration(no_voting=True, debug=True))
    assert cmd == (*OURS["ganeti-wconfd"], "--force-node", "--no-voting", "--yes-do-it", "--debug")


def test_watcher_and_cleaner() -> None:
    assert watcher_command(GanetiWatcherConfiguration()) == (
        *OURS["ganeti-watcher"],
        "--job-age",
        "21600",
    )
    assert watcher_command(
        GanetiWatcherConfiguration(rapi_ip="10.0.0.1", job_age=60, verify_disks=False, debug=True)
    ) == (
        *OURS["ganeti-watcher"],
        "--rapi-ip",
        "10.0.0.1",
        "--job-age",
        "60",
        "--no-verify-disks",
        "--debug",
    )
    assert cleaner_commands(GanetiCleanerConfiguration()) == {
        "master": ("45 1 * * *", (*OURS["ganeti-cleaner"], "master")),
        "node": ("45 2 * * *", (*OURS["ganeti-cleaner"], "node")),
    }


def test_command_lines_parse_with_the_real_daemon_options() -> None:
    # Contract with the daemons: every command line we generate must be accepted by
    # their own argument parsers (they are written in parallel; skip until present).
    noded = pytest.importorskip("pyganeti.daemons.noded")
    base = pytest.importorskip("pyganeti.daemons.base")
    master = pytest.importorskip("pyganeti.daemons.master")
    for conf in (
        GanetiNodedConfiguration(),
        GanetiNodedConfiguration(interface="eth0", ssl=False, debug=True, ssl_cert="/c"),
    ):
        args = noded.make_parser().parse_args(daemon_command(conf, "/r")[3:])
        assert args.root == "/r" and args.port == conf.port
        assert args.interface == conf.interface and args.no_ssl is (not conf.ssl)
    wconfd = base.make_parser("ganeti-wconfd", "")
    master.add_voting_options(wconfd, force_node=True)
    forced = wconfd.parse_args(force_start_command(GanetiWconfdConfiguration(), "/r")[3:])
    assert forced.force_node and forced.no_voting and forced.yes_do_it and forced.root == "/r"
    luxid = base.make_parser("ganeti-luxid", "")
    master.add_voting_options(luxid)
    parsed = luxid.parse_args(daemon_command(GanetiLuxidConfiguration(no_voting=True))[3:])
    assert parsed.no_voting and parsed.yes_do_it


def test_default_package_runs_pyganeti_modules_not_path_programs() -> None:
    # Debian's Ganeti puts its own ganeti-noded in /usr/sbin: ours must never depend on PATH.
    for conf, module in (
        (GanetiNodedConfiguration(), "pyganeti.daemons.noded"),
        (GanetiWconfdConfiguration(), "pyganeti.daemons.wconfd"),
        (GanetiLuxidConfiguration(), "pyganeti.daemons.luxid"),
        (GanetiRapiConfiguration(), "pyganeti.daemons.rapi"),
    ):
        cmd = daemon_command(conf)
        assert cmd[:3] == (sys.executable, "-m", module)
        assert unavailable_reason(cmd) is None
    # Another package name is looked up on PATH; a prefix holds the programs in bin/.
    assert daemon_command(GanetiKvmdConfiguration(ganeti="ganeti-3.0")) == ("ganeti-kvmd",)


def test_unavailable_programs_are_named_with_the_reason() -> None:
    missing = (sys.executable, "-m", "pyganeti.daemons.no_such_daemon")
    assert unavailable_reason(missing) == (
        "not implemented by pyganeti yet (no module pyganeti.daemons.no_such_daemon)"
    )
    assert unavailable_reason((sys.executable, "-m", "no_such_package.sub")) is not None
    assert unavailable_reason(("/nonexistent/bin/ganeti-noded",)) == (
        "/nonexistent/bin/ganeti-noded is not an executable file"
    )
    assert unavailable_reason(("no-such-program-anywhere",)) == (
        "no-such-program-anywhere is not on PATH"
    )
    assert unavailable_reason(("/bin/sh",)) is None

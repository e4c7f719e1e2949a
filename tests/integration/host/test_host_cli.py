"""`pyganeti host` end to end: apply the Guix system test's host file into a temporary
root, and drive its services through the real embedded supervisor process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyganeti.host import control
from pyganeti.host.cli import main
from pyganeti.host.errors import HostApplyError
from pyganeti.host.layout import HostLayout

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "guix-system-test.toml"
TOOLS = ["noded", "confd", "wconfd", "luxid", "rapi", "kvmd", "mond", "metad", "watcher", "cleaner"]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A root whose Ganeti programs are stand-ins logging their command line."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        fake = bin_dir / f"ganeti-{tool}"
        # Python, not sh + exec sleep: like a real daemon it keeps its command line,
        # which is how a pid file's holder is recognised.
        fake.write_text(
            f"#!{sys.executable}\n"
            "import os, sys, time\n"
            "with open(os.environ['GANETI_ROOT'] + '/argv.log', 'a') as log:\n"
            "    log.write(' '.join([os.path.basename(sys.argv[0]), *sys.argv[1:]]) + '\\n')\n"
            "time.sleep(300)\n"
        )
        fake.chmod(0o755)
    root = tmp_path / "root"
    yield root
    layout = HostLayout(root)
    if layout.pid_file.exists():
        pid = int(layout.pid_file.read_text())
        try:
            control.request(layout, "shutdown", timeout=30)
        except HostApplyError:
            os.kill(pid, signal.SIGTERM)
        for _ in range(400):
            if not _alive(pid):
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"


def _standin_host_file(root: Path) -> Path:
    """The Guix system test's host file, each service's package being the stand-ins'
    prefix (the real daemons are driven by tests/integration/test_host_guix_system.py)."""
    prefix = root.parent
    text = EXAMPLE.read_text().replace(
        "[ganeti.rapi-configuration]\n", f'[ganeti.rapi-configuration]\nganeti = "{prefix}"\n'
    )
    for tool in TOOLS:
        if tool != "rapi":
            text += f'\n[ganeti.{tool}-configuration]\nganeti = "{prefix}"\n'
    host_file = prefix / "host.toml"
    host_file.write_text(text)
    return host_file


def _status(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert main(["status", "--json", "--root", str(root)]) == 0
    return {e["name"]: e for e in json.loads(capsys.readouterr().out)}


def _argv(root: Path, tool: str) -> list[str]:
    lines = (root / "argv.log").read_text().splitlines()
    return [line for line in lines if line.startswith(f"ganeti-{tool} ")]


def _wait(predicate: object, what: str) -> None:
    for _ in range(400):
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"never happened: {what}")


def test_apply_and_control(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host_file = _standin_host_file(root)
    assert main(["apply", str(host_file), "--root", str(root), "--dry-run"]) == 0
    assert "would start ganeti-wconfd" in capsys.readouterr().out
    assert not root.exists()

    assert main(["apply", str(host_file), "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"+{root}/srv/ganeti/file-storage" in out
    assert (root / "etc/ganeti/instance-guix/variants/variants.list").read_text() == "default\n"
    status = _status(root, capsys)
    daemons = ["noded", "confd", "wconfd", "luxid", "rapi", "kvmd", "mond", "metad"]
    assert all(status[f"ganeti-{d}"]["status"] == "running" for d in daemons)
    assert status["ganeti-watcher"]["status"] == "enabled"
    assert status["ganeti-watcher"]["schedule"] == "*/5 * * * *"
    _wait(lambda: (root / "argv.log").exists() and len(_argv(root, "rapi")) == 1, "rapi ran")
    assert _argv(root, "rapi") == [
        f"ganeti-rapi --port 5080 --bind 0.0.0.0 --max-clients 20 --no-ssl --root {root}"
    ]

    # Re-applying the same file changes nothing and restarts nothing.
    assert main(["apply", str(host_file), "--root", str(root)]) == 0
    assert capsys.readouterr().out.strip() == "nothing to do"
    assert _status(root, capsys)["ganeti-noded"]["pid"] == status["ganeti-noded"]["pid"]

    # Master failover: stop, then force-start ganeti-wconfd once.
    assert main(["stop", "ganeti-wconfd", "--root", str(root)]) == 0
    assert main(["force-start", "ganeti-wconfd", "--root", str(root)]) == 0
    _wait(lambda: len(_argv(root, "wconfd")) == 2, "forced wconfd ran")
    assert _argv(root, "wconfd")[-1] == (
        f"ganeti-wconfd --force-node --no-voting --yes-do-it --root {root}"
    )
    capsys.readouterr()
    assert main(["force-start", "ganeti-wconfd", "--root", str(root)]) == 1
    assert "stop it before a forced start" in capsys.readouterr().err
    assert main(["force-start", "ganeti-noded", "--root", str(root)]) == 1
    assert "has no force-start action" in capsys.readouterr().err

    # Shepherd's disable: start is refused, force-start still runs; enable undoes it.
    assert main(["stop", "ganeti-wconfd", "--root", str(root)]) == 0
    assert main(["disable", "ganeti-wconfd", "--root", str(root)]) == 0
    capsys.readouterr()
    assert main(["start", "ganeti-wconfd", "--root", str(root)]) == 1
    assert "ganeti-wconfd is disabled; enable it first" in capsys.readouterr().err
    assert _status(root, capsys)["ganeti-wconfd"]["status"] == "stopped"
    assert main(["force-start", "ganeti-wconfd", "--root", str(root)]) == 0
    assert _status(root, capsys)["ganeti-wconfd"]["status"] == "running"
    assert main(["enable", "ganeti-wconfd", "--root", str(root)]) == 0
    assert _status(root, capsys)["ganeti-wconfd"]["enabled"] is True

    # A daemon started outside the supervisor (daemon-util) is known by its pid file:
    # status shows it, start leaves it alone, stop stops it.
    assert main(["stop", "ganeti-luxid", "--root", str(root)]) == 0
    outside = subprocess.Popen(
        [str(root.parent / "bin/ganeti-luxid"), "--started-by-daemon-util"],
        env={**os.environ, "GANETI_ROOT": str(root)},
        start_new_session=True,
    )
    try:
        pid_file = root / "var/run/ganeti/ganeti-luxid.pid"
        pid_file.parent.mkdir(parents=True, exist_ok=True)
        pid_file.write_text(f"{outside.pid}\n")
        assert _status(root, capsys)["ganeti-luxid"]["pid"] == outside.pid
        assert main(["start", "ganeti-luxid", "--root", str(root)]) == 0
        assert _status(root, capsys)["ganeti-luxid"]["pid"] == outside.pid
        assert main(["stop", "ganeti-luxid", "--root", str(root)]) == 0
        assert outside.wait(timeout=30) == -signal.SIGTERM
        assert _status(root, capsys)["ganeti-luxid"]["status"] == "stopped"
        # A stale pid file naming some other live process is not trusted.
        pid_file.write_text(f"{os.getpid()}\n")
        assert _status(root, capsys)["ganeti-luxid"]["pid"] is None
    finally:
        if outside.poll() is None:
            outside.kill()
            outside.wait()

    # Restart gives a new process; unknown names are errors naming the services.
    old = _status(root, capsys)["ganeti-rapi"]["pid"]
    assert main(["restart", "ganeti-rapi", "--root", str(root)]) == 0
    assert _status(root, capsys)["ganeti-rapi"]["pid"] not in (None, old)
    assert main(["start", "ganeti-nope", "--root", str(root)]) == 1
    assert "no service 'ganeti-nope'" in capsys.readouterr().err

    # A Ganeti daemon that dies stays down: ganeti-watcher restarts it, not us.
    pid = _status(root, capsys)["ganeti-noded"]["pid"]
    assert isinstance(pid, int)
    os.kill(pid, signal.SIGKILL)
    _wait(lambda: _status(root, capsys)["ganeti-noded"]["status"] == "failed", "noded failed")
    time.sleep(0.5)
    assert _status(root, capsys)["ganeti-noded"]["pid"] is None

    # An empty host file stops everything and removes the managed files.
    empty = root.parent / "empty.toml"
    empty.write_text("")
    pids = [e["pid"] for e in _status(root, capsys).values() if e["pid"]]
    assert main(["apply", str(empty), "--root", str(root)]) == 0
    assert not (root / "etc/ganeti/file-storage-paths").exists()
    assert _status(root, capsys) == {}
    assert not any(_alive(p) for p in pids if isinstance(p, int))


def test_errors_without_supervisor_or_with_bad_file(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--root", str(root)]) == 1
    assert "no supervisor for root" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[ganeti.rapi-configuration]\nport = "x"\n')
    assert main(["apply", str(bad), "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: ganeti-rapi-configuration: field 'port': expected integer" in err
    assert not root.exists()

"""`pyganeti host` end to end: apply the Guix system test's host file into a temporary
root, and drive its services through the real embedded supervisor process."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyganeti.host import control
from pyganeti.host.cli import main
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
        fake.write_text(
            '#!/bin/sh\necho "$(basename "$0") $*" >> "$GANETI_ROOT/argv.log"\nexec sleep 300\n'
        )
        fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    root = tmp_path / "root"
    yield root
    layout = HostLayout(root)
    if layout.pid_file.exists():
        pid = int(layout.pid_file.read_text())
        try:
            control.request(layout, "shutdown", timeout=30)
        except control.HostApplyError:
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
    assert main(["apply", str(EXAMPLE), "--root", str(root), "--dry-run"]) == 0
    assert "would start ganeti-wconfd" in capsys.readouterr().out
    assert not root.exists()

    assert main(["apply", str(EXAMPLE), "--root", str(root)]) == 0
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
    assert main(["apply", str(EXAMPLE), "--root", str(root)]) == 0
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

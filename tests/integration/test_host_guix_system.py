"""Guix's Ganeti system test (gnu/tests/ganeti.scm), reproduced on pyganeti.

The host file examples/guix-system-test.toml is applied into a temporary root inside a
network namespace made for the test, where the master IP can be put on an interface.
Then, as in the Guix test: gnt-cluster init, watcher pause, stop + disable + force-start
ganeti-wconfd, verify, daemon-util stop-all / start-all, verify, watcher continue,
GET /version over plain HTTP, gnt-os list, gnt-cluster destroy.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1].parent / "examples" / "guix-system-test.toml"
BIN = Path(sys.executable).parent
NODE_IP = "192.0.2.1"
MASTER_IP = "192.0.2.100"
CLUSTER = "ganeti.example.com"
NODE = "node1.example.com"
LINK = "gnt0"


@dataclass
class Namespace:
    """A network namespace holding one node: commands run there with GANETI_ROOT set."""

    name: str
    root: Path

    def run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        exe = str(BIN / argv[0]) if (BIN / argv[0]).exists() else argv[0]
        env = {**os.environ, "GANETI_ROOT": str(self.root)}
        env.pop("GANETI_HOSTNAME", None)  # the root's hostname file names the node
        return subprocess.run(
            ["ip", "netns", "exec", self.name, exe, *argv[1:]],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *argv: str) -> str:
        """Run; fail the test with the output unless it exits 0; return stdout."""
        proc = self.run(*argv)
        assert proc.returncode == 0, (
            f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        )
        return proc.stdout

    def pids(self) -> list[int]:
        out = subprocess.run(
            ["ip", "netns", "pids", self.name], capture_output=True, text=True, check=False
        ).stdout
        return [int(p) for p in out.split()]


def _ip(*argv: str) -> None:
    subprocess.run(["ip", *argv], check=True, capture_output=True, text=True)


def _netns_usable() -> str | None:
    if os.geteuid() != 0:
        return "needs root to create a network namespace"
    if shutil.which("ip") is None:
        return "needs iproute2 (ip)"
    probe = f"pyganeti-probe-{uuid.uuid4().hex[:8]}"
    result = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if result.returncode != 0:
        return f"cannot create a network namespace: {result.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def _kill_all(ns: Namespace) -> None:
    """Stop every process left in our namespace (all started by this test), by pid."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = ns.pids()
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        for _ in range(100):
            if not ns.pids():
                return
            time.sleep(0.05)


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Namespace]:
    reason = _netns_usable()
    if reason is not None:
        pytest.skip(reason)
    ns = Namespace(f"pyganeti-guix-{uuid.uuid4().hex[:8]}", tmp_path / "root")
    _ip("netns", "add", ns.name)
    try:
        # A veth pair inside the namespace (dummy interfaces need a kernel module that
        # containers often lack): the node's address on one end, loopback up.
        _ip("-n", ns.name, "link", "set", "lo", "up")
        _ip("-n", ns.name, "link", "add", LINK, "type", "veth", "peer", "name", f"{LINK}p")
        _ip("-n", ns.name, "addr", "add", f"{NODE_IP}/24", "dev", LINK)
        _ip("-n", ns.name, "link", "set", f"{LINK}p", "up")
        _ip("-n", ns.name, "link", "set", LINK, "up")
        (ns.root / "etc").mkdir(parents=True)
        (ns.root / "etc/hosts").write_text(
            f"127.0.0.1 localhost\n{NODE_IP} {NODE} node1\n{MASTER_IP} {CLUSTER}\n"
        )
        (ns.root / "var/lib/ganeti").mkdir(parents=True)
        (ns.root / "var/lib/ganeti/hostname").write_text(f"{NODE}\n")
        yield ns
    finally:
        _kill_all(ns)
        subprocess.run(["ip", "netns", "del", ns.name], capture_output=True)


def _status(ns: Namespace) -> dict[str, dict[str, object]]:
    out = ns.ok("pyganeti", "host", "status", "--json", "--root", str(ns.root))
    return {e["name"]: e for e in json.loads(out)}


def _cmdline(pid: object) -> list[str]:
    assert isinstance(pid, int), pid
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


def _http_get(ns: Namespace, url: str) -> tuple[int, str]:
    # Plain HTTP from inside the namespace, where the master IP lives.
    script = (
        "import json, sys, urllib.request\n"
        f"with urllib.request.urlopen({url!r}, timeout=30) as r:\n"
        "    print(json.dumps([r.status, r.read().decode()]))\n"
    )
    status, body = json.loads(ns.ok(sys.executable, "-c", script))
    return int(status), str(body)


def test_guix_ganeti_system_test(node: Namespace) -> None:
    root = str(node.root)
    out = node.ok("pyganeti", "host", "apply", str(EXAMPLE), "--root", root)
    assert "start ganeti-noded" in out
    # Our daemons, not whatever else is installed as ganeti-noded (Debian's in /usr/sbin).
    services = {
        s["name"]: s
        for s in json.loads((node.root / "var/lib/pyganeti-host/services.json").read_text())
    }
    for daemon in ("noded", "wconfd", "luxid", "rapi"):
        command = services[f"ganeti-{daemon}"]["command"]
        assert command[1:3] == ["-m", f"pyganeti.daemons.{daemon}"]
        assert os.path.samefile(command[0], sys.executable)
    assert "--no-ssl" in services["ganeti-rapi"]["command"]

    node.ok(
        "gnt-cluster",
        "init",
        "--no-etc-hosts",
        "--no-ssh-init",
        f"--master-netdev={LINK}",
        "--enabled-disk-templates=file",
        "--enabled-hypervisors=fake",
        f"--nic-parameters=mode=routed,link={LINK}",
        CLUSTER,
    )
    # gnt-cluster init brought the master IP up on the master netdev, as Ganeti does.
    shown = subprocess.run(["ip", "-n", node.name, "-o", "addr", "show", "dev", LINK],
                           capture_output=True, text=True, check=True).stdout
    assert f" {MASTER_IP}/32 " in shown
    status = _status(node)
    for daemon in ("noded", "wconfd", "luxid", "rapi"):
        entry = status[f"ganeti-{daemon}"]
        assert entry["status"] == "running", entry
        assert f"pyganeti.daemons.{daemon}" in _cmdline(entry["pid"])

    node.ok("gnt-cluster", "watcher", "pause", "1h")
    assert (node.root / "var/lib/ganeti/watcher.pause").exists()

    # Master failover, Guix style: stop, disable, then force-start ganeti-wconfd.
    node.ok("pyganeti", "host", "stop", "ganeti-wconfd", "--root", root)
    node.ok("pyganeti", "host", "disable", "ganeti-wconfd", "--root", root)
    refused = node.run("pyganeti", "host", "start", "ganeti-wconfd", "--root", root)
    assert refused.returncode == 1 and "is disabled" in refused.stderr
    node.ok("pyganeti", "host", "force-start", "ganeti-wconfd", "--root", root)
    wconfd = _status(node)["ganeti-wconfd"]
    assert wconfd["status"] == "running" and wconfd["enabled"] is False
    forced = _cmdline(wconfd["pid"])
    assert {"--force-node", "--no-voting", "--yes-do-it"} <= set(forced)

    node.ok("gnt-cluster", "verify")
    node.ok("pyganeti", "daemon-util", "stop-all")
    assert all(_status(node)[f"ganeti-{d}"]["pid"] is None for d in ("noded", "wconfd"))
    node.ok("pyganeti", "daemon-util", "start-all")
    node.ok("gnt-cluster", "verify")
    node.ok("gnt-cluster", "watcher", "continue")
    assert not (node.root / "var/lib/ganeti/watcher.pause").exists()

    # daemon-util started RAPI with the host file's options (etc/default/ganeti): no TLS.
    rapi_status, rapi_body = _http_get(node, f"http://{MASTER_IP}:5080/version")
    assert rapi_status == 200

    assert node.ok("gnt-os", "list", "--no-headers") == "debootstrap+default\nguix+default\n"

    node.ok("gnt-cluster", "destroy", "--yes-do-it")
    assert not (node.root / "var/lib/ganeti/config.data").exists()
    # Checked last so that one wire-format gap does not hide the steps after it.
    assert rapi_body == "2\n", (
        f"GET /version body {rapi_body!r}: Ganeti's JSON bodies end with a newline"
        " (serializer.DumpJson), as the Guix test expects"
    )

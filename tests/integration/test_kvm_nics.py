"""Instance NICs on tap devices, inside a network namespace the test creates: a bridged
NIC joins the bridge and the guest (with the MAC it was given) pings the host through it;
a routed NIC gets its /32 route and proxy ARP; stopping the VM deletes both taps."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from pyganeti.hypervisor.kvm.guestimage import GuestImage, build_guest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        shutil.which("qemu-system-x86_64") is None
        or shutil.which("ip") is None
        or os.geteuid() != 0
        or not os.path.exists("/dev/net/tun"),
        reason="needs QEMU, iproute2, root and /dev/net/tun",
    ),
]

# Runs inside the namespace: everything it creates disappears with the namespace.
SCRIPT = """
import os, socket, subprocess, sys, time
from pyganeti.paths import Paths
from pyganeti.hypervisor.kvm import KvmHypervisor

def ip(*args):
    subprocess.run(["ip", *args], check=True)

def links():
    return subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout

ip("link", "set", "lo", "up")
ip("link", "add", "br-test", "type", "bridge")
ip("addr", "add", "10.9.0.1/24", "dev", "br-test")
ip("link", "set", "br-test", "up")
paths = Paths.from_root(sys.argv[1]); paths.ensure_dirs()
hv = KvmHypervisor(paths)
inst = {
    "name": "net1", "uuid": "UUID", "hypervisor": "kvm",
    "hvparams": {"kernel_path": sys.argv[2], "initrd_path": sys.argv[3], "root_path": "",
                 "kernel_args": "panic=-1 quiet", "nic_type": "paravirtual"},
    "beparams": {"maxmem": 128, "minmem": 128, "vcpus": 1},
    "nics": [
        {"mac": "aa:00:00:12:34:56", "nicparams": {"mode": "bridged", "link": "br-test"}},
        {"mac": "aa:00:00:65:43:21", "ip": "10.9.1.7", "nicparams": {"mode": "routed", "link": ""}},
    ],
}
# A NIC on a bridge that does not exist is refused, and no tap is left behind.
bad_nic = {"mac": "aa:00:00:00:00:01", "nicparams": {"mode": "bridged", "link": "nobr"}}
bad = dict(inst, nics=[bad_nic])
try:
    hv.start(bad, [], False)
    print("BAD-NIC-ACCEPTED")
except Exception as err:
    print("BAD-NIC-REFUSED", err)
print("TAPS-AFTER-BAD", "gnt" in links())
hv.start(inst, [], False)
taps = hv.runtime_record("net1")["taps"]
print("TAPS", taps)
print("MASTER", "master br-test" in subprocess.run(
    ["ip", "-o", "link", "show", "dev", taps[0]], capture_output=True, text=True).stdout)
route = subprocess.run(["ip", "route", "show", "10.9.1.7"], capture_output=True, text=True)
print("ROUTE", route.stdout.strip())
print("PROXYARP", open(f"/proc/sys/net/ipv4/conf/{taps[1]}/proxy_arp").read().strip())
log = hv.rt.console_log("net1")
def text():
    return log.read_text(errors="replace") if log.exists() else ""
deadline = time.monotonic() + 240
while "PYGANETI-GUEST-UP" not in text() and time.monotonic() < deadline:
    time.sleep(0.3)
with socket.socket(socket.AF_UNIX) as sock:
    sock.connect(str(hv.rt.console_socket("net1")))
    sock.sendall(b"ip addr add 10.9.0.2/24 dev eth0; ip link set eth0 up; "
                 b"echo MAC-$(cat /sys/class/net/eth0/address); "
                 b"ping -c 3 -W 5 10.9.0.1 >/dev/null && echo PING-OK || echo PING-FAIL\\n")
    # The console echoes what is typed: wait for the answer on a line of its own.
    while not {"PING-OK", "PING-FAIL"} & {l.strip() for l in text().splitlines()}:
        if time.monotonic() > deadline:
            break
        time.sleep(0.3)
print("GUEST", [l.strip() for l in text().splitlines() if l.startswith(("MAC-", "PING-"))])
hv.stop(inst, True, 0)
print("TAPS-AFTER-STOP", [t for t in taps if t in links()])
"""


@pytest.fixture(scope="module")
def guest(tmp_path_factory: pytest.TempPathFactory) -> GuestImage:
    try:
        return build_guest(tmp_path_factory.mktemp("guest"))
    except Exception as err:
        pytest.skip(f"cannot build the test guest: {err}")


def test_bridged_and_routed_nics_in_a_namespace(tmp_path: Path, guest: GuestImage) -> None:
    ns = f"pgkvm-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    script = tmp_path / "inside.py"
    script.write_text(textwrap.dedent(SCRIPT).replace("UUID", str(uuid.uuid4())))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    try:
        proc = subprocess.run(
            ["ip", "netns", "exec", ns, sys.executable, str(script), str(tmp_path / "root"),
             str(guest.kernel), str(guest.initrd)],
            capture_output=True, text=True, timeout=400, env=env,
        )  # fmt: skip
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)
    out = proc.stdout
    assert proc.returncode == 0, f"{out}\n{proc.stderr}"
    assert "BAD-NIC-REFUSED" in out and "bridge nobr does not exist" in out
    assert "TAPS-AFTER-BAD False" in out
    assert "MASTER True" in out
    assert "10.9.1.7 dev gnt" in out and "PROXYARP 1" in out
    assert "'MAC-aa:00:00:12:34:56'" in out and "'PING-OK'" in out
    assert "TAPS-AFTER-STOP []" in out

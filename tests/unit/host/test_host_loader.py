"""The TOML host file reader: spelling rules, identical results to Python, error lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.loader import KeyLines, load_host_file, loads_host
from pyganeti.host.records import (
    DebootstrapConfiguration,
    GanetiConfiguration,
    GanetiOs,
    GanetiOsVariant,
    GanetiRapiConfiguration,
    GanetiWatcherConfiguration,
    GuestVmConfiguration,
    HostConfiguration,
    LibvirtConfiguration,
    PlainFile,
    QemuBinfmtConfiguration,
    VirtlogConfiguration,
    debootstrap_os,
    debootstrap_variant,
    lookup_qemu_platforms,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

FULL = """\
[ganeti]
file-storage-paths = ["/srv/ganeti/file-storage", "/srv/ganeti/other"]

[ganeti.rapi-configuration]
"ssl?" = false
interface = "eth1"

[ganeti.watcher-configuration]
rapi-ip = "10.0.0.1"
verify-disks = false

[[ganeti.os]]
name = "custom"
extension = ".conf"

[[ganeti.os.variants]]
name = "foo"
configuration = { name = "bar", content = "this is fine" }

[[ganeti.os]]
name = "debootstrap"
extension = ".conf"

[[ganeti.os.variants]]
name = "default"

[ganeti.os.variants.configuration.debootstrap]
suite = "bookworm"
clean-cache = false
components = ["main", "contrib"]
hooks = { 99-hello-world = "#!/bin/sh\\necho Hello, World" }

[libvirt]
unix-sock-group = "libvirt"
tls-port = "16555"

[virtlog]
max-clients = 1000

[qemu-binfmt]
platforms = ["arm", "aarch64"]

[[hurd-vm]]
image = "/var/lib/guest.img"
id = 1
options = []
"""


def test_toml_and_python_give_identical_records() -> None:
    expected = HostConfiguration(
        ganeti=GanetiConfiguration(
            file_storage_paths=("/srv/ganeti/file-storage", "/srv/ganeti/other"),
            rapi_configuration=GanetiRapiConfiguration(ssl=False, interface="eth1"),
            watcher_configuration=GanetiWatcherConfiguration(
                rapi_ip="10.0.0.1", verify_disks=False
            ),
            os=(
                GanetiOs(
                    name="custom",
                    extension=".conf",
                    variants=(
                        GanetiOsVariant(
                            name="foo", configuration=PlainFile(name="bar", content="this is fine")
                        ),
                    ),
                ),
                debootstrap_os(
                    [
                        debootstrap_variant(
                            "default",
                            DebootstrapConfiguration(
                                suite="bookworm",
                                clean_cache=None,
                                components=("main", "contrib"),
                                hooks=(("99-hello-world", "#!/bin/sh\necho Hello, World"),),
                            ),
                        )
                    ]
                ),
            ),
        ),
        libvirt=LibvirtConfiguration(unix_sock_group="libvirt", tls_port="16555"),
        virtlog=VirtlogConfiguration(max_clients=1000),
        qemu_binfmt=QemuBinfmtConfiguration(platforms=lookup_qemu_platforms("arm", "aarch64")),
        hurd_vm=(GuestVmConfiguration(image="/var/lib/guest.img", id=1, options=()),),
    )
    assert loads_host(FULL) == expected


def test_empty_file_configures_nothing() -> None:
    assert loads_host("") == HostConfiguration()


def test_empty_table_enables_service_with_defaults() -> None:
    assert loads_host("[virtlog]\n").virtlog == VirtlogConfiguration()


def test_question_mark_may_be_dropped_but_not_given_twice() -> None:
    a = loads_host("[ganeti.rapi-configuration]\nssl = false\n")
    b = loads_host('[ganeti.rapi-configuration]\n"ssl?" = false\n')
    assert a == b
    with pytest.raises(HostConfigError, match="given twice") as err:
        loads_host('[ganeti.rapi-configuration]\nssl = false\n"ssl?" = true\n', "h.toml")
    assert err.value.line == 3


def _error(text: str) -> HostConfigError:
    with pytest.raises(HostConfigError) as err:
        loads_host(text, "host.toml")
    return err.value


@pytest.mark.parametrize(
    ("bad", "good", "record", "field", "message"),
    [
        (
            '"ssl?" = false',
            '"ssl?" = "no"',
            "ganeti-rapi-configuration",
            "ssl?",
            "expected boolean",
        ),
        (
            "verify-disks = false",
            "verify-disks = 1",
            "ganeti-watcher-configuration",
            "verify-disks?",
            "expected boolean",
        ),
        (
            'suite = "bookworm"',
            "suite = 3",
            "debootstrap-configuration",
            "suite",
            "expected string",
        ),
        (
            'platforms = ["arm", "aarch64"]',
            'platforms = ["arm", "vax"]',
            "qemu-binfmt-configuration",
            "platforms",
            "'vax'",
        ),
        ("id = 1", "id = -1", "hurd-vm-configuration", "id", "positive"),
        ('tls-port = "16555"', 'tls-port = "0"', "libvirt-configuration", "tls-port", "outside"),
        (
            'configuration = { name = "bar", content = "this is fine" }',
            'configuration = { content = "x", file = "/y" }',
            "ganeti-os-variant",
            "configuration",
            "exactly one",
        ),
    ],
)
def test_errors_name_file_line_record_and_field(
    bad: str, good: str, record: str, field: str, message: str
) -> None:
    line = FULL.splitlines().index(bad) + 1
    err = _error(FULL.replace(bad, good))
    assert (err.file, err.line, err.record, err.field) == ("host.toml", line, record, field)
    assert message in str(err)
    assert str(err).startswith(f"host.toml:{line}: {record}: field '{field}'")


def test_unknown_key_lists_known_keys_with_line() -> None:
    err = _error(FULL.replace("max-clients = 1000", "max-client = 1000"))
    assert err.line == FULL.splitlines().index("max-clients = 1000") + 1
    assert "unknown key 'max-client'" in str(err) and "max-clients" in str(err)


def test_unknown_service_table() -> None:
    err = _error("[ganeti]\n\n[libvirtd]\nx = 1\n")
    assert err.line == 3 and "unknown key 'libvirtd'" in str(err)


def test_missing_required_key() -> None:
    err = _error("[[hurd-vm]]\nid = 1\n")
    assert err.line == 1 and "missing required key(s): image" in str(err)


def test_invalid_toml_reports_line() -> None:
    err = _error("[ganeti]\nfile-storage-paths = [\n")
    assert err.file == "host.toml" and err.line is not None and "not valid TOML" in str(err)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(HostConfigError, match="cannot read host file"):
        load_host_file(tmp_path / "nope.toml")


def test_key_lines_index_arrays_of_tables_and_multiline_strings() -> None:
    text = '[[a]]\nx = 1\n[[a]]\ny = """\nz = 2\n"""\nz = 3\n[a.b]\nq = 1\n'
    lines = KeyLines(text, "f")
    assert lines.line(("a", 0, "x")) == 2
    assert lines.line(("a", 1, "y")) == 4
    assert lines.line(("a", 1, "z")) == 7  # the "z = 2" inside the string is not a key
    assert lines.line(("a", 1, "b", "q")) == 9
    assert lines.line(("a", 1, "missing")) == 3


def test_examples_load() -> None:
    node = load_host_file(EXAMPLES / "node1.toml")
    assert node.ganeti is not None
    assert node.ganeti.file_storage_paths == ("/srv/ganeti/file-storage",)
    assert node.ganeti.os == GanetiConfiguration().os

"""OS provider records, the seeds' helpers and %default-* values."""

from __future__ import annotations

import pytest

from pyganeti.host.errors import HostConfigError
from pyganeti.host.records import (
    DEFAULT_DEBOOTSTRAP_EXTRA_PKGS,
    DEFAULT_DEBOOTSTRAP_HOOKS,
    DEFAULT_DEBOOTSTRAP_VARIANTS,
    DEFAULT_GANETI_OS,
    DEFAULT_GUIX_VARIANTS,
    DebootstrapConfiguration,
    GanetiOs,
    GanetiOsVariant,
    LocalFile,
    PlainFile,
    debootstrap_os,
    debootstrap_variant,
    guix_os,
    guix_variant,
)


def test_debootstrap_configuration_seed_defaults() -> None:
    conf = DebootstrapConfiguration()
    assert conf.hooks == DEFAULT_DEBOOTSTRAP_HOOKS
    assert (conf.proxy, conf.mirror, conf.arch, conf.components) == (None, None, None, None)
    assert conf.suite == "stable"
    assert conf.extra_pkgs == DEFAULT_DEBOOTSTRAP_EXTRA_PKGS
    assert conf.generate_cache is True
    assert conf.clean_cache == 14
    assert conf.partition_style == "msdos"
    assert conf.partition_alignment == 2048


def test_default_hooks_configure_network_and_grub() -> None:
    names = [name for name, _ in DEFAULT_DEBOOTSTRAP_HOOKS]
    assert any("network" in n for n in names) and any("grub" in n for n in names)
    assert all(content.startswith("#!") for _, content in DEFAULT_DEBOOTSTRAP_HOOKS)


def test_helpers_build_the_seeds_records() -> None:
    variant = debootstrap_variant("default", DebootstrapConfiguration())
    assert variant == GanetiOsVariant(name="default", configuration=DebootstrapConfiguration())
    os = debootstrap_os([variant])
    assert (os.name, os.extension, os.variants) == ("debootstrap", ".conf", (variant,))
    g = guix_os([guix_variant("default", LocalFile(path="/etc/guix/vm.scm"))])
    assert (g.name, g.extension) == ("guix", ".scm")


def test_default_variants_and_default_os() -> None:
    assert [v.name for v in DEFAULT_DEBOOTSTRAP_VARIANTS] == ["default"]
    assert DEFAULT_DEBOOTSTRAP_VARIANTS[0].configuration == DebootstrapConfiguration()
    assert [v.name for v in DEFAULT_GUIX_VARIANTS] == ["default"]
    assert "openssh-service-type" in DEFAULT_GUIX_VARIANTS[0].configuration.content  # type: ignore[union-attr]
    assert [(o.name, [v.name for v in o.variants]) for o in DEFAULT_GANETI_OS] == [
        ("debootstrap", ["default"]),
        ("guix", ["default"]),
    ]


def test_seed_custom_os_example() -> None:
    os = GanetiOs(
        name="custom",
        extension=".conf",
        variants=[
            GanetiOsVariant(name="foo", configuration=PlainFile(name="bar", content="this is fine"))
        ],  # type: ignore[arg-type]
    )
    assert os.variants[0].configuration == PlainFile(name="bar", content="this is fine")


@pytest.mark.parametrize(
    ("factory", "field", "message"),
    [
        (lambda: DebootstrapConfiguration(hooks=(("99 hello", "x"),)), "hooks", "run-parts"),
        (
            lambda: DebootstrapConfiguration(hooks=(("a", "x"), ("a", "y"))),
            "hooks",
            "more than once",
        ),
        (lambda: DebootstrapConfiguration(hooks="relative/dir"), "hooks", "absolute"),
        (lambda: DebootstrapConfiguration(clean_cache=-1), "clean-cache", "negative"),
        (
            lambda: DebootstrapConfiguration(partition_alignment=0),
            "partition-alignment",
            "positive",
        ),
        (lambda: DebootstrapConfiguration(suite=""), "suite", "empty"),
        (lambda: GanetiOs(name="x", extension="conf"), "extension", "start with '.'"),
        (lambda: GanetiOs(name="a/b", extension=".conf"), "name", "not a valid name"),
        (
            lambda: debootstrap_os([debootstrap_variant("v", DebootstrapConfiguration())] * 2),
            "variants",
            "more than once",
        ),
        (
            lambda: GanetiOsVariant(name="v", configuration="text"),
            "configuration",
            "expected plain-file or local-file or debootstrap-configuration",
        ),
        (lambda: LocalFile(path="relative"), "path", "absolute"),
    ],
)
def test_bad_values(factory: object, field: str, message: str) -> None:
    with pytest.raises(HostConfigError) as err:
        factory()  # type: ignore[operator]
    assert err.value.field == field
    assert message in str(err.value)


def test_hooks_may_be_disabled_or_a_directory() -> None:
    assert DebootstrapConfiguration(hooks=None).hooks is None
    assert DebootstrapConfiguration(hooks="/etc/hooks").hooks == "/etc/hooks"

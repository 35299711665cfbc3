"""Buildroot: `BR2_` names, `Config.in`, generated `.br2-external.in.*`, carried fragments ignored."""

from __future__ import annotations

from pathlib import Path

from tests.ecosystems.support import findings, load, reached, references

BUILDROOT = """
//- /Config.in
mainmenu "Buildroot $BR2_VERSION Configuration"
config BR2_BASE_DIR
	string
	option env="BR2_BASE_DIR"
source "$BR2_BASE_DIR/.br2-external.in.paths"
source "package/Config.in"
//- /Makefile
export BR2_VERSION := 2026.08
BR2_CONFIG = $(CONFIG_DIR)/.config
//- /package/Config.in
config BR2_PACKAGE_FOO
	bool "foo"
//- /package/foo/foo.mk
ifeq ($(BR2_PACKAGE_FOO),y)
FOO_DEPENDENCIES += $(if $(BR2_PACKAGE_FOO),bar)
endif
FOO_CONF = $(BR2_EXTERNAL)
//- /configs/qemu_defconfig
BR2_PACKAGE_FOO=y
BR2_PACKAGE_GONE=y
//- /board/qemu/linux.config
CONFIG_VIRTIO=y
//- /package/busybox/busybox.config
CONFIG_ASH=y
//- /support/testing/tests/br2-external/Config.in
config BR2_PACKAGE_TEST_ONLY
	bool "test"
"""


def test_br2_prefix_generated_externals_and_foreign_fragments(tmp_path: Path) -> None:
    model, index = load(tmp_path, BUILDROOT)
    assert index.ecosystem.name == "buildroot"
    assert model.settings.root_kconfig == "Config.in"
    assert "BR2_PACKAGE_FOO" in reached(model)
    # The generated `.br2-external.in.paths` is empty, not missing; the test suite's trees are not loaded.
    assert not any(model.file_problems.values())
    assert "BR2_PACKAGE_TEST_ONLY" not in model.definitions
    assert references(index, "BR2_PACKAGE_FOO") == [
        ("configs/qemu_defconfig", 1, "config_assignment"),
        ("package/foo/foo.mk", 1, "make_conditional"),
        ("package/foo/foo.mk", 2, "make_variable"),
    ]
    assert findings(model, index, "undefined-symbol-in-code", "code-file-problem") == [
        "configs/qemu_defconfig:2: BR2_PACKAGE_GONE in configuration file: no Kconfig file defines "
        "BR2_PACKAGE_GONE; did you mean BR2_PACKAGE_FOO?"
    ]

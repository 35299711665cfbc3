"""Which ecosystem a tree is, the project file's override, and Linux's own fixtures left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.settings.ecosystem import ECOSYSTEMS, detect_ecosystem
from kconfig_ls.settings.project_file import SettingsError, load_project_settings
from tests.ecosystems.support import findings, load, references
from tests.fixtures import write_fixture


def test_the_project_file_names_the_ecosystem(tmp_path: Path) -> None:
    fixture = """
//- /.kconfig-ls.toml
ecosystem = "coreboot"
root = "Kconfig"
//- /Kconfig
config FEATURE
	bool "feature"
//- /main.c
int on = CONFIG(FEATURE);
"""
    model, index = load(tmp_path, fixture)
    assert detect_ecosystem(str(tmp_path)).name == "generic"
    assert index.ecosystem.name == "coreboot"
    assert model.settings.root_kconfig == "Kconfig"  # an explicit root wins over coreboot's src/Kconfig
    assert references(index, "FEATURE") == [("main.c", 1, "macro_argument")]


def test_an_unknown_ecosystem_name_is_a_settings_error(tmp_path: Path) -> None:
    write_fixture(tmp_path, '//- /.kconfig-ls.toml\necosystem = "yocto"\n')
    with pytest.raises(SettingsError, match="unknown ecosystem 'yocto'"):
        load_project_settings(str(tmp_path))


def test_linux_kconfig_fixtures_and_documentation_examples_are_not_loaded(tmp_path: Path) -> None:
    fixture = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config REAL
	bool "real"
//- /arch/x86/Kconfig
config X86
	def_bool y
//- /scripts/kconfig/tests/choice/Kconfig
config TEST_FIXTURE_ONLY
	bool "fixture"
	select
//- /Documentation/kbuild/Kconfig.select-break
config DOC_EXAMPLE
	bool
//- /drivers/a.c
#ifdef CONFIG_REAL
#endif
"""
    model, index = load(tmp_path, fixture)
    assert index.ecosystem.name == "linux"
    assert "TEST_FIXTURE_ONLY" not in model.definitions and "DOC_EXAMPLE" not in model.definitions
    assert findings(model, index, "undefined-symbol-in-code", "syntax-error") == []


def test_every_ecosystem_has_a_distinct_name() -> None:
    names = [ecosystem.name for ecosystem in ECOSYSTEMS]
    assert len(names) == len(set(names)) and "generic" in names

"""Go to definition and find references."""

from __future__ import annotations

from pathlib import Path

from tests.ide.support import check_definition, check_references

TREE = """
//- /Kconfig
source "mm/Kconfig"
config COMPACTION
	bool "Compaction"
	select MIGRATION
	depends on MMU && !MIGRATION_DISABLED
config CMA
	bool "CMA"
	select MIGRATION if MMU
//- /mm/Kconfig
config MMU
	def_bool y
config MIGRATION
	bool
	depends on MMU
config MIGRATION_DISABLED
	bool
"""


def test_definition_of_a_selected_symbol(tmp_path: Path) -> None:
    check_definition(tmp_path, TREE.replace("select MIGRATION\n", "select MIGRA$0TION\n"), ["mm/Kconfig:3:8"])


def test_definition_in_a_condition(tmp_path: Path) -> None:
    check_definition(tmp_path, TREE.replace("if MMU", "if M$0MU"), ["mm/Kconfig:1:8"])


def test_definition_of_every_site_configured_first(tmp_path: Path) -> None:
    check_definition(
        tmp_path,
        """
        //- /Kconfig
        source "arch/x86/Kconfig"
        config USER
        	bool "User"
        	depends on $0FOO
        //- /arch/arm/Kconfig
        config FOO
        	bool "arm"
        //- /arch/x86/Kconfig
        config FOO
        	bool "x86"
        """,
        ["arch/x86/Kconfig:1:8", "arch/arm/Kconfig:1:8"],
    )


def test_definition_on_a_source_line_opens_the_file(tmp_path: Path) -> None:
    check_definition(
        tmp_path, TREE.replace('source "mm/Kconfig"', 'source "mm/K$0config"'), ["mm/Kconfig:1:1"]
    )


def test_definition_from_c_spelling(tmp_path: Path) -> None:
    check_definition(
        tmp_path,
        """
        //- /Kconfig
        config MMU
        	def_bool y
        //- /mm/memory.c
        #ifdef CONFIG_M$0MU
        #endif
        """,
        ["Kconfig:1:8"],
    )


def test_references_are_narrowed_to_the_name(tmp_path: Path) -> None:
    check_references(
        tmp_path,
        TREE.replace("config MIGRATION\n", "config MIGRA$0TION\n"),
        [
            "mm/Kconfig:3:8 definition",
            "Kconfig:4:9 select",
            "Kconfig:8:9 select",
        ],
    )


def test_references_without_the_declaration(tmp_path: Path) -> None:
    check_references(
        tmp_path,
        TREE.replace("config MMU\n", "config M$0MU\n"),
        ["Kconfig:5:13 depends on", "Kconfig:8:22 if", "mm/Kconfig:5:13 depends on"],
        include_declaration=False,
    )


def test_references_do_not_match_longer_names(tmp_path: Path) -> None:
    # MIGRATION must not match inside MIGRATION_DISABLED.
    check_references(
        tmp_path,
        TREE.replace("config MIGRATION_DISABLED\n", "config MIGRATION_DIS$0ABLED\n"),
        ["mm/Kconfig:6:8 definition", "Kconfig:5:21 depends on"],
    )

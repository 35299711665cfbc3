"""Editor features in C, Makefiles and config files, through the host (data-driven)."""

from __future__ import annotations

from pathlib import Path

from tests.ide.support import analysis, check_definition, check_folding, completion_labels, cursor, where

TREE = """
//- /Kconfig
config MIGRATION
	bool "Page migration"
config NUMA_MIGRATION
	bool "NUMA page migration"
	select MIGRATION
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
"""


def test_completion_after_config_prefix_in_c_and_config_files(tmp_path: Path) -> None:
    assert completion_labels(tmp_path / "c", TREE + "//- /mm/a.c\n/* é */\n#ifdef CONFIG_NUMA_M$0\n") == [
        "CONFIG_NUMA_MIGRATION"
    ]
    assert completion_labels(tmp_path / "conf", TREE + "//- /prj.conf\nCONFIG_MIG$0=y\n") == [
        "CONFIG_MIGRATION",
        "CONFIG_NUMA_MIGRATION",
    ]
    # Ordinary C identifiers are left to the C language server.
    assert completion_labels(tmp_path / "plain", TREE + "//- /mm/b.c\nint mig$0;\n") == []


def test_folding_of_if_blocks_in_c(tmp_path: Path) -> None:
    check_folding(
        tmp_path,
        TREE + "//- /mm/a.c\n#ifdef CONFIG_MIGRATION\nint a;\nint b;\n#else\nint c;\n#endif\n",
        ["1-3 region", "4-5 region"],
        relative="mm/a.c",
    )


def test_definition_from_a_makefile_and_from_endif(tmp_path: Path) -> None:
    check_definition(
        tmp_path / "make", TREE.replace("obj-$(CONFIG_MIG", "obj-$(CONFIG_MIG$0"), ["Kconfig:1:8"]
    )
    check_definition(
        tmp_path / "endif",
        TREE + "//- /mm/a.c\n#ifdef CONFIG_MIGRATION\n#else\nint c;\n#en$0dif /* CONFIG_MIGRATION */\n",
        ["mm/a.c:1:2", "mm/a.c:2:2"],
    )


def test_hover_in_c_shows_the_guard_and_the_objects_built(tmp_path: Path) -> None:
    host, written = analysis(
        tmp_path,
        TREE + "//- /mm/a.c\n#ifdef CONFIG_NUMA_MIGRATION\nint x = IS_ENABLED(CONFIG_MIGRA$0TION);\n#endif\n",
    )
    hover = host.hover(*cursor(written))
    assert hover is not None
    assert "**Builds** `mm/Makefile`: `migrate.o`" in hover.markdown
    assert "**This line is compiled when** `CONFIG_NUMA_MIGRATION`" in hover.markdown


def test_references_include_code_and_follow_edits(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, TREE.replace("config MIGRATION", "config MIGRA$0TION"))
    path, offset = cursor(written)
    before = sorted(f"{where(host, site.location)} {site.kind}" for site in host.references(path, offset))
    assert before == ["Kconfig:1:8 definition", "Kconfig:5:9 select", "mm/Makefile:1:7 Makefile list"]
    c_file = str(tmp_path / "mm" / "new.c")
    host.set_document(c_file, b"#if IS_ENABLED(CONFIG_MIGRATION)\n#endif\n", "c")
    after = sorted(f"{where(host, site.location)} {site.kind}" for site in host.references(path, offset))
    assert "mm/new.c:1:16 #if condition" in after

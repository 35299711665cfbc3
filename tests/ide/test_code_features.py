"""Editor features in C, Makefiles and config files, through the host (data-driven)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kconfig_ls.ide.code_navigation import guard_condition
from kconfig_ls.syntax.c_preprocessor import scan_c
from kconfig_ls.text.documents import single_edit
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


@given(
    old=st.text(alphabet="ab#\n é😀", max_size=40),
    new=st.text(alphabet="ab#\n é😀", max_size=40),
)
def test_single_edit_turns_the_old_text_into_the_new(old: str, new: str) -> None:
    old_bytes, new_bytes = old.encode(), new.encode()
    start, old_end, new_end = single_edit(old_bytes, new_bytes)
    assert old_bytes[:start] + new_bytes[start:new_end] + old_bytes[old_end:] == new_bytes
    assert start <= old_end and start <= new_end


def test_open_c_documents_follow_edits_through_tree_sitter(tmp_path: Path) -> None:
    host, _ = analysis(tmp_path, TREE)
    path = str(tmp_path / "mm" / "open.c")
    texts = [
        b"/* \xc3\xa9 */\n#ifdef CONFIG_MIGRATION\nint a;\n#endif\n",
        b"/* \xc3\xa9 */\n#ifdef CONFIG_MIGRATION\n#if IS_ENABLED(CONFIG_NUMA_MIGRATION)\nint a;\n#endif\n#endif\n",
        b"/* \xc3\xa9 */\n#ifndef CONFIG_MIGRATION\n#if IS_ENABLED(CONFIG_NUMA_MIGRATION)\nint a;\n#endif\n#endif\n",
    ]
    for text in texts:
        host.set_document(path, text, "c")
        offset = text.index(b"int a")
        # The incremental tree-sitter scan answers as a fresh scan of the same text does.
        expected = guard_condition(scan_c(text), offset)
        assert host.guard(path, offset) == expected
    assert expected == "!CONFIG_MIGRATION && IS_ENABLED(CONFIG_NUMA_MIGRATION)"
    assert (
        type(host._c_scans._documents[path]).__name__ == "CDocument"
    )  # the open file went through tree-sitter

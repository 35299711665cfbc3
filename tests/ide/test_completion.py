"""Completion: symbols in expressions, keywords at line start."""

from __future__ import annotations

from pathlib import Path

from tests.ide.support import analysis, completion_labels, cursor

SYMBOLS = """
config MMU
	def_bool y
config MIGRATION
	bool
config NUMA_MIGRATION
	bool "NUMA page migration"
"""


def test_symbols_after_depends_on(tmp_path: Path) -> None:
    labels = completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A"\n\tdepends on MIG$0\n')
    assert labels == ["MIGRATION", "NUMA_MIGRATION"]


def test_symbols_after_select_and_its_condition(tmp_path: Path) -> None:
    assert "MMU" in completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A"\n\tselect $0\n')
    assert completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A"\n\tselect MIGRATION $0\n') == []
    assert "MMU" in completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A"\n\tselect MIGRATION if M$0\n')


def test_prompt_condition_but_not_inside_the_prompt(tmp_path: Path) -> None:
    assert "MMU" in completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A if" if M$0\n')
    assert completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A if M$0\n') == []


def test_default_offers_constants_first(tmp_path: Path) -> None:
    labels = completion_labels(tmp_path, SYMBOLS + 'config A\n\tbool "A"\n\tdefault $0\n')
    assert labels[:3] == ["y", "m", "n"]
    assert "MMU" in labels


def test_keywords_at_line_start(tmp_path: Path) -> None:
    indented = completion_labels(tmp_path, SYMBOLS + "config A\n\tde$0\n")
    assert indented == ["def_bool", "def_tristate", "depends on", "default"]
    assert completion_labels(tmp_path, SYMBOLS + "me$0\n") == ["menuconfig", "menu"]


def test_replace_span_covers_the_whole_word(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, SYMBOLS + 'config A\n\tbool "A"\n\tdepends on MIG$0RAT\n')
    path, offset = cursor(written)
    item = host.completion(path, offset).items[0]
    assert host.document_text(path)[item.replace_span.start : item.replace_span.end] == b"MIGRAT"


def test_large_trees_are_capped_and_marked_incomplete(tmp_path: Path) -> None:
    many = "".join(f"config SYMBOL_{index}\n\tbool\n" for index in range(1000))
    host, written = analysis(tmp_path, many + 'config A\n\tbool "A"\n\tdepends on SYM$0\n')
    result = host.completion(*cursor(written))
    assert result.is_incomplete and 0 < len(result.items) <= 400


def test_nothing_inside_help_texts(tmp_path: Path) -> None:
    fixture = SYMBOLS + 'config A\n\tbool "A"\n\thelp\n\t  Say yes if you\n\t  depends on M$0\n'
    assert completion_labels(tmp_path, fixture) == []

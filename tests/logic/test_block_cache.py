"""The block answers of a few files (the CLI's hover, an editor's re-check) are kept on disk.

A one-shot `kconfig-ls query hover --logic` on a C file asks the block rules about
that file alone; before, those answers were written to the cache only by a whole-tree
run, so every hover built the formula of every world again (36 s on Linux). Files as
they are on disk join the cache; an open buffer's text, a passing state, does not.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kconfig_ls.logic import block_analysis
from kconfig_ls.logic.block_analysis import block_analysis_for
from kconfig_ls.logic.world_analysis import release_formula
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.vfs.overlay import FileOverlay, OverlayDocument
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config MMU
	bool "MMU"
config MIGRATION
	bool "Page migration"
	depends on MMU
//- /arch/x86/Kconfig
config X86
	def_bool y
//- /mm/Makefile
obj-y += one.o two.o
//- /mm/one.c
#ifdef CONFIG_MIGRATION
#ifndef CONFIG_MMU
int dead_one;
#endif
#endif
//- /mm/two.c
#ifdef CONFIG_MIGRATION
#ifndef CONFIG_MMU
int dead_two;
#endif
#endif
"""


def _loaded(root: Path) -> tuple[KconfigModel, CodeIndex]:
    model = KconfigModel(workspace_settings(str(root), ProjectSettings(), environment={"SRCARCH": "x86"}))
    model.load()
    index = CodeIndex(str(root), cache_directory=None, workers=1)
    index.build()
    return model, index


def _fresh_memory() -> None:
    """What a new process starts with: no answers and no formula in memory."""
    block_analysis._PER_FILE.clear()
    release_formula()


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("logic-blocks-*.json"))


def test_a_few_files_answers_are_kept_and_read_without_a_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    model, index = _loaded(root)
    one, two = str(root / "mm/one.c"), str(root / "mm/two.c")
    _fresh_memory()
    first = block_analysis_for(model, index, cache_directory=str(cache), paths=frozenset({one}))
    assert [finding.location.path for finding in first.findings] == [one]
    assert len(_cache_files(cache)) == 1

    _fresh_memory()
    second_file = block_analysis_for(model, index, cache_directory=str(cache), paths=frozenset({two}))
    assert [finding.location.path for finding in second_file.findings] == [two]

    # A new process: both files' answers come from the disk, with no formula built.
    _fresh_memory()

    def no_formula(*arguments: object, **keywords: object) -> object:
        raise AssertionError("the kept answers should be read, not asked again")

    monkeypatch.setattr(block_analysis, "formula_for", no_formula)
    again = block_analysis_for(model, index, cache_directory=str(cache), paths=frozenset({one, two}))
    assert again.findings == first.findings + second_file.findings
    assert again.questions == 0


def test_an_open_buffers_answers_are_not_kept_on_disk(tmp_path: Path) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    model, index = _loaded(root)
    one = str(root / "mm/one.c")
    edited = (root / "mm/one.c").read_bytes().replace(b"dead_one", b"dead_edited")
    overlay = FileOverlay().with_document(OverlayDocument(os.path.normpath(one), edited, 2, "c"))
    _fresh_memory()
    answered = block_analysis_for(model, index, overlay, cache_directory=str(cache), paths=frozenset({one}))
    assert [finding.location.path for finding in answered.findings] == [one]
    assert _cache_files(cache) == []

"""The all-world analyses of a tree: tables shared between worlds, and the liveness forked beside the selects.

Both are speed measures whose results must be exactly those of the plain
path: the tests compare them on a small multi-architecture tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import kconfig_ls.logic.world_analysis as world_analysis
from kconfig_ls.logic.world_tables import WorldModels
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import build_symbol_table
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "mm/Kconfig"
config BROKEN
	bool
//- /mm/Kconfig
menu "Memory"
	depends on !BROKEN
config MIGRATION
	bool
	depends on MMU
config COMPACTION
	bool "Compaction"
	depends on MMU
	select MIGRATION
config CMA
	bool "CMA"
	select MIGRATION
	default y if MMU
	default n
config OLD
	bool "Old"
	depends on BROKEN
endmenu
//- /arch/x86/Kconfig
config MMU
	def_bool y
config MODULES
	bool "Modules"
	modules
//- /arch/arm/Kconfig
config MMU
	bool "MMU"
	default y
config MODULES
	bool "Modules"
	modules
config ARM_ONLY
	bool
	depends on MMU && !MMU
	default y
"""


@pytest.fixture
def model(tmp_path: Path) -> Iterator[KconfigModel]:
    write_fixture(tmp_path, textwrap.dedent(TREE).lstrip("\n"))
    loaded = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), arch="x86"))
    loaded.load()
    world_analysis._MEMORY.clear()
    world_analysis.release_formula()
    yield loaded
    world_analysis._MEMORY.clear()
    world_analysis.release_formula()
    world_analysis.expect_analyses(())


def test_tables_built_with_a_shared_memo_equal_tables_built_alone(model: KconfigModel) -> None:
    worlds = WorldModels.load(model)
    shared: dict[object, object] = {}
    together = {world: build_symbol_table(m, world, shared) for world, m in worlds.models.items()}
    alone = {world: build_symbol_table(m, world) for world, m in worlds.models.items()}
    assert set(together) == {"arm", "x86"}
    assert shared, "the worlds share mm/Kconfig's symbols"
    for world, table in alone.items():
        assert dict(together[world].symbols) == dict(table.symbols)
        assert list(together[world].symbols) == list(table.symbols)
        assert together[world].choices == table.choices
        assert together[world].undefined_references == table.undefined_references


_FORKED_CHECK = """
import sys
import textwrap
import kconfig_ls.logic.world_analysis as world_analysis
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings

model = KconfigModel(workspace_settings(sys.argv[1], ProjectSettings(), arch="x86"))
model.load()
world_analysis.FORK_MINIMUM_SYMBOLS = 0
world_analysis.expect_analyses(("selects", "liveness"))
selects = world_analysis.select_analysis_for(model)
fingerprint = world_analysis.tree_fingerprint(model)
# Asked for the selects only: the liveness is there, from the child.
forked = world_analysis._MEMORY.get(("liveness", fingerprint))
assert forked is not None, "no liveness from the child"
world_analysis._MEMORY.clear()
world_analysis.release_formula()
world_analysis.expect_analyses(())
assert world_analysis.select_analysis_for(model) == selects
alone = world_analysis.liveness_analysis_for(model)
assert forked == alone
assert [item.symbol for item in alone.dead] == ["BROKEN", "ARM_ONLY"]
print("forked liveness equals the liveness asked alone")
"""


def test_the_liveness_forked_beside_the_selects_equals_the_liveness_asked_alone(
    model: KconfigModel, tmp_path: Path
) -> None:
    """In a fresh process: nothing is forked from a process with threads, and the suite's
    process may have some left by earlier tests (which made this test depend on its order)."""
    completed = subprocess.run(
        [sys.executable, "-c", _FORKED_CHECK, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "forked liveness equals the liveness asked alone"


def test_nothing_is_forked_unless_the_liveness_is_expected(
    model: KconfigModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(world_analysis, "FORK_MINIMUM_SYMBOLS", 0)
    world_analysis.select_analysis_for(model)
    assert ("liveness", world_analysis.tree_fingerprint(model)) not in world_analysis._MEMORY

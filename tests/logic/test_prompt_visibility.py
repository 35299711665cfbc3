"""`prompt_visibility_for`: the prompts a selector can never see, kept in the cache folder."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.logic import prompt_visibility
from kconfig_ls.logic.world_analysis import release_formula, select_analysis_for
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from tests.checks.test_select_visible import BOARDS
from tests.fixtures import write_fixture


def test_hidden_prompts_are_computed_with_the_formula_and_kept(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, BOARDS)
    model = KconfigModel(WorkspaceSettings(str(tree)))
    model.load()
    cache = tmp_path / "cache"
    release_formula()
    prompt_visibility._MEMORY.clear()
    # Without the select analysis's formula in memory nothing is asked (never built for this).
    assert prompt_visibility.prompt_visibility_for(model, str(cache)).hidden == frozenset()
    assert not cache.exists()
    select_analysis_for(model)
    computed = prompt_visibility.prompt_visibility_for(model, str(cache))
    # BOARD_B sees neither prompt; BOARD_C sees its own, not BOARD_A's.
    assert sorted(select[0] for select, _ in computed.hidden) == [
        "BOARD_B_OPTIONS",
        "BOARD_B_OPTIONS",
        "BOARD_C_OPTIONS",
    ]
    (kept,) = cache.iterdir()
    release_formula()
    prompt_visibility._MEMORY.clear()
    assert prompt_visibility.prompt_visibility_for(model, str(cache)) == computed
    kept.write_text("{torn")
    prompt_visibility._MEMORY.clear()
    assert prompt_visibility.prompt_visibility_for(model, str(cache)).hidden == frozenset()

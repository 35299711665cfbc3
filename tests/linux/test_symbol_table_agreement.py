"""The semantic symbol table of Linux 6.12 x86 against kconfiglib's merged symbols.

`build_symbol_table` merges a world's definitions the way the C tools'
`menu_finalize` does; kconfiglib computes the same merge. Every symbol's
direct dependency (`dir_dep`), reverse dependency (`rev_dep`: the OR of
`selector && condition`), weak reverse dependency (`implied`) and
visibility (the OR of its prompts' conditions) must be equivalent, compared
by value under random assignments as in `test_kconfiglib_agreement`; and
the symbol table must hold exactly the symbols kconfiglib defines, with the
same choice membership.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from kconfig_ls.semantics.kconfiglib_loader import KconfiglibTree, load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.semantics.worlds import load_world_models, world_settings
from kconfig_ls.syntax.expression import Expression, Symbol, conjunction, disjunction
from tests.linux.test_kconfiglib_agreement import _Comparer

pytestmark = pytest.mark.linux


@pytest.fixture(scope="module")
def table(linux_workspace: KconfigModel) -> SymbolTable:
    return build_symbol_table(linux_workspace, "x86")


@pytest.fixture(scope="module")
def arm(linux_settings: WorkspaceSettings) -> tuple[SymbolTable, KconfiglibTree]:
    """arm's world: the same tree linked with SRCARCH=arm, and kconfiglib's reading of it."""
    settings = world_settings(linux_settings, "arm")
    models = load_world_models(linux_settings, ["arm"])
    tree = load_with_kconfiglib(
        settings.root, settings.root_kconfig, settings.environment, trust_commands=False
    )
    return build_symbol_table(models["arm"], "arm"), tree


def _their_reverse(tree: KconfiglibTree, keyword: str) -> dict[str, Expression]:
    reverse: dict[str, list[Expression]] = defaultdict(list)
    for symbol in tree.symbols():
        for edge in symbol.selects if keyword == "select" else symbol.implies:
            reverse[edge.target].append(conjunction(Symbol(symbol.name), edge.condition))
    return {target: disjunction(*parts) for target, parts in reverse.items()}


def test_the_table_holds_exactly_kconfiglibs_symbols(
    table: SymbolTable, linux_kconfiglib: KconfiglibTree
) -> None:
    assert set(table.symbols) == set(linux_kconfiglib.symbol_names())
    assert len(table) > 17_000


def test_merged_semantics_agree_with_kconfiglib(table: SymbolTable, linux_kconfiglib: KconfiglibTree) -> None:
    comparer = _Comparer(linux_kconfiglib, None)  # type: ignore[arg-type]
    selected = _their_reverse(linux_kconfiglib, "select")
    implied = _their_reverse(linux_kconfiglib, "imply")
    mismatches: dict[str, list[str]] = defaultdict(list)
    for name in linux_kconfiglib.symbol_names():
        theirs = linux_kconfiglib.symbol(name)
        ours = table.get(name)
        assert theirs is not None and ours is not None
        if ours.type != theirs.type_name:
            mismatches["type"].append(f"{name}: {ours.type} != {theirs.type_name}")
        pairs = {
            "direct dependency": (ours.direct_dependency, theirs.direct_dependency),
            "reverse dependency": (ours.reverse_dependency, selected.get(name, disjunction())),
            "weak reverse dependency": (ours.weak_reverse_dependency, implied.get(name, disjunction())),
            "visibility": (ours.visibility, disjunction(*(p.condition for p in theirs.prompts))),
        }
        for aspect, (our_expression, their_expression) in pairs.items():
            difference = comparer.difference(f"{aspect}:{name}", our_expression, their_expression)
            if difference is not None:
                mismatches[aspect].append(f"{name}: {difference}")
        in_choice = ours.choice is not None
        if in_choice != (theirs.choice is not None):
            mismatches["choice"].append(f"{name}: ours {ours.choice}, kconfiglib {theirs.choice}")
    assert dict(mismatches) == {}


def test_arms_world_agrees_with_kconfiglib_loaded_for_arm(arm: tuple[SymbolTable, KconfiglibTree]) -> None:
    table, tree = arm
    assert set(table.symbols) == set(tree.symbol_names())
    comparer = _Comparer(tree, None)  # type: ignore[arg-type]
    selected = _their_reverse(tree, "select")
    mismatches: list[str] = []
    for name in tree.symbol_names():
        theirs, ours = tree.symbol(name), table.get(name)
        assert theirs is not None and ours is not None
        for aspect, (our_expression, their_expression) in {
            "direct dependency": (ours.direct_dependency, theirs.direct_dependency),
            "reverse dependency": (ours.reverse_dependency, selected.get(name, disjunction())),
            "visibility": (ours.visibility, disjunction(*(p.condition for p in theirs.prompts))),
        }.items():
            difference = comparer.difference(f"{aspect}:{name}", our_expression, their_expression)
            if difference is not None:
                mismatches.append(f"{aspect} {name}: {difference}")
    assert mismatches == []
    # arm's MMU has a prompt; x86's is a prompt-less def_bool y.
    mmu = table.get("MMU")
    assert mmu is not None and mmu.has_prompt


def test_the_comparison_can_fail(table: SymbolTable, linux_kconfiglib: KconfiglibTree) -> None:
    """Dropping the selector's dependencies from one reverse dependency is caught."""
    comparer = _Comparer(linux_kconfiglib, None)  # type: ignore[arg-type]
    migration = table.get("MIGRATION")
    assert migration is not None and migration.selected_by
    wrong = disjunction(*(Symbol(r.selector) for r in migration.selected_by))
    their = _their_reverse(linux_kconfiglib, "select")["MIGRATION"]
    assert comparer.difference("MIGRATION", migration.reverse_dependency, their) is None
    assert comparer.difference("MIGRATION", wrong, their) is not None

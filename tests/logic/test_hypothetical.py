"""Trials (`evaluate_changes`) equal full evaluations, and enabling sets enable (natively and in kconfiglib)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kconfig_ls.logic.configuration import ConfigSource, Configuration, ProbePolicy, evaluate_configuration
from kconfig_ls.logic.enabling import never_enabled, search_enabling_set
from kconfig_ls.logic.hypothetical import evaluate_changes, upstream
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from tests.fixtures import write_fixture

TREE = """
config MODULES
	bool "modules"
	modules
config MMU
	bool "MMU"
config NUMA
	bool "NUMA"
	depends on MMU
config HAVE_FAST
	bool
config FAST_PLATFORM
	bool "fast platform"
	select HAVE_FAST
config FAST
	tristate "fast"
	depends on HAVE_FAST || NUMA
config MIGRATION
	bool
	depends on MMU
	default y if NUMA
config COMPACTION
	bool "compaction"
	select MIGRATION
config NEEDS_CHAIN
	tristate "needs a chain"
	depends on FAST && MMU
config CODEC
	tristate
	depends on MMU
config ALL_CODECS
	tristate "all codecs"
	imply CODEC
config FOLLOWS
	bool
	default FAST
config LEVEL
	int "level"
	range 1 10 if NUMA
	default 20
choice
	prompt "allocator"
	default SLUB
config SLAB
	bool "slab"
	depends on MMU
config SLUB
	bool "slub"
endchoice
config ON_SLAB
	bool "on slab"
	depends on SLAB
config OTHER_ARCH_DRIVER
	tristate "a driver of another architecture"
	depends on ARCH_PXA || SPARC
config SELECTED_BY_NOTHING
	bool
config NEEDS_NOTHING_SETS
	bool "needs a symbol nothing sets"
	depends on SELECTED_BY_NOTHING
"""

BASE = "CONFIG_MODULES=y\n# CONFIG_MMU is not set\nCONFIG_LEVEL=5\n"


def _table(tmp_path: Path) -> SymbolTable:
    write_fixture(tmp_path, TREE)
    model = KconfigModel(WorkspaceSettings(str(tmp_path)))
    model.load()
    return build_symbol_table(model)


def _full(table: SymbolTable, text: str) -> Configuration:
    return evaluate_configuration(
        table, ConfigSource("/c/.config", text.encode()), probes=ProbePolicy.PLACEHOLDER
    )


def _lines(changes: dict[str, str]) -> str:
    return "".join(
        f"# CONFIG_{name} is not set\n" if value == "n" else f"CONFIG_{name}={value}\n"
        for name, value in changes.items()
    )


def _assert_same(trial: Configuration, full: Configuration) -> None:
    for name in full.table.symbols:
        assert (trial.value(name), trial.decision(name), trial.visibility(name)) == (
            full.value(name),
            full.decision(name),
            full.visibility(name),
        ), name
    for key in full.table.choices:
        assert trial.choice_modes[key] == full.choice_modes[key]
        assert trial.choice_selections[key] == full.choice_selections[key]


def test_a_trial_equals_the_full_evaluation_of_the_same_assignments(tmp_path: Path) -> None:
    table = _table(tmp_path)
    base = _full(table, BASE)
    names = sorted(name for name, symbol in table.symbols.items() if symbol.type in ("bool", "tristate"))
    generator = random.Random(7)
    cases = [{"MMU": "y", "SLAB": "y"}, {"MODULES": "n"}, {"MMU": "y", "NUMA": "y", "FAST": "m"}]
    for _ in range(40):
        picked = generator.sample(names, generator.choice((1, 2, 3)))
        cases.append(
            {
                name: generator.choice("nmy" if table.symbols[name].type == "tristate" else "ny")
                for name in picked
            }
        )
    for changes in cases:
        full = _full(table, BASE + _lines(changes))
        # Narrowed to one symbol's question: that symbol first, then everything (the focus widens).
        target = generator.choice(names)
        trial = evaluate_changes(base, changes, within=upstream(base, [target]))
        assert trial.value(target) == full.value(target), (changes, target)
        _assert_same(trial, full)
        _assert_same(evaluate_changes(base, changes), full)


def test_a_trial_of_a_trial_adds_its_changes(tmp_path: Path) -> None:
    table = _table(tmp_path)
    base = _full(table, BASE)
    first = evaluate_changes(base, {"MMU": "y"})
    second = evaluate_changes(first, {"NUMA": "y"})
    _assert_same(second, _full(table, BASE + "CONFIG_MMU=y\nCONFIG_NUMA=y\n"))


def test_enabling_sets_enable_when_evaluated_in_full(tmp_path: Path) -> None:
    table = _table(tmp_path)
    base = _full(table, BASE)
    expected = {
        "NEEDS_CHAIN": 4,  # MMU, one way to FAST (FAST_PLATFORM, or NUMA), FAST, NEEDS_CHAIN
        "CODEC": 2,  # implied: MMU for its dependency, ALL_CODECS to imply it
        "FOLLOWS": 3,  # `default FAST`: FAST must be on, not only the default's condition
        "ON_SLAB": 3,  # MMU, the choice's member SLAB, ON_SLAB
        "MIGRATION": 2,
    }
    for name, most in expected.items():
        wanted = "m" if table.symbols[name].type == "tristate" else "y"
        result = search_enabling_set(base, name, wanted)
        assert result.changes is not None and 0 < len(result.changes) <= most, (name, result)
        full = _full(table, BASE + _lines(dict(result.changes)))
        assert full.tristate(name) is not None and (full.tristate(name) or 0) >= 1, (name, result)
        assert full.condition(table.symbols[name].direct_dependency), name


def test_symbols_that_can_never_be_enabled_say_why(tmp_path: Path) -> None:
    table = _table(tmp_path)
    base = _full(table, BASE)
    assert never_enabled(table, "OTHER_ARCH_DRIVER") == ("ARCH_PXA", "SPARC")
    result = search_enabling_set(base, "OTHER_ARCH_DRIVER", "m")
    assert result.changes is None and result.evaluations == 0
    assert result.never == "needs ARCH_PXA (not defined in this world) or SPARC (not defined in this world)"
    assert search_enabling_set(base, "NEEDS_NOTHING_SETS").never == (
        "needs SELECTED_BY_NOTHING (nothing can set it here)"
    )
    # Selected, implied, defaulted or prompted symbols may be enabled.
    for name in ("HAVE_FAST", "CODEC", "MIGRATION", "FOLLOWS", "NEEDS_CHAIN"):
        assert never_enabled(table, name) == (), name


def test_a_search_out_of_time_says_it_is_not_complete(tmp_path: Path) -> None:
    table = _table(tmp_path)
    base = _full(table, BASE)
    result = search_enabling_set(base, "NEEDS_CHAIN", "m", time_budget=-1.0)
    assert result.changes is None and not result.complete
    assert search_enabling_set(base, "NEEDS_CHAIN", "m").complete


def test_enabling_sets_enable_in_kconfiglib(tmp_path: Path) -> None:
    kconfiglib = pytest.importorskip("kconfiglib", reason="kconfiglib is the oracle; it is a test dependency")
    del kconfiglib
    table = _table(tmp_path)
    base = _full(table, BASE)
    tree = load_with_kconfiglib(str(tmp_path), "Kconfig", {})
    for name in ("NEEDS_CHAIN", "CODEC", "FOLLOWS", "ON_SLAB", "MIGRATION", "NUMA"):
        wanted = "m" if table.symbols[name].type == "tristate" else "y"
        changes = search_enabling_set(base, name, wanted).changes
        assert changes is not None, name
        path = tmp_path / f"{name}.config"
        path.write_text(BASE + _lines(dict(changes)))
        tree.load_config(str(path))
        assert tree.value_of(name) in ("m", "y"), (name, changes)

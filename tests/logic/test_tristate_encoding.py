"""The CNF encoding of symbol tables, asked through the solver on small trees.

Each test states which combinations of values are possible (`possible`) or
impossible, the way kconfiglib computes values: defaults of prompt-less
symbols, selects, implies, choices, `modules`, worlds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.logic.solver import Cancelled, LogicSolver
from kconfig_ls.logic.tristate_encoding import Encoding, SymbolKey, encode_worlds
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import SymbolSemantics, SymbolTable, build_symbol_table
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture


def _encode(tmp_path: Path, fixture: str) -> Encoding:
    write_fixture(tmp_path, fixture)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    model.load()
    return encode_worlds({"": build_symbol_table(model)})


def _possible(encoding: Encoding, **values: str) -> bool:
    assumptions: list[int] = []
    for name, value in values.items():
        at_least_m, at_least_y = encoding.symbol_pair(name)
        assumptions.append(at_least_m if value in ("m", "y") else -at_least_m)
        if value != "n":
            assumptions.append(at_least_y if value == "y" else -at_least_y)
    with LogicSolver(encoding) as solver:
        return solver.satisfiable(assumptions) is not None


MODULES = """
config MODULES
	bool "Modules"
	modules
"""


def test_prompt_less_symbols_follow_their_defaults(tmp_path: Path) -> None:
    encoding = _encode(
        tmp_path,
        """
        config A
        	bool "A"
        config ALWAYS
        	def_bool y
        config FOLLOWS
        	bool
        	default A
        config FIRST_WINS
        	bool
        	default n if A
        	default y
        """,
    )
    assert not _possible(encoding, ALWAYS="n")
    assert _possible(encoding, A="y", FOLLOWS="y") and not _possible(encoding, A="y", FOLLOWS="n")
    assert not _possible(encoding, A="n", FOLLOWS="y")
    assert not _possible(encoding, A="y", FIRST_WINS="y") and not _possible(encoding, A="n", FIRST_WINS="n")


def test_quoted_y_m_n_are_the_tristate_constants(tmp_path: Path) -> None:
    # As for the C tools and kconfiglib: ESP-IDF writes `default "y" if IDF_TARGET="esp32s3"`.
    encoding = _encode(
        tmp_path,
        MODULES
        + """
        config A
        	bool "A"
        config QUOTED_Y
        	bool
        	default "y" if A
        config QUOTED_N
        	bool
        	default "n"
        config COMPARED
        	tristate
        	default y if A = "y"
        config OTHER_TEXT
        	bool
        	default "yes"
        """,
    )
    assert _possible(encoding, A="y", QUOTED_Y="y") and not _possible(encoding, A="y", QUOTED_Y="n")
    assert not _possible(encoding, QUOTED_N="y")
    assert not _possible(encoding, A="y", COMPARED="n") and not _possible(encoding, A="n", COMPARED="y")
    assert not _possible(encoding, OTHER_TEXT="y")


def test_select_forces_the_target_past_its_dependencies(tmp_path: Path) -> None:
    encoding = _encode(
        tmp_path,
        """
        config MMU
        	bool "MMU"
        config TARGET
        	bool
        	depends on MMU
        config SELECTOR
        	bool "Selector"
        	select TARGET
        """,
    )
    assert not _possible(encoding, SELECTOR="y", TARGET="n")
    assert _possible(encoding, SELECTOR="y", MMU="n", TARGET="y")
    assert not _possible(encoding, SELECTOR="n", MMU="n", TARGET="y")


def test_tristates_have_two_variables_and_m_needs_modules(tmp_path: Path) -> None:
    encoding = _encode(
        tmp_path,
        MODULES
        + """
        config DRIVER
        	tristate "Driver"
        config ONLY_M
        	tristate "Only m"
        	depends on m
        config BUILTIN_USER
        	bool "Built-in user"
        	select HELPER
        config HELPER
        	tristate
        	depends on DRIVER
        """,
    )
    assert _possible(encoding, MODULES="y", DRIVER="m")
    assert not _possible(encoding, MODULES="n", DRIVER="m")
    assert not _possible(encoding, ONLY_M="y") and not _possible(encoding, MODULES="n", ONLY_M="m")
    # y selecting a symbol whose dependencies are only m: the target becomes y regardless.
    assert _possible(encoding, BUILTIN_USER="y", DRIVER="m", HELPER="y")


def test_default_m_becomes_y_without_modules(tmp_path: Path) -> None:
    encoding = _encode(
        tmp_path,
        MODULES
        + """
        config HIDDEN
        	tristate
        	default m
        """,
    )
    assert not _possible(encoding, MODULES="y", HIDDEN="y")
    assert _possible(encoding, MODULES="n", HIDDEN="y") and not _possible(encoding, MODULES="n", HIDDEN="m")


def test_choices_have_exactly_one_member_and_ignore_selects(tmp_path: Path) -> None:
    encoding = _encode(
        tmp_path,
        """
        choice
        	prompt "Pick"
        config ONE
        	bool "One"
        config TWO
        	bool "Two"
        config THREE
        	bool "Three"
        	depends on BROKEN
        endchoice
        config BROKEN
        	bool
        config PICKER
        	bool "Picker"
        	select THREE
        """,
    )
    assert not _possible(encoding, ONE="y", TWO="y")
    assert not _possible(encoding, ONE="n", TWO="n")
    assert not _possible(encoding, PICKER="y", THREE="y")


def test_implies_set_a_default_the_user_can_override(tmp_path: Path) -> None:
    encoding = _encode(
        tmp_path,
        """
        config IMPLIER
        	bool "Implier"
        	imply SOFT
        config SOFT
        	bool "Soft"
        config HIDDEN_SOFT
        	bool
        config HIDDEN_IMPLIER
        	bool "Hidden implier"
        	imply HIDDEN_SOFT
        """,
    )
    assert _possible(encoding, IMPLIER="y", SOFT="n")
    assert not _possible(encoding, HIDDEN_IMPLIER="y", HIDDEN_SOFT="n")


def test_worlds_are_one_formula(tmp_path: Path) -> None:
    write_fixture(
        tmp_path,
        """
        //- /Kconfig
        config MMU
        	def_bool y
        //- /nommu/Kconfig
        config MMU
        	bool "MMU"
        """,
    )
    with_mmu = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    with_mmu.load()
    (tmp_path / "nommu" / "extra").mkdir()
    nommu_settings = workspace_settings(str(tmp_path / "nommu"), ProjectSettings())
    without_mmu = KconfigModel(nommu_settings)
    without_mmu.load()
    encoding = encode_worlds(
        {"fixed": build_symbol_table(with_mmu, "fixed"), "free": build_symbol_table(without_mmu, "free")}
    )
    mmu = encoding.symbol_pair("MMU")
    with LogicSolver(encoding) as solver:
        model = solver.satisfiable([-mmu[0]])
        assert model is not None and encoding.world_of(model) == "free"
        assert solver.satisfiable([-mmu[0], encoding.world_variable["fixed"]]) is None


def test_edits_retire_a_symbols_clauses(tmp_path: Path) -> None:
    fixture = """
        config ALWAYS
        	def_bool y
        """
    encoding = _encode(tmp_path, fixture)
    assert not _possible(encoding, ALWAYS="n")
    (tmp_path / "Kconfig").write_text("config ALWAYS\n\tdef_bool n\n")
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    model.load()
    encoding.reencode_symbols(["ALWAYS"], {"": build_symbol_table(model)})
    assert _possible(encoding, ALWAYS="n") and not _possible(encoding, ALWAYS="y")


def test_a_batch_solver_asserts_the_epoch_and_starts_afresh_after_an_edit(tmp_path: Path) -> None:
    encoding = _encode(tmp_path, "config ALWAYS\n\tdef_bool y\n")
    always = encoding.symbol_pair("ALWAYS")
    with LogicSolver(encoding, batch=True) as solver:
        assert solver.satisfiable([-always[0]]) is None
        (tmp_path / "Kconfig").write_text("config ALWAYS\n\tdef_bool n\n")
        model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
        model.load()
        encoding.reencode_symbols(["ALWAYS"], {"": build_symbol_table(model)})
        # The old epoch is now false for good: a solver that kept it asserted would find nothing.
        assert solver.satisfiable([-always[0]]) is not None
        assert solver.satisfiable([always[0]]) is None


def test_queries_stop_when_cancelled(tmp_path: Path) -> None:
    encoding = _encode(tmp_path, 'config A\n\tbool "A"\n')
    with LogicSolver(encoding, is_cancelled=lambda: True) as solver:
        try:
            solver.satisfiable([])
        except Cancelled:
            return
    raise AssertionError("the query ran although the caller cancelled it")


def test_configs_of_a_file_sourced_inside_a_choice_are_its_members(tmp_path: Path) -> None:
    """coreboot sources `src/mainboard/*/Kconfig.name` into its vendor choice."""
    write_fixture(
        tmp_path,
        """
        //- /Kconfig
        choice
        	prompt "Mainboard vendor"
        source "vendors.kconfig"
        endchoice
        //- /vendors.kconfig
        config VENDOR_A
        	bool "A"
        config VENDOR_B
        	bool "B"
        """,
    )
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    model.load()
    table = build_symbol_table(model)
    assert [choice.members for choice in table.choices.values()] == [("VENDOR_A", "VENDOR_B")]
    encoding = encode_worlds({"": table})
    assert not _possible(encoding, VENDOR_A="y", VENDOR_B="y")


SHARED_WORLDS = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "mm/Kconfig"
//- /mm/Kconfig
config MIGRATION
	bool
	depends on MMU
config COMPACTION
	bool "Compaction"
	depends on MMU
	select MIGRATION
config CMA
	tristate "CMA"
	select MIGRATION
	imply COMPACTION
	default m if MMU
config LIMIT
	int "Limit"
	range 1 8
	default 4
//- /arch/x86/Kconfig
config MMU
	def_bool y
config MODULES
	bool "Modules"
	modules
choice
	prompt "Model"
source "common/Kconfig.model"
endchoice
//- /arch/arm/Kconfig
config MMU
	bool "MMU"
	default y
config MODULES
	bool "Modules"
	modules
source "common/Kconfig.model"
//- /common/Kconfig.model
config FAST
	bool "Fast"
	select MIGRATION if CMA
config SLOW
	bool "Slow"
"""


def test_worlds_sharing_symbols_share_their_keys_and_give_the_formula_of_each_world_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kconfig_ls.logic.world_tables import WorldModels

    write_fixture(tmp_path, SHARED_WORLDS)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), arch="x86"))
    model.load()
    tables = WorldModels.load(model).tables()
    assert set(tables) == {"arm", "x86"}
    computed: list[tuple[str, str]] = []
    new_symbol_key = Encoding._new_symbol_key

    def counted(self: Encoding, world: str, table: SymbolTable, semantics: SymbolSemantics) -> SymbolKey:
        computed.append((world, semantics.name))
        return new_symbol_key(self, world, table, semantics)

    monkeypatch.setattr(Encoding, "_new_symbol_key", counted)
    shared = encode_worlds(tables)
    # The shared files' symbols are the same objects in both worlds: their keys are worked out
    # once (arm's), except MIGRATION's: x86 builds FAST, one of its selectors, as a choice member
    # (`select_pair`), and the choice members themselves.
    assert computed == [
        *(
            (world, name)
            for name in ("MMU", "MODULES", "FAST", "SLOW", "MIGRATION")
            for world in ("arm", "x86")
        ),
        ("arm", "COMPACTION"),
        ("arm", "CMA"),
        ("arm", "LIMIT"),
    ]
    # The formula is the one of each world's keys worked out alone (`encode_all` without sharing).
    monkeypatch.setattr(Encoding, "_new_symbol_key", new_symbol_key)
    alone = Encoding(tables)
    for name in dict.fromkeys(semantics.name for table in tables.values() for semantics in table):
        alone.encode_symbol(name)
    alone._encode_choices()
    assert shared.clauses == alone.clauses
    assert shared.variable_count == alone.variable_count
    assert shared._keys == alone._keys

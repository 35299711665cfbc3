"""The logic kept up to date after edits equals a full analysis, and re-asks only what an edit affects.

Random edits of a two-architecture tree (x86 with an MMU, arm where it is
optional) go through the host as an editor sends them; after each,
`IncrementalLogic` (and the solver tier of `checks.incremental`) must give
what a fresh load of every world and a full analysis give. A select's
witness is one model among many, so unmet selects are compared by place,
worlds and dependency, not by the values of their witness.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kconfig_ls.analysis.cancellation import CancellationToken, Cancelled
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.framework import CheckContext, Finding, RuleSettings
from kconfig_ls.checks.incremental import ChangedInputs, RuleResults, solver_findings, solver_tier_rules
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.logic import redundancy as redundancy_module
from kconfig_ls.logic.incremental_logic import IncrementalLogic, LogicUpdate, full_analyses
from kconfig_ls.logic.liveness import LivenessAnalysis
from kconfig_ls.logic.redundancy import analyse_redundancy, redundancy_analysis_for
from kconfig_ls.logic.select_analysis import SelectAnalysis
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL
from kconfig_ls.logic.world_analysis import install_analyses
from kconfig_ls.logic.world_tables import WorldModels
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "mm/Kconfig"
config BALLOON
	bool "Balloon"
	select MIGRATION
config USER
	bool "User"
	select LIBRARY
config LIBRARY
	bool "Library"
	depends on NEEDS
config NEEDS
	bool
	default y if MMU
//- /mm/Kconfig
config MIGRATION
	bool "Page migration"
	depends on MMU
config COMPACTION
	bool "Compaction"
	depends on MMU
	select MIGRATION
config NUMA
	bool "NUMA"
	depends on BROKEN
config NUMA_BALANCING
	bool "NUMA balancing"
	depends on NUMA
	default y
	help
	  Balance.
choice
	prompt "Huge pages"
	default HUGE_ALWAYS
config HUGE_ALWAYS
	bool "Always"
	select MIGRATION
config HUGE_NEVER
	bool "Never"
	depends on MMU
endchoice
config AFTER_CHOICE
	bool "After"
	select LIBRARY
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
"""

LINES = [
    "\tdepends on MMU",
    "\tdepends on !MMU",
    "\tdepends on NUMA",
    "\tdepends on BROKEN",
    "\tdepends on COMPACTION",
    "\tselect MIGRATION",
    "\tselect LIBRARY if MMU",
    "\tselect NUMA",
    "\timply LIBRARY",
    "\tdefault y",
    "\tdefault n if MMU",
    '\tbool "A prompt"',
    "\ttristate",
    "\t  more help",
    "config NEW",
    "config MIGRATION",
    "if MMU",
    "endif",
    "# a comment",
    "",
    "choice",
    "endchoice",
    '\tprompt "Pick one"',
    "\toptional",
]


def _host(root: Path) -> AnalysisHost:
    host = AnalysisHost(
        AnalysisSettings(
            str(root),
            environment={"SRCARCH": "x86"},
            read_project_file=False,
            index_code=False,
            rule_preview=True,
        )
    )
    host.load()
    return host


def _fresh(model: KconfigModel) -> tuple[SelectAnalysis, LivenessAnalysis]:
    return full_analyses(WorldModels.load(model).tables())


def _selects(analysis: SelectAnalysis) -> tuple[object, ...]:
    return (
        sorted(analysis.analysed),
        sorted(
            (key, finding.worlds, finding.dependency, finding.location)
            for key, finding in analysis.unmet.items()
        ),
    )


def _assert_as_a_cold_run(update: LogicUpdate, model: KconfigModel) -> None:
    """The update's selects and dead items are those of a cold analysis of `model`."""
    selects, liveness = _fresh(model)
    assert _selects(update.selects) == _selects(selects)
    assert update.liveness.dead == liveness.dead


def _finding_key(finding: Finding) -> tuple[str, str, int, int, str]:
    message = finding.message
    if finding.rule_code == "KLS201":
        # The unmet conjuncts and their values come from the witness (one model among many).
        message = re.sub(r", but .*$", "", message)
    return (finding.rule_code, finding.location.path, finding.location.span.start, finding.severity, message)


def _flat(results: RuleResults) -> list[tuple[str, str, int, int, str]]:
    return sorted(_finding_key(f) for findings in results.by_rule.values() for f in findings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Kconfig", "mm/Kconfig"]),
            st.integers(0, 30),
            st.integers(0, 1),
            st.lists(st.sampled_from(LINES), max_size=2),
        ),
        min_size=1,
        max_size=5,
    )
)
# A default made dead by an earlier one is explained by it, not by its (satisfiable) dependencies.
@example(edits=[("Kconfig", 12, 0, ["\tdepends on MMU", "\tdefault y"])])
# A stray `endif` between `config AFTER_CHOICE` and its `select` moves the select (the entry's
# first line ends before the edit; its extent does not): a later re-check must use the new place.
@example(edits=[("mm/Kconfig", 27, 0, ["endif"]), ("Kconfig", 12, 0, ["\tdepends on MMU"])])
def test_incremental_logic_equals_a_full_analysis(
    tmp_path_factory: object, edits: list[tuple[str, int, int, list[str]]]
) -> None:
    root: Path = tmp_path_factory.mktemp("tree")
    written = write_fixture(root, TREE)
    host = _host(root)
    logic = IncrementalLogic()
    snapshot = host.snapshot()
    first = logic.update(snapshot.model)
    assert first.rebuilt
    rule_settings = RuleSettings(preview=True)
    results = solver_findings(
        None,
        ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset()),
        CheckContext(snapshot.model, logic=True),
        rule_settings,
        logic,
    )
    sequence = snapshot.sequence
    texts = {name: path.read_text(encoding="utf-8") for name, path in written.files.items()}
    for name, line, removed, inserted in edits:
        lines = texts[name].split("\n")
        line = min(line, len(lines))
        lines[line : line + removed] = inserted
        texts[name] = "\n".join(lines)
        host.set_document(str(written.files[name]), texts[name].encode(), "kconfig")
        snapshot = host.snapshot()
        summary = host.changes_between(sequence, snapshot.sequence)
        sequence = snapshot.sequence
        update = logic.update(snapshot.model)
        selects, liveness = _fresh(snapshot.model)  # also installed below, for the full run
        assert _selects(update.selects) == _selects(selects)
        assert update.liveness.dead == liveness.dead
        results = solver_findings(
            results,
            ChangedInputs(
                summary.everything,
                summary.kconfig_files,
                summary.code_files,
                summary.symbols,
                summary.references,
                summary.names,
            ),
            CheckContext(snapshot.model, logic=True),
            rule_settings,
            logic,
        )
        # KLS209-KLS213 read the incremental tables and keep unchanged definitions' checks:
        # equal to a fresh load and a fresh analysis (with nothing kept).
        incremental = redundancy_analysis_for(snapshot.model).findings
        saved = dict(redundancy_module._KEPT)
        redundancy_module._KEPT.clear()
        assert incremental == analyse_redundancy(WorldModels.load(snapshot.model).tables()).findings
        redundancy_module._KEPT.clear()
        redundancy_module._KEPT.update(saved)
        install_analyses(snapshot.model, selects, liveness)
        full = run_checks(CheckContext(snapshot.model, logic=True), rule_settings)
        # Every rule of the solver tier, and the stable rules it re-grades (KLS001).
        codes = {rule.code for rule in solver_tier_rules(rule_settings, True)}
        expected = sorted(_finding_key(f) for f in full if f.rule_code in codes)
        assert _flat(results) == expected


def test_an_edit_re_asks_only_the_questions_whose_cone_it_touches(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    path = written.files["mm/Kconfig"]
    text = path.read_text(encoding="utf-8")
    host.set_document(str(path), text.replace("depends on BROKEN", "depends on MMU").encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt
    assert "NUMA" in update.changed_symbols
    # NUMA and what it influences, not the selectors of MIGRATION or LIBRARY. (The
    # choice below the edit moved: its members are re-derived, not re-asked.)
    assert {"NUMA", "NUMA_BALANCING"} <= update.affected_symbols
    assert not {"BALLOON", "COMPACTION", "USER", "LIBRARY", "HUGE_NEVER"} & update.affected_symbols
    assert update.rechecked_selects <= 3  # the selects of MIGRATION, a target of a moved choice member
    assert [item.symbol for item in update.liveness.dead] == []


def test_a_help_text_edit_re_asks_nothing(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    before = logic.update(host.snapshot().model)
    assert [item.symbol for item in before.liveness.dead] == ["NUMA"]
    path = written.files["mm/Kconfig"]
    text = path.read_text(encoding="utf-8")
    host.set_document(str(path), text.replace("Balance.", "Balance the\n\t  NUMA nodes.").encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt
    assert update.affected_symbols == frozenset()
    assert update.queries == 0
    assert update.liveness.dead == before.liveness.dead


GUARD_TREE = """
//- /Kconfig
config MMU
	def_bool y
config MIGRATION
	bool "Page migration"
	depends on MMU
config NUMA
	bool "NUMA"
config NUMA_MIGRATION
	bool "NUMA migration"
	depends on NUMA && MIGRATION
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
obj-y += other.o
//- /mm/migrate.c
#ifdef CONFIG_MIGRATION
int a;
#endif
//- /mm/other.c
#ifdef CONFIG_NUMA
#ifdef CONFIG_NUMA_MIGRATION
int c;
#endif
#endif
"""

C_LINES = [
    "#ifdef CONFIG_MIGRATION",
    "#ifdef CONFIG_NUMA",
    "#if IS_ENABLED(CONFIG_NUMA_MIGRATION)",
    "#ifdef CONFIG_MMU",
    "#endif",
    "#else",
    "int x;",
    "// kconfig-ls: ignore",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["mm/migrate.c", "mm/other.c"]),
            st.integers(0, 6),
            st.integers(0, 1),
            st.lists(st.sampled_from(C_LINES), max_size=2),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_redundant_guards_after_c_edits_equal_a_full_run(
    tmp_path_factory: object, edits: list[tuple[str, int, int, list[str]]]
) -> None:
    root: Path = tmp_path_factory.mktemp("tree")
    written = write_fixture(root, GUARD_TREE)
    host = AnalysisHost(
        AnalysisSettings(str(root), read_project_file=False, code_index_workers=1, rule_preview=True)
    )
    host.load()
    snapshot = host.snapshot()
    rule_settings = RuleSettings(select=frozenset({"KLS206"}))

    def context() -> CheckContext:
        return CheckContext(snapshot.model, snapshot.code_index, snapshot.overlay, logic=True)

    results = solver_findings(
        None,
        ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset()),
        context(),
        rule_settings,
    )
    sequence = snapshot.sequence
    texts = {name: path.read_text(encoding="utf-8") for name, path in written.files.items()}
    for name, line, removed, inserted in edits:
        lines = texts[name].split("\n")
        line = min(line, len(lines))
        lines[line : line + removed] = inserted
        texts[name] = "\n".join(lines)
        host.set_document(str(written.files[name]), texts[name].encode(), "c")
        snapshot = host.snapshot()
        summary = host.changes_between(sequence, snapshot.sequence)
        sequence = snapshot.sequence
        changes = ChangedInputs(
            summary.everything,
            summary.kconfig_files,
            summary.code_files,
            summary.symbols,
            summary.references,
            summary.names,
        )
        assert not changes.kconfig_files
        results = solver_findings(results, changes, context(), rule_settings)
        expected = sorted(_finding_key(f) for f in run_checks(context(), rule_settings))
        assert _flat(results) == expected


def test_a_cancelled_update_leaves_no_half_state(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    path = written.files["mm/Kconfig"]
    text = path.read_text(encoding="utf-8")
    host.set_document(str(path), text.replace("depends on BROKEN", "depends on MMU").encode(), "kconfig")
    token = CancellationToken()
    token.cancel()
    with pytest.raises(Cancelled):
        logic.update(host.snapshot().model, token)
    # The next update asks the questions left, without a rebuild.
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt and "NUMA" in update.affected_symbols
    selects, liveness = _fresh(host.snapshot().model)
    assert _selects(update.selects) == _selects(selects)
    assert update.liveness.dead == liveness.dead == ()


CONE_TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config NEEDS
	bool
	default y if MMU
config HELPER
	bool
	default y if NEEDS
config GUARDED
	bool "Guarded"
	depends on HELPER
	select LIBRARY
config USES_GUARDED
	bool "Uses guarded"
	depends on GUARDED
config LIBRARY
	bool "Library"
	depends on NEEDS
config TARGET
	bool "Target"
config PLAIN
	bool "Plain"
	select TARGET
config OTHER
	bool "Other"
	depends on TARGET
config DEAD
	bool "Dead"
	depends on HELPER && !NEEDS
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
"""


def _edited(tmp_path: Path, old: str, new: str) -> tuple[AnalysisHost, LogicUpdate]:
    written = write_fixture(tmp_path, CONE_TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    host.set_document(str(path), text.replace(old, new).encode(), "kconfig")
    return host, logic.update(host.snapshot().model)


def test_a_no_in_a_changed_cone_turns_yes_under_the_violation_assumption(tmp_path: Path) -> None:
    # GUARDED -> HELPER -> NEEDS kept LIBRARY's dependency met. HELPER's default changes:
    # neither the selector, nor the target, nor the target's dependency changed, only a
    # symbol in the selector's cone; its old "no" is asked again and becomes a finding
    # (arm, MMU=n), and DEAD (dead while HELPER needed NEEDS) comes alive.
    host, update = _edited(tmp_path, "\tdefault y if NEEDS\n", "\tdefault y\n")
    assert not update.rebuilt
    selects, liveness = _fresh(host.snapshot().model)
    assert [key[:2] for key in selects.unmet] == [("GUARDED", "LIBRARY")]
    assert _selects(update.selects) == _selects(selects)
    assert update.liveness.dead == liveness.dead == ()


def test_a_select_added_re_asks_its_target_not_the_selector_cone(tmp_path: Path) -> None:
    # A select added to PLAIN changes LIBRARY's clauses (its reverse dependency), not PLAIN's:
    # what PLAIN influences (TARGET, OTHER) is not re-asked, and the selects of LIBRARY are.
    host, update = _edited(tmp_path, "\tselect TARGET\n", "\tselect TARGET\n\tselect LIBRARY\n")
    assert not update.rebuilt
    assert "OTHER" not in update.affected_symbols
    assert "LIBRARY" in update.affected_symbols
    selects, liveness = _fresh(host.snapshot().model)
    assert ("PLAIN", "LIBRARY") in [key[:2] for key in selects.unmet]
    assert _selects(update.selects) == _selects(selects)
    assert update.liveness.dead == liveness.dead


def test_an_edit_that_changes_no_clause_asks_nothing_of_the_cone(tmp_path: Path) -> None:
    # A prompt's text changes GUARDED's definition but not its clauses: only its own questions
    # and its select target's (the select line may have moved) are asked again, not those of
    # what depends on it.
    host, update = _edited(tmp_path, 'bool "Guarded"', 'bool "Guarded, renamed"')
    assert not update.rebuilt
    assert update.affected_symbols <= {"GUARDED", "LIBRARY"}
    assert "USES_GUARDED" not in update.affected_symbols
    _assert_as_a_cold_run(update, host.snapshot().model)


def test_a_finding_in_a_changed_cone_keeps_its_worlds_and_its_old_nos(tmp_path: Path) -> None:
    # GUARDED's select of LIBRARY becomes a finding (arm, MMU=n); then PLAIN selects LIBRARY
    # too, which changes LIBRARY's clauses but neither select's question: the finding is
    # answered from its kept witness when the edit did not break it (else asked again), and
    # its world without a finding (x86) is asked under the violation, as every old "no" is.
    written = write_fixture(tmp_path, CONE_TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("\tdefault y if NEEDS\n", "\tdefault y\n"),
        ("\tselect TARGET\n", "\tselect TARGET\n\tselect LIBRARY\n"),
        ("\tselect TARGET\n\tselect LIBRARY\n", "\tselect TARGET\n"),
    ):
        assert text.count(old) >= 1
        text = text.replace(old, new, 1)
        host.set_document(str(path), text.encode(), "kconfig")
        update = logic.update(host.snapshot().model)
        assert not update.rebuilt
        _assert_as_a_cold_run(update, host.snapshot().model)
    finding = next(v for k, v in update.selects.unmet.items() if k[:2] == ("GUARDED", "LIBRARY"))
    assert finding.worlds == ("arm",)
    assert dict(finding.witness)["MMU"] == "n"


def test_kept_witnesses_answer_only_while_the_edit_leaves_them_models() -> None:
    from kconfig_ls.logic.incremental_pruning import ModelStore, Packer
    from kconfig_ls.logic.solver import Model
    from kconfig_ls.logic.tristate_encoding import Encoding

    encoding = Encoding({})
    a, b = encoding.new_variable(), encoding.new_variable()
    both = encoding.conjoin((a, b))
    store = ModelStore(encoding, 4, witness_limit=2)
    packer = Packer()
    key = ("SELECTOR", "TARGET", "Kconfig", 0)
    other = ("OTHER", "TARGET", "Kconfig", 10)
    model = Model([value for value in range(1, encoding.variable_count + 1)])  # everything true
    store.add_witness(key, "x86", model, packer)
    store.add_witness(other, "x86", model, packer)  # the same model: one kept, two places
    assert store.witness(key, "x86", both) is not None
    assert store.witness(key, "x86", -a) is None  # the model does not show that question
    assert store.witness(key, "arm", both) is None  # nor any other world's
    assert a in store.witness(key, "x86", both)  # read as a solver's model
    # A new clause of a changed symbol that the model breaks: both places lose it.
    store.keep_valid({"x86": [[-a, -b]]})
    assert store.witness(key, "x86", both) is None
    assert store.witness(other, "x86", both) is None
    # At most `witness_limit` models: the oldest place goes first.
    for index in range(3):
        values = [value if value != a or index else -value for value in range(1, encoding.variable_count + 1)]
        store.add_witness((f"S{index}", "TARGET", "Kconfig", index), "x86", Model(values), packer)
    assert store.witness(("S0", "TARGET", "Kconfig", 0), "x86", b) is None
    assert store.witness(("S2", "TARGET", "Kconfig", 2), "x86", b) is not None


def test_kept_models_summary_follows_the_models_it_reads() -> None:
    # `ModelStore.holds` reads a variable every kept model knows from a summary (some model has
    # it true / false); the summary is built again when a model comes or goes.
    from kconfig_ls.logic.incremental_pruning import ModelStore
    from kconfig_ls.logic.solver import Model
    from kconfig_ls.logic.tristate_encoding import Encoding

    encoding = Encoding({})
    a, b, c = encoding.new_variable(), encoding.new_variable(), encoding.new_variable()
    store = ModelStore(encoding, 4)

    def model(*true: int) -> Model:
        return Model(
            [v if v in true or v == TRUE_LITERAL else -v for v in range(1, encoding.variable_count + 1)]
        )

    store.add("x86", model(a))
    assert store.holds("x86", a) and store.holds("x86", -b) and store.holds("x86", -c)
    assert not store.holds("x86", -a) and not store.holds("x86", b) and not store.holds("x86", c)
    store.add("x86", model(b))
    assert store.holds("x86", -a) and store.holds("x86", b) and not store.holds("x86", c)
    assert not store.holds("arm", a)  # no model of that world
    # A new clause (a -> c) drops the first model: a can no longer be shown true.
    store.keep_valid({"x86": [[-a, c]]})
    assert not store.holds("x86", a) and store.holds("x86", b) and not store.holds("x86", -b)
    # A gate built after the models is evaluated from its definition, model by model.
    gate = encoding.conjoin((-a, b))
    assert store.holds("x86", gate) and not store.holds("x86", -gate)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A `depends on` added to a visible symbol narrows its values: every new model was an old one.
        ('\tbool "Library"\n\tdepends on NEEDS\n', '\tbool "Library"\n\tdepends on NEEDS && MMU\n', True),
        # Removed, it widens them (a new model can break an old clause): not a strengthening.
        ('\tbool "Library"\n\tdepends on NEEDS\n', '\tbool "Library"\n', False),
        # An invisible symbol takes its defaults' value exactly: a narrower condition changes it.
        ("\tdefault y if NEEDS\n", "\tdefault y if NEEDS && MMU\n", False),
        # A select added widens its target's reverse dependency.
        ("\tselect TARGET\n", "\tselect TARGET\n\tselect LIBRARY\n", False),
    ],
)
def test_strengthened_tells_a_narrowing_edit_from_a_widening_one(
    tmp_path: Path, old: str, new: str, expected: bool
) -> None:
    from kconfig_ls.logic import incremental_pruning as pruning
    from kconfig_ls.logic.tristate_encoding import encode_worlds

    written = write_fixture(tmp_path, CONE_TREE)
    host = _host(tmp_path)
    before = WorldModels.load(host.snapshot().model).tables()
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    host.set_document(str(path), text.replace(old, new).encode(), "kconfig")
    after = WorldModels.load(host.snapshot().model).tables()
    names = sorted(
        name for name in after["x86"].symbols if after["x86"].symbols[name] != before["x86"].get(name)
    )
    encoding = encode_worlds(before)
    old_keys = pruning.keys_of(encoding, before, names)
    encoding.reencode_symbols(names, after)
    changed = pruning.meaning_changed(encoding, old_keys, before, after, names)
    assert changed
    store = pruning.ModelStore(encoding, 4)
    assert pruning.strengthened(encoding, old_keys, after, changed, store) is expected


def test_a_harvest_over_every_world_at_once_finds_what_holds_in_some_world(tmp_path: Path) -> None:
    from kconfig_ls.logic import incremental_pruning as pruning
    from kconfig_ls.logic.solver import LogicSolver
    from kconfig_ls.logic.tristate_encoding import encode_worlds

    write_fixture(tmp_path, CONE_TREE)
    tables = WorldModels.load(_host(tmp_path).snapshot().model).tables()
    encoding = encode_worlds(tables)
    mmu = encoding.symbol_pair("MMU")[0]
    library = encoding.symbol_pair("LIBRARY")[1]
    questions = [
        {"x86": -mmu, "arm": -mmu},  # MMU=n: only on arm
        {"x86": -mmu},  # ... asked on x86 alone: never
        {"x86": library, "arm": library},  # LIBRARY=y: anywhere
        # LIBRARY=y while MMU=n: its dependency NEEDS follows MMU, and GUARDED's select needs it too.
        {"x86": encoding.conjoin((library, -mmu)), "arm": encoding.conjoin((library, -mmu))},
        {"arm": -TRUE_LITERAL},
    ]
    store = pruning.ModelStore(encoding, 4)
    with LogicSolver(encoding) as solver:
        expected = pruning.harvest(solver, encoding, questions, store)
    assert expected == {0, 2}
    for kept in (pruning.ModelStore(encoding, 4), store):  # without and with kept models
        with LogicSolver(encoding) as solver:
            assert pruning.harvest_anywhere(solver, encoding, questions, kept) == expected


def test_a_harvest_takes_a_broken_model_that_showed_a_question_as_its_phases(tmp_path: Path) -> None:
    # `hints`: the model an edit broke that had shown a question; the harvest's query then finds
    # a model close to it (here: PLAIN as in the hint, the opposite of what the solver's own
    # phases give), and what holds is the same as without hints.
    from kconfig_ls.logic import incremental_pruning as pruning
    from kconfig_ls.logic.solver import LogicSolver
    from kconfig_ls.logic.tristate_encoding import encode_worlds

    write_fixture(tmp_path, CONE_TREE)
    tables = WorldModels.load(_host(tmp_path).snapshot().model).tables()
    encoding = encode_worlds(tables)
    plain = encoding.symbol_pair("PLAIN")[1]
    library = encoding.symbol_pair("LIBRARY")[1]
    questions = [{"x86": library, "arm": library}, {"x86": -TRUE_LITERAL}]

    def harvested_plain(hints: list[bytes | None] | None) -> int:
        store = pruning.ModelStore(encoding, 4)
        with LogicSolver(encoding) as solver:
            assert pruning.harvest_anywhere(solver, encoding, questions, store, hints=hints) == {0}
        world = next(world for world in encoding.worlds if store.holds(world, library))
        return plain if store.holds(world, plain) else -plain

    unhinted = harvested_plain(None)
    with LogicSolver(encoding) as solver:
        found = solver.satisfiable([library, -unhinted])
    assert found is not None
    hint = bytes(variable in found for variable in range(1, encoding.variable_count + 1))
    assert harvested_plain([hint, None]) == -unhinted


COMPARISON_TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config REVISION
	int
	default 300
config NEW_SILICON
	bool "New silicon workarounds"
	depends on REVISION >= 300
//- /arch/x86/Kconfig
config MMU
	def_bool y
//- /arch/arm/Kconfig
config MMU
	bool "MMU"
"""


@pytest.mark.parametrize(
    ("old_line", "new_line"),
    [
        ("\tdefault 300", "\tdefault 200"),  # the comparison becomes false: NEW_SILICON is dead
        ("\tdefault 300", "\tdefault 200 if MMU\n\tdefault 300"),  # dead on x86 only: still live on arm
        ("\tint", '\tint "Revision"'),  # the value is the user's: not known, not dead
    ],
)
def test_an_edit_of_an_int_symbol_re_asks_the_comparisons_that_read_it(
    tmp_path: Path, old_line: str, new_line: str
) -> None:
    """An int, hex or string symbol's defaults decide comparisons (`REVISION >= 300`): editing
    them changes the meaning of every symbol whose dependency compares it."""
    written = write_fixture(tmp_path, COMPARISON_TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    for first_line, second_line in ((old_line, new_line), (new_line, old_line)):
        text = written.files["Kconfig"].read_text(encoding="utf-8")
        assert first_line in text
        host.set_document(
            str(written.files["Kconfig"]), text.replace(first_line, second_line, 1).encode(), "kconfig"
        )
        written.files["Kconfig"].write_text(text.replace(first_line, second_line, 1), encoding="utf-8")
        model = host.snapshot().model
        update = logic.update(model)
        assert not update.rebuilt
        assert update.liveness.dead == _fresh(model)[1].dead


CHOICE_SELECT_TREE = """
//- /Kconfig
config MODULES
	bool "Modules"
	modules
	default y
config DEP
	tristate "Dep"
choice
	prompt "Pick"
config MEMBER
	bool "Member"
	depends on DEP
	select TARGET
config OTHER_MEMBER
	bool "Other member"
endchoice
config TARGET
	tristate "Target"
	depends on DEP
"""


def test_a_choice_members_select_re_asked_reads_its_own_condition(tmp_path: Path) -> None:
    # A bool choice member selects at y only where its own `depends on DEP` is y (the C tools'
    # rev_dep; `Encoding.select_pair`'s `reverse`): with DEP=m the member is y but selects TARGET
    # at m, which DEP allows. Re-asked after TARGET's dependency changed (not its meaning: NOWHERE
    # is defined nowhere), the question must read the select as the cold run does, else DEP=m,
    # MEMBER=y is a false finding.
    written = write_fixture(tmp_path, CHOICE_SELECT_TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    assert not logic.update(host.snapshot().model).selects.unmet
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Target"\n\tdepends on DEP\n', '"Target"\n\tdepends on DEP && !NOWHERE\n')
    host.set_document(str(path), text.encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt
    assert update.rechecked_selects == 1
    selects, liveness = _fresh(host.snapshot().model)
    assert not selects.unmet
    assert _selects(update.selects) == _selects(selects)
    assert update.liveness.dead == liveness.dead

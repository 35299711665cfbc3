"""The edit solver prepared ahead of the first edit, and what an update leaves to the collector.

Split from `test_incremental_logic.py` (same fixtures): `IncrementalLogic.prepare` loads the
solver the edits of the open files use and teaches it the old "no"s (`incremental_warming`);
a newer edit interrupts only the teaching; an update's survivors are frozen for the collector.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.logic.incremental_logic import IncrementalLogic
from tests.fixtures import Fixture, write_fixture
from tests.logic.test_incremental_logic import CONE_TREE, TREE, _assert_as_a_cold_run, _host


def _analysed(tmp_path: Path, tree: str) -> tuple[Fixture, AnalysisHost, IncrementalLogic]:
    """The tree written, its host loaded, and an incremental logic after the cold update."""
    written = write_fixture(tmp_path, tree)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    return written, host, logic


def test_a_prepared_solver_serves_the_first_edit_of_an_open_file(tmp_path: Path) -> None:
    written, host, logic = _analysed(tmp_path, TREE)
    mm, top = str(written.files["mm/Kconfig"]), str(written.files["Kconfig"])
    assert logic.prepare([mm, "/not/a/kconfig/file"])
    assert not logic.prepare([mm])  # ready already
    state = logic._state
    assert state is not None
    prepared = state.solver
    text = written.files["mm/Kconfig"].read_text(encoding="utf-8")
    for old, new in (("depends on BROKEN", "depends on MMU"), ("\tdepends on MMU\n", "\tdepends on !MMU\n")):
        text = text.replace(old, new, 1)
        host.set_document(mm, text.encode(), "kconfig")
        update = logic.update(host.snapshot().model)
        assert not update.rebuilt and update.queries
        assert state.solver is prepared  # the edits of mm/Kconfig re-encode only volatile symbols
        _assert_as_a_cold_run(update, host.snapshot().model)
    # An edit of a file it was not prepared for, whose symbols it holds as facts, loads another.
    top_text = written.files["Kconfig"].read_text(encoding="utf-8")
    balloon = 'config BALLOON\n\tbool "Balloon"\n'
    host.set_document(top, top_text.replace(balloon, balloon + "\tdepends on MMU\n").encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert state.solver is not prepared
    _assert_as_a_cold_run(update, host.snapshot().model)


class _CancelledAfter(CancellationToken):
    """A token that reads as cancelled from its `checks`-th look on (a newer edit arriving)."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.looks, self.checks = 0, checks

    @property
    def cancelled(self) -> bool:
        self.looks += 1
        return self.looks >= self.checks


@pytest.mark.parametrize("checks", [2, 1000])
def test_prepare_teaches_the_old_nos_and_an_edit_interrupts_only_the_teaching(
    tmp_path: Path, checks: int
) -> None:
    # After the solver of the edits is loaded it is asked every old "no" that an edit of the open
    # file can re-ask (`teach_old_answers`), so that the first edit finds their proofs made. A
    # newer edit cancels the teaching, not the loaded solver (checks=2: cancelled at the first
    # chunk); the answers are those of a cold run either way.
    written, host, logic = _analysed(tmp_path, CONE_TREE)
    path = str(written.files["Kconfig"])
    token = _CancelledAfter(checks)
    assert logic.prepare([path], token)
    state = logic._state
    assert state is not None and state.solver is not None
    prepared = state.solver
    taught = token.looks - 1  # one look for the load, one a teaching query
    # The cut query, or: the search for "no"s that hold with the open file's clauses off (one
    # model: the one select's selector is in the open file), every chunk (selects, dead), one
    # look before the liveness questions are built, and the model that resets the phases.
    assert taught == (1 if checks == 2 else 5)
    text = written.files["Kconfig"].read_text(encoding="utf-8")
    host.set_document(path, text.replace("\tdefault y if NEEDS\n", "\tdefault y\n").encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt and state.solver is prepared
    _assert_as_a_cold_run(update, host.snapshot().model)


ROBUST_TREE = TREE.replace(
    "config USER\n",
    'config VIRT\n\tbool "Virtualization"\n\tdepends on MMU\n'
    'config KVM\n\tbool "KVM"\n\tdepends on VIRT\n\tselect MIGRATION\nconfig USER\n',
)
"""TREE with a selector outside mm/Kconfig whose dependencies imply its target's (in mm/Kconfig),
not textually (the syntactic pre-filter would leave the select out)."""


def test_the_nos_that_hold_without_the_open_files_clauses_are_not_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # KVM (not in mm/Kconfig) depends on MMU through VIRT and selects MIGRATION (depends on MMU): "no" with
    # every clause of mm/Kconfig's symbols off, so `prepare` proves it once (`prove_robust`),
    # and the first edit that re-asks MIGRATION's selects under the violation leaves it out. A
    # robust "no" must be what a fresh solver of the edited formula says.
    from kconfig_ls.logic import incremental_pruning as pruning
    from kconfig_ls.logic.solver import LogicSolver

    written, host, logic = _analysed(tmp_path, ROBUST_TREE)
    mm = str(written.files["mm/Kconfig"])
    assert logic.prepare([mm])
    state = logic._state
    assert state is not None and isinstance(state.solver, pruning.EditSolver)
    robust = set(state.solver.robust)
    assert robust
    asked: list[int] = []
    none_of_cases = pruning.EditSolver.none_of_cases

    def spy(solver: pruning.EditSolver, literals: list[int], *rest: object) -> bool | None:
        asked.extend(literals)
        return none_of_cases(solver, literals, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(pruning.EditSolver, "none_of_cases", spy)
    text = written.files["mm/Kconfig"].read_text(encoding="utf-8")
    numa = 'config NUMA\n\tbool "NUMA"\n'
    for edited in (text.replace(numa, numa + "\tselect MIGRATION\n"), text):
        host.set_document(mm, edited.encode(), "kconfig")
        update = logic.update(host.snapshot().model)
        assert not update.rebuilt and state.solver is not None and robust <= state.solver.robust
        assert not robust & set(asked)
        _assert_as_a_cold_run(update, host.snapshot().model)
        with LogicSolver(state.encoding) as fresh:
            assert not any(fresh.solvable([literal]) for literal in robust)


def test_prepare_builds_the_liveness_questions_an_edit_of_the_open_file_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MIGRATION_USER (not in mm/Kconfig) depends on MIGRATION: an edit of MIGRATION's clauses
    # re-asks its liveness questions. `prepare` builds them and remembers the kept model that
    # shows each (`show_from_kept_models`), so the first edit builds only the questions of the
    # symbols it changed; the answers stay those of a cold run.
    from kconfig_ls.logic import liveness as liveness_module

    tree = ROBUST_TREE.replace(
        "config USER\n",
        'config MIGRATION_USER\n\tbool "Uses migration"\n\tdepends on MIGRATION\nconfig USER\n',
    )
    written, host, logic = _analysed(tmp_path, tree)
    mm = str(written.files["mm/Kconfig"])
    assert logic.prepare([mm])
    built: list[str] = []
    questions = liveness_module._questions

    def spy(*arguments: Any) -> list[Any]:
        found = list(questions(*arguments))
        built.extend(question.symbol for question in found)
        return found

    monkeypatch.setattr(liveness_module, "_questions", spy)
    text = written.files["mm/Kconfig"].read_text(encoding="utf-8")
    numa = 'config NUMA\n\tbool "NUMA"\n'
    host.set_document(mm, text.replace(numa, numa + "\tselect MIGRATION\n").encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt and "MIGRATION_USER" in update.affected_symbols
    assert built and set(built) <= update.changed_symbols
    _assert_as_a_cold_run(update, host.snapshot().model)


def test_what_an_update_keeps_is_frozen_for_the_collector(tmp_path: Path) -> None:
    # An update's survivors (new gates, tables, answers) are frozen as a rebuild's are: full
    # collections then never scan them again (they grew by ~18,000 objects an update on Linux).
    import gc

    written, host, logic = _analysed(tmp_path, CONE_TREE)
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8").replace("\tdefault y if NEEDS\n", "\tdefault y\n")
    host.set_document(str(path), text.encode(), "kconfig")
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt
    assert gc.get_freeze_count() > 0

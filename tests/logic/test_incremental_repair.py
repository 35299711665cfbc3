"""Kept models an edit breaks are repaired by the solver (`incremental_pruning.repair_models`).

A repaired model must be a model of the edited formula (a fresh solver over it accepts all its
values), and the answers the update gives must still be a cold run's: a question whose answer
the edit changes (NUMA, dead until a select forces it) is asked again, not read from a model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.logic import incremental_pruning
from kconfig_ls.logic.incremental_logic import IncrementalLogic
from kconfig_ls.logic.solver import LogicSolver
from tests.fixtures import write_fixture
from tests.logic.test_incremental_logic import TREE, _assert_as_a_cold_run, _host


def test_repaired_models_are_models_of_the_edited_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = write_fixture(tmp_path, TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    cold = logic.update(host.snapshot().model)
    assert any(item.symbol == "NUMA" for item in cold.liveness.dead)
    repairs: list[tuple[int, int]] = []
    original = incremental_pruning.repair_models

    def recorded(*arguments: object) -> int:
        repaired = original(*arguments)  # type: ignore[arg-type]
        repairs.append((len(arguments[3]), repaired))  # type: ignore[arg-type]
        return repaired

    monkeypatch.setattr(incremental_pruning, "repair_models", recorded)
    top = str(written.files["Kconfig"])
    text = written.files["Kconfig"].read_text(encoding="utf-8")
    # BALLOON's models with NUMA=n (every one: NUMA depended on an undefined symbol) break.
    edited = text.replace("\tselect MIGRATION\n", "\tselect MIGRATION\n\tselect NUMA\n", 1)
    host.set_document(top, edited.encode(), "kconfig")
    update = logic.update(host.snapshot().model)
    assert not update.rebuilt
    assert repairs and repairs[-1][0] > 0 and repairs[-1][1] > 0, repairs
    state = logic._state
    assert state is not None and state.models is not None
    checker = LogicSolver(state.encoding)
    kept = [data for models in state.models._models.values() for data in models]
    assert kept
    for data in kept:
        values = [variable if value else -variable for variable, value in enumerate(data, 1)]
        assert checker.solvable(values), "a kept model is not a model of the edited formula"
    checker.close()
    # NUMA can now be forced on by BALLOON: its dead question was asked again.
    assert not any(item.symbol == "NUMA" and item.kind == "symbol" for item in update.liveness.dead)
    _assert_as_a_cold_run(update, host.snapshot().model)


def test_keep_valid_returns_the_models_it_drops() -> None:
    from kconfig_ls.logic.kept_models import ModelStore
    from kconfig_ls.logic.solver import Model
    from kconfig_ls.logic.tristate_encoding import Encoding

    encoding = Encoding({})
    a, b = encoding.new_variable(), encoding.new_variable()
    store = ModelStore(encoding, 4)
    store.add("x86", Model([value for value in range(1, encoding.variable_count + 1)]))
    store.add(
        "x86", Model([-value if value == a else value for value in range(1, encoding.variable_count + 1)])
    )
    dropped = store.keep_valid({"x86": [[-a, -b]]})
    assert [(world, data[a - 1], data[b - 1]) for world, data in dropped] == [("x86", 1, 1)]
    assert store.holds("x86", -a) and not store.holds("x86", a)

"""Kept models answering re-asked selects (`incremental_selects._unwitnessed`, `ModelStore`).

A select asked again after an edit is first shown by its own kept witness,
then by any kept model of its world; such a model must be a model of the
current formula that satisfies the select's question, never a stale one.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kconfig_ls.logic.incremental_logic import IncrementalLogic
from kconfig_ls.logic.incremental_selects import _select_question, _unwitnessed
from kconfig_ls.logic.kept_models import ModelStore, StoredModel
from kconfig_ls.logic.solver import LogicSolver, Model
from kconfig_ls.logic.tristate_encoding import Encoding
from kconfig_ls.syntax.expression import TRUE
from tests.fixtures import write_fixture
from tests.logic.test_incremental_logic import CONE_TREE, _fresh, _host, _selects


def test_a_kept_model_answers_a_select_only_when_it_satisfies_the_question() -> None:
    encoding = Encoding({})
    a, b = encoding.new_variable(), encoding.new_variable()
    count = encoding.variable_count  # the models know a and b; the gate is read from its definition
    both = encoding.conjoin((a, b))
    store = ModelStore(encoding, 4)

    def model(*false: int) -> Model:
        return Model([-value if value in false else value for value in range(1, count + 1)])

    store.add("x86", model(b))
    store.add("x86", model())
    state: Any = SimpleNamespace(models=store)
    key = ("SELECTOR", "TARGET", "Kconfig", 0)
    holding: dict[Any, set[str]] = {}
    first: dict[Any, Any] = {}
    # No witness of its own: the kept model of x86 that satisfies the question shows it there,
    # and becomes its witness; arm has no kept model, so it is left to the solver.
    assert _unwitnessed(state, key, both, TRUE, TRUE, ["x86", "arm"], holding, first) == ["arm"]
    assert holding == {key: {"x86"}}
    shown = first[key][0]
    assert isinstance(shown, StoredModel) and a in shown and b in shown and both in shown
    assert store.witness(key, "x86", both) is not None
    # A question no kept model satisfies is left to the solver.
    other = ("OTHER", "TARGET", "Kconfig", 1)
    assert _unwitnessed(state, other, -a, TRUE, TRUE, ["x86"], {}, {}) == ["x86"]
    assert store.model_satisfying("x86", -a) is None
    # Once an edit's new clause breaks the model, it answers nothing any more.
    store.keep_valid({"x86": [[-b]]})
    assert store.model_satisfying("x86", both) is None
    assert _unwitnessed(state, ("THIRD", "TARGET", "Kconfig", 2), both, TRUE, TRUE, ["x86"], {}, {}) == [
        "x86"
    ]
    assert store.model_satisfying("x86", a) is not None  # the other model still shows `a`


def test_every_witness_after_edits_is_a_model_of_the_new_formula_showing_its_select(tmp_path: Path) -> None:
    # After each edit, every unmet select's kept witness (its own, or a kept model that became
    # it) is checked against a fresh solver of the current formula: its symbols' values hold
    # together with the select's question in its world.
    written = write_fixture(tmp_path, CONE_TREE)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8")
    checked = 0
    for old, new in (
        ("\tdefault y if NEEDS\n", "\tdefault y\n"),
        ("\tselect TARGET\n", "\tselect TARGET\n\tselect LIBRARY\n"),
        ("\tdepends on NEEDS\n", "\tdepends on NEEDS && HELPER\n"),
        ("\tselect TARGET\n\tselect LIBRARY\n", "\tselect TARGET\n"),
        ("\tdepends on NEEDS && HELPER\n", "\tdepends on NEEDS\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
        host.set_document(str(path), text.encode(), "kconfig")
        update = logic.update(host.snapshot().model)
        assert not update.rebuilt
        selects, _ = _fresh(host.snapshot().model)
        assert _selects(update.selects) == _selects(selects)
        state = logic._state
        assert state is not None and state.models is not None
        encoding = state.encoding
        solver = LogicSolver(encoding)
        for key, finding in update.selects.unmet.items():
            for world in finding.worlds:
                data = state.models._witnesses.get((key, world))
                if data is None:
                    continue
                table = state.tables[world]
                target = table.symbols[key[1]]
                select = next(
                    s for s in target.selected_by if (s.selector, s.location.path) == (key[0], key[2])
                )
                question = _select_question(
                    encoding, key, select.condition, target.direct_dependency, world, select
                )
                assert state.models._value(data, question, {}) is True, (key, world)
                # Every symbol's value and the world as the witness has them (the gates, the
                # selectors of past queries and retired epochs aside) have a model with the question.
                variables = [v for pair in encoding.symbol_variables.values() for v in pair]
                variables.append(encoding.world_variable[world])
                assignment = [v if data[v - 1] else -v for v in variables if v <= len(data)]
                assert solver.solvable([*assignment, question]), (key, world)
                checked += 1
        solver.close()
    assert checked

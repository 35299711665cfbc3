"""What updates reuse from the one before: liveness questions, their kept models, cones and findings.

An edit and its undo alternate (what a user typing and deleting does); each
update must equal a full analysis while reusing what did not change: the
liveness questions of a symbol whose semantics are the same objects, with the
kept model that showed them (`incremental_liveness.LivenessQuestions`,
`ModelStore.is_kept`), a cone whose changed members read as before
(`ConeCache`), and a finding explained from the same witness and cone
(`incremental_selects._explained`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from kconfig_ls.logic import liveness as liveness_module
from kconfig_ls.logic.incremental_logic import IncrementalLogic
from kconfig_ls.logic.kept_models import ModelStore
from kconfig_ls.logic.select_analysis import ConeCache
from kconfig_ls.logic.solver import Model
from kconfig_ls.logic.tristate_encoding import Encoding
from kconfig_ls.logic.world_tables import WorldModels
from kconfig_ls.semantics.symbols import SymbolTable
from tests.fixtures import write_fixture
from tests.logic.test_incremental_logic import CONE_TREE, _assert_as_a_cold_run, _host


def test_a_kept_model_is_kept_until_an_edit_breaks_it_or_newer_ones_push_it_out() -> None:
    encoding = Encoding({})
    a, b = encoding.new_variable(), encoding.new_variable()
    count = encoding.variable_count

    def model(*false: int) -> Model:
        return Model([-value if value in false else value for value in range(1, count + 1)])

    store = ModelStore(encoding, 2)
    first = store.add("x86", model(b))
    assert store.is_kept("x86", first) and not store.is_kept("arm", first)
    assert store.front_serial("x86") == first
    broken = store.model_satisfying("x86", -b)
    assert broken is not None and store.holds_data(broken)
    second = store.add("x86", model())
    assert second != first
    store.keep_valid({"x86": [[b]]})  # a new clause the first model breaks
    assert not store.is_kept("x86", first) and store.is_kept("x86", second)
    assert not store.holds_data(broken)  # a finding explained from it is dropped
    store.add("x86", model(a))
    store.touch("x86", [second])  # answered a question: kept longest
    store.add("x86", model(a, b))
    assert store.is_kept("x86", second)
    store.add("x86", model(a))
    assert not store.is_kept("x86", second)  # pushed out by the limit


def test_a_kept_cone_stands_while_its_changed_members_read_as_they_did(tmp_path: Path) -> None:
    # USES_GUARDED's cone reads GUARDED, which selects LIBRARY; a `depends on PLAIN` added to
    # GUARDED brings PLAIN (settable) into the cone; its undo reads as the original again.
    written = write_fixture(tmp_path, CONE_TREE)
    host = _host(tmp_path)
    path = written.files["Kconfig"]
    original = path.read_text(encoding="utf-8")
    old = 'bool "Guarded"\n'
    assert original.count(old) == 1

    def table(text: str) -> SymbolTable:
        host.set_document(str(path), text.encode(), "kconfig")
        return next(iter(WorldModels.load(host.snapshot().model).tables().values()))

    before = table(original)
    after = table(original.replace(old, old + "\tdepends on PLAIN\n"))
    undone = table(original)
    roots = ("USES_GUARDED",)
    names = frozenset(before.symbols)
    cones = ConeCache(8)
    kept = cones.settable_cone(before, roots)
    assert kept == ConeCache()._walk(before, roots)[1]
    assert "PLAIN" not in kept
    cones.changed(names)
    edited = cones.settable_cone(after, roots)
    assert edited == ConeCache()._walk(after, roots)[1]
    assert "PLAIN" in edited
    cones.changed(names)
    assert cones.settable_cone(undone, roots) is kept
    cones.changed(names)
    assert cones.settable_cone(after, roots) is edited


REUSE_TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "lib/Kconfig"
config BASE
	bool "Base"
	depends on BROKEN
//- /lib/Kconfig
config USER_OF_BASE
	bool "User of base"
	depends on BASE
	default y
config OTHER_USER
	bool "Other user"
	depends on BASE || MMU
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


def test_an_edit_and_its_undo_reuse_questions_and_equal_a_full_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # BASE's dependency goes round MMU, !BROKE, BROKEN: USER_OF_BASE and OTHER_USER (affected,
    # in a file not edited) keep their questions; USER_OF_BASE, shown alive after the first
    # edit by a kept model (BASE=y), is answered by it only while the model stands: once BASE
    # is dead that model is broken, so its question is asked and found dead ("1 symbol that
    # depends on it directly is dead too"), as a full analysis finds it.
    written = write_fixture(tmp_path, REUSE_TREE.replace("depends on BROKEN", "depends on MMU"))
    host = _host(tmp_path)
    logic = IncrementalLogic()
    logic.update(host.snapshot().model)
    path = written.files["Kconfig"]
    original = path.read_text(encoding="utf-8")
    assert original.count("depends on MMU") == 1
    texts = [original.replace("MMU", name) for name in ("!BROKE", "BROKEN")] + [original]
    built: list[set[str]] = []
    questions = liveness_module._questions

    def counting(encoding: Encoding, tables: Mapping[str, SymbolTable]) -> list[liveness_module._Question]:
        built.append({name for table in tables.values() for name in table.symbols})
        return questions(encoding, tables)

    monkeypatch.setattr(liveness_module, "_questions", counting)
    dead: list[tuple[str, ...]] = []
    for round_number in range(3):
        for text in texts:
            host.set_document(str(path), text.encode(), "kconfig")
            model = host.snapshot().model
            built.clear()
            update = logic.update(model)
            assert not update.rebuilt
            assert {"USER_OF_BASE", "OTHER_USER"} <= update.affected_symbols
            questions_built = set().union(*built)
            _assert_as_a_cold_run(update, model)
            dead.append(tuple(item.reason for item in update.liveness.dead if item.symbol == "BASE"))
            if round_number:
                # Only the re-encoded symbol's questions are built again.
                assert questions_built == {"BASE"}
    assert dead[0] == dead[2] == ()
    assert dead[1] and "1 symbol that depends on it directly is dead too" in dead[1][0]

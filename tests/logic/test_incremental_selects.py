"""Which selects an update asks again (`incremental_selects.recheck_selects`), world by world.

The worlds share most symbols' semantics, and the update looks at each
shared object once; a target whose semantics differ between worlds (defined
by each architecture) must still be asked in every world as a cold run asks it.
"""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.logic.incremental_logic import IncrementalLogic
from kconfig_ls.logic.select_analysis import SelectAnalysis
from tests.fixtures import write_fixture
from tests.logic.test_incremental_logic import _fresh, _host

PER_ARCHITECTURE_TARGET = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config SELECTOR
	bool "Selector"
	select TARGET
config NEEDED
	bool "Needed"
config OTHER
	bool "Other"
config SHARED_SELECTOR
	bool "Shared selector"
	select SHARED
config SHARED
	bool "Shared"
	depends on NEEDED
//- /arch/x86/Kconfig
config TARGET
	bool "Target"
	depends on NEEDED
config MODULES
	bool "Modules"
	modules
//- /arch/arm/Kconfig
config TARGET
	bool "Target"
config MODULES
	bool "Modules"
	modules
//- /arch/riscv/Kconfig
config TARGET
	bool "Target"
	depends on NEEDED || OTHER
config MODULES
	bool "Modules"
	modules
"""


def test_a_target_defined_by_each_architecture_is_asked_in_every_world_after_edits(tmp_path: Path) -> None:
    # SELECTOR's select of TARGET asks three questions: unmet on x86 (NEEDED can be n) and riscv
    # (NEEDED || OTHER can be n), nothing to ask on arm. Each edit of NEEDED or OTHER re-asks it.
    # SHARED is one object in every world: its select is unmet in all three while NEEDED can be n.
    written = write_fixture(tmp_path, PER_ARCHITECTURE_TARGET)
    host = _host(tmp_path)
    logic = IncrementalLogic()
    cold = logic.update(host.snapshot().model)
    (finding,) = [f for key, f in cold.selects.unmet.items() if key[:2] == ("SELECTOR", "TARGET")]
    assert finding.worlds == ("riscv", "x86")
    every = ("arm", "riscv", "x86")
    path = written.files["Kconfig"]
    text = path.read_text(encoding="utf-8")
    expected_worlds: list[tuple[str, ...]] = []
    for old, new, worlds, shared_worlds in (
        ('\tbool "Other"\n', "\tdef_bool y\n", ("x86",), every),  # riscv's dependency always holds
        ('\tbool "Needed"\n', '\tbool "Needed"\n\tdefault y if OTHER\n', ("x86",), every),
        ("\tdef_bool y\n", '\tbool "Other"\n', ("riscv", "x86"), every),
        # SHARED's own question changes: asked afresh in every world.
        (
            '\tbool "Shared"\n\tdepends on NEEDED\n',
            '\tbool "Shared"\n\tdepends on NEEDED && OTHER\n',
            ("riscv", "x86"),
            every,
        ),
        # TARGET's dependency is met everywhere; SHARED's still needs OTHER.
        ('\tbool "Needed"\n\tdefault y if OTHER\n', "\tdef_bool y\n", (), every),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
        host.set_document(str(path), text.encode(), "kconfig")
        update = logic.update(host.snapshot().model)
        assert not update.rebuilt
        selects, liveness = _fresh(host.snapshot().model)
        assert _verdicts(update.selects) == _verdicts(selects)
        assert update.liveness.dead == liveness.dead
        found = [f.worlds for key, f in update.selects.unmet.items() if key[:2] == ("SELECTOR", "TARGET")]
        expected_worlds.append(found[0] if found else ())
        assert expected_worlds[-1] == worlds, (new, found)
        shared = [
            f.worlds for key, f in update.selects.unmet.items() if key[:2] == ("SHARED_SELECTOR", "SHARED")
        ]
        assert (shared[0] if shared else ()) == shared_worlds, (new, shared)


def _verdicts(analysis: SelectAnalysis) -> tuple[object, ...]:
    """The selects asked and each finding's worlds and place; not its explanation, which is that
    of its witness's world (here the worlds' dependencies differ: whichever model came first)."""
    return (
        sorted(analysis.analysed),
        sorted((key, finding.worlds, finding.location) for key, finding in analysis.unmet.items()),
    )

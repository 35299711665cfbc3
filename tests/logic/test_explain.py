"""Why a symbol has its value, what blocks it, and the smallest enabling set, on small trees."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.logic.configuration import ConfigSource, Configuration, evaluate_configuration
from kconfig_ls.logic.explain import assignment_hints, blockers, enabling_set, explain, render_with_values
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import build_symbol_table
from kconfig_ls.syntax.expression import parse_expression
from tests.fixtures import write_fixture

TREE = """
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
	bool "fast"
	depends on HAVE_FAST || NUMA
config MIGRATION
	bool
	depends on MMU
	default y if NUMA
config COMPACTION
	bool "compaction"
	select MIGRATION
config NEEDS_CHAIN
	bool "needs a chain"
	depends on FAST && MMU
config SETTING
	int "setting"
	default 3
"""


def _configuration(tmp_path: Path, config: str) -> Configuration:
    write_fixture(tmp_path, TREE)
    model = KconfigModel(WorkspaceSettings(str(tmp_path)))
    model.load()
    table = build_symbol_table(model)
    return evaluate_configuration(table, ConfigSource(str(tmp_path / ".config"), config.encode()))


def test_render_with_values(tmp_path: Path) -> None:
    configuration = _configuration(tmp_path, "CONFIG_MMU=y\n")
    expression = parse_expression("MMU && !NUMA && (FAST || SETTING > 2) && UNDEFINED")
    assert (
        render_with_values(expression, configuration)
        == "MMU [=y] && !NUMA [=n] && (FAST [=n] || SETTING [=3] > 2) && UNDEFINED [=n]"
    )


def test_the_first_line_says_what_decides(tmp_path: Path) -> None:
    configuration = _configuration(tmp_path, "CONFIG_MMU=y\nCONFIG_COMPACTION=y\n")
    explanation = explain(configuration, "MIGRATION", root=str(tmp_path))
    assert explanation.summary == "MIGRATION = y, selected by COMPACTION (Kconfig:20)"
    assert explanation.dependency == "MMU [=y]"
    explanation = explain(configuration, "MMU", root=str(tmp_path))
    assert explanation.summary == "MMU = y, set in .config:1"
    configuration = _configuration(tmp_path, "CONFIG_MMU=y\nCONFIG_NUMA=y\n")
    assert explain(configuration, "MIGRATION", root=str(tmp_path)).summary == (
        "MIGRATION = y, default y if NUMA [=y] (Kconfig:17)"
    )
    assert explain(configuration, "SETTING").summary.startswith("SETTING = 3, default 3")


def test_a_value_that_does_not_stick_names_the_missing_dependency(tmp_path: Path) -> None:
    configuration = _configuration(tmp_path, "# CONFIG_MMU is not set\nCONFIG_NUMA=y\n")
    explanation = explain(configuration, "NUMA", root=str(tmp_path))
    assert explanation.summary == "NUMA = n, missing dependency MMU [=n]"
    assert [reason.kind for reason in explanation.reasons] == ["dependency", "ignored"]
    assert explanation.reasons[1].text == ".config:2 sets y, which does not stick"


def test_inlay_hints_on_lines_that_do_not_stick(tmp_path: Path) -> None:
    configuration = _configuration(
        tmp_path, "# CONFIG_MMU is not set\nCONFIG_NUMA=y\nCONFIG_MMU_X=y\n# CONFIG_MIGRATION is not set\n"
    )
    hints = {hint.line: hint.text for hint in assignment_hints(configuration)}
    assert hints == {2: "→ n: needs MMU [=n]"}
    configuration = _configuration(
        tmp_path, "CONFIG_MMU=y\nCONFIG_COMPACTION=y\n# CONFIG_MIGRATION is not set\n"
    )
    assert [hint.text for hint in assignment_hints(configuration)] == ["→ y: no prompt"]


def test_blockers_go_down_to_symbols_the_user_can_set(tmp_path: Path) -> None:
    configuration = _configuration(tmp_path, "# CONFIG_MMU is not set\n")
    found = blockers(configuration, "NEEDS_CHAIN")
    assert [blocker.rendered for blocker in found] == ["FAST [=n]", "MMU [=n]"]
    fast, mmu = found
    assert mmu.settable and not fast.settable
    # FAST needs HAVE_FAST (prompt-less, selected by FAST_PLATFORM) or NUMA (needs MMU).
    (either,) = fast.causes
    assert [alternative.rendered for alternative in either.alternatives] == ["HAVE_FAST [=n]", "NUMA [=n]"]
    assert either.alternatives[0].causes[0].symbol == "FAST_PLATFORM"
    # MMU is visible: nothing blocks it, the user sets it.
    assert blockers(configuration, "MMU") == ()


def test_enabling_set_is_small_and_verified(tmp_path: Path) -> None:
    configuration = _configuration(tmp_path, "# CONFIG_MMU is not set\n")
    changes = enabling_set(configuration, "NEEDS_CHAIN")
    assert changes is not None
    assert changes.get("MMU") == "y" and changes.get("NEEDS_CHAIN") == "y"
    assert len(changes) == 4  # MMU, one way to FAST (FAST_PLATFORM or NUMA), FAST, NEEDS_CHAIN
    lines = "".join(f"CONFIG_{name}={value}\n" for name, value in changes.items())
    assert _configuration(tmp_path, "# CONFIG_MMU is not set\n" + lines).value("NEEDS_CHAIN") == "y"
    assert enabling_set(configuration, "MMU") == {"MMU": "y"}
    assert enabling_set(_configuration(tmp_path, "CONFIG_MMU=y\n"), "MMU") == {}
    # A prompt-less symbol is enabled through its default's condition, not by a
    # select (COMPACTION) that would force it past its own dependency (MMU).
    assert enabling_set(configuration, "MIGRATION") == {"MMU": "y", "NUMA": "y"}

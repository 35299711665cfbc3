"""select-visible's note simplified under what the selector guarantees (checks/selector_facts.py)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.checks.selector_facts import SelectorFacts
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.syntax.expression import parse_expression, render
from tests.checks.test_logic_rules import ARCHITECTURES
from tests.fixtures import write_fixture

# U-Boot's SPL: prompted in common/spl/Kconfig, given more selects in the STM32MP folder's
# `if ARCH_STM32MP`; ARCH_K3, another member of the target choice, selects SUPPORT_SPL and SPL.
U_BOOT_SPL = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config COMPILE_TEST
	bool "Compile also drivers which will not load"
config ARM
	bool "ARM"
config SUPPORT_SPL
	bool
config SPL_FRAMEWORK
	bool "SPL framework"
choice
	prompt "Target select"
	depends on ARM
config ARCH_K3
	bool "Texas Instruments' K3 Architecture"
	select SUPPORT_SPL
	select SPL
config ARCH_STM32MP
	bool "STM32MP"
endchoice
if ARCH_STM32MP
config SPL
	select SPL_FRAMEWORK
endif
config SPL
	bool "Enable SPL"
	depends on SUPPORT_SPL && !COMPILE_TEST
config TINY
	bool "Tiny"
	depends on COMPILE_TEST
config TRISTATE_BUS
	tristate "A tristate bus"
config USES_TINY
	tristate "Uses tiny"
	depends on TRISTATE_BUS && ARM
	select TINY
"""


def _model(tmp_path: Path, fixture: str) -> KconfigModel:
    write_fixture(tmp_path, textwrap.dedent(fixture).lstrip("\n") + ARCHITECTURES)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), arch="x86"))
    model.load()
    return model


def test_the_note_drops_the_disjunct_a_choice_sibling_rules_out_and_the_selected_conjunct(
    tmp_path: Path,
) -> None:
    model = _model(tmp_path, U_BOOT_SPL)
    [finding] = [
        f
        for f in run_checks(CheckContext(model, logic=True), RuleSettings(preview=True))
        if f.rule_code == "KLS001" and f.message.startswith("ARCH_K3 selects SPL")
    ]
    assert [related.message for related in finding.related][1] == (
        "SPL depends on !COMPILE_TEST, which the select ignores on arm, x86"
    )


def _facts(model: KconfigModel, selector: str) -> SelectorFacts:
    [definition] = [d for d in model.definitions[selector] if d.selects]
    return SelectorFacts(model, definition, None)


@pytest.mark.parametrize(
    ("selector", "expression", "expected"),
    [
        # ARCH_K3 is y (a bool selector that acts), so ARCH_STM32MP, its choice sibling, is n;
        # SUPPORT_SPL is selected by it; ARM is inherited from the choice.
        ("ARCH_K3", "ARM && ARCH_STM32MP || SUPPORT_SPL && !COMPILE_TEST", "!COMPILE_TEST"),
        ("ARCH_K3", "COMPILE_TEST || ARM && SPL_FRAMEWORK", "COMPILE_TEST || SPL_FRAMEWORK"),
        # Settled whole: y, n.
        ("ARCH_K3", "ARM || COMPILE_TEST", "y"),
        ("ARCH_K3", "ARCH_STM32MP && COMPILE_TEST", "n"),
        # A tristate dependency of the selector is at least m, not y: it stays in a conjunction.
        ("USES_TINY", "TRISTATE_BUS && COMPILE_TEST", "TRISTATE_BUS && COMPILE_TEST"),
        # ... and it cannot settle a disjunction either, but the bool ARM (y) can.
        ("USES_TINY", "TRISTATE_BUS || COMPILE_TEST", "TRISTATE_BUS || COMPILE_TEST"),
        ("USES_TINY", "ARM || COMPILE_TEST", "y"),
        # TINY is selected, so y, but that does not make its dependency (COMPILE_TEST) hold;
        # a symbol no file defines is n.
        ("USES_TINY", "!TINY || UNDEFINED_ANYWHERE || COMPILE_TEST", "COMPILE_TEST"),
    ],
)
def test_facts_simplify_only_where_the_value_is_kept(
    tmp_path: Path, selector: str, expression: str, expected: str
) -> None:
    model = _model(tmp_path, U_BOOT_SPL)
    assert render(_facts(model, selector).simplified(parse_expression(expression))) == expected


def test_a_symbol_nobody_selects_brings_its_dependencies(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        """
        //- /Kconfig
        config PCI
        	bool "PCI"
        config BUS
        	bool "Bus"
        	depends on PCI
        config DRIVER
        	bool "Driver"
        	depends on BUS
        	select HELPER
        config HELPER
        	bool
        config OTHER
        	bool "Other"
        """,
    )
    facts = _facts(model, "DRIVER")
    # BUS is a dependency of DRIVER; nobody selects BUS, so PCI holds too; HELPER is selected.
    assert render(facts.simplified(parse_expression("PCI && HELPER && OTHER || !BUS"))) == "OTHER"


def test_a_symbol_the_build_defines_outside_the_kconfig_files_is_unknown_not_n(tmp_path: Path) -> None:
    """Zephyr's `DT_HAS_<compat>_ENABLED` (the ecosystem's `unknown_symbols`) may be y."""
    write_fixture(
        tmp_path, '//- /Kconfig\nconfig DRIVER\n\tbool "Driver"\n\tselect HELPER\nconfig HELPER\n\tbool\n'
    )
    settings = workspace_settings(str(tmp_path), ProjectSettings())
    model = KconfigModel(replace(settings, unknown_symbols=(r"DT_HAS_\w+_ENABLED",)))
    model.load()
    facts = _facts(model, "DRIVER")
    expression = parse_expression("DT_HAS_FOO_ENABLED || NOWHERE_DEFINED || HELPER && DT_HAS_BAR_ENABLED")
    assert render(facts.simplified(expression)) == "DT_HAS_FOO_ENABLED || DT_HAS_BAR_ENABLED"

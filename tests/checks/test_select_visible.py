"""select-visible (KLS001) graded by syntax: a selector that visibly guarantees the target's
dependencies gets the hint the logic would give, without "which the select ignores".

ESP-IDF's examples (`main/Kconfig.projbuild`, a file no world reaches) are graded by syntax:
`EXAMPLE_EXTENDED_ADV` depends on what BT_NIMBLE_EXT_ADV depends on, and
EXAMPLE_CONNECT_IPV6 depends on `... || EXAMPLE_CONNECT_THREAD`, its selector.
"""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config A
	bool "A"
config C
	bool "C"
config B
	bool "B"
	depends on A
config IPV6
	bool "IPv6"
	depends on C || USE_THREAD
menu "Bluetooth"
	depends on C
config FEATURE_50
	bool "5.0"
config EXT_ADV
	bool "extended advertising"
	depends on FEATURE_50
config CONTROLLER
	bool "controller"
	select FEATURE_50
endmenu
//- /other/Kconfig
config USE_B
	bool "use B"
	depends on A && C
	select B
config USE_THREAD
	bool "thread"
	select IPV6
config USE_B_LOOSELY
	bool "use B loosely"
	select B
config EXAMPLE_EXTENDED_ADV
	bool "example"
	depends on FEATURE_50
	select EXT_ADV
"""


def lint(tmp_path: Path, logic: bool) -> list[str]:
    write_fixture(tmp_path, TREE)
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    workspace.load()
    findings = run_checks(
        CheckContext(workspace, logic=logic), RuleSettings(select=frozenset({"select-visible"}))
    )
    lines = []
    for finding in sorted(findings, key=lambda f: (f.location.path, f.location.span.start)):
        lines.append(
            f"{workspace.line_of(finding.location) + 1}: {finding.severity.label}: {finding.message}"
        )
        lines.extend(f"  note: {related.message}" for related in finding.related)
    return lines


EXPECTED = [
    '20: hint: CONTROLLER selects FEATURE_50, which has a prompt ("5.0"); the selector already guarantees '
    "FEATURE_50's dependencies, so the select only bypasses the prompt: consider 'depends on FEATURE_50' "
    "or 'imply FEATURE_50'",
    "  note: prompt of FEATURE_50",
    '4: hint: USE_B selects B, which has a prompt ("B"); the selector already guarantees B\'s dependencies, '
    "so the select only bypasses the prompt: consider 'depends on B' or 'imply B'",
    "  note: prompt of B",
    '7: hint: USE_THREAD selects IPV6, which has a prompt ("IPv6"); the selector already guarantees '
    "IPV6's dependencies, so the select only bypasses the prompt: consider 'depends on IPV6' or 'imply IPV6'",
    "  note: prompt of IPV6",
    "10: warning: USE_B_LOOSELY selects B, which has a prompt (\"B\"); use 'depends on B' or 'imply B', "
    "or make B prompt-less",
    "  note: prompt of B",
    "  note: B depends on A, which the select ignores",
    '14: hint: EXAMPLE_EXTENDED_ADV selects EXT_ADV, which has a prompt ("extended advertising"); the '
    "selector already guarantees EXT_ADV's dependencies, so the select only bypasses the prompt: "
    "consider 'depends on EXT_ADV' or 'imply EXT_ADV'",
    "  note: prompt of EXT_ADV",
]


def test_a_guaranteed_dependency_is_a_hint_in_an_unreached_file(tmp_path: Path) -> None:
    assert lint(tmp_path, logic=True) == EXPECTED


def test_without_the_logic_the_grading_stays_syntactic(tmp_path: Path) -> None:
    """The editor's grading (and `--no-logic`) is unchanged: USE_B is a warning there."""
    found = lint(tmp_path, logic=False)
    assert any(line.startswith("4: warning: USE_B selects B") for line in found)
    assert "  note: B depends on A, which the select ignores" in found


BOARDS = """
//- /Kconfig
choice
	prompt "Board"
config BOARD_A
	bool "A"
config BOARD_B
	bool "B"
config BOARD_C
	bool "C"
endchoice
config FEATURE
	bool
if BOARD_A
config FEATURE
	bool "Feature on A"
endif
if BOARD_C
config FEATURE
	bool "Feature on C"
endif
if BOARD_B
config BOARD_B_OPTIONS
	def_bool y
	select FEATURE
endif
if BOARD_C
config BOARD_C_OPTIONS
	def_bool y
	select FEATURE
endif
"""


def test_only_the_prompts_the_selector_can_see_count(tmp_path: Path) -> None:
    """coreboot: a board selects a symbol whose only prompts are in other boards' blocks."""
    write_fixture(tmp_path, BOARDS)
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    workspace.load()
    findings = run_checks(
        CheckContext(workspace, logic=True), RuleSettings(select=frozenset({"select-visible"}))
    )
    assert [
        (
            workspace.line_of(f.location) + 1,
            f.message.split(";")[0],
            [workspace.line_of(r.location) + 1 for r in f.related],
        )
        for f in findings
    ] == [(28, 'BOARD_C_OPTIONS selects FEATURE, which has a prompt ("Feature on C")', [18])]


def test_a_file_sourced_once_per_board_keeps_its_prompts(tmp_path: Path) -> None:
    """U-Boot's `board/ti/common/Kconfig`: one select and one prompt, defined once per board."""
    write_fixture(
        tmp_path,
        """
//- /Kconfig
choice
	prompt "Board"
config TARGET_A
	bool "A"
config TARGET_B
	bool "B"
endchoice
if TARGET_A
source "common/Kconfig"
endif
if TARGET_B
source "common/Kconfig"
endif
if TARGET_A
config USES_DETECT
	def_bool y
	select DETECT
endif
//- /common/Kconfig
config DETECT
	bool "detect"
""",
    )
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    workspace.load()
    findings = run_checks(
        CheckContext(workspace, logic=True), RuleSettings(select=frozenset({"select-visible"}))
    )
    assert [(workspace.line_of(f.location) + 1, f.severity.label) for f in findings] == [(17, "hint")]

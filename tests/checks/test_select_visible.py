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
"""


def lint(tmp_path: Path, logic: bool) -> list[str]:
    write_fixture(tmp_path, TREE)
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    workspace.load()
    findings = run_checks(
        CheckContext(workspace, logic=logic), RuleSettings(select=frozenset({"select-visible"}))
    )
    lines = []
    for finding in sorted(findings, key=lambda f: f.location.span.start):
        lines.append(
            f"{workspace.line_of(finding.location) + 1}: {finding.severity.label}: {finding.message}"
        )
        lines.extend(f"  note: {related.message}" for related in finding.related)
    return lines


EXPECTED = [
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
]


def test_a_guaranteed_dependency_is_a_hint_in_an_unreached_file(tmp_path: Path) -> None:
    assert lint(tmp_path, logic=True) == EXPECTED


def test_a_guaranteed_dependency_is_a_hint_without_the_logic(tmp_path: Path) -> None:
    assert lint(tmp_path, logic=False) == EXPECTED

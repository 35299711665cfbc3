"""The hover explains the logic's findings where the question is asked (issue 9).

"Does whatever selects MIGRATION depend on MMU?" is asked at MIGRATION, whose
hover lists the select-unmet-dependency findings of its selectors; "why is this
never compiled?" is asked inside the block, whose hover gives the block's finding.
The findings are the real rules' on the fixture, as the server's solver tier has them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.framework import Finding
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.fixtures import write_fixture

ARCHITECTURES = """
//- /arch/x86/Kconfig
config X86
	def_bool y
config MMU
	def_bool y
//- /arch/arm/Kconfig
config ARM
	def_bool y
config MMU
	bool "MMU"
	default y
"""

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config MIGRATION
	bool
	depends on MMU
config GOOD
	bool "Good"
	depends on MMU
	select MIGRATION
config BAD
	bool "Bad"
	select MIGRATION
config NUMA
	bool "NUMA"
	depends on MMU
config NUMA_BALANCING
	bool "NUMA balancing"
	depends on NUMA
//- /mm/Makefile
obj-y += balance.o
//- /mm/balance.c
#ifndef CONFIG_NUMA
#ifdef CONFIG_NUMA_BALANCING
int balance(void);
#endif
#endif
"""


def hover_with_findings(tmp_path: Path, fixture: str, *, with_findings: bool = True) -> str:
    written = write_fixture(tmp_path, fixture + ARCHITECTURES)
    host = AnalysisHost(AnalysisSettings(str(tmp_path), rule_preview=True, logic=True))
    host.load()
    snapshot = host.snapshot()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for path, findings in snapshot.full_findings().items():
        by_path[path].extend(findings)

    def findings_in(path: str) -> Sequence[Finding]:
        return by_path.get(path, [])

    assert written.cursor_path is not None and written.cursor_offset is not None
    hover = snapshot.hover(
        str(written.cursor_path), written.cursor_offset, findings_in=findings_in if with_findings else None
    )
    assert hover is not None
    return hover.markdown


def test_the_targets_hover_lists_the_selects_that_leave_its_dependency_unmet(tmp_path: Path) -> None:
    markdown = hover_with_findings(tmp_path, TREE.replace("config MIGRATION", "config MIGRA$0TION"))
    title, logic, finding, *_ = markdown.split("\n\n")
    assert (title, logic) == ("### MIGRATION", "**Logic**")
    assert finding == (
        r"- BAD selects MIGRATION, but MIGRATION depends on MMU, which can be n while BAD is y "
        r"(arm: MMU=n, BAD=y) *(KLS201 select-unmet-dependency)*"
    )
    assert "GOOD selects" not in markdown


def test_the_selectors_hover_gives_its_own_finding(tmp_path: Path) -> None:
    markdown = hover_with_findings(tmp_path, TREE.replace("config BAD", "config B$0AD"))
    assert "- BAD selects MIGRATION, but MIGRATION depends on MMU" in markdown


def test_the_finding_under_the_cursor_is_not_repeated(tmp_path: Path) -> None:
    """On the `select` line the editor shows the diagnostic itself (VS Code in the same widget)."""
    fixture = TREE.replace('\tbool "Bad"\n\tselect MIGRATION', '\tbool "Bad"\n\tselect MIGR$0ATION')
    markdown = hover_with_findings(tmp_path, fixture)
    assert markdown.startswith("### MIGRATION") and "**Logic**" not in markdown


def test_without_the_findings_the_hover_has_no_logic_section(tmp_path: Path) -> None:
    markdown = hover_with_findings(
        tmp_path, TREE.replace("config MIGRATION", "config MIGRA$0TION"), with_findings=False
    )
    assert "**Logic**" not in markdown


def test_the_blocks_directives_give_its_finding(tmp_path: Path) -> None:
    """On the inner `#endif`, and on a symbol inside the block: why the block is never compiled."""
    endif = hover_with_findings(
        tmp_path / "endif", TREE.replace("int balance(void);\n#endif", "int balance(void);\n#end$0if")
    )
    assert endif.startswith("`#endif` of the block opened at line 2:")
    section = endif.split("**Logic**\n\n", 1)[1]
    assert section == (
        r"- \#ifdef CONFIG\_NUMA\_BALANCING is never compiled on any architecture: it cannot hold inside "
        r"\#ifndef CONFIG\_NUMA (line 1) (NUMA\_BALANCING depends on NUMA) *(KLS207 dead-block)*"
    )
    body = TREE.replace("int balance(void);", "int balance(void) { return IS_ENABLED(CONFIG_MIGR$0ATION); }")
    inside = hover_with_findings(tmp_path / "inside", body)
    assert inside.startswith("### MIGRATION\n\n**Logic**")
    assert "BAD selects MIGRATION" in inside and "is never compiled on any architecture" in inside


def test_the_finding_of_another_block_is_not_shown(tmp_path: Path) -> None:
    fixture = TREE.replace("#endif\n#endif\n", "#endif\n#endif\n#ifdef CONFIG_MIGRATION\n#end$0if\n")
    markdown = hover_with_findings(tmp_path, fixture)
    assert markdown.startswith("`#endif` of the block opened at line 6:") and "**Logic**" not in markdown

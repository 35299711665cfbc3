"""Incremental whole-tree findings equal a full run after any sequence of edits.

The server recomputes only the rules an edit can affect (`checks.incremental`);
this test edits Kconfig and C documents at random through the host and, after
every edit, compares the incremental result with every rule run from scratch
on the same snapshot.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.incremental import ChangedInputs, RuleResults, incremental_findings
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config A
	bool "A"
	select B
	depends on RR_X
	help
	  Some help.
config B
	bool "B"
	depends on C
config P
	bool "P"
	depends on Q
config Q
	bool
	default R
source "sub/Kconfig"
//- /sub/Kconfig
config C
	bool
	default y
config R
	bool "R"
	depends on P
	select B
//- /a.c
#ifdef CONFIG_A
int a; /* the A path */
#endif /* CONFIG_B */
int b = IS_ENABLED(CONFIG_UNDEFINED);
"""

KCONFIG_LINES = [
    "config D",
    '\tbool "D"',
    "\tselect A",
    "\tdepends on UNDEFINED_TOO",
    "\t  more help",
    "",
    "\tsel",
    # Selects of prompted and prompt-less symbols, dependencies that close
    # cycles (KLS006), undefined names with and without a near miss
    # (KLS002), unquoted string defaults and suppression comments.
    "\tselect C",
    "\tselect B if C",
    "\tdepends on A",
    "\tdepends on B",
    "\tdepends on D",
    "\tdepends on P",
    "\tdefault B",
    "\timply A",
    "\tdepends on C_TYPO",
    "\tselect B # kconfig-ls: ignore[select-visible]",
    "\tdepends on UNDEFINED_TOO # kconfig-ls: ignore",
    "\tstring",
    "\tdefault foo",
    "config E",
    "config RR_Y",
    "if A",
    "endif",
]
C_LINES = [
    "#ifdef CONFIG_D",
    "#endif /* CONFIG_A */",
    "int c = IS_ENABLED(CONFIG_C);",
    "// kconfig-ls: ignore",
    "",
]


def _full(snapshot: object) -> list[tuple[str, str, int, str]]:
    from kconfig_ls.analysis.snapshot import Analysis
    from kconfig_ls.checks.framework import CheckContext
    from kconfig_ls.checks.registry import run_checks

    assert isinstance(snapshot, Analysis)
    context = CheckContext(snapshot.model, snapshot.code_index, snapshot.overlay)
    return sorted(
        (f.rule_code, f.location.path, f.location.span.start, f.message)
        for f in run_checks(context, snapshot.rule_settings)
    )


def _flat(results: RuleResults) -> list[tuple[str, str, int, str]]:
    return sorted(
        (f.rule_code, f.location.path, f.location.span.start, f.message)
        for findings in results.by_rule.values()
        for f in findings
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Kconfig", "sub/Kconfig", "a.c"]),
            st.integers(0, 16),
            st.integers(0, 1),
            st.lists(st.sampled_from(KCONFIG_LINES + C_LINES), max_size=2),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_incremental_findings_equal_a_full_run(
    tmp_path_factory: object, edits: list[tuple[str, int, int, list[str]]]
) -> None:
    root: Path = tmp_path_factory.mktemp("tree")  # type: ignore[attr-defined]
    written = write_fixture(root, TREE)
    host = AnalysisHost(AnalysisSettings(str(root), read_project_file=False, code_index_workers=1))
    host.load()
    snapshot = host.snapshot()
    results = incremental_findings(
        None,
        ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset()),
        snapshot.model,
        snapshot.code_index,
        snapshot.rule_settings,
        snapshot.overlay,
    )
    sequence = snapshot.sequence
    texts = {name: path.read_text(encoding="utf-8") for name, path in written.files.items()}
    for name, line, removed, inserted in edits:
        lines = texts[name].split("\n")
        line = min(line, len(lines))
        lines[line : line + removed] = inserted
        texts[name] = "\n".join(lines)
        host.set_document(
            str(written.files[name]), texts[name].encode(), "c" if name.endswith(".c") else "kconfig"
        )
        snapshot = host.snapshot()
        summary = host.changes_between(sequence, snapshot.sequence)
        results = incremental_findings(
            results,
            ChangedInputs(
                summary.everything,
                summary.kconfig_files,
                summary.code_files,
                summary.symbols,
                summary.references,
                summary.names,
            ),
            snapshot.model,
            snapshot.code_index,
            snapshot.rule_settings,
            snapshot.overlay,
        )
        sequence = snapshot.sequence
        assert _flat(results) == _full(snapshot)

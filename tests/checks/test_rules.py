"""Rules on inline fixture trees: one `check_findings(fixture, expected)` helper.

Expected findings are written as `path:line: code: message fragment`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings, settings_from_table
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture


def lint(tmp_path: Path, fixture: str, rules: RuleSettings | None = None, **settings: object) -> list[str]:
    write_fixture(tmp_path, fixture)
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), **settings))  # type: ignore[arg-type]
    workspace.load()
    findings = run_checks(CheckContext(workspace), rules or RuleSettings())
    return sorted(
        f"{workspace.relative(f.location.path)}:{workspace.line_of(f.location) + 1}: "
        f"{f.rule_code} {f.severity.label}: {f.message}"
        for f in findings
    )


def check_findings(tmp_path: Path, fixture: str, expected: list[str], **settings: object) -> None:
    actual = lint(tmp_path, fixture, **settings)  # type: ignore[arg-type]
    missing = [e for e in expected if not any(a.startswith(e) for a in actual)]
    unexpected = [a for a in actual if not any(a.startswith(e) for e in expected)]
    assert (missing, unexpected) == ([], []), f"false negatives: {missing}\nfalse positives: {unexpected}"


def test_select_visible_is_graded(tmp_path: Path) -> None:
    check_findings(
        tmp_path,
        """
        //- /Kconfig
        config VISIBLE
        	bool "Visible"
        	depends on MMU
        config EXPERT_ONLY
        	bool "Expert only" if EXPERT
        config HIDDEN
        	bool
        config EXPERT
        	bool "Expert"
        config MMU
        	def_bool y
        config USER
        	bool "User"
        	select VISIBLE
        	select EXPERT_ONLY
        	select HIDDEN
        config ALREADY
        	bool "Already"
        	depends on VISIBLE
        	select VISIBLE
        """,
        [
            'Kconfig:14: KLS001 warning: USER selects VISIBLE, which has a prompt ("Visible"); '
            "use 'depends on VISIBLE' or 'imply VISIBLE', or make VISIBLE prompt-less",
            'Kconfig:15: KLS001 information: USER selects EXPERT_ONLY, which has a prompt ("Expert only" if EXPERT)',
            "Kconfig:20: KLS001 hint: ALREADY selects VISIBLE",
            # Depending on and selecting the same symbol is also a cycle for the C tools.
            "Kconfig:17: KLS006 error: recursive dependency detected: ALREADY depends on VISIBLE, "
            "VISIBLE is selected by ALREADY",
        ],
    )


def test_undefined_symbol_with_suggestion(tmp_path: Path) -> None:
    check_findings(
        tmp_path,
        """
        config NUMA_MIGRATION
        	bool "NUMA migration"
        config USER
        	bool "User"
        	depends on NUMA_MIGRATOIN || FOO_BAR_BAZ
        """,
        [
            "Kconfig:5: KLS002 warning: undefined symbol NUMA_MIGRATOIN in 'depends on'; did you mean NUMA_MIGRATION?",
            "Kconfig:5: KLS002 warning: undefined symbol FOO_BAR_BAZ in 'depends on'",
        ],
    )


def test_conflicting_types(tmp_path: Path) -> None:
    check_findings(
        tmp_path,
        """
        //- /Kconfig
        config A
        	bool "A"
        	depends on B
        config B
        	bool "B"
        	select C
        config C
        	bool
        	depends on A
        source "other/Kconfig"
        //- /other/Kconfig
        config A
        	tristate
        """,
        ["other/Kconfig:1: KLS003 error: A is defined as tristate here but as bool at Kconfig:1"],
    )


def test_recursive_dependency_names_the_whole_cycle(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        config A
        	bool "A"
        	depends on B
        config B
        	bool "B"
        config C
        	bool
        	select B
        	depends on A
        """,
    )
    assert found == [
        "Kconfig:1: KLS006 error: recursive dependency detected: A depends on B, B is selected by C, C depends on A",
        "Kconfig:8: KLS001 warning: C selects B, which has a prompt (\"B\"); use 'depends on B' or 'imply B', "
        "or make B prompt-less",
    ]


def test_source_problems(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "Kconfig").write_text("config OUT\n\tbool\n")
    check_findings(
        tmp_path / "tree",
        f"""
        //- /Kconfig
        source "missing/Kconfig"
        osource "optional/Kconfig"
        source "loop/Kconfig"
        source "../{outside.name}/Kconfig"
        source "none/*/Kconfig"
        //- /loop/Kconfig
        source "loop/Kconfig"
        """,
        [
            "Kconfig:1: KLS004 error: sourced file 'missing/Kconfig' not found",
            f"Kconfig:4: KLS004 warning: '../{outside.name}/Kconfig' is outside the workspace; not followed",
            "Kconfig:5: KLS004 error: 'source \"none/*/Kconfig\"' matches no file",
            "loop/Kconfig:1: KLS004 error: source cycle: loop/Kconfig -> loop/Kconfig",
        ],
    )


def test_unbalanced_blocks_and_syntax(tmp_path: Path) -> None:
    check_findings(
        tmp_path,
        """
        menu "M"
        config A
        	bool "A"
        	sel B
        endif
        """,
        [
            "Kconfig:1: KLS005 error: 'menu' is never closed (missing 'endmenu')",
            "Kconfig:4: KLS000 error: unknown statement 'sel'; did you mean 'select'?",
            "Kconfig:5: KLS005 error: 'endif' does not match the open 'menu' (expected 'endmenu')",
        ],
    )


def test_bad_files_are_reported_and_the_rest_is_analysed(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(
        tree,
        """
        source "binary/Kconfig"
        source "huge/Kconfig"
        source "latin1/Kconfig"
        config GOOD
        	bool "Good"
        	select HIDDEN_TARGET
        config HIDDEN_TARGET
        	bool "Target"
        """,
    )
    (tree / "binary").mkdir()
    (tree / "binary" / "Kconfig").write_bytes(b"\x7fELF\x00\x00\x01")
    (tree / "huge").mkdir()
    (tree / "huge" / "Kconfig").write_bytes(b"config BIG\n\tbool\n" + b"#" * (10 * 1024 * 1024))
    (tree / "latin1").mkdir()
    (tree / "latin1" / "Kconfig").write_bytes(b'config LATIN\n\tbool "caf\xe9"\n')
    workspace = KconfigModel(workspace_settings(str(tree), ProjectSettings()))
    workspace.load()
    found = sorted(
        (workspace.relative(f.location.path), f.rule_name)
        for f in run_checks(CheckContext(workspace), RuleSettings())
    )
    assert found == [
        ("Kconfig", "select-visible"),
        ("binary/Kconfig", "unreadable-file"),
        ("huge/Kconfig", "unreadable-file"),
        ("latin1/Kconfig", "unreadable-file"),
    ]
    assert "LATIN" in workspace.definitions


def test_macros_expand_and_commands_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    found = lint(
        tmp_path,
        f"""
        ARCHDIR := sub
        $(info,hello from kconfig)
        $(error-if,$(shell,touch {marker} && echo y),boom)
        source "$(ARCHDIR)/Kconfig"
        config PROBE
        	def_bool $(shell,touch {marker} && echo y)
        //- /sub/Kconfig
        config SUB
        	bool "Sub"
        	depends on UNDEFINED_THING
        """,
    )
    assert not marker.exists()
    assert found == [
        "Kconfig:2: KLS007 information: $(info): hello from kconfig",
        "sub/Kconfig:3: KLS002 warning: undefined symbol UNDEFINED_THING in 'depends on'",
    ]


def test_suppression_comments_and_rule_settings(tmp_path: Path) -> None:
    fixture = """
    config T
    	bool "T"
    config U
    	bool "U"
    	select T # kconfig-ls: ignore[select-visible]
    	select T
    	depends on MISSING_ONE # kconfig-ls: ignore
    """
    assert lint(tmp_path, fixture) == [
        'Kconfig:6: KLS001 warning: U selects T, which has a prompt ("T"); '
        "use 'depends on T' or 'imply T', or make T prompt-less"
    ]
    regraded = settings_from_table({"rules": {"select-visible": "error"}}, "test").rules
    assert lint(tmp_path, fixture, regraded)[0].startswith("Kconfig:6: KLS001 error")
    disabled = settings_from_table({"rules": {"KLS001": "off"}}, "test").rules
    assert lint(tmp_path, fixture, disabled) == []


@pytest.mark.parametrize("text", ["config A\n\tbool\n", ""])
def test_incremental_update_matches_a_fresh_load(tmp_path: Path, text: str) -> None:
    write_fixture(
        tmp_path,
        """
        //- /Kconfig
        source "a/Kconfig"
        config B
        	bool "B"
        	select A
        //- /a/Kconfig
        config A
        	bool "A"
        """,
    )
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    workspace.load()
    path = str(tmp_path / "a" / "Kconfig")
    update = workspace.apply_change(path, text.encode())
    assert update.relink == "file"
    workspace = update.model
    fresh_tree = tmp_path / "fresh"
    write_fixture(
        fresh_tree,
        f'//- /Kconfig\nsource "a/Kconfig"\nconfig B\n\tbool "B"\n\tselect A\n//- /a/Kconfig\n{text}',
    )
    fresh = KconfigModel(workspace_settings(str(fresh_tree), ProjectSettings()))
    fresh.load()

    def summary(model: KconfigModel) -> list[str]:
        findings = run_checks(CheckContext(model), RuleSettings())
        return sorted(f"{f.rule_code}:{f.message}" for f in findings)

    assert summary(workspace) == summary(fresh)
    assert sorted(workspace.definitions) == sorted(fresh.definitions)


def test_an_edit_keeps_source_and_macro_problems_at_their_new_lines(tmp_path: Path) -> None:
    write_fixture(
        tmp_path,
        """
        config A
        	bool "A"
        source "missing/Kconfig"
        $(warning-if,y,careful)
        """,
    )
    workspace = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    workspace.load()
    path = str(tmp_path / "Kconfig")

    def problems() -> list[str]:
        findings = run_checks(CheckContext(workspace), RuleSettings())
        return sorted(f"{workspace.line_of(f.location) + 1}: {f.rule_name}" for f in findings)

    assert problems() == ["3: source-problem", "4: macro-message"]
    edited = b'# a new first line\nconfig A\n\tbool "A"\n\thelp\n\t  more text\nsource "missing/Kconfig"\n'
    edited += b"$(warning-if,y,careful)\n"
    update = workspace.apply_change(path, edited)
    assert update.relink == "file"  # swapped, not relinked
    workspace = update.model
    assert problems() == ["6: source-problem", "7: macro-message"]

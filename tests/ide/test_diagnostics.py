"""Diagnostics in two tiers, and code actions."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.syntax.kconfig import Span
from tests.ide.support import analysis, check_diagnostics


def test_syntax_tier_reports_only_parse_problems(tmp_path: Path) -> None:
    check_diagnostics(
        tmp_path,
        """
        config A
        	bool "A"
        	sel B
        	^^^^^ KLS000 error: unknown statement 'sel'; did you mean 'select'?
        	depends on UNDEFINED
        """,
        tier="syntax",
    )


def test_full_tier_adds_the_tree_rules(tmp_path: Path) -> None:
    check_diagnostics(
        tmp_path,
        """
        config A
        	bool "A"
        	select B
        	^^^^^^^^ KLS001 warning: A selects B, which has a prompt
        	depends on UNDEFINED
        	           ^^^^^^^^^ KLS002 warning: undefined symbol UNDEFINED
        config B
        	bool "B"
        if
        ^^ KLS000 error: expected an expression after 'if'
        ^^ KLS005 error: 'if' is never closed
        """,
    )


def test_rule_settings_regrade_and_silence(tmp_path: Path) -> None:
    check_diagnostics(
        tmp_path,
        """
        config A
        	bool "A"
        	select B
        	^^^^^^^^ KLS001 error: A selects B
        	depends on UNDEFINED
        config B
        	bool "B"
        """,
        rule_severities={"select-visible": "error", "KLS002": "off"},
    )


def test_suppression_comment(tmp_path: Path) -> None:
    check_diagnostics(
        tmp_path,
        """
        config A
        	bool "A"
        	select B  # kconfig-ls: ignore[select-visible]
        config B
        	bool "B"
        """,
    )


def test_bad_rule_settings_are_reported_not_fatal(tmp_path: Path) -> None:
    host, _ = analysis(
        tmp_path, "config A\n\tbool\n", rule_severities={"KLS001": "loud", "no-such-rule": "off"}
    )
    assert host.settings_problems == [
        "rule 'KLS001': 'loud' is not error, warning, information, hint or off",
        "unknown rule 'no-such-rule' in the rule settings",
    ]


def test_code_action_suppresses_a_finding(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, 'config A\n\tbool "A"\n\tselect B$0\nconfig B\n\tbool "B"\n')
    path = str(written.files["Kconfig"])
    host.diagnostics_for(path)  # computes the whole-tree findings the actions come from
    assert written.cursor_offset is not None
    actions = host.code_actions(path, Span(written.cursor_offset, written.cursor_offset))
    assert [action.title for action in actions] == ["Ignore select-visible on this line"]
    (edit,) = actions[0].edits
    data = host.document_text(path)
    patched = data[: edit.location.span.start] + edit.new_text.encode() + data[edit.location.span.end :]
    host.set_document(path, patched)
    assert [f.rule_code for f in host.diagnostics_for(path)] == []


def test_editing_entries_keeps_source_and_macro_findings(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, '$(info,hello)\nsource "missing/Kconfig"\nconfig A\n\tbool "A"\n')
    path = str(written.files["Kconfig"])
    before = sorted((f.rule_code, f.message) for f in host.diagnostics_for(path))
    assert before == [("KLS004", "sourced file 'missing/Kconfig' not found"), ("KLS007", "$(info): hello")]
    edited = b"# a new first line\n" + host.document_text(path).replace(b'bool "A"', b'bool "A2"')
    host.set_document(path, edited)
    findings = host.diagnostics_for(path)
    assert sorted((f.rule_code, f.message) for f in findings) == before
    source_finding = next(f for f in findings if f.rule_code == "KLS004")
    assert (
        edited[source_finding.location.span.start : source_finding.location.span.end] == b'"missing/Kconfig"'
    )


def test_shell_macros_run_only_when_the_editor_trusts_the_workspace(tmp_path: Path) -> None:
    marker = tmp_path / "shell-ran"
    fixture = f"""
    //- /.kconfig-ls.toml
    trust-commands = true
    //- /Kconfig
    config PROBE
    	def_bool $(shell,touch {marker} && echo y)
    """
    analysis(tmp_path, fixture)  # the project file alone must not enable commands
    assert not marker.exists()
    analysis(tmp_path, fixture, trust_commands=True)
    assert marker.exists()

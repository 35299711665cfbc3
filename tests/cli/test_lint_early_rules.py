"""The lint's Kconfig rules run while the code index is built; the report is the same as without.

`EarlyKconfigChecks` runs the rules whose findings never depend on the code
(`Rule.scope == "kconfig"`) in the wait for the index's workers, and the
others after it. These tests compare the whole report (text and JSON, with
the fingerprints) with the one `Analysis.full_findings` gives when nothing
runs early, on a tree with findings of both kinds in the same files, and check
that a failure of the early run falls back to running every rule after the index.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from kconfig_ls.checks.framework import Rule
from kconfig_ls.checks.registry import ALL_RULES
from kconfig_ls.cli import early_rules, result_cache
from kconfig_ls.cli import lint as lint_module
from kconfig_ls.cli.main import build_parser
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config A
	bool "a"
config B
	bool
	select A
	depends on UNDEFINED_IN_KCONFIG
config C
	tristate "c"
	default y if NOT_DEFINED
//- /Makefile
obj-$(CONFIG_A) += a.o
obj-$(CONFIG_MISSING_IN_MAKE) += m.o
//- /a.c
#ifdef CONFIG_A
int a = IS_ENABLED(CONFIG_NOWHERE);  /* kconfig-ls: ignore[undefined-symbol-in-code] */
int b = IS_ENABLED(CONFIG_NOWHERE_ELSE);
#endif /* CONFIG_B */
"""


def _lint(tree: Path, cache: Path, *extra: str) -> tuple[int, str]:
    arguments = build_parser().parse_args(
        ["lint", str(tree), "--no-logic", "--cache-dir", str(cache), "--fail-on", "never", *extra]
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    code = lint_module.run_lint(arguments, stdout, stderr)
    output = stdout.getvalue()
    if output.startswith("{"):  # JSON and SARIF: all of it but the phases' durations
        document = json.loads(output)
        document.get("summary", {}).pop("seconds", None)
        for run in document.get("runs", ()):
            run.get("properties", {}).get("summary", {}).pop("seconds", None)
        output = json.dumps(document, indent=1)
    return code, output


@pytest.mark.parametrize("report_format", ["text", "json", "sarif"])
def test_the_report_is_the_one_without_early_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report_format: str
) -> None:
    write_fixture(tmp_path / "tree", TREE)
    early = _lint(tmp_path / "tree", tmp_path / "cache-1", "--format", report_format)
    # Findings of Kconfig rules and of code rules, in Kconfig files and in code files.
    for expected in ("KLS001", "KLS002", "KLS101"):
        assert expected in early[1]
    assert "CONFIG_NOWHERE " not in early[1] and "CONFIG_NOWHERE_ELSE" in early[1]  # suppression kept
    monkeypatch.setattr(early_rules.EarlyKconfigChecks, "run", lambda self, snapshot: None)
    assert _lint(tmp_path / "tree", tmp_path / "cache-2", "--format", report_format) == early


def test_only_rules_independent_of_the_code_and_the_logic_run_early() -> None:
    def codes(rules: list[Rule]) -> set[str]:
        return {rule.code for rule in rules}

    without_logic = codes(early_rules.EarlyKconfigChecks.chosen(ALL_RULES, logic=False))
    with_logic = codes(early_rules.EarlyKconfigChecks.chosen(ALL_RULES, logic=True))
    assert {"KLS001", "KLS002"} <= without_logic
    assert "KLS001" not in with_logic  # graded by the logic layer, which forks: after the index
    by_code = {rule.code: rule for rule in ALL_RULES}
    assert all(by_code[code].scope == "kconfig" and by_code[code].tier != "solver" for code in without_logic)
    assert not {"KLS101", "KLS102", "KLS103"} & without_logic


def test_a_failure_of_the_early_run_falls_back_to_every_rule_after_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    write_fixture(tmp_path / "tree", TREE)
    expected = _lint(tmp_path / "tree", tmp_path / "cache-1")
    calls: list[int] = []
    original = early_rules.run_checks

    def failing_first(*arguments: object, **keywords: object) -> object:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("planted failure")
        return original(*arguments, **keywords)  # type: ignore[arg-type]

    monkeypatch.setattr(early_rules, "run_checks", failing_first)
    with caplog.at_level(logging.ERROR, logger="kconfig_ls.cli.early_rules"):
        assert _lint(tmp_path / "tree", tmp_path / "cache-2") == expected
    assert calls == [0]  # the early run only: then `full_findings`, not the late rules
    assert "the Kconfig rules failed before the code index was built" in caplog.text


def test_the_results_cache_is_the_same_file_with_its_early_rows_encoded_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_fixture(tmp_path / "tree", TREE)
    prepared: list[int] = []
    original = result_cache.LintResultCache.prepare_findings

    def counting(self: result_cache.LintResultCache, findings: object) -> None:
        rows = list(findings)  # type: ignore[call-overload]
        prepared.append(len(rows))
        original(self, rows)

    monkeypatch.setattr(result_cache.LintResultCache, "prepare_findings", counting)
    report = _lint(tmp_path / "tree", tmp_path / "cache-1", "--format", "json")
    assert prepared and prepared[0] > 0  # the Kconfig rules' rows were encoded before `store`
    monkeypatch.setattr(result_cache.LintResultCache, "prepare_findings", lambda self, findings: None)
    assert _lint(tmp_path / "tree", tmp_path / "cache-2", "--format", "json") == report
    (early_file,) = (tmp_path / "cache-1").glob("lint-*.json")
    (late_file,) = (tmp_path / "cache-2").glob("lint-*.json")
    early_bytes, late_bytes = early_file.read_bytes(), late_file.read_bytes()
    early_document, late_document = json.loads(early_bytes), json.loads(late_bytes)
    assert early_document["reported"] and early_document["findings"]
    for document in (early_document, late_document):
        document["summary"].pop("seconds")  # the phases' durations
    assert early_document == late_document
    # The rows byte for byte (all after the summary, whose durations differ).
    rows = b', "findings": ['
    assert early_bytes[early_bytes.index(rows) :] == late_bytes[late_bytes.index(rows) :]
    # And the stored records answer the next lint of the unchanged tree with the same report.
    cached = json.loads(_lint(tmp_path / "tree", tmp_path / "cache-1", "--format", "json")[1])
    assert cached["summary"].get("cached") and cached["findings"] == json.loads(report[1])["findings"]

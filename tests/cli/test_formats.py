"""The CI formats: SARIF fingerprints, JUnit XML structure, GitHub annotations."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from kconfig_ls.checks.framework import Finding, RuleSettings, Severity
from kconfig_ls.checks.registry import ALL_RULES
from kconfig_ls.cli.fingerprint import FindingIdentity
from kconfig_ls.cli.junit import format_junit
from kconfig_ls.cli.lint import run_lint
from kconfig_ls.cli.main import build_parser
from kconfig_ls.cli.output import Place, ReportedFinding, format_github, report_findings
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

TREE = """\
config A
\tbool "A"
\tdepends on MISSING_ONE

config B
\tbool "B"
\tdepends on MISSING_TWO
"""


def lint(*argv: str) -> tuple[int, str, str]:
    arguments = build_parser().parse_args(["lint", "--no-cache", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_lint(arguments, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def sarif_fingerprints(root: Path) -> dict[str, tuple[str, int]]:
    document = json.loads(lint(str(root), "--format", "sarif")[1])
    return {
        result["message"]["text"].split()[2]: (
            result["partialFingerprints"]["kconfigLsContent/v1"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for result in document["runs"][0]["results"]
    }


def test_sarif_partial_fingerprints_survive_a_line_shift(tmp_path: Path) -> None:
    (tmp_path / "Kconfig").write_text(TREE)
    before = sarif_fingerprints(tmp_path)
    (tmp_path / "Kconfig").write_text("# one\n# two\n# three\n\n" + TREE)
    after = sarif_fingerprints(tmp_path)
    assert {name: line for name, (_, line) in after.items()} == {"MISSING_ONE": 7, "MISSING_TWO": 11}
    assert {name: fingerprint for name, (fingerprint, _) in after.items()} == {
        name: fingerprint for name, (fingerprint, _) in before.items()
    }
    assert before["MISSING_ONE"][0] != before["MISSING_TWO"][0]


def test_sarif_fingerprint_changes_when_the_finding_changes(tmp_path: Path) -> None:
    (tmp_path / "Kconfig").write_text(TREE)
    before = sarif_fingerprints(tmp_path)
    (tmp_path / "Kconfig").write_text(TREE.replace('bool "A"', 'tristate "A"'))
    assert sarif_fingerprints(tmp_path)["MISSING_ONE"] != before["MISSING_ONE"]


def test_sarif_of_a_baseline_run_marks_new_results(tmp_path: Path) -> None:
    (tmp_path / "Kconfig").write_text(TREE)
    baseline = tmp_path / "accepted.json"
    lint(str(tmp_path), "--write-baseline", str(baseline))
    (tmp_path / "Kconfig").write_text(TREE + "\nconfig C\n\tdepends on MISSING_THREE\n")
    _, output, _ = lint(str(tmp_path), "--baseline", str(baseline), "--format", "sarif")
    run = json.loads(output)["runs"][0]
    assert [(r["message"]["text"].split()[2], r["baselineState"]) for r in run["results"]] == [
        ("MISSING_THREE", "new")
    ]
    assert run["properties"]["kconfigLsComparison"]["unchanged"] == 2
    sarif_pydantic = pytest.importorskip("sarif_pydantic", reason="a dev dependency: pip install -e '.[dev]'")
    sarif_pydantic.Sarif.model_validate(json.loads(output))


# -- JUnit -------------------------------------------------------------------------------------
#
# Structural checks from the Ant JUnit format (the JUnitReport task's XMLJUnitResultFormatter)
# as Jenkins reads it: <testsuites> of <testsuite>s with the required counters, each with
# <properties>? <testcase>* <system-out>? <system-err>?; a test case has a name, a classname and a
# time, and at most one <failure>/<error>/<skipped>, then optional outputs.

SUITE_REQUIRED = {"name", "tests", "failures", "errors", "time", "timestamp", "hostname"}
SUITE_ALLOWED = SUITE_REQUIRED | {"id", "package", "skipped", "disabled"}
CASE_REQUIRED = {"name", "classname", "time"}
CASE_ALLOWED = CASE_REQUIRED | {"assertions", "status"}
SUITE_CHILDREN = ["properties", "testcase", "system-out", "system-err"]
CASE_CHILDREN = ["skipped", "error", "failure", "system-out", "system-err"]


def _in_order(tags: list[str], order: list[str]) -> bool:
    positions = [order.index(tag) for tag in tags]
    return positions == sorted(positions)


def check_junit_structure(text: str) -> ElementTree.Element:
    root = ElementTree.fromstring(text.encode())
    assert root.tag == "testsuites"
    total = failures = 0
    for suite in root:
        assert suite.tag == "testsuite"
        assert SUITE_REQUIRED <= set(suite.attrib) <= SUITE_ALLOWED, suite.attrib
        tags = [child.tag for child in suite]
        assert set(tags) <= set(SUITE_CHILDREN) and _in_order(tags, SUITE_CHILDREN)
        assert tags.count("properties") <= 1 and tags.count("system-out") <= 1
        cases = suite.findall("testcase")
        assert int(suite.attrib["tests"]) == len(cases) > 0
        suite_failures = 0
        for case in cases:
            assert CASE_REQUIRED <= set(case.attrib) <= CASE_ALLOWED, case.attrib
            case_tags = [child.tag for child in case]
            assert set(case_tags) <= set(CASE_CHILDREN) and _in_order(case_tags, CASE_CHILDREN)
            outcomes = [tag for tag in case_tags if tag in ("skipped", "error", "failure")]
            assert len(outcomes) <= 1
            for failure in case.findall("failure"):
                assert set(failure.attrib) <= {"message", "type"} and failure.attrib["message"]
            suite_failures += len(case.findall("failure"))
            float(case.attrib["time"])
        assert int(suite.attrib["failures"]) == suite_failures
        assert int(suite.attrib["errors"]) == 0
        float(suite.attrib["time"])
        total += len(cases)
        failures += suite_failures
    assert int(root.attrib["tests"]) == total and int(root.attrib["failures"]) == failures
    return root


def test_junit_report_has_the_ant_junit_structure(tmp_path: Path) -> None:
    (tmp_path / "Kconfig").write_text(TREE)
    code, output, _ = lint(str(tmp_path), "--format", "junit")
    assert code == 1
    root = check_junit_structure(output)
    failures = root.findall("./testsuite/testcase/failure")
    assert [f.attrib["type"] for f in failures] == ["warning", "warning"]
    assert "Kconfig:3:13: warning: undefined symbol MISSING_ONE" in (failures[0].text or "")
    # Every rule that ran has a suite; a rule without findings has one passing test case.
    # One suite per enabled rule: the preview rules are off by default.
    assert len(root.findall("testsuite")) == len([rule for rule in ALL_RULES if RuleSettings().enabled(rule)])


def test_junit_structural_check_can_fail() -> None:
    text = '<testsuites tests="1" failures="0"><testsuite name="x" tests="2"/></testsuites>'
    try:
        check_junit_structure(text)
    except AssertionError:
        return
    raise AssertionError("the structural check accepted a suite without its counters")


def _reported(
    message: str, path: str = "drivers/a,b:c.c", severity: Severity = Severity.WARNING
) -> ReportedFinding:
    place = Place(path, 3, 5, 3, 9, 20, 24)
    identity = FindingIdentity("KLS101", path, "CONFIG_X", message, "0", "0")
    return ReportedFinding("KLS101", "undefined-symbol-in-code", severity, message, place, identity, "f:1")


def test_junit_escapes_markup_and_control_characters() -> None:
    text = format_junit([_reported('a <b> & "c"\x01 \n next')], ALL_RULES, Severity.WARNING)
    root = check_junit_structure(text)
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None and failure.attrib["message"] == 'a <b> & "c" \n next'


def test_findings_below_fail_on_are_passing_cases_with_output() -> None:
    root = check_junit_structure(
        format_junit([_reported("quiet", severity=Severity.HINT)], ALL_RULES, Severity.WARNING)
    )
    case = root.find("./testsuite/testcase/system-out/..")
    assert case is not None and case.find("failure") is None


def test_github_annotations_escape_properties_and_data() -> None:
    text = format_github([_reported("100% sure:\nsecond line, really")])
    assert text == (
        "::warning file=drivers/a%2Cb%3Ac.c,line=3,col=5,endLine=3,endColumn=9,"
        "title=KLS101 undefined-symbol-in-code::100%25 sure:%0Asecond line, really\n"
    )


def test_github_format_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "Kconfig").write_text(TREE)
    code, output, _ = lint(str(tmp_path), "--format", "github")
    assert code == 1
    assert output.splitlines()[0].startswith("::warning file=Kconfig,line=3,col=13,")
    assert "title=KLS" in output and "::undefined symbol MISSING_ONE" in output


def test_positions_count_code_points_and_relative_paths_are_cached(tmp_path: Path) -> None:
    data = "# é€😀\nconfig A\n".encode()
    calls: list[str] = []

    def relative(path: str) -> str:
        calls.append(path)
        return "Kconfig"

    start = data.index(b"config")
    findings = [
        Finding("KLS000", "x", Severity.WARNING, "m", Location("/p/Kconfig", Span(start, start + 6))),
        Finding("KLS000", "x", Severity.WARNING, "m", Location("/p/Kconfig", Span(4, 7))),
    ]
    reported = report_findings(findings, lambda path: data, relative, "/p")
    assert (reported[0].place.line, reported[0].place.column, reported[0].place.end_column) == (2, 1, 7)
    assert (reported[1].place.line, reported[1].place.column, reported[1].place.end_column) == (1, 4, 5)
    assert calls == ["/p/Kconfig"]
    assert reported[0].fingerprint != reported[1].fingerprint

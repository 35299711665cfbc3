"""Every lint format's exact bytes on a small fixture, pinned by golden files.

The formats are written for speed (`bench/bench_output.py`); this test makes
sure an optimisation never changes a byte of what CI systems parse. The
fixture covers what the fast paths special-case: non-ASCII columns, a span
over two lines, an empty span, related locations shared between findings,
quick fixes, two identical findings (fingerprint ordinals), characters that
need escaping in each format, every severity, a finding at the end of a file
without a final newline, and a `--diff` comparison with a resolved finding.

The golden files are in `tests/cli/golden/`; run with `UPDATE_GOLDEN=1` to
rewrite them, and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kconfig_ls import __version__
from kconfig_ls.checks.framework import Finding, Fix, RelatedLocation, Rule, RuleSettings, Severity, TextEdit
from kconfig_ls.cli import report
from kconfig_ls.cli.output import Comparison, report_findings
from kconfig_ls.cli.report import FORMATS, render
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

GOLDEN = Path(__file__).resolve().parent / "golden"
ROOT = "/project"
C_FILE = f"{ROOT}/drivers/café.c"
TEXTS = {
    f"{ROOT}/mm/Kconfig": b'config MIGRATION\n\tbool "Page migration \xc3\xa9t\xc3\xa9"\n\tselect N\xc3\xbcMA\n'
    b"\tdepends on MMU\n",
    C_FILE: "/* 😀 */ #ifdef CONFIG_FOO\nint a;\n"
    "#endif /* CONFIG_BAR */\n#if defined(CONFIG_FOO) && CONFIG_X\n#endif".encode(),
    f"{ROOT}/Makefile": b"obj-$(CONFIG_FOO) += foo.o\nobj-$(CONFIG_FOO) += foo.o\n",
}


def at(path: str, needle: bytes, length: int | None = None, occurrence: int = 0) -> Location:
    data = TEXTS[path]
    start = -1
    for _ in range(occurrence + 1):
        start = data.index(needle, start + 1)
    return Location(path, Span(start, start + (len(needle) if length is None else length)))


def findings() -> list[Finding]:
    kconfig, makefile = f"{ROOT}/mm/Kconfig", f"{ROOT}/Makefile"
    prompt = RelatedLocation('prompt of MIGRATION: "Page migration été"', at(kconfig, b'"Page'))
    return [
        Finding(
            "KLS001",
            "undefined-symbol",
            Severity.ERROR,
            'NüMA is not defined; did you mean NUMA? <check> & "fix" 100%',
            at(kconfig, "NüMA".encode()),
            (prompt,),
            (Fix("rename to NUMA", (TextEdit(at(kconfig, "NüMA".encode()), "NUMA"),)),),
            symbol="NüMA",
        ),
        Finding(
            "KLS004",
            "select-visible",
            Severity.WARNING,
            "MIGRATION is visible: select of a visible symbol, see line 2 and Kconfig:3",
            at(kconfig, b"select", len(b"select N\xc3\xbcMA\n\tdepends")),
            (prompt, RelatedLocation("depends on here", at(kconfig, b"MMU"))),
            symbol="MIGRATION",
        ),
        Finding(
            "KLS102",
            "endif-comment-mismatch",
            Severity.INFORMATION,
            "the #endif comment names BAR,\nbut the block tests FOO: write /* CONFIG_FOO */",
            at(C_FILE, b"CONFIG_BAR"),
            (RelatedLocation("opened at line 1", at(C_FILE, b"CONFIG_FOO")),),
            (Fix("write CONFIG_FOO", (TextEdit(at(C_FILE, b"CONFIG_BAR"), "CONFIG_FOO"),)),),
            symbol="BAR",
        ),
        Finding(
            "KLS101", "undefined-symbol-in-code", Severity.HINT, "empty span\tX", at(C_FILE, b"CONFIG_X", 0)
        ),
        Finding(
            "KLS101",
            "undefined-symbol-in-code",
            Severity.WARNING,
            "at the end: \x01",
            at(C_FILE, b"#endif", occurrence=1),
        ),
        Finding(
            "KLS101",
            "undefined-symbol-in-code",
            Severity.WARNING,
            "twice, the same",
            at(makefile, b"CONFIG_FOO"),
        ),
        Finding(
            "KLS101",
            "undefined-symbol-in-code",
            Severity.WARNING,
            "twice, the same",
            at(makefile, b"CONFIG_FOO", occurrence=1),
        ),
        Finding(
            "KLS999",
            "not-a-registered-rule",
            Severity.WARNING,
            "a rule the registry does not know",
            at(makefile, b"obj"),
        ),
    ]


# Rules of our own, so that the pinned SARIF and JUnit do not change when the registry does.
RULES = (
    Rule(
        "KLS001",
        "undefined-symbol",
        "names an undefined symbol",
        Severity.WARNING,
        lambda _: (),
        "KLS001 x.\n\nMore.",
    ),
    Rule(
        "KLS004", "select-visible", "selects a <visible> symbol", Severity.WARNING, lambda _: (), "KLS004 y."
    ),
    Rule("KLS102", "endif-comment-mismatch", "a lying comment", Severity.INFORMATION, lambda _: (), ""),
    Rule("KLS101", "undefined-symbol-in-code", 'code names "nothing"', Severity.ERROR, lambda _: (), "z"),
    Rule("KLS200", "quiet-rule", "never fires", Severity.HINT, lambda _: (), "q"),
)


def rendered(output_format: str, comparison: bool) -> str:
    reported = report_findings(findings(), TEXTS.__getitem__, lambda path: os.path.relpath(path, ROOT), ROOT)
    compared = None
    summary = {"project": ROOT, "files": len(TEXTS), "findings": len(reported)}
    if comparison:
        compared = Comparison("diff", "HEAD~1", "working tree", (reported[0],), unchanged=3)
        reported = [replace(reported[2], state="new"), replace(reported[3], state="new")]
    text = render(output_format, reported, summary, compared, ROOT, RuleSettings(), Severity.WARNING)
    # The only bytes that depend on where and when the test runs.
    text = re.sub(r'timestamp="[^"]*" hostname="[^"]*"', 'timestamp="T" hostname="H"', text)
    return text.replace(__version__, "VERSION")


@pytest.mark.parametrize("comparison", [False, True], ids=["plain", "diff"])
@pytest.mark.parametrize("output_format", FORMATS)
def test_each_format_writes_exactly_the_pinned_bytes(
    output_format: str, comparison: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "ALL_RULES", RULES)
    golden = GOLDEN / f"report-{'diff' if comparison else 'plain'}.{output_format}"
    text = rendered(output_format, comparison)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def test_json_findings_are_what_json_dumps_writes_for_to_json() -> None:
    # The template must agree with the reference encoding for any text, not only the fixture's.
    reported = report_findings(findings(), TEXTS.__getitem__, lambda path: os.path.relpath(path, ROOT), ROOT)
    odd = replace(
        reported[0], message='\\ "quoted" \u2028 \U0001f600 \x7f \ud800', rule_name="r\u00e9gle", state="new"
    )
    document = json.loads(render("json", [*reported, odd], {}, None, ROOT))
    lines = render("json", [*reported, odd], {}, None, ROOT).splitlines()
    expected = ["    " + json.dumps(finding.to_json()) for finding in [*reported, odd]]
    assert [line.rstrip(",") for line in lines if line.startswith("    {")] == expected
    assert len(document["findings"]) == len(reported) + 1

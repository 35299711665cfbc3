"""JUnit XML for CI systems that show test reports (Jenkins, GitLab, Zephyr's CI).

The layout is the common Ant/Jenkins one: `<testsuites>` holding one
`<testsuite>` per rule that ran, each with one `<testcase>` per finding (a
`<failure>` whose `type` is the severity) or, for a rule without findings,
one passing `<testcase>`. The Ant schema allows one `<failure>` per test
case, hence a test case per finding rather than per rule. Findings below the
`--fail-on` level are reported as passing test cases with the message in
`<system-out>`, so a report does not fail a build the exit code passes.
"""

from __future__ import annotations

import re
import socket
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Final

from kconfig_ls.checks.framework import Rule, Severity
from kconfig_ls.cli.output import ReportedFinding

__all__ = ["format_junit"]

_INVALID_XML = {code: None for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)}
# Texts without these characters are written as they are (most messages): one regular
# expression search instead of a translation and six replacements per text.
_NEEDS_TEXT_ESCAPE: Final = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_NEEDS_ATTRIBUTE_ESCAPE: Final = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f]')


def _text(text: str) -> str:
    if _NEEDS_TEXT_ESCAPE.search(text) is None:
        return text
    # Imported here: `xml.sax.saxutils` imports `urllib.request` (http, email, ssl), a
    # twentieth of the start-up of every `lint`, most of which never write JUnit.
    from xml.sax.saxutils import escape

    return escape(text.translate(_INVALID_XML))


def _attribute(text: str) -> str:
    if _NEEDS_ATTRIBUTE_ESCAPE.search(text) is None:
        return f'"{text}"'
    from xml.sax.saxutils import quoteattr

    return quoteattr(text.translate(_INVALID_XML), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def format_junit(findings: Sequence[ReportedFinding], rules: Sequence[Rule], fail_on: Severity | None) -> str:
    by_rule: dict[str, list[ReportedFinding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule_code].append(finding)
    names = {rule.code: rule.name for rule in rules}
    for code in by_rule:
        names.setdefault(code, by_rule[code][0].rule_name)
    timestamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    hostname = _attribute(socket.gethostname() or "localhost")
    suites = []
    total_tests = total_failures = 0
    for number, (code, name) in enumerate(names.items()):
        cases = []
        failures = 0
        classname = _attribute(f"kconfig-ls.{code}")
        for finding in by_rule.get(code, ()):
            place = finding.place
            where = f"{place.path}:{place.line}:{place.column}"
            case_name = _attribute(f"{where} {finding.identity.symbol}".rstrip())
            attributes = f'classname={classname} name={case_name} time="0"'
            body = f"{where}: {finding.severity.label}: {finding.message} [{code}]"
            if fail_on is not None and finding.severity >= fail_on:
                failures += 1
                cases.append(
                    f"    <testcase {attributes}>\n"
                    f"      <failure message={_attribute(finding.message)} "
                    f"type={_attribute(finding.severity.label)}>{_text(body)}</failure>\n"
                    "    </testcase>\n"
                )
            else:
                cases.append(
                    f"    <testcase {attributes}>\n"
                    f"      <system-out>{_text(body)}</system-out>\n"
                    "    </testcase>\n"
                )
        if not cases:
            cases.append(f'    <testcase classname={classname} name={_attribute(name)} time="0"/>\n')
        total_tests += len(cases)
        total_failures += failures
        suites.append(
            f'  <testsuite id="{number}" name={_attribute(f"{code} {name}")} package="kconfig-ls" '
            f'timestamp="{timestamp}" hostname={hostname} tests="{len(cases)}" failures="{failures}" '
            f'errors="0" time="0">\n'
            "    <properties/>\n" + "".join(cases) + "    <system-out/>\n    <system-err/>\n  </testsuite>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="kconfig-ls" tests="{total_tests}" failures="{total_failures}" errors="0" '
        'time="0">\n' + "".join(suites) + "</testsuites>\n"
    )

"""Finding formats for the lint CLI: text, JSON and SARIF 2.1.0.

Text follows compilers (`path:line:col: severity: message [code]`, 1-based
line and column in code points) so that editors' and CI's problem matchers
pick it up. SARIF is what code-scanning services ingest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kconfig_ls import __version__
from kconfig_ls.checks.framework import Finding, Rule, Severity
from kconfig_ls.semantics.model import Location
from kconfig_ls.text.line_index import LineIndex

__all__ = ["Positioner", "format_json", "format_sarif", "format_text"]

RULES_DOCUMENTATION = "https://github.com/kconfig-ls/kconfig-ls/blob/main/docs/rules.md"


class Positioner:
    """Turns engine locations into 1-based (line, column) for people."""

    def __init__(self, read_text: Callable[[str], bytes], relative: Callable[[str], str]) -> None:
        self._read_text = read_text
        self._relative = relative
        self._indexes: dict[str, LineIndex] = {}

    def start_end(self, location: Location) -> tuple[int, int, int, int]:
        index = self._indexes.get(location.path)
        if index is None:
            index = self._indexes[location.path] = LineIndex(self._read_text(location.path))
        start_line, start_column = index.position(location.span.start, "utf-32")
        end_line, end_column = index.position(location.span.end, "utf-32")
        return start_line + 1, start_column + 1, end_line + 1, end_column + 1

    def path(self, location: Location) -> str:
        return self._relative(location.path)


def format_text(findings: Sequence[Finding], positioner: Positioner) -> str:
    lines = []
    for finding in findings:
        line, column, _, _ = positioner.start_end(finding.location)
        lines.append(
            f"{positioner.path(finding.location)}:{line}:{column}: {finding.severity.label}: "
            f"{finding.message} [{finding.rule_code}]"
        )
        for related in finding.related:
            related_line, related_column, _, _ = positioner.start_end(related.location)
            where = f"{positioner.path(related.location)}:{related_line}:{related_column}"
            lines.append(f"    {where}: note: {related.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def _location_json(location: Location, positioner: Positioner) -> dict[str, Any]:
    line, column, end_line, end_column = positioner.start_end(location)
    return {
        "path": positioner.path(location),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "start_byte": location.span.start,
        "end_byte": location.span.end,
    }


def format_json(findings: Sequence[Finding], positioner: Positioner, summary: dict[str, Any]) -> str:
    document = {
        "version": __version__,
        "summary": summary,
        "findings": [
            {
                "code": finding.rule_code,
                "rule": finding.rule_name,
                "severity": finding.severity.label,
                "message": finding.message,
                **_location_json(finding.location, positioner),
                "related": [
                    {"message": related.message, **_location_json(related.location, positioner)}
                    for related in finding.related
                ],
                "fixes": [
                    {
                        "title": fix.title,
                        "edits": [
                            {"new_text": edit.new_text, **_location_json(edit.location, positioner)}
                            for edit in fix.edits
                        ],
                    }
                    for fix in finding.fixes
                ],
            }
            for finding in findings
        ],
    }
    return json.dumps(document, indent=2) + "\n"


_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def format_sarif(
    findings: Sequence[Finding], positioner: Positioner, rules: Sequence[Rule], project_root: str
) -> str:
    def physical(location: Location) -> dict[str, Any]:
        line, column, end_line, end_column = positioner.start_end(location)
        return {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": positioner.path(location).replace("\\", "/"),
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {
                    "startLine": line,
                    "startColumn": column,
                    "endLine": end_line,
                    "endColumn": max(end_column, column + 1) if end_line == line else end_column,
                },
            }
        }

    rule_index = {rule.code: position for position, rule in enumerate(rules)}
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule_code,
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [physical(finding.location)],
        }
        if finding.rule_code in rule_index:
            result["ruleIndex"] = rule_index[finding.rule_code]
        if finding.related:
            result["relatedLocations"] = [
                {"id": number, "message": {"text": related.message}, **physical(related.location)}
                for number, related in enumerate(finding.related)
            ]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kconfig-ls",
                        "version": __version__,
                        "informationUri": "https://github.com/kconfig-ls/kconfig-ls",
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.documentation.strip().split("\n\n")[0]},
                                "helpUri": f"{RULES_DOCUMENTATION}#{rule.name}",
                                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.default_severity]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(project_root).resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"

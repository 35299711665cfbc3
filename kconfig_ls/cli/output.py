"""Finding formats for the lint CLI: text, JSON, SARIF 2.1.0, GitHub annotations (JUnit: junit.py).

Findings are first turned into `ReportedFinding`s: plain data with 1-based
lines and columns (code points), project-relative paths and a content
fingerprint (`kconfig_ls.cli.fingerprint`). Every format is a pure function
of those, so `--diff` can report findings of a revision that is no longer
checked out, and the formats stay cheap: 15,000 findings are written in a
small fraction of a second (`bench/bench_output.py`). The costs that matter
are per file, not per finding (a relative path, a line index), so they are
computed once per file.

Text follows compilers (`path:line:col: severity: message [code]`) so that
editors' and CI's problem matchers pick it up. SARIF is what code-scanning
services ingest; its `partialFingerprints` carry the content fingerprint so a
finding keeps its identity when lines above it move.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kconfig_ls import __version__
from kconfig_ls.checks.framework import Finding, Rule, Severity
from kconfig_ls.cli.fingerprint import FindingIdentity, IdentityMaker, LineLocator, fingerprints_with_ordinals
from kconfig_ls.semantics.model import Location

__all__ = [
    "Comparison",
    "Place",
    "ReportedFinding",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "report_findings",
]

RULES_DOCUMENTATION = "https://github.com/kconfig-ls/kconfig-ls/blob/main/docs/rules.md"
FINGERPRINT_KEY = "kconfigLsContent/v1"


class Place(NamedTuple):
    """A span for people: project-relative path, 1-based lines and code-point columns.

    A named tuple, like `Location`: a report makes two or three per finding.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start_byte: int
    end_byte: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start_byte": self.start_byte,
            "end_byte": self.end_byte,
        }

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Place:
        return cls(
            str(item["path"]),
            int(item["line"]),
            int(item["column"]),
            int(item["end_line"]),
            int(item["end_column"]),
            int(item["start_byte"]),
            int(item["end_byte"]),
        )


@dataclass(frozen=True, slots=True)
class ReportedFinding:
    """A finding ready to print. `state` is `new` in `--diff`/`--baseline` runs, else empty."""

    rule_code: str
    rule_name: str
    severity: Severity
    message: str
    place: Place
    identity: FindingIdentity
    fingerprint: str
    related: tuple[tuple[str, Place], ...] = ()
    fixes: tuple[tuple[str, tuple[tuple[str, Place], ...]], ...] = ()
    state: str = ""

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "code": self.rule_code,
            "rule": self.rule_name,
            "severity": self.severity.label,
            "message": self.message,
            **self.place.to_json(),
            "fingerprint": self.fingerprint,
            "related": [{"message": message, **place.to_json()} for message, place in self.related],
            "fixes": [
                {
                    "title": title,
                    "edits": [{"new_text": text, **place.to_json()} for text, place in edits],
                }
                for title, edits in self.fixes
            ],
        }
        if self.state:
            item["state"] = self.state
        return item


@dataclass(frozen=True)
class Comparison:
    """What a `--diff` or `--baseline` run compared against, for the report's header.

    `base` names the reference (`HEAD~1`, `baseline.json`); `resolved` are
    the reference's findings that are gone; `unchanged` counts the findings
    present on both sides (not reported).
    """

    kind: str  # "diff" or "baseline"
    base: str
    head: str
    resolved: tuple[ReportedFinding, ...] = ()
    unchanged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    # Baselines keep identities only: accepted findings that are gone are counted, not listed.
    fixed_accepted: int = 0

    def to_json(self, new: int) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "base": self.base,
            "head": self.head,
            "new": new,
            "resolved": len(self.resolved),
            "unchanged": self.unchanged,
            **({"seconds": self.seconds} if self.seconds else {}),
            **({"fixed_accepted": self.fixed_accepted} if self.kind == "baseline" else {}),
        }


def report_findings(
    findings: Sequence[Finding],
    read_text: Callable[[str], bytes],
    relative: Callable[[str], str],
    project_root: str,
) -> list[ReportedFinding]:
    """Engine findings as plain report data (each file read, indexed and made relative once).

    The loop is written for speed: the whole-kernel lint reports ~12,000
    findings, and the per-file work (relative path, line starts) is cached.
    """
    maker = IdentityMaker(read_text, relative, project_root)
    current: list[Any] = [None, None, ""]  # path, locator, relative path
    # The last column computed: (path, offset, line start, column). Findings come in
    # file order, so the next column on the same line is counted from there: many
    # findings on one long line (a `#if` of 200,000 terms) stay linear (issue 13).
    last_column: list[Any] = [None, 0, 0, 0]

    def column_of(path: str, data: bytes, start: int) -> int:
        """The 0-based column, in code points, of byte offset `start`."""
        known_path, known_offset, known_line_start, known_column = last_column
        column: int
        if known_path == path and known_offset <= start and data.find(b"\n", known_offset, start) < 0:
            line_start = known_line_start
            piece = data[known_offset:start]
            column = known_column + (len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace")))
        else:
            line_start = data.rfind(b"\n", 0, start) + 1
            prefix = data[line_start:start]
            column = len(prefix) if prefix.isascii() else len(prefix.decode("utf-8", "replace"))
        last_column[:] = [path, start, line_start, column]
        return column

    def place(location: Location) -> tuple[Place, LineLocator, int]:
        path, (start, end) = location
        if path != current[0]:
            current[:] = [path, maker.locator(path), maker.relative(path)]
        _, locator, relative_path = current
        data = locator.data
        start_line = locator.line_of(start)
        column = column_of(path, data, start)
        if end == start:
            end_line, end_column = start_line, column
        else:
            if data.find(b"\n", start, end) < 0:
                end_line = start_line
                covered = data[start:end]
                width = len(covered) if covered.isascii() else len(covered.decode("utf-8", "replace"))
                end_column = column + width
            else:
                end_line, end_start = locator.line_of(end), data.rfind(b"\n", 0, end) + 1
                end_prefix = data[end_start:end]
                end_column = (
                    len(end_prefix) if end_prefix.isascii() else len(end_prefix.decode("utf-8", "replace"))
                )
        return (
            Place(relative_path, start_line + 1, column + 1, end_line + 1, end_column + 1, start, end),
            locator,
            start_line,
        )

    places = []
    identities = []
    identity_in = maker.identity_in
    for finding in findings:
        where, index, line = place(finding.location)
        places.append(where)
        span = finding.location.span
        identities.append(
            identity_in(index, where.path, line, finding.rule_code, finding.message, span.start, span.end)
        )
    fingerprints = fingerprints_with_ordinals(identities)
    related_places: dict[Location, Place] = {}  # "prompt of X" is shared by all of X's selectors

    def related_place(location: Location) -> Place:
        known = related_places.get(location)
        if known is None:
            known = related_places[location] = place(location)[0]
        return known

    return [
        ReportedFinding(
            finding.rule_code,
            finding.rule_name,
            finding.severity,
            finding.message,
            where,
            identity,
            fingerprint,
            tuple((r.message, related_place(r.location)) for r in finding.related),
            tuple(
                (fix.title, tuple((edit.new_text, place(edit.location)[0]) for edit in fix.edits))
                for fix in finding.fixes
            ),
        )
        for finding, where, identity, fingerprint in zip(
            findings, places, identities, fingerprints, strict=True
        )
    ]


# -- text ----------------------------------------------------------------------------------


def format_text(findings: Sequence[ReportedFinding]) -> str:
    lines = []
    for finding in findings:
        place = finding.place
        lines.append(
            f"{place.path}:{place.line}:{place.column}: {finding.severity.label}: "
            f"{finding.message} [{finding.rule_code}]"
        )
        for message, related in finding.related:
            lines.append(f"    {related.path}:{related.line}:{related.column}: note: {message}")
    return "\n".join(lines) + ("\n" if lines else "")


def comparison_summary(comparison: Comparison, new: int, limit: int = 20) -> str:
    """The stderr summary of a `--diff`/`--baseline` run: counts, then the resolved findings."""
    if comparison.kind == "diff":
        head = "" if comparison.head == "working tree" else f"..{comparison.head}"
        lines = [
            f"kconfig-ls: --diff {comparison.base}{head}: {new} new, {len(comparison.resolved)} resolved, "
            f"{comparison.unchanged} unchanged"
        ]
    else:
        lines = [
            f"kconfig-ls: --baseline {comparison.base}: {new} new, {comparison.unchanged} accepted"
            + (
                f", {comparison.fixed_accepted} accepted findings are gone (--write-baseline drops them)"
                if comparison.fixed_accepted
                else ""
            )
        ]
    for finding in comparison.resolved[:limit]:
        place = finding.place
        lines.append(f"  resolved: {place.path}:{place.line}: {finding.message} [{finding.rule_code}]")
    if len(comparison.resolved) > limit:
        lines.append(f"  ... and {len(comparison.resolved) - limit} more resolved")
    return "\n".join(lines) + "\n"


# -- JSON ----------------------------------------------------------------------------------


def format_json(
    findings: Sequence[ReportedFinding], summary: dict[str, Any], comparison: Comparison | None = None
) -> str:
    """One document; each finding on its own line (the C encoder: indenting costs 10x)."""
    head: dict[str, Any] = {"version": __version__, "summary": summary}
    if comparison is not None:
        head["comparison"] = comparison.to_json(len(findings))
    parts = [json.dumps(head, indent=2)[:-2], ',\n  "findings": [']
    parts.append(",".join("\n    " + json.dumps(f.to_json()) for f in findings))
    parts.append("\n  ]" if findings else "]")
    if comparison is not None:
        parts.append(',\n  "resolved": [')
        parts.append(",".join("\n    " + json.dumps(f.to_json()) for f in comparison.resolved))
        parts.append("\n  ]" if comparison.resolved else "]")
    parts.append("\n}\n")
    return "".join(parts)


# -- GitHub workflow commands --------------------------------------------------------------

_GITHUB_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[ReportedFinding]) -> str:
    """GitHub Actions annotations (`::warning file=...,line=...::message`), one per finding."""
    lines = []
    for finding in findings:
        place = finding.place
        properties = (
            f"file={_escape_property(place.path)},line={place.line},col={place.column},"
            f"endLine={place.end_line},"
        )
        if place.end_line == place.line:
            properties += f"endColumn={place.end_column},"
        title = _escape_property(f"{finding.rule_code} {finding.rule_name}")
        lines.append(
            f"::{_GITHUB_LEVEL[finding.severity]} {properties}title={title}::{_escape_data(finding.message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


# -- SARIF ---------------------------------------------------------------------------------

_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def _sarif_physical(place: Place) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": place.path, "uriBaseId": "%SRCROOT%"},
            "region": {
                "startLine": place.line,
                "startColumn": place.column,
                "endLine": place.end_line,
                "endColumn": max(place.end_column, place.column + 1)
                if place.end_line == place.line
                else place.end_column,
            },
        }
    }


def format_sarif(
    findings: Sequence[ReportedFinding],
    rules: Sequence[Rule],
    project_root: str,
    comparison: Comparison | None = None,
) -> str:
    rule_index = {rule.code: position for position, rule in enumerate(rules)}
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule_code,
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [_sarif_physical(finding.place)],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        }
        if finding.rule_code in rule_index:
            result["ruleIndex"] = rule_index[finding.rule_code]
        if finding.related:
            result["relatedLocations"] = [
                {"id": number, "message": {"text": message}, **_sarif_physical(place)}
                for number, (message, place) in enumerate(finding.related)
            ]
        if finding.state:
            result["baselineState"] = finding.state
        results.append(result)
    run: dict[str, Any] = {
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
    if comparison is not None:
        # Resolved findings are not listed as `absent` results: code-scanning services
        # would show them as alerts at lines of the old revision. They are counted here.
        run["properties"] = {"kconfigLsComparison": comparison.to_json(len(findings))}
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, separators=(",", ":")) + "\n"

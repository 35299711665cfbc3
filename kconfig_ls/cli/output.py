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
from json.encoder import encode_basestring_ascii as _json_string
from pathlib import Path
from typing import Any, Final, NamedTuple

from kconfig_ls import __version__
from kconfig_ls.checks.framework import Finding, Rule, Severity
from kconfig_ls.cli.fingerprint import FindingIdentity, IdentityMaker, LineLocator, slot_setters
from kconfig_ls.semantics.discovery import paused_garbage_collection
from kconfig_ls.semantics.model import Location

__all__ = [
    "Comparison",
    "Place",
    "ReportedFinding",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "new_reported",
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
    identity_text: str = ""
    """`Finding.identity` when the finding has one (kept in JSON as `identity_text`, for `--diff`)."""

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
        if self.identity_text:
            item["identity_text"] = self.identity_text
        return item


_new_object: Final = object.__new__
(
    _set_rule_code,
    _set_rule_name,
    _set_severity,
    _set_message,
    _set_place,
    _set_identity,
    _set_fingerprint,
    _set_related,
    _set_fixes,
    _set_state,
    _set_identity_text,
) = slot_setters(
    ReportedFinding,
    (
        "rule_code",
        "rule_name",
        "severity",
        "message",
        "place",
        "identity",
        "fingerprint",
        "related",
        "fixes",
        "state",
        "identity_text",
    ),
)


def new_reported(
    rule_code: str,
    rule_name: str,
    severity: Severity,
    message: str,
    place: Place,
    identity: FindingIdentity,
    fingerprint: str,
    related: tuple[tuple[str, Place], ...],
    fixes: tuple[tuple[str, tuple[tuple[str, Place], ...]], ...],
    identity_text: str = "",
) -> ReportedFinding:
    """`ReportedFinding(...)` with its slots set by their C descriptors (`new_identity`'s reason)."""
    reported: ReportedFinding = _new_object(ReportedFinding)
    _set_rule_code(reported, rule_code)
    _set_rule_name(reported, rule_name)
    _set_severity(reported, severity)
    _set_message(reported, message)
    _set_place(reported, place)
    _set_identity(reported, identity)
    _set_fingerprint(reported, fingerprint)
    _set_related(reported, related)
    _set_fixes(reported, fixes)
    _set_state(reported, "")
    _set_identity_text(reported, identity_text)
    return reported


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
    findings, and the per-file work (relative path, line starts, whether the
    file is ASCII) is cached; a place asked twice (the prompt every selector
    of a symbol points to) is computed once. The cyclic collector is paused,
    and what survives is frozen on the way out (`gc.freeze`, as after loading
    the model): the report is ~10 acyclic objects per finding, and the
    collector's scans of them cost a third of the time, once while they are
    made and again in the formatter (`bench/bench_output.py`).
    """
    with paused_garbage_collection():
        return _report_findings(findings, read_text, relative, project_root)


def _report_findings(
    findings: Sequence[Finding],
    read_text: Callable[[str], bytes],
    relative: Callable[[str], str],
    project_root: str,
) -> list[ReportedFinding]:
    maker = IdentityMaker(read_text, relative, project_root)
    places = _Places(maker)
    place, place_and_line = places.place, places.place_and_line
    identity_in = maker.identity_in
    # `fingerprints_with_ordinals`, inlined: one pass over the findings.
    ordinals: dict[str, int] = {}
    reported = []
    for finding in findings:
        location = finding.location
        where, locator, line, line_start = place_and_line(location)
        start, end = location.span
        identity_text = finding.identity
        message_or_identity = identity_text or finding.message
        identity = identity_in(
            locator, where.path, line, line_start, finding.rule_code, message_or_identity, start, end
        )
        fingerprint = identity.fingerprint
        ordinal = ordinals[fingerprint] = ordinals.get(fingerprint, 0) + 1
        # Related places next, while their file's lines are counted from here on.
        related = finding.related
        fixes = finding.fixes
        reported.append(
            new_reported(
                finding.rule_code,
                finding.rule_name,
                finding.severity,
                finding.message,
                where,
                identity,
                f"{fingerprint}:{ordinal}",
                tuple([(r.message, place(r.location)) for r in related]) if related else (),
                tuple(
                    [
                        (fix.title, tuple([(edit.new_text, place(edit.location)) for edit in fix.edits]))
                        for fix in fixes
                    ]
                )
                if fixes
                else (),
                identity_text,
            )
        )
    return reported


class _Places:
    """`Place`s of locations, with the per-file state of the file asked last.

    Offsets are turned into lines by the file's `LineLocator`; columns are
    byte distances in an ASCII file, else code points of the line's prefix.
    """

    __slots__ = (
        "_ascii",
        "_data",
        "_files",
        "_known",
        "_last",
        "_locator",
        "_maker",
        "_path",
        "_relative",
    )

    def __init__(self, maker: IdentityMaker) -> None:
        self._maker = maker
        self._known: dict[Location, Place] = {}
        # Per file: its locator, relative path and whether it is ASCII (related locations
        # switch files often: the prompt of a selected symbol is in another file).
        self._files: dict[str, tuple[LineLocator, str, bool]] = {}
        self._path: str | None = None
        self._locator = LineLocator(b"")
        self._data = b""
        self._relative = ""
        self._ascii = True
        # The last start asked in this file: (offset, its line's start, its column). Findings
        # come in file order, so the next column on the same line is counted on from there:
        # many findings on one long line (a `#if` of 200,000 terms) stay linear (issue 13).
        self._last = _NO_LAST

    def place(self, location: Location) -> Place:
        known = self._known.get(location)
        if known is None:
            known = self.place_and_line(location)[0]
        return known

    def place_and_line(self, location: Location) -> tuple[Place, LineLocator, int, int]:
        """The place, the file's locator, the 0-based start line and its start (for the identity)."""
        path, (start, end) = location
        if path != self._path:
            self._path = path
            state = self._files.get(path)
            if state is None:
                locator = self._maker.locator(path)
                state = self._files[path] = (locator, self._maker.relative(path), locator.data.isascii())
            self._locator, self._relative, self._ascii = state
            self._data = self._locator.data
            self._last = _NO_LAST
        locator, data, ascii_file = self._locator, self._data, self._ascii
        start_line = locator.line_of(start)
        last_offset, last_line_start, last_column = self._last
        # In an ASCII file a column is a byte distance (the common case, inlined); else the
        # code points of the bytes before it (`_code_points`, inlined for the start).
        if last_offset <= start and data.find(b"\n", last_offset, start) < 0:
            line_start = last_line_start
            if ascii_file:
                column = start - line_start
            else:
                piece = data[last_offset:start]
                column = last_column + (
                    len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace"))
                )
        else:
            line_start = data.rfind(b"\n", 0, start) + 1
            if ascii_file:
                column = start - line_start
            else:
                piece = data[line_start:start]
                column = len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace"))
        self._last = (start, line_start, column)
        if end == start:
            end_line, end_column = start_line, column
        elif data.find(b"\n", start, end) < 0:
            end_line = start_line
            end_column = column + (end - start if ascii_file else _code_points(data, start, end))
        else:
            end_line, end_start = locator.line_of(end), data.rfind(b"\n", 0, end) + 1
            end_column = end - end_start if ascii_file else _code_points(data, end_start, end)
        where = Place(self._relative, start_line + 1, column + 1, end_line + 1, end_column + 1, start, end)
        self._known[location] = where
        return where, locator, start_line, line_start


_NO_LAST: Final = (1 << 62, 0, 0)
"""No start asked yet in this file (an offset no real one exceeds)."""


def _code_points(data: bytes, start: int, end: int) -> int:
    """How many code points the bytes `data[start:end]` of a non-ASCII file hold."""
    piece = data[start:end]
    return len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace"))


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
    """One document; each finding on its own line, exactly as `json.dumps(finding.to_json())`.

    The findings are written from string templates (`_json_finding`) rather
    than dumped from dictionaries: building and encoding 15,000 nested
    dictionaries costs more than the rest of the report. `tests/cli/
    test_output_bytes.py` pins the bytes.
    """
    with paused_garbage_collection(freeze=False):
        head: dict[str, Any] = {"version": __version__, "summary": summary}
        if comparison is not None:
            head["comparison"] = comparison.to_json(len(findings))
        places: dict[Place, str] = {}
        parts = [json.dumps(head, indent=2)[:-2], ',\n  "findings": [']
        parts.append(",".join(["\n    " + _json_finding(f, places) for f in findings]))
        parts.append("\n  ]" if findings else "]")
        if comparison is not None:
            parts.append(',\n  "resolved": [')
            parts.append(",".join(["\n    " + _json_finding(f, places) for f in comparison.resolved]))
            parts.append("\n  ]" if comparison.resolved else "]")
        parts.append("\n}\n")
        return "".join(parts)


_SEVERITY_LABELS: Final = {severity: severity.label for severity in Severity}


def _json_place(place: Place, places: dict[Place, str]) -> str:
    """`Place.to_json()` as `json.dumps` writes it inside an object, without the braces."""
    text = places.get(place)
    if text is None:
        text = places[place] = (
            f'"path": {_json_string(place.path)}, "line": {place.line}, "column": {place.column}, '
            f'"end_line": {place.end_line}, "end_column": {place.end_column}, '
            f'"start_byte": {place.start_byte}, "end_byte": {place.end_byte}'
        )
    return text


def _json_finding(finding: ReportedFinding, places: dict[Place, str]) -> str:
    """`json.dumps(finding.to_json())`, from a template."""
    related = ", ".join(
        [
            f'{{"message": {_json_string(message)}, {_json_place(place, places)}}}'
            for message, place in finding.related
        ]
    )
    fixes = ", ".join(
        [
            f'{{"title": {_json_string(title)}, "edits": ['
            + ", ".join(
                [
                    f'{{"new_text": {_json_string(text)}, {_json_place(place, places)}}}'
                    for text, place in edits
                ]
            )
            + "]}"
            for title, edits in finding.fixes
        ]
    )
    state = f', "state": {_json_string(finding.state)}' if finding.state else ""
    if finding.identity_text:
        state += f', "identity_text": {_json_string(finding.identity_text)}'
    return (
        f'{{"code": {_json_string(finding.rule_code)}, "rule": {_json_string(finding.rule_name)}, '
        f'"severity": "{_SEVERITY_LABELS[finding.severity]}", "message": {_json_string(finding.message)}, '
        f'{_json_place(finding.place, places)}, "fingerprint": {_json_string(finding.fingerprint)}, '
        f'"related": [{related}], "fixes": [{fixes}]{state}}}'
    )


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


def _sarif_physical(place: Place) -> str:
    """`"physicalLocation":{...}` of a place, as `json.dumps` writes it with compact separators."""
    end_column = max(place.end_column, place.column + 1) if place.end_line == place.line else place.end_column
    return (
        f'"physicalLocation":{{"artifactLocation":{{"uri":{_json_string(place.path)},'
        f'"uriBaseId":"%SRCROOT%"}},"region":{{"startLine":{place.line},"startColumn":{place.column},'
        f'"endLine":{place.end_line},"endColumn":{end_column}}}}}'
    )


# Where the results go in the dumped run: a string `json.dumps` writes as is and no rule text holds.
_RESULTS_MARK: Final = "kconfig-ls results \u0001"


def format_sarif(
    findings: Sequence[ReportedFinding],
    rules: Sequence[Rule],
    project_root: str,
    comparison: Comparison | None = None,
) -> str:
    """One SARIF 2.1.0 document, exactly as `json.dumps(document, separators=(",", ":"))`.

    The run's head (the tool and its rules) is dumped; the results are
    written from string templates, like the JSON format's findings.
    """
    with paused_garbage_collection(freeze=False):
        return _format_sarif(findings, rules, project_root, comparison)


def _format_sarif(
    findings: Sequence[ReportedFinding],
    rules: Sequence[Rule],
    project_root: str,
    comparison: Comparison | None,
) -> str:
    rule_index = {rule.code: position for position, rule in enumerate(rules)}
    places: dict[Place, str] = {}

    def physical(place: Place) -> str:
        text = places.get(place)
        if text is None:
            text = places[place] = _sarif_physical(place)
        return text

    results = []
    for finding in findings:
        index = rule_index.get(finding.rule_code)
        related = (
            ',"relatedLocations":['
            + ",".join(
                [
                    f'{{"id":{number},"message":{{"text":{_json_string(message)}}},{physical(place)}}}'
                    for number, (message, place) in enumerate(finding.related)
                ]
            )
            + "]"
            if finding.related
            else ""
        )
        results.append(
            f'{{"ruleId":{_json_string(finding.rule_code)},"level":"{_SARIF_LEVEL[finding.severity]}",'
            f'"message":{{"text":{_json_string(finding.message)}}},"locations":[{{{physical(finding.place)}}}],'
            f'"partialFingerprints":{{"{FINGERPRINT_KEY}":{_json_string(finding.fingerprint)}}}'
            + ("" if index is None else f',"ruleIndex":{index}')
            + related
            + (f',"baselineState":{_json_string(finding.state)}' if finding.state else "")
            + "}"
        )
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
        "results": [_RESULTS_MARK],
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
    head, mark, tail = json.dumps(document, separators=(",", ":")).partition(json.dumps(_RESULTS_MARK))
    assert mark, "the results mark is in the dumped run"
    return head + ",".join(results) + tail + "\n"

"""The one place IDE tests call the API: a `check_*` helper per feature.

Tests are data: an inline multi-file fixture (`//- /path` headers, `$0`
for the cursor, see `tests.fixtures`) and the expected answer as text.
Expected diagnostics are `^^^` annotation lines under the line they are
about (the annotation lines are removed before the files are written)::

    config A
        select B
        ^^^^^^^^ KLS001 warning: A selects B

Large outputs (hovers) are compared with golden files under
`tests/ide/golden/`; run with `UPDATE_GOLDEN=1` to rewrite them, and review
the diff.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.semantics.model import Location
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.syntax.kconfig import Span
from tests.fixtures import Fixture, write_fixture

GOLDEN = Path(__file__).resolve().parent / "golden"
_ANNOTATION = re.compile(r"^(?P<indent>[ \t]*)(?P<carets>\^+) ?(?P<text>.*)$")


def analysis(root: Path, fixture: str, **settings: object) -> tuple[AnalysisHost, Fixture]:
    """Write a fixture tree and load it; returns the host and the fixture (cursor)."""
    written = write_fixture(root, fixture)
    host = AnalysisHost(AnalysisSettings(str(root), **settings))  # type: ignore[arg-type]
    host.load()
    return host, written


def cursor(written: Fixture) -> tuple[str, int]:
    assert written.cursor_path is not None and written.cursor_offset is not None, "the fixture has no $0"
    return str(written.cursor_path), written.cursor_offset


def where(host: AnalysisHost, location: Location) -> str:
    """`path:line:column` (1-based, column in characters) for comparisons."""
    data = host.document_text(location.path)
    line_start = data.rfind(b"\n", 0, location.span.start) + 1
    column = len(data[line_start : location.span.start].decode("utf-8", "replace")) + 1
    line = data.count(b"\n", 0, location.span.start) + 1
    return f"{host.relative(location.path)}:{line}:{column}"


# -- hover ------------------------------------------------------------------------------


def hover_text(root: Path, fixture: str, **settings: object) -> str | None:
    host, written = analysis(root, fixture, **settings)
    result = host.hover(*cursor(written))
    return None if result is None else result.markdown


def check_hover(root: Path, fixture: str, expected: str, **settings: object) -> None:
    actual = hover_text(root, fixture, **settings)
    assert actual == textwrap.dedent(expected).strip("\n"), actual


def check_hover_golden(root: Path, fixture: str, golden_name: str, **settings: object) -> None:
    actual = hover_text(root, fixture, **settings)
    assert actual is not None, "no hover"
    golden = GOLDEN / golden_name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual + "\n", encoding="utf-8")
    assert golden.exists(), f"{golden_name} is missing; run with UPDATE_GOLDEN=1 and review it"
    assert actual + "\n" == golden.read_text(encoding="utf-8"), (
        f"{golden_name} differs; UPDATE_GOLDEN=1 to review"
    )


def check_hover_span(root: Path, fixture: str, expected_word: str) -> None:
    host, written = analysis(root, fixture)
    result = host.hover(*cursor(written))
    assert result is not None
    path, _ = cursor(written)
    assert host.document_text(path)[result.span.start : result.span.end].decode() == expected_word


# -- navigation -------------------------------------------------------------------------


def check_definition(root: Path, fixture: str, expected: list[str]) -> None:
    host, written = analysis(root, fixture)
    actual = [where(host, location) for location in host.definition(*cursor(written))]
    assert actual == expected


def check_references(root: Path, fixture: str, expected: list[str], include_declaration: bool = True) -> None:
    host, written = analysis(root, fixture)
    path, offset = cursor(written)
    actual = [
        f"{where(host, site.location)} {site.kind}"
        for site in host.references(path, offset, include_declaration)
    ]
    assert actual == expected


# -- outline, folding, links, completion --------------------------------------------------


def outline_lines(root: Path, fixture: str, relative: str = "Kconfig") -> list[str]:
    host, _ = analysis(root, fixture)
    lines: list[str] = []

    def walk(symbols: list, depth: int) -> None:  # type: ignore[type-arg]
        for symbol in symbols:
            detail = f" [{symbol.detail}]" if symbol.detail else ""
            lines.append(f"{'  ' * depth}{symbol.kind} {symbol.name}{detail}")
            walk(list(symbol.children), depth + 1)

    walk(host.document_symbols(str(root / relative)), 0)
    return lines


def check_outline(root: Path, fixture: str, expected: str, relative: str = "Kconfig") -> None:
    assert outline_lines(root, fixture, relative) == textwrap.dedent(expected).strip("\n").splitlines()


def check_folding(root: Path, fixture: str, expected: list[str], relative: str = "Kconfig") -> None:
    """Expected folds as `first-last kind`, lines 1-based."""
    host, _ = analysis(root, fixture)
    actual = [
        f"{f.start_line + 1}-{f.end_line + 1} {f.kind}" for f in host.folding_ranges(str(root / relative))
    ]
    assert actual == expected


def check_links(
    root: Path, fixture: str, expected: list[str], relative: str = "Kconfig", **settings: object
) -> None:
    """Expected links as `linked text -> target`, target relative to the root."""
    host, _ = analysis(root, fixture, **settings)
    path = str(root / relative)
    data = host.document_text(path)
    actual = [
        f"{data[link.span.start : link.span.end].decode()} -> {host.relative(link.target)}"
        for link in host.document_links(path)
    ]
    assert actual == expected


def completion_labels(root: Path, fixture: str) -> list[str]:
    host, written = analysis(root, fixture)
    return [item.label for item in host.completion(*cursor(written)).items]


# -- diagnostics ------------------------------------------------------------------------------


def check_diagnostics(root: Path, fixture: str, tier: str = "full", **settings: object) -> None:
    """Compare findings with `^^^` annotations; prints false negatives and positives apart."""
    text, expected = _strip_annotations(textwrap.dedent(fixture).lstrip("\n"))
    host, written = analysis(root, text, **settings)
    actual: set[str] = set()
    for relative, path in written.files.items():
        for finding in host.diagnostics_for(str(path), tier):  # type: ignore[arg-type]
            if finding.location.path != str(path):
                continue
            actual.add(
                _annotation_key(relative, host.document_text(str(path)), finding.location.span)
                + f" {finding.rule_code} {finding.severity.label}: {finding.message}"
            )
    missing = sorted(e for e in expected if not any(a.startswith(e) for a in actual))
    unexpected = sorted(a for a in actual if not any(a.startswith(e) for e in expected))
    assert (missing, unexpected) == ([], []), f"false negatives: {missing}\nfalse positives: {unexpected}"


def _strip_annotations(text: str) -> tuple[str, set[str]]:
    expected: set[str] = set()
    kept: list[str] = []
    current_file = "Kconfig"
    line_in_file = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("//- "):
            current_file = line[4:].strip().lstrip("/")
            line_in_file = 0
            kept.append(line)
            continue
        match = _ANNOTATION.match(line.rstrip("\n"))
        if match is not None and kept:
            column = len(match.group("indent")) + 1
            width = len(match.group("carets"))
            expected.add(f"{current_file}:{line_in_file}:{column}-{column + width} {match.group('text')}")
            continue
        kept.append(line)
        line_in_file += 1
    return "".join(kept), expected


def _annotation_key(relative: str, data: bytes, span: Span) -> str:
    line_start = data.rfind(b"\n", 0, span.start) + 1
    line = data.count(b"\n", 0, span.start) + 1
    start = len(data[line_start : span.start].decode("utf-8", "replace")) + 1
    line_end = data.find(b"\n", span.start)
    end_offset = min(span.end, line_end if line_end >= 0 else len(data))
    end = len(data[line_start:end_offset].decode("utf-8", "replace")) + 1
    return f"{relative}:{line}:{start}-{end}"

"""Folding ranges: menus, choices, `if` blocks, help texts and comment runs.

A block folds from its opening line to the line before its end keyword,
so that `endmenu`/`endif`/`endchoice` stays visible under the fold, as it
does for closing braces in editors. A block never closed (while typing)
folds to its last child. Runs of two or more `#` comment lines fold as
comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from kconfig_ls.ide.cursor import help_text_spans
from kconfig_ls.syntax.c_preprocessor import CScan
from kconfig_ls.syntax.kconfig import ChoiceEntry, IfBlock, KconfigFile, MenuEntry, Node, Span

__all__ = ["FoldingRange", "c_folding_ranges", "folding_ranges"]


@dataclass(frozen=True, slots=True)
class FoldingRange:
    """0-based first and last line of a fold; `kind` is `region` or `comment`."""

    start_line: int
    end_line: int
    kind: str = "region"


def c_folding_ranges(scan: CScan) -> list[FoldingRange]:
    """One fold per `#if`/`#elif`/`#else` branch of a C file, up to the next directive."""
    ranges: list[FoldingRange] = []
    for branch in scan.branches:
        directive = scan.directives[branch.directive]
        _add(ranges, directive.line, branch.body_lines[1] - 1)
    ranges.sort(key=lambda folding: (folding.start_line, -folding.end_line))
    return ranges


def folding_ranges(parsed: KconfigFile, data: bytes) -> list[FoldingRange]:
    ranges: list[FoldingRange] = []
    _fold_nodes(parsed, parsed.nodes, ranges)
    help_lines = {
        line
        for node_help in help_text_spans(parsed)
        for line in range(
            parsed.line_of(node_help.start), parsed.line_of(max(node_help.start, node_help.end - 1)) + 1
        )
    }
    ranges.extend(_comment_runs(data, help_lines))
    ranges.sort(key=lambda folding: (folding.start_line, -folding.end_line))
    return ranges


def _fold_nodes(parsed: KconfigFile, nodes: list[Node], ranges: list[FoldingRange]) -> int:
    """Add the folds of the nodes (recursively); return the last line they cover."""
    last_line = -1
    for node in nodes:
        node_last = parsed.line_of(max(node.span.start, node.span.end - 1))
        if isinstance(node, (MenuEntry, ChoiceEntry, IfBlock)):
            start_line = parsed.line_of(node.span.start)
            children_last = _fold_nodes(parsed, node.children, ranges)
            if node.end_span is not None:
                node_last = parsed.line_of(node.end_span.start)
                _add(ranges, start_line, node_last - 1)
            else:
                node_last = max(children_last, start_line)
                _add(ranges, start_line, node_last)
        help_text = getattr(node, "help", None)
        if help_text is not None:
            help_span: Span = help_text.span
            _add(
                ranges,
                parsed.line_of(help_span.start),
                parsed.line_of(max(help_span.start, help_span.end - 1)),
            )
        last_line = max(last_line, node_last)
    return last_line


def _add(ranges: list[FoldingRange], start: int, end: int, kind: str = "region") -> None:
    if end > start:
        ranges.append(FoldingRange(start, end, kind))


def _comment_runs(data: bytes, help_lines: set[int]) -> list[FoldingRange]:
    """Runs of two or more `#` lines; lines of help texts are prose, not comments."""
    runs: list[FoldingRange] = []
    run_start = -1
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        if number not in help_lines and line.lstrip().startswith(b"#"):
            if run_start < 0:
                run_start = number
            continue
        if run_start >= 0 and number - 1 > run_start:
            runs.append(FoldingRange(run_start, number - 1, "comment"))
        run_start = -1
    if run_start >= 0 and len(lines) - 1 > run_start:
        runs.append(FoldingRange(run_start, len(lines) - 1, "comment"))
    return runs

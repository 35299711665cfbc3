"""Folding ranges: menus, choices, `if` blocks, help texts and comment runs.

A block folds from its opening line to the line before its end keyword,
so that `endmenu`/`endif`/`endchoice` stays visible under the fold, as it
does for closing braces in editors. A block never closed (while typing)
folds to its last child. Runs of two or more `#` comment lines fold as
comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from kconfig_ls.syntax.kconfig import ChoiceEntry, IfBlock, KconfigFile, MenuEntry, Node, Span

__all__ = ["FoldingRange", "folding_ranges"]


@dataclass(frozen=True, slots=True)
class FoldingRange:
    """0-based first and last line of a fold; `kind` is `region` or `comment`."""

    start_line: int
    end_line: int
    kind: str = "region"


def folding_ranges(parsed: KconfigFile, data: bytes) -> list[FoldingRange]:
    ranges: list[FoldingRange] = []

    def add(start: int, end: int, kind: str = "region") -> None:
        if end > start:
            ranges.append(FoldingRange(start, end, kind))

    def walk(nodes: list[Node]) -> tuple[int, int]:
        """Fold the nodes; return the first and last line they cover."""
        first_line = -1
        last_line = -1
        for node in nodes:
            node_last = parsed.line_of(max(node.span.start, node.span.end - 1))
            if isinstance(node, (MenuEntry, ChoiceEntry, IfBlock)):
                start_line = parsed.line_of(node.span.start)
                _, children_last = walk(node.children)
                if node.end_span is not None:
                    end_line = parsed.line_of(node.end_span.start)
                    add(start_line, end_line - 1)
                    node_last = end_line
                else:
                    add(start_line, max(children_last, start_line))
                    node_last = max(children_last, start_line)
            help_text = getattr(node, "help", None)
            if help_text is not None:
                help_span: Span = help_text.span
                add(parsed.line_of(help_span.start), parsed.line_of(max(help_span.start, help_span.end - 1)))
            if first_line < 0:
                first_line = parsed.line_of(node.span.start)
            last_line = max(last_line, node_last)
        return first_line, last_line

    walk(parsed.nodes)
    ranges.extend(_comment_runs(data))
    ranges.sort(key=lambda folding: (folding.start_line, -folding.end_line))
    return ranges


def _comment_runs(data: bytes) -> list[FoldingRange]:
    runs: list[FoldingRange] = []
    run_start = -1
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        if line.lstrip().startswith(b"#"):
            if run_start < 0:
                run_start = number
            continue
        if run_start >= 0 and number - 1 > run_start:
            runs.append(FoldingRange(run_start, number - 1, "comment"))
        run_start = -1
    if run_start >= 0 and len(lines) - 1 > run_start:
        runs.append(FoldingRange(run_start, len(lines) - 1, "comment"))
    return runs

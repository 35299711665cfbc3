"""What the logic's findings add to a hover: the one-line explanation their diagnostics give.

A finding of the solver tier (KLS201's "BALLOON_COMPACTION selects MIGRATION,
but MIGRATION depends on MMU, which can be n while ... (arm: MMU=n, ...)",
KLS206's "#ifdef CONFIG_NUMA always holds here: ...") sits on one line: the
`select` line, the `#ifdef` line. Its diagnostic is seen there only; the
reviewer's question ("does whatever selects MIGRATION depend on MMU?") is
asked at MIGRATION, and "why is this line never compiled?" inside the
block. So a symbol's hover lists the findings on its own entries and on the
`select`/`imply` lines that target it, and a hover in a C file those on the
directives of the blocks around the cursor, in the words of the finding.

A finding whose range holds the cursor is left out: the editor shows that
diagnostic under the cursor already (VS Code puts it in the same widget).
The findings come from the caller (`FindingsIn`: the server's solver tier
for the whole tree), plain data in and out like the rest of `kconfig_ls.ide`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final

from kconfig_ls.checks.framework import Finding, Severity
from kconfig_ls.ide.locations import markdown_inline
from kconfig_ls.semantics.definitions import SymbolDefinition
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.syntax.c_preprocessor import CScan

__all__ = ["FindingsIn", "block_findings", "logic_section", "symbol_findings"]

FindingsIn = Callable[[str], Sequence[Finding]]
"""A file's path to the findings known in it (never computed for the hover: it must not wait)."""

_MAX_SHOWN: Final = 4


def symbol_findings(
    model: KconfigModel,
    name: str,
    member: Callable[[SymbolDefinition], bool],
    findings_in: FindingsIn,
    *,
    cursor: tuple[str, int] | None = None,
) -> list[Finding]:
    """The findings on `name`'s entries in this world, and on the selects and implies that target it."""
    places: list[tuple[str, int, int]] = []
    for definition in model.definitions.get(name, ()):
        if member(definition):
            places.append((definition.path, definition.entry.span.start, _entry_end(definition)))
    for table in (model.selected_by, model.implied_by):
        for selector, reverse in table.get(name, ()):
            if member(selector):
                places.append((selector.path, reverse.span.start, reverse.span.end))
    return _located(places, findings_in, cursor)


def block_findings(scan: CScan, path: str, offset: int, findings_in: FindingsIn) -> list[Finding]:
    """The findings on the directives of the blocks around `offset` (or of the block of its directive)."""
    blocks: list[int] = []
    at = scan.directive_at(offset)
    own_block = scan.directives[at].block if at is not None else None
    if own_block is not None:
        blocks.append(own_block)
    blocks.extend(branch.block for branch in scan.enclosing_branches(scan.innermost_branch(offset)))
    places: list[tuple[str, int, int]] = []
    for block in dict.fromkeys(blocks):
        for index in scan.blocks[block].directives:
            span = scan.directives[index].span
            places.append((path, span[0], span[1]))
    return _located(places, findings_in, (path, offset))


def logic_section(findings: Iterable[Finding]) -> str:
    """`**Logic**` and one line per finding, as its diagnostic says it ("" without findings).

    The most severe first; hints (KLS001's "the selector already guarantees
    MIGRATION's dependencies") are left out: they say that nothing is wrong;
    so is a finding that points to another one shown.
    """
    kept = [finding for finding in findings if finding.severity > Severity.HINT]
    # KLS001 re-graded by the logic says "(see select-unmet-dependency)": the finding it
    # points to explains it, with the witness.
    names = {finding.rule_name for finding in kept}
    shown = sorted(
        (finding for finding in kept if not any(f"(see {name})" in finding.message for name in names)),
        key=lambda finding: -finding.severity,
    )
    if not shown:
        return ""
    lines = [
        f"- {markdown_inline(finding.message)} *({finding.rule_code} {finding.rule_name})*"
        for finding in shown[:_MAX_SHOWN]
    ]
    if len(shown) > _MAX_SHOWN:
        lines.append(f"- … and {len(shown) - _MAX_SHOWN} more")
    return "**Logic**\n\n" + "\n".join(lines)


def _entry_end(definition: SymbolDefinition) -> int:
    """Where the entry's last attribute ends (its `span` is the `config NAME` line alone)."""
    entry = definition.entry
    ends = [entry.span.end]
    for attributes in (
        entry.prompts,
        entry.dependencies,
        entry.selects,
        entry.implies,
        entry.defaults,
        entry.ranges,
    ):
        ends.extend(attribute.span.end for attribute in attributes)
    if entry.type is not None:
        ends.append(entry.type.span.end)
    return max(ends)


def _located(
    places: Sequence[tuple[str, int, int]], findings_in: FindingsIn, cursor: tuple[str, int] | None
) -> list[Finding]:
    found: list[Finding] = []
    for path in dict.fromkeys(path for path, _, _ in places):
        ranges = [(start, end) for each, start, end in places if each == path]
        for finding in findings_in(path):
            span = finding.location.span
            if not any(start <= span.start < end for start, end in ranges):
                continue
            if cursor is not None and cursor[0] == path and span.start <= cursor[1] <= span.end:
                continue  # the editor shows this one under the cursor already
            if finding not in found:
                found.append(finding)
    return found

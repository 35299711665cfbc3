"""The C scan of the workspace index: what an index entry holds, and nothing more.

`scan_c` builds everything the editor features need (directives with their
references, branches with effective conditions, `ConfigReference` records).
The index of a whole tree (15,000 Linux files that mention `CONFIG_`, some of
them with hundreds of thousands of directives) keeps far less per file: the
references that count, as plain tuples; the `CONFIG_` names the file defines;
the `#else`/`#endif` comments naming a symbol their block does not test; and
the problems. `index_c` computes exactly that from the same directive finder,
reference classifier and policy as `scan_c` (`_ScanBuilder`), but skips what
only the features read: `Directive`, `Branch` and `ConditionalBlock` records,
the effective conditions (a negation and a conjunction per branch) and the
`ConfigReference` objects. The block structure it keeps is a list of
directive indexes per block, enough for the problems and the comment checks.

A file whose `#define CONFIG_X` may only be a fallback needs the guard of
the define (the effective conditions): for such files, rare, the branches are
built as the full scan builds them (`_ScanBuilder.branch_structure`) and the
same policy decides, so both paths give the same entry by construction
(tests/syntax/test_c_index_scan.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

from kconfig_ls.syntax.c_lexer import FoundDirective, _find_directives, _LineCounter
from kconfig_ls.syntax.c_scan_builder import _ScanBuilder, _StructureNeeded
from kconfig_ls.syntax.c_scan_results import CScan
from kconfig_ls.syntax.config_reference import (
    DEFAULT_REFERENCE_SYNTAX,
    ReferenceKind,
    ReferenceSyntax,
    counting_kinds,
    looks_binary,
    split_config_identifier,
)
from kconfig_ls.syntax.expression import Expression, referenced_symbols

__all__ = ["CIndexScan", "index_c", "index_from_scan"]

ReferenceRow = tuple[str, int, int, int, str, bool]
"""symbol, start, end, line, kind (a `ReferenceKind` value), module suffix."""
MismatchRow = tuple[str, str, int, int, int, list[str], int, str, int, int, bool]
"""directive kind, named symbol, start, end, line, tested symbols, opening line, opening text,
opening start, opening end, block has `#else`."""
ProblemRow = tuple[int, int, int, str]
"""start, end, line, message."""
_CommentRow = tuple[str, int, int, int]  # symbol, start, end, line

_OPENING_KINDS: Final = frozenset({"if", "ifdef", "ifndef"})
_COMMENT_CHECKED_KINDS: Final = frozenset({"else", "endif", "elif", "elifdef", "elifndef"})
_BINARY_PROBLEM: Final = (0, 0, 0, "binary file, not scanned as C")
# `ReferenceKind.value` is a descriptor call; a dictionary lookup is several times cheaper.
_KIND_VALUES: Final = {kind: kind.value for kind in ReferenceKind}


class _DirectiveLines:
    """The 0-based line of a directive, by its index, counted when first asked."""

    __slots__ = ("counter", "found", "known")

    def __init__(self, data: bytes, found: Sequence[FoundDirective]) -> None:
        self.counter = _LineCounter(data)
        self.found = found
        self.known: dict[int, int] = {}

    def __getitem__(self, index: int) -> int:
        line = self.known.get(index)
        if line is None:
            line = self.known[index] = self.counter.line(self.found[index].start)
        return line


class CIndexScan(NamedTuple):
    """One C file as the index keeps it (see the module docstring)."""

    references: list[ReferenceRow]
    """The references that count, in file order."""
    definitions: list[str]
    """The `CONFIG_` identifiers the file defines (enum members, tags, defines, ...), in file order."""
    mismatches: list[MismatchRow]
    problems: list[ProblemRow]


def index_c(data: bytes, syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX) -> CIndexScan:
    """The index entry of one C file; equal to `index_from_scan(scan_c(data))`, but cheaper."""
    if looks_binary(data):
        return CIndexScan([], [], [], [_BINARY_PROBLEM])
    found = _find_directives(data)
    builder = _ScanBuilder(data, found, frozenset(), syntax)
    problems: list[ProblemRow] = []
    # Problem rows carry the directive's index until the lines are known (below).
    directive_problems: list[tuple[int, int, int, str]] = []
    # The blocks, as lists of directive indexes, with the problems `_build_blocks` reports.
    directive_blocks: list[int | None] = [None] * len(found)
    block_directives: list[list[int]] = []
    seen_else: list[bool] = []
    stack: list[int] = []
    for index, directive in enumerate(found):
        kind = directive.kind
        if kind in _OPENING_KINDS:
            directive_blocks[index] = len(block_directives)
            stack.append(len(block_directives))
            block_directives.append([index])
            seen_else.append(False)
            continue
        if not stack:
            directive_problems.append((directive.start, directive.end, index, f"#{kind} without #if"))
            continue
        block = stack[-1]
        directive_blocks[index] = block
        block_directives[block].append(index)
        if kind == "endif":
            stack.pop()
            continue
        if seen_else[block]:
            directive_problems.append((directive.start, directive.end, index, f"#{kind} after #else"))
        if kind == "else":
            seen_else[block] = True
    for block in stack:
        first = block_directives[block][0]
        opening = found[first]
        directive_problems.append((opening.start, opening.end, first, f"#{opening.kind} without #endif"))
    for index, directive in enumerate(found):
        if directive.problem is not None:
            directive_problems.append((directive.start, directive.end, index, directive.problem))
    # Lines are counted only as far as something needs them: the references (below, one
    # ascending count), the problems and the mismatches' openings. Most files end with an
    # include guard's `#endif`, far after their last reference, and 2,000 Linux headers
    # (472 MB) hold `CONFIG_` only inside other names, so they need no line at all.
    directive_lines = _DirectiveLines(data, found)
    if directive_problems:
        directive_problems.sort(key=lambda problem: (problem[0], problem[1]))
        problems = [
            (start, end, directive_lines[index], message) for start, end, index, message in directive_problems
        ]
    raw, definitions, undefined_first = builder.raw_references([], [], with_tests=False)
    try:
        final_definitions, owned, fallback_positions = builder._final_definitions(
            None, definitions, undefined_first
        )
    except _StructureNeeded:
        # A `#define CONFIG_X` whose guard decides whether it is the file's own: the branches
        # (as `build` makes them) answer that; the rest of the full scan is not needed.
        final_definitions, owned, fallback_positions = builder._final_definitions(
            builder.branch_structure(), definitions, undefined_first
        )
    counting = counting_kinds()
    directive_comment = ReferenceKind.DIRECTIVE_COMMENT
    references: list[ReferenceRow] = []
    comment_references: dict[int, list[_CommentRow]] = {}
    split_names: dict[str, tuple[str, bool]] = {}
    for name, start, end, line, kind, _test, directive_index, prefix_length in raw:
        if prefix_length == 0:
            symbol, module_suffix = name, False
        else:
            known = split_names.get(name)
            if known is None:
                known = split_names[name] = split_config_identifier(name)
            symbol, module_suffix = known
        counts = (kind in counting or start in fallback_positions) and name not in owned
        if kind is directive_comment:
            if directive_index is not None:
                comment_references.setdefault(directive_index, []).append((symbol, start, end, line))
            if counts and data.startswith((b"*", b"..."), end):
                counts = False  # `#endif /* CONFIG_LWIP_HOOK_TCP_ISN... */`: a family, not one name
        if counts and symbol:
            references.append((symbol, start, end, line, _KIND_VALUES[kind], module_suffix))
    # Without a directive comment naming a symbol there is nothing to compare (most files).
    mismatches = (
        comment_mismatches(
            data,
            [directive.kind for directive in found],
            [directive.condition for directive in found],
            [(directive.start, directive.end) for directive in found],
            directive_lines,
            directive_blocks,
            block_directives,
            comment_references,
        )
        if comment_references
        else []
    )
    return CIndexScan(references, [definition.name for definition in final_definitions], mismatches, problems)


def index_from_scan(scan: CScan, data: bytes) -> CIndexScan:
    """The index entry of a full scan (the editor's scans, and `index_c`'s rare fallback)."""
    directives = scan.directives
    comment_references = {
        index: [(r.symbol, r.span[0], r.span[1], r.line) for r in directive.comment_references]
        for index, directive in enumerate(directives)
        if directive.comment_references
    }
    mismatches = comment_mismatches(
        data,
        [directive.kind for directive in directives],
        [directive.condition for directive in directives],
        [directive.span for directive in directives],
        [directive.line for directive in directives],
        [directive.block for directive in directives],
        [list(block.directives) for block in scan.blocks],
        comment_references,
    )
    return CIndexScan(
        [
            (r.symbol, r.span[0], r.span[1], r.line, r.kind.value, r.module_suffix)
            for r in scan.references
            if r.counts
        ],
        [definition.name for definition in scan.definitions],
        mismatches,
        [(p.span[0], p.span[1], p.line, p.message) for p in scan.problems],
    )


def comment_mismatches(
    data: bytes,
    kinds: Sequence[str],
    conditions: Sequence[Expression | None],
    spans: Sequence[tuple[int, int]],
    lines: Sequence[int] | _DirectiveLines,
    directive_blocks: Sequence[int | None],
    block_directives: Sequence[Sequence[int]],
    comment_references: dict[int, list[_CommentRow]],
) -> list[MismatchRow]:
    """`#else`/`#elif`/`#endif` comments naming a symbol their block's conditions do not test."""
    mismatches: list[MismatchRow] = []
    for index in sorted(comment_references):
        block = directive_blocks[index]
        if block is None or kinds[index] not in _COMMENT_CHECKED_KINDS:
            continue
        members = block_directives[block]
        tested: dict[str, None] = {}
        for member in members:
            condition = conditions[member]
            if condition is not None:
                tested.update(dict.fromkeys(referenced_symbols(condition)))
        first = members[0]
        opening_start, opening_end = spans[first]
        has_else = any(kinds[member] == "else" for member in members)
        opening_text = data[opening_start:opening_end].split(b"\n", 1)[0].decode("utf-8", "replace")
        for symbol, start, end, line in comment_references[index]:
            if symbol not in tested and not _abbreviates(symbol, data, end):
                mismatches.append(
                    (
                        kinds[index],
                        symbol,
                        start,
                        end,
                        line,
                        list(tested),
                        lines[first],
                        opening_text.strip(),
                        opening_start,
                        opening_end,
                        has_else,
                    )
                )
    return mismatches


def _abbreviates(symbol: str, data: bytes, end: int) -> bool:
    """A comment name that stands for a family: `CONFIG_PREEMPT_*`, `CONFIG_FOO...`, `CONFIG_XXX_DEBUG`."""
    following = data[end : end + 3]
    return following.startswith((b"*", b"...")) or symbol.endswith("_") or "XXX" in symbol or "xxx" in symbol

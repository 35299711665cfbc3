"""The results of scanning a C file: directives, blocks, branches, definitions, the whole scan.

Split from `c_preprocessor` (which re-exports everything here) so that the
scanner's parts (`c_lexer`, `c_conditions`, `c_scan_builder`) can share the
record types without importing one another in a circle.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Final

from kconfig_ls.syntax.config_reference import ConfigReference, Span, SyntaxProblem
from kconfig_ls.syntax.expression import Expression, conjunction

__all__ = [
    "CONDITIONAL_DIRECTIVE_KINDS",
    "Branch",
    "CDefinition",
    "CScan",
    "ConditionalBlock",
    "Directive",
]

CONDITIONAL_DIRECTIVE_KINDS: Final = frozenset(
    {"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif"}
)
_OPENING_KINDS: Final = frozenset({"if", "ifdef", "ifndef"})
_BRANCHING_KINDS: Final = frozenset({"elif", "elifdef", "elifndef", "else"})
_TESTING_KINDS: Final = frozenset({"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef"})
_NAME_TESTING_KINDS: Final = frozenset({"ifdef", "ifndef", "elifdef", "elifndef"})
_IS_MACROS: Final = frozenset({"IS_ENABLED", "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE"})


# --- results ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Directive:
    """One conditional directive line.

    `span` runs from the `#` to the end of the logical line: continuation
    lines and any comment that starts on the line are included, the newline is
    not. `condition` is set for the testing kinds (`#ifndef X` gives
    `!defined(X)`); `condition_span` covers the condition text with trailing
    comments excluded. `block` is the index in `CScan.blocks`, or None for a
    stray `#else`/`#elif`/`#endif`.
    """

    kind: str
    span: Span
    keyword_span: Span
    line: int
    end_line: int
    condition: Expression | None
    condition_span: Span | None
    comment_references: tuple[ConfigReference, ...]
    block: int | None


@dataclass(frozen=True, slots=True)
class Branch:
    """The lines controlled by one `#if`/`#elif`/`#else` of a block.

    `condition` is the branch's own test (`TRUE` for `#else`);
    `effective_condition` adds the negation of the earlier branches' tests,
    which is what must hold for the branch to be compiled. `body_span` runs
    from the start of the line after the directive to the start of the line of
    the block's next directive; `body_lines` is the same as a half-open range.
    """

    directive: int
    block: int
    condition: Expression
    effective_condition: Expression
    body_span: Span
    body_lines: tuple[int, int]
    parent_branch: int | None


@dataclass(frozen=True, slots=True)
class ConditionalBlock:
    """An `#if ... #endif` block: its directives in order, and its branches."""

    directives: tuple[int, ...]
    branches: tuple[int, ...]
    span: Span
    terminated: bool
    parent_branch: int | None
    depth: int


@dataclass(frozen=True, slots=True)
class CDefinition:
    """A definition of a `CONFIG_` name by the file itself.

    `kind` is `define` (an object-like `#define` the file owns),
    `fallback_define` (a `#define` that only supplies a value when Kconfig did
    not, see the policy), `function_macro`, `macro_parameter`, `enum_member`
    or `type_name`. All but `fallback_define` make the name the file's own.
    """

    name: str
    span: Span
    line: int
    kind: str


@dataclass(frozen=True, slots=True)
class CScan:
    """Everything `scan_c` found in one C file; all spans are byte offsets."""

    directives: tuple[Directive, ...]
    blocks: tuple[ConditionalBlock, ...]
    branches: tuple[Branch, ...]
    references: tuple[ConfigReference, ...]
    definitions: tuple[CDefinition, ...]
    problems: tuple[SyntaxProblem, ...]
    _branch_body_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _branch_body_start_lines: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def innermost_branch(self, offset: int) -> int | None:
        """The index of the innermost branch whose body contains `offset`."""
        index = bisect.bisect_right(self._branch_body_starts, offset) - 1
        candidate: int | None = index if index >= 0 else None
        while candidate is not None:
            start, end = self.branches[candidate].body_span
            if start <= offset < end:
                return candidate
            candidate = self.branches[candidate].parent_branch
        return None

    def innermost_branch_at_line(self, line: int) -> int | None:
        """The index of the innermost branch whose body contains the 0-based `line`."""
        index = bisect.bisect_right(self._branch_body_start_lines, line) - 1
        candidate: int | None = index if index >= 0 else None
        while candidate is not None:
            first, end = self.branches[candidate].body_lines
            if first <= line < end:
                return candidate
            candidate = self.branches[candidate].parent_branch
        return None

    def enclosing_branches(self, branch: int | None) -> tuple[Branch, ...]:
        """`branch` and its ancestors, outermost first."""
        chain: list[Branch] = []
        while branch is not None:
            chain.append(self.branches[branch])
            branch = self.branches[branch].parent_branch
        return tuple(reversed(chain))

    def guard_condition(self, offset: int) -> Expression:
        """What must hold for the code at `offset` to be compiled (`TRUE` outside any block).

        The conjunction of the effective conditions of the enclosing branches,
        outermost first, for example `CONFIG_NUMA_MIGRATION && !CONFIG_NUMA_BALANCING`.
        """
        return conjunction(
            *(branch.effective_condition for branch in self.enclosing_branches(self.innermost_branch(offset)))
        )

    def guard_condition_at_line(self, line: int) -> Expression:
        """`guard_condition` for a 0-based line; directive lines belong to the enclosing level."""
        branches = self.enclosing_branches(self.innermost_branch_at_line(line))
        return conjunction(*(branch.effective_condition for branch in branches))

    def matching_directives(self, directive: int) -> tuple[Directive, ...]:
        """The directives of the block `directive` belongs to: the `#if`, its `#elif`s, `#else`, `#endif`."""
        block = self.directives[directive].block
        if block is None:
            return (self.directives[directive],)
        return tuple(self.directives[index] for index in self.blocks[block].directives)

    def directive_at(self, offset: int) -> int | None:
        """The index of the directive whose span contains `offset`, if any."""
        low, high = 0, len(self.directives)
        while low < high:
            middle = (low + high) // 2
            if self.directives[middle].span[0] <= offset:
                low = middle + 1
            else:
                high = middle
        if low and self.directives[low - 1].span[0] <= offset <= self.directives[low - 1].span[1]:
            return low - 1
        return None

"""Re-parsing the part of a file an edit touched: the same parse, for a keystroke's price.

A keystroke in a 1,400-line Kconfig file re-parsed all of it (4 ms of the
server's syntax-tier publish). The parser is a left-to-right state machine
over lines whose state at the start of an entry is only the stack of open
blocks, so after an edit inside a run of sibling entries (no `if`, `menu`
or `choice` line in it) `reparse_kconfig`:

1. keeps the nodes before the run as they are (the same objects);
2. parses the edited entries again with the real parser, starting at the
   first of them with the blocks open there, until it reaches the start of
   an entry (or the end of the enclosing block) after the edit that starts
   an entry in the old parse too: from there on the text is the old text
   moved by the edit, read in the same state;
3. copies the nodes after it with their spans moved (`shifting.py`), and
   the enclosing blocks with their new children.

A help text decides where it ends by looking at up to two lines after it
(`help_text.py`: the line that ends it, and whether help-indented prose
follows), so the entry of a help text that could see the edit is parsed
again too. Whatever the method cannot vouch for falls back to a full parse:
an edit in or next to a block's own line, in a file with undecodable
bytes, a byte-order mark, a top-level `$(...)` call, entries read inside a
help text, or problems whose order the splice could not reproduce. The
result equals `parse_kconfig` of the new bytes, node for node and problem
for problem (`tests/kconfig/test_incremental_parse.py`, random edits of
real files), so the parse stays a pure function of the bytes.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kconfig_ls.syntax.kconfig.nodes import (
    Block,
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MainMenu,
    MenuEntry,
    Node,
    SourceStatement,
    Span,
    SyntaxProblem,
)
from kconfig_ls.syntax.kconfig.parser import KconfigParser, parse_kconfig
from kconfig_ls.syntax.kconfig.shifting import shifted_node, shifted_problem
from kconfig_ls.syntax.records import fast_init
from kconfig_ls.text.documents import single_edit

__all__ = ["reparse_kconfig"]

_LOG = logging.getLogger(__name__)
_BYTE_ORDER_MARK: Final = b"\xef\xbb\xbf"
_LEAVES: Final = (ConfigEntry, CommentEntry, SourceStatement, MacroAssignment, MainMenu)
# The sibling statements after the edit tried as the place where the re-parse rejoins the old one.
_MOST_STOPS: Final = 16


def reparse_kconfig(old: KconfigFile, old_data: bytes, new_data: bytes) -> KconfigFile:
    """The parse of `new_data`, reusing `old` (the parse of `old_data`) where the edit left it valid.

    Equal to `parse_kconfig(new_data, old.path)`; falls back to it where the
    part re-parsed cannot be delimited (see the module docstring).
    """
    try:
        reparsed = _reparse(old, old_data, new_data)
    except Exception:  # a bug here must cost a full parse, never a wrong or missing one
        _LOG.exception("re-parsing part of %s failed; parsing all of it", old.path)
        reparsed = None
    return reparsed if reparsed is not None else parse_kconfig(new_data, old.path)


@fast_init
@dataclass(frozen=True, slots=True)
class _Statement:
    """A line where the old parse started a node (or ended a block), and where that node sits."""

    line: int
    node: Node | None  # None: the end line of `block`
    block: Block | None  # the enclosing block (None: the top level)
    index: int  # the node's index among its siblings (for an end line: the number of children)


def _statements(
    nodes: list[Node],
    block: Block | None,
    line_of: Callable[[int], int],
    out: list[_Statement],
    openers: set[int],
) -> bool:
    """Every statement line of the old parse in reading order; False when the splice cannot vouch for it.

    Also collects the offsets of the blocks' own lines.
    """
    for index, node in enumerate(nodes):
        out.append(_Statement(line_of(node.span.start), node, block, index))
        if isinstance(node, MacroAssignment) and node.flavor == "call":
            return False  # a `$(...)` call does not end the entry before it
        if isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)):
            openers.add(node.span.start)
            if not _statements(node.children, node, line_of, out, openers):
                return False
            if node.end_span is not None:
                out.append(_Statement(line_of(node.end_span.start), None, node, len(node.children)))
    return True


def _reparse(old: KconfigFile, old_data: bytes, new_data: bytes) -> KconfigFile | None:
    if old_data == new_data:
        return old
    if old_data.startswith(_BYTE_ORDER_MARK) or new_data.startswith(_BYTE_ORDER_MARK):
        return None
    if any(problem.kind in ("encoding", "internal") for problem in old.problems):
        return None
    start, old_end, new_end = single_edit(old_data, new_data)
    delta = new_end - old_end
    old_starts = old.line_starts

    def line_of(offset: int) -> int:
        return bisect_right(old_starts, offset) - 1

    statements: list[_Statement] = []
    openers: set[int] = set()
    if not _statements(old.nodes, None, line_of, statements, openers):
        return None
    if any(problem.span.start in openers for problem in old.problems):
        # A block left open is reported when its end (or the file's) is met, out of reading order.
        return None
    helps = old.help_lines  # (the `help` line, the last line read as help), sorted
    # A node read while a help text was read (a line that interrupts it) is not a statement boundary.
    lines_in = [s.line for s in statements]
    for help_line, last_line in helps:
        at = bisect_right(lines_in, help_line)
        if at < len(lines_in) and lines_in[at] <= last_line:
            return None
    edit_line = line_of(start)
    edited = bisect_right(lines_in, edit_line) - 1
    if edited < 0:
        return None  # before the first statement: the header is cheap to parse with the rest
    first = edited
    statement = statements[first]
    if not isinstance(statement.node, _LEAVES):
        return None
    block = statement.block
    parser = KconfigParser(new_data, old.path)
    if parser.problems:
        return None  # undecodable bytes or NUL bytes: their problems are file-wide
    parser.split_lines()
    new_lines = parser.lines
    old_lines: list[str] | None = None
    # Step back over entries whose help text may have looked at the edited lines.
    while True:
        window_line = statements[first].line
        at = bisect_right(helps, (window_line, -1)) - 1
        if at < 0:
            break
        help_line, last_line = helps[at]
        if last_line >= window_line:
            return None  # the window would start inside a help text
        if old_lines is None:
            old_lines = old_data.decode("utf-8", "surrogateescape").split("\n")
        seen = max(_lines_seen_after(old_lines, last_line), _lines_seen_after(new_lines, last_line))
        if edit_line > seen:
            break
        owner = bisect_right(lines_in, help_line) - 1
        if owner < 0 or owner >= first:
            return None
        for candidate in statements[owner:first]:
            if not isinstance(candidate.node, _LEAVES) or candidate.block is not block:
                return None
        first = owner
    # Where the re-parse may rejoin the old parse: the start of a sibling after the edit, or the block's end.
    line_delta = new_data.count(b"\n", start, new_end) - old_data.count(b"\n", start, old_end)
    stops: dict[int, _Statement | None] = {}
    for candidate in statements[edited + 1 :]:
        if candidate.block is not block:
            return None  # entered another block: not one run of siblings
        if old_starts[candidate.line] > old_end:
            stops[candidate.line + line_delta] = candidate
            if len(stops) >= _MOST_STOPS:
                break
        if not isinstance(candidate.node, _LEAVES):
            break  # a block of its own, or the end of this one: the last place to rejoin
    else:
        if block is None:
            stops[len(new_lines)] = None  # the end of the file
    if not stops:
        return None
    # The enclosing blocks, as copies (the parser may touch them; the old parse must stay as it was).
    chain: list[Block] = []
    outer = block
    while outer is not None:
        chain.append(outer)
        outer = _parent_of(outer, statements)
    chain.reverse()
    window: list[Node] = []
    stack: list[tuple[Block, list[Node]]] = []
    for ancestor in chain:
        copy = _copy_block(ancestor)
        stack.append((copy, window if ancestor is block else []))
    parser.stack = list(stack)
    parser.top = window if block is None else []
    parser.current = None
    stopped = parser.parse_lines(statements[first].line, frozenset(stops))
    if stopped not in stops:
        return None
    if len(parser.stack) != len(stack) or any(a is not b for a, b in zip(parser.stack, stack, strict=True)):
        return None  # a block opened or closed in the re-parsed part
    if block is not None and parser.top:
        return None
    if not all(isinstance(node, _LEAVES) for node in window):
        return None
    window_line = statements[first].line
    if not window:
        return None
    entry_line = bisect_right(parser.line_starts, window[0].span.start) - 1
    for line in new_lines[window_line:entry_line]:
        stripped = line.strip()
        if stripped and stripped[0] != "#":
            # The first lines no longer start an entry: what they read depends on the entry before them.
            return None
    if any(isinstance(node, MacroAssignment) and node.flavor == "call" for node in window):
        return None
    rejoin = stops[stopped]
    first_index = statements[first].index
    siblings = old.nodes if block is None else block.children
    rejoin_index = len(siblings) if rejoin is None or rejoin.node is None else rejoin.index
    window_start = old_starts[statements[first].line]
    rejoin_offset = len(old_data) + 1 if rejoin is None else old_starts[rejoin.line]
    problems = _spliced_problems(old.problems, parser.problems, window_start, rejoin_offset, delta)
    if problems is None:
        return None
    rejoin_line = len(old_starts) if rejoin is None else rejoin.line
    if any(help_line < rejoin_line <= last_line for help_line, last_line in helps):
        return None  # the old parse rejoins inside a help text
    help_lines = [
        *(lines for lines in helps if lines[0] < window_line),
        *sorted(parser.help_lines),
        *((a + line_delta, b + line_delta) for a, b in helps if a >= rejoin_line),
    ]
    children = [*siblings[:first_index], *window, *(shifted_node(n, delta) for n in siblings[rejoin_index:])]
    nodes = _rebuilt(old.nodes, chain, children, delta)
    return KconfigFile(
        path=old.path,
        nodes=nodes,
        problems=problems,
        line_starts=parser.line_starts,
        uses_macros="$(" in parser.text,
        size=len(new_data),
        help_lines=help_lines,
    )


def _lines_seen_after(lines: list[str], last_line: int) -> int:
    """The last line a help text ending at `last_line` may look at (`help_text.parse_help`).

    The line that ends it (the first non-blank one after it) and the first
    line after that which is neither blank nor a comment.
    """
    index = last_line + 1
    count = len(lines)
    while index < count and not lines[index].strip():
        index += 1
    index += 1
    while index < count:
        stripped = lines[index].strip()
        if stripped and stripped[0] != "#":
            break
        index += 1
    return index


def _parent_of(block: Block, statements: list[_Statement]) -> Block | None:
    for statement in statements:
        if statement.node is block:
            return statement.block
    raise ValueError("a block without its statement")


def _copy_block(block: Block) -> Block:
    if isinstance(block, IfBlock):
        return IfBlock(block.condition, block.condition_span, block.span, [], block.end_span)
    if isinstance(block, MenuEntry):
        return MenuEntry(block.title, block.title_span, block.span, end_span=block.end_span)
    return ChoiceEntry(block.name, block.name_span, block.span, end_span=block.end_span)


def _spliced_problems(
    old: list[SyntaxProblem], window: list[SyntaxProblem], window_start: int, rejoin: int, delta: int
) -> list[SyntaxProblem] | None:
    """The old problems before the re-parsed part, its new ones, and the later ones moved.

    The parser reports in reading order, except for blocks left open (at the
    end, with the span of their opening line): a problem after the re-parsed
    part that points before its end makes the order ambiguous, and None says so.
    """
    before = 0
    count = len(old)
    while before < count and old[before].span.start < window_start:
        before += 1
    after = before
    while after < count and old[after].span.start < rejoin:
        after += 1
    later = old[after:]
    if any(problem.span.start < rejoin for problem in later):
        return None
    return [*old[:before], *window, *(shifted_problem(problem, delta) for problem in later)]


def _rebuilt(nodes: list[Node], chain: list[Block], children: list[Node], delta: int) -> list[Node]:
    """The top-level nodes with the blocks of `chain` (outermost first) copied around `children`."""
    for depth in range(len(chain) - 1, -1, -1):
        block = chain[depth]
        copy = _with_children(block, children, delta)
        siblings = nodes if depth == 0 else chain[depth - 1].children
        index = next(i for i, node in enumerate(siblings) if node is block)
        children = [*siblings[:index], copy, *(shifted_node(n, delta) for n in siblings[index + 1 :])]
    return children


def _with_children(block: Block, children: list[Node], delta: int) -> Block:
    end = None if block.end_span is None else Span(block.end_span.start + delta, block.end_span.end + delta)
    if isinstance(block, IfBlock):
        return IfBlock(
            block.condition, block.condition_span, block.span, children, end, block.condition_name_source
        )
    if isinstance(block, MenuEntry):
        return MenuEntry(
            block.title,
            block.title_span,
            block.span,
            block.dependencies,
            block.visible_if,
            children,
            end,
            block.help,
        )
    return ChoiceEntry(
        block.name,
        block.name_span,
        block.span,
        block.type,
        block.prompts,
        block.dependencies,
        block.defaults,
        block.help,
        block.options,
        children,
        end,
    )

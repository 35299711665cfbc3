"""tree-sitter-c parsing of open C documents, updated incrementally as the editor sends edits.

This is the only module that imports tree-sitter for C. The workspace index
uses the fast scanner in `kconfig_ls.syntax.c_preprocessor`; an open document
is worth a real parse, kept current with `CDocument.apply_edit` (tree-sitter
re-parses only around the edit when given the old tree).

`CDocument.scan` extracts the same result as the scanner (`CScan`) from the
tree, independently where it matters: which lines are conditional directives
(tree-sitter's lexer decides what is a comment or a string), the comments on
them, and the conditions, converted from tree-sitter's expression nodes. Both
front ends then share the block building and the `CONFIG_` reference policy
(`c_preprocessor.build_scan`). A test compares the two on real Linux files.

tree-sitter-c does not understand every preprocessor use: a directive inside
an expression or splitting a statement ends up in an ERROR node or as a
generic `preproc_call`, and `__has_include(<x.h>)` or `a ? b : c` in a
condition are misparsed. Directives are therefore collected as tokens
wherever they sit in the tree, and a condition that tree-sitter did not parse
cleanly is read from its text by the scanner's condition parser.
"""

from __future__ import annotations

import bisect
from typing import Final

import tree_sitter_c
from tree_sitter import Language, Node, Parser, Point, Query, QueryCursor, Tree

from kconfig_ls.syntax.c_lexer import _NON_BLANK, _physical_line_start
from kconfig_ls.syntax.c_preprocessor import (
    CONDITIONAL_DIRECTIVE_KINDS,
    MAXIMUM_CONDITION_DEPTH,
    ConditionNode,
    CScan,
    FoundDirective,
    binary_file_scan,
    build_scan,
    condition_expression,
    condition_text,
    directive_condition,
)
from kconfig_ls.syntax.config_reference import Span, looks_binary
from kconfig_ls.syntax.expression import Expression

__all__ = ["CDocument", "ConditionConversionError", "scan_c_with_tree_sitter"]

_LANGUAGE: Final = Language(tree_sitter_c.language())
_QUERY: Final = Query(
    _LANGUAGE,
    """
    ["#if" "#ifdef" "#ifndef" "#elif" "#elifdef" "#elifndef" "#else" "#endif"] @directive
    (preproc_directive) @generic_directive
    (comment) @comment
    """,
)
_TESTING_KINDS: Final = frozenset({"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef"})
_CONDITION_PARENTS: Final = frozenset({"preproc_if", "preproc_elif"})
_NAME_PARENTS: Final = frozenset({"preproc_ifdef", "preproc_elifdef"})


class CDocument:
    """An open C document: its bytes and its tree-sitter tree, kept in step.

    Offsets are UTF-8 byte offsets into the current text, like everywhere in
    the engine.
    """

    __slots__ = ("_data", "_parser", "_tree")

    def __init__(self, data: bytes) -> None:
        self._parser = Parser(_LANGUAGE)
        self._data = data
        self._tree = self._parser.parse(data)

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def tree(self) -> Tree:
        return self._tree

    @property
    def has_syntax_errors(self) -> bool:
        return self._tree.root_node.has_error

    def apply_edit(self, start_byte: int, old_end_byte: int, new_text: bytes) -> None:
        """Replace `data[start_byte:old_end_byte]` with `new_text` and re-parse incrementally.

        tree-sitter must be told where the edit was in the *old* text, as
        byte offsets and as (row, byte column) points, and where it ends in
        the new text; all are computed here from the byte offsets.
        """
        old = self._data
        if not 0 <= start_byte <= old_end_byte <= len(old):
            raise ValueError(
                f"edit range {start_byte}..{old_end_byte} is outside the document ({len(old)} bytes)"
            )
        start_point = _point(old, start_byte)
        old_end_point = _point(old, old_end_byte)
        newline_count = new_text.count(b"\n")
        if newline_count:
            new_end_point = Point(
                start_point.row + newline_count, len(new_text) - (new_text.rfind(b"\n") + 1)
            )
        else:
            new_end_point = Point(start_point.row, start_point.column + len(new_text))
        self._data = old[:start_byte] + new_text + old[old_end_byte:]
        self._tree.edit(
            start_byte=start_byte,
            old_end_byte=old_end_byte,
            new_end_byte=start_byte + len(new_text),
            start_point=start_point,
            old_end_point=old_end_point,
            new_end_point=new_end_point,
        )
        self._tree = self._parser.parse(self._data, self._tree)

    def scan(self, *, symbols_ending_in_module: frozenset[str] = frozenset()) -> CScan:
        """The preprocessor structure and `CONFIG_` references, as `c_preprocessor.scan_c` gives them."""
        if looks_binary(self._data):
            return binary_file_scan()
        found = _found_directives(self._data, self._tree.root_node, symbols_ending_in_module)
        return build_scan(self._data, found, symbols_ending_in_module=symbols_ending_in_module)


def scan_c_with_tree_sitter(data: bytes, *, symbols_ending_in_module: frozenset[str] = frozenset()) -> CScan:
    """Parse `data` afresh with tree-sitter and scan it."""
    return CDocument(data).scan(symbols_ending_in_module=symbols_ending_in_module)


class ConditionConversionError(ValueError):
    """A tree-sitter node that is not a clean preprocessor expression."""


def _point(data: bytes, offset: int) -> Point:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return Point(data.count(b"\n", 0, offset), offset - line_start)


def _found_directives(
    data: bytes, root: Node, symbols_ending_in_module: frozenset[str]
) -> list[FoundDirective]:
    captures = QueryCursor(_QUERY).captures(root)
    comments = sorted((node.start_byte, node.end_byte) for node in captures.get("comment", []))
    comment_starts = [start for start, _ in comments]
    tokens = sorted(
        [*captures.get("directive", []), *captures.get("generic_directive", [])],
        key=lambda node: node.start_byte,
    )
    found: list[FoundDirective] = []
    last_end = -1
    for token in tokens:
        if token.start_byte < last_end or not _starts_a_logical_line(data, token.start_byte):
            continue
        token_text = data[token.start_byte : token.end_byte]
        kind = token_text[1:].strip(b" \t").decode("utf-8", errors="replace")
        if kind not in CONDITIONAL_DIRECTIVE_KINDS:
            continue
        keyword_span = (token.end_byte - len(kind), token.end_byte)
        parent = token.parent
        condition_node: Node | None = None
        if parent is not None and token.type != "preproc_directive":
            if parent.type in _CONDITION_PARENTS and kind in ("if", "elif"):
                condition_node = parent.child_by_field_name("condition")
            elif parent.type in _NAME_PARENTS and kind in ("ifdef", "ifndef", "elifdef", "elifndef"):
                condition_node = parent.child_by_field_name("name")
        # Not from the end of the condition node: error recovery can stretch
        # it over the following lines.
        end = _logical_line_end(data, token.end_byte, comments, comment_starts)
        first_comment = bisect.bisect_left(comment_starts, token.end_byte)
        comment_spans: list[Span] = []
        for index in range(first_comment, len(comments)):
            if comments[index][0] >= end:
                break
            comment_spans.append(comments[index])
        condition: Expression | None = None
        condition_span: Span | None = None
        problem: str | None = None
        # tree-sitter makes no comment node of an unterminated `/*`; to C it
        # is a comment running to the end of the file.
        unterminated = _unterminated_comment(data, token.end_byte, end, comment_spans)
        if unterminated is not None:
            comment_spans.append((unterminated, len(data)))
            end = len(data)
        if kind in _TESTING_KINDS:
            text_span, text = condition_text(data, token.end_byte, end, tuple(comment_spans))
            try:
                if condition_node is None or condition_node.has_error:
                    raise ConditionConversionError("no clean condition node")
                # Error recovery can leave a clean node that covers only part of
                # the condition (`#if A ? A ? B` keeps `B`).
                if (condition_node.start_byte, condition_node.end_byte) != text_span:
                    raise ConditionConversionError("the condition node does not cover the condition")
                if condition_node.type == "identifier" and kind not in ("if", "elif"):
                    condition, problem = directive_condition(
                        kind,
                        condition_node.text.decode("utf-8", errors="replace") if condition_node.text else "",
                    )
                else:
                    condition = condition_expression(
                        _condition_tree(condition_node), symbols_ending_in_module
                    )
                condition_span = (condition_node.start_byte, condition_node.end_byte)
            except ConditionConversionError:
                condition, problem = directive_condition(kind, text, symbols_ending_in_module)
                condition_span = text_span
        if unterminated is not None:
            problem = "unterminated comment"
        found.append(
            FoundDirective(
                kind=kind,
                start=token.start_byte,
                keyword_span=keyword_span,
                end=end,
                comment_spans=tuple(comment_spans),
                condition=condition,
                condition_span=condition_span,
                problem=problem,
            )
        )
        last_end = end
    return found


def _starts_a_logical_line(data: bytes, start: int) -> bool:
    """Whether the `#` at `start` begins a logical line, as a directive's must (the scanner's rule).

    Error recovery is not the same in an incremental parse: after an edit leaves a string
    unterminated (`migrate("#elif void) {`), tree-sitter kept a directive node for the `#elif`
    in the middle of the line where a fresh parse of the same text makes none. Only blanks may
    stand before the `#` on its line, and the line before must not end with a continuation;
    the line is looked for as the scanner looks (`c_lexer._physical_line_start`, within its
    window, so a huge line with many `#` stays linear).
    """
    line_start = _physical_line_start(data, start)
    if line_start != start and _NON_BLANK.search(data, line_start, start):
        return False
    if line_start >= 2:
        index = line_start - 2
        if data[index] == 0x0D and index > 0:
            index -= 1
        if data[index] == 0x5C:
            return False
    return True


def _unterminated_comment(data: bytes, start: int, end: int, comment_spans: list[Span]) -> int | None:
    """The start of a `/*` in `data[start:end]` outside the known comments that is never closed."""
    position = start
    while True:
        opener = data.find(b"/*", position, end)
        if opener < 0:
            return None
        inside = next((span for span in comment_spans if span[0] <= opener < span[1]), None)
        if inside is not None:
            position = inside[1]
            continue
        if data.find(b"*/", opener + 2) < 0:
            return opener
        position = opener + 2


def _logical_line_end(data: bytes, position: int, comments: list[Span], comment_starts: list[int]) -> int:
    """The end of a directive's logical line: the first newline not inside a comment nor escaped."""
    length = len(data)
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            return length
        index = bisect.bisect_right(comment_starts, newline) - 1
        if index >= 0 and comments[index][0] <= newline < comments[index][1]:
            position = comments[index][1]
            continue
        before = newline
        if before > 0 and data[before - 1] == 0x0D:
            before -= 1
        backslash = before - 1
        while backslash >= 0 and data[backslash] in b" \t":
            backslash -= 1
        if backslash >= 0 and data[backslash] == 0x5C:
            position = newline + 1
            continue
        return max(before, min(position, newline))


def _condition_tree(node: Node, depth: int = 0) -> ConditionNode:
    """Convert a tree-sitter preprocessor expression into the shared `ConditionNode` form."""
    if depth > MAXIMUM_CONDITION_DEPTH:
        # The text parser refuses it too, with a problem to show.
        raise ConditionConversionError("condition nested too deeply")
    depth += 1
    kind = node.type
    if kind == "identifier":
        return ConditionNode("identifier", _text(node))
    if kind == "number_literal":
        return ConditionNode("number", _text(node))
    if kind in ("char_literal", "string_literal", "system_lib_string"):
        return ConditionNode("literal", _text(node))
    if kind == "preproc_defined":
        names = [child for child in node.named_children if child.type == "identifier"]
        if len(names) != 1:
            raise ConditionConversionError("defined without a name")
        return ConditionNode("defined", _text(names[0]))
    if kind == "parenthesized_expression":
        return ConditionNode("parenthesized", "()", (_condition_tree(_only_operand(node), depth),))
    if kind == "unary_expression":
        unary_operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if unary_operator is None or argument is None:
            raise ConditionConversionError("incomplete unary expression")
        return ConditionNode("unary", _text(unary_operator), (_condition_tree(argument, depth),))
    if kind == "binary_expression":
        operator_node = node.child_by_field_name("operator")
        left_node = node.child_by_field_name("left")
        right_node = node.child_by_field_name("right")
        if operator_node is None or left_node is None or right_node is None:
            raise ConditionConversionError("incomplete binary expression")
        operator = _text(operator_node)
        left = _condition_tree(left_node, depth)
        right = _condition_tree(right_node, depth)
        if operator in ("&&", "||") and left.kind == "binary" and left.text == operator:
            return ConditionNode("binary", operator, (*left.children, right))
        return ConditionNode("binary", operator, (left, right))
    if kind == "conditional_expression":
        parts = [node.child_by_field_name(name) for name in ("condition", "consequence", "alternative")]
        if any(part is None for part in parts):
            raise ConditionConversionError("incomplete conditional expression")
        return ConditionNode(
            "ternary", "?", tuple(_condition_tree(part, depth) for part in parts if part is not None)
        )
    if kind == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or function.type != "identifier" or arguments is None:
            raise ConditionConversionError("unsupported call")
        operands = tuple(
            _condition_tree(child, depth) for child in arguments.named_children if child.type != "comment"
        )
        return ConditionNode("call", _text(function), operands)
    raise ConditionConversionError(f"unsupported node {kind}")


def _only_operand(node: Node) -> Node:
    operands = [child for child in node.named_children if child.type != "comment"]
    if len(operands) != 1:
        raise ConditionConversionError("expected one operand")
    return operands[0]


def _text(node: Node) -> str:
    text = node.text
    return "" if text is None else text.decode("utf-8", errors="replace")

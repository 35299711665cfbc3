"""Quick fixes that edit Kconfig lines: remove a line, an operand or an `if`, swap range bounds.

Why a module of its own: the logic's rules (KLS201, KLS209-KLS213) find
their problems on whole Kconfig lines (`depends on A && B`, `select T if
C`, `range 10 5`), and their fixes are the same few edits of such a line.
Each function here reads the file's bytes and returns a `Fix` (plain data:
text edits with UTF-8 byte spans, converted to positions at the server's
edge) or None when the line is not written in a way the edit can handle
safely (a line continued with a backslash, a second statement on the line,
an operand the text does not show as written). A fix that is not offered
is better than one that breaks the file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import Fix, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

if TYPE_CHECKING:
    from kconfig_ls.logic.redundancy import RedundancyFinding

__all__ = [
    "drop_condition_fix",
    "redundancy_fixes",
    "remove_line_fix",
    "remove_operand_fix",
    "select_to_depends_fix",
    "swap_range_bounds_fix",
    "top_level_split",
]

_CONTINUATION = b"\\\n"


def _line_bounds(text: bytes, span: Span) -> tuple[int, int] | None:
    """The start of the span's first line and the end of its last (after the newline), or None
    when something other than blanks or a comment shares the line, or a backslash continues it."""
    line_start = text.rfind(b"\n", 0, span.start) + 1
    if text[line_start : span.start].strip(b" \t"):
        return None
    newline = text.find(b"\n", span.end)
    line_end = len(text) if newline < 0 else newline + 1
    rest = text[span.end : line_end].strip(b" \t\r\n")
    if rest and not rest.startswith(b"#"):
        return None
    if _CONTINUATION in text[line_start:line_end]:
        return None
    return line_start, line_end


def remove_line_fix(path: str, text: bytes, span: Span, title: str) -> Fix | None:
    """Remove the line(s) of `span`, with its newline (and its trailing comment)."""
    bounds = _line_bounds(text, span)
    if bounds is None:
        return None
    return Fix(title, (TextEdit(Location(path, Span(*bounds)), ""),))


def top_level_split(text: bytes, separator: bytes) -> list[tuple[int, int]] | None:
    """The spans (relative to `text`) of the parts between top-level separators (`&&`, `||`),
    outside parentheses and quotes; None when the parentheses or quotes do not balance."""
    parts: list[tuple[int, int]] = []
    depth = 0
    quote = 0
    start = 0
    index = 0
    while index < len(text):
        byte = text[index]
        if quote:
            if byte == 0x5C:  # a backslash escapes the next byte inside quotes
                index += 2
                continue
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and text.startswith(separator, index):
            parts.append((start, index))
            index += len(separator)
            start = index
            continue
        index += 1
    if depth or quote:
        return None
    parts.append((start, len(text)))
    return parts


def _if_keyword(text: bytes, start: int) -> int | None:
    """The offset of the first top-level `if` word at or after `start`, outside quotes and parentheses."""
    depth = 0
    quote = 0
    index = start
    while index < len(text):
        byte = text[index]
        if quote:
            if byte == 0x5C:
                index += 2
                continue
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
        elif (
            depth == 0
            and text.startswith(b"if", index)
            and index > 0
            and text[index - 1 : index] in (b" ", b"\t", b")", b'"')
            and (index + 2 == len(text) or not _is_word_byte(text[index + 2]))
        ):
            return index
        index += 1
    return None


def _is_word_byte(byte: int) -> bool:
    return chr(byte).isalnum() or byte == 0x5F


_DEPENDS = re.compile(rb"[ \t]*depends[ \t]+on[ \t]+")


def remove_operand_fix(
    path: str,
    text: bytes,
    span: Span,
    index: int,
    count: int,
    remaining: str,
    title: str,
) -> Fix | None:
    """Remove operand `index` of the `depends on A && B && ...` line at `span`.

    The operand is cut out of the text as written (with one `&&` next to
    it) when the line's top-level `&&` parts are the operands; otherwise
    (`depends on A && (B && C)`, which the expression flattens) the
    expression is replaced by `remaining`, the other operands rendered.
    """
    line = text[span.start : span.end]
    match = _DEPENDS.match(line)
    if match is None or not 0 <= index < count or count < 2:
        return None
    expression_start = span.start + match.end()
    expression_end = span.end
    condition_at = _if_keyword(text[:expression_end], expression_start)
    if condition_at is not None:
        return None  # `depends on A && B if C`: the operands are not the line's conjuncts
    expression = text[expression_start:expression_end]
    parts = top_level_split(expression, b"&&")
    if parts is not None and len(parts) == count:
        if index < len(parts) - 1:
            # `A && B`: remove `A && ` (up to the next operand's first byte).
            cut_start = parts[index][0]
            following = parts[index + 1][0]
            while following < len(expression) and expression[following] in b" \t":
                following += 1
            cut_end = following
        else:
            # The last operand: remove ` && B` (from the end of the previous operand).
            previous_end = parts[index - 1][1]
            while previous_end > 0 and expression[previous_end - 1] in b" \t":
                previous_end -= 1
            cut_start, cut_end = previous_end, parts[index][1]
        if index == 0:
            cut_start = 0
        edit = TextEdit(Location(path, Span(expression_start + cut_start, expression_start + cut_end)), "")
        return Fix(title, (edit,))
    if not remaining:
        return None
    return Fix(title, (TextEdit(Location(path, Span(expression_start, expression_end)), remaining),))


def drop_condition_fix(path: str, text: bytes, span: Span, title: str) -> Fix | None:
    """Remove the ` if C` at the end of the line at `span` (a `select`, `imply`, `default`, `range`)."""
    line_start = span.start
    keyword_end = line_start
    while keyword_end < span.end and _is_word_byte(text[keyword_end]):
        keyword_end += 1
    at = _if_keyword(text[: span.end], keyword_end)
    if at is None:
        return None
    start = at
    while start > line_start and text[start - 1] in b" \t":
        start -= 1
    return Fix(title, (TextEdit(Location(path, Span(start, span.end)), ""),))


_RANGE = re.compile(rb"range[ \t]+([^ \t\"'()]+)[ \t]+([^ \t\"'()]+)")


def swap_range_bounds_fix(path: str, text: bytes, span: Span, title: str) -> Fix | None:
    """`range 10 5` -> `range 5 10`: two edits, one per bound, as written."""
    match = _RANGE.match(text, span.start, span.end)
    if match is None:
        return None
    low, high = match.group(1), match.group(2)
    if low.startswith(b"if") and len(low) == 2:
        return None
    edits = (
        TextEdit(Location(path, Span(match.start(1), match.end(1))), high.decode("utf-8", "replace")),
        TextEdit(Location(path, Span(match.start(2), match.end(2))), low.decode("utf-8", "replace")),
    )
    return Fix(title, edits)


def select_to_depends_fix(path: str, text: bytes, span: Span, target: str) -> Fix | None:
    """`select TARGET` -> `depends on TARGET` (an unconditional select only: `depends on` has no `if`
    in the C tools' grammar, and `depends on T || !C` would read worse than the select)."""
    line = text[span.start : span.end]
    if not line.startswith(b"select") or _if_keyword(line, 6) is not None:
        return None
    if line[6:].strip() != target.encode():
        return None
    return Fix(
        f"use 'depends on {target}' instead of 'select {target}'",
        (TextEdit(Location(path, Span(span.start, span.start + 6)), "depends on"),),
    )


def redundancy_fixes(text: bytes, finding: RedundancyFinding) -> tuple[Fix, ...]:
    """The fix of a KLS209-KLS213 finding (`RedundancyFinding.fix` names it), on the file's bytes."""
    path, span = finding.location.path, finding.location.span
    line = text[span.start : span.end].decode("utf-8", "replace")
    shown = line if len(line) <= 60 else line[:57] + "..."
    fix: Fix | None = None
    if finding.fix == "remove-line":
        fix = remove_line_fix(path, text, span, f"remove '{shown}'")
    elif finding.fix == "remove-operand":
        fix = remove_operand_fix(
            path,
            text,
            span,
            finding.operand_index,
            finding.operand_count,
            finding.remaining,
            "remove the redundant operand",
        )
    elif finding.fix == "drop-condition":
        fix = drop_condition_fix(path, text, span, "drop the condition (it always holds)")
    elif finding.fix == "remove-never":
        fix = remove_line_fix(path, text, span, f"remove '{shown}' (its condition never holds)")
    elif finding.fix == "swap-bounds":
        fix = swap_range_bounds_fix(path, text, span, "swap the bounds")
    return () if fix is None else (fix,)

"""What is under the cursor: a symbol name, a keyword, or nothing.

Features start from a byte offset into a file. For Kconfig the word under
the cursor is an identifier (`[A-Za-z0-9_]+`) outside strings, comments
and help texts; the first word of a line is a keyword, not a symbol. In C
sources, Makefiles and configuration files a symbol is spelled
`CONFIG_NAME` (and `CONFIG_NAME_MODULE` for the `m` test); the prefix is
stripped here and the `_MODULE` suffix is resolved against the symbol
table by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kconfig_ls.ide.file_kinds import FileKind
from kconfig_ls.syntax.kconfig import KconfigFile, Node, Span

__all__ = ["CursorWord", "SymbolAtCursor", "help_text_spans", "line_bounds", "symbol_at", "word_at"]

_WORD_BYTE: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_CONFIG_REFERENCE: Final = re.compile(rb"CONFIG_([A-Za-z0-9_]+)")
_CONSTANT: Final = re.compile(r"[ymn]|-?[0-9]+|0[xX][0-9a-fA-F]+")
# Words that are keywords wherever they appear inside a Kconfig line.
_INLINE_KEYWORDS: Final = frozenset({"on", "if"})


@dataclass(frozen=True, slots=True)
class CursorWord:
    """The identifier-like word around an offset, and where it is in its line."""

    text: str
    span: Span
    first_in_line: bool
    line_start: int


@dataclass(frozen=True, slots=True)
class SymbolAtCursor:
    """A Kconfig symbol named at the cursor.

    `name` has no `CONFIG_` prefix. `module_suffix` is set when a C-side
    spelling ends in `_MODULE`: the caller decides whether that is the
    suffix (`CONFIG_FOO_MODULE` tests FOO) or part of the name.
    `span` covers the whole spelling in the file.
    """

    name: str
    span: Span
    module_suffix: bool = False


def line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    """Start and end (before the newline) of the line that contains offset."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    if end < 0:
        end = len(data)
    return start, end


def word_at(data: bytes, offset: int) -> CursorWord | None:
    """The `[A-Za-z0-9_]+` word containing offset, or ending just before it."""
    if offset < 0 or offset > len(data):
        return None
    start = offset
    if start >= len(data) or data[start] not in _WORD_BYTE:
        if start > 0 and data[start - 1] in _WORD_BYTE:
            start -= 1
        else:
            return None
    end = start
    while start > 0 and data[start - 1] in _WORD_BYTE:
        start -= 1
    while end < len(data) and data[end] in _WORD_BYTE:
        end += 1
    line_start, _ = line_bounds(data, start)
    first_in_line = not data[line_start:start].strip()
    return CursorWord(data[start:end].decode("ascii"), Span(start, end), first_in_line, line_start)


def symbol_at(
    data: bytes, offset: int, kind: FileKind, parsed: KconfigFile | None = None
) -> SymbolAtCursor | None:
    """The symbol named at offset in a file of the given kind, if any."""
    if kind is FileKind.KCONFIG:
        return _kconfig_symbol_at(data, offset, parsed)
    if kind in (FileKind.C, FileKind.MAKEFILE, FileKind.CONFIG):
        return _config_reference_at(data, offset)
    return None


def help_text_spans(parsed: KconfigFile) -> list[Span]:
    """The spans of every help text in a parsed Kconfig file (`help` line included)."""
    spans: list[Span] = []
    # An explicit stack, not a recursive closure: closures that call
    # themselves are reference cycles, garbage only the cyclic collector frees.
    stack: list[Node] = list(reversed(parsed.nodes))
    while stack:
        node = stack.pop()
        help_text = getattr(node, "help", None)
        if help_text is not None:
            spans.append(help_text.span)
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))
    return spans


def _kconfig_symbol_at(data: bytes, offset: int, parsed: KconfigFile | None) -> SymbolAtCursor | None:
    word = word_at(data, offset)
    if word is None or word.first_in_line:
        return None
    if word.text in _INLINE_KEYWORDS or _CONSTANT.fullmatch(word.text):
        return None
    if _inside_string_or_comment(data[word.line_start : word.span.start]):
        return None
    if parsed is not None and any(
        span.start <= word.span.start < span.end for span in help_text_spans(parsed)
    ):
        # Only the help body is prose; the `help` keyword line itself is not.
        return None
    if word.span.start >= 2 and data[word.span.start - 2 : word.span.start] == b"$(":
        return None  # a macro name such as `$(SRCARCH)`
    return SymbolAtCursor(word.text, word.span)


def _config_reference_at(data: bytes, offset: int) -> SymbolAtCursor | None:
    word = word_at(data, offset)
    if word is None:
        return None
    match = _CONFIG_REFERENCE.fullmatch(data, word.span.start, word.span.end)
    if match is None:
        return None
    name = match.group(1).decode("ascii")
    return SymbolAtCursor(name, word.span, module_suffix=name.endswith("_MODULE"))


def _inside_string_or_comment(before: bytes) -> bool:
    """Whether the end of `before` (a line prefix) is inside quotes or a comment."""
    quote = 0
    index = 0
    while index < len(before):
        character = before[index]
        if quote:
            if character == 0x5C:  # backslash escapes the next character
                index += 1
            elif character == quote:
                quote = 0
        elif character in (0x22, 0x27):
            quote = character
        elif character == 0x23:  # '#'
            return True
        index += 1
    return quote != 0

"""Help texts: where one ends, and how a half-typed line inside one is recovered.

The C tools end a help text at the first line indented less than its first
line. While typing, that ends it at every half-typed line in the middle of
prose; this reader parses such a line on its own and resumes the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kconfig_ls.syntax.kconfig.lexical import (
    ATTRIBUTE_KEYWORDS,
    ENTRY_KEYWORDS,
    is_keyword_line,
    line_indentation,
    looks_half_typed,
    strip_comment,
)
from kconfig_ls.syntax.kconfig.nodes import CommentEntry, HelpText, MenuEntry, Span

if TYPE_CHECKING:
    from kconfig_ls.syntax.kconfig.parser import KconfigParser


def parse_help(parser: KconfigParser, index: int, line: str, line_span: Span) -> int:
    """Consume a help text: lines indented at least as deep as its first line.

    Recovery for editors: a less-indented line *inside* a help text (one
    followed by more help-indented prose) ends the help for the C tools,
    which then choke on every following line of prose. Here that line is
    parsed on its own (reporting its problem) and the help text resumes,
    so a half-typed line in the middle of a help text damages nothing.
    """
    entry = parser.current
    lines = parser.lines
    next_index = index + 1
    first_indent = -1
    last_text_index = index
    interruptions: list[int] = []
    keyword_indent = line_indentation(line)
    shallow = False
    first_prefix = None
    line_count = len(lines)
    while next_index < line_count:
        candidate = lines[next_index]
        # Fast path: a line that starts with the first help line's exact
        # indentation is help text (most help lines of real trees).
        if first_prefix is not None and candidate.startswith(first_prefix) and not shallow:
            if not candidate.isspace():
                last_text_index = next_index
            next_index += 1
            continue
        if not candidate or candidate.isspace():
            next_index += 1
            continue
        indent = line_indentation(candidate)
        if first_indent < 0:
            first_prefix = candidate[: len(candidate) - len(candidate.lstrip())]
            if indent == 0:
                break
            first_indent = indent
            if indent <= keyword_indent:
                # Legal for the C tools (291 help texts of Linux x86 do
                # it), but while typing it is often a half-typed attribute
                # right after `help`: let the next statement at this depth
                # end the text (below), and warn when the line starts like
                # a statement (a keyword, or the start of one).
                shallow = True
                if is_keyword_line(candidate):
                    break
                first_word = candidate.split(None, 1)[0]
                if (
                    first_word in ENTRY_KEYWORDS
                    or first_word in ATTRIBUTE_KEYWORDS
                    or looks_half_typed(candidate)
                ):
                    parser._problem(
                        "help text is not indented deeper than 'help'; is this line a statement?",
                        Span(parser.line_starts[next_index], parser.line_starts[next_index] + len(candidate)),
                        "warning",
                    )
        elif shallow and indent <= keyword_indent and is_keyword_line(candidate):
            break
        elif indent < first_indent:
            if not _help_resumes_after(parser, next_index, first_indent):
                break
            interruptions.append(next_index)
        last_text_index = next_index
        next_index += 1
    if interruptions:
        skipped = set(interruptions)
        help_lines = tuple(lines[i] for i in range(index + 1, last_text_index + 1) if i not in skipped)
    else:
        help_lines = tuple(lines[index + 1 : last_text_index + 1])
    last_line = lines[last_text_index]
    end = parser.line_starts[last_text_index] + (
        len(last_line) if last_line.isascii() else len(last_line.encode("utf-8", "surrogateescape"))
    )
    if entry is None or isinstance(entry, (MenuEntry, CommentEntry)):
        parser._problem("'help' must follow a config or choice entry", line_span)
    else:
        entry.help = HelpText(help_lines, first_indent, Span(line_span.start, end))
        entry.span = Span(entry.span.start, end)
    for interruption in interruptions:
        interrupting_line = lines[interruption]
        if "#" in interrupting_line:
            interrupting_line = strip_comment(interrupting_line)
        stripped = interrupting_line.strip()
        if stripped:
            parser._parse_line(interruption, interrupting_line, stripped)
        parser.current = entry
    return last_text_index + 1


def _help_resumes_after(parser: KconfigParser, index: int, help_indent: int) -> bool:
    """Whether the next non-blank line after `index` is help-indented prose."""
    lines = parser.lines
    following = index + 1
    while following < len(lines) and (not lines[following] or lines[following].isspace()):
        following += 1
    if following >= len(lines):
        return False
    candidate = lines[following]
    if line_indentation(candidate) < help_indent:
        return False
    first_word = candidate.split(None, 1)[0]
    return first_word not in ENTRY_KEYWORDS and first_word not in ATTRIBUTE_KEYWORDS


# -- pieces -------------------------------------------------------------------

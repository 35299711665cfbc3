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
    split_keyword,
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
    so a half-typed line in the middle of a help text damages nothing. Where
    resuming reads a line as help that the C tools would read as a statement,
    a warning says so: no attribute is ever lost silently.

    A menu may have a help text too (an ESP-IDF extension, accepted by
    esp-kconfiglib and kconfiglib: ESP-IDF components/fatfs/Kconfig:336).
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
    if entry is None or isinstance(entry, CommentEntry):
        parser._problem("'help' must follow a config, choice or menu entry", line_span)
    elif isinstance(entry, MenuEntry):
        entry.help = HelpText(help_lines, first_indent, Span(line_span.start, end))
    else:
        entry.help = HelpText(help_lines, first_indent, Span(line_span.start, end))
        entry.span = Span(entry.span.start, end)
    for interruption in interruptions:
        interrupting_line = lines[interruption]
        if "#" in interrupting_line:
            interrupting_line = strip_comment(interrupting_line)
        stripped = interrupting_line.strip()
        if stripped in _HELP_KEYWORDS:
            # Parsed as a line, it would read the rest of this text again as its own help
            # (and each later `help` again: exponential). The C tools start a new text here.
            start = (
                parser.line_starts[interruption] + len(interrupting_line) - len(interrupting_line.lstrip())
            )
            parser._problem(
                "a second 'help' inside the help text: the C tools end the text here and read a new one, "
                "which replaces it; remove this line or indent it as the text",
                Span(start, start + len(stripped)),
                "warning",
            )
        elif stripped:
            parser._parse_line(interruption, interrupting_line, stripped)
        parser.current = entry
    if interruptions:
        _warn_statements_read_as_help(parser, interruptions, last_text_index)
    parser.help_lines.append((index, last_text_index))
    return last_text_index + 1


def _help_resumes_after(parser: KconfigParser, index: int, help_indent: int) -> bool:
    """Whether the next line after `index` that is neither blank nor a `#` comment is help-indented prose.

    Comment lines are skipped: an entry that starts with an indented comment
    (ESP-IDF components/spi_flash/Kconfig:45, `config X` then `# ...` then
    `bool "Enable"`) must keep its type and prompt.
    """
    lines = parser.lines
    following = index + 1
    while following < len(lines):
        stripped = lines[following].strip()
        if stripped and stripped[0] != "#":
            break
        following += 1
    if following >= len(lines):
        return False
    candidate = lines[following]
    if line_indentation(candidate) < help_indent:
        return False
    first_word = split_keyword(candidate.strip())[0]
    return first_word not in ENTRY_KEYWORDS and first_word not in ATTRIBUTE_KEYWORDS


def _warn_statements_read_as_help(parser: KconfigParser, interruptions: list[int], last_index: int) -> None:
    """Warn about each statement-like line that resuming a help text read as help.

    The C tools end the help text at the interrupting line and read the
    lines after it as statements; this reader keeps them as help. When one
    of them is a well-formed statement, that difference matters.
    """
    lines = parser.lines
    skipped = set(interruptions)
    interruption = interruptions[0]
    for line_index in range(interruptions[0] + 1, last_index + 1):
        line = lines[line_index]
        if line_index in skipped:
            interruption = line_index
            continue
        if not line.strip() or not is_keyword_line(line):
            continue
        first_line = interruption + 1
        start = parser.line_starts[line_index] + len(line) - len(line.lstrip())
        parser._problem(
            f"this line is read as help text, which resumes after the less indented line {first_line}; "
            "if it is an attribute, indent it as the other attributes",
            Span(start, start + len(line.strip().encode("utf-8", "surrogateescape"))),
            "warning",
        )


_HELP_KEYWORDS = frozenset({"help", "---help---"})


# -- pieces -------------------------------------------------------------------

"""The parser's fast path: the most common well-formed lines, classified by one match.

`select X`, `config X`, `bool "..."`, `depends on EXPR`, `default EXPR`,
`source "PATH"` and `comment "TEXT"` are most statements of real trees; this
path builds the same nodes as the general one in `parser.py`, and anything
unusual returns False for the general path to take.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from kconfig_ls.syntax.expression import Expression, ExpressionSyntaxError, parse_expression_with_names
from kconfig_ls.syntax.kconfig.nodes import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    Default,
    Dependency,
    NameOffsets,
    NameSource,
    Prompt,
    ReverseDependency,
    SourceStatement,
    Span,
    TypeDeclaration,
)

if TYPE_CHECKING:
    from kconfig_ls.syntax.kconfig.parser import KconfigParser

__all__ = ["COMMON_LINE", "IF_WORD", "new_span", "parse_common_line"]

# The fast path of `parse_common_line`: one C-level match classifies a line.
COMMON_LINE: Final = re.compile(
    r"(?P<select_keyword>select|imply)[ \t]+(?P<select>[A-Za-z0-9_]+)"
    r"|(?P<config_keyword>config|menuconfig)[ \t]+(?P<config>[A-Za-z0-9_]+)"
    r'|(?P<type_keyword>bool|tristate)[ \t]+"(?P<prompt>[^"\\$]*)"'
    r"|depends[ \t]+on[ \t]+(?P<depends>[^#'$]+)"
    r"|default[ \t]+(?P<default>[^#'$]+)"
    r'|(?P<source_keyword>source|rsource|osource|orsource)[ \t]+"(?P<source>[^"\\]*)"'
    r'|comment[ \t]+"(?P<comment>[^"\\]*)"'
)
# An `if` word in the expression of `depends on` or `default` (a condition) takes the
# general path; searched apart, since a look-ahead at every character of the match cost
# four times the match (the `depends on` lines are a fifth of the statements).
IF_WORD: Final = re.compile(r"\bif\b")
# `tuple.__new__(Span, (start, end))` builds a span without the named tuple's
# Python-level `__new__` (about half the cost; ~250,000 spans on Linux).
new_span: Final = tuple.__new__


def parse_common_line(parser: KconfigParser, index: int, line: str, stripped: str) -> bool:
    """The most common well-formed lines, without the general machinery (True when parsed).

    `select X`, `config X`, `bool "..."`/`tristate "..."`, `depends on
    EXPR` and `default EXPR` are 75% of the statements of real trees;
    `source "PATH"` and `comment "TEXT"` come next. This path builds the
    same nodes as the general one; anything unusual (a condition, an
    escape, a problem to report) returns False and takes the general path.
    (`help` and a bare type are short-cut in the parser's `_parse_line`.)
    """
    match = COMMON_LINE.fullmatch(stripped)
    if match is None:
        return False
    line_start = parser.line_starts[index]
    indentation = len(line) - len(line.lstrip())
    base = line_start + indentation
    line_span = new_span(Span, (base, base + len(stripped)))
    kind = match.lastgroup
    entry = parser.current
    if kind == "select":
        if not isinstance(entry, ConfigEntry):
            return False
        keyword, target = match.group("select_keyword", "select")
        target_start = base + match.start("select")
        reverse = ReverseDependency(
            keyword, target, None, line_span, new_span(Span, (target_start, target_start + len(target)))
        )
        (entry.selects if keyword == "select" else entry.implies).append(reverse)
        return True
    if kind == "config":
        parser._leave_entry()
        name = match.group("config")
        name_start = base + match.start("config")
        config = ConfigEntry(
            match.group("config_keyword"),
            name,
            new_span(Span, (name_start, name_start + len(name))),
            line_span,
        )
        parser._append(config)
        parser.current = config
        return True
    if kind == "source":
        # source "PATH" (no escape), as `_parse_entry` and `_string_argument` read it
        parser._leave_entry()
        path = match.group("source")
        path_start = base + match.start("source") - 1
        parser._append(
            SourceStatement(
                match.group("source_keyword"),
                path,
                new_span(Span, (path_start, path_start + len(path) + 2)),
                line_span,
            )
        )
        return True
    if kind == "comment":
        # comment "TEXT" (no escape)
        parser._leave_entry()
        comment = CommentEntry(match.group("comment"), line_span)
        parser._append(comment)
        parser.current = comment
        return True
    if kind == "prompt":
        if not isinstance(entry, (ConfigEntry, ChoiceEntry)) or entry.type is not None:
            return False
        entry.type = TypeDeclaration(match.group("type_keyword"), line_span)
        text_start = base + match.start("prompt") - 1
        text = match.group("prompt")
        entry.prompts.append(
            Prompt(text, None, line_span, new_span(Span, (text_start, text_start + len(text) + 2)))
        )
        return True
    if kind == "default":
        # default EXPR (no condition, no string, no macro), in a config or a choice
        if not isinstance(entry, (ConfigEntry, ChoiceEntry)):
            return False
        parsed = _plain_expression(match, "default", base)
        if parsed is None:
            return False
        entry.defaults.append(Default(parsed[0], None, line_span, parsed[1], parsed[2]))
        return True
    # depends on EXPR (no condition, no comment, no macro)
    if entry is None:
        return False
    parsed = _plain_expression(match, "depends", base)
    if parsed is None:
        return False
    entry.dependencies.append(Dependency(parsed[0], None, line_span, parsed[1], parsed[2]))
    return True


def _plain_expression(
    match: re.Match[str], group: str, base: int
) -> tuple[Expression, Span, NameSource] | None:
    """The expression of `depends on EXPR` or `default EXPR`, its span and names; None with an `if`."""
    text = match.group(group)
    if "if" in text and IF_WORD.search(text) is not None:
        return None
    try:
        expression, relative = parse_expression_with_names(text)
    except ExpressionSyntaxError:
        return None
    text_start = base + match.start(group)
    names: NameSource = NameOffsets(relative, text_start) if relative else ()
    return expression, new_span(Span, (text_start, text_start + len(text))), names

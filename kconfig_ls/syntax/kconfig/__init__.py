"""The Kconfig parser: one file's text in, a syntax tree and its problems out.

Why our own parser and not tree-sitter-kconfig: the measured facts
(`shared/notes/measured-facts.md`) show that tree-sitter-kconfig 1.3.0 turns
everything after one half-typed line into a single ERROR node, and misses
constructs used by current trees (`depends on X if Y`, `transitional`,
`---help---`, `option env=`). Kconfig is a line-oriented language: every
statement and every attribute starts a line with a keyword, and only help
texts span lines. A line-oriented parser therefore gets error isolation for
free: a broken line yields one `SyntaxProblem` and is skipped, and the
entries before and after it are untouched. It is also fast enough for the
whole Linux tree (see `bench/`).

The parser never expands macros and never looks at other files: `source`
statements, macro assignments and `$(...)` references are recorded as they
are written, and `kconfig_ls.semantics` links files and expands macros. That
keeps parsing a pure function of one file's bytes, which is what makes
re-deriving one edited file cheap.

All spans are UTF-8 byte offsets into the file. The package's modules:
`nodes` (the syntax tree), `parser` (the line-at-a-time state machine),
`help_text` (where a help text ends), `lexical` (keywords, quotes, comments),
`occurrences` (every use of a symbol name in a file, with its exact span),
`columns` (columns of continued and non-ASCII lines to byte offsets).
"""

from __future__ import annotations

from kconfig_ls.syntax.kconfig.lexical import quote_state
from kconfig_ls.syntax.kconfig.nodes import (
    Block,
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    Default,
    Dependency,
    HelpText,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MainMenu,
    MenuEntry,
    NameOccurrence,
    Node,
    Prompt,
    Range,
    ReverseDependency,
    SourceStatement,
    Span,
    SyntaxProblem,
    TypeDeclaration,
    entry_extent,
)
from kconfig_ls.syntax.kconfig.occurrences import NameUse, name_uses
from kconfig_ls.syntax.kconfig.parser import parse_kconfig

__all__ = [
    "Block",
    "ChoiceEntry",
    "CommentEntry",
    "ConfigEntry",
    "Default",
    "Dependency",
    "HelpText",
    "IfBlock",
    "KconfigFile",
    "MacroAssignment",
    "MainMenu",
    "MenuEntry",
    "NameOccurrence",
    "NameUse",
    "Node",
    "Prompt",
    "Range",
    "ReverseDependency",
    "SourceStatement",
    "Span",
    "SyntaxProblem",
    "TypeDeclaration",
    "entry_extent",
    "name_uses",
    "parse_kconfig",
    "quote_state",
]

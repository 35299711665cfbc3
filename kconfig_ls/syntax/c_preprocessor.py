"""A fast scanner for the preprocessor conditionals and `CONFIG_` references of C files.

The workspace index must read the whole Linux tree (61,000 `.c`/`.h` files,
1.34 GB) in seconds, so this scanner never tokenizes a whole file. It finds
the few interesting places with fast literal searches (`#if`-like directives,
`CONFIG_` identifiers) and works out the lexical context of each one locally:
whether it is inside a block comment is tracked with backward searches for
`/*` and `*/` that together cover the file once, and strings and `//` comments
are recognised by lexing only the line in front of the position. Files that do
not mention `CONFIG_` cost one `bytes.find` in `find_config_references`.

The scan gives (see `scan_c`):

- every conditional directive (`#if`, `#ifdef`, `#ifndef`, `#elif`,
  `#elifdef`, `#elifndef`, `#else`, `#endif`) with its byte span, 0-based line
  and, for the testing ones, its condition as an `Expression`
  (`defined(CONFIG_X)` and `#ifdef CONFIG_X` become `CTest("defined", "X")`,
  `IS_ENABLED(CONFIG_X)` becomes `CTest("IS_ENABLED", "X")`, a bare
  `CONFIG_X` becomes `CTest("value", "X")`, `CONFIG_NR_CPUS > 4` becomes a
  `Compare`, other macros and arithmetic become `Unknown`, numbers `Constant`);
- the blocks and branches they form, for guard conditions
  (`CScan.guard_condition`) and matching-directive navigation;
- every `CONFIG_` occurrence, classified and marked as counting or not by the
  policy in `kconfig_ls.syntax.config_reference`; the `CONFIG_` names in the
  comments of directive lines (`#endif /* CONFIG_MIGRATION */`) are also
  attached to their directive;
- the file's own definitions of `CONFIG_` names (`#define CONFIG_FOO`, enum
  members, ...), which the workspace collects tree-wide;
- problems: unterminated blocks, stray `#else`/`#elif`/`#endif`, `#elif`
  after `#else`, malformed conditions, binary files.

Known approximations, all rare in real code: a `/*` or `*/` inside a string
that spans lines, a `//` comment continued with a backslash after a
directive, and a directive preceded by a comment on its own line
(`/* x */ #if`). Directive detection, extents, comments and conditions agree
with tree-sitter-c on a sample of the Linux tree
(tests/linux/test_c_scanner_agrees_with_tree_sitter.py), and the scanner
reports no problem on any of Linux 6.12's 61,000 C files.
"""

from __future__ import annotations

from kconfig_ls.syntax.c_conditions import (
    MAXIMUM_CONDITION_DEPTH,
    ConditionNode,
    ConditionSyntaxError,
    condition_expression,
    directive_condition,
    parse_c_condition,
    render_condition_node,
)
from kconfig_ls.syntax.c_lexer import FoundDirective, _find_directives, condition_text
from kconfig_ls.syntax.c_scan_builder import _ScanBuilder
from kconfig_ls.syntax.c_scan_results import (
    CONDITIONAL_DIRECTIVE_KINDS,
    Branch,
    CDefinition,
    ConditionalBlock,
    CScan,
    Directive,
)
from kconfig_ls.syntax.config_reference import (
    CONFIG_IDENTIFIER_BYTES_PATTERN,
    DEFAULT_REFERENCE_SYNTAX,
    ConfigReference,
    ReferenceSyntax,
    SyntaxProblem,
    is_identifier_byte,
    looks_binary,
)

__all__ = [
    "CONDITIONAL_DIRECTIVE_KINDS",
    "MAXIMUM_CONDITION_DEPTH",
    "Branch",
    "CDefinition",
    "CScan",
    "ConditionNode",
    "ConditionSyntaxError",
    "ConditionalBlock",
    "Directive",
    "FoundDirective",
    "binary_file_scan",
    "build_scan",
    "condition_expression",
    "condition_text",
    "directive_condition",
    "find_config_references",
    "index_c_file",
    "parse_c_condition",
    "render_condition_node",
    "scan_c",
]


# --- public entry points -----------------------------------------------------------


def scan_c(
    data: bytes,
    *,
    symbols_ending_in_module: frozenset[str] = frozenset(),
    syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX,
) -> CScan:
    """Scan one C or header file's bytes; never raises on malformed input.

    `symbols_ending_in_module` lists Kconfig symbols whose own name ends in
    `_MODULE`, so that `CONFIG_FOO_MODULE` is not read as "FOO is m" (empty
    for Linux). `syntax` adds an ecosystem's macro forms (U-Boot's
    `CONFIG_IS_ENABLED(X)`, coreboot's `CONFIG(X)`).
    """
    if looks_binary(data):
        return binary_file_scan()
    directives = _find_directives(data, symbols_ending_in_module=symbols_ending_in_module)
    return build_scan(data, directives, symbols_ending_in_module=symbols_ending_in_module, syntax=syntax)


def binary_file_scan() -> CScan:
    """The scan of a file that is not text: nothing but a problem saying so."""
    return CScan((), (), (), (), (), (SyntaxProblem((0, 0), 0, "binary file, not scanned as C"),))


def find_config_references(
    data: bytes, *, symbols_ending_in_module: frozenset[str] = frozenset()
) -> tuple[ConfigReference, ...]:
    """The `CONFIG_` occurrences of a C file, for the workspace index.

    Most files never mention `CONFIG_`; they cost one `bytes.find`.
    """
    return index_c_file(data, symbols_ending_in_module=symbols_ending_in_module)[0]


def index_c_file(
    data: bytes, *, symbols_ending_in_module: frozenset[str] = frozenset()
) -> tuple[tuple[ConfigReference, ...], tuple[CDefinition, ...]]:
    """The references and the `CONFIG_` definitions of a C file, as cheaply as possible.

    The workspace collects the definitions of the whole tree: a name that some
    file defines as an enum member or register macro (rt2x00.h's
    `CONFIG_MONITORING`) is not a Kconfig reference in the files that use it.
    """
    if data.find(b"CONFIG_") < 0:
        return (), ()
    # Some files that contain the bytes `CONFIG_` only have them inside longer
    # names (`mmMC_CONFIG_...` register headers); they need no scan.
    for match in CONFIG_IDENTIFIER_BYTES_PATTERN.finditer(data):
        start = match.start()
        if not start or not is_identifier_byte(data[start - 1]):
            break
    else:
        return (), ()
    if looks_binary(data):
        return (), ()
    # The references need the directives' extents but not their conditions nor
    # the blocks, unless the file defines a `CONFIG_` name: whether that
    # definition is a fallback depends on its guard.
    builder = _ScanBuilder(data, _find_directives(data, with_conditions=False), symbols_ending_in_module)
    found = builder.references_without_structure()
    if found is None:
        scan = scan_c(data, symbols_ending_in_module=symbols_ending_in_module)
        return scan.references, scan.definitions
    return found


def build_scan(
    data: bytes,
    found: list[FoundDirective],
    *,
    symbols_ending_in_module: frozenset[str] = frozenset(),
    syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX,
) -> CScan:
    """Assemble a `CScan` from directives found by a front end (this scanner or tree-sitter).

    Both front ends share the block building, the reference classification
    and the policy; what they find independently is where the directives are,
    which parts of them are comments, and what their conditions mean.
    """
    builder = _ScanBuilder(data, found, symbols_ending_in_module, syntax)
    return builder.build()

"""Navigation in C, Makefile and config files: symbols, `#if` blocks, guards, references.

Plain data in and out, like the rest of `kconfig_ls.ide`: the symbol under
the cursor in `CONFIG_FOO_MODULE`, the directives of the block an `#endif`
closes, the guard condition of a line (`CONFIG_NUMA_MIGRATION &&
!CONFIG_NUMA_BALANCING`), and every use of a symbol across Kconfig and code,
each labelled by kind.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Final

from kconfig_ls.model.code_index import CodeFileKind, CodeIndex, describe_reference_kind
from kconfig_ls.model.workspace import KconfigWorkspace, Location
from kconfig_ls.syntax.c_preprocessor import CScan, Directive
from kconfig_ls.syntax.expression import TRUE, And, CTest, Expression, Not, Or, Symbol, render
from kconfig_ls.syntax.kconfig import Span

__all__ = [
    "CodeSymbol",
    "LabelledReference",
    "block_directives",
    "code_symbol_at",
    "directive_hover",
    "guard_condition",
    "labelled_references",
]

_IDENTIFIER: Final = re.compile(rb"[A-Za-z0-9_]+")

# Labels for find-references of Kconfig uses; code uses are described by the index.
_KCONFIG_LABELS: Final = {"prompt if": "prompt condition", "if": "if condition"}


@dataclass(frozen=True, slots=True)
class CodeSymbol:
    """A `CONFIG_` identifier under the cursor: the Kconfig symbol and the identifier's span."""

    symbol: str
    span: Span
    module_suffix: bool


@dataclass(frozen=True, slots=True)
class LabelledReference:
    location: Location
    label: str


def code_symbol_at(data: bytes, offset: int, known_symbols: Container[str]) -> CodeSymbol | None:
    """The Kconfig symbol named by the identifier at `offset`, if it is `CONFIG_...`.

    `CONFIG_FOO_MODULE` names FOO unless FOO_MODULE is itself a known symbol.
    """
    start = offset
    while start > 0 and (chr(data[start - 1]).isalnum() or data[start - 1] == ord("_")):
        start -= 1
    match = _IDENTIFIER.match(data, start)
    if match is None or match.end() < offset or not match.group().startswith(b"CONFIG_"):
        return None
    name = match.group()[len(b"CONFIG_") :].decode("ascii")
    if not name:
        return None
    if name.endswith("_MODULE") and name not in known_symbols and name[: -len("_MODULE")] in known_symbols:
        return CodeSymbol(name[: -len("_MODULE")], Span(match.start(), match.end()), True)
    return CodeSymbol(name, Span(match.start(), match.end()), False)


def block_directives(scan: CScan, offset: int) -> list[Directive]:
    """From a directive line, every directive of its block, `#if` first.

    Go-to-definition on `#else`/`#elif`/`#endif` lands on the opening `#if`
    (the first result); on the `#if`, the branches follow it.
    """
    index = scan.directive_at(offset)
    if index is None:
        return []
    return list(scan.matching_directives(index))


def guard_condition(scan: CScan, offset: int) -> str:
    """The full condition under which the code at `offset` is compiled, in C syntax.

    `""` outside of any block.
    """
    condition = scan.guard_condition(offset)
    return "" if condition == TRUE else render(_readable(condition), c_syntax=True)


def _readable(expression: Expression) -> Expression:
    """`defined(CONFIG_X)` shown as `CONFIG_X`, as kernel comments and reviews write guards."""
    if isinstance(expression, CTest) and expression.test == "defined" and not expression.module_suffix:
        return Symbol(expression.symbol)
    if isinstance(expression, Not):
        return Not(_readable(expression.operand))
    if isinstance(expression, And):
        return And(tuple(_readable(operand) for operand in expression.operands))
    if isinstance(expression, Or):
        return Or(tuple(_readable(operand) for operand in expression.operands))
    return expression


def directive_hover(scan: CScan, offset: int, data: bytes) -> str | None:
    """Markdown for a hover on `#else`/`#elif`/`#endif`: the block's conditions."""
    index = scan.directive_at(offset)
    if index is None:
        return None
    directive = scan.directives[index]
    if directive.kind in ("if", "ifdef", "ifndef") or directive.block is None:
        return None
    directives = scan.matching_directives(index)
    opening = directives[0]
    lines = [f"`#{directive.kind}` of the block opened at line {opening.line + 1}:", "", "```c"]
    for member in directives:
        text = data[member.span[0] : member.span[1]].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        marker = "  // <- here" if member is directive else ""
        lines.append(f"{text}{marker}")
        if member is directive:
            break
    lines.append("```")
    if directive.kind in ("else", "elif", "elifdef", "elifndef"):
        branch = next((b for b in scan.branches if b.directive == index), None)
        if branch is not None:
            lines += [
                "",
                "This branch is compiled when "
                f"`{render(_readable(branch.effective_condition), c_syntax=True)}`.",
            ]
    elif opening.condition is not None:
        lines += ["", f"It closes `{render(_readable(opening.condition), c_syntax=True)}`."]
    return "\n".join(lines)


def labelled_references(
    workspace: KconfigWorkspace,
    code_index: CodeIndex | None,
    symbol: str,
    include_definitions: bool = True,
) -> list[LabelledReference]:
    """Every use of `symbol` across Kconfig, C, headers, Makefiles and config files."""
    found: list[LabelledReference] = []
    if include_definitions:
        for definition in workspace.definitions.get(symbol, ()):
            found.append(LabelledReference(definition.location, "definition"))
    for reference in workspace.references.get(symbol, ()):
        label = _KCONFIG_LABELS.get(reference.kind, reference.kind)
        found.append(LabelledReference(_name_location(workspace, reference.location, symbol), label))
    if code_index is not None:
        for code_reference in code_index.references.get(symbol, ()):
            label = describe_reference_kind(code_reference.kind)
            found.append(LabelledReference(Location(code_reference.path, code_reference.span), label))
    return found


def file_kind_of(path: str) -> CodeFileKind | None:
    from kconfig_ls.model.code_index import classify_code_file

    return classify_code_file(path)


def _name_location(workspace: KconfigWorkspace, location: Location, name: str) -> Location:
    from kconfig_ls.checks.names import name_location

    return name_location(workspace, location, name)

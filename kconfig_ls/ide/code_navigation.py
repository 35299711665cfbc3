"""Navigation in C files: `#if` blocks and guard conditions.

Plain data in and out, like the rest of `kconfig_ls.ide`: the directives of
the block an `#endif` closes, a hover for `#else`/`#endif`, and the guard
condition of a line (`CONFIG_NUMA_MIGRATION && !CONFIG_NUMA_BALANCING`).
The symbol under the cursor is found by `cursor.symbol_at` for every kind of
file; code references come from the code index.
"""

from __future__ import annotations

from kconfig_ls.syntax.c_preprocessor import CScan, Directive
from kconfig_ls.syntax.expression import TRUE, And, CTest, Expression, Not, Or, Symbol, render

__all__ = [
    "block_directives",
    "directive_hover",
    "guard_condition",
]


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

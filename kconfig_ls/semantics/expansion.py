"""Macro expansion inside entries: what `$(module)_LOG_LEVEL` means where it is read.

Kconfig expands macros while it reads, so a template sourced twice defines
two symbols. Linking calls these helpers with the macro environment in force
at the entry; without macros in a file they are never called.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from kconfig_ls.semantics.macros import MacroEnvironment, UnknownValue
from kconfig_ls.syntax.expression import (
    FALSE,
    TRUE,
    And,
    Compare,
    Constant,
    Expression,
    ExpressionSyntaxError,
    Not,
    Or,
    Unknown,
    conjunction,
    disjunction,
    parse_expression,
)
from kconfig_ls.syntax.kconfig import ReverseDependency

__all__ = [
    "expand_environment_references",
    "expand_expression",
    "expand_optional",
    "expand_reverse_dependencies",
    "expand_text",
]


_ENVIRONMENT_REFERENCE: Final = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand_environment_references(path: str, environment: dict[str, str]) -> str:
    """`$VAR` and `${VAR}` in `source` paths (Buildroot, ESP-IDF, old kconfiglib).

    Unknown variables raise `UnknownValue`, so the `source` is reported
    instead of silently pointing somewhere else.
    """
    if "$" not in path:
        return path

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in environment:
            raise UnknownValue(
                f"environment variable ${name} is not set (add it to the environment settings)"
            )
        return environment[name]

    return _ENVIRONMENT_REFERENCE.sub(substitute, path)


def expand_text(text: str, environment: MacroEnvironment | None) -> str:
    if environment is None or "$(" not in text:
        return text
    expanded = environment.try_expand(text)
    return text if expanded is None else expanded


def expand_expression(expression: Expression, environment: MacroEnvironment) -> Expression:
    """Replace `Unknown` macro operands by what they expand to, where possible.

    `$(module)_LOG_OFF` in a Zephyr template becomes `Symbol("NET_IF_LOG_OFF")`;
    `$(cc-option,-mfoo)` needs a command and stays `Unknown`.
    """
    if isinstance(expression, Constant):
        if not (expression.quoted and "$(" in expression.value):
            return expression
        # `"$(ARCH)" = "x86"`: the C tools expand macros inside quotes too.
        try:
            return Constant(environment.expand(expression.value), quoted=True)
        except UnknownValue:
            return Unknown(f'"{expression.value}"')
    if isinstance(expression, Unknown):
        try:
            expanded = environment.expand(expression.text)
        except UnknownValue:
            return expression
        if not expanded.strip():
            return expression
        try:
            return parse_expression(expanded)
        except ExpressionSyntaxError:
            return expression
    # An operator whose operands expand to themselves is returned as it is (no copy: most
    # expressions of a file that uses macros hold none; coreboot's 9,600 definitions).
    if isinstance(expression, Not):
        operand = expand_expression(expression.operand, environment)
        return expression if operand is expression.operand else Not(operand)
    if isinstance(expression, And):
        operands = [expand_expression(o, environment) for o in expression.operands]
        if _same_flat_operands(expression.operands, operands, And, TRUE):
            return expression
        return conjunction(*operands)
    if isinstance(expression, Or):
        operands = [expand_expression(o, environment) for o in expression.operands]
        if _same_flat_operands(expression.operands, operands, Or, FALSE):
            return expression
        return disjunction(*operands)
    if isinstance(expression, Compare):
        left = expand_expression(expression.left, environment)
        right = expand_expression(expression.right, environment)
        if left is expression.left and right is expression.right:
            return expression
        return Compare(expression.operator, left, right)
    return expression


def _same_flat_operands(
    original: tuple[Expression, ...], expanded: list[Expression], kind: type, neutral: Expression
) -> bool:
    """Whether `conjunction`/`disjunction` of `expanded` would rebuild `original` as it is.

    True when every operand expanded to itself and none would be flattened or
    dropped (a nested operator of the same kind, or the neutral `y`/`n`).
    """
    return all(
        new is old and not isinstance(old, kind) and old != neutral
        for old, new in zip(original, expanded, strict=True)
    )


def expand_optional(expression: Expression | None, environment: MacroEnvironment) -> Expression | None:
    return None if expression is None else expand_expression(expression, environment)


def expand_reverse_dependencies(
    reverses: list[ReverseDependency], environment: MacroEnvironment
) -> list[ReverseDependency]:
    expanded = []
    for reverse in reverses:
        target = expand_text(reverse.target, environment)
        condition = expand_optional(reverse.condition, environment)
        if target is not reverse.target or condition is not reverse.condition:
            reverse = replace(reverse, target=target, condition=condition)
        expanded.append(reverse)
    return expanded

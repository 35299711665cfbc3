"""Tristate evaluation of expressions, with unknowns.

Kconfig computes every condition in three values, `n` < `m` < `y`, written
here as 0, 1 and 2: `&&` is the minimum, `||` the maximum and `!` is
`2 - x`. The engine adds a fourth answer, *unknown* (`None`): a tree is
loaded without running its commands, so a compiler probe such as
`$(cc-option,-mfoo)` has no value, and neither has a symbol the caller
cannot tell. Unknowns propagate the way Kleene's logic does: `A && probe`
is `n` when A is `n` whatever the probe says, and unknown otherwise. That
keeps answers honest: a hover can say "off because A is off" without
pretending to know what the compiler would have said.

The same function evaluates C guards (`CTest` nodes: `#ifdef CONFIG_X`,
`IS_ENABLED(CONFIG_X)`, ...) against a configuration, through what
`autoconf.h` would define for each symbol.

Values come from the caller as the strings Kconfig writes to `.config`
(`"y"`, `"m"`, `"n"`, `"0x1000"`, `"64"`, `"text"`); the evaluator never
knows symbol types. Where the C tools look at types (comparisons) it
follows their rules on the strings alone, see `compare_values`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from kconfig_ls.syntax.expression import And, Compare, Constant, CTest, Expression, Not, Or, Symbol, Unknown

__all__ = ["ValueOf", "compare_values", "evaluate", "tristate_of", "tristate_to_string"]

ValueOf = Callable[[str], str | None]
"""A symbol's value as `.config` spells it, or None when it is not known."""

_TRISTATE: Final = {"n": 0, "m": 1, "y": 2}
_NAMES: Final = ("n", "m", "y")
_DECIMAL: Final = re.compile(r"[-+]?[0-9]+")
_HEXADECIMAL: Final = re.compile(r"[-+]?0[xX][0-9a-fA-F]+")


def evaluate(
    expression: Expression,
    value_of: ValueOf,
    *,
    m_requires_modules: bool = False,
    module_context: bool | None = None,
) -> int | None:
    """The tristate value (0, 1, 2) of an expression, or None when unknown.

    `value_of(name)` gives a symbol's value; for an undefined symbol Kconfig
    uses `n` as the tristate value and the name itself as the string value,
    and the caller decides which to return.

    `m_requires_modules`: in conditions (`depends on`, `if`, `visible if`)
    the C tools rewrite a bare `m` to `m && MODULES`, so that `m` means `n`
    when modules are disabled. Pass True when evaluating such a condition.

    `module_context` says whether C code is compiled as a module, which only
    `IS_REACHABLE` depends on; None leaves `IS_REACHABLE(m-symbol)` unknown.
    """
    return _Evaluator(value_of, m_requires_modules, module_context).run(expression)


def tristate_of(value: str) -> int:
    """The tristate meaning of a value used as a bare operand.

    `y`, `m` and `n` are themselves; anything else (a number, a string) is
    `n`, as the C tools' `curr.tri` of a non-bool symbol is `no`.
    """
    return _TRISTATE.get(value, 0)


def tristate_to_string(value: int | None) -> str:
    """`n`/`m`/`y`, or `?` for unknown, for messages and hovers."""
    return "?" if value is None else _NAMES[value]


def compare_values(operator: str, left: str, right: str) -> bool:
    """Kconfig's `=`, `!=`, `<`, `<=`, `>`, `>=` on two values.

    The C tools (`expr_calc_value`) compare as numbers when both sides parse
    as numbers for their types (`n`/`m`/`y` as 0/1/2 for bool and tristate,
    decimal for int, hexadecimal for hex), and as strings otherwise. Without
    types, a value parses as a number when it is `n`/`m`/`y`, a decimal
    integer, or hexadecimal with a `0x` prefix; this differs from the C tools
    only for hex values written without `0x` and for string symbols whose
    value looks like a number.
    """
    left_number = _number(left)
    right_number = _number(right)
    order: int
    if left_number is not None and right_number is not None:
        order = (left_number > right_number) - (left_number < right_number)
    else:
        order = (left > right) - (left < right)
    if operator == "=":
        return order == 0
    if operator == "!=":
        return order != 0
    if operator == "<":
        return order < 0
    if operator == "<=":
        return order <= 0
    if operator == ">":
        return order > 0
    if operator == ">=":
        return order >= 0
    raise ValueError(f"unknown comparison operator '{operator}'")


def _number(value: str) -> int | None:
    tristate = _TRISTATE.get(value)
    if tristate is not None:
        return tristate
    if _DECIMAL.fullmatch(value):
        return int(value, 10)
    if _HEXADECIMAL.fullmatch(value):
        return int(value, 16)
    return None


class _Evaluator:
    """One evaluation; holds the options so the recursion stays small."""

    __slots__ = ("m_requires_modules", "module_context", "value_of")

    def __init__(self, value_of: ValueOf, m_requires_modules: bool, module_context: bool | None) -> None:
        self.value_of = value_of
        self.m_requires_modules = m_requires_modules
        self.module_context = module_context

    def run(self, expression: Expression) -> int | None:
        if isinstance(expression, Symbol):
            symbol_value = self.value_of(expression.name)
            return None if symbol_value is None else tristate_of(symbol_value)
        if isinstance(expression, Constant):
            result = tristate_of(expression.value)
            if result == 1 and self.m_requires_modules:
                modules = self.value_of("MODULES")  # `m` is `m && MODULES` here
                return None if modules is None else min(1, tristate_of(modules))
            return result
        if isinstance(expression, And):
            # Kleene conjunction: a known `n` decides; otherwise an unknown
            # operand makes the result unknown.
            unknown = False
            lowest = 2
            for operand in expression.operands:
                value = self.run(operand)
                if value is None:
                    unknown = True
                elif value < lowest:
                    lowest = value
                    if lowest == 0:
                        return 0
            return None if unknown else lowest
        if isinstance(expression, Or):
            unknown = False
            highest = 0
            for operand in expression.operands:
                value = self.run(operand)
                if value is None:
                    unknown = True
                elif value > highest:
                    highest = value
                    if highest == 2:
                        return 2
            return None if unknown else highest
        if isinstance(expression, Not):
            value = self.run(expression.operand)
            return None if value is None else 2 - value
        if isinstance(expression, Compare):
            left = self._string(expression.left)
            right = self._string(expression.right)
            if left is None or right is None:
                return None
            return 2 if compare_values(expression.operator, left, right) else 0
        if isinstance(expression, CTest):
            return self._c_test(expression)
        if isinstance(expression, Unknown):
            return None
        raise TypeError(f"not an expression: {expression!r}")

    def _string(self, operand: Expression) -> str | None:
        """The string value of a comparison operand (a symbol or constant)."""
        if isinstance(operand, Symbol):
            return self.value_of(operand.name)
        if isinstance(operand, Constant):
            return operand.value
        if isinstance(operand, Unknown):
            return None
        # The grammar only puts symbols and constants around `=`; a nested
        # expression (from a hand-built tree) compares by its tristate value.
        value = self.run(operand)
        return None if value is None else _NAMES[value]

    def _c_test(self, test: CTest) -> int | None:
        """A C preprocessor test, through the macros `autoconf.h` defines.

        For a symbol X, `autoconf.h` defines `CONFIG_X` as `1` when X is `y`,
        `CONFIG_X_MODULE` as `1` when X is `m`, and `CONFIG_X` as the value
        for int, hex and string symbols; nothing for `n`. `IS_BUILTIN(M)` is
        true when macro M is defined as `1`, `IS_MODULE(CONFIG_X)` tests
        `CONFIG_X_MODULE`, `IS_ENABLED` is either, and `IS_REACHABLE` is
        `IS_BUILTIN`, or `IS_MODULE` when the code is itself a module.
        """
        value = self.value_of(test.symbol)
        if value is None:
            return None
        macro = _macro_value(value, test.module_suffix)
        module_macro = None if test.module_suffix else ("1" if value == "m" else None)
        builtin = macro == "1"
        module = module_macro == "1"
        if test.test == "defined":
            return 2 if macro is not None else 0
        if test.test == "IS_BUILTIN":
            return 2 if builtin else 0
        if test.test == "IS_MODULE":
            return 2 if module else 0
        if test.test == "IS_ENABLED":
            return 2 if builtin or module else 0
        if test.test == "IS_REACHABLE":
            if builtin:
                return 2
            if not module:
                return 0
            return None if self.module_context is None else (2 if self.module_context else 0)
        if test.test == "value":
            # `#if CONFIG_X`: an undefined macro is 0; a number is tested for
            # non-zero; a string would be a preprocessor error.
            if macro is None:
                return 0
            number = _number(macro)
            return None if number is None else (2 if number != 0 else 0)
        raise ValueError(f"unknown C test '{test.test}'")


def _macro_value(value: str, module_suffix: bool) -> str | None:
    """What `autoconf.h` defines `CONFIG_X` (or `CONFIG_X_MODULE`) as, if anything."""
    if module_suffix:
        return "1" if value == "m" else None
    if value == "y":
        return "1"
    if value in ("m", "n"):
        return None
    return value

"""The `#if` regions of a C file that a configuration does not compile, as plain data.

What clangd can grey out only with a compile database and a generated
`autoconf.h`, computed here from the scan of the file
(`kconfig_ls.syntax.c_preprocessor.CScan`) and the evaluated configuration:
each branch's effective condition (its own test and the negation of the
earlier branches' tests) is evaluated the way the preprocessor would with the
`autoconf.h` the configuration generates:

- `CONFIG_X` is `1` for a `y` symbol, the number for an int or hex symbol,
  undefined (0) for `n`, `m` and undefined symbols; `CONFIG_X_MODULE` is `1`
  for an `m` symbol;
- `defined()`, `#ifdef` and `#ifndef` test exactly those macros;
  `IS_ENABLED`, `IS_BUILTIN`, `IS_MODULE` and `IS_REACHABLE` follow
  `include/linux/kconfig.h` (`IS_REACHABLE` of an `m` symbol depends on
  whether the file is built as a module: `module_context`);
- `#if` arithmetic and comparisons run on C integers.

Unknown, and never greyed: conditions on other macros (`__KERNEL__`,
`MODULE`, architecture macros), on `CONFIG_` names the file `#define`s
itself, on string symbols used as numbers, and on values a compiler probe
decides. A branch inside an inactive one is inactive. Checked on real Linux
files against what `gcc -E` keeps and drops with kconfiglib's `autoconf.h`
(`tests/linux/test_inactive_regions_agree_with_gcc.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kconfig_ls.syntax.c_preprocessor import CScan
from kconfig_ls.syntax.expression import And, Compare, Constant, CTest, Expression, Not, Or, Unknown

__all__ = ["BranchState", "InactiveRegion", "branch_states", "inactive_regions"]

ValueOf = Callable[[str], str | None]
"""A Kconfig symbol's value as `.config` spells it (`n` for an undefined one), None when unknown."""

_INTEGER: Final = re.compile(r"(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*")
_DECIMAL_VALUE: Final = re.compile(r"-?[0-9]+")
_HEX_VALUE: Final = re.compile(r"0[xX][0-9a-fA-F]+")


@dataclass(frozen=True, slots=True)
class BranchState:
    """Whether one branch is compiled: True, False, or None (the configuration cannot tell)."""

    branch: int
    compiled: bool | None


@dataclass(frozen=True, slots=True)
class InactiveRegion:
    """A branch body the configuration does not compile (outermost only; nested ones are inside).

    `span` is the body's byte range, `lines` its 0-based half-open line
    range (the directive lines themselves are not part of it), `directive`
    the index of the `#if`/`#elif`/`#else` that opens it.
    """

    span: tuple[int, int]
    lines: tuple[int, int]
    directive: int
    branch: int


def branch_states(
    scan: CScan, value_of: ValueOf, *, module_context: bool | None = False
) -> tuple[BranchState, ...]:
    """The state of every branch of the scan, in order (parents come before their children)."""
    own_macros = frozenset(
        definition.name.removeprefix("CONFIG_")
        for definition in scan.definitions
        if definition.kind != "fallback_define"
    )
    evaluator = _CEvaluator(value_of, own_macros, module_context)
    states: list[bool | None] = []
    for branch in scan.branches:
        parent = states[branch.parent_branch] if branch.parent_branch is not None else True
        if parent is False:
            states.append(False)
            continue
        value = evaluator.run(branch.effective_condition)
        compiled = None if value is None else value != 0
        states.append(compiled if parent is True else (False if compiled is False else None))
    return tuple(BranchState(index, state) for index, state in enumerate(states))


def inactive_regions(
    scan: CScan, value_of: ValueOf, *, module_context: bool | None = False
) -> tuple[InactiveRegion, ...]:
    """The outermost branch bodies the configuration does not compile, in file order."""
    states = branch_states(scan, value_of, module_context=module_context)
    regions: list[InactiveRegion] = []
    for state in states:
        if state.compiled is not False:
            continue
        branch = scan.branches[state.branch]
        if branch.parent_branch is not None and states[branch.parent_branch].compiled is False:
            continue
        regions.append(InactiveRegion(branch.body_span, branch.body_lines, branch.directive, state.branch))
    return tuple(regions)


class _CEvaluator:
    """`#if` semantics on the macros `autoconf.h` defines: integers, with None for unknown."""

    def __init__(self, value_of: ValueOf, own_macros: frozenset[str], module_context: bool | None) -> None:
        self.value_of = value_of
        self.own_macros = own_macros
        self.module_context = module_context

    def run(self, expression: Expression) -> int | None:
        if isinstance(expression, And):
            unknown = False
            for operand in expression.operands:
                value = self.run(operand)
                if value == 0:
                    return 0
                unknown = unknown or value is None
            return None if unknown else 1
        if isinstance(expression, Or):
            unknown = False
            for operand in expression.operands:
                value = self.run(operand)
                if value is not None and value != 0:
                    return 1
                unknown = unknown or value is None
            return None if unknown else 0
        if isinstance(expression, Not):
            value = self.run(expression.operand)
            return None if value is None else int(value == 0)
        if isinstance(expression, Constant):
            return _integer(expression.value)
        if isinstance(expression, Compare):
            left = self.run(expression.left)
            right = self.run(expression.right)
            if left is None or right is None:
                return None
            return int(_compare(expression.operator, left, right))
        if isinstance(expression, CTest):
            return self._test(expression)
        if isinstance(expression, Unknown):
            return None
        return None  # A Kconfig `Symbol` never appears in a C condition.

    def _test(self, test: CTest) -> int | None:
        if test.symbol in self.own_macros:
            return None
        value = self.value_of(test.symbol)
        if value is None:
            return None
        if test.module_suffix:
            macro: str | None = "1" if value == "m" else None
            module_macro = None
        else:
            macro = _macro(value)
            module_macro = "1" if value == "m" else None
        kind = test.test
        if kind == "defined":
            return int(macro is not None)
        if kind == "value":
            if macro is None:
                return 0
            return _integer(macro)
        builtin = macro == "1"
        module = module_macro == "1"
        if kind == "IS_BUILTIN":
            return int(builtin)
        if kind == "IS_MODULE":
            return int(module)
        if kind == "IS_ENABLED":
            return int(builtin or module)
        if kind == "IS_REACHABLE":
            if builtin or not module:
                return int(builtin)
            return None if self.module_context is None else int(self.module_context)
        return None


def _macro(value: str) -> str | None:
    """What `autoconf.h` defines `CONFIG_X` as for a symbol with this value (None: not defined)."""
    if value == "y":
        return "1"
    if value in ("n", "m", ""):
        return None
    if _DECIMAL_VALUE.fullmatch(value) or _HEX_VALUE.fullmatch(value):
        return value
    return f'"{value}"'  # a string symbol: unusable in `#if` arithmetic


def _integer(text: str) -> int | None:
    if text.startswith("-") and _DECIMAL_VALUE.fullmatch(text):
        return int(text)
    match = _INTEGER.fullmatch(text)
    if match is None:
        return None
    digits = match.group(1)
    if digits.lower().startswith("0x"):
        return int(digits, 16)
    if len(digits) > 1 and digits.startswith("0"):
        return int(digits, 8)
    return int(digits)


def _compare(operator: str, left: int, right: int) -> bool:
    if operator == "=":
        return left == right
    if operator == "!=":
        return left != right
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    return left >= right

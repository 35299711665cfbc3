"""Tristate evaluation, data driven: one table per feature, one `check` helper.

Each case is `(expression, configuration, expected)`: the configuration is a
space-separated `NAME=value` list (a name absent from it is unknown), the
expected value is `n`, `m`, `y` or `?` for unknown.
"""

from __future__ import annotations

import pytest

from kconfig_ls.logic.evaluate import compare_values, evaluate, tristate_to_string
from kconfig_ls.syntax.expression import And, CTest, Expression, Not, Or, Symbol, Unknown, parse_expression


def check(
    expression: str | Expression,
    configuration: str,
    expected: str,
    *,
    m_requires_modules: bool = False,
    module_context: bool | None = None,
) -> None:
    values = dict(item.split("=", 1) for item in configuration.split())
    tree = parse_expression(expression) if isinstance(expression, str) else expression
    result = evaluate(tree, values.get, m_requires_modules=m_requires_modules, module_context=module_context)
    assert tristate_to_string(result) == expected, f"{expression} with {configuration or 'nothing'}"


TRISTATE_CASES = [
    ("A", "A=y", "y"),
    ("A", "A=m", "m"),
    ("A", "A=n", "n"),
    ("!A", "A=m", "m"),
    ("!A", "A=y", "n"),
    ("!!A", "A=m", "m"),
    ("A && B", "A=y B=m", "m"),
    ("A && B", "A=y B=y", "y"),
    ("A || B", "A=n B=m", "m"),
    ("A || B", "A=n B=n", "n"),
    ("A && (B || !C)", "A=y B=n C=m", "m"),
    ("A || B && C", "A=n B=y C=m", "m"),
    ("y", "", "y"),
    ("m", "", "m"),
    ("n", "", "n"),
    ('"y"', "", "y"),  # a quoted y is the y constant (sym_lookup finds symbol_yes)
    ("A", "A=64", "n"),  # a non-bool value used as a condition is `n`
    ("A", "A=foo", "n"),
]


@pytest.mark.parametrize(("expression", "configuration", "expected"), TRISTATE_CASES)
def test_tristate_operators(expression: str, configuration: str, expected: str) -> None:
    check(expression, configuration, expected)


UNKNOWN_CASES = [
    # Kleene's logic: a known operand decides when it can.
    ("A && $(cc-option,-mfoo)", "A=n", "n"),
    ("A && $(cc-option,-mfoo)", "A=y", "?"),
    ("A && $(cc-option,-mfoo)", "A=m", "?"),
    ("A || $(cc-option,-mfoo)", "A=y", "y"),
    ("A || $(cc-option,-mfoo)", "A=m", "?"),
    ("A || $(cc-option,-mfoo)", "A=n", "?"),
    ("!$(cc-option,-mfoo)", "", "?"),
    ("A && B", "A=y", "?"),  # B is not in the configuration: unknown
    ("A && B", "A=n", "n"),
    ("A || B", "B=y", "y"),
    ("A = y", "", "?"),
    ("A = B", "A=y", "?"),
    ("$(cc-option,-mfoo) = y", "", "?"),
]


@pytest.mark.parametrize(("expression", "configuration", "expected"), UNKNOWN_CASES)
def test_unknown_values_propagate_three_valued(expression: str, configuration: str, expected: str) -> None:
    check(expression, configuration, expected)


def test_unknown_node_and_hand_built_trees() -> None:
    check(Unknown("$(success,true)"), "", "?")
    check(And((Symbol("A"), Unknown("x"), Symbol("B"))), "A=y B=n", "n")
    check(Or((Unknown("x"), Symbol("A"))), "A=y", "y")
    check(Not(And((Symbol("A"), Symbol("B")))), "A=y B=m", "m")


COMPARISON_CASES = [
    ("A = y", "A=y", "y"),
    ("A = y", "A=m", "n"),
    ("A != y", "A=m", "y"),
    ("A = m", "A=m", "y"),
    ("A = n", "A=n", "y"),
    ('A = "y"', "A=y", "y"),
    ("A = B", "A=m B=m", "y"),
    # bool/tristate order: n < m < y (C: "fix relational operators for bool")
    ("A < y", "A=m", "y"),
    ("A >= m", "A=y", "y"),
    ("A > m", "A=m", "n"),
    ("A <= n", "A=n", "y"),
    # numbers compare as numbers, hex with its prefix
    ("A > 10", "A=9", "n"),
    ("A > 9", "A=10", "y"),  # a string comparison would say "10" < "9"
    ("A >= 0x10", "A=16", "y"),
    ("A = 0x10", "A=0x10", "y"),
    ("A < -1", "A=-5", "y"),
    ("A = 0", "A=0", "y"),
    # strings compare as strings
    ('A = "gcc"', "A=gcc", "y"),
    ('A = "gcc"', "A=clang", "n"),
    ('A != ""', "A=", "n"),
    ('A < "b"', "A=a", "y"),
    ('A = "10"', "A=10", "y"),
    ('A > "9"', "A=foo", "y"),  # one side is not a number: strcmp
    # a comparison is y or n, never m
    ("A = B && C", "A=y B=y C=m", "m"),
]


@pytest.mark.parametrize(("expression", "configuration", "expected"), COMPARISON_CASES)
def test_comparisons_follow_kconfig(expression: str, configuration: str, expected: str) -> None:
    check(expression, configuration, expected)


def test_comparison_operators_directly() -> None:
    assert compare_values("<", "2", "10")
    assert not compare_values("<", "b", "a")
    assert compare_values(">=", "0x20", "0x1f")
    with pytest.raises(ValueError):
        compare_values("=~", "a", "b")


MODULES_CASES = [
    # In conditions the C tools read `m` as `m && MODULES`.
    ("m", "MODULES=y", "m"),
    ("m", "MODULES=n", "n"),
    ("m", "", "?"),
    ("A || m", "A=n MODULES=n", "n"),
    ("A = m", "A=m MODULES=n", "y"),  # only a bare `m` is rewritten
    ("y", "MODULES=n", "y"),
]


@pytest.mark.parametrize(("expression", "configuration", "expected"), MODULES_CASES)
def test_m_means_m_and_modules_in_conditions(expression: str, configuration: str, expected: str) -> None:
    check(expression, configuration, expected, m_requires_modules=True)


def test_m_is_plain_m_by_default() -> None:
    check("m", "MODULES=n", "m")


C_TEST_CASES = [
    # test, module suffix, value, expected
    ("defined", False, "y", "y"),
    ("defined", False, "m", "n"),
    ("defined", False, "n", "n"),
    ("defined", True, "m", "y"),
    ("defined", True, "y", "n"),
    ("defined", False, "64", "y"),  # int and string symbols are always written
    ("defined", False, "", "y"),
    ("IS_ENABLED", False, "y", "y"),
    ("IS_ENABLED", False, "m", "y"),
    ("IS_ENABLED", False, "n", "n"),
    ("IS_ENABLED", True, "m", "y"),  # IS_ENABLED(CONFIG_X_MODULE): the macro is 1
    ("IS_BUILTIN", False, "y", "y"),
    ("IS_BUILTIN", False, "m", "n"),
    ("IS_BUILTIN", False, "1", "y"),  # an int symbol of value 1 defines CONFIG_X as 1
    ("IS_BUILTIN", False, "2", "n"),
    ("IS_MODULE", False, "m", "y"),
    ("IS_MODULE", False, "y", "n"),
    ("IS_MODULE", True, "m", "n"),  # tests CONFIG_X_MODULE_MODULE
    ("IS_REACHABLE", False, "y", "y"),
    ("IS_REACHABLE", False, "n", "n"),
    ("IS_REACHABLE", False, "m", "?"),  # depends on whether the code is a module
    ("value", False, "y", "y"),
    ("value", False, "m", "n"),
    ("value", False, "n", "n"),
    ("value", False, "0", "n"),
    ("value", False, "0x10", "y"),
    ("value", False, "text", "?"),
    ("value", True, "m", "y"),
]


@pytest.mark.parametrize(("test", "module_suffix", "value", "expected"), C_TEST_CASES)
def test_c_preprocessor_tests(test: str, module_suffix: bool, value: str, expected: str) -> None:
    check(CTest(test, "X", module_suffix), f"X={value}", expected)


def test_c_tests_of_unknown_symbols_are_unknown() -> None:
    for name in ("defined", "IS_ENABLED", "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE", "value"):
        check(CTest(name, "X"), "", "?")


def test_is_reachable_in_and_out_of_a_module() -> None:
    check(CTest("IS_REACHABLE", "X"), "X=m", "y", module_context=True)
    check(CTest("IS_REACHABLE", "X"), "X=m", "n", module_context=False)
    check(CTest("IS_REACHABLE", "X"), "X=y", "y", module_context=False)


def test_c_guard_combinations() -> None:
    guard = And((CTest("IS_ENABLED", "A"), Not(CTest("defined", "B"))))
    check(guard, "A=m B=y", "n")
    check(guard, "A=m B=m", "y")
    check(Or((CTest("IS_BUILTIN", "A"), Unknown("__GNUC__ > 9"))), "A=y", "y")


def test_unknown_c_test_kind_is_an_error() -> None:
    with pytest.raises(ValueError):
        evaluate(CTest("IS_SOMETHING", "X"), {"X": "y"}.get)

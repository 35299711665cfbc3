"""The macro expander: Linux's own preprocessor fixtures, work budgets and NUL bytes.

The fixture tests run the statements of `scripts/kconfig/tests/preprocess/`
(copied inline, trimmed to the lines that matter) through
`MacroEnvironment.execute` with the current line, and compare the messages
with the C tool's `expected_stderr` (`Kconfig:LINE: TEXT`).
"""

from __future__ import annotations

import pytest

from kconfig_ls.semantics.macros import (
    MAX_CALLS_PER_EXPANSION,
    MAX_LENGTH,
    MAX_MESSAGES_PER_FILE,
    MacroEnvironment,
    UnknownValue,
    split_computed_assignment,
)
from kconfig_ls.syntax.kconfig import MacroAssignment, parse_kconfig


def _run(text: str, environment: MacroEnvironment | None = None) -> list[str]:
    """Run every preprocessor statement; the messages as `Kconfig:LINE: TEXT`."""
    data = text.encode()
    environment = environment or MacroEnvironment({}, trust_commands=False)
    parsed = parse_kconfig(data, "Kconfig")
    for node in parsed.nodes:
        assert isinstance(node, MacroAssignment), node
        line = data.count(b"\n", 0, node.span.start) + 1
        environment.execute(node.name, node.flavor, node.value, "Kconfig", line)
    return [f"Kconfig:{m.line}: {m.text}" for m in environment.messages if m.kind != "info"]


# scripts/kconfig/tests/preprocess/builtin_func (the `shell` lines need trust; left out).
_BUILTIN_FUNC = """\
# SPDX-License-Identifier: GPL-2.0

# 'info' prints the argument to stdout.
$(info,hello world 0)

# 'warning-if', if the first argument is y, sends the second argument to stderr,
# and the message is prefixed with the current file name and line number.
$(warning-if,y,hello world 1)

# 'error-if' is similar, but it terminates the parsing immediately.
# The following is just no-op since the first argument is not y.
$(error-if,n,this should not be printed)

# Shorthand
warning = $(warning-if,y,$(1))

# 'filename' is expanded to the currently parsed file name,
# 'lineno' to the line number.
$(warning,filename=$(filename))
$(warning,lineno=$(lineno))
"""


def test_builtin_functions_as_in_linux_fixture() -> None:
    environment = MacroEnvironment({}, trust_commands=False)
    assert _run(_BUILTIN_FUNC, environment) == [
        "Kconfig:8: hello world 1",
        "Kconfig:19: filename=Kconfig",
        "Kconfig:20: lineno=20",
    ]
    assert [m.text for m in environment.messages if m.kind == "info"] == ["hello world 0"]


def test_filename_and_lineno_default_to_the_old_answers() -> None:
    assert MacroEnvironment().expand("[$(filename)] [$(lineno)]") == "[] [0]"


# scripts/kconfig/tests/preprocess/escape, without `$ := 1` (see the parser test below).
_ESCAPE = """\
warning = $(warning-if,y,$(1))
comma   := ,
$(warning,hello$(comma) world)
$(warning,  ' " '"   ' ''' "'")
$(warning,$)
$(warning,$$)
dollar := $
$(warning,$(dollar)(X))
left_paren := (
$(warning,$(left_paren))
Y := $(dollar)(X)
$(warning,$(Y))
Y = $(dollar)(X)
$(warning,$(Y))
unterminated := $(dollar)(
$(warning,$(unterminated))
"""


def test_escapes_as_in_linux_fixture() -> None:
    assert _run(_ESCAPE) == [
        "Kconfig:3: hello, world",
        "Kconfig:4:   ' \" '\"   ' ''' \"'\"",
        "Kconfig:5: $",
        "Kconfig:6: $$",
        "Kconfig:8: $(X)",
        "Kconfig:10: (",
        # A simple variable is expanded once: "$(X)" is not expanded again.
        "Kconfig:12: $(X)",
        "Kconfig:14: $(X)",
        "Kconfig:16: $(",
    ]


def test_a_variable_named_dollar() -> None:
    environment = MacroEnvironment()
    environment.execute("$", ":=", "1", "Kconfig", 20)
    assert environment.expand("$($)") == "1"


def test_a_variable_named_dollar_through_the_parser() -> None:
    # scripts/kconfig/tests/preprocess/escape: the C tool's lexer takes `$`
    # not followed by `(` as a literal character of the name (kconfiglib
    # stops with "syntax error" instead; the C tool is the reference here).
    assert _run("warning = $(warning-if,y,$(1))\n$ := 1\n$(warning,$($))\n") == ["Kconfig:3: 1"]


def test_names_with_a_literal_dollar_are_assignments() -> None:
    parsed = parse_kconfig(b"$ := 1\nA$B = 2\n$(X)$(Y) := 3\n", "Kconfig")
    assert [(node.name, node.flavor) for node in parsed.nodes if isinstance(node, MacroAssignment)] == [
        ("$", ":="),
        ("A$B", "="),
        # A computed name stays a call line; the model splits it when it runs it.
        ("", "call"),
    ]
    assert not parsed.problems


# scripts/kconfig/tests/preprocess/variable
_VARIABLE = """\
warning = $(warning-if,y,$(1))
X := 1
SIMPLE := $(X)
X := 2
$(warning,SIMPLE = $(SIMPLE))
X := 1
RECURSIVE = $(X)
X := 2
$(warning,RECURSIVE = $(RECURSIVE))
Y := 3
SIMPLE += $(Y)
Y := 4
$(warning,SIMPLE = $(SIMPLE))
Y := 3
RECURSIVE += $(Y)
Y := 4
$(warning,RECURSIVE = $(RECURSIVE))
Y := 3
UNDEFINED_VARIABLE += $(Y)
Y := 4
$(warning,UNDEFINED_VARIABLE = $(UNDEFINED_VARIABLE))
X := A
Y := B
$(X)$(Y) := 5
$(warning,AB = $(AB))
greeting = $(1), my name is $(2).
$(warning,$(greeting,Hello,John))
$(warning,$(greeting,Hello))
$(warning,$(greeting,Hello,John,ignored,ignored))
"""


def test_variables_as_in_linux_fixture() -> None:
    assert _run(_VARIABLE) == [
        "Kconfig:5: SIMPLE = 1",
        "Kconfig:9: RECURSIVE = 2",
        "Kconfig:13: SIMPLE = 1 3",
        "Kconfig:17: RECURSIVE = 2 4",
        "Kconfig:21: UNDEFINED_VARIABLE = 4",
        "Kconfig:25: AB = 5",
        "Kconfig:27: Hello, my name is John.",
        "Kconfig:28: Hello, my name is .",
        "Kconfig:29: Hello, my name is John.",
    ]


def test_circular_expansion_as_in_linux_fixture() -> None:
    assert _run("X = $(Y)\nY = $(X)\n$(info $(X))\n") == [
        "Kconfig:3: recursive variable 'X' references itself (eventually)"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("$(X)$(Y) := 5", ("$(X)$(Y)", ":=", "5")),
        ("$(X)_SUFFIX += a b", ("$(X)_SUFFIX", "+=", "a b")),
        ("$(f,a=b)", None),
        ("$(info,x = y)", None),
        ("$(X) y = z", None),
    ],
)
def test_computed_assignment_lines(line: str, expected: tuple[str, str, str] | None) -> None:
    assert split_computed_assignment(line) == expected


# -- work budgets ------------------------------------------------------------------------


def _doubling(lines: int, seed: str, extra: str = "") -> MacroEnvironment:
    environment = MacroEnvironment()
    environment.execute("A0", "=", seed)
    for index in range(1, lines + 1):
        environment.execute(f"A{index}", "=", f"{extra.format(index - 1)}$(A{index - 1})$(A{index - 1})")
    return environment


def test_recursive_doubling_with_empty_output_stops_at_the_call_budget() -> None:
    environment = _doubling(40, "")
    with pytest.raises(UnknownValue, match="calls"):
        environment.expand("$(A40)")
    assert [m.describe() for m in environment.messages] == [
        f"macro expansion: macro expansion needs more than {MAX_CALLS_PER_EXPANSION} calls; the value is unknown"
    ]


def test_the_total_budget_stops_repeated_expensive_expansions() -> None:
    environment = _doubling(40, "")
    for _ in range(20):
        assert environment.try_expand("$(A40)") is None
    # Past the total budget, even a cheap expansion is unknown.
    environment.execute("B", ":=", "b")
    assert environment.try_expand("$(B)") is None


def test_info_doubling_keeps_a_bounded_number_of_short_messages() -> None:
    # 25 levels (40 would stop at the nesting limit first).
    environment = _doubling(25, "x" * 100, "$(info,$(A{}))")
    assert environment.try_expand("$(A25)") is None
    assert len(environment.messages) <= MAX_MESSAGES_PER_FILE + 1
    assert all(len(m.text) < 3000 for m in environment.messages)
    assert environment.messages[MAX_MESSAGES_PER_FILE].origin == "macro expansion"


def test_simple_doubling_stops_at_the_length_budget() -> None:
    environment = MacroEnvironment()
    environment.execute("A", ":=", "x")
    for _ in range(40):
        environment.execute("A", ":=", "$(A)$(A)")
    with pytest.raises(UnknownValue, match="longer than"):
        environment.expand("$(A)")
    assert any(str(MAX_LENGTH) in m.text for m in environment.messages)


def test_a_long_line_of_calls_expands_completely() -> None:
    # 20,000 calls on one line: linear (the running length is kept, not re-summed).
    environment = MacroEnvironment()
    environment.execute("B", ":=", "b")
    environment.execute("A", ":=", "$(B)" * 20_000)
    assert environment.expand("$(A)") == "b" * 20_000


# -- NUL bytes ---------------------------------------------------------------------------


def test_a_nul_byte_in_an_environment_value_makes_the_value_unknown() -> None:
    environment = MacroEnvironment({"SRCARCH": "x86\x00/../../etc"})
    with pytest.raises(UnknownValue, match="NUL"):
        environment.expand("arch/$(SRCARCH)/Kconfig")
    assert [m.text for m in environment.messages] == [
        "environment variable 'SRCARCH' holds a NUL byte; it is not expanded"
    ]


def test_a_nul_byte_in_the_text_is_refused_even_without_macros() -> None:
    environment = MacroEnvironment()
    with pytest.raises(UnknownValue, match="NUL"):
        environment.expand("drivers/\x00/Kconfig")
    # A message never carries the raw byte.
    environment.execute("", "call", "$(info,a$(NUL)b)")
    assert all("\x00" not in m.text for m in environment.messages)


def test_zephyrs_pure_preprocessor_functions_are_computed() -> None:
    environment = MacroEnvironment({"BOARD": "nrf5340dk", "BOARD_QUALIFIERS": "/nrf5340/cpuapp"})
    assert environment.expand("$(normalize_upper,$(BOARD)$(BOARD_QUALIFIERS))") == "NRF5340DK_NRF5340_CPUAPP"
    assert environment.expand("$(substring,$(BOARD_QUALIFIERS),1)") == "nrf5340/cpuapp"
    assert environment.expand("$(substring,abcdef,1,3)") == "bc"


@pytest.mark.parametrize(
    "text", ["$(dt_compat_enabled,nordic,nrf-gpio)", "$(dt_nodelabel_enabled,timer1)", "$(add,1,2)"]
)
def test_zephyrs_devicetree_and_arithmetic_functions_are_unknown(text: str) -> None:
    with pytest.raises(UnknownValue):
        MacroEnvironment().expand(text)


def test_a_variable_of_a_zephyr_function_name_is_still_a_variable() -> None:
    environment = MacroEnvironment()
    environment.execute("dt_compat_enabled", "=", "y")
    assert environment.expand("$(dt_compat_enabled)") == "y"


def test_expansion_keeps_what_expands_to_itself() -> None:
    """An expression without macros comes back as it is (no copy); one with macros is rebuilt,
    and its operators are normalised as before (`conjunction` drops a `y` operand)."""
    from kconfig_ls.semantics.expansion import expand_expression
    from kconfig_ls.syntax.expression import Symbol, parse_expression

    environment = MacroEnvironment({}, trust_commands=False)
    environment.execute("module", "=", "NET", "Kconfig", 1)
    plain = parse_expression('A && !(B || C = "x")')
    assert expand_expression(plain, environment) is plain
    assert expand_expression(parse_expression("A && y"), environment) == Symbol("A")
    expanded = expand_expression(parse_expression("$(module)_LOG && y"), environment)
    assert expanded == Symbol("NET_LOG")

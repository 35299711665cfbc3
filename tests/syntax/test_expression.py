"""The Kconfig expression parser: names with offsets, the nesting limit, short quotes."""

from __future__ import annotations

import pytest

from kconfig_ls.syntax.expression import (
    MAX_EXPRESSION_DEPTH,
    ExpressionSyntaxError,
    parse_expression,
    parse_expression_with_names,
    render,
)


@pytest.mark.parametrize(
    ("text", "rendered", "names"),
    [
        ("A", "A", [("A", 0)]),
        ("A && !(B || C = y)", "A && !(B || C = y)", [("A", 0), ("B", 7), ("C", 12)]),
        ("A || A", "A || A", [("A", 0), ("A", 5)]),
        ('"A" != B_1', '"A" != B_1', [("B_1", 7)]),
        ("0x1f < -1 || m", "0x1f < -1 || m", []),
        ("$(x) && FOO_$(y) && Z", "$(x) && FOO_$(y) && Z", [("Z", 20)]),
        ("  PADDED  ", "PADDED", [("PADDED", 2)]),
    ],
)
def test_names_come_with_their_offsets(text: str, rendered: str, names: list[tuple[str, int]]) -> None:
    expression, found = parse_expression_with_names(text)
    assert render(expression) == rendered
    assert list(found) == names
    assert all(text[offset : offset + len(name)] == name for name, offset in found)
    # The memo gives the same answers the second time, through both entry points.
    assert parse_expression(text) is expression
    assert parse_expression_with_names(text) == (expression, found)


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("(" * 329 + "A" + ")" * 329, f"expression nested deeper than {MAX_EXPRESSION_DEPTH} levels", 100),
        ("!" * 987 + "A", f"expression nested deeper than {MAX_EXPRESSION_DEPTH} levels", 100),
        ("!(" * 51 + "A" + ")" * 51, f"expression nested deeper than {MAX_EXPRESSION_DEPTH} levels", 100),
        ("A " + "x" * 500, "unexpected '" + "x" * 60 + "...' in expression", 2),
        ("A = ", "expected a symbol or a value", 4),
    ],
)
def test_syntax_errors(text: str, message: str, offset: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse_expression(text)
    assert raised.value.message.startswith(message)
    assert raised.value.offset == offset


def test_nesting_up_to_the_limit_parses_and_prints() -> None:
    text = "!(" * 50 + "A" + ")" * 50
    assert render(parse_expression(text)) == "!" * 50 + "A"

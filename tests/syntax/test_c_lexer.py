"""The directive finder's memo of conditions by their bytes gives what parsing each condition gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax import c_lexer
from kconfig_ls.syntax.c_conditions import directive_condition

_KINDS = ("if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif")
_CONDITIONS = (
    " CONFIG_A",
    "  defined(CONFIG_B) && !CONFIG_C  ",
    " CONFIG_A /* a comment */",
    " (CONFIG_D",
    " CONFIG_A &&",
    "",
    " \t",
    " IS_ENABLED(CONFIG_E) || \\\n  CONFIG_F",
    " CONFIG_G\r",
    " X == 2 // CONFIG_H",
    "(CONFIG_I)",
)


def _slow_path(data: bytes, directive: c_lexer.FoundDirective) -> tuple[object, ...]:
    """What `_find_directives` gave for every directive before the memo."""
    span, text = c_lexer.condition_text(
        data, directive.keyword_span[1], directive.end, directive.comment_spans
    )
    condition, problem = directive_condition(directive.kind, text)
    if directive.problem == "unterminated comment":
        problem = directive.problem
    return span, condition, problem


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_KINDS), st.sampled_from(_CONDITIONS)), min_size=1, max_size=12))
def test_memoised_conditions_equal_the_parsed_ones(lines: list[tuple[str, str]]) -> None:
    data = "".join(f"#{kind}{condition}\nint x;\n" for kind, condition in lines).encode()
    # Twice: the first run fills the memo, the second answers from it.
    for _ in range(2):
        found = c_lexer._find_directives(data)
        tested = [d for d in found if d.kind not in ("else", "endif")]
        assert len(tested) == sum(1 for kind, _ in lines if kind not in ("else", "endif"))
        for directive in tested:
            assert (directive.condition_span, directive.condition, directive.problem) == _slow_path(
                data, directive
            )


def test_the_same_condition_bytes_at_different_offsets_get_their_own_spans() -> None:
    data = b"#if  CONFIG_A \nint a;\n  #  if  CONFIG_A \n#endif\n#endif\n"
    first, second = (d for d in c_lexer._find_directives(data) if d.kind == "if")
    assert data[slice(*first.condition_span)] == data[slice(*second.condition_span)] == b"CONFIG_A"
    assert first.condition == second.condition

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


def _directives(data: bytes) -> list[tuple[str, bytes, tuple[bytes, ...], str | None]]:
    """Each directive as (kind, its bytes from `#` to its end, its comments, its problem)."""
    return [
        (d.kind, data[d.start : d.end], tuple(data[s:e] for s, e in d.comment_spans), d.problem)
        for d in c_lexer._find_directives(data)
    ]


def test_a_line_without_comment_or_backslash_ends_at_its_newline_or_at_the_end() -> None:
    # The regex decides these: the newline (a CRLF's carriage return left out), the end of the data.
    data = b"#ifdef CONFIG_A\r\nint a;\n#  if CONFIG_B\n#endif\n#endif"
    assert _directives(data) == [
        ("ifdef", b"#ifdef CONFIG_A", (), None),
        ("if", b"#  if CONFIG_B", (), None),
        ("endif", b"#endif", (), None),
        ("endif", b"#endif", (), None),
    ]
    # At the end of the data a carriage return stays part of the line (no newline follows it).
    assert [(kind, text) for kind, text, _, _ in _directives(b"#if CONFIG_A\r")] == [
        ("if", b"#if CONFIG_A\r")
    ]


def test_comments_and_continuations_after_the_keyword_take_the_slow_path() -> None:
    data = (
        b"#if CONFIG_A /* one */ && \\\n    CONFIG_B // two\n"
        b"#else/* CONFIG_A */\n"
        b"#endif /* CONFIG_A\n   continued */ int after;\n"
        b"#ifdef CONFIG_C /* never closed\n"
    )
    assert _directives(data) == [
        ("if", b"#if CONFIG_A /* one */ && \\\n    CONFIG_B // two", (b"/* one */", b"// two"), None),
        ("else", b"#else/* CONFIG_A */", (b"/* CONFIG_A */",), None),
        (
            "endif",
            b"#endif /* CONFIG_A\n   continued */ int after;",
            (b"/* CONFIG_A\n   continued */",),
            None,
        ),
        ("ifdef", data[data.index(b"#ifdef") :], (data[data.index(b"/* never") :],), "unterminated comment"),
    ]


def test_only_a_hash_that_starts_a_logical_line_outside_comments_is_a_directive() -> None:
    data = (
        b"  \t#  if CONFIG_A\n"  # blanks before the `#`: a directive
        b"x = 1; #if CONFIG_B\n"  # code before it: not one
        b"/* a comment\n#if CONFIG_C\n*/\n"  # inside a block comment: not one
        b"/* closed */ int y; /* again */\n#else\n"  # comments closed before it: one
        b'char *s = "/*";\n#endif\n'  # an opener inside a string opens nothing
        b"#define M \\\n#if CONFIG_D\n"  # after a continuation: inside the macro
        b"// a line comment /*\n#if CONFIG_E\n#endif\n"
    )
    assert [(kind, text) for kind, text, _, _ in _directives(data)] == [
        ("if", b"#  if CONFIG_A"),
        ("else", b"#else"),
        ("endif", b"#endif"),
        ("if", b"#if CONFIG_E"),
        ("endif", b"#endif"),
    ]


def test_bytes_that_are_not_utf8_do_not_disturb_the_finder() -> None:
    data = b"\xff\xfe #x\n#ifdef CONFIG_\xe9A\n#if CONFIG_B \xc3\x28\n#endif\n#endif\n"
    assert [(kind, text) for kind, text, _, _ in _directives(data)] == [
        ("ifdef", b"#ifdef CONFIG_\xe9A"),
        ("if", b"#if CONFIG_B \xc3\x28"),
        ("endif", b"#endif"),
        ("endif", b"#endif"),
    ]

"""Exact name occurrences: every use of a symbol name, its span and its kind, from the tokens.

Fixtures mark the start of every expected occurrence with `$0`; the test
removes the markers, and checks that `name_uses` finds exactly those
places, in order, each spanning exactly the name, with the listed kind.
"""

from __future__ import annotations

import textwrap

import pytest

from kconfig_ls.syntax.kconfig import name_uses, parse_kconfig

CURSOR = "$0"


def check_uses(fixture: str, expected: list[tuple[str, str]]) -> None:
    text = textwrap.dedent(fixture).lstrip("\n")
    pieces = text.split(CURSOR)
    data = pieces[0].encode("utf-8")
    offsets: list[int] = []
    for piece in pieces[1:]:
        offsets.append(len(data))
        data += piece.encode("utf-8")
    uses = name_uses(parse_kconfig(data, "Kconfig"))
    found = [(use.span.start, use.name, use.kind) for use in uses]
    wanted = [(offset, name, kind) for offset, (name, kind) in zip(offsets, expected, strict=True)]
    assert found == wanted
    for use in uses:
        assert data[use.span.start : use.span.end] == use.name.encode("utf-8")


CASES = [
    pytest.param(
        """
        config $0A
        	bool "Café ☕" if $0B && !$0C
        	depends on $0D || ($0E && $0D) if $0F
        	select $0G if $0H
        	imply $0I
        	default $0J if $0K = y
        	default "NOT_A_NAME" if $0L
        	range $0M 0x10 if $0N
        """,
        [
            ("A", "definition"),
            ("B", "prompt if"),
            ("C", "prompt if"),
            ("D", "depends on"),
            ("E", "depends on"),
            ("D", "depends on"),
            ("F", "if"),
            ("G", "select"),
            ("H", "if"),
            ("I", "imply"),
            ("J", "default"),
            ("K", "if"),
            ("L", "if"),
            ("M", "range"),
            ("N", "if"),
        ],
        id="every-attribute-of-a-config",
    ),
    pytest.param(
        """
        menu "Mëнu"
        	depends on $0A
        	visible if $0B
        if $0C && ($0D || \\
        	 "Ä" = $0X || \\
        	 $0E)
        choice $0CH
        	prompt "Pick" if $0F
        	depends on $0G
        	default $0H if $0I
        config $0H
        	bool "H"
        endchoice
        comment "Çomment"
        	depends on $0J # NOT_A_USE in a comment
        endif
        endmenu
        """,
        [
            ("A", "depends on"),
            ("B", "visible if"),
            ("C", "if"),
            ("D", "if"),
            ("X", "if"),
            ("E", "if"),
            ("CH", "definition"),
            ("F", "prompt if"),
            ("G", "depends on"),
            ("H", "default"),
            ("I", "if"),
            ("H", "definition"),
            ("J", "depends on"),
        ],
        id="blocks-choices-comments-and-continuation-lines",
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), CASES)
def test_name_uses(fixture: str, expected: list[tuple[str, str]]) -> None:
    check_uses(fixture, expected)


def test_a_non_ascii_name_is_not_a_name() -> None:
    # É is not a name character: the `if` is a syntax problem, reported on
    # the continuation line where the character is.
    parsed = parse_kconfig("if A && \\\n   É\nendif\n".encode(), "Kconfig")
    assert [(parsed.line_of(p.span.start), p.message) for p in parsed.problems] == [
        (1, "unexpected character 'É' after 'if'")
    ]
    assert name_uses(parsed) == ()


def test_twenty_thousand_operands_give_twenty_thousand_exact_spans() -> None:
    names = [f"S{i}" for i in range(20_000)]
    data = ("config A\n\tbool\n\tdepends on " + " && ".join(names) + "\n").encode()
    uses = [use for use in name_uses(parse_kconfig(data, "Kconfig")) if use.kind == "depends on"]
    assert [use.name for use in uses] == names
    assert all(data[use.span.start : use.span.end] == use.name.encode() for use in uses)

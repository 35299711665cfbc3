"""Hostile input (issue 13): `parse_kconfig` never raises, stays linear, and quotes little.

The cases are the ones that crashed or leaked before: deep nesting in an
expression (RecursionError), a line of only `\\` before a blank line
(IndexError), and an unknown line quoted whole in its message (a symlink
to a secret file would be echoed into findings). The fuzzing test feeds
random and mutated Kconfig bytes and checks that the result is well formed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    IfBlock,
    KconfigFile,
    MenuEntry,
    NameOccurrence,
    Node,
    Span,
    name_uses,
    parse_kconfig,
)


def parse(text: str) -> KconfigFile:
    return parse_kconfig(text.encode("utf-8"), "Kconfig")


def messages(parsed: KconfigFile) -> list[tuple[int, str]]:
    return [(parsed.line_of(p.span.start) + 1, p.message) for p in parsed.problems]


NESTING = "expression nested deeper than 100 levels of '!' and '(' after 'depends on'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "config A\n\tbool\n\tdepends on " + "(" * 329 + "B" + ")" * 329 + "\nconfig C\n\tbool\n",
            [(3, NESTING)],
            id="329-parentheses",
        ),
        pytest.param(
            "config A\n\tbool\n\tdepends on " + "!" * 987 + "B\nconfig C\n\tbool\n",
            [(3, NESTING)],
            id="987-negations",
        ),
        pytest.param(
            "config A\n\tbool\n\tdepends on " + "!(" * 50 + "B" + ")" * 50 + "\nconfig C\n\tbool\n",
            [],
            id="100-levels-are-fine",
        ),
        pytest.param(
            "config A\n\tbool\n\\\n\nconfig C\n\tbool\n", [], id="only-a-backslash-then-a-blank-line"
        ),
        pytest.param("config A\n\tbool\n  \\\nconfig C\n\tbool\n", [], id="only-a-backslash-then-an-entry"),
        pytest.param("config A\n\tbool\nconfig C\n\tbool\n\\", [], id="a-backslash-at-the-end-of-the-file"),
    ],
)
def test_hostile_lines_are_problems_not_crashes(text: str, expected: list[tuple[int, str]]) -> None:
    parsed = parse(text)
    assert messages(parsed) == expected
    assert {use.name for use in name_uses(parsed) if use.kind == "definition"} == {"A", "C"}


def test_an_unknown_line_is_quoted_only_by_a_short_prefix() -> None:
    secret = "root:x:0:0:root:/root:/bin/bash:" + "s3cr3t" * 40
    prefix = secret[:60] + "..."
    parsed = parse(
        f"{secret}\nconfig X{secret}\nconfig Y\n\tselect {secret}\n\toption {secret}\n"
        f"\tdepends on ({secret}\n"
    )
    assert messages(parsed) == [
        (1, f"unknown statement '{prefix}'"),
        (2, f"invalid symbol name 'X{secret[:59]}...' after 'config'"),
        (4, f"expected a symbol name after 'select', found '{prefix}'"),
        (5, f"unknown option '{prefix}'"),
        (6, "unexpected character ':' after 'depends on'"),
    ]


# --- fuzzing --------------------------------------------------------------------

SEED = """\
mainmenu "Fuzz $(ARCH)"
VAR := $(shell,true)
menu "Menu ☕"
\tdepends on A && (B || !C) if D
\tvisible if E
\thelp
\t  menu help
if F && \\
   G # comment
config A
\tbool "A" if H
\tdepends on I || \\
\t\tJ # comment
\tselect K if L
\timply M
\tdefault y if N = "n"
\trange 1 $(X) if O
\thelp
\t  Help text.
\tsel
\t  more help
choice P
\tprompt "P"
\tdefault Q if R
config Q
\ttristate"Q"
endchoice
comment "C"
\tdepends on S
endif
endmenu
rsource "sub/Kconfig"
"""

PIECES = [
    "config ",
    "menuconfig ",
    "choice",
    "endchoice",
    "menu ",
    "endmenu",
    "if",
    "endif",
    "comment ",
    "source ",
    "bool",
    "tristate",
    "string",
    "hex",
    "int",
    "def_bool ",
    "prompt ",
    "depends on ",
    "visible if ",
    "select ",
    "imply ",
    "default ",
    "range ",
    "help",
    "---help---",
    "option env=",
    "optional",
    "modules",
    "A",
    "B_1",
    "0x1f",
    "-1",
    "y",
    "m",
    "n",
    "&&",
    "||",
    "!",
    "=",
    "!=",
    "<=",
    "(",
    ")",
    '"',
    "'",
    "$(",
    "$(x,",
    "#",
    "\\",
    "\\\n",
    "\n",
    "\r\n",
    "\t",
    "  ",
    " if ",
    ":=",
    "+=",
    "é",
    "☕",
    "\x00",
    "\udcff",
]


def fuzz_bytes(pieces: list[str]) -> bytes:
    return "".join(pieces).encode("utf-8", "surrogateescape")


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    data = bytearray(SEED.encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "byte"]))
        if action == "delete":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "insert":
            data[position:position] = fuzz_bytes(draw(st.lists(st.sampled_from(PIECES), max_size=5)))
        elif action == "duplicate":
            data[position:position] = data[position : position + draw(st.integers(1, 200))]
        else:
            data[position:position] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


def spans_of(value: object) -> Iterator[Span]:
    if isinstance(value, Span):
        yield value
    elif isinstance(value, NameOccurrence):
        yield value.span
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from spans_of(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from spans_of(getattr(value, field.name))


def nodes_of(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        if isinstance(node, (ChoiceEntry, MenuEntry, IfBlock)):
            yield from nodes_of(node.children)


def assert_well_formed(data: bytes, parsed: KconfigFile) -> None:
    assert parsed.size == len(data)
    assert not [p for p in parsed.problems if p.kind == "internal"], parsed.problems
    starts = parsed.line_starts
    assert starts and starts[0] in (0, 3)
    assert all(a < b for a, b in pairwise(starts))
    for node in nodes_of(parsed.nodes):
        for span in spans_of(node):
            assert 0 <= span.start <= span.end <= len(data), (node, span)
    for problem in parsed.problems:
        assert 0 <= problem.span.start <= problem.span.end <= len(data), problem
    for use in name_uses(parsed):
        assert data[use.span.start : use.span.end] == use.name.encode("utf-8", "surrogateescape"), use


@settings(max_examples=300, deadline=None)
@given(mutated_seed())
def test_mutated_kconfig_never_raises_and_is_well_formed(data: bytes) -> None:
    assert_well_formed(data, parse_kconfig(data, "Kconfig"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_token_soup_never_raises_and_is_well_formed(pieces: list[str]) -> None:
    data = fuzz_bytes(pieces)
    assert_well_formed(data, parse_kconfig(data, "Kconfig"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    assert_well_formed(data, parse_kconfig(data, "Kconfig"))


def test_the_seed_parses_as_written() -> None:
    # The seed exercises every construct: it must parse with exactly the
    # problems written into it, so the mutations start from real Kconfig.
    parsed = parse_kconfig(SEED.encode("utf-8"), "Kconfig")
    assert messages(parsed) == [(20, "unknown statement 'sel'; did you mean 'select'?")]

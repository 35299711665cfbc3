"""A re-parse of the edited part of a file equals the parse of the whole new file.

`reparse_kconfig` re-parses only the entries an edit touched and moves the
nodes after them (`syntax/kconfig/incremental.py`); whatever it returns must
be `parse_kconfig` of the new bytes, node for node and problem for problem,
whether it took the partial path or fell back to a full parse. The named
cases also say which path an edit must take, so a partial path that always
fell back (and cost a full parse per keystroke) fails here too.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.kconfig import parse_kconfig
from kconfig_ls.syntax.kconfig.incremental import _reparse, reparse_kconfig

TEXT = """\
# SPDX-License-Identifier: GPL-2.0-only
mainmenu "Test"

menu "Memory"

config A
	bool "A"
	depends on B && !C
	default y
	help
	  Help of A,
	  on two lines.

config B
	bool
	select C if D

if B

config C
	tristate "C"
	help
	  Help of C.

comment "a comment"
	depends on C

choice
	prompt "Pick"
config D1
	bool "D1"
config D2
	bool "D2"
endchoice

endif # B

config E
	int "E"
	range 1 10
	default 5
	help
	  Help of E.
endmenu

config LAST
	bool "last"
"""


def _edited(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (what the edit does, the text it replaces, its replacement, whether the partial path must take it)
CASES = [
    ("a character typed inside a help text", "Help of A,", "Help of A, x", True),
    ("a character typed in an attribute", "depends on B && !C", "depends on B && !C && D", True),
    (
        "a new attribute line",
        "\tdefault y\n\thelp\n\t  Help of A",
        "\tdefault y\n\timply E\n\thelp\n\t  Help of A",
        True,
    ),
    ("a half-typed attribute", "\tselect C if D\n", "\tselect C if D\n\tsel\n", True),
    ("an entry created between two", "\nconfig B\n", "\nconfig NEW\n\tbool\n\nconfig B\n", True),
    ("an entry removed", "config B\n\tbool\n\tselect C if D\n\n", "", False),
    ("an entry's keyword broken at its start", "\nconfig B\n", "\nxconfig B\n", True),
    ("a symbol renamed", "config E\n", "config EE\n", True),
    ("an edit in a nested block's entry", "Help of C.", "Help of C, edited.", True),
    ("an edit in a choice member", 'bool "D1"', 'bool "D1 one"', True),
    ("an unterminated if opened", "\nconfig E\n", "\nif E\nconfig E\n", False),
    ("an unterminated menu opened", "\nconfig B\n", '\nmenu "open"\nconfig B\n', False),
    ("an unterminated choice opened", "\nconfig LAST\n", "\nchoice\nconfig LAST\n", False),
    ("a stray block end typed", "\tdefault 5\n", "\tdefault 5\nendif\n", True),
    ("a block closed early", '\ncomment "a comment"\n', '\nendif\ncomment "a comment"\n', False),
    ("the help text dedented", "\t  Help of A,\n", "\tHelp of A,\n", True),
    ("a line inside a help text less indented", "\t  Help of A,\n", "\t  Help of A,\n\tconfig X\n", True),
    (
        "the help text of the entry above made to swallow the next one",
        "\t  on two lines.\n\n",
        "\t  on two lines.\n\t\n",
        True,
    ),
    ("a continuation line started", "\tdepends on B && !C\n", "\tdepends on B && \\\n", True),
    ("text typed at the end of the file", '\tbool "last"\n', '\tbool "last"\n\tdefault y\n', True),
    ("a comment typed above an entry", "\nconfig E\n", "\n# about E\nconfig E\n", True),
    ("a top-level macro call typed", "\nconfig LAST\n", "\n$(warning,careful)\nconfig LAST\n", False),
    ("the header edited", "GPL-2.0-only", "GPL-2.0", False),
]


@pytest.mark.parametrize(("description", "old", "new", "partial"), CASES, ids=[case[0] for case in CASES])
def test_a_partial_reparse_equals_a_full_parse(description: str, old: str, new: str, partial: bool) -> None:
    before = TEXT.encode()
    after = _edited(TEXT, old, new).encode()
    old_parse = parse_kconfig(before, "Kconfig")
    reparsed = reparse_kconfig(old_parse, before, after)
    assert reparsed == parse_kconfig(after, "Kconfig")
    took_the_partial_path = _reparse(old_parse, before, after) is not None
    assert took_the_partial_path == partial, description


def test_the_nodes_before_the_edit_are_kept_and_the_old_parse_is_untouched() -> None:
    before = TEXT.encode()
    after = _edited(TEXT, "Help of E.", "Help of E, longer.").encode()
    old_parse = parse_kconfig(before, "Kconfig")
    reference = parse_kconfig(before, "Kconfig")
    reparsed = reparse_kconfig(old_parse, before, after)
    assert reparsed.nodes[0] is old_parse.nodes[0]  # the mainmenu line, above the edit
    assert reparsed.nodes[1] is not old_parse.nodes[1]  # the menu around the edit is a copy
    assert reparsed.nodes[1].children[0] is old_parse.nodes[1].children[0]  # config A
    assert old_parse == reference  # nothing of the old parse was changed


PIECES = [
    "\n",
    "\t",
    "  ",
    "x",
    "#",
    '"',
    "\\\n",
    "config NEW\n",
    '\tbool "p"\n',
    "\thelp\n\t  text\n",
    "\t  more help\n",
    "if X\n",
    "endif\n",
    'menu "m"\n',
    "endmenu\n",
    "choice\n",
    "endchoice\n",
    "\tdepends on A && B\n",
    "\tselect Y if Z\n",
    'source "a/Kconfig"\n',
    "$(warning,x)\n",
    "A := b\n",
    'comment "c"\n',
    "é",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(PIECES)),
        min_size=1,
        max_size=5,
    )
)
def test_random_edits_reparse_as_a_full_parse(edits: list[tuple[float, int, str]]) -> None:
    data = TEXT.encode()
    parse = parse_kconfig(data, "Kconfig")
    for where, removed, inserted in edits:
        at = int(where * len(data))
        edited = data[:at] + inserted.encode() + data[at + removed :]
        parse = reparse_kconfig(parse, data, edited)
        assert parse == parse_kconfig(edited, "Kconfig")
        data = edited


LINUX = os.environ.get("KCONFIG_LS_LINUX_TREE")


@pytest.mark.skipif(not LINUX, reason="needs KCONFIG_LS_LINUX_TREE")
@pytest.mark.parametrize(
    "relative", ["mm/Kconfig", "init/Kconfig", "drivers/gpu/drm/Kconfig", "lib/Kconfig.debug"]
)
def test_keystrokes_in_real_files_reparse_as_a_full_parse(relative: str) -> None:
    data = (Path(str(LINUX)) / relative).read_bytes()
    parse = parse_kconfig(data, relative)
    generator = random.Random(relative)
    partial = 0
    original = data
    for step in range(150):
        if step % 10 == 0:
            data, parse = original, parse_kconfig(original, relative)  # typing starts again from a clean file
        at = generator.randrange(len(data) + 1)
        choice = generator.random()
        if choice < 0.6:
            edited = data[:at] + generator.choice(PIECES).encode() + data[at:]
        elif choice < 0.9:
            edited = data[:at] + data[at + generator.randrange(1, 30) :]
        else:
            edited = data[:at] + b"x" + data[at + 1 :]
        partial += _reparse(parse, data, edited) is not None
        parse = reparse_kconfig(parse, data, edited)
        assert parse == parse_kconfig(edited, relative)
        data = edited
    assert partial > 30  # most keystrokes take the partial path

"""The quick fixes of the logic's Kconfig rules (KLS201, KLS209-KLS213), applied to small trees.

Each test applies a finding's fix to the file and compares the whole new
text, so an edit that removes a byte too many (a newline, an `&&`) fails.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RuleSettings
from kconfig_ls.checks.kconfig_fixes import top_level_split
from kconfig_ls.checks.moving import move_finding
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.text.documents import ByteEdit
from tests.checks.test_logic_rules import ARCHITECTURES
from tests.fixtures import write_fixture


def findings(tmp_path: Path, fixture: str, code: str) -> list[Finding]:
    write_fixture(tmp_path, textwrap.dedent(fixture).lstrip("\n") + ARCHITECTURES)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), arch="x86"))
    model.load()
    found = run_checks(CheckContext(model, logic=True), RuleSettings(preview=True))
    return sorted((f for f in found if f.rule_code == code), key=lambda f: f.location.span.start)


def applied(fix: Fix) -> str:
    path = fix.edits[0].location.path
    data = Path(path).read_bytes()
    for edit in sorted(fix.edits, key=lambda e: e.location.span.start, reverse=True):
        data = data[: edit.location.span.start] + edit.new_text.encode() + data[edit.location.span.end :]
    return data.decode()


def before(fix: Fix) -> str:
    return Path(fix.edits[0].location.path).read_text()


def only_fix(finding: Finding) -> Fix:
    assert len(finding.fixes) == 1, finding
    return finding.fixes[0]


HEADER = 'source "arch/$(SRCARCH)/Kconfig"\nconfig A\n\ttristate "A"\nconfig B\n\ttristate "B"\n'


def test_redundant_dependency_line_and_operand_are_removed(tmp_path: Path) -> None:
    body = (
        'config NET\n\tbool "Networking"\n'
        "if NET\n"
        'config FOO\n\ttristate "Foo"\n\tdepends on NET\n\tdepends on A && B\nendif\n'
        'config BAR\n\ttristate "Bar"\n\tdepends on A\n\tdepends on B && A\n'
        'config BAZ\n\ttristate "Baz"\n\tdepends on A && B && A  # twice\n'
    )
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS209")
    assert [f.message for f in found] == [
        "'depends on NET' of FOO repeats the enclosing 'if NET': remove it",
        "'depends on A' of BAR repeats 'depends on A': remove it",
        "'depends on A' of BAZ is implied by the rest of its line: remove it",
    ]
    whole_line, repeated_operand, last_operand = found
    assert only_fix(whole_line).title == "remove 'depends on NET'"
    assert applied(only_fix(whole_line)) == before(only_fix(whole_line)).replace("\tdepends on NET\n", "")
    # The later of BAR's two `A`s is reported (the lines are compared from the last), with its `&&`.
    assert applied(only_fix(repeated_operand)) == before(only_fix(repeated_operand)).replace(
        "B && A\n", "B\n"
    )
    assert only_fix(last_operand).title == "remove the redundant operand"
    assert applied(only_fix(last_operand)) == before(only_fix(last_operand)).replace(
        "A && B && A  #", "A && B  #"
    )


def test_a_redundant_first_operand_takes_its_and_with_it(tmp_path: Path) -> None:
    body = 'config FOO\n\ttristate "Foo"\n\tdepends on B\n\tdepends on B && A\n'
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS209")
    assert [f.message for f in found] == ["'depends on B' of FOO repeats 'depends on B': remove it"]
    # The later line's `B` is the one reported (lines are compared from the last one up).
    assert applied(only_fix(found[0])) == before(only_fix(found[0])).replace("B && A", "A")


def test_a_flattened_operand_is_removed_by_rewriting_the_expression(tmp_path: Path) -> None:
    body = 'config FOO\n\ttristate "Foo"\n\tdepends on (A && B) && (B || A)\n'
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS209")
    assert [f.message for f in found] == [
        "'depends on B || A' of FOO is implied by the rest of its line: remove it"
    ]
    # Three operands for two top-level parts: the expression is written again from the rest.
    assert applied(only_fix(found[0])) == before(only_fix(found[0])).replace("(A && B) && (B || A)", "A && B")


def test_redundant_select_line_is_removed(tmp_path: Path) -> None:
    body = 'config FOO\n\ttristate "Foo"\n\tselect B\n\tselect B if A\n\thelp\n\t  Foo.\n'
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS210")
    assert [f.message for f in found] == [
        "'select B if A' of FOO is redundant: 'select B' already applies whenever it does"
    ]
    assert only_fix(found[0]).title == "remove 'select B if A'"
    assert applied(only_fix(found[0])) == before(only_fix(found[0])).replace("\tselect B if A\n", "")


def test_constant_conditions_always_dropped_and_never_removed(tmp_path: Path) -> None:
    body = (
        'config C\n\tbool "C"\n'
        'config FOO\n\ttristate "Foo"\n\tdepends on C\n'
        "\tselect B if C\n"
        "\tselect A if !C\n"
        "\tdefault A if C\n"
    )
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS211")
    assert [f.message for f in found] == [
        "the condition 'if C' of 'select B' always holds (given the dependencies of FOO): drop it",
        "the condition 'if !C' of 'select A' never holds where FOO is defined: the line has no effect",
        "the condition 'if C' of 'default A' always holds (given the dependencies of FOO): drop it",
    ]
    always, never, default = found
    assert only_fix(always).title == "drop the condition (it always holds)"
    assert applied(only_fix(always)) == before(only_fix(always)).replace("\tselect B if C\n", "\tselect B\n")
    assert only_fix(never).title == "remove 'select A if !C' (its condition never holds)"
    assert applied(only_fix(never)) == before(only_fix(never)).replace("\tselect A if !C\n", "")
    assert applied(only_fix(default)) == before(only_fix(default)).replace(
        "\tdefault A if C\n", "\tdefault A\n"
    )


def test_dead_range_is_removed_and_backwards_range_swapped(tmp_path: Path) -> None:
    body = (
        "config LOW\n\tint\n\tdefault 16\n"
        'config SIZE\n\tint "Size"\n\trange 1 64\n\trange 2 32 if A\n'
        'config COUNT\n\thex "Count"\n\trange 0x20 LOW\n'
    )
    dead = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS212")
    assert [f.message for f in dead] == [
        "'range 2 32' of SIZE never applies: an earlier range always applies first"
    ]
    assert applied(only_fix(dead[0])) == before(only_fix(dead[0])).replace("\trange 2 32 if A\n", "")
    backwards = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS213")
    assert [f.message for f in backwards] == [
        "'range 0x20 LOW' of COUNT is backwards (LOW = 16): its low bound is above its high bound,"
        " so no value is valid; swap them"
    ]
    assert only_fix(backwards[0]).title == "swap the bounds"
    assert applied(only_fix(backwards[0])) == before(only_fix(backwards[0])).replace(
        "range 0x20 LOW", "range LOW 0x20"
    )


def test_select_unmet_dependency_offers_depends_on_imply_and_depends_instead(tmp_path: Path) -> None:
    body = (
        "config MIGRATION\n\tbool\n\tdepends on MMU\n"
        'config FOO\n\tbool "Foo"\n\tselect MIGRATION\n'
        'config BAR\n\tbool "Bar"\n\tselect MIGRATION if A\n'
    )
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS201")
    assert [f.symbol or f.message.split()[0] for f in found] == ["FOO", "BAR"] or len(found) == 2
    foo, bar = found
    assert [fix.title for fix in foo.fixes] == [
        "add 'depends on MMU' to FOO",
        "use 'imply MIGRATION' (a default the user can override)",
        "use 'depends on MIGRATION' instead of 'select MIGRATION'",
    ]
    assert applied(foo.fixes[2]) == before(foo.fixes[2]).replace(
        '"Foo"\n\tselect MIGRATION', '"Foo"\n\tdepends on MIGRATION'
    )
    # A conditional select has no `depends on` form (the C tools' `depends on` takes no `if`).
    assert [fix.title for fix in bar.fixes] == [
        "add 'depends on MMU' to BAR",
        "use 'imply MIGRATION' (a default the user can override)",
    ]


def test_select_unmet_dependency_adds_only_what_the_selector_leaves_open(tmp_path: Path) -> None:
    """U-Boot's DM_GPIO case: the board's own facts settle `OTHER && MMU || ... && DM`; GPIO is open."""
    body = (
        'config OTHER\n\tbool "Other"\nconfig GPIO\n\tbool "GPIO"\nconfig DM\n\tbool "DM"\n'
        "config TARGET\n\tbool\n\tdepends on OTHER && MMU || GPIO && DM\n"
        'config BOARD\n\tbool "Board"\n\tdepends on !OTHER\n\tselect DM\n\tselect TARGET\n'
    )
    (board,) = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS201")
    assert board.fixes[0].title == "add 'depends on GPIO' to BOARD"
    assert applied(board.fixes[0]) == before(board.fixes[0]).replace(
        "\tselect DM\n\tselect TARGET\n", "\tselect DM\n\tdepends on GPIO\n\tselect TARGET\n"
    )


def test_no_fix_when_another_statement_shares_the_line(tmp_path: Path) -> None:
    # A backslash continues the line: removing "the line" would leave half of it.
    body = 'config FOO\n\ttristate "Foo"\n\tselect B\n\tselect B if \\\n\t\tA\n'
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS210")
    assert len(found) == 1
    assert found[0].fixes == ()


def test_fixes_move_with_an_edit_above_them(tmp_path: Path) -> None:
    body = 'config FOO\n\ttristate "Foo"\n\tselect B\n\tselect B if A\n'
    (finding,) = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS210")
    path = finding.location.path
    inserted = ByteEdit(0, 0, 5)  # five bytes typed at the top of the file
    moved = move_finding(finding, {path: [inserted]}, strict=True)
    assert moved is not None
    assert moved.location.span.start == finding.location.span.start + 5
    assert [e.location.span.start for e in moved.fixes[0].edits] == [
        e.location.span.start + 5 for e in finding.fixes[0].edits
    ]
    # An edit of the fixed line itself: strict moving gives up, lenient moving keeps no fix.
    line = finding.fixes[0].edits[0].location.span
    touched = ByteEdit(line.start + 1, line.start + 2, 1)
    assert move_finding(finding, {path: [touched]}, strict=True) is None


def test_top_level_split_ignores_nested_and_quoted_separators() -> None:
    text = b'A && (B && C) && D = "x && y"'
    assert [text[s:e].strip() for s, e in top_level_split(text, b"&&") or []] == [
        b"A",
        b"(B && C)",
        b'D = "x && y"',
    ]
    assert top_level_split(b"(A && B", b"&&") is None


def test_a_line_whose_every_operand_is_redundant_is_removed_whole(tmp_path: Path) -> None:
    body = 'config NET\n\tbool "Networking"\nif NET\nconfig FOO\n\ttristate "Foo"\n\tdepends on NET && NET\nendif\n'
    found = findings(tmp_path, "//- /Kconfig\n" + HEADER + body, "KLS209")
    assert len(found) == 2
    for finding in found:
        assert applied(only_fix(finding)) == before(only_fix(finding)).replace(
            "\tdepends on NET && NET\n", ""
        )

"""Forms found on real trees (issue 12) that the parser dropped, misread or flagged.

Each fixture is reduced from the real file named beside it. `summary` prints
every entry with its attributes, so a dropped attribute shows as a diff.
"""

from __future__ import annotations

import textwrap

import pytest

from kconfig_ls.syntax.expression import render
from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    IfBlock,
    KconfigFile,
    MenuEntry,
    Node,
    parse_kconfig,
)


def summary(parsed: KconfigFile) -> list[str]:
    lines: list[str] = []

    def walk(nodes: list[Node], depth: int) -> None:
        for node in nodes:
            indent = "  " * depth
            if isinstance(node, IfBlock):
                lines.append(f"{indent}if {render(node.condition)}")
                walk(node.children, depth + 1)
                continue
            if isinstance(node, ConfigEntry):
                words = [f"config {node.name}"]
            elif isinstance(node, ChoiceEntry):
                words = [f"choice {node.name or ''}".rstrip()]
            elif isinstance(node, MenuEntry):
                words = [f"menu {node.title!r}"]
                words += [f"visible if {render(d.expression)}" for d in node.visible_if]
            elif isinstance(node, CommentEntry):
                words = [f"comment {node.text!r}"]
            else:
                continue
            entry_type = getattr(node, "type", None)
            if entry_type is not None:
                words.append(entry_type.type_name)
            words += [f"prompt {p.text!r}" for p in getattr(node, "prompts", [])]
            words += [f"depends on {render(d.expression)}" for d in node.dependencies]
            words += [f"default {render(d.value)}" for d in getattr(node, "defaults", [])]
            help_text = getattr(node, "help", None)
            if help_text is not None:
                words.append(f"help {help_text.text.strip()!r}")
            lines.append(indent + "; ".join(words))
            if isinstance(node, (ChoiceEntry, MenuEntry)):
                walk(node.children, depth + 1)

    walk(parsed.nodes, 0)
    return lines


def problems(parsed: KconfigFile) -> list[tuple[int, str, str]]:
    return [(parsed.line_of(p.span.start) + 1, p.severity, p.message) for p in parsed.problems]


def parse(text: str) -> KconfigFile:
    return parse_kconfig(textwrap.dedent(text).lstrip("\n").encode("utf-8"), "Kconfig")


CASES = [
    pytest.param(
        # Buildroot package/boost/Config.in:181
        """
        config BOOST_LOCALE
        	bool "boost-locale"
        	depends on ATOMIC_INTS \\
        		|| !ICU # boost-thread
        	select THREAD if ICU
        """,
        ["config BOOST_LOCALE; bool; prompt 'boost-locale'; depends on ATOMIC_INTS || !ICU"],
        id="comment-after-continued-depends-on",
    ),
    pytest.param(
        # ESP-IDF components/bootloader/Kconfig.projbuild:942
        """
        menu "Potentially insecure options"
            visible if (DEVELOPMENT || \\
                INSECURE) # NOERROR
            config FORCE
                bool "Force"
        endmenu
        """,
        [
            "menu 'Potentially insecure options'; visible if DEVELOPMENT || INSECURE",
            "  config FORCE; bool; prompt 'Force'",
        ],
        id="comment-after-continued-visible-if",
    ),
    pytest.param(
        """
        config A
        	int
        	default 3 if B && \\
        		C # a comment
        """,
        ["config A; int; default 3"],
        id="comment-after-continued-default",
    ),
    pytest.param(
        # A comment ends the logical line for the C tools, even before a backslash.
        """
        config A
        	bool
        	depends on B # not continued \\
        	depends on C
        """,
        ["config A; bool; depends on B; depends on C"],
        id="backslash-inside-a-comment-continues-nothing",
    ),
    pytest.param(
        # ESP-IDF components/esp_coex/Kconfig:8
        """
        if(ESP_COEX_ENABLED)
            config SW_COEXIST
                bool "Software coexistence"
                depends on(WIFI)
        endif
        """,
        ["if ESP_COEX_ENABLED", "  config SW_COEXIST; bool; prompt 'Software coexistence'; depends on WIFI"],
        id="if-glued-to-its-parenthesis",
    ),
    pytest.param(
        # Buildroot package/linux-tools/Config.in:151
        """
        config SELFTESTS
        	bool"selftests"
        	depends on MMU # bash
        	default!NO
        """,
        ["config SELFTESTS; bool; prompt 'selftests'; depends on MMU; default !NO"],
        id="type-glued-to-its-prompt",
    ),
    pytest.param(
        # ESP-IDF components/fatfs/Kconfig:336
        """
        menu "Free space calculation"
            help
                Controls whether the file system trusts cached data.

            config DONT_TRUST
                bool "Don't trust"
        endmenu
        """,
        [
            "menu 'Free space calculation'; help 'Controls whether the file system trusts cached data.'",
            '  config DONT_TRUST; bool; prompt "Don\'t trust"',
        ],
        id="help-in-a-menu",
    ),
    pytest.param(
        # ESP-IDF components/spi_flash/Kconfig:45
        """
        choice HPM
            prompt "High Performance Mode"
            default HPM_AUTO
            help
                Whether the High Performance Mode of Flash is enabled.

            config HPM_ENA
                # Not using name of HPM_ENABLE because it was used as an invisible option
                # to inherit the value of that one
                bool "Enable"
            config HPM_AUTO
                bool "Auto"
        endchoice
        """,
        [
            "choice HPM; prompt 'High Performance Mode'; default HPM_AUTO; "
            "help 'Whether the High Performance Mode of Flash is enabled.'",
            "  config HPM_ENA; bool; prompt 'Enable'",
            "  config HPM_AUTO; bool; prompt 'Auto'",
        ],
        id="entry-starting-with-a-comment-after-a-deeper-help",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_real_tree_forms_keep_every_attribute_without_problems(text: str, expected: list[str]) -> None:
    parsed = parse(text)
    assert problems(parsed) == []
    assert summary(parsed) == expected


def test_resumed_help_text_warns_about_a_statement_it_reads_as_help() -> None:
    # The help text resumes after the half-typed line 5, so line 7 stays
    # help; it looks like an attribute, which the C tools would read.
    parsed = parse(
        """
        config A
        	bool "A"
        	help
        	  Some text.
        	sel
        	  More text.
        	  bool "B"
        """
    )
    assert problems(parsed) == [
        (5, "error", "unknown statement 'sel'; did you mean 'select'?"),
        (
            7,
            "warning",
            "this line is read as help text, which resumes after the less indented line 5; "
            "if it is an attribute, indent it as the other attributes",
        ),
    ]
    assert summary(parsed) == ["config A; bool; prompt 'A'; help 'Some text.\\nMore text.\\nbool \"B\"'"]


def test_a_help_text_in_a_comment_is_still_a_problem() -> None:
    parsed = parse('comment "C"\n\thelp\n\t  text\n')
    assert problems(parsed) == [(2, "error", "'help' must follow a config, choice or menu entry")]


def test_spans_on_continuation_lines_point_at_their_own_line() -> None:
    # Linux drivers/net/ethernet/amd/Kconfig:11: a token of a continued
    # `depends on` was reported on the statement's first line.
    text = "config A\n\tbool\n\tdepends on B || \\\n\t\t   Ç_IS_NOT_A_NAME || \\\n\t\t   ISA\n"
    parsed = parse_kconfig(text.encode("utf-8"), "Kconfig")
    [problem] = parsed.problems
    data = text.encode("utf-8")
    assert parsed.line_of(problem.span.start) + 1 == 4
    assert data[problem.span.start :].startswith("Ç".encode())
    dependency = summary(parse_kconfig(text.replace("Ç_IS_NOT_A_NAME", "C").encode(), "Kconfig"))
    assert dependency == ["config A; bool; depends on B || C || ISA"]

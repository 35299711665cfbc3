"""The Kconfig parser: constructs, spans, problems and error isolation."""

from __future__ import annotations

import pytest

from kconfig_ls.syntax.expression import render
from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    ConfigEntry,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MenuEntry,
    SourceStatement,
    parse_kconfig,
)


def parse(text: str) -> KconfigFile:
    return parse_kconfig(text.encode("utf-8"), "Kconfig")


def configs(parsed: KconfigFile) -> dict[str, ConfigEntry]:
    found: dict[str, ConfigEntry] = {}

    def walk(nodes: list) -> None:  # type: ignore[type-arg]
        for node in nodes:
            if isinstance(node, ConfigEntry):
                found[node.name] = node
            elif isinstance(node, (MenuEntry, ChoiceEntry, IfBlock)):
                walk(node.children)

    walk(parsed.nodes)
    return found


def problems(parsed: KconfigFile) -> list[tuple[int, str]]:
    return [(parsed.line_of(p.span.start) + 1, p.message) for p in parsed.problems]


def test_every_attribute_of_a_config_entry() -> None:
    parsed = parse(
        "config FOO\n"
        '\ttristate "Foo support" if EXPERT\n'
        "\tdepends on PCI && (X86 || ARM)\n"
        "\tdepends on BAR if BAZ\n"
        "\tselect CRC32 if NET\n"
        "\timply SOUND\n"
        "\tdefault m if MODULES\n"
        "\trange 1 10\n"
        "\tmodules\n"
        "\ttransitional\n"
        "\thelp\n"
        "\t  First line.\n"
        "\n"
        "\t    Indented more.\n"
        "config NEXT\n"
        "\tdef_int 3\n"
    )
    entry = configs(parsed)["FOO"]
    assert problems(parsed) == []
    assert entry.type is not None and entry.type.type_name == "tristate"
    assert [(p.text, render(p.condition) if p.condition else None) for p in entry.prompts] == [
        ("Foo support", "EXPERT")
    ]
    assert [render(d.expression) for d in entry.dependencies] == ["PCI && (X86 || ARM)", "BAR"]
    assert entry.dependencies[1].condition is not None and render(entry.dependencies[1].condition) == "BAZ"
    assert [(s.target, render(s.condition) if s.condition else None) for s in entry.selects] == [
        ("CRC32", "NET")
    ]
    assert [s.target for s in entry.implies] == ["SOUND"]
    assert [render(d.value) for d in entry.defaults] == ["m"]
    assert [option for option, _ in entry.options] == ["modules", "transitional"]
    assert entry.help is not None and entry.help.text == "First line.\n\n  Indented more.\n"
    assert configs(parsed)["NEXT"].type.type_name == "int"  # type: ignore[union-attr]


def test_blocks_sources_macros_and_legacy_forms() -> None:
    parsed = parse(
        "VAR := value\n"
        'menu "Top"\n'
        "\tvisible if EXPERT\n"
        "if X86\n"
        'rsource "sub/Kconfig"\n'
        'orsource "opt/*/Kconfig"\n'
        "endif # X86\n"
        "choice\n"
        '\tprompt "Pick"\n'
        "\toptional\n"
        "config A\n"
        '\tbool "A"\n'
        "\t---help---\n"
        "\t  old style help\n"
        "endchoice\n"
        "configdefault A\n"
        "\tdefault y\n"
        "config OLD\n"
        "\tstring\n"
        '\toption env="ARCH"\n'
        "endmenu\n"
    )
    assert problems(parsed) == []
    assert isinstance(parsed.nodes[0], MacroAssignment)
    menu = parsed.nodes[1]
    assert isinstance(menu, MenuEntry) and render(menu.visible_if[0].expression) == "EXPERT"
    if_block = menu.children[0]
    assert isinstance(if_block, IfBlock)
    sources = [n for n in if_block.children if isinstance(n, SourceStatement)]
    assert [(s.keyword, s.path, s.relative, s.optional) for s in sources] == [
        ("rsource", "sub/Kconfig", True, False),
        ("orsource", "opt/*/Kconfig", True, True),
    ]
    choice = menu.children[1]
    assert isinstance(choice, ChoiceEntry) and [o for o, _ in choice.options] == ["optional"]
    member = choice.children[0]
    assert isinstance(member, ConfigEntry) and member.help is not None
    assert member.help.text == "old style help\n"
    assert configs(parsed)["A"].keyword == "configdefault"


def test_crlf_continuations_and_missing_final_newline() -> None:
    parsed = parse('config A\r\n\tbool "A"\r\n\tdepends on B && \\\r\n\t\tC\r\nconfig D\r\n\tbool')
    assert problems(parsed) == []
    assert render(configs(parsed)["A"].dependencies[0].expression) == "B && C"
    assert configs(parsed)["D"].type is not None


def test_a_continuation_inside_a_string_joins_without_a_space() -> None:
    # As kconfiglib (and esp-idf-kconfig) join it: ESP-IDF's Kconfig.micp.in:19.
    text = 'config A\n\tint "count for \\\n\t\tthe device" if B\n\tdepends on C && \\\n\t\tD\n'
    parsed = parse(text)
    entry = configs(parsed)["A"]
    assert problems(parsed) == []
    assert entry.prompts[0].text == "count for \t\tthe device"
    assert render(entry.dependencies[0].expression) == "C && D"
    # Spans on the continuation line still point at its own bytes.
    data = text.encode()
    condition = entry.prompts[0].condition
    assert condition is not None and render(condition) == "B"
    assert data[entry.prompts[0].text_span.start : entry.prompts[0].text_span.end].endswith(b'device"')


@pytest.mark.parametrize("opener", ['config B\n\tbool "B"\n', 'menu "M"\n'])
def test_a_help_keyword_after_a_lone_continuation_line_reads_its_text(opener: str) -> None:
    # `\` alone joins with the next line, so the logical line is `help` (kconfiglib reads the
    # text "b help"); the help text starts after the joined lines, not inside them.
    parsed = parse(opener + '\\\n\thelp\n\t  b help\nconfig A\n\tbool "A"\n')
    entry = parsed.nodes[0]
    assert isinstance(entry, (ConfigEntry, MenuEntry)) and entry.help is not None
    assert entry.help.text == "b help\n"
    assert entry.help.span.start <= entry.help.span.end
    assert "A" in configs(parsed)
    assert [message for _, message in problems(parsed) if "never closed" not in message] == []


def test_a_help_inside_a_help_text_is_a_warning_and_read_once() -> None:
    # Each `help` interrupts the first text, which resumes after it; it used to be parsed as a
    # new help reading the rest of the text again (2^n lines read: a hang on a hostile tree).
    parsed = parse('config A\n\tbool "A"\n' + "\thelp\n\t  text line\n" * 12 + 'config B\n\tbool "B"\n')
    entry = configs(parsed)["A"]
    assert entry.help is not None and entry.help.text == "text line\n" * 12
    assert "B" in configs(parsed)
    assert [message for _, message in problems(parsed)] == [
        "a second 'help' inside the help text: the C tools end the text here and read a new one, "
        "which replaces it; remove this line or indent it as the text"
    ] * 11


def test_spans_are_byte_offsets_after_non_ascii_text() -> None:
    text = 'config A\n\tbool "Café ☕"\n\tselect B\n'
    parsed = parse(text)
    select = configs(parsed)["A"].selects[0]
    data = text.encode("utf-8")
    assert data[select.target_span.start : select.target_span.end] == b"B"
    prompt = configs(parsed)["A"].prompts[0]
    assert data[prompt.text_span.start : prompt.text_span.end] == '"Café ☕"'.encode()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("\tsel", "unknown statement 'sel'; did you mean 'select'?"),
        ("\tdepends on ", "expected a value after 'depends on'"),
        ("\tdepends on A &&", "expected a symbol or a value after 'depends on'"),
        ("\tdefault y if (", "expected a symbol or a value after 'if'"),
        ('\tbool "unterminated', "unterminated prompt string"),
        ("junk junk", "unknown statement 'junk'"),
        ("endmenu", "'endmenu' without a matching 'menu'"),
    ],
)
def test_one_broken_line_damages_nothing_else(line: str, message: str) -> None:
    entries = "".join(
        f'config S{i}\n\tbool "S{i}"\n\tdepends on S{i - 1}\n\tselect T{i}\n' for i in range(1, 40)
    )
    lines = entries.splitlines(keepends=True)
    for position in (0, 5, 41, len(lines) - 1, len(lines)):
        broken = "".join(lines[:position]) + line + "\n" + "".join(lines[position:])
        parsed = parse(broken)
        found = configs(parsed)
        assert len(found) == 39, (position, sorted(found))
        assert all(len(entry.selects) == 1 for entry in found.values())
        found_problems = problems(parsed)
        assert [line_number for line_number, _ in found_problems] == [position + 1], found_problems
        if position > 0 or not line.startswith("\t"):
            # (At the top of the file an attribute has no entry to belong to.)
            assert found_problems[0][1] == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("if A\nconfig X\n\tbool\n", [(1, "'if' is never closed (missing 'endif')")]),
        ('menu "M"\nif A\nendmenu\n', [(2, "'if' is not closed before 'endmenu'")]),
        ("endchoice\n", [(1, "'endchoice' without a matching 'choice'")]),
        ("select A\n", [(1, "'select' must follow a config, choice, menu or comment entry")]),
        ("config 9$A\n", [(1, "invalid symbol name '9$A' after 'config'")]),
        ('menu "M"\n\tselect A\nendmenu\n', [(2, "'select' is not valid in a menu")]),
        ("config A\n\tbool\n\toption bogus\n", [(3, "unknown option 'bogus'")]),
    ],
)
def test_problems(text: str, expected: list[tuple[int, str]]) -> None:
    assert problems(parse(text)) == expected


def test_deeply_nested_blocks_are_bounded() -> None:
    text = "if A\n" * 1000 + "config X\n\tbool\n" + "endif\n" * 1000
    parsed = parse(text)
    assert "X" in configs(parsed)
    assert any("nested deeper" in m for _, m in problems(parsed))


def test_non_utf8_and_binary_bytes_never_raise() -> None:
    parsed = parse_kconfig(b'config A\n\tbool "caf\xe9"\n\xff\xfe\x00junk\nconfig B\n\tbool\n', "Kconfig")
    assert {"A", "B"} <= set(configs(parsed))
    assert any("not valid UTF-8" in p.message for p in parsed.problems)


def test_strip_comment_agrees_with_the_quote_scanner() -> None:
    """`strip_comment` (one regular expression) cuts where `quote_state`'s scan finds the `#`.

    Quotes, escapes, an unterminated string and a `#` inside quotes, over seeded
    random lines of the characters that matter.
    """
    import random

    from kconfig_ls.syntax.kconfig.lexical import quote_state, strip_comment

    generator = random.Random(12)
    for _ in range(20_000):
        line = "".join(generator.choice("\"'#\\a \t$") for _ in range(generator.randint(0, 12)))
        comment, _open = quote_state(line)
        assert strip_comment(line) == (line if comment < 0 else line[:comment].rstrip()), repr(line)
    assert strip_comment('\tbool "a # b" # the comment') == '\tbool "a # b"'
    assert strip_comment("default 'x\\' # y' # z") == "default 'x\\' # y'"
    assert strip_comment('prompt "open # end') == 'prompt "open # end'

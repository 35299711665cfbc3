"""Tests for the fast C preprocessor scanner (`kconfig_ls.syntax.c_preprocessor`).

Data driven: each test feeds an inline C snippet to one `check_*` helper that
renders what the scanner found as text lines. Every snippet starts with a
comment holding a non-ASCII character, so that every asserted span is a byte
offset past a multi-byte character; the helpers check each span by slicing the
bytes and comparing with the text they name.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.c_preprocessor import find_config_references, index_c_file, scan_c
from kconfig_ls.syntax.c_tree_sitter import scan_c_with_tree_sitter
from kconfig_ls.syntax.expression import Compare, Constant, CTest, Not, Unknown, render

PREAMBLE = "/* Überprüfung: é */\n"
"""Every fixture starts with this: 25 bytes, 21 characters."""


def encode(fixture: str) -> bytes:
    return (PREAMBLE + fixture).encode("utf-8")


def describe_directives(data: bytes) -> list[str]:
    scan = scan_c(data)
    lines = []
    for directive in scan.directives:
        text = data[directive.span[0] : directive.span[1]].decode()
        assert text.startswith("#"), text
        assert data[directive.keyword_span[0] : directive.keyword_span[1]].decode() == directive.kind
        entry = f"{directive.line} {directive.kind}"
        if directive.condition is not None:
            entry += ": " + render(directive.condition, c_syntax=True)
        if directive.comment_references:
            names = []
            for reference in directive.comment_references:
                assert data[reference.span[0] : reference.span[1]].decode() == reference.identifier
                names.append(reference.identifier)
            entry += " // " + " ".join(names)
        lines.append(entry)
    return lines


def check_directives(fixture: str, expected: str) -> None:
    assert describe_directives(encode(fixture)) == expected.strip().splitlines()


def check_condition(directive: str, expected: str) -> None:
    data = encode(directive + "\n#endif\n")
    scan = scan_c(data)
    condition = scan.directives[0].condition
    assert condition is not None
    assert render(condition, c_syntax=True) == expected
    assert scan.problems == ()


def check_references(fixture: str, expected: str) -> None:
    """Each reference as `line kind counted|ignored identifier [test] [local]`."""
    data = encode(fixture)
    scan = scan_c(data)
    lines = []
    for reference in scan.references:
        assert data[reference.span[0] : reference.span[1]].decode() == reference.identifier
        assert data[reference.symbol_span[0] : reference.symbol_span[1]].decode() == reference.symbol
        entry = f"{reference.line} {reference.kind.value} {'counted' if reference.counts else 'ignored'}"
        entry += f" {reference.identifier}"
        if reference.test:
            entry += f" {reference.test}"
        if reference.locally_defined:
            entry += " local"
        lines.append(entry)
    assert lines == expected.strip().splitlines()
    assert index_c_file(data) == (scan.references, scan.definitions)


def check_guard(fixture: str, expected: str) -> None:
    """`$0` marks the offset whose guard is asserted; the line query must agree."""
    marker = fixture.index("$0")
    data = encode(fixture.replace("$0", ""))
    offset = len(encode(fixture[:marker]))
    scan = scan_c(data)
    assert render(scan.guard_condition(offset), c_syntax=True) == expected
    line = data.count(b"\n", 0, offset)
    assert render(scan.guard_condition_at_line(line), c_syntax=True) == expected


def check_problems(fixture: str, expected: str) -> None:
    data = encode(fixture)
    scan = scan_c(data)
    lines = [f"{problem.line} {problem.message}" for problem in scan.problems]
    for problem in scan.problems:
        assert 0 <= problem.span[0] <= problem.span[1] <= len(data)
    assert lines == expected.strip().splitlines()


# --- conditions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("#ifdef CONFIG_MIGRATION", "defined(CONFIG_MIGRATION)"),
        ("#ifndef CONFIG_MIGRATION", "!defined(CONFIG_MIGRATION)"),
        ("#  ifdef\tCONFIG_MIGRATION", "defined(CONFIG_MIGRATION)"),
        ("#if defined CONFIG_NUMA", "defined(CONFIG_NUMA)"),
        ("#if defined(CONFIG_NUMA)", "defined(CONFIG_NUMA)"),
        ("#if IS_ENABLED(CONFIG_NUMA)", "IS_ENABLED(CONFIG_NUMA)"),
        ("#if IS_BUILTIN(CONFIG_NUMA)", "IS_BUILTIN(CONFIG_NUMA)"),
        ("#if IS_MODULE(CONFIG_NUMA)", "IS_MODULE(CONFIG_NUMA)"),
        ("#if IS_REACHABLE(CONFIG_NUMA)", "IS_REACHABLE(CONFIG_NUMA)"),
        ("#if CONFIG_NUMA", "CONFIG_NUMA"),
        ("#if defined(CONFIG_EXT2_FS_MODULE)", "defined(CONFIG_EXT2_FS_MODULE)"),
        ("#if CONFIG_NR_CPUS > 4", "CONFIG_NR_CPUS > 4"),
        ("#if CONFIG_PGTABLE_LEVELS == 3", "CONFIG_PGTABLE_LEVELS == 3"),
        ("#if CONFIG_PGTABLE_LEVELS != 3", "CONFIG_PGTABLE_LEVELS != 3"),
        (
            "#if !defined(__ASSEMBLY__) && (defined(CONFIG_A) || CONFIG_B)",
            "!defined(__ASSEMBLY__) && (defined(CONFIG_A) || CONFIG_B)",
        ),
        (
            "#if defined(CONFIG_A) && defined(CONFIG_B) && !defined(CONFIG_C)",
            "defined(CONFIG_A) && defined(CONFIG_B) && !defined(CONFIG_C)",
        ),
        ("#if FOO(1,2)&&BAR", "FOO(1, 2) && BAR"),
        ("#if (CONFIG_X & 1) || X", "(CONFIG_X & 1) || X"),
        ("#if CONFIG_A + 1 > 2", "CONFIG_A + 1 > 2"),
        ("#if 0", "0"),
        ("#if 1UL", "1UL"),
        ("#if __has_include(<linux/foo.h>)", "__has_include(<linux/foo.h>)"),
        ('#if __has_include("errata/abi-1.h")', '__has_include("errata/abi-1.h")'),
        (
            "#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)",
            "LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)",
        ),
        ("#if A ? B : C", "A ? B : C"),
        (
            "#if defined(CONFIG_A) /* é */ && \\\n    defined(CONFIG_B) // CONFIG_C",
            "defined(CONFIG_A) && defined(CONFIG_B)",
        ),
        ("#if !!CONFIG_A", "!!CONFIG_A"),
        ("#if defined(FOO)", "defined(FOO)"),
        ("#ifdef __KERNEL__", "defined(__KERNEL__)"),
    ],
)
def test_condition(directive: str, expected: str) -> None:
    check_condition(directive, expected)


def test_condition_data_model() -> None:
    data = encode(
        "#if defined(CONFIG_X_MODULE) && CONFIG_NR_CPUS > 4\n#elif !IS_ENABLED(CONFIG_Y) || FOO(1)\n#endif\n"
    )
    first, second, _ = scan_c(data).directives
    assert first.condition is not None and second.condition is not None
    assert first.condition.operands == (  # type: ignore[union-attr]
        CTest("defined", "X", module_suffix=True),
        Compare(">", CTest("value", "NR_CPUS"), Constant("4")),
    )
    assert second.condition.operands == (  # type: ignore[union-attr]
        Not(CTest("IS_ENABLED", "Y")),
        Unknown("FOO(1)"),
    )


def test_module_suffix_is_kept_when_the_symbol_itself_ends_in_module() -> None:
    data = encode("#ifdef CONFIG_BT_MODULE\n#endif\n")
    default = scan_c(data).directives[0].condition
    told = scan_c(data, symbols_ending_in_module=frozenset({"BT_MODULE"})).directives[0].condition
    assert default == CTest("defined", "BT", module_suffix=True)
    assert told == CTest("defined", "BT_MODULE")


def test_condition_span_excludes_comments() -> None:
    data = encode("#if defined(CONFIG_A) /* tail é */\n#endif\n")
    directive = scan_c(data).directives[0]
    assert directive.condition_span is not None
    assert data[directive.condition_span[0] : directive.condition_span[1]] == b"defined(CONFIG_A)"


# --- structure ------------------------------------------------------------------------------


def test_directives_with_lines_and_comment_references() -> None:
    check_directives(
        """\
#ifdef CONFIG_MIGRATION
int a;
#elif defined(CONFIG_COMPACTION) /* needs CONFIG_MMU */
int b;
#else // CONFIG_X
int c;
#endif /* CONFIG_MIGRATION */
#if 0
#endif  /* CONFIG_NUMA_BALANCING
         * and CONFIG_é_NOT_AN_IDENTIFIER */
""",
        """
1 ifdef: defined(CONFIG_MIGRATION)
3 elif: defined(CONFIG_COMPACTION) // CONFIG_MMU
5 else // CONFIG_X
7 endif // CONFIG_MIGRATION
8 if: 0
9 endif // CONFIG_NUMA_BALANCING CONFIG_
""",
    )


def test_directive_span_covers_continuations_and_multi_line_comments() -> None:
    data = encode("#if defined(CONFIG_A) && \\\n  defined(CONFIG_B)\n#endif /* a\n b */ \nint x;\n")
    scan = scan_c(data)
    opening, closing = scan.directives
    assert data[opening.span[0] : opening.span[1]] == b"#if defined(CONFIG_A) && \\\n  defined(CONFIG_B)"
    assert (opening.line, opening.end_line) == (1, 2)
    assert data[closing.span[0] : closing.span[1]] == b"#endif /* a\n b */ "
    assert (closing.line, closing.end_line) == (3, 4)


def test_matching_directives() -> None:
    data = encode("#if A\n#if B\n#endif\n#elif C\nint é;\n#else\n#endif\n#endif\n")
    scan = scan_c(data)
    assert [directive.kind for directive in scan.matching_directives(0)] == ["if", "elif", "else", "endif"]
    assert [directive.line for directive in scan.matching_directives(3)] == [1, 4, 6, 7]
    assert [directive.line for directive in scan.matching_directives(1)] == [2, 3]
    stray = scan.matching_directives(6)
    assert [directive.kind for directive in stray] == ["endif"]
    assert scan.directives[6].block is None
    assert scan.directive_at(scan.directives[3].span[0] + 2) == 3
    assert scan.directive_at(data.index("é".encode())) is None


def test_blocks_nest() -> None:
    data = encode("#ifdef A\n#ifdef B\n#endif\n#endif\n")
    scan = scan_c(data)
    outer, inner = scan.blocks
    assert (outer.depth, inner.depth) == (0, 1)
    assert inner.parent_branch == outer.branches[0]
    assert outer.terminated and inner.terminated
    assert data[outer.span[0] : outer.span[1]] == b"#ifdef A\n#ifdef B\n#endif\n#endif"


# --- guards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("int $0x;\n", "y"),
        (
            "#if CONFIG_NUMA_MIGRATION\n#if CONFIG_NUMA_BALANCING\n#else\nint $0x;\n#endif\n#endif\n",
            "CONFIG_NUMA_MIGRATION && !CONFIG_NUMA_BALANCING",
        ),
        (
            "#ifdef CONFIG_A\n#elif defined(CONFIG_B)\nint $0x;\n#endif\n",
            "!defined(CONFIG_A) && defined(CONFIG_B)",
        ),
        (
            "#ifdef CONFIG_A\n#elif defined(CONFIG_B)\n#else\n/* é */ int $0x;\n#endif\n",
            "!defined(CONFIG_A) && !defined(CONFIG_B)",
        ),
        ("#ifndef CONFIG_A\n#ifdef CONFIG_B\n#endif\nint $0x;\n#endif\n", "!defined(CONFIG_A)"),
        ("#ifdef CONFIG_A\n#endif\nint $0x;\n", "y"),
        (
            "#if defined(CONFIG_A) || defined(CONFIG_B)\n#else\n$0\n#endif\n",
            "!(defined(CONFIG_A) || defined(CONFIG_B))",
        ),
        (
            "#if IS_ENABLED(CONFIG_A)\n#else\n#if CONFIG_N > 2\n$0\n#endif\n#endif\n",
            "!IS_ENABLED(CONFIG_A) && CONFIG_N > 2",
        ),
        # A directive line belongs to the enclosing level.
        ("#ifdef CONFIG_A\n#ifdef CONFIG_B\n#el$0se\n#endif\n#endif\n", "defined(CONFIG_A)"),
        # Unterminated: the branch runs to the end of the file.
        ("#ifdef CONFIG_A\nint $0x;\n", "defined(CONFIG_A)"),
    ],
)
def test_guard(fixture: str, expected: str) -> None:
    check_guard(fixture, expected)


# --- references and the policy ----------------------------------------------------------------


def test_references_in_conditions_code_comments_and_strings() -> None:
    check_references(
        """\
#if defined(CONFIG_A) && !IS_ENABLED(CONFIG_B) || CONFIG_NR_CPUS > 4 || CONFIG_C_MODULE
int a = CONFIG_NR_CPUS; // CONFIG_LINE_COMMENT
char *s = "CONFIG_IN_STRING";
/* CONFIG_IN_COMMENT */
#endif /* CONFIG_A */
void f(void) { if (IS_ENABLED(CONFIG_D) && IS_MODULE( CONFIG_E )) g(); }
#define NR_CPUS CONFIG_NR_CPUS
#error CONFIG_NEEDED is required
#undef CONFIG_F
int ADDR_CONFIG_1KB_ROW, CONFIG_x1;
""",
        """
1 condition counted CONFIG_A defined
1 condition counted CONFIG_B IS_ENABLED
1 condition counted CONFIG_NR_CPUS value
1 condition counted CONFIG_C_MODULE value
2 code counted CONFIG_NR_CPUS
2 comment ignored CONFIG_LINE_COMMENT
3 string ignored CONFIG_IN_STRING
4 comment ignored CONFIG_IN_COMMENT
5 directive_comment counted CONFIG_A
6 is_enabled_call counted CONFIG_D IS_ENABLED
6 is_enabled_call counted CONFIG_E IS_MODULE
7 code counted CONFIG_NR_CPUS
8 directive_text ignored CONFIG_NEEDED
9 undef counted CONFIG_F
10 code counted CONFIG_x1
""",
    )


def test_module_suffix_reference_names_the_symbol() -> None:
    data = encode("#ifdef CONFIG_USB_MON_MODULE\n#endif\n")
    (reference,) = scan_c(data).references
    assert (reference.symbol, reference.module_suffix, reference.identifier) == (
        "USB_MON",
        True,
        "CONFIG_USB_MON_MODULE",
    )
    assert data[reference.symbol_span[0] : reference.symbol_span[1]] == b"USB_MON"


def test_c_names_that_are_not_kconfig_references() -> None:
    # Shapes from Linux 6.12: amdgpu's navi10_enum.h, rt2x00.h, cx231xx, lpfc_hw.h,
    # arch/um's CONFIG_CHUNK, riscv's alternative-macros.h, 8250_pci.c, flexcop-fe-tuner.c.
    check_references(
        """\
typedef enum ROW_SIZE {
CONFIG_1KB_ROW                           = 0x00000000,
CONFIG_2KB_ROW                           = 0x00000001, /* é */
CONFIG_4KB_ROW,
} ROW_SIZE;
enum rt2x00_config_flags { CONFIG_CHANNEL_HT40, CONFIG_POWERSAVING };
enum { LIMIT = CONFIG_NR_CPUS, };
struct CONFIG_INFO { int x; };
typedef struct { int y; } CONFIG_LINK;
CONFIG_CHUNK(str, size, n, "none", 1);
x.CONFIG_MEMBER = p->CONFIG_POINTER;
#define _ALTERNATIVE_CFG(a, CONFIG_k) IS_ENABLED(CONFIG_k)
#define SERIAL(option) IS_ENABLED(CONFIG_##option) + IS_REACHABLE(CONFIG_DVB_ ## option)
int a[] = { [0 ... CONFIG_NR_CPUS - 1] = 0 };
""",
        """
2 enum_member ignored CONFIG_1KB_ROW local
3 enum_member ignored CONFIG_2KB_ROW local
4 enum_member ignored CONFIG_4KB_ROW local
6 enum_member ignored CONFIG_CHANNEL_HT40 local
6 enum_member ignored CONFIG_POWERSAVING local
7 code counted CONFIG_NR_CPUS
8 type_name ignored CONFIG_INFO local
9 type_name ignored CONFIG_LINK local
10 macro_call ignored CONFIG_CHUNK
11 member ignored CONFIG_MEMBER
11 member ignored CONFIG_POINTER
12 macro_parameter ignored CONFIG_k local
12 macro_parameter ignored CONFIG_k local
13 token_paste ignored CONFIG_
13 token_paste ignored CONFIG_DVB_
14 code counted CONFIG_NR_CPUS
""",
    )


def test_locally_defined_names_do_not_count_anywhere_in_the_file() -> None:
    # smc91x.h's register bits, dib0090.c's local switches.
    check_references(
        """\
#define CONFIG_EXT_PHY 0x0200
#define CONFIG_BAND_VHF
#ifdef CONFIG_BAND_VHF
cfg = CONFIG_EXT_PHY;
#endif /* CONFIG_BAND_VHF */
""",
        """
1 define ignored CONFIG_EXT_PHY local
2 define ignored CONFIG_BAND_VHF local
3 condition ignored CONFIG_BAND_VHF defined local
4 code ignored CONFIG_EXT_PHY local
5 directive_comment ignored CONFIG_BAND_VHF local
""",
    )


def test_fallback_and_override_defines_keep_counting() -> None:
    # threads.h, eni.c and fake_32bit_build.h.
    data = encode(
        """\
#ifndef CONFIG_NR_CPUS
#define CONFIG_NR_CPUS 1
#endif
#ifndef CONFIG_ATM_ENI_TUNE_BURST
#define CONFIG_ATM_ENI_BURST_TX_8W
#endif
#undef CONFIG_X86_64
#define CONFIG_X86_32 1
#undef CONFIG_PGTABLE_LEVELS
#define CONFIG_PGTABLE_LEVELS 2
int n = CONFIG_NR_CPUS;
"""
    )
    scan = scan_c(data)
    assert [(definition.name, definition.line, definition.kind) for definition in scan.definitions] == [
        ("CONFIG_NR_CPUS", 2, "fallback_define"),
        ("CONFIG_ATM_ENI_BURST_TX_8W", 5, "fallback_define"),
        ("CONFIG_X86_32", 8, "define"),
        ("CONFIG_PGTABLE_LEVELS", 10, "fallback_define"),
    ]
    counted = {(reference.identifier, reference.line) for reference in scan.references if reference.counts}
    assert ("CONFIG_NR_CPUS", 2) in counted
    assert ("CONFIG_NR_CPUS", 11) in counted
    assert ("CONFIG_ATM_ENI_BURST_TX_8W", 5) in counted
    assert ("CONFIG_PGTABLE_LEVELS", 10) in counted
    assert ("CONFIG_X86_32", 8) not in counted


def test_hash_in_strings_comments_and_continued_strings_is_not_a_directive() -> None:
    check_directives(
        """\
char *s = "#if CONFIG_A";
/*
#if CONFIG_B
*/
//* a line comment that looks like an opener
#ifdef CONFIG_C
const char *template = "\\n\\
#ifdef __cplusplus\\n\\
";
#endif
""",
        """
6 ifdef: defined(CONFIG_C)
10 endif
""",
    )


# --- problems and bad input -------------------------------------------------------------------


def test_structure_problems() -> None:
    check_problems(
        """\
#endif
#else
#ifdef CONFIG_A
#else
#elif defined(CONFIG_B)
#else
#endif
#if
#if defined(
#endif
#endif
#if CONFIG_C /* unterminated comment
""",
        """
1 #endif without #if
2 #else without #if
5 #elif after #else
6 #else after #else
8 malformed #if condition: missing condition
9 malformed #if condition: 'defined' needs a macro name
12 #if without #endif
12 unterminated comment
""",
    )


def test_binary_file_is_a_problem_not_a_crash() -> None:
    scan = scan_c(b"\x7fELF\x00\x01\x02#if CONFIG_A\n")
    assert [problem.message for problem in scan.problems] == ["binary file, not scanned as C"]
    assert scan.references == ()
    assert find_config_references(b"\x7fELF\x00CONFIG_A") == ()


def test_non_utf8_bytes_and_crlf() -> None:
    data = (
        PREAMBLE.encode()
        + b"#if defined(CONFIG_A) && \xff\xfe\r\n#endif /* CONFIG_A */\r\nint x = CONFIG_B;\r\n"
    )
    scan = scan_c(data)
    assert [directive.kind for directive in scan.directives] == ["if", "endif"]
    assert scan.directives[0].span[1] == data.index(b"\r\n")
    assert [reference.identifier for reference in scan.references] == ["CONFIG_A", "CONFIG_A", "CONFIG_B"]
    assert [problem.message.split(":")[0] for problem in scan.problems] == ["malformed #if condition"]


def test_huge_header_is_scanned_quickly() -> None:
    body = "".join(
        f"#ifdef CONFIG_OPTION_{index}\n#define REG_{index} 0x{index:x} /* é */\n#endif /* CONFIG_OPTION_{index} */\n"
        for index in range(34_000)
    )
    data = encode("#ifndef _HUGE_H\n#define _HUGE_H\n" + body + "#endif\n")
    started = time.perf_counter()
    scan = scan_c(data)
    elapsed = time.perf_counter() - started
    assert len(scan.directives) == 68_002
    assert len(scan.references) == 68_000
    assert scan.problems == ()
    assert elapsed < 20, elapsed


def test_unbalanced_quotes_and_comment_markers_do_not_hang() -> None:
    data = encode(('/* " \' // */ \'"\' "/*" CONFIG_A #if\n' * 2000) + "#ifdef CONFIG_B\n#endif\n")
    scan = scan_c(data)
    assert [directive.kind for directive in scan.directives] == ["ifdef", "endif"]
    assert scan.references[-1].identifier == "CONFIG_B"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "#if ",
                "#ifdef ",
                "#ifndef ",
                "#elif ",
                "#else",
                "#endif",
                "CONFIG_A",
                "CONFIG_B_MODULE",
                "defined(",
                "IS_ENABLED(",
                ")",
                " && ",
                "||",
                "!",
                "/*",
                "*/",
                "//",
                '"',
                "'",
                "\\",
                "\n",
                "\r\n",
                " ",
                "#define ",
                "enum {",
                "}",
                "é",
                "\xff",
                "##",
                "0x1f",
            ]
        ),
        max_size=40,
    )
)
def test_scanner_never_fails_on_garbage(pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8", errors="surrogateescape")
    scan = scan_c(data)
    for directive in scan.directives:
        assert 0 <= directive.span[0] <= directive.span[1] <= len(data)
    for reference in scan.references:
        assert data[reference.span[0] : reference.span[1]].decode() == reference.identifier
    for branch in scan.branches:
        assert 0 <= branch.body_span[0] <= branch.body_span[1] <= len(data)
    assert index_c_file(data) == (scan.references, scan.definitions)
    for offset in range(0, len(data) + 1, 7):
        scan.guard_condition(offset)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"int a = CONFIG_A, \"s\", 'c', /* x */ b = CONFIG_B, " * 20_000, id="minified line"),
        pytest.param(b"#define X \\\n" + b'  CONFIG_A "q" + \\\n' * 20_000 + b"  0\n", id="continued macro"),
        pytest.param(b'"/*" CONFIG_A\n' * 20_000, id="comment openers in strings"),
        pytest.param(b"CONFIG_A,\n" * 20_000, id="enum-like commas"),
        pytest.param(b"#if CONFIG_A\n" * 10_000 + b"#endif\n" * 10_000, id="deep nesting"),
        pytest.param(b"/*" + b"CONFIG_A #if\n" * 20_000, id="unterminated comment"),
    ],
)
def test_pathological_files_stay_linear(data: bytes) -> None:
    started = time.perf_counter()
    scan = scan_c(data)
    index_c_file(data)
    assert time.perf_counter() - started < 15
    assert len(scan.references) >= 10_000


@pytest.mark.parametrize(
    "condition",
    [
        "(" * 5000 + "CONFIG_A" + ")" * 5000,
        "!" * 5000 + "CONFIG_A",
        " + ".join(["1"] * 5000),
        "A ? " * 3000 + "B",
    ],
)
def test_absurdly_deep_conditions_are_problems(condition: str) -> None:
    data = encode(f"#if {condition}\n#endif\n")
    for scan in (scan_c(data), scan_c_with_tree_sitter(data)):
        assert [problem.message for problem in scan.problems] == [
            "malformed #if condition: condition nested too deeply"
        ]
        assert scan.directives[0].condition is not None
        render(scan.directives[0].condition)


def test_long_flat_conditions_are_fine() -> None:
    condition = " || ".join(f"defined(CONFIG_A{index})" for index in range(3000))
    data = encode(f"#if {condition}\n#endif\n")
    for scan in (scan_c(data), scan_c_with_tree_sitter(data)):
        assert scan.problems == ()
        assert render(scan.directives[0].condition or Unknown("")).count("||") == 2999

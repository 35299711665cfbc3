"""Tests for tree-sitter-c documents (`kconfig_ls.syntax.c_tree_sitter`).

Two properties matter: the tree-sitter front end finds the same preprocessor
structure as the fast scanner, and a document edited incrementally ends in
the same state as a fresh parse of its final text. Fixtures contain
non-ASCII characters before the constructs they test, so that offsets and
tree-sitter points are exercised in bytes.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
from kconfig_ls.syntax.c_tree_sitter import CDocument, scan_c_with_tree_sitter
from kconfig_ls.syntax.expression import render

PREAMBLE = "/* Überprüfung: é */\n"


def summary(scan: CScan) -> list[str]:
    """What the two front ends must agree on, one line a directive, reference or problem."""
    lines = []
    for directive in scan.directives:
        condition = "" if directive.condition is None else render(directive.condition, c_syntax=True)
        comments = " ".join(
            f"{reference.identifier}@{reference.span}" for reference in directive.comment_references
        )
        lines.append(
            f"directive {directive.kind} {directive.span} {directive.keyword_span} lines {directive.line}-"
            f"{directive.end_line} block {directive.block} [{condition}] {directive.condition_span} {comments}"
        )
    lines.extend(f"branch {branch.body_span} {branch.body_lines}" for branch in scan.branches)
    lines.extend(
        f"reference {reference.identifier} {reference.span} {reference.kind.value} {reference.counts}"
        for reference in scan.references
    )
    lines.extend(f"problem {problem.span} {problem.message}" for problem in scan.problems)
    return lines


def check_agreement(fixture: str) -> None:
    data = (PREAMBLE + fixture).encode("utf-8")
    assert summary(scan_c_with_tree_sitter(data)) == summary(scan_c(data))


FIXTURES = [
    "#ifdef CONFIG_MIGRATION\nint a;\n#elif defined(CONFIG_COMPACTION) /* needs CONFIG_MMU */\n"
    "int b;\n#else // CONFIG_X\nint c;\n#endif /* CONFIG_MIGRATION */\n",
    "#if defined(CONFIG_A) && !IS_ENABLED(CONFIG_B) || CONFIG_NR_CPUS > 4 || CONFIG_C_MODULE\n#endif\n",
    "#if defined(CONFIG_A) /* é */ && \\\n    defined(CONFIG_B) // CONFIG_C\n#endif\n",
    "#if (CONFIG_X & 1) || X\n#elif FOO(1,2)&&BAR\n#elif !!CONFIG_A\n#elif CONFIG_A + 1 > 2\n#endif\n",
    "#if 0\n#elif 1UL\n#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)\n#endif\n",
    # tree-sitter misparses these; both fall back to the text of the condition.
    "#if __has_include(<linux/foo.h>)\n#endif\n#if A ? B : C\n#endif\n",
    "#endif /* CONFIG_NUMA_BALANCING\n * and CONFIG_MORE */\n#ifndef CONFIG_NR_CPUS\n#define CONFIG_NR_CPUS 1\n#endif\n",
    # A directive splitting a statement leaves tree-sitter with ERROR nodes and preproc_call.
    "void f(void) {\n#ifdef CONFIG_A\n  if (x) {\n#else\n  if (y) {\n#endif\n    g();\n  }\n}\n",
    'char *s = "#if CONFIG_A";\n/*\n#if CONFIG_B\n*/\n//* comment\n#ifdef CONFIG_C\n#endif\n',
    "#endif\n#else\n#ifdef CONFIG_A\n#else\n#elif defined(CONFIG_B)\n#else\n#endif\n",
    "#if CONFIG_A /* unterminated comment\n",
    "enum { CONFIG_1KB_ROW = 0, CONFIG_2KB_ROW, };\n#define F(CONFIG_k) IS_ENABLED(CONFIG_k) + CONFIG_##x\n",
    "#  ifdef\tCONFIG_SPACED\n#  endif\n#elifdef CONFIG_X\n#elifndef CONFIG_Y\n",
    "#if CONFIG_A\r\n#endif /* CONFIG_A */\r\n",
]


@pytest.mark.parametrize("fixture", FIXTURES)
def test_tree_sitter_agrees_with_the_scanner(fixture: str) -> None:
    check_agreement(fixture)


def test_condition_from_tree_sitter_nodes() -> None:
    data = (PREAMBLE + "#if defined(CONFIG_A) && (CONFIG_B > 2 || !IS_MODULE(CONFIG_C))\n#endif\n").encode()
    document = CDocument(data)
    directive = document.scan().directives[0]
    assert directive.condition is not None
    assert (
        render(directive.condition, c_syntax=True)
        == "defined(CONFIG_A) && (CONFIG_B > 2 || !IS_MODULE(CONFIG_C))"
    )
    assert directive.condition_span is not None
    condition_text = data[directive.condition_span[0] : directive.condition_span[1]]
    assert condition_text == b"defined(CONFIG_A) && (CONFIG_B > 2 || !IS_MODULE(CONFIG_C))"


def test_apply_edit_after_non_ascii_text() -> None:
    data = (PREAMBLE + "#ifdef CONFIG_A\nint x; /* é */\n#endif\n").encode()
    document = CDocument(data)
    start = data.index(b"CONFIG_A")
    document.apply_edit(start, start + len(b"CONFIG_A"), "CONFIG_ÄB".encode())
    assert document.data == (PREAMBLE + "#ifdef CONFIG_ÄB\nint x; /* é */\n#endif\n").encode()
    # Insert a block across lines after a multi-byte character.
    after_comment = document.data.rindex("é */".encode()) + len("é */".encode())
    document.apply_edit(after_comment, after_comment, b"\n#if CONFIG_NEW\n#endif")
    fresh = CDocument(document.data)
    assert str(document.tree.root_node) == str(fresh.tree.root_node)
    assert summary(document.scan()) == summary(fresh.scan())
    assert [directive.kind for directive in document.scan().directives] == ["ifdef", "if", "endif", "endif"]


def test_apply_edit_rejects_ranges_outside_the_document() -> None:
    document = CDocument(b"int x;\n")
    with pytest.raises(ValueError):
        document.apply_edit(3, 2, b"")
    with pytest.raises(ValueError):
        document.apply_edit(0, 100, b"")


def test_binary_document() -> None:
    assert [problem.message for problem in CDocument(b"\x00\x01#if CONFIG_A\n").scan().problems] == [
        "binary file, not scanned as C"
    ]


# --- incremental parsing equals a fresh parse ------------------------------------------------

BASE_DOCUMENT = (
    PREAMBLE
    + """\
#ifndef _LINUX_MM_H
#define _LINUX_MM_H
#ifdef CONFIG_MIGRATION
int migrate(void); /* Überlauf */
#elif IS_ENABLED(CONFIG_COMPACTION) && CONFIG_NR_CPUS > 4
int compact(void);
#else
static inline int migrate(void) { return IS_ENABLED(CONFIG_NUMA); }
#endif /* CONFIG_MIGRATION */
#endif
"""
)

FRAGMENTS = [
    "#if ",
    "#ifdef ",
    "#elif ",
    "#else",
    "#endif",
    "\n",
    "CONFIG_MMU",
    "defined(",
    ")",
    " && ",
    "!",
    "/* é */",
    "/*",
    "*/",
    "//",
    '"',
    "\\\n",
    "{",
    "}",
    "int ñ;",
    "",
]


@st.composite
def edit_sequences(draw: st.DrawFn) -> list[tuple[int, int, str]]:
    """Edits as (start, end, text) in *character* offsets, applied one after the other."""
    text = BASE_DOCUMENT
    edits = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 40)))
        insert = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=4)))
        edits.append((start, end, insert))
        text = text[:start] + insert + text[end:]
    return edits


@settings(max_examples=150, deadline=None)
@given(edit_sequences())
# Found by Hypothesis: the edits leave `migrate("#elif void) {`, an unterminated string before a
# `#elif` in the middle of a line, which the incremental parse kept as a directive node.
@example([(0, 0, ""), (24, 52, "#endif"), (206, 206, '"#elif '), (31, 31, ""), (2, 2, ""), (180, 185, "")])
def test_incremental_edits_match_a_fresh_parse(edits: list[tuple[int, int, str]]) -> None:
    text = BASE_DOCUMENT
    document = CDocument(text.encode())
    for start, end, insert in edits:
        # An editor sends character positions; the engine works in bytes.
        start_byte = len(text[:start].encode())
        end_byte = len(text[:end].encode())
        document.apply_edit(start_byte, end_byte, insert.encode())
        text = text[:start] + insert + text[end:]
        assert document.data == text.encode()
    fresh = CDocument(text.encode())
    # tree-sitter's error recovery may legitimately differ between an
    # incremental and a fresh parse; a clean tree must be identical.
    if not fresh.has_syntax_errors:
        assert str(document.tree.root_node) == str(fresh.tree.root_node)
    assert summary(document.scan()) == summary(fresh.scan())

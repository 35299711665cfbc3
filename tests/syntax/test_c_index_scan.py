"""The index's lean C scan (`index_c`) gives what the full scan gives (`index_from_scan(scan_c(...))`)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from kconfig_ls.settings.ecosystem import COREBOOT, U_BOOT
from kconfig_ls.syntax.c_index_scan import index_c, index_from_scan
from kconfig_ls.syntax.c_preprocessor import scan_c
from kconfig_ls.syntax.config_reference import DEFAULT_REFERENCE_SYNTAX, ReferenceSyntax

CASES = {
    "blocks and comments": (
        "#ifdef CONFIG_A\nint a = IS_ENABLED(CONFIG_B);\n#elif defined(CONFIG_C) /* CONFIG_D */\n"
        "#else /* !CONFIG_A */\n#endif /* CONFIG_E */\n"
    ),
    "stray and misplaced directives": "#else\n#endif\n#if CONFIG_A\n#else\n#elif CONFIG_B\n#endif\n#ifdef X\n",
    "malformed conditions": "#if CONFIG_A &&\n#endif\n#ifdef\n#endif\n#if (CONFIG_B\n#endif /* CONFIG_B */\n",
    "families in comments": "#ifdef CONFIG_PREEMPT_RT\n#endif /* CONFIG_PREEMPT_* */\n#if 1\n#endif /* CONFIG_XXX_Y */\n",
    "fallback define": "#ifndef CONFIG_NR_CPUS\n#define CONFIG_NR_CPUS 1\n#endif\nint n = CONFIG_NR_CPUS;\n",
    # The fallback decided from the branches alone, with the rest of the entry (lying comments,
    # problems, families, lines) from the lean path.
    "fallback defines with comments and problems": (
        "#ifndef GUARD_H\n#define GUARD_H\n#ifdef CONFIG_A\n#ifndef CONFIG_B\n#define CONFIG_B 4\n"
        "#endif /* CONFIG_C */\n#elif CONFIG_F\n#else\n#define CONFIG_D 1\n#endif /* CONFIG_A */\n"
        "#if 0\n#define CONFIG_G 2\n#endif /* CONFIG_G_* */\nint b = CONFIG_B + CONFIG_D + CONFIG_G;\n"
        "#endif\n#if CONFIG_E &&\n#endif\n#else\n"
    ),
    "owned define": "#define CONFIG_LOCAL 1\n#ifdef CONFIG_LOCAL\n#endif /* CONFIG_LOCAL */\n",
    "undef override": "#undef CONFIG_X\n#define CONFIG_X 2\nint x = CONFIG_X;\n",
    "kinds in code": (
        "enum e { CONFIG_ONE, CONFIG_TWO = 2 };\nstruct CONFIG_TAG { int CONFIG_FIELD; };\n"
        "int v = s.CONFIG_M + p->CONFIG_N + CONFIG_CALL(1) + CONFIG_##x;\n"
        '/* CONFIG_COMMENT */ char *t = "CONFIG_STRING"; // CONFIG_LINE\n'
        "#error CONFIG_TEXT\n#define M(CONFIG_P) CONFIG_P + CONFIG_Q\n} CONFIG_TYPEDEF;\n"
        "if (IS_REACHABLE ( CONFIG_R ) || IS_MODULE(CONFIG_S_MODULE)) {}\nu32 CONFIG_REG[4];\n"
    ),
    "continuations": "#if defined(CONFIG_A) && \\\n    defined(CONFIG_B)\n#endif /* CONFIG_A && CONFIG_B */\n",
    "binary": "\0\0\0CONFIG_A",
    # Lines are counted lazily, as far as references, problems and mismatch openings need
    # them, in whatever order they are asked (a problem after the last reference, an opening
    # before it): each must still get its own line.
    "lines asked out of order": (
        "#ifdef CONFIG_FAR\n"
        + "int x;\n" * 40
        + "#else\n#elif CONFIG_B\nint b = CONFIG_B;\n"
        + "int y;\n" * 30
        + "#endif /* CONFIG_OTHER */\n#endif\n"
        + "int z;\n" * 20
        + "#if A\n"
    ),
    "names inside other names only": "#ifndef GUARD\n#define mmSDMA0_CONFIG_X 0x1\n#endif\n#else\n",
    "unterminated comment": "#if CONFIG_A /* open\n#endif\n",
    # The lean scan's comment tracker restarts at the directive before a use (none starts in
    # a comment); the full scan's searches every byte: openers before, in and after directives,
    # one inside a string, a directive-looking line inside a comment.
    "comments around directives": (
        "/* closed */ int a = CONFIG_A; /* open\n#ifdef CONFIG_IN_COMMENT\n*/\n"
        "#ifdef CONFIG_B /* comment on the directive\n   continued */ int b = CONFIG_C;\n"
        'char *s = "/*"; int d = CONFIG_D; /* CONFIG_E */\n#endif\n'
        "int f = CONFIG_F; /* CONFIG_G\n#if CONFIG_H\n CONFIG_I */ int j = CONFIG_J;\n"
        "#if 1 // CONFIG_K /*\n#endif\nint l = CONFIG_L;\n"
    ),
    "ecosystem macros": (
        "#if CONFIG_IS_ENABLED(DM) || CONFIG(X86)\n#endif /* CONFIG_IS_ENABLED(DM) */\n"
        "int y = CONFIG_VAL(LEN) + CONFIG(Y);\n#define CONFIG(option) option\n"
    ),
}


@pytest.mark.parametrize(
    "syntax",
    [DEFAULT_REFERENCE_SYNTAX, U_BOOT.reference_syntax, COREBOOT.reference_syntax],
    ids=["linux", "u-boot", "coreboot"],
)
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_lean_scan_equals_the_full_scan(name: str, syntax: ReferenceSyntax) -> None:
    data = CASES[name].encode()
    assert index_c(data, syntax) == index_from_scan(scan_c(data, syntax=syntax), data)


def test_the_comparison_can_fail() -> None:
    data = CASES["stray and misplaced directives"].encode()
    lean = index_c(data)
    assert lean.problems, "the case must report problems"
    assert lean._replace(problems=lean.problems[1:]) != index_from_scan(scan_c(data), data)


def test_u_boot_macro_arguments_are_indexed() -> None:
    data = b"#if CONFIG_IS_ENABLED(DM_I2C)\n#endif\nint x = CONFIG_VAL(SYS_MALLOC_LEN);\n"
    symbols = [row[0] for row in index_c(data, U_BOOT.reference_syntax).references]
    assert symbols == ["DM_I2C", "SYS_MALLOC_LEN"]


@pytest.mark.skipif(not os.environ.get("KCONFIG_LS_LINUX_TREE"), reason="needs KCONFIG_LS_LINUX_TREE")
def test_on_a_sample_of_linux_files() -> None:
    tree = Path(os.environ["KCONFIG_LS_LINUX_TREE"])
    paths = sorted(
        path
        for folder in ("mm", "kernel", "include/linux", "drivers/net/ethernet/intel")
        for path in (tree / folder).rglob("*.[ch]")
    )
    for path in random.Random(13).sample(paths, min(400, len(paths))):
        data = path.read_bytes()
        assert index_c(data) == index_from_scan(scan_c(data), data), path

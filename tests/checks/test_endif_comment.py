"""endif-comment-mismatch (KLS102): a prompt-less symbol selected by the tested ones and by a
symbol that forces the choice onto one of them is their disjunction.

`include/linux/vtime.h:115`: `#else /* !CONFIG_VIRT_CPU_ACCOUNTING */` after `#if ..._NATIVE` /
`#elif ..._GEN`; S390 selects VIRT_CPU_ACCOUNTING too, and the only other member of the
accounting choice depends on `!S390`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.test_code_rules import lint

KCONFIG = """
//- /Kconfig
config ARCH_S
	bool "arch s"
	select ACCOUNTING
config ACCOUNTING
	bool
choice
	prompt "accounting"
config TICK
	bool "tick"
	depends on {tick_dependency}
config NATIVE
	bool "native"
	select ACCOUNTING
config GEN
	bool "gen"
	select ACCOUNTING
endchoice
config OTHER
	bool "other"
"""

HEADER = """
//- /include/vtime.h
#if defined(CONFIG_NATIVE)
int a;
#elif defined(CONFIG_GEN)
int b;
#else /* !CONFIG_ACCOUNTING */
int c;
#endif
"""


@pytest.mark.parametrize(
    "tick_dependency, expected",
    [("!ARCH_S && OTHER", []), ("OTHER", ["include/vtime.h:5"])],
    ids=["the other selector forces a tested member", "it does not"],
)
def test_a_selector_that_forces_a_tested_member(
    tmp_path: Path, tick_dependency: str, expected: list[str]
) -> None:
    found = lint(
        tmp_path, HEADER, "endif-comment-mismatch", tree=KCONFIG.format(tick_dependency=tick_dependency)
    )
    assert [line.split(": warning")[0] for line in found] == expected


MANY_NAMES = """
//- /psram.c
#if CONFIG_XIP
int a;
#endif  //CONFIG_FETCH && CONFIG_RODATA
#ifdef CONFIG_XIP
int b;
#endif /* defined(CONFIG_FETCH) || sizeof(CONFIG_RODATA) */
#if CONFIG_XIP
int c;
#endif /* CONFIG_FETCH && CONFIG_XIP && CONFIG_RODATA */
"""

MANY_NAMES_KCONFIG = """
//- /Kconfig
config XIP
	bool "xip"
config FETCH
	bool "fetch"
config RODATA
	bool "rodata"
"""


def test_one_finding_per_comment_naming_all_its_wrong_names(tmp_path: Path) -> None:
    """ESP-IDF's `#endif //CONFIG_SPIRAM_FETCH_INSTRUCTIONS && CONFIG_SPIRAM_RODATA`: one lie.

    The fix replaces the names when only operators stand between them."""
    found = lint(tmp_path, MANY_NAMES, "endif-comment-mismatch", tree=MANY_NAMES_KCONFIG)
    assert found == [
        "psram.c:3: warning: #endif comment names CONFIG_FETCH and CONFIG_RODATA, but the block opened "
        "at line 1 (#if CONFIG_XIP) tests CONFIG_XIP",
        "  fix: Change the comment to CONFIG_XIP: CONFIG_FETCH && CONFIG_RODATA -> CONFIG_XIP",
        "psram.c:6: warning: #endif comment names CONFIG_FETCH and CONFIG_RODATA, but the block opened "
        "at line 4 (#ifdef CONFIG_XIP) tests CONFIG_XIP",
        "psram.c:9: warning: #endif comment names CONFIG_FETCH and CONFIG_RODATA, but the block opened "
        "at line 7 (#if CONFIG_XIP) tests CONFIG_XIP",
    ]

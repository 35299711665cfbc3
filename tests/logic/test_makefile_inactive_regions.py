"""Inactive `ifdef`/`ifeq` blocks of Makefiles and Kbuild files from a configuration."""

from __future__ import annotations

import textwrap

from kconfig_ls.logic.makefile_inactive_regions import makefile_inactive_regions

VALUES = {"ON": "y", "MOD": "m", "OFF": "n", "NR_CPUS": "64", "NAME": "text", "PROBE": None}


def value_of(name: str) -> str | None:
    return VALUES.get(name, "n")


def inactive_lines(source: str) -> list[tuple[int, int]]:
    """The inactive bodies as 1-based inclusive line ranges of the dedented source."""
    data = textwrap.dedent(source).lstrip("\n").encode()
    regions = makefile_inactive_regions(data, value_of)
    for region in regions:
        start, end = region.span
        first, last = region.lines
        assert data[start:end] == b"\n".join(data.split(b"\n")[first:last])
    return [(region.lines[0] + 1, region.lines[1]) for region in regions]


def test_ifdef_and_ifndef_test_whether_the_symbol_is_set() -> None:
    assert inactive_lines(
        """
        ifdef CONFIG_ON
        on := 1
        endif
        ifdef CONFIG_OFF
        off := 1
        endif
        ifdef CONFIG_MOD
        mod := 1
        endif
        ifndef CONFIG_ON
        not_on := 1
        endif
        ifndef CONFIG_UNDEFINED_ANYWHERE
        kept := 1
        endif
        """
    ) == [(5, 5), (11, 11)]


def test_ifeq_and_ifneq_in_every_spelling() -> None:
    assert inactive_lines(
        """
        ifeq ($(CONFIG_ON),y)
        a := 1
        endif
        ifeq ($(CONFIG_MOD),y)
        b := 1
        endif
        ifneq ($(CONFIG_OFF),)
        c := 1
        endif
        ifeq "$(CONFIG_NR_CPUS)" "64"
        d := 1
        endif
        ifeq '${CONFIG_NAME}' 'other'
        e := 1
        endif
        ifeq ($(CONFIG_ON)$(CONFIG_MOD),ym)
        f := 1
        endif
        """
    ) == [(5, 5), (8, 8), (14, 14)]


def test_else_chains_and_nesting() -> None:
    assert inactive_lines(
        """
        ifdef CONFIG_OFF
        one := 1
        ifdef CONFIG_ON
        inner := 1
        endif
        else ifeq ($(CONFIG_ON),y)
        two := 1
        else
        three := 1
        endif
        """
    ) == [(2, 5), (9, 9)]


def test_unknown_tests_grey_nothing_after_them_in_the_chain() -> None:
    assert (
        inactive_lines(
            """
        ifeq ($(ARCH),x86)
        a := 1
        else ifdef CONFIG_ON
        b := 1
        else
        c := 1
        endif
        ifdef CONFIG_PROBE
        d := 1
        else
        e := 1
        endif
        ifneq ($(filter y,$(CONFIG_OFF)),)
        f := 1
        endif
        """
        )
        == []
    )


def test_a_taken_branch_turns_off_the_rest_even_after_an_unknown_one() -> None:
    assert inactive_lines(
        """
        ifdef CONFIG_ON
        a := 1
        else ifeq ($(ARCH),x86)
        b := 1
        else
        c := 1
        endif
        """
    ) == [(4, 4), (6, 6)]


def test_variables_the_file_assigns_itself_and_define_blocks_are_not_judged() -> None:
    assert inactive_lines(
        """
        CONFIG_OFF := y
        ifdef CONFIG_OFF
        a := 1
        endif
        define recipe
        ifdef CONFIG_ON
        endef
        ifdef CONFIG_OFF2 \\
        # continued
        b := 1
        endif
        """
    ) == [(10, 10)]


def test_malformed_files_never_raise() -> None:
    for text in ("endif\nelse\n", "ifdef\n", "ifeq (,\n", "else ifdef CONFIG_ON\n", "ifdef CONFIG_OFF\nx\n"):
        makefile_inactive_regions(text.encode(), value_of)

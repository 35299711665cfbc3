"""Inactive `#if` regions from a configuration, on small C texts."""

from __future__ import annotations

import textwrap

from kconfig_ls.logic.inactive_regions import branch_states, inactive_regions
from kconfig_ls.syntax.c_preprocessor import scan_c

VALUES = {"ON": "y", "MOD": "m", "OFF": "n", "NR_CPUS": "64", "BASE": "0x1000", "NAME": "text", "PROBE": None}


def value_of(name: str) -> str | None:
    return VALUES.get(name, "n")


def states(source: str, module_context: bool | None = False) -> list[bool | None]:
    scan = scan_c(textwrap.dedent(source).encode())
    return [state.compiled for state in branch_states(scan, value_of, module_context=module_context)]


def test_each_kind_of_test() -> None:
    assert states(
        """
        #ifdef CONFIG_ON
        #endif
        #ifdef CONFIG_MOD
        #endif
        #ifdef CONFIG_MOD_MODULE
        #endif
        #if IS_ENABLED(CONFIG_MOD) && !IS_BUILTIN(CONFIG_MOD) && IS_MODULE(CONFIG_MOD)
        #endif
        #if defined(CONFIG_UNDEFINED_ANYWHERE)
        #endif
        #if CONFIG_NR_CPUS > 32 && CONFIG_BASE == 0x1000
        #endif
        #if CONFIG_NR_CPUS < 8
        #endif
        """
    ) == [True, False, True, True, False, True, False]


def test_unknowns_are_never_greyed() -> None:
    assert states(
        """
        #ifdef __KERNEL__
        #endif
        #if IS_ENABLED(CONFIG_PROBE)
        #endif
        #if CONFIG_NAME > 1
        #endif
        #if defined(MODULE) && defined(CONFIG_OFF)
        #endif
        """
    ) == [None, None, None, False]
    assert states("#if IS_REACHABLE(CONFIG_MOD)\n#endif\n", module_context=None) == [None]
    assert states("#if IS_REACHABLE(CONFIG_MOD)\n#endif\n", module_context=True) == [True]


def test_else_branches_and_nesting() -> None:
    source = """
    #ifdef CONFIG_OFF
    a
    #ifdef CONFIG_ON
    b
    #endif
    #elif defined(CONFIG_ON)
    c
    #else
    d
    #endif
    """
    assert states(source) == [False, False, True, False]
    scan = scan_c(textwrap.dedent(source).encode())
    regions = inactive_regions(scan, value_of)
    # The nested block is inside the first region: only outermost bodies are listed.
    assert [region.lines for region in regions] == [(2, 6), (9, 10)]


def test_a_macro_the_file_defines_is_unknown() -> None:
    assert states("#define CONFIG_OFF 1\n#ifdef CONFIG_OFF\n#endif\n") == [None]

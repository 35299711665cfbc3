"""The tristate meaning of C tests, and when a file is built: shared by the block analysis.

From the seed review ("in migrate.c, we can remove the CONFIG_NUMA check as
both CONFIG_NUMA_MIGRATION and CONFIG_NUMA_BALANCING depend on it"): a C
guard is judged against what encloses it, the enclosing `#if`s and the
Makefile condition under which the file is built at all (`obj-$(CONFIG_NUMA)
+= mempolicy.o`, and the directories above it: `obj-$(CONFIG_MM) += mm/`).
`kconfig_ls.logic.dead_blocks` asks those questions over every world that
builds the file (KLS206-208); this module says what the C tests mean.

C tests get their tristate meaning: `#ifdef CONFIG_X` and `#if CONFIG_X` hold
when X is y, `CONFIG_X_MODULE` when it is m, `IS_ENABLED` when it is not n;
`IS_REACHABLE`, other macros and arithmetic are free (unknown), so they never
make a guard redundant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    Constant,
    CTest,
    Expression,
    Not,
    Or,
    Symbol,
    Unknown,
    conjunction,
    disjunction,
    render,
)
from kconfig_ls.syntax.makefile import scan_makefile

__all__ = ["kconfig_meaning", "makefile_condition"]


def kconfig_meaning(expression: Expression, phase_symbols: frozenset[str] = frozenset()) -> Expression:
    """A C guard as a Kconfig condition (see the module docstring).

    `phase_symbols` are tested by U-Boot's `CONFIG_IS_ENABLED(X)` in the file:
    X in U-Boot proper, SPL_X in SPL, TPL_X in TPL, so no one Kconfig value;
    their tests are unknown (`#if CONFIG_IS_ENABLED(PRINTF)` in lib/panic.c
    does not always hold: SPL_PRINTF can be n).
    """
    if isinstance(expression, CTest):
        symbol = Symbol(expression.symbol)
        if expression.test == "IS_REACHABLE" or expression.symbol in phase_symbols:
            return Unknown(render(expression, c_syntax=True))
        if expression.test == "IS_ENABLED":
            return Compare("!=", symbol, Constant("n"))
        wanted = "m" if (expression.module_suffix or expression.test == "IS_MODULE") else "y"
        return Compare("=", symbol, Constant(wanted))
    if isinstance(expression, Constant):
        if expression.quoted:
            return Unknown(render(expression))
        try:
            return TRUE if int(expression.value.rstrip("uUlL"), 0) != 0 else Constant("n")
        except ValueError:
            return Unknown(expression.value)
    if isinstance(expression, Not):
        return Not(kconfig_meaning(expression.operand, phase_symbols))
    if isinstance(expression, And):
        return conjunction(*(kconfig_meaning(operand, phase_symbols) for operand in expression.operands))
    if isinstance(expression, Or):
        return disjunction(*(kconfig_meaning(operand, phase_symbols) for operand in expression.operands))
    if isinstance(expression, Compare):
        return Unknown(render(expression, c_syntax=True))
    return expression


def makefile_condition(path: str, root: str, read: Callable[[str], bytes | None]) -> Expression:
    """When the file is built: the `obj-$(CONFIG_X)` lists naming it, up the directory chain.

    TRUE when no Makefile names it (built some other way: no constraint).
    """
    conditions: list[Expression] = []
    name = os.path.splitext(os.path.basename(path))[0] + ".o"
    directory = os.path.dirname(path)
    root = os.path.abspath(root)
    while directory.startswith(root) and directory != root:
        data = read(os.path.join(directory, "Makefile")) or read(os.path.join(directory, "Kbuild"))
        if data is None:
            break
        lists = [built for built in scan_makefile(data).objects if built.name.rstrip("/") == name.rstrip("/")]
        if not lists or _named_in_a_phase_list(data, name):
            # Named in no list we read, or also in a list of U-Boot's build phases
            # (`obj-$(CONFIG_$(PHASE_)SPRINTF) += vsprintf.o`, built when SPL_SPRINTF is
            # in SPL): the lists we read do not say when the file is built.
            break
        conditions.append(
            disjunction(*(conjunction(*(Symbol(s) for s in built.list_symbols)) for built in lists))
        )
        name = os.path.basename(directory) + "/"
        directory = os.path.dirname(directory)
    return conjunction(*conditions)


_CODE_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)
_PHASE_VARIABLE = re.compile(rb"\$\((?:PHASE_|SPL_|XPL_|TPL_|VPL_|SPL_TPL_|PHASE|SPL_TPL_XPL_)\)")


def _named_in_a_phase_list(data: bytes, name: str) -> bool:
    """Whether a line naming `name` (`vsprintf.o`, `core/`) uses a U-Boot phase variable."""
    word = re.compile(rb"(?<![A-Za-z0-9_./-])" + re.escape(name.encode()) + rb"(?![A-Za-z0-9_])")
    return any(_PHASE_VARIABLE.search(line) and word.search(line) for line in data.splitlines())

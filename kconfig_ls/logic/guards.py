"""Redundant `#if` guards in the configured world, and the tristate meaning of C tests.

Two shapes, both from the seed review ("in migrate.c, we can remove the
CONFIG_NUMA check as both CONFIG_NUMA_MIGRATION and CONFIG_NUMA_BALANCING
depend on it"):

- **implied guard**: `#ifdef CONFIG_X` always holds given what encloses it:
  the enclosing `#if`s, and the Makefile condition under which the file is
  built at all (`obj-$(CONFIG_NUMA) += mempolicy.o`, and the directories
  above it: `obj-$(CONFIG_MM) += mm/`);
- **enclosing guard made redundant by its contents**: an `#if` whose body
  holds only `#if` blocks, each of whose conditions implies the outer one
  (the seed's `#ifdef CONFIG_NUMA` around the NUMA_MIGRATION and
  NUMA_BALANCING blocks).

"Implies" is decided by the SAT solver on the configured world's formula
(`kconfig_ls.logic.tristate_encoding`). C tests get their tristate meaning:
`#ifdef CONFIG_X` and `#if CONFIG_X` hold when X is y, `CONFIG_X_MODULE`
when it is m, `IS_ENABLED` when it is not n; `IS_REACHABLE`, other macros
and arithmetic are free (unknown), so they never make a guard redundant.
Only single-branch blocks (no `#else`/`#elif`) are judged: removing such a
guard changes nothing that is compiled.

KLS206 no longer uses `redundant_guards`: it asks over every world that
builds the file, from `kconfig_ls.logic.dead_blocks` (the configured world
alone was wrong on multi-architecture trees: `#ifdef CONFIG_X86` in a file
every architecture builds). `kconfig_meaning` is shared by both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import Encoding, encode_worlds
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
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
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.syntax.makefile import scan_makefile

__all__ = ["RedundantGuard", "kconfig_meaning", "makefile_condition", "redundant_guards"]


@dataclass(frozen=True, slots=True)
class RedundantGuard:
    """A guard that can be removed (with its `#endif`); `reason` is one line."""

    location: Location
    condition: str
    reason: str
    endif: Location | None


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
_PHASE_TEST = re.compile(rb"\bCONFIG_IS_ENABLED\s*\(\s*([A-Za-z0-9_]+)\s*\)")
_PHASE_VARIABLE = re.compile(rb"\$\((?:PHASE_|SPL_|XPL_|TPL_|VPL_|SPL_TPL_|PHASE|SPL_TPL_XPL_)\)")


def _named_in_a_phase_list(data: bytes, name: str) -> bool:
    """Whether a line naming `name` (`vsprintf.o`, `core/`) uses a U-Boot phase variable."""
    word = re.compile(rb"(?<![A-Za-z0-9_./-])" + re.escape(name.encode()) + rb"(?![A-Za-z0-9_])")
    return any(_PHASE_VARIABLE.search(line) and word.search(line) for line in data.splitlines())


def phase_tested_symbols(data: bytes) -> frozenset[str]:
    """The symbols a C file tests with U-Boot's `CONFIG_IS_ENABLED(X)` (their tests are unknown)."""
    if b"CONFIG_IS_ENABLED" not in data:
        return frozenset()
    return frozenset(match.decode("ascii") for match in _PHASE_TEST.findall(data))


def redundant_guards(
    table: SymbolTable,
    files: Iterable[tuple[str, bytes, Expression, str]],
    is_cancelled: Callable[[], bool] | None = None,
) -> list[RedundantGuard]:
    """Redundant guards of the given C files: (path, text, Makefile condition, its description)."""
    encoding = encode_worlds({table.world: table})
    found: list[RedundantGuard] = []
    with LogicSolver(encoding, is_cancelled, batch=True) as solver:
        for path, data, built_when, built_text in files:
            found.extend(_file_guards(encoding, solver, path, data, scan_c(data), built_when, built_text))
    return found


def _file_guards(
    encoding: Encoding,
    solver: LogicSolver,
    path: str,
    data: bytes,
    scan: CScan,
    built_when: Expression,
    built_text: str,
) -> Iterator[RedundantGuard]:
    modules = encoding.modules_literal(encoding.worlds[0])

    def holds(expression: Expression) -> int:
        return encoding.pair(expression, modules)[0]

    def implied(premise: Expression, conclusion: Expression) -> bool:
        return solver.satisfiable([holds(premise), -holds(conclusion)]) is None

    phase_symbols = phase_tested_symbols(data)

    def meaning(expression: Expression) -> Expression:
        return kconfig_meaning(expression, phase_symbols)

    for block in scan.blocks:
        if len(block.branches) != 1 or not block.terminated:
            continue
        branch = scan.branches[block.branches[0]]
        condition = meaning(branch.condition)
        if not any(isinstance(node, Compare) for node in _atoms(condition)):
            continue  # no Kconfig test in it
        enclosing = conjunction(
            built_when,
            *(meaning(b.effective_condition) for b in scan.enclosing_branches(block.parent_branch)),
        )
        directive = scan.directives[branch.directive]
        endif = scan.directives[block.directives[-1]]
        text = _directive_text(data, scan, branch.directive)
        location = Location(path, Span(*directive.span))
        endif_location = Location(path, Span(*endif.span))
        if solver.satisfiable([holds(enclosing)]) is None:
            continue  # the whole region is dead; another rule's business
        if implied(enclosing, condition):
            where = built_text if block.parent_branch is None else "the enclosing #if"
            yield RedundantGuard(
                location, text, f"{text} always holds here: {where} implies it", endif_location
            )
            continue
        children = [other for other in scan.blocks if other.parent_branch == block.branches[0]]
        if not children or not _only_blocks(data, branch.body_span, [c.span for c in children]):
            continue
        child_conditions = [meaning(scan.branches[c.branches[0]].effective_condition) for c in children]
        if any(implied(conjunction(enclosing, condition), child) for child in child_conditions):
            continue  # an inner guard is the redundant one (reported on its own)
        if all(len(c.branches) == 1 for c in children) and all(
            implied(conjunction(enclosing, child), condition) for child in child_conditions
        ):
            inner = " and ".join(
                _directive_text(data, scan, scan.branches[c.branches[0]].directive) for c in children
            )
            yield RedundantGuard(
                location,
                text,
                f"{text} is redundant: everything inside is guarded by {inner}, which imply it",
                endif_location,
            )


def _directive_text(data: bytes, scan: CScan, directive: int) -> str:
    """`#ifdef CONFIG_NUMA` as written (first line, comment dropped, spaces collapsed)."""
    start, end = scan.directives[directive].span
    line = data[start:end].split(b"\n", 1)[0]
    line = _CODE_COMMENT.sub(b"", line)
    return " ".join(line.decode("utf-8", "replace").split())


def _atoms(expression: Expression) -> Iterator[Expression]:
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, (And, Or)):
            stack.extend(node.operands)
        elif isinstance(node, Not):
            stack.append(node.operand)
        else:
            yield node


def _only_blocks(data: bytes, body: tuple[int, int], blocks: list[tuple[int, int]]) -> bool:
    """Whether the body holds nothing but the child blocks, whitespace and comments."""
    position = body[0]
    rest: list[bytes] = []
    for start, end in sorted(blocks):
        rest.append(data[position:start])
        position = end
    rest.append(data[position : body[1]])
    return not _CODE_COMMENT.sub(b"", b"".join(rest)).strip()

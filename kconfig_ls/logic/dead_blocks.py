"""Dead and undead `#if` blocks over every architecture at once (undertaker's classes).

A branch of an `#if` block is **dead** when its condition can never hold
given what encloses it, and **undead** when it always holds there (its
`#else` is then dead, and the guard can go; a single-branch block that
always holds is KLS206's redundant guard and is not reported again). "What encloses it"
is the enclosing `#if`s and the Makefile condition under which the file is
built (`obj-$(CONFIG_X)`, through the directories above it; a file under
`arch/arm/` is built only on arm). The question is asked over the formula
of every world (`kconfig_ls.logic.tristate_encoding`): a block is dead only
if it is dead on every architecture that can build the file, and the
finding names those architectures.

Each finding names its cause in one line, as undertaker classifies them:

- **structure**: the C conditions contradict each other whatever the
  symbols mean (`#ifdef CONFIG_X` inside `#ifndef CONFIG_X`);
- **undefined**: a guard on a symbol that no Kconfig file of the
  architectures building the file defines (`#ifdef CONFIG_X86` in an arm
  file); a symbol that no world defines at all is left free, because
  KLS101 undefined-symbol-in-code already reports its use;
- **kconfig**: the Kconfig model rules it out (`#ifdef CONFIG_X` inside
  `#ifndef CONFIG_Y` where X depends on Y);
- **makefile**: it takes the Makefile condition to rule it out.

C tests have their tristate meaning (`kconfig_ls.logic.guards.kconfig_meaning`:
`#ifdef CONFIG_X` holds when X is y, `IS_ENABLED` when it is not n);
`IS_REACHABLE`, arithmetic and other macros are free, and so is a symbol
the file `#define`s or `#undef`s itself, and U-Boot's
`CONFIG_IS_ENABLED(X)` (X or its SPL/TPL variant, by build phase). Free
means unknown, never guessed, so free operands can only hide findings.

Cheap by construction, as liveness: all questions of a batch of files
(one literal each: "this branch can be compiled", "this condition can be
false here") are built first; then the solver is asked for a model in
which at least one of many open questions holds, steered by the phases
their symbols need (`_sample`). Each model settles many; a "no" proves
every question asked dead (or undead). Only the findings are explained, and their
questions are settled together the same way (dry passes that guess "possible" collect
them; the last pass uses proven answers only, so the findings do not depend on it).
Blocks whose conditions mention no Kconfig symbol are never asked
(include guards, `#if 0`, `#ifdef __KERNEL__`): a plain `#if 0` is a
deliberate switch, not a finding.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from kconfig_ls.logic import block_hints, block_reasons, block_settling
from kconfig_ls.logic.block_reasons import CodeFile
from kconfig_ls.logic.block_settling import KeptSolver
from kconfig_ls.logic.guards import kconfig_meaning
from kconfig_ls.logic.solver import Cancelled
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
from kconfig_ls.syntax.config_reference import DEFAULT_REFERENCE_SYNTAX, ReferenceSyntax
from kconfig_ls.syntax.expression import (
    FALSE,
    TRUE,
    And,
    Compare,
    CTest,
    Expression,
    Not,
    Or,
    Unknown,
    conjunction,
    disjunction,
)
from kconfig_ls.syntax.kconfig import Span

__all__ = ["BlockFinding", "BlockAnalysis", "CodeFile", "analyse_blocks"]


_LOG = logging.getLogger(__name__)
_DEFINED = "#defined"
"""In a free set: every `defined(CONFIG_X)` test is free (see `negatives_defined`)."""
_OWN_DEFINITION = re.compile(rb"#[ \t]*(?:define|undef)[ \t]+CONFIG_([A-Za-z0-9_]+)")
"""Without `^` and re.M (each line start tried: 14 times slower); `_own_definitions` checks the line."""


@dataclass(frozen=True, slots=True)
class BlockFinding:
    """A dead or undead branch; `reason` is one line, `cause` one of structure/undefined/kconfig/makefile."""

    kind: str  # "dead", "undead" or "redundant" (KLS206's single-branch guard)
    location: Location
    directive: str
    cause: str
    reason: str
    worlds: tuple[str, ...]
    endif: Location | None = None
    fix_title: str = ""
    fix_edits: tuple[tuple[int, int, str], ...] = ()
    """The quick fix: byte ranges of the file and their new text (empty: no fix)."""


@dataclass(frozen=True)
class BlockAnalysis:
    findings: tuple[BlockFinding, ...]
    files: int
    blocks: int
    questions: int
    queries: int
    forked: int = 0
    """Questions answered by a forked child (`block_analysis`: its share of the files), in `queries` too."""


@dataclass
class _Question:
    kind: str
    file: int
    block: int
    branch: int
    literal: int
    hints: tuple[int, ...] = ()
    """Symbol (and world) literals that make the question hold if true: phases to prefer."""


@dataclass
class _FileState:
    code: CodeFile
    scan: CScan
    free: frozenset[str]
    absent: frozenset[str]
    build_literal: int
    built_literal: int
    optional: Mapping[str, str] = field(default_factory=dict)
    """Symbols of components a build compiling the file may leave out (ESP-IDF), to the key of
    those components' presence: their tests are X and "present"."""
    judged: list[int] = field(default_factory=list)
    contents: dict[int, list[int]] = field(default_factory=dict)
    """Single-branch blocks whose body holds only single-branch judged blocks: their children."""


def analyse_blocks(
    tables: Mapping[str, SymbolTable],
    encoding: Encoding,
    files: Iterable[CodeFile],
    syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX,
    is_cancelled: Callable[[], bool] | None = None,
    defined_in_code: frozenset[str] = frozenset(),
    negatives_defined: bool = False,
    read: Callable[[str], bytes | None] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    absent_components: Callable[[str, str], frozenset[str] | None] | None = None,
) -> BlockAnalysis:
    """Dead and undead branches of the files' `#if` blocks (see the module docstring).

    `defined_in_code` are names some file of the tree defines itself (`#define CONFIG_X`,
    `-DCONFIG_X`): a build may give them other values than Kconfig does, so they are free.
    `negatives_defined`: the build writes `#define CONFIG_X 0` for a bool that is n (coreboot's
    `KCONFIG_NEGATIVES`), so `#ifdef CONFIG_X` says nothing about X's value: free.
    `read`: when given, a file's text is let go once its questions are built and read again
    only if it has a finding (a whole tree's texts are never in memory at once).
    `progress` receives a line of where the analysis is. `absent_components(path, symbol)`
    names the components defining the symbol when a build compiling the file may lack them all
    (ESP-IDF's `ComponentPresence`): its test is then "X and those components are present",
    the presence a free boolean (one per set of components), so the test never always holds,
    and a test that can never hold stays so.

    Three passes: every file's questions (literals, interned: the same question in two files
    is one literal); all of them settled at once (`block_settling.settle`); then the files
    with an impossible question scanned again, and their findings explained.
    """
    report = progress or (lambda message: None)
    findings: list[BlockFinding] = []
    counts = [0, 0, 0]
    kept = block_settling.kept_solver(encoding)
    with kept.lock:
        kept.is_cancelled = is_cancelled
        try:
            queries_before = kept.solver.queries
            records: list[tuple[CodeFile, list[int]]] = []
            hints: dict[int, tuple[int, ...]] = {}
            for number, code in enumerate(files):
                if number % 256 == 0:
                    if is_cancelled is not None and is_cancelled():
                        raise Cancelled()
                    if number:
                        report(f"#if blocks: {number:,} files read")
                state = _prepare(
                    encoding, code, syntax, defined_in_code, negatives_defined, absent_components
                )
                if state is None:
                    continue
                questions = list(_questions(encoding, state, 0))
                counts[0] += 1
                counts[1] += len(state.judged)
                counts[2] += len(questions)
                literals = list(dict.fromkeys(question.literal for question in questions))
                for question in questions:
                    if question.hints:
                        hints.setdefault(question.literal, question.hints)
                records.append((code if read is None else replace(code, data=b""), literals))
            block_settling.settle(
                encoding,
                kept,
                [literals for _, literals in records],
                hints,
                progress=lambda done, total: report(f"#if blocks: {done:,} of {total:,} questions settled"),
            )
            impossible = kept.impossible
            explained: list[tuple[_FileState, set[tuple[str, int, int, int]]]] = []
            for code, literals in records:
                if not any(literal == -TRUE_LITERAL or literal in impossible for literal in literals):
                    continue
                if read is not None:
                    data = read(code.path)
                    if data is None:
                        continue
                    code = replace(code, data=data)
                state = _prepare(
                    encoding, code, syntax, defined_in_code, negatives_defined, absent_components
                )
                if state is None:
                    continue
                never = {
                    (q.kind, q.file, q.block, q.branch)
                    for q in _questions(encoding, state, 0)
                    if q.literal == -TRUE_LITERAL or q.literal in impossible
                }
                explained.append((state, never))
            report(f"#if blocks: explaining the findings of {len(explained):,} files")
            # The explanations' questions settled together, as the questions were: a dry pass
            # over every finding guesses each unknown answer "possible" (most are) and collects
            # the questions it would ask; they are settled at once (a model settles many), and
            # again until a pass asks nothing new. The last pass uses proven answers only.
            for _ in range(_EXPLANATION_ROUNDS):
                kept.wanted = {}
                for state, never in explained:
                    for _finding in _findings(encoding, tables, kept, [state], never):
                        pass
                wanted, kept.wanted = kept.wanted, None
                if not wanted:
                    break
                block_settling.settle(encoding, kept, [list(wanted)], wanted)
            for state, never in explained:
                findings.extend(_findings(encoding, tables, kept, [state], never))
            queries = kept.solver.queries - queries_before
        finally:
            kept.is_cancelled = None
            kept.wanted = None
    findings.sort(key=lambda f: (f.location.path, f.location.span.start))
    return BlockAnalysis(tuple(findings), counts[0], counts[1], counts[2], queries)


# --- preparing a file -----------------------------------------------------------------------


def _prepare(
    encoding: Encoding,
    code: CodeFile,
    syntax: ReferenceSyntax,
    defined_in_code: frozenset[str],
    negatives_defined: bool,
    absent_components: Callable[[str, str], frozenset[str] | None] | None = None,
) -> _FileState | None:
    if b"#" not in code.data or not code.worlds:
        return None
    scan = scan_c(code.data, syntax=syntax)
    own = defined_in_code | _own_definitions(code.data)
    free: set[str] = set(own)
    if negatives_defined:
        free.add(_DEFINED)
    absent: set[str] = set()
    optional: dict[str, str] = {}
    judged: list[int] = []
    for index, block in enumerate(scan.blocks):
        if not block.terminated:
            continue
        mentioned = False
        for branch_index in block.branches:
            for test in block_reasons.c_tests(scan.branches[branch_index].condition):
                defined = encoding.types.get(test.symbol)
                if (
                    defined is None
                    or test.symbol in own
                    or _phase_test(code.data, scan, branch_index, test, syntax)
                ):
                    free.add(test.symbol)
                    continue
                mentioned = True
                if not any(world in defined for world in code.worlds):
                    absent.add(test.symbol)
                elif absent_components is not None:
                    components = absent_components(code.path, test.symbol)
                    if components is not None:
                        optional[test.symbol] = ",".join(sorted(components))
        if mentioned:
            judged.append(index)
    if not judged:
        return None
    contents = block_reasons.contents_candidates(code.data, scan, judged)
    build_literal = encoding.world_set(code.worlds)
    # The Makefile condition is a Kconfig expression (not C): encoded as it is.
    built = encoding.pair(code.built_when, encoding.modules_literal(encoding.worlds[0]))[0]
    built_literal = encoding.conjoin((built, build_literal))
    state = _FileState(
        code,
        scan,
        frozenset(free),
        frozenset(absent - free),
        build_literal,
        built_literal,
        optional,
    )
    state.judged = judged
    state.contents = contents
    return state


def _own_definitions(data: bytes) -> frozenset[str]:
    """The `CONFIG_` names the file `#define`s or `#undef`s itself (a directive: only blanks before `#`)."""
    names: set[str] = set()
    for match in _OWN_DEFINITION.finditer(data):
        line_start = data.rfind(b"\n", 0, match.start()) + 1
        if not data[line_start : match.start()].strip(b" \t"):
            names.add(match.group(1).decode("ascii"))
    return frozenset(names)


def _phase_test(data: bytes, scan: CScan, branch: int, test: CTest, syntax: ReferenceSyntax) -> bool:
    """Whether a test comes from a phase macro (U-Boot's `CONFIG_IS_ENABLED(X)`): X by build phase."""
    if not syntax.phase_macros or test.test != "IS_ENABLED":
        return False
    start, end = scan.directives[scan.branches[branch].directive].span
    return (syntax.prefix + test.symbol).encode() not in data[start:end]


_NONE_OPTIONAL: Mapping[str, str] = {}


def _meaning(
    expression: Expression,
    free: frozenset[str],
    absent: frozenset[str],
    structural: bool,
    optional: Mapping[str, str] = _NONE_OPTIONAL,
) -> Expression:
    """The C condition as a Kconfig condition: free tests and unknown operands become free booleans.

    A free test is `Unknown = y`, which the encoding makes one free boolean
    per spelling (an `Unknown` alone would be a free tristate, whose m
    makes both it and its negation hold at the m level); a test of a
    symbol absent from every world that builds the file is n; one of a component the build may
    leave out (`optional`) holds only with those components present, a free boolean.
    """
    if isinstance(expression, CTest):
        if structural or expression.symbol in free or (expression.test == "defined" and _DEFINED in free):
            suffix = "_MODULE" if expression.module_suffix else ""
            return _free_boolean(f"ctest:{expression.test}:{expression.symbol}{suffix}")
        if expression.symbol in absent:
            return FALSE
        presence = optional.get(expression.symbol)
        if presence is not None:
            return conjunction(kconfig_meaning(expression), _free_boolean(f"present:{presence}"))
        return kconfig_meaning(expression)
    if isinstance(expression, Not):
        return Not(_meaning(expression.operand, free, absent, structural, optional))
    if isinstance(expression, And):
        return conjunction(*(_meaning(o, free, absent, structural, optional) for o in expression.operands))
    if isinstance(expression, Or):
        return disjunction(*(_meaning(o, free, absent, structural, optional) for o in expression.operands))
    meaning = kconfig_meaning(expression)
    if isinstance(meaning, Unknown):
        return _free_boolean("c:" + meaning.text)
    return meaning


def _free_boolean(key: str) -> Expression:
    return Compare("=", Unknown(key), TRUE)


def _holds(
    encoding: Encoding,
    expression: Expression,
    free: frozenset[str],
    absent: frozenset[str],
    *,
    structural: bool = False,
    optional: Mapping[str, str] = _NONE_OPTIONAL,
) -> int:
    """The literal of "this C condition (or Kconfig condition) holds"."""
    meaning = _meaning(expression, free, absent, structural, optional)
    modules = encoding.modules_literal(encoding.worlds[0])
    return encoding.pair(meaning, modules)[0]


# --- the questions --------------------------------------------------------------------------


def _enclosing(state: _FileState, block: int) -> list[Expression]:
    scan = state.scan
    return [
        branch.effective_condition for branch in scan.enclosing_branches(scan.blocks[block].parent_branch)
    ]


def _questions(encoding: Encoding, state: _FileState, file_index: int) -> Iterator[_Question]:
    scan = state.scan
    free, absent, optional = state.free, state.absent, state.optional
    # Can the file be built at all? A file never built is the Makefile's question, not ours.
    built_hints: list[int] = []
    block_hints.hints(encoding, state.code.built_when, True, built_hints)
    if len(state.code.worlds) < len(encoding.worlds):
        built_hints.append(encoding.world_variable[state.code.worlds[0]])
    yield _Question("built", file_index, -1, 0, state.built_literal, tuple(built_hints))
    for block_index in state.judged:
        block = scan.blocks[block_index]
        enclosing = _meaning(conjunction(*_enclosing(state, block_index)), free, absent, False, optional)
        region = encoding.conjoin((state.built_literal, _pair_of(encoding, enclosing)))
        region_hints = list(built_hints)
        block_hints.hints(encoding, enclosing, True, region_hints)
        none_before = region
        for position, branch_index in enumerate(block.branches):
            branch = scan.branches[branch_index]
            meaning = _meaning(branch.condition, free, absent, False, optional)
            condition = _pair_of(encoding, meaning)
            holds_hints = list(region_hints)
            block_hints.hints(encoding, meaning, True, holds_hints)
            yield _Question(
                "dead",
                file_index,
                block_index,
                position,
                encoding.conjoin((none_before, condition)),
                tuple(holds_hints),
            )
            fails_hints = list(region_hints)
            block_hints.hints(encoding, meaning, False, fails_hints)
            if branch.condition != TRUE:
                yield _Question(
                    "undead",
                    file_index,
                    block_index,
                    position,
                    encoding.conjoin((none_before, -condition)),
                    tuple(fails_hints),
                )
            none_before = encoding.conjoin((none_before, -condition))
            region_hints = fails_hints
        inner = state.contents.get(block_index)
        if inner is not None:
            # The contents shape: the guard G is redundant when no child's condition can hold
            # without it ("escape": enclosing and built, child's condition, not G).
            guard = _holds(
                encoding, scan.branches[block.branches[0]].condition, free, absent, optional=optional
            )
            for child in inner:
                child_condition = scan.branches[scan.blocks[child].branches[0]].condition
                escape = encoding.conjoin(
                    (
                        encoding.conjoin((region, -guard)),
                        _holds(encoding, child_condition, free, absent, optional=optional),
                    )
                )
                yield _Question("escape", file_index, block_index, child, escape)


def _pair_of(encoding: Encoding, meaning: Expression) -> int:
    return encoding.pair(meaning, encoding.modules_literal(encoding.worlds[0]))[0]


_EXPLANATION_ROUNDS = 8
"""Dry passes of the explanations at most (each settles what the next pass's guesses ask)."""


# --- from answers to findings ---------------------------------------------------------------


def _findings(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    solver: KeptSolver,
    batch: list[_FileState],
    never: set[tuple[str, int, int, int]],
) -> Iterator[BlockFinding]:
    for file_index, state in enumerate(batch):
        if ("built", file_index, -1, 0) in never:
            continue
        scan = state.scan
        dead_branches: set[int] = set()
        for block_index in state.judged:
            block = scan.blocks[block_index]
            if _inside(scan, block.parent_branch, dead_branches):
                dead_branches.update(block.branches)
                continue
            if ("dead", file_index, block_index, 0) in never and (
                "undead",
                file_index,
                block_index,
                0,
            ) in never:
                continue  # the enclosing region is never compiled (reported where it starts)
            for position, branch_index in enumerate(block.branches):
                if ("dead", file_index, block_index, position) in never:
                    dead_branches.add(branch_index)
                    yield _explain(encoding, tables, solver, state, block_index, position, "dead")
                    continue
                if ("undead", file_index, block_index, position) in never:
                    if position + 1 < len(block.branches):
                        yield _explain(encoding, tables, solver, state, block_index, position, "undead")
                    elif len(block.branches) == 1:
                        # A single-branch guard that always holds: KLS206's redundant guard.
                        yield _explain(encoding, tables, solver, state, block_index, position, "redundant")
                    dead_branches.update(block.branches[position + 1 :])
                    break
            else:
                inner = state.contents.get(block_index)
                if (
                    inner
                    and ("dead", file_index, block_index, 0) not in never
                    and all(
                        ("escape", file_index, block_index, child) in never
                        and ("undead", file_index, child, 0) not in never
                        for child in inner
                    )
                ):
                    yield _contents_finding(state, block_index, inner)


def _possible(
    encoding: Encoding, kept: KeptSolver, literal: int, hints: Callable[[], tuple[int, ...]] = tuple
) -> bool:
    """Whether the literal can hold: the answer kept from before, else asked (and kept).

    In a dry pass (`kept.wanted` set) an unknown literal is only noted, with its phase
    `hints`, and guessed possible.
    """
    if abs(literal) == TRUE_LITERAL:
        return literal == TRUE_LITERAL
    if literal in kept.possible:
        return True
    if literal in kept.impossible:
        return False
    if kept.wanted is not None:
        kept.wanted.setdefault(literal, hints())
        return True
    answer = kept.solver.solvable([literal])
    (kept.possible if answer else kept.impossible).add(literal)
    return answer


def _world_hint(encoding: Encoding, state: _FileState) -> tuple[int, ...]:
    worlds = state.code.worlds
    return (encoding.world_variable[worlds[0]],) if len(worlds) < len(encoding.worlds) else ()


def _explanation_hints(encoding: Encoding, state: _FileState, meaning: Expression) -> tuple[int, ...]:
    """The phases that make an explanation's question hold: its condition's, the file's world."""
    out = list(_world_hint(encoding, state))
    block_hints.hints(encoding, meaning, True, out)
    return tuple(out)


def _contents_finding(state: _FileState, block_index: int, inner: list[int]) -> BlockFinding:
    """The seed's shape: a guard whose contents are all guarded by conditions that imply it."""
    scan, code = state.scan, state.code
    block = scan.blocks[block_index]
    branch = scan.branches[block.branches[0]]
    text = block_reasons.directive_text(code.data, scan, branch.directive)
    guards = " and ".join(
        block_reasons.directive_text(code.data, scan, scan.branches[scan.blocks[child].branches[0]].directive)
        for child in inner
    )
    reason = f"{text} is redundant: everything inside is guarded by {guards}, which imply it"
    return BlockFinding(
        "redundant",
        Location(code.path, Span(*scan.directives[branch.directive].span)),
        text,
        "contents",
        reason,
        code.worlds,
        Location(code.path, Span(*scan.directives[block.directives[-1]].span)),
    )


def _inside(scan: CScan, branch: int | None, dead: set[int]) -> bool:
    while branch is not None:
        if branch in dead:
            return True
        branch = scan.branches[branch].parent_branch
    return False


def _premises(
    state: _FileState, block_index: int, position: int, kind: str
) -> tuple[Expression, list[tuple[str, Expression]]]:
    """What a finding states (the branch's condition, or its negation) and what it stands on.

    The premises: the Makefile condition, each enclosing branch, the earlier branches' negations.
    """
    scan, code = state.scan, state.code
    block = scan.blocks[block_index]
    branch = scan.branches[block.branches[position]]
    earlier = [Not(scan.branches[b].condition) for b in block.branches[:position]]
    target: Expression = branch.condition if kind == "dead" else Not(branch.condition)
    parents = list(scan.enclosing_branches(block.parent_branch))
    premises: list[tuple[str, Expression]] = (
        [("makefile", code.built_when)] if code.built_when != TRUE else []
    )
    premises += [("enclosing", p.effective_condition) for p in parents]
    premises += [("earlier", e) for e in earlier]
    return target, premises


def _explain(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    solver: KeptSolver,
    state: _FileState,
    block_index: int,
    position: int,
    kind: str,
) -> BlockFinding:
    """The finding, with the fewest enclosing conditions that still make it so, and its cause."""
    scan, code = state.scan, state.code
    block = scan.blocks[block_index]
    branch = scan.branches[block.branches[position]]
    target, premises = _premises(state, block_index, position, kind)

    def impossible(
        kept: list[tuple[str, Expression]], *, structural: bool = False, absent: bool = True
    ) -> bool:
        missing = state.absent if absent else frozenset()
        expression = conjunction(target, *(e for _, e in kept))
        if structural:
            # Every test free: a question over a few booleans, answered without the formula.
            # Every test is free then: `optional` changes nothing.
            answer = block_hints.contradictory(_meaning(expression, state.free, missing, True))
            if answer is not None:
                return answer
        meaning = _meaning(expression, state.free, missing, structural, state.optional)
        literal = encoding.pair(meaning, encoding.modules_literal(encoding.worlds[0]))[0]
        return not _possible(
            encoding,
            solver,
            encoding.conjoin((literal, state.build_literal)),
            lambda: _explanation_hints(encoding, state, meaning),
        )

    kept = list(premises)
    for item in list(premises):
        trial = [p for p in kept if p is not item]
        if impossible(trial):
            kept = trial
    kinds = {name for name, _ in kept}
    if impossible(kept, structural=True):
        cause = "structure"
    elif state.absent and not impossible(kept, absent=False):
        cause = "undefined"
    elif "makefile" in kinds:
        cause = "makefile"
    else:
        cause = "kconfig"
    text = block_reasons.directive_text(code.data, scan, branch.directive)
    never_enabled = [
        name
        for name in dict.fromkeys(test.symbol for test in block_reasons.c_tests(branch.condition))
        if name not in state.free
        and name not in state.absent
        and not _possible(
            encoding,
            solver,
            encoding.conjoin((encoding.symbol_pair(name)[0], state.build_literal)),
            lambda: (*_world_hint(encoding, state), encoding.symbol_pair(name)[0]),  # noqa: B023
        )
    ]
    reason = block_reasons.reason(
        kind, cause, text, kept, state.absent, scan, code, tables, position, block_index, never_enabled
    )
    directive = scan.directives[branch.directive]
    endif = scan.directives[block.directives[-1]]
    fix_title, fix_edits = block_reasons.fix(code.data, scan, block_index, position, kind)
    return BlockFinding(
        kind,
        Location(code.path, Span(*directive.span)),
        text,
        cause,
        reason,
        code.worlds,
        Location(code.path, Span(*endif.span)),
        fix_title,
        fix_edits,
    )

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
which at least one open question holds, with all of them preferred true.
Each model settles many; the first "no" proves every open question
dead (or undead). Only the findings are explained (a few queries each).
Blocks whose conditions mention no Kconfig symbol are never asked
(include guards, `#if 0`, `#ifdef __KERNEL__`): a plain `#if 0` is a
deliberate switch, not a finding.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kconfig_ls.logic.guards import kconfig_meaning
from kconfig_ls.logic.solver import LogicSolver
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
    referenced_symbols,
    render,
)
from kconfig_ls.syntax.kconfig import Span

__all__ = ["BlockFinding", "BlockAnalysis", "CodeFile", "analyse_blocks"]

_BATCH = 20000
"""Questions per solver batch: one model settles questions of many files at once."""

_LOG = logging.getLogger(__name__)
_DEFINED = "#defined"
"""In a free set: every `defined(CONFIG_X)` test is free (see `negatives_defined`)."""
_CODE_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)
_OWN_DEFINITION = re.compile(rb"^[ \t]*#[ \t]*(?:define|undef)[ \t]+CONFIG_([A-Za-z0-9_]+)", re.M)


@dataclass(frozen=True, slots=True)
class CodeFile:
    """A C/assembly file to judge: its text, when it is built, and on which worlds it can be."""

    path: str
    data: bytes
    built_when: Expression
    built_text: str
    worlds: tuple[str, ...]


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


@dataclass
class _Question:
    kind: str
    file: int
    block: int
    branch: int
    literal: int


@dataclass
class _FileState:
    code: CodeFile
    scan: CScan
    free: frozenset[str]
    absent: frozenset[str]
    build_literal: int
    built_literal: int
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
) -> BlockAnalysis:
    """Dead and undead branches of the files' `#if` blocks (see the module docstring).

    `defined_in_code` are names some file of the tree defines itself (`#define CONFIG_X`,
    `-DCONFIG_X`): a build may give them other values than Kconfig does, so they are free.
    `negatives_defined`: the build writes `#define CONFIG_X 0` for a bool that is n (coreboot's
    `KCONFIG_NEGATIVES`), so `#ifdef CONFIG_X` says nothing about X's value: free.
    """
    findings: list[BlockFinding] = []
    counts = [0, 0, 0]
    kept = _kept_solver(encoding)
    with kept.lock:
        kept.is_cancelled = is_cancelled
        try:
            queries_before = kept.solver.queries
            batch: list[_FileState] = []
            questions: list[_Question] = []
            for code in files:
                state = _prepare(encoding, code, syntax, defined_in_code)
                if state is not None and negatives_defined:
                    state.free = state.free | {_DEFINED}
                if state is None:
                    continue
                counts[0] += 1
                batch.append(state)
                questions.extend(_questions(encoding, state, len(batch) - 1))
                if len(questions) >= _BATCH:
                    findings.extend(_settle(encoding, tables, kept, batch, questions, counts))
                    batch, questions = [], []
            if batch:
                findings.extend(_settle(encoding, tables, kept, batch, questions, counts))
            queries = kept.solver.queries - queries_before
        finally:
            kept.is_cancelled = None
    findings.sort(key=lambda f: (f.location.path, f.location.span.start))
    return BlockAnalysis(tuple(findings), counts[0], counts[1], counts[2], queries)


# --- preparing a file -----------------------------------------------------------------------


def _prepare(
    encoding: Encoding,
    code: CodeFile,
    syntax: ReferenceSyntax,
    defined_in_code: frozenset[str],
) -> _FileState | None:
    if b"#" not in code.data or not code.worlds:
        return None
    scan = scan_c(code.data, syntax=syntax)
    own = defined_in_code | frozenset(
        match.group(1).decode("ascii") for match in _OWN_DEFINITION.finditer(code.data)
    )
    free: set[str] = set(own)
    absent: set[str] = set()
    judged: list[int] = []
    for index, block in enumerate(scan.blocks):
        if not block.terminated:
            continue
        mentioned = False
        for branch_index in block.branches:
            for test in _tests(scan.branches[branch_index].condition):
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
        if mentioned:
            judged.append(index)
    if not judged:
        return None
    contents = _contents_candidates(code.data, scan, judged)
    build_literal = encoding.world_set(code.worlds)
    # The Makefile condition is a Kconfig expression (not C): encoded as it is.
    built = encoding.pair(code.built_when, encoding.modules_literal(encoding.worlds[0]))[0]
    built_literal = encoding.conjoin((built, build_literal))
    state = _FileState(code, scan, frozenset(free), frozenset(absent - free), build_literal, built_literal)
    state.judged = judged
    state.contents = contents
    return state


def _contents_candidates(data: bytes, scan: CScan, judged: list[int]) -> dict[int, list[int]]:
    """The single-branch blocks whose body holds nothing but single-branch judged blocks (KLS206)."""
    judged_set = set(judged)
    all_children: dict[int, int] = {}
    for other in scan.blocks:
        if other.parent_branch is not None:
            all_children[other.parent_branch] = all_children.get(other.parent_branch, 0) + 1
    children: dict[int, list[int]] = {}
    for index in judged:
        parent = scan.blocks[index].parent_branch
        if parent is not None:
            children.setdefault(scan.branches[parent].block, []).append(index)
    found: dict[int, list[int]] = {}
    for index, inner in children.items():
        block = scan.blocks[index]
        if index not in judged_set or len(block.branches) != 1:
            continue
        branch = block.branches[0]
        if all_children.get(branch, 0) != len(inner) or any(len(scan.blocks[c].branches) != 1 for c in inner):
            continue
        if _only_blocks(data, scan.branches[branch].body_span, [scan.blocks[c].span for c in inner]):
            found[index] = inner
    return found


def _only_blocks(data: bytes, body: tuple[int, int], blocks: list[tuple[int, int]]) -> bool:
    """Whether the body holds nothing but the child blocks, whitespace and comments."""
    position = body[0]
    rest: list[bytes] = []
    for start, end in sorted(blocks):
        rest.append(data[position:start])
        position = end
    rest.append(data[position : body[1]])
    return not _CODE_COMMENT.sub(b"", b"".join(rest)).strip()


def _phase_test(data: bytes, scan: CScan, branch: int, test: CTest, syntax: ReferenceSyntax) -> bool:
    """Whether a test comes from a phase macro (U-Boot's `CONFIG_IS_ENABLED(X)`): X by build phase."""
    if not syntax.phase_macros or test.test != "IS_ENABLED":
        return False
    start, end = scan.directives[scan.branches[branch].directive].span
    return (syntax.prefix + test.symbol).encode() not in data[start:end]


def _tests(expression: Expression) -> Iterator[CTest]:
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, CTest):
            yield node
        elif isinstance(node, (And, Or)):
            stack.extend(node.operands)
        elif isinstance(node, Not):
            stack.append(node.operand)


def _meaning(
    expression: Expression, free: frozenset[str], absent: frozenset[str], structural: bool
) -> Expression:
    """The C condition as a Kconfig condition: free tests and unknown operands become free booleans.

    A free test is `Unknown = y`, which the encoding makes one free boolean
    per spelling (an `Unknown` alone would be a free tristate, whose m
    makes both it and its negation hold at the m level); a test of a
    symbol absent from every world that builds the file is n.
    """
    if isinstance(expression, CTest):
        if structural or expression.symbol in free or (expression.test == "defined" and _DEFINED in free):
            suffix = "_MODULE" if expression.module_suffix else ""
            return _free_boolean(f"ctest:{expression.test}:{expression.symbol}{suffix}")
        if expression.symbol in absent:
            return FALSE
        return kconfig_meaning(expression)
    if isinstance(expression, Not):
        return Not(_meaning(expression.operand, free, absent, structural))
    if isinstance(expression, And):
        return conjunction(*(_meaning(o, free, absent, structural) for o in expression.operands))
    if isinstance(expression, Or):
        return disjunction(*(_meaning(o, free, absent, structural) for o in expression.operands))
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
) -> int:
    """The literal of "this C condition (or Kconfig condition) holds"."""
    meaning = _meaning(expression, free, absent, structural)
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
    # Can the file be built at all? A file never built is the Makefile's question, not ours.
    yield _Question("built", file_index, -1, 0, state.built_literal)
    for block_index in state.judged:
        block = scan.blocks[block_index]
        enclosing = conjunction(*_enclosing(state, block_index))
        region = encoding.conjoin(
            (state.built_literal, _holds(encoding, enclosing, state.free, state.absent))
        )
        none_before = region
        for position, branch_index in enumerate(block.branches):
            branch = scan.branches[branch_index]
            condition = _holds(encoding, branch.condition, state.free, state.absent)
            yield _Question(
                "dead", file_index, block_index, position, encoding.conjoin((none_before, condition))
            )
            if branch.condition != TRUE:
                yield _Question(
                    "undead", file_index, block_index, position, encoding.conjoin((none_before, -condition))
                )
            none_before = encoding.conjoin((none_before, -condition))
        inner = state.contents.get(block_index)
        if inner is not None:
            # The contents shape: the guard G is redundant when no child's condition can hold
            # without it ("escape": enclosing and built, child's condition, not G).
            guard = _holds(encoding, scan.branches[block.branches[0]].condition, state.free, state.absent)
            for child in inner:
                child_condition = scan.branches[scan.blocks[child].branches[0]].condition
                escape = encoding.conjoin(
                    (
                        encoding.conjoin((region, -guard)),
                        _holds(encoding, child_condition, state.free, state.absent),
                    )
                )
                yield _Question("escape", file_index, block_index, child, escape)


def _settle(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    kept: _KeptSolver,
    batch: list[_FileState],
    questions: list[_Question],
    counts: list[int],
) -> Iterator[BlockFinding]:
    solver = kept.solver
    counts[1] += sum(len(state.judged) for state in batch)
    counts[2] += len(questions)
    # A literal folded to true is settled (possible); one folded to false is proved at once.
    # A literal asked before on this formula (the same condition in the same kind of place:
    # interning gives it the same literal) has its answer kept.
    impossible = [q for q in questions if q.literal == -TRUE_LITERAL or q.literal in kept.impossible]
    open_questions = [
        q
        for q in questions
        if abs(q.literal) != TRUE_LITERAL
        and q.literal not in kept.possible
        and q.literal not in kept.impossible
    ]
    sampled = (
        _sample(encoding, solver, open_questions) if len(open_questions) > _SAMPLE_ABOVE else open_questions
    )
    kept.possible.update(q.literal for q in open_questions)
    _LOG.debug("blocks: %d questions, %d open after sampling", len(open_questions), len(sampled))
    # The rest file by file: a model in which at least one of the file's open questions holds
    # (all preferred true) settles every open question it satisfies, in any file; "no" proves
    # the file's open questions all at once.
    unsettled = {q.literal for q in sampled}
    kept.possible.difference_update(unsettled)
    proved: set[int] = set()
    by_file: dict[int, list[int]] = {}
    for question in sampled:
        by_file.setdefault(question.file, []).append(question.literal)
    for file_literals in by_file.values():
        while True:
            literals = sorted({literal for literal in file_literals if literal in unsettled})
            if not literals:
                break
            solver.prefer(literals)
            model = solver.model_of_any(literals)
            if model is None:
                proved.update(literals)
                unsettled.difference_update(literals)
                break
            held = [literal for literal in unsettled if literal in model]
            unsettled.difference_update(held)
            kept.possible.update(held)
    kept.impossible.update(proved)
    never = {(q.kind, q.file, q.block, q.branch) for q in impossible}
    never.update((q.kind, q.file, q.block, q.branch) for q in sampled if q.literal in proved)
    yield from _findings(encoding, tables, solver, batch, never)


_SAMPLE_ABOVE = 200
"""Fewer open questions than this (one edited file) go straight to the file-by-file loop."""


class _KeptSolver:
    """A batch solver kept with its formula for block questions, and the answers it has given.

    Kept on the `Encoding` itself (it lives as long as the formula does): the
    re-check of one edited C file then loads no formula into a new solver
    (seconds on all of Linux) and asks only the questions it has not asked
    before. Answers are dropped when the encoding is edited (a new epoch).
    """

    def __init__(self, encoding: Encoding) -> None:
        self.lock = threading.Lock()
        self.is_cancelled: Callable[[], bool] | None = None
        self.solver = LogicSolver(encoding, self._cancelled, batch=True)
        self.epoch = encoding.epoch
        self.possible: set[int] = set()
        self.impossible: set[int] = set()

    def _cancelled(self) -> bool:
        return self.is_cancelled is not None and self.is_cancelled()


def _kept_solver(encoding: Encoding) -> _KeptSolver:
    with _KEPT_LOCK:
        kept = getattr(encoding, _KEPT_ATTRIBUTE, None)
        if not isinstance(kept, _KeptSolver) or kept.epoch != encoding.epoch:
            if isinstance(kept, _KeptSolver):
                with kept.lock:
                    kept.solver.close()
            kept = _KeptSolver(encoding)
            setattr(encoding, _KEPT_ATTRIBUTE, kept)
        return kept


_KEPT_ATTRIBUTE = "_dead_blocks_solver"
_KEPT_LOCK = threading.Lock()


def _sample(encoding: Encoding, solver: LogicSolver, questions: list[_Question]) -> list[_Question]:
    """Settle most questions with a few varied models: every symbol y, every symbol n, then random.

    A question literal is a gate over many symbols, so preferring it true steers the solver
    little (it decides on symbols and propagates the gates); models whose symbols lean one way
    or the other answer "can this branch be compiled" and "can this condition be false" for
    most blocks at once. Stops when a model settles almost nothing new.
    """
    randomness = random.Random(0)
    symbols = [pair[1] for pair in encoding.symbol_variables.values()]
    worlds = list(encoding.world_variable.values())
    stalled = 0
    for round_number in range(_SAMPLES):
        if not questions or stalled >= 3:
            break
        if round_number == 0:
            phases = symbols
        elif round_number == 1:
            phases = [-literal for literal in symbols]
        else:
            phases = [literal if randomness.random() < 0.5 else -literal for literal in symbols]
        world = randomness.choice(worlds)
        phases = [*(q.literal for q in questions[:2000]), *phases, world, *(-w for w in worlds if w != world)]
        solver.prefer(phases)
        model = solver.satisfiable([])
        if model is None:
            break
        before = len(questions)
        questions = [q for q in questions if q.literal not in model]
        stalled = stalled + 1 if before - len(questions) < max(2, before // 100) else 0
    return questions


_SAMPLES = 40


# --- from answers to findings ---------------------------------------------------------------


def _findings(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    solver: LogicSolver,
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


def _contents_finding(state: _FileState, block_index: int, inner: list[int]) -> BlockFinding:
    """The seed's shape: a guard whose contents are all guarded by conditions that imply it."""
    scan, code = state.scan, state.code
    block = scan.blocks[block_index]
    branch = scan.branches[block.branches[0]]
    text = _directive_text(code.data, scan, branch.directive)
    guards = " and ".join(
        _directive_text(code.data, scan, scan.branches[scan.blocks[child].branches[0]].directive)
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


def _explain(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    solver: LogicSolver,
    state: _FileState,
    block_index: int,
    position: int,
    kind: str,
) -> BlockFinding:
    """The finding, with the fewest enclosing conditions that still make it so, and its cause."""
    scan, code = state.scan, state.code
    block = scan.blocks[block_index]
    branch = scan.branches[block.branches[position]]
    earlier = [Not(scan.branches[b].condition) for b in block.branches[:position]]
    target: Expression = branch.condition if kind == "dead" else Not(branch.condition)
    parents = list(scan.enclosing_branches(block.parent_branch))
    # The premises: the Makefile condition, each enclosing branch, the earlier branches' negations.
    premises: list[tuple[str, Expression]] = (
        [("makefile", code.built_when)] if code.built_when != TRUE else []
    )
    premises += [("enclosing", p.effective_condition) for p in parents]
    premises += [("earlier", e) for e in earlier]

    def impossible(
        kept: list[tuple[str, Expression]], *, structural: bool = False, absent: bool = True
    ) -> bool:
        missing = state.absent if absent else frozenset()
        expression = conjunction(target, *(e for _, e in kept))
        literal = _holds(encoding, expression, state.free, missing, structural=structural)
        return not solver.solvable([literal, state.build_literal])

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
    text = _directive_text(code.data, scan, branch.directive)
    never_enabled = [
        name
        for name in dict.fromkeys(test.symbol for test in _tests(branch.condition))
        if name not in state.free
        and name not in state.absent
        and not solver.solvable([encoding.symbol_pair(name)[0], state.build_literal])
    ]
    reason = _reason(kind, cause, text, kept, state, scan, code, tables, position, block_index, never_enabled)
    directive = scan.directives[branch.directive]
    endif = scan.directives[block.directives[-1]]
    fix_title, fix_edits = _fix(code.data, scan, block_index, position, kind)
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


def _fix(
    data: bytes, scan: CScan, block_index: int, position: int, kind: str
) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """The edits that remove a dead branch, or an always-true condition and the branches it kills.

    Whole lines go (the directive's, with its continuation lines, and the
    bodies); what is compiled stays the same in every configuration the
    finding covers. A redundant guard's fix is KLS206's own (its directive
    and `#endif`).
    """
    block = scan.blocks[block_index]
    directives = [scan.directives[index] for index in block.directives]
    last = len(directives) - 1

    def start(index: int) -> int:
        begin = directives[index].span[0]
        line = data.rfind(b"\n", 0, begin) + 1
        return line if not data[line:begin].strip() else begin

    def end(index: int) -> int:
        finish = directives[index].span[1]
        return finish + 1 if data[finish : finish + 1] == b"\n" else finish

    if kind == "dead":
        if last == 1:
            return "remove the dead block", ((start(0), end(1), ""),)
        if position > 0:
            return "remove the dead branch", ((start(position), start(position + 1), ""),)
        following = directives[1]
        if following.kind == "else":
            # `#if DEAD ... #else B #endif` is B.
            return "remove the dead branch and keep the #else body", (
                (start(0), end(1), ""),
                (start(last), end(last), ""),
            )
        keyword = {"elif": "#if", "elifdef": "#ifdef", "elifndef": "#ifndef"}[following.kind]
        return "remove the dead branch", (
            (start(0), start(1), ""),
            (following.span[0], following.keyword_span[1], keyword),
        )
    if kind == "undead":
        if position == 0:
            # `#if ALWAYS A #else B #endif` is A.
            return "remove the always-true condition, keeping its body", (
                (start(0), end(0), ""),
                (start(1), end(last), ""),
            )
        return "replace the always-true condition with #else and remove the branches after it", (
            (directives[position].span[0], directives[position].span[1], "#else"),
            (start(position + 1), start(last), ""),
        )
    return "", ()


def _reason(
    kind: str,
    cause: str,
    text: str,
    kept: list[tuple[str, Expression]],
    state: _FileState,
    scan: CScan,
    code: CodeFile,
    tables: Mapping[str, SymbolTable],
    position: int,
    block_index: int,
    never_enabled: list[str],
) -> str:
    """One line: what never (or always) holds, on which architectures, and why."""
    if kind == "redundant":
        return _redundant_reason(cause, text, kept, state, scan, code, tables, block_index, never_enabled)
    block = scan.blocks[block_index]
    branches = scan.enclosing_branches(block.parent_branch)
    context: list[str] = []
    if any(name == "makefile" for name, _ in kept) and cause != "structure":
        context.append(code.built_text)
    lines = [
        f"{_directive_text(code.data, scan, b.directive)} (line {scan.directives[b.directive].line + 1})"
        for b in branches
        if any(name == "enclosing" and expression == b.effective_condition for name, expression in kept)
    ]
    if lines:
        context.append("inside " + " and ".join(lines))
    if any(name == "earlier" for name, _ in kept):
        context.append("after the block's earlier branches")
    where = " and ".join(context)
    architectures = _architectures(code, tables)
    if kind == "dead":
        head = "this #else branch" if text.startswith("#else") else text
        head = f"{head} is never compiled{architectures}"
    else:
        head = f"{text} always holds{architectures}"
    tail = ""
    if kind == "undead" and position + 1 < len(block.branches):
        rest = "#else branch" if len(block.branches) == position + 2 else "branches after it"
        tail = (
            f"; its {rest} never compiled"
            if rest != "#else branch"
            else "; its #else branch is never compiled"
        )
        tail = tail.replace("branches after it never", "branches after it are never")
    if cause == "structure":
        enclosing = " and ".join(lines) or "the block's earlier branches"
        verb = "it contradicts" if kind == "dead" else "it is implied by"
        return f"{head}: {verb} {enclosing}{tail}"
    if cause == "undefined":
        names = ", ".join(f"CONFIG_{name}" for name in sorted(state.absent))
        return f"{head}: no Kconfig file of the architectures that build the file defines {names}{tail}"
    mentioned = {name for _, expression in kept for name in referenced_symbols(expression)}
    branch_names = set(referenced_symbols(scan.branches[block.branches[position]].condition))
    facts = "" if branch_names <= mentioned else _kconfig_facts(scan, block_index, position, tables, code)
    if never_enabled:
        # The root cause is a dead symbol (KLS203 dead-symbol reports it at its definition).
        names = " and ".join(never_enabled)
        facts = f"{names} can never be enabled: see dead-symbol"
    facts = f" ({facts})" if facts else ""
    if kind == "dead":
        body = f"it cannot hold {where}" if where else "its condition can never hold"
        return f"{head}: {body}{facts}{tail}"
    if where:
        return f"{head} {where}{facts}{tail}"
    plain = facts.strip()[1:-1] if facts else "in every configuration"
    return f"{head}: {plain}{tail}"


def _redundant_reason(
    cause: str,
    text: str,
    kept: list[tuple[str, Expression]],
    state: _FileState,
    scan: CScan,
    code: CodeFile,
    tables: Mapping[str, SymbolTable],
    block_index: int,
    never_enabled: list[str],
) -> str:
    """KLS206's line: `#ifdef CONFIG_NUMA always holds here: the file is only built when NUMA implies it`."""
    kinds = {name for name, _ in kept}
    built = code.built_text.replace("in a file built only when", "the file is only built when", 1)
    if cause == "structure" or ("enclosing" in kinds and "makefile" not in kinds):
        return f"{text} always holds here: the enclosing #if implies it"
    if "enclosing" in kinds:
        return f"{text} always holds here: the enclosing #if and {built} imply it"
    if "makefile" in kinds:
        return f"{text} always holds here: {built} implies it"
    architectures = _architectures(code, tables) if len(code.worlds) < len(tables) else ""
    if cause == "undefined":
        names = ", ".join(f"CONFIG_{name}" for name in sorted(state.absent))
        return (
            f"{text} always holds{architectures}: no Kconfig file of the architectures that build "
            f"the file defines {names}"
        )
    facts = _kconfig_facts(scan, block_index, 0, tables, code)
    if never_enabled:
        facts = f"{' and '.join(never_enabled)} can never be enabled: see dead-symbol"
    return f"{text} always holds{architectures}: {facts or 'in every configuration'}"


def _kconfig_facts(
    scan: CScan, block_index: int, position: int, tables: Mapping[str, SymbolTable], code: CodeFile
) -> str:
    """`X depends on Y` for the symbols of the branch's condition (the first world that defines them)."""
    branch = scan.branches[scan.blocks[block_index].branches[position]]
    facts: list[str] = []
    for name in dict.fromkeys(test.symbol for test in _tests(branch.condition)):
        for world in sorted(code.worlds, key=lambda w: w != "x86"):  # x86 first: the common reader
            semantics = tables[world].get(name) if world in tables else None
            if semantics is None:
                continue
            if semantics.direct_dependency != TRUE:
                dependency = render(semantics.direct_dependency)
                if len(dependency) > 80:
                    dependency = dependency[:77] + "..."
                facts.append(f"{name} depends on {dependency}")
            elif not semantics.has_prompt and semantics.defaults:
                facts.append(f"{name} is {render(semantics.defaults[0].value)} by default, without a prompt")
            break
    return "; ".join(facts[:2])


def _architectures(code: CodeFile, tables: Mapping[str, SymbolTable]) -> str:
    """` on any architecture`, or the ones that build the file; nothing for a tree without them."""
    if len(tables) <= 1:
        return ""
    if len(code.worlds) == len(tables):
        return " on any architecture"
    if len(code.worlds) == 1:
        return f" on {code.worlds[0]}, the only architecture that builds the file"
    return f" on {', '.join(code.worlds)}, the architectures that build the file"


def _directive_text(data: bytes, scan: CScan, directive: int) -> str:
    """`#ifdef CONFIG_NUMA` as written (first line, comment dropped, spaces collapsed)."""
    start, end = scan.directives[directive].span
    line = data[start:end].split(b"\n", 1)[0]
    line = _CODE_COMMENT.sub(b"", line)
    text = " ".join(line.decode("utf-8", "replace").split())
    return text if len(text) <= 100 else text[:97] + "..."

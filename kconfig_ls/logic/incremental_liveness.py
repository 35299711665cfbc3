"""The liveness half of `incremental_logic`: the dead questions of the affected symbols asked again.

Split from `incremental_logic` for its size. A question that was dead and
whose symbol was not re-encoded is asked under the violation of the old
clauses (`incremental_pruning.violation_cases`); the others are harvested
as a cold run does, kept models first; then the root causes are
recomputed, explaining only the fresh dead questions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from kconfig_ls.logic import incremental_pruning as pruning
from kconfig_ls.logic import liveness as liveness_module
from kconfig_ls.logic.liveness import DeadItem
from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolSemantics, SymbolTable
from kconfig_ls.syntax.kconfig import Span

if TYPE_CHECKING:
    from kconfig_ls.logic.incremental_logic import _State

QuestionKey = tuple[str, str, str, int]
"""A liveness question: kind (symbol, prompt, default), symbol, file, offset."""


def recheck_liveness(
    state: _State,
    affected: frozenset[str],
    direct: frozenset[str],
    violation: int | None,
    cases: tuple[int, ...] = (),
) -> int:
    """Ask the liveness questions of the affected symbols again; recompute the root causes.

    A question that was dead and whose symbol was not re-encoded is asked
    under `violation` (see `incremental_pruning.violation_literal`), all of them in one harvest:
    one "no" keeps them dead. The others are harvested as a cold run does.
    """
    was_dead = {key for key in state.dead if key[1] in affected}
    for key in was_dead:
        del state.dead[key]
    if was_dead:
        state.roots = None  # (also when the questions below are cancelled)
    solver = state.solver
    assert solver is not None
    asked = state.liveness_questions.of(state.encoding, state.tables, affected)
    models = state.models
    assert models is not None
    open_questions: list[_Asked] = []
    kept_dead: list[_Asked] = []
    for entry in asked:
        question = entry.question
        if violation is not None and question.symbol not in direct and question_key(question) in was_dead:
            kept_dead.append(entry)
        elif entry.shown is None or not models.is_kept(*entry.shown):
            open_questions.append(entry)
        else:
            # Alive: the kept model that showed it is still a model of the formula, and its
            # literal is the one it was (the symbol's semantics are the same objects).
            entry.used = True
    _touch_used(asked, models)
    found_dead = _harvest_open(state.encoding, open_questions, solver, models)
    if kept_dead and violation != -TRUE_LITERAL:
        assert violation is not None
        # Under each disjunct of the violation in turn (see `recheck_selects`): dead where no
        # case has a model of it.
        left = kept_dead
        for case in cases or (violation,):
            if left:
                left = _still_dead(state.encoding, left, solver, models, case)
        found_dead += [entry.question for entry in left]
    else:
        found_dead += [entry.question for entry in kept_dead]
    fresh = {question_key(q): q for q in found_dead}
    for key in fresh:
        state.dead[key] = None
    if fresh or state.roots is None:
        state.roots = roots(
            state.encoding, state.tables, state.dead, fresh, solver, state.lengths, models, state.mentions
        )
    # Else no dead question is about an affected symbol: the root causes, their counts and
    # explanations are those of before (`incremental_locations.move_locations` moved them).
    return len(asked)


def show_from_kept_models(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    questions: LivenessQuestions,
    models: pruning.ModelStore,
    names: Iterable[str],
) -> None:
    """Build the liveness questions of `names` and remember the kept model that shows each
    (for `IncrementalLogic.prepare`, before the first edit).

    Why: the first edit after a cold run built every affected symbol's questions
    (~9,500 after a `select` edit of mm/Kconfig on Linux x86) and looked each up in
    the kept models; and a question whose model the edit broke had no broken model
    to take as the harvest's phases (`harvest_anywhere`'s `hints`), so ~60 such
    questions took 11 queries. Nothing is decided here: a remembered model shows
    its question only while `ModelStore.is_kept` says it is a model of the formula
    (as after any update), and a question no kept model shows is harvested by the
    update as before.
    """
    for entry in questions.of(encoding, tables, names):
        if entry.shown is not None and models.is_kept(*entry.shown):
            continue
        for world, literal in entry.question.literal_by_world.items():
            if literal != -TRUE_LITERAL and models.model_satisfying(world, literal) is not None:
                entry.shown = (world, models.front_serial(world))
                break


def _harvest_open(
    encoding: Encoding, entries: list[_Asked], solver: LogicSolver, models: pruning.ModelStore
) -> list[liveness_module._Question]:
    """The open questions' harvest over every world (`dead_questions`), each alive one's model kept."""
    shown: dict[int, tuple[str, int]] = {}
    for entry in entries:
        if entry.anywhere == 0:
            entry.anywhere = pruning.anywhere_literal(encoding, entry.question.literal_by_world)
    # The model that showed each question before, if the edit broke it: the harvest's phases.
    dropped = models.dropped
    alive = pruning.harvest_anywhere(
        solver,
        encoding,
        [entry.question.literal_by_world for entry in entries],
        models,
        (),
        shown,
        [entry.anywhere for entry in entries],
        [dropped.get(entry.shown[1]) if entry.shown is not None else None for entry in entries],
    )
    for index, entry in enumerate(entries):
        entry.shown = shown.get(index)
    return [entry.question for index, entry in enumerate(entries) if index not in alive]


def _still_dead(
    encoding: Encoding, entries: list[_Asked], solver: LogicSolver, models: pruning.ModelStore, case: int
) -> list[_Asked]:
    """The old dead questions that no model of the violation case `case` satisfies (a harvest
    under it, `dead_questions`), each question's literal over every world built once for all cases."""
    for entry in entries:
        if entry.anywhere == 0:
            entry.anywhere = pruning.anywhere_literal(encoding, entry.question.literal_by_world)
    alive = pruning.harvest_anywhere(
        solver,
        encoding,
        [entry.question.literal_by_world for entry in entries],
        models,
        (case,),
        combined=[entry.anywhere for entry in entries],
    )
    return [entry for index, entry in enumerate(entries) if index not in alive]


def _touch_used(entries: list[_Asked], models: pruning.ModelStore) -> None:
    """Move the kept models that answered questions without a lookup to their worlds' front."""
    used: dict[str, set[int]] = {}
    for entry in entries:
        if entry.used:
            entry.used = False
            assert entry.shown is not None
            world, serial = entry.shown
            used.setdefault(world, set()).add(serial)
    for world, serials in used.items():
        models.touch(world, serials)


class _Asked:
    """A liveness question as `LivenessQuestions` keeps it: with the kept model that showed it."""

    __slots__ = ("anywhere", "question", "shown", "used")

    def __init__(self, question: liveness_module._Question) -> None:
        self.question = question
        self.anywhere: int | None = 0
        """`incremental_pruning.anywhere_literal` of the question once built (0: not yet)."""
        self.shown: tuple[str, int] | None = None
        """(world, serial of the kept model) that satisfied the question when last harvested."""
        self.used = False


class LivenessQuestions:
    """The liveness questions of each symbol, kept between updates while its semantics are the same objects.

    Why: after a `select` edit of mm/Kconfig on Linux x86, ~9,500 questions of
    ~4,700 affected symbols were built again (`liveness._questions`: ~45 ms) and
    harvested (~60 ms), though nearly all ask what they asked and are shown by
    a model still kept. A question is built from its symbol's semantics alone
    (its gates are interned, so the same semantics give the same literals), and
    a table keeps the semantics objects an edit left alone; so a symbol whose
    semantics are the same objects in every world has the same questions, and
    one whose remembered model is still kept (`ModelStore.is_kept`: a model of
    the current formula) still holds, without a lookup. An entry holds its
    semantics, so an identity is never reused while it is kept.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[SymbolSemantics | None, ...], list[_Asked]]] = {}

    def of(self, encoding: Encoding, tables: Mapping[str, SymbolTable], names: Iterable[str]) -> list[_Asked]:
        """The questions of `names` in `tables` (as `liveness._questions` builds them, by symbol)."""
        found: list[_Asked] = []
        missing: list[tuple[str, tuple[SymbolSemantics | None, ...]]] = []
        symbols = [table.symbols for table in tables.values()]
        for name in names:
            identity = tuple(by_name.get(name) for by_name in symbols)
            entry = self._entries.get(name)
            if entry is not None and all(a is b for a, b in zip(entry[0], identity, strict=True)):
                found.extend(entry[1])
            else:
                missing.append((name, identity))
        if missing:
            wanted = [name for name, _ in missing]
            restricted = {world: table.restricted(wanted) for world, table in tables.items()}
            by_symbol: dict[str, list[_Asked]] = {}
            for question in liveness_module._questions(encoding, restricted):
                by_symbol.setdefault(question.symbol, []).append(_Asked(question))
            for name, identity in missing:
                entries = by_symbol.get(name, [])
                self._entries[name] = (identity, entries)
                found.extend(entries)
        return found


def dead_questions(
    encoding: Encoding,
    questions: list[liveness_module._Question],
    solver: LogicSolver,
    models: pruning.ModelStore,
    assumptions: tuple[int, ...] = (),
    *,
    anywhere: bool = False,
) -> list[liveness_module._Question]:
    """The questions no model satisfies (`liveness.analyse_liveness`'s harvest, kept models first).

    `anywhere`: asked over every world at once (`incremental_pruning.harvest_anywhere`, after
    an edit: on all of Linux's architectures a select edit asked 164-187 queries a world at a
    time, 74-112 at once); a cold run asks world by world, as `liveness` does.
    """
    by_world = [question.literal_by_world for question in questions]
    harvest = pruning.harvest_anywhere if anywhere else pruning.harvest
    alive = harvest(solver, encoding, by_world, models, assumptions)
    return [question for index, question in enumerate(questions) if index not in alive]


def roots(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    dead: dict[QuestionKey, str | None],
    fresh: Mapping[QuestionKey, liveness_module._Question],
    solver: LogicSolver | None,
    lengths: dict[QuestionKey, int],
    models: pruning.ModelStore | None = None,
    mentions: dict[str, liveness_module.Mentions] | None = None,
) -> tuple[DeadItem, ...]:
    """The root causes among every dead question; explanations are computed once and kept.

    `mentions`: what each dead symbol mentions, kept between updates (see `liveness._root_causes`).
    """
    items: list[liveness_module._Question] = []
    for key in dead:
        question = fresh.get(key)
        if question is None:
            kind, symbol, path, start = key
            length = lengths.get(key)
            if length is None:
                length = lengths[key] = _length(tables, kind, symbol, path, start)
            location = Location(path, Span(start, start + length))
            question = liveness_module._Question(kind, symbol, location, {}, _kept(dead, key))
        else:
            lengths[key] = question.location.span.end - question.location.span.start
            question = replace(question, explain=_memoised(dead, key, question.explain))
        items.append(question)
    if solver is None or not fresh:
        # Every explanation is kept (`_kept` reads it back): nothing to ask.
        return tuple(liveness_module._root_causes(encoding, tables, items, None, set(), mentions))
    if len(fresh) == len(dead) or models is None:
        return tuple(liveness_module._root_causes(encoding, tables, items, solver, None, mentions))  # cold
    # A symbol's explanation asks `met` about that symbol alone, and only the fresh questions
    # are explained again: ask about the fresh dead symbols, not every root of the tree.
    # A fresh dead default's explanation asks whether its definition's dependencies can hold.
    names = sorted({question.symbol for question in fresh.values() if question.kind == "symbol"})
    defaults = [question for question in fresh.values() if question.kind == "default"]
    met = _dependencies_met(encoding, tables, names, defaults, solver, models) if names or defaults else set()
    return tuple(liveness_module._root_causes(encoding, tables, items, None, met, mentions))


def _dependencies_met(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    names: list[str],
    defaults: list[liveness_module._Question],
    solver: LogicSolver,
    models: pruning.ModelStore,
) -> set[str]:
    """`liveness._dependencies_met`, kept models first."""
    questions, keys = liveness_module.met_questions(encoding, tables, names, defaults)
    return {keys[index] for index in pruning.harvest_anywhere(solver, encoding, questions, models)}


def _kept(dead: dict[QuestionKey, str | None], key: QuestionKey) -> Callable[[set[str]], str]:
    def explain(met: set[str]) -> str:
        reason = dead[key]
        assert reason is not None, key
        return reason

    return explain


def _memoised(
    dead: dict[QuestionKey, str | None], key: QuestionKey, explain: Callable[[set[str]], str]
) -> Callable[[set[str]], str]:
    def memoised(met: set[str]) -> str:
        reason = dead.get(key)
        if reason is None:
            reason = explain(met)
            dead[key] = reason
        return reason

    return memoised


def _length(tables: Mapping[str, SymbolTable], kind: str, symbol: str, path: str, start: int) -> int:
    """The span length of a kept question's location (looked up: spans move with edits)."""
    for table in tables.values():
        semantics = table.get(symbol)
        if semantics is None:
            continue
        if kind == "symbol":
            candidates = [semantics.location]
        elif kind == "prompt":
            candidates = [prompt.location for prompt in semantics.prompts]
        else:
            candidates = [default.location for default in semantics.defaults]
        for location in candidates:
            if location.path == path and location.span.start == start:
                return location.span.end - location.span.start
    return 0


def question_key(question: liveness_module._Question) -> QuestionKey:
    return (question.kind, question.symbol, question.location.path, question.location.span.start)

"""The logic analyses kept up to date after an edit, re-asking only the questions it can affect.

A cold analysis of Linux (21 architectures) loads every world, encodes it
and asks ~30,000 select and liveness questions: a minute and more. After an
edit of one Kconfig file almost every answer stays what it was, because the
answer to a question depends only on the clauses of its *cone*: the
symbols whose values can influence the symbols it asks about (their
dependencies, visibility, defaults, selectors and implyers, choice
siblings, the modules symbol; `select_analysis._influences`). Every symbol
outside a cone takes some value whatever the cone's symbols are (the
encoding lets a visible symbol sit at its reverse dependency and gives an
invisible one the value of its defaults), so those clauses can neither add
nor remove a model of the cone: a question whose cone holds no re-encoded
symbol has the answer it had.

`IncrementalLogic` keeps, between edits:

- one model per world (the architectures of Linux, else the tree's one
  world), updated with `KconfigModel.apply_change` from the texts of the
  editor's model, which names the symbols whose meaning changed in each;
- each world's symbol table, updated for the changed symbols and the
  targets of their selects and implies (their reverse dependencies) only;
- the formula, in which `Encoding.reencode_symbols` retires those
  symbols' clauses and adds them again, and one solver that keeps what it
  learnt;
- the graph "X influences Y" over all worlds (it only grows: an edge too
  many only re-asks a question), whose closure from the re-encoded
  symbols is the set of *affected* symbols;
- every select's verdict and every dead question (not only the root
  causes that the rules report), with their locations moved along with
  the edit.

After an edit it re-asks the selects whose target is affected (a select's
question is about its selector, its condition and its target's
dependency, all in the target's cone) and the liveness questions of the
affected symbols, reuses every other answer, and recomputes the root
causes of the dead items. "Affected" starts from the symbols whose
clauses changed, not every re-encoded one, and most re-asked questions
are settled without a query of their own (`incremental_pruning`: old
"no"s together under one assumption, "yes"es from kept models). An edit the formula cannot absorb (a symbol
appearing in or vanishing from a world, a changed type, a choice member,
the modules symbol) rebuilds everything, as a cold run.

The results equal a full analysis (`tests/logic/test_incremental_logic.py`
compares them after random edits); only the witness of an unmet select
(one model among many) may differ, never whether it is unmet nor where.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.analysis.cancellation import Cancelled as HostCancelled
from kconfig_ls.logic import incremental_pruning as pruning
from kconfig_ls.logic import liveness as liveness_module
from kconfig_ls.logic import select_analysis as select_module
from kconfig_ls.logic.incremental_liveness import (
    LivenessQuestions,
    QuestionKey,
    dead_questions,
    question_key,
    recheck_liveness,
    show_from_kept_models,
)
from kconfig_ls.logic.incremental_liveness import roots as compute_roots
from kconfig_ls.logic.incremental_locations import move_locations
from kconfig_ls.logic.incremental_selects import QuestionCache, recheck_selects
from kconfig_ls.logic.incremental_warming import teach_old_answers
from kconfig_ls.logic.liveness import DeadItem, LivenessAnalysis
from kconfig_ls.logic.redundancy import install_tables
from kconfig_ls.logic.select_analysis import EdgeKey, SelectAnalysis, UnmetSelect, analyse_selects
from kconfig_ls.logic.solver import Cancelled as SolverCancelled
from kconfig_ls.logic.solver import LogicSolver, Model
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding, encode_worlds
from kconfig_ls.logic.world_tables import WorldModels, moved_symbols, update_table
from kconfig_ls.semantics.discovery import paused_garbage_collection
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import Expression

__all__ = ["IncrementalLogic", "LogicUpdate", "full_analyses"]

_LOG = logging.getLogger(__name__)

_REPAIRED = 8
"""Broken kept models repaired after an edit (`incremental_pruning.repair_models`): on Linux x86
the first `select` edit of mm/Kconfig then harvested its liveness questions in 10 queries, not 15,
and the next ones in none, not 2-5."""
_MODELS_KEPT = 96
_MODELS_MIN = 16
"""Models kept (`incremental_pruning.ModelStore`): 96 for one world, 16 a world for Linux's 21
(~130-250 KB each: one byte per variable; 336 models, ~40 MB more than 8 a world). With 8 a world,
the updates after an edit of mm/Kconfig over Linux's 21 worlds kept asking 7-8 harvest queries
(`depends on` added: 0.8 s CPU an update) and a `select` 61-78 queries in all; with 16, none and
42-51 (0.43-0.56 s; 3.4-4.8 s against 4.5-6.5 s, both measured side by side at load 3-4)."""


@dataclass(frozen=True)
class LogicUpdate:
    """The analyses after an update, and what it cost (for the benchmark and the runner)."""

    selects: SelectAnalysis
    liveness: LivenessAnalysis
    rebuilt: bool
    """Everything was computed from nothing (a cold start or an edit the formula cannot absorb)."""
    changed_symbols: frozenset[str]
    affected_symbols: frozenset[str]
    rechecked_selects: int
    rechecked_questions: int
    queries: int
    changed_targets: frozenset[str] | None
    """Targets of the selects whose verdict changed (None: unknown, after a rebuild)."""


@dataclass
class _State:
    worlds: WorldModels
    tables: dict[str, SymbolTable]
    encoding: Encoding
    influenced: dict[str, set[str]]
    """name -> the symbols whose value it can influence (in some world)."""
    verdicts: dict[EdgeKey, UnmetSelect | None]
    """Every analysed select: its finding when its target's dependencies can be left unmet."""
    prefiltered: set[EdgeKey]
    dead: dict[QuestionKey, str | None]
    """Every dead liveness question, with its explanation once computed (root causes only)."""
    queries: int = 0
    solver: LogicSolver | None = field(default=None, repr=False)
    roots: tuple[DeadItem, ...] | None = None
    """The reported dead items (root causes), None when they must be recomputed."""
    pending: set[str] = field(default_factory=set)
    """Affected symbols of an update that was cancelled before its questions were all asked."""
    pending_rebuilt: frozenset[str] = frozenset()
    """The symbols that update re-encoded."""
    lengths: dict[QuestionKey, int] = field(default_factory=dict)
    """The span length of each dead question's location (kept ones are rebuilt from their key)."""
    edited_paths: set[str] = field(default_factory=set)
    """The files edited since the cold run (their symbols' activation literals are not facts)."""
    models: pruning.ModelStore | None = field(default=None, repr=False)
    """Models of the current formula, kept to answer liveness questions without the solver."""
    conflicts: int = 1000
    """The conflict budget of the one "no" query (`incremental_selects.recheck_selects`)."""
    cones: select_module.ConeCache = field(default_factory=lambda: select_module.ConeCache(64), repr=False)
    """The influences read for the witnesses of re-asked selects (see `ConeCache`)."""
    question_cache: QuestionCache = field(default_factory=QuestionCache, repr=False)
    explained: dict[EdgeKey, list[tuple[bytes, Expression, Expression, set[str], UnmetSelect]]] = field(
        default_factory=dict, repr=False
    )
    """Each finding explained after an edit, with what it read (`incremental_selects._explained`)."""
    mentions: dict[str, liveness_module.Mentions] = field(default_factory=dict, repr=False)
    """What each dead symbol's semantics mention, for the root causes (`liveness._root_causes`)."""
    liveness_questions: LivenessQuestions = field(default_factory=LivenessQuestions, repr=False)
    """The liveness questions of the symbols affected so far, with the kept models that showed them."""


class IncrementalLogic:
    """The select and liveness analyses of one tree, kept up to date edit after edit."""

    def __init__(self, worlds: list[str] | None = None) -> None:
        """`worlds` restricts the analysis to some architectures (default: every one)."""
        self._state: _State | None = None
        self._settings_key: object = None
        self._worlds = worlds

    @property
    def ready(self) -> bool:
        return self._state is not None

    def update(
        self,
        model: KconfigModel,
        cancellation: CancellationToken | None = None,
        progress: Callable[[str, int | None], None] | None = None,
    ) -> LogicUpdate:
        """The analyses of `model` (an editor's model: its texts win over the disk).

        Raises `kconfig_ls.analysis.cancellation.Cancelled` when the token is
        set while the questions of an edit are asked; the formula and tables
        are then already up to date and the questions left are asked by the
        next call. A rebuild ignores the token (see `update`'s body).
        """

        def is_cancelled() -> bool:
            return cancellation is not None and cancellation.cancelled

        report = progress or (lambda message, percentage: None)
        key = (model.root, model.settings.root_kconfig, sorted(model.settings.environment.items()))
        try:
            # Frozen on the way out (`gc.freeze`), as what a rebuild builds is: what an update
            # keeps (new gates, tables, kept answers: ~18,000 objects an update on Linux x86) is
            # never scanned again. Not frozen, a full collection scanned all the updates had
            # kept, 0.05 s after the first and 0.14 s after twelve; an update leaves no cyclic
            # garbage (a full collection after each of twelve found none). Not collected
            # first: a young collection of what an update allocated cost 60 ms of a 0.3 s
            # update over Linux's 21 worlds; what other threads (the server's) leave as cyclic
            # garbage while an update runs is frozen with it, as during a tree's load.
            with paused_garbage_collection(freeze=True):
                return self._update(model, key, is_cancelled, report)
        except (SolverCancelled, HostCancelled):
            # The state stays: the questions left are asked by the next update (`_State.pending`).
            raise HostCancelled() from None

    def _update(
        self,
        model: KconfigModel,
        key: object,
        is_cancelled: Callable[[], bool],
        report: Callable[[str, int | None], None],
    ) -> LogicUpdate:
        """`update` with the cyclic collector paused.

        Why paused: the state holds millions of objects (the formula, every
        world's tables); a full collection during an update scanned them all,
        0.4-0.6 s of an update's 1 s on Linux x86. A rebuild freezes what it
        built (`gc.freeze`: never scanned again, still freed by reference
        counting, so the state holds no reference cycle); an update's own
        allocations are left to the collector.
        """
        if self._state is None or key != self._settings_key:
            # A rebuild is never cancelled by an edit: the state it builds is
            # brought forward to any later text by the next update.
            self._close()
            self._state, result = _rebuild(model, _never, report, self._worlds)
            self._settings_key = key
            gc.freeze()
        else:
            result_or_none = _update(self._state, model, is_cancelled)
            if result_or_none is None:
                self._close()
                self._state, result = _rebuild(model, _never, report, self._worlds)
                gc.freeze()
            else:
                result = result_or_none
        if self._worlds is None:
            # The redundancy rules (KLS209-KLS213) read every world's tables of this text.
            install_tables(model, self._state.tables)
        return result

    def prepare(self, paths: Iterable[str], cancellation: CancellationToken | None = None) -> bool:
        """Load the solver the edits of `paths` will use, before the first of them (in the background).

        Why: the first edit of a file loaded that solver (`EditSolver`: the
        whole formula, the symbols of the edited files left volatile) and
        paid 2-8 s for it on Linux x86. Prepared for the files open in the
        editor, the first edit of one of them reuses it; and it is taught
        the old "no"s (`incremental_warming.teach_old_answers`: the first
        `select` edit of mm/Kconfig on Linux x86 cost 8-11 s CPU untaught).
        Returns whether a solver was loaded (False: none needed, or no state
        yet).
        """
        state = self._state
        if state is None or state.pending:
            return False
        wanted = {path for path in paths if path in state.worlds.synced} - state.edited_paths
        if not wanted and state.solver is not None:
            return False
        if not wanted and not state.edited_paths:
            return False  # no file to edit: every symbol would be a fact
        is_cancelled: Callable[[], bool] = (
            (lambda: cancellation.cancelled) if cancellation is not None else _never
        )
        edited = state.edited_paths | wanted
        volatile = pruning.volatile_names(state.tables, edited)
        with paused_garbage_collection(freeze=False):
            solver = pruning.EditSolver(state.encoding, volatile, is_cancelled)
            try:
                solver.warm_up()
            except SolverCancelled:
                solver.close()
                return False
            if state.solver is not None:
                state.solver.close()
            state.solver, state.edited_paths = solver, edited
            # Cancelled while taught (an edit came): the solver stays, as sound as untaught.
            reach = pruning.closure(state.influenced, volatile)
            with contextlib.suppress(SolverCancelled):
                teach_old_answers(solver, state.encoding, state.tables, state.verdicts, state.dead, reach)
                if not is_cancelled() and state.models is not None:
                    show_from_kept_models(
                        state.encoding, state.tables, state.liveness_questions, state.models, reach
                    )
                # One model last, so that the solver's saved phases are a model's again, not
                # the last proof's (the first edit after the teaching asked 33 queries, not 9).
                solver.warm_up()
            solver.queries = 0
        return True

    def release(self) -> None:
        self._close()
        self._settings_key = None

    def _close(self) -> None:
        if self._state is not None:
            if self._state.solver is not None:
                self._state.solver.close()
            self._state.encoding.parked_solver = None
        self._state = None


def _never() -> bool:
    return False


# --- the cold analysis ----------------------------------------------------------------------


def full_analyses(
    tables: Mapping[str, SymbolTable],
    is_cancelled: Callable[[], bool] | None = None,
    encoding: Encoding | None = None,
) -> tuple[SelectAnalysis, LivenessAnalysis]:
    """Both analyses from nothing (what the incremental ones must equal)."""
    from kconfig_ls.logic.liveness import analyse_liveness

    encoding = encoding if encoding is not None else encode_worlds(tables)
    return analyse_selects(tables, is_cancelled, encoding), analyse_liveness(tables, is_cancelled, encoding)


def _rebuild(
    model: KconfigModel,
    is_cancelled: Callable[[], bool],
    report: Callable[[str, int | None], None],
    only: list[str] | None = None,
) -> tuple[_State, LogicUpdate]:
    report("loading every architecture", 0)
    worlds = WorldModels.load(model, is_cancelled, only)
    tables = worlds.tables()
    report("encoding the configuration logic", 20)
    encoding = encode_worlds(tables)
    report("checking selects", 30)
    models = pruning.ModelStore(encoding, max(_MODELS_MIN, _MODELS_KEPT // max(1, len(tables))))
    packer = pruning.Packer()

    def keep(key: EdgeKey, world: str, model: Model) -> None:
        models.add_witness(key, world, model, packer, replace=False)

    selects = analyse_selects(tables, is_cancelled, encoding, keep)
    verdicts: dict[EdgeKey, UnmetSelect | None] = dict.fromkeys(selects.analysed)
    verdicts.update(selects.unmet)
    prefiltered = pruning.prefiltered_keys(tables)
    report("checking dead symbols, prompts and defaults", 60)
    # The solver the select analysis loaded the formula into (as `analyse_liveness` does).
    with LogicSolver.reuse(encoding, is_cancelled) as solver:
        questions = liveness_module._questions(encoding, tables)
        found_dead = dead_questions(encoding, questions, solver, models)
        dead: dict[QuestionKey, str | None] = {question_key(q): None for q in found_dead}
        lengths: dict[QuestionKey, int] = {}
        fresh_dead = {question_key(q): q for q in found_dead}
        roots = compute_roots(encoding, tables, dead, fresh_dead, solver, lengths, models)
        queries = selects.queries + solver.queries
    state = _State(
        worlds, tables, encoding, pruning.influence_graph(tables), verdicts, prefiltered, dead, queries
    )
    state.lengths = lengths
    state.roots = roots
    state.models = models
    liveness = LivenessAnalysis(tuple(tables), roots, queries - selects.queries)
    names = frozenset(name for table in tables.values() for name in table.symbols)
    return state, LogicUpdate(
        selects, liveness, True, names, names, len(verdicts), len(questions), queries, None
    )


# --- the update after an edit ---------------------------------------------------------------


def _update(state: _State, model: KconfigModel, is_cancelled: Callable[[], bool]) -> LogicUpdate | None:
    """Bring the state to `model`; None when the edit needs a rebuild."""
    changes = state.worlds.follow(model)
    if changes is None:
        _LOG.info("logic: rebuilding (a world could not follow the edit)")
        return None
    changed, edits = changes
    if not changed and not edits and not state.pending:
        return _result(state, frozenset(), frozenset(), 0, 0, 0, frozenset())
    new_tables: dict[str, SymbolTable] = {}
    rebuilt_names: set[str] = set()
    shared: dict[object, object] = {}
    extents: dict[int, tuple[object, int]] = {}
    for world, table in state.tables.items():
        world_changed = state.worlds.changed.get(world, frozenset())
        world_model = state.worlds.models[world]
        moved = moved_symbols(world_model, edits, extents)
        if not world_changed and not moved:
            new_tables[world] = table
            continue
        updated = update_table(table, world_model, world_changed, moved, edits, shared)
        if updated is None:
            _LOG.info("logic: rebuilding (%s: the edit changes a choice)", world or "the tree")
            return None
        new_tables[world], names = updated
        rebuilt_names |= names
    if not _absorbable(state, new_tables, rebuilt_names):
        _LOG.info("logic: rebuilding (the edit changes the formula's shape)")
        return None
    move_locations(state, edits)
    # The symbols defined in an edited file whose locations could not be moved are re-asked.
    rebuilt = frozenset(rebuilt_names)
    old_keys = pruning.keys_of(state.encoding, state.tables, rebuilt)
    retired = [state.encoding.activation[name] for name in rebuilt if name in state.encoding.activation]
    if state.solver is not None and (
        not isinstance(state.solver, pruning.EditSolver) or state.solver.stale(retired)
    ):
        # A symbol outside the files edited so far is re-encoded: its activation literal is
        # a fact of this solver, so a new one is loaded (about as long as the first one).
        state.solver.close()
        state.solver = None
    if rebuilt:
        state.encoding.reencode_symbols(sorted(rebuilt), new_tables)
        state.cones.changed(rebuilt)
    state.encoding.tables.update(new_tables)
    old_tables, state.tables = state.tables, new_tables
    pruning.grow_influence_graph(state.influenced, new_tables, rebuilt)
    # Only the symbols whose clauses changed reach other questions; a re-encoded symbol with the
    # same clauses (a select added to it changes its target's clauses, not its own) does not.
    meaning_changed = pruning.meaning_changed(state.encoding, old_keys, old_tables, new_tables, rebuilt)
    unmovable = frozenset(state.worlds.unmovable)
    # A re-tied value comparison (`value_comparisons`) is a clause of no symbol's semantics: kept
    # models must satisfy it too, and the shortcuts below, which compare symbols' clauses, do not
    # see it (an old "no" may have a model now through the comparison alone).
    retied = state.encoding.retied_clauses if rebuilt else []
    dropped: list[tuple[str, bytes]] = []
    if state.models is not None and meaning_changed:
        new_clauses = state.models.new_clauses(meaning_changed, new_tables)
        for world in new_tables:
            new_clauses.setdefault(world, []).extend(retied)
        dropped = state.models.keep_valid(new_clauses)
    # The targets of the re-encoded symbols' selects are examined too: a select line that moved
    # or appeared keeps its target's meaning but has a new key.
    targets = _select_targets((old_tables, new_tables), rebuilt | unmovable)
    affected = (
        pruning.closure(state.influenced, meaning_changed | unmovable) | rebuilt | targets | state.pending
    )
    # A question that had no model before can have one now only through a model that breaks
    # an old clause of a changed symbol (any other model of the new formula was a model of
    # the old one): such questions are asked together under that assumption. Not after a
    # cancelled update (its old answers belong to an older formula than `old_keys`).
    violation = None
    cases: tuple[int, ...] = ()
    if not state.pending and not retied:
        assert state.models is not None
        if pruning.strengthened(state.encoding, old_keys, new_tables, meaning_changed, state.models):
            violation = -TRUE_LITERAL  # no model breaks an old clause: every old "no" stands
        else:
            # One literal per old clause that may break (entailed ones left out), each asked on
            # its own (`EditSolver.none_of_cases`).
            cases = tuple(pruning.violation_cases(state.encoding, old_keys, meaning_changed, state.models))
            violation = state.encoding.disjoin(cases) if cases else -TRUE_LITERAL
    state.worlds.unmovable = set()
    # Until every question below is asked, these stay to be asked (a cancelled update
    # leaves a consistent formula and tables; the next update asks them).
    state.pending = set(affected)
    state.pending_rebuilt |= rebuilt | unmovable
    direct = frozenset(state.pending_rebuilt)
    if state.solver is None:
        state.edited_paths |= set(edits)
        volatile = pruning.volatile_names(new_tables, state.edited_paths) | rebuilt | state.pending_rebuilt
        state.solver = pruning.EditSolver(state.encoding, volatile, is_cancelled)
    else:
        state.solver._is_cancelled = is_cancelled
    before = state.solver.queries
    old_verdicts = {key: value for key, value in state.verdicts.items() if key[1] in affected}
    rechecked, asked = recheck_selects(
        state, old_tables, affected, direct, violation, cases, list(old_verdicts)
    )
    changed_targets = _changed_targets(old_verdicts, state.verdicts, asked)
    assert state.models is not None
    pruning.repair_models(state.solver, state.encoding, state.models, dropped, _REPAIRED)
    questions = recheck_liveness(state, affected, direct, violation, cases)
    state.models.dropped = {}  # the broken models were hints for this update's harvest only
    state.pending, state.pending_rebuilt = set(), frozenset()
    queries = state.solver.queries - before
    state.queries += queries
    return _result(state, changed, affected, rechecked, questions, queries, changed_targets)


def _select_targets(tables: Iterable[Mapping[str, SymbolTable]], names: Iterable[str]) -> frozenset[str]:
    """The targets of the names' selects, in any of the tables."""
    targets: set[str] = set()
    for by_world in tables:
        for table in by_world.values():
            for name in names:
                semantics = table.get(name)
                if semantics is not None:
                    targets.update(select.target for select in semantics.selects)
    return frozenset(targets)


def _changed_targets(
    old_verdicts: Mapping[EdgeKey, UnmetSelect | None],
    verdicts: Mapping[EdgeKey, UnmetSelect | None],
    asked: frozenset[EdgeKey],
) -> frozenset[str]:
    """The targets of the selects whose verdict changed: only those asked again, and the vanished
    ones (among the old), can have. Most stay without a finding (None before and after), told
    apart at once: comparing each as a tuple was ~20 ms of a `select` edit on Linux x86."""
    targets: set[str] = set()
    for key in old_verdicts.keys() | asked:
        before, after = old_verdicts.get(key, "absent"), verdicts.get(key, "absent")
        if before is after or key[1] in targets:
            continue
        if _verdict_worlds(before) != _verdict_worlds(after):
            targets.add(key[1])
    return frozenset(targets)


def _verdict_worlds(verdict: UnmetSelect | str | None) -> object:
    if isinstance(verdict, UnmetSelect):
        return (verdict.worlds, verdict.location, verdict.dependency)
    return verdict


def _absorbable(state: _State, new_tables: Mapping[str, SymbolTable], names: Iterable[str]) -> bool:
    """Whether re-encoding `names` gives the formula of the new tables (see the module docstring)."""
    encoding = state.encoding
    for world, table in new_tables.items():
        old = state.tables[world]
        if table.modules_symbol != old.modules_symbol or len(table.choices) != len(old.choices):
            return False
        for name in names:
            before, after = old.get(name), table.get(name)
            if (before is None) != (after is None):
                if name in encoding.symbol_variables:
                    _LOG.info("logic: %s appears or disappears in %s", name, world)
                    return False  # "undefined in this world: n" is a permanent clause
                continue
            if before is None or after is None:
                continue
            if before.type != after.type or before.choice is not None or after.choice is not None:
                _LOG.info("logic: %s changes type or is a choice member in %s", name, world)
                return False
            if after.is_modules_symbol or before.is_modules_symbol:
                _LOG.info("logic: %s is the modules symbol", name)
                return False
    return True


def _result(
    state: _State,
    changed: frozenset[str],
    affected: frozenset[str],
    rechecked: int,
    questions: int,
    queries: int,
    changed_targets: frozenset[str],
) -> LogicUpdate:
    unmet = {key: verdict for key, verdict in state.verdicts.items() if verdict is not None}
    selects = SelectAnalysis(
        tuple(state.tables), frozenset(state.verdicts), unmet, len(state.prefiltered), state.queries
    )
    roots = state.roots
    if roots is None:
        # Only moved (a help-text edit, lines above): every kept question has its explanation.
        roots = compute_roots(
            state.encoding, state.tables, state.dead, {}, None, state.lengths, None, state.mentions
        )
        state.roots = roots
    liveness = LivenessAnalysis(tuple(state.tables), roots, state.queries)
    return LogicUpdate(
        selects, liveness, False, changed, affected, rechecked, questions, queries, changed_targets
    )

"""What lets an update after an edit skip most solver queries: changed meanings, violations, kept models.

`incremental_logic` re-asks the questions whose cone holds a changed
symbol. Three facts make most of those questions cheap:

- **Equal keys, equal clauses.** A re-encoded symbol whose `SymbolKey` is
  the same in every world (gates are interned, so equal semantics give
  equal literals) has the clauses it had: it changes no answer, and the
  symbols it influences need not be asked about (`meaning_changed`). A
  select added to COMPACTION changes its target's clauses, not
  COMPACTION's.
- **A "no" turns "yes" only by breaking an old clause.** The new formula is
  the old one with the changed symbols' clauses replaced; a model of it
  that keeps every old clause was a model of the old formula. So the
  questions that had no model are asked together under one assumption,
  "some old clause of a changed symbol is broken" (`violation_literal`):
  one "no" keeps all of them.
- **A "yes" stays "yes" while its model does.** The models the solver
  found are kept (`ModelStore`); after an edit, those that break a new
  clause of a changed symbol are dropped (the others are models of the new
  formula, since nothing else changed), and a question one of them
  satisfies holds without asking. The same goes for the witness of each
  unmet select, per world (`ModelStore.add_witness`): a finding re-asked
  after an edit that left its witness a model is answered without a query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from kconfig_ls.logic import select_analysis as select_module
from kconfig_ls.logic.kept_models import ModelStore, Packer, StoredModel
from kconfig_ls.logic.select_analysis import EdgeKey
from kconfig_ls.logic.solver import Cancelled, LogicSolver, Model, unsatisfiable
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding, SymbolKey, _symbol_clauses
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import TRUE

__all__ = [
    "EditSolver",
    "closure",
    "grow_influence_graph",
    "influence_graph",
    "prefiltered_keys",
    "ModelStore",
    "Packer",
    "StoredModel",
    "harvest",
    "harvest_anywhere",
    "keys_of",
    "meaning_changed",
    "strengthened",
    "violation_literal",
    "volatile_names",
]


def keys_of(
    encoding: Encoding, tables: Mapping[str, SymbolTable], names: Iterable[str]
) -> dict[tuple[str, str], SymbolKey]:
    """The literals of each name's semantics in each world that defines it, before an edit."""
    keys: dict[tuple[str, str], SymbolKey] = {}
    for name in names:
        for world, table in tables.items():
            if name in table.symbols:
                keys[(world, name)] = encoding.symbol_key(world, name)
    return keys


def meaning_changed(
    encoding: Encoding,
    old_keys: Mapping[tuple[str, str], SymbolKey],
    old_tables: Mapping[str, SymbolTable],
    new_tables: Mapping[str, SymbolTable],
    names: Iterable[str],
) -> frozenset[str]:
    """The re-encoded names whose clauses differ in some world (or that appear or vanish in one)."""
    changed: set[str] = set()
    for name in names:
        for world, table in new_tables.items():
            defined = name in table.symbols
            if defined != (name in old_tables[world].symbols):
                changed.add(name)
                break
            if defined and encoding.symbol_key(world, name) != old_keys.get((world, name)):
                changed.add(name)
                break
    return frozenset(changed)


def violation_cases(
    encoding: Encoding,
    old_keys: Mapping[tuple[str, str], SymbolKey],
    names: Iterable[str],
    store: ModelStore | None = None,
) -> list[int]:
    """One literal per old clause of `names` that a model of the new formula may break: true
    exactly where it is broken (an interned AND gate of the clause's negated literals and the
    worlds it belongs to). No literal: no model breaks an old clause.

    Given `store` (for the gates' definitions), an old clause that the new
    semantics entail locally (`_clause_entailed`) is left out: no model of the
    new formula breaks it. Why a literal per clause, each assumed on its own
    (`EditSolver.none_of_cases`): a `select SWAP` added to COMPACTION leaves
    SWAP's lower bounds entailed (the new reverse dependency contains the
    old one) and two clauses that can break (SWAP above its old upper bound,
    visible or not); assumed alone, each one's gate propagates SWAP=y and its
    old bound false, where the disjunction of all eight propagated nothing.
    """
    wanted = set(names)
    broken: list[int] = []
    by_name: dict[str, dict[SymbolKey, list[str]]] = {}
    for (world, name), key in old_keys.items():
        if name in wanted:
            by_name.setdefault(name, {}).setdefault(key, []).append(world)
    lower: dict[int, int] | None = None
    for name in sorted(by_name):
        value = encoding.symbol_pair(name)
        for key, worlds in by_name[name].items():
            old_clauses = list(_symbol_clauses(encoding, key, value))
            if store is None:
                groups = [(worlds, old_clauses)]
            else:
                if lower is None:
                    lower = store.lower_variables()
                groups = _unentailed(encoding, store, lower, name, value, worlds, old_clauses)
            for group_worlds, clauses in groups:
                guard = encoding.world_set(group_worlds)
                for clause in clauses:
                    broken.append(encoding.conjoin((guard, *(-literal for literal in clause))))
    return broken


def violation_literal(
    encoding: Encoding,
    old_keys: Mapping[tuple[str, str], SymbolKey],
    names: Iterable[str],
    store: ModelStore | None = None,
) -> int:
    """A literal true exactly in the assignments that break an old clause of one of `names`
    (the disjunction of `violation_cases`).

    The literal is an interned gate (definitions only): adding it changes no
    answer. `-TRUE_LITERAL` when no name changed (then nothing turns "yes").
    """
    cases = violation_cases(encoding, old_keys, names, store)
    return encoding.disjoin(cases) if cases else -TRUE_LITERAL


def _unentailed(
    encoding: Encoding,
    store: ModelStore,
    lower: Mapping[int, int],
    name: str,
    value: tuple[int, int],
    worlds: list[str],
    old_clauses: list[list[int]],
) -> list[tuple[list[str], list[list[int]]]]:
    """The old clauses that the new semantics of `name` do not entail locally, by group of worlds
    with the same new semantics (a name undefined now in a world keeps every old clause)."""
    by_new: dict[SymbolKey | None, list[str]] = {}
    for world in worlds:
        defined = name in encoding.tables[world].symbols
        by_new.setdefault(encoding.symbol_key(world, name) if defined else None, []).append(world)
    groups: list[tuple[list[str], list[list[int]]]] = []
    for new, group_worlds in by_new.items():
        if new is None:
            groups.append((group_worlds, old_clauses))
            continue
        premises = list(_symbol_clauses(encoding, new, value))
        premise_set = {tuple(sorted(clause)) for clause in premises}
        kept = [
            clause
            for clause in old_clauses
            if tuple(sorted(clause)) not in premise_set
            and not _clause_entailed(encoding, store, lower, premises, clause)
        ]
        if kept:
            groups.append((group_worlds, kept))
    return groups


def _clause_entailed(
    encoding: Encoding,
    store: ModelStore,
    lower: Mapping[int, int],
    premises: list[list[int]],
    clause: list[int],
) -> bool:
    """Whether the premises (with the gates' definitions) entail the one clause (`_implies`'s
    check for one conclusion: the premises that differ from it first, then all of them)."""
    named = {abs(literal) for literal in clause}
    differing = [premise for premise in premises if premise != clause]
    common = named & {abs(literal) for premise in differing for literal in premise}
    if _entailed(store, lower, differing, [clause], encoding, common):
        return True
    return _entailed(store, lower, premises, [clause], encoding, set())


def strengthened(
    encoding: Encoding,
    old_keys: Mapping[tuple[str, str], SymbolKey],
    new_tables: Mapping[str, SymbolTable],
    names: Iterable[str],
    store: ModelStore,
) -> bool:
    """Whether no model of the new formula can break an old clause of `names` (the violation
    literal is then false: every old "no" stands without a query).

    Why: a `depends on` added to a symbol only narrows the values it may
    take, so every model of the new formula was a model of the old one; on
    all of Linux's architectures the one query that showed it under the
    violation literal cost ~1.3 s (`EditSolver.none_of`). Shown locally, for
    each name and each pair of old and new semantics: the new clauses, the
    definitions of the gates they and the old clauses use (true in every
    model), and "an old clause is broken" have no model. Symbol variables
    are left free, so the check is sound (a model of the whole formula
    satisfies the local one) and may only fail to see an implication
    that holds through other symbols' clauses (the query is then asked).
    """
    lower: dict[int, int] | None = None
    for name in names:
        value = encoding.symbol_pair(name)
        pairs: set[tuple[SymbolKey, SymbolKey]] = set()
        for world, table in new_tables.items():
            old = old_keys.get((world, name))
            defined = name in table.symbols
            if old is None or not defined:
                if old is not None or defined:
                    return False  # appears or vanishes in a world
                continue
            new = encoding.symbol_key(world, name)
            if new != old:
                pairs.add((old, new))
        for old, new in pairs:
            if lower is None:
                lower = store.lower_variables()
            premises = list(_symbol_clauses(encoding, new, value))
            if not _implies(encoding, store, lower, premises, old, value):
                return False
    return True


_LOCAL_GATES_MAX = 20000
"""Gate definitions a local check reads at most (beyond: unknown, the query is asked)."""


def _implies(
    encoding: Encoding,
    store: ModelStore,
    lower: Mapping[int, int],
    premises: list[list[int]],
    old: SymbolKey,
    value: tuple[int, int],
) -> bool:
    """Whether `premises`, the gate definitions and "y implies m" of every tristate met on the
    way entail every clause of the old semantics.

    An old clause that is also a new one is entailed as it stands. The
    others are tried first from the new clauses that are not old ones, with
    the gates that both sides name at their top left undefined (fewer
    premises and constraints entailing is enough; the whole check runs only
    when they do not): a `depends on` edit leaves the large expressions (a
    reverse dependency of 50 selectors) as they were, and reading their
    gates made the one check of Linux's MIGRATION ~18,000 clauses, ~70 ms.
    """
    premise_set = {tuple(sorted(clause)) for clause in premises}
    conclusions = [
        clause for clause in _symbol_clauses(encoding, old, value) if tuple(sorted(clause)) not in premise_set
    ]
    if not conclusions:
        return True
    conclusion_set = {tuple(sorted(clause)) for clause in conclusions}
    differing = [clause for clause in premises if tuple(sorted(clause)) not in conclusion_set]
    named = {abs(literal) for clause in differing for literal in clause}
    common = named & {abs(literal) for clause in conclusions for literal in clause}
    if _entailed(store, lower, differing, conclusions, encoding, common):
        return True
    return _entailed(store, lower, premises, conclusions, encoding, set())


def _entailed(
    store: ModelStore,
    lower: Mapping[int, int],
    premises: list[list[int]],
    conclusions: list[list[int]],
    encoding: Encoding,
    undefined: set[int],
) -> bool:
    """Whether the premises and the definitions of the gates they and the conclusions read
    (and "y implies m" of the tristates met) entail every conclusion; the `undefined`
    variables are left free (their definitions are not read)."""
    clauses: list[list[int]] = [[TRUE_LITERAL], *premises]
    # "Some old clause is broken": a selector per clause, each making its clause's literals false.
    selectors: list[int] = []
    first_selector = encoding.variable_count + 1
    for index, clause in enumerate(conclusions):
        selector = first_selector + index
        selectors.append(selector)
        clauses.extend([-selector, -literal] for literal in clause)
    clauses.append(selectors)
    seen: set[int] = set()
    stack = [abs(literal) for clause in (*premises, *conclusions) for literal in clause]
    while stack:
        variable = stack.pop()
        if variable in seen:
            continue
        seen.add(variable)
        if len(seen) > _LOCAL_GATES_MAX:
            return False
        if variable in undefined:
            continue
        operands = store._definition(variable)
        if operands is None:
            at_least_m = lower.get(variable)
            if at_least_m is not None:
                clauses.append([-variable, at_least_m])
                stack.append(at_least_m)
            continue  # otherwise a symbol's (or a free) variable: left free
        clauses.extend([-variable, operand] for operand in operands)
        clauses.append([variable, *(-operand for operand in operands)])
        stack.extend(abs(operand) for operand in operands)
    return unsatisfiable(clauses)


def harvest(
    solver: LogicSolver,
    encoding: Encoding,
    questions: Sequence[Mapping[str, int]],
    store: ModelStore,
    assumptions: tuple[int, ...] = (),
) -> set[int]:
    """The indices of the questions that can hold (as `liveness.harvest`), kept models first.

    Each model the solver finds is kept. Under `assumptions` (a violation
    literal) a model found is still a model of the formula.
    """
    holds: set[int] = set()
    if assumptions and len(encoding.worlds) > 1:
        # Old "no"s under the violation (usually all stay "no"): one query over every world
        # first, instead of one a world (21 on Linux).
        anywhere = [
            encoding.conjoin((encoding.world_variable[world], literal))
            for by_world in questions
            for world, literal in by_world.items()
            if literal != -TRUE_LITERAL
        ]
        if not anywhere or solver.model_of_any(anywhere, assumptions) is None:
            return holds
    for world in encoding.worlds:
        world_literal = encoding.world_variable[world]
        waiting: dict[int, list[int]] = {}
        for index, by_world in enumerate(questions):
            literal = by_world.get(world)
            if literal is None or index in holds or literal == -TRUE_LITERAL:
                continue
            waiting.setdefault(literal, []).append(index)
        for literal in [literal for literal in waiting if store.holds(world, literal)]:
            holds.update(waiting.pop(literal))
        while waiting:
            literals = sorted(waiting)
            if not assumptions:
                solver.prefer(literals)
            model = solver.model_of_any(literals, [world_literal, *assumptions])
            if model is None:
                break
            store.add(world, model)
            for literal in literals:
                if literal in model:
                    holds.update(waiting.pop(literal))
    return holds


def harvest_anywhere(
    solver: LogicSolver,
    encoding: Encoding,
    questions: Sequence[Mapping[str, int]],
    store: ModelStore,
    assumptions: tuple[int, ...] = (),
    shown: dict[int, tuple[str, int]] | None = None,
    combined: Sequence[int | None] | None = None,
    hints: Sequence[bytes | None] | None = None,
) -> set[int]:
    """`harvest` asked over every world at once: the questions that hold in some world.

    Why: a liveness question asks whether something can hold on *any*
    architecture, and the world is a variable of the formula, so one loop
    over all worlds answers it (each model settles what it satisfies, in
    its world), ended by one "no" for all the questions left, where
    `harvest` needs one "no" a world (21 on Linux, the costliest queries
    right after an edit). A question's literal is the same in most worlds
    (a symbol's variables are); else it is its per-world literals, each
    under its world. `shown` receives, for each question that holds, a world
    and the serial of the kept model that shows it there (`ModelStore.is_kept`
    later tells whether that model still stands). `combined`: each question's `anywhere_literal`, when the
    caller keeps them (the old "no"s are harvested once per violation case). `hints`: for each
    question, the kept model an edit broke that had shown it (`ModelStore.dropped`), or None:
    each query takes as its phases the broken model that had shown the most questions still
    waiting (each model once), so that it finds a model close to that one, which shows nearly
    all of them (the first `select` edit of mm/Kconfig on Linux x86: the 59 questions left
    after `repair_models` took 11 queries, each model showing a few). Phases change which
    model is found, never whether one is: the answers are the same.
    """
    holds: set[int] = set()
    for world in encoding.worlds:
        by_literal: dict[int, list[int]] = {}
        for index, by_world in enumerate(questions):
            literal = by_world.get(world)
            if literal is not None and literal != -TRUE_LITERAL and index not in holds:
                by_literal.setdefault(literal, []).append(index)
        for literal, indices in by_literal.items():
            if store.model_satisfying(world, literal) is not None:
                holds.update(indices)
                if shown is not None:
                    serial = store.front_serial(world)
                    for index in indices:
                        shown[index] = (world, serial)
    waiting: dict[int, list[int]] = {}
    for index, by_world in enumerate(questions):
        if index in holds:
            continue
        anywhere = combined[index] if combined is not None else anywhere_literal(encoding, by_world)
        if anywhere is not None:
            waiting.setdefault(anywhere, []).append(index)
    hinted: set[int] = set()
    while waiting:
        literals = sorted(waiting)
        hint = _most_shown(waiting, hints, hinted) if hints is not None else None
        if hint is not None:
            solver.prefer([variable if value else -variable for variable, value in enumerate(hint, 1)])
        elif not assumptions:
            solver.prefer(literals)
        model = solver.model_of_any(literals, assumptions)
        if model is None:
            break
        world = encoding.world_of(model)
        serial = store.add(world, model)
        for literal in literals:
            if literal in model:
                indices = waiting.pop(literal)
                holds.update(indices)
                if shown is not None:
                    for index in indices:
                        shown[index] = (world, serial)
    return holds


def _most_shown(
    waiting: Mapping[int, list[int]], hints: Sequence[bytes | None], hinted: set[int]
) -> bytes | None:
    """The broken model (not yet used, `hinted` gets it) that had shown the most waiting questions."""
    counts: dict[int, int] = {}
    models: dict[int, bytes] = {}
    for indices in waiting.values():
        for index in indices:
            hint = hints[index]
            if hint is not None and id(hint) not in hinted:
                counts[id(hint)] = counts.get(id(hint), 0) + 1
                models[id(hint)] = hint
    if not counts:
        return None
    best = max(counts, key=counts.__getitem__)
    hinted.add(best)
    return models[best]


def anywhere_literal(encoding: Encoding, by_world: Mapping[str, int]) -> int | None:
    """The literal "the question holds in some world" (each per-world literal under its worlds);
    None when it holds in none. Gates are interned: the same question gives the same literal."""
    worlds_of: dict[int, list[str]] = {}
    for world, literal in by_world.items():
        if literal != -TRUE_LITERAL:
            worlds_of.setdefault(literal, []).append(world)
    if not worlds_of:
        return None
    parts = [encoding.conjoin((literal, encoding.world_set(worlds))) for literal, worlds in worlds_of.items()]
    return parts[0] if len(parts) == 1 else encoding.disjoin(parts)


def repair_models(
    solver: LogicSolver,
    encoding: Encoding,
    store: ModelStore,
    dropped: Sequence[tuple[str, bytes]],
    limit: int,
) -> int:
    """Models of the new formula close to kept ones an edit broke, kept in their place; how many.

    Why: an edit drops the kept models that break its new clauses
    (`ModelStore.keep_valid`; a `select SWAP` added to COMPACTION drops
    every one with COMPACTION=y and SWAP=n), and the harvest of the
    affected liveness questions then asked ~20 queries on Linux x86 to find
    models for the ~8,600 questions those models had answered. The solver,
    asked for any model with the broken one's values as its phases, finds
    one that differs from it in little more than the broken clauses need,
    so it answers nearly all of the same questions. A repaired model comes
    from the solver: it is a model of the new formula whatever it looks
    like, so the answers stay exact; only the count of queries changes.
    """
    # World after world in turn, each world's most useful first (its front), up to the limit.
    by_world: dict[str, list[bytes]] = {}
    for world, data in dropped:
        by_world.setdefault(world, []).append(data)
    chosen: list[tuple[str, bytes]] = []
    for rank in range(max((len(models) for models in by_world.values()), default=0)):
        chosen.extend((world, models[rank]) for world, models in by_world.items() if rank < len(models))
    repaired = 0
    # The least useful first: `ModelStore.add` puts each at its world's front.
    for world, data in chosen[:limit][::-1]:
        phases = [variable if value else -variable for variable, value in enumerate(data, 1)]
        solver.prefer(phases)
        model = solver.model_of_any([encoding.world_set([world])])
        if model is not None:
            store.add(encoding.world_of(model), model)
            repaired += 1
    return repaired


class EditSolver(LogicSolver):
    """The solver of the updates: every query assumes the epoch, but only the *volatile* symbols'
    activation literals hang on it; the others are facts.

    Why: assuming the epoch makes the solver propagate every activation
    literal it implies (18,000 on Linux x86, and all they imply) again at
    each query and each restart: ~30 ms a query. The symbols an edit can
    re-encode are those of the edited files and the targets of their
    selects and implies (`volatile_names`); every other activation literal
    is a unit clause, fixed once. Learned clauses then lose those literals,
    which is sound as long as none of them is retired: an update that
    retires one (an edit in another file) asks for a new solver (`stale`).
    """

    def __init__(
        self,
        encoding: Encoding,
        volatile_names: Iterable[str],
        is_cancelled: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(encoding, is_cancelled)
        volatile = set(volatile_names)
        self.fixed = frozenset(
            literal
            for name, literal in encoding.activation.items()
            if name not in volatile and literal not in encoding.retired
        )
        for literal in sorted(self.fixed):
            self._solver.add_clause([literal])
        self.robust: set[int] = set()
        """Literals shown to have no model of this solver's clauses with only its facts assumed
        (`prove_robust`): "no" in every formula an edit of the volatile symbols gives it."""

    def none_of(self, literals: Sequence[int], assumptions: Sequence[int], conflicts: int) -> bool | None:
        """Whether no model satisfies any of `literals` (under the assumptions); None: unknown
        after `conflicts` conflicts (the caller then asks in smaller pieces).

        Why: right after an edit the solver has not learnt the new clauses yet,
        and one query for a thousand old "no"s under the violation literal (a
        huge disjunction) took 6-9 s on Linux x86; once learnt, the same query
        takes ~0.1 s.
        """
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()
        self._synchronise()
        self.queries += 1
        selector = self.encoding.new_variable()
        self._solver.add_clause([-selector, *literals])
        self._solver.conf_budget(conflicts)
        satisfied = self._solver.solve_limited(
            assumptions=[selector, *assumptions, *self.encoding.active_assumptions()]
        )
        self._solver.add_clause([-selector])
        return None if satisfied is None else not satisfied

    def none_of_cases(
        self,
        literals: Sequence[int],
        cases: Sequence[int],
        conflicts: int,
        proven: set[int] | None = None,
    ) -> bool | None:
        """`none_of` under each of `cases` in turn (`violation_cases`): whether no model satisfies
        any of `literals` in any case; None: unknown within `conflicts` conflicts a case.

        `proven` collects the cases shown to have no such model (a retry with a larger budget
        skips them). A case's literal is a conjunction: assumed, the solver propagates its
        operands at once, where assuming the disjunction of every case decides nothing.
        """
        done = proven if proven is not None else set()
        unknown = False
        for case in cases:
            if case in done:
                continue
            answer = self.none_of(literals, (case,), conflicts)
            if answer is False:
                return False
            if answer is None:
                unknown = True
            else:
                done.add(case)
        return None if unknown else True

    def prove_robust(self, literals: Sequence[int], conflicts: int) -> int:
        """Add to `robust` the `literals` that no model satisfies with the volatile symbols'
        clauses off (the epoch not assumed: only the facts hold); how many.

        Why it is exact after any edit this solver serves: the proof assumed
        nothing but the query's selector, and the solver only ever gains
        clauses; an update's queries assume the new epoch, which implies
        every fact (an edit retiring a fact makes the solver `stale`, and a
        new one starts with no `robust`). So such a literal is "no" whatever
        clauses an edit gives the volatile symbols, with no query. Measured
        on Linux x86 with mm/Kconfig open: 1,627 of the 1,742 taught select
        "no"s; the first `select` edit's query of the old "no"s under each
        violation case went from 0.9 + 0.5 s to 0.01 s, since the proofs
        the teaching made with the epoch assumed leaned on SWAP's retired
        clauses and were made again. The models found on the way (with the
        volatile clauses off) are not models of the formula: never kept.
        Unknown within `conflicts` (a query): the literals left are not added.
        """
        waiting = set(literals)
        while waiting:
            if self._is_cancelled is not None and self._is_cancelled():
                raise Cancelled()
            self._synchronise()
            self.queries += 1
            asked = sorted(waiting)
            selector = self.encoding.new_variable()
            self._solver.add_clause([-selector, *asked])
            self._solver.set_phases(asked)
            self._solver.conf_budget(conflicts)
            satisfied = self._solver.solve_limited(assumptions=[selector])
            found = self._solver.get_model() if satisfied else None
            self._solver.add_clause([-selector])
            if satisfied is None:
                return 0
            if not satisfied:
                self.robust.update(waiting)
                return len(waiting)
            model = Model(found if found is not None else [])
            shown = [literal for literal in asked if literal in model]
            if not shown:
                return 0  # not a model of the query (never seen): nothing more is proved
            waiting.difference_update(shown)
        return 0

    def warm_up(self) -> None:
        """One query with no question: the solver fixes its facts and propagates them once."""
        self.solvable(())
        self.queries -= 1

    def stale(self, retired: Iterable[int]) -> bool:
        """Whether retiring these activation literals would leave facts the formula no longer has."""
        return any(literal in self.fixed for literal in retired)


def volatile_names(tables: Mapping[str, SymbolTable], paths: Iterable[str]) -> set[str]:
    """The symbols defined in `paths`, and the targets of their selects and implies."""
    wanted = set(paths)
    names: set[str] = set()
    for table in tables.values():
        for semantics in table:
            if any(definition.path in wanted for definition in semantics.definitions):
                names.add(semantics.name)
                names.update(select.target for select in semantics.selects)
                names.update(imply.target for imply in semantics.implies)
    return names


# --- cones: the influence graph ---------------------------------------------------------------


def influence_graph(tables: Mapping[str, SymbolTable]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    grow_influence_graph(graph, tables, None)
    return graph


def grow_influence_graph(
    graph: dict[str, set[str]], tables: Mapping[str, SymbolTable], names: Iterable[str] | None
) -> None:
    for table in tables.values():
        for name in table.symbols if names is None else names:
            if name not in table.symbols:
                continue
            for source in select_module._influences(table, name):
                graph.setdefault(source, set()).add(name)


def closure(graph: Mapping[str, set[str]], roots: Iterable[str]) -> frozenset[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(graph.get(name, ()))
    return frozenset(seen)


def prefiltered_keys(tables: Mapping[str, SymbolTable]) -> set[EdgeKey]:
    """The selects `analyse_selects` answers without the solver (kept for the counts)."""
    keys: set[EdgeKey] = set()
    solved: set[EdgeKey] = set()
    for table in tables.values():
        for semantics in table:
            for select in semantics.selects:
                target = table.get(select.target)
                if target is None or target.type not in ("bool", "tristate") or target.choice is not None:
                    continue
                key = (select.selector, select.target, select.location.path, select.location.span.start)
                dependency = target.direct_dependency
                in_choice = semantics.choice is not None
                if dependency == TRUE or (
                    not in_choice and select_module._implied_syntactically(select.condition, dependency)
                ):
                    keys.add(key)
                else:
                    solved.add(key)
    return keys - solved

"""The selects asked again after an edit (for `logic.incremental_logic`).

Split from `incremental_logic` (which decides what an edit affects): which
selects are asked again, how (as a cold run would, or under the violation
literal, or answered by a kept witness) and with which batches.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from kconfig_ls.logic import incremental_pruning as pruning
from kconfig_ls.logic import select_analysis as select_module
from kconfig_ls.logic.kept_models import StoredModel
from kconfig_ls.logic.select_analysis import EdgeKey
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import ReverseDependencySemantics, SymbolSemantics, SymbolTable
from kconfig_ls.syntax.expression import TRUE, Expression, referenced_symbols

if TYPE_CHECKING:
    from kconfig_ls.logic.incremental_logic import _State

__all__ = ["QuestionCache", "recheck_selects"]


def recheck_selects(
    state: _State,
    old_tables: Mapping[str, SymbolTable],
    affected: frozenset[str],
    rebuilt: frozenset[str],
    violation: int | None,
    cases: tuple[int, ...] = (),
    known: Iterable[EdgeKey] | None = None,
) -> tuple[int, frozenset[EdgeKey]]:
    """Ask again the selects whose question's cone holds an affected symbol; drop vanished ones.

    Returns how many were asked, and their keys (only their verdicts, and those of the vanished
    selects, may differ from before: the caller compares those alone).

    A select's question is "can SELECTOR && condition exceed TARGET's
    dependency?": its cone is that of the selector (with its dependencies),
    of the select's own `if` and of the target's dependency, not the
    target's own (which holds every other selector of the target). So a
    select is asked again when its selector is affected, an operand of its
    `if` or of its target's dependency is, its target was re-encoded, or it
    is new; every other verdict is kept.

    Of those, a select which is new, which had a finding, or whose question
    is not the one it was (its condition or its target's dependency differ
    in some world) is asked as a cold run would; the others (the many that
    had no finding and ask what they asked) are asked all at once under
    `violation` (see `incremental_pruning.violation_literal`): usually one
    "no" keeps every one of them. A select added to COMPACTION changes
    MIGRATION's clauses, not the question of MIGRATION's other selects.
    `cases` are the violation's disjuncts (`incremental_pruning.violation_cases`):
    the one query is asked under each in turn (`EditSolver.none_of_cases`).
    `known`: the analysed selects whose target is affected, when the caller has them (a scan
    of every verdict less: ~14,000 on Linux x86).
    """
    encoding = state.encoding
    chosen: set[EdgeKey] = set()
    # The worlds share their expressions (`build_symbol_table`'s memo): what is read of one is
    # read once, by identity (the tables hold the expressions while this runs).
    operands: dict[int, frozenset[str]] = {}

    def referenced(expression: Expression) -> frozenset[str]:
        found = operands.get(id(expression))
        if found is None:
            found = operands[id(expression)] = frozenset(referenced_symbols(expression))
        return found

    # id of a select (the worlds share them; the tables hold them while this runs) -> its key.
    edge_keys: dict[int, EdgeKey] = {}
    # Each affected target's selects and dependency once, with the worlds whose tables hold those
    # objects, in the tables' order: every world has a semantics object of its own for a symbol,
    # but they share its selects and its dependency (Linux's 21 worlds: 360,000 symbols, 25,000
    # distinct dependencies; a select is one object in every world), and whether a select is
    # asked, and what, depends on those alone (4,600 selects of mm/Kconfig's cone were looked at
    # world by world: ~0.6 s of a `select` edit's update).
    groups_by_identity: dict[tuple[object, ...], tuple[SymbolSemantics, list[str]]] = {}
    world_order = {world: index for index, world in enumerate(state.tables)}
    for world, table in state.tables.items():
        symbols = table.symbols
        for target_name in affected:
            target = symbols.get(target_name)
            if target is None or target.type not in ("bool", "tristate") or target.choice is not None:
                continue
            identity = (target_name, id(target.direct_dependency), *map(id, target.selected_by))
            seen = groups_by_identity.get(identity)
            if seen is not None:
                seen[1].append(world)
                continue
            groups_by_identity[identity] = (target, [world])
            dependency_operands: frozenset[str] | None = None
            for select in target.selected_by:
                key = edge_keys.get(id(select))
                if key is None:
                    location = select.location
                    key = (select.selector, select.target, location.path, location.span.start)
                    edge_keys[id(select)] = key
                if key in chosen:
                    continue
                if dependency_operands is None:
                    dependency_operands = referenced(target.direct_dependency)
                if (
                    key not in state.verdicts
                    or select.selector in affected
                    or target_name in rebuilt
                    or not dependency_operands.isdisjoint(affected)
                    or not affected.isdisjoint(referenced(select.own_condition))
                ):
                    chosen.add(key)
    # The chosen selects' occurrences: (worlds, target's dependency, select) for each group.
    occurrences: dict[EdgeKey, list[tuple[list[str], Expression, ReverseDependencySemantics]]] = {}
    present: set[EdgeKey] = set()
    for target, worlds in groups_by_identity.values():
        dependency = target.direct_dependency
        for select in target.selected_by:
            key = edge_keys[id(select)]
            present.add(key)
            if key in chosen:
                occurrences.setdefault(key, []).append((worlds, dependency, select))
    if known is None:
        known = [key for key in state.verdicts if key[1] in affected]
    for key in [key for key in known if key not in present]:
        del state.verdicts[key]  # the select is gone
        state.prefiltered.discard(key)
    locations: dict[EdgeKey, Location] = {}
    old_unmet = {key: verdict.worlds for key in chosen if (verdict := state.verdicts.get(key)) is not None}
    new_keys = {key for key in chosen if key not in state.verdicts}
    cache = state.question_cache
    # Grouped by the identity of the expressions first (the worlds share them), then by value:
    # hashing a frozen expression walks all of it, once per world (31,000 times after an edit
    # of mm/Kconfig over Linux's 21 worlds) where once per distinct pair is enough.
    by_identity: dict[EdgeKey, dict[tuple[int, int], tuple[Expression, Expression, list[str]]]] = {}
    # The select as the cold run reads it (its first occurrence, in the tables' order of
    # worlds): a bool choice member selects under the select's own condition
    # (`Encoding.select_pair`'s `reverse`).
    reverses: dict[EdgeKey, ReverseDependencySemantics] = {}
    for key in chosen:
        state.verdicts[key] = None
        state.prefiltered.discard(key)
        occurring = occurrences[key]
        if len(occurring) > 1:
            # The worlds differ in the target's selects or dependency: the first world's select
            # as the cold run reads it, the last one's location, and each pair's worlds in order.
            firsts = [world_order[worlds[0]] for worlds, _, _ in occurring]
            lasts = [world_order[worlds[-1]] for worlds, _, _ in occurring]
            reverses[key] = occurring[firsts.index(min(firsts))][2]
            locations[key] = occurring[lasts.index(max(lasts))][2].location
        else:
            reverses[key] = occurring[0][2]
            locations[key] = occurring[0][2].location
        for worlds, dependency, select in occurring:
            if dependency == TRUE:
                state.prefiltered.add(key)
                continue
            condition = select.condition
            implied = cache.implied(condition, dependency)
            for world in worlds:
                if implied:
                    # Implied: a "no", unless the selector is a choice member in this world.
                    selector = state.tables[world].get(select.selector)
                    if selector is None or selector.choice is None:
                        state.prefiltered.add(key)
                        continue
                pairs = by_identity.setdefault(key, {})
                pair = pairs.get((id(condition), id(dependency)))
                if pair is None:
                    pairs[(id(condition), id(dependency))] = (condition, dependency, [world])
                else:
                    pair[2].append(world)
        if len(occurring) > 1 and key in by_identity:
            for pair in by_identity[key].values():
                pair[2].sort(key=world_order.__getitem__)
    groups = {key: _by_meaning(pairs, state.tables) for key, pairs in by_identity.items()}
    for key in groups:
        state.prefiltered.discard(key)
    direct: list[select_module._Pending] = []
    restricted: list[select_module._Pending] = []
    holding: dict[EdgeKey, set[str]] = {}
    first: dict[EdgeKey, tuple[Container[int], Expression, Expression]] = {}
    models = state.models
    assert models is not None
    for key, by_meaning in groups.items():
        same_question = key not in new_keys and (
            (key[0] not in rebuilt and key[1] not in rebuilt) or _questions_of(old_tables, key) == by_meaning
        )
        if violation is not None and same_question and key in old_unmet:
            # A finding asking what it asked: its kept witnesses that the edit did not break
            # answer for their worlds; the other worlds it held in are asked again, and those
            # where it did not hold are asked under the violation, as the old "no"s are.
            _recheck_finding(
                state,
                key,
                by_meaning,
                old_unmet[key],
                violation,
                (holding, first, direct, restricted),
                reverses[key],
            )
            continue
        asked_directly = violation is None or key in old_unmet or not same_question
        if not asked_directly and violation == -TRUE_LITERAL:
            continue  # no clause changed its meaning: the "no" stands
        for (condition, dependency), worlds in by_meaning.items():
            question = cache.question(encoding, key, condition, dependency, worlds[0], reverses[key])
            if asked_directly:
                # A kept witness of the select that satisfies the new question answers too.
                worlds = _unwitnessed(state, key, question, condition, dependency, worlds, holding, first)
                if not worlds:
                    continue
            guarded = encoding.conjoin((question, encoding.world_set(worlds)))
            if guarded != -TRUE_LITERAL:
                item = select_module._Pending(key, condition, dependency, guarded, guarded)
                (direct if asked_directly else restricted).append(item)
    solver = state.solver
    assert solver is not None
    _ask_selects(state, direct, (), _RECHECK_BATCH, holding, first)
    if isinstance(solver, pruning.EditSolver) and solver.robust:
        # "No" whatever the edit did to the volatile symbols (`EditSolver.prove_robust`).
        restricted = [item for item in restricted if item.literal not in solver.robust]
    if restricted and violation is not None:
        # All of them in one query first (usually one "no"); a query the solver cannot settle
        # within a budget (right after an edit) is asked again in batches.
        literals = [item.literal for item in restricted]
        settled: bool | None = False
        if isinstance(solver, pruning.EditSolver):
            # Unknown within the budget: asked again with 4 times more, the solver keeping what
            # it learnt, up to `_CONFLICTS_RETRY`; the next update starts from the budget that
            # sufficed. Why: the first `select` edit of mm/Kconfig on Linux x86 ran out of 1,000
            # conflicts and asked 45 batches (10.8 s CPU, 46 queries; retried: 9.9 s, 27 queries).
            proven: set[int] = set()
            while True:
                settled = solver.none_of_cases(literals, cases or (violation,), state.conflicts, proven)
                if settled is not None or state.conflicts >= _CONFLICTS_RETRY:
                    break
                state.conflicts = min(state.conflicts * 4, _CONFLICTS_MAX)
            if settled is None:
                state.conflicts = min(state.conflicts * 4, _CONFLICTS_MAX)
        if not settled:
            _ask_selects(state, restricted, (violation,), _RESTRICTED_BATCH, holding, first)
    for key, (found, condition, dependency) in first.items():
        finding = _explained(state, key, locations[key], found, condition, dependency)
        state.verdicts[key] = replace(finding, worlds=tuple(sorted(holding[key])))
    # An explanation read from a model the store no longer holds can never be reused (a witness
    # is always read from the store): dropped, so that it does not keep the model alive.
    for key, explained in list(state.explained.items()):
        explained[:] = [entry for entry in explained if models.holds_data(entry[0])]
        if not explained:
            del state.explained[key]
    return len(locations), frozenset(chosen)


def _explained(
    state: _State,
    key: EdgeKey,
    location: Location,
    found: Container[int],
    condition: Expression,
    dependency: Expression,
) -> select_module.UnmetSelect:
    """`select_analysis._finding`, reused while its witness is the same kept model and its cone stands.

    Why: every finding whose target an edit affects is explained again, and
    its witness reads each settable symbol of its cone in the model (~870 on
    Linux x86: ~1 ms a finding, 25 findings after a `select` edit of
    mm/Kconfig). The finding reads only the model, the select's condition and
    its target's dependency (the same objects: the same expressions), and the
    settable symbols of the cone (`ConeCache.settable_cone` gives the same set
    object while the cone stands); its location is the select's own.
    """
    encoding = state.encoding
    world = encoding.world_of(found)
    roots = (key[0], *referenced_symbols(condition), *referenced_symbols(dependency))
    settable = state.cones.settable_cone(encoding.tables[world], roots)
    if not isinstance(found, StoredModel):
        # A model the solver just found (a new object, and a large one: not kept).
        return select_module._finding(encoding, key, location, found, condition, dependency, state.cones)
    identity = found.data
    kept = state.explained.setdefault(key, [])
    for entry in kept:
        if entry[0] is identity and entry[1] is condition and entry[2] is dependency and entry[3] is settable:
            finding = entry[4]
            break
    else:
        finding = select_module._finding(encoding, key, location, found, condition, dependency, state.cones)
        # The last two (an edit and its undo each find theirs, as `ConeCache` keeps two cones).
        kept.insert(0, (identity, condition, dependency, settable, finding))
        del kept[2:]
    return finding if finding.location == location else replace(finding, location=location)


def _by_meaning(
    pairs: Mapping[tuple[int, int], tuple[Expression, Expression, list[str]]], worlds: Iterable[str]
) -> dict[tuple[Expression, Expression], list[str]]:
    """The worlds of a select grouped by the value of its condition and its target's dependency,
    in the order a grouping by value world after world gives (`_questions_of` compares them)."""
    if len(pairs) == 1:
        ((condition, dependency, found),) = pairs.values()
        return {(condition, dependency): found}
    by_meaning: dict[tuple[Expression, Expression], list[str]] = {}
    for condition, dependency, found in pairs.values():
        by_meaning.setdefault((condition, dependency), []).extend(found)
    if len(by_meaning) < len(pairs):
        order = {world: index for index, world in enumerate(worlds)}
        for found in by_meaning.values():
            found.sort(key=order.__getitem__)
    return by_meaning


class QuestionCache:
    """Select questions and pre-filter verdicts kept between updates, by identity of the expressions.

    Why: a `select` edit of mm/Kconfig re-asks ~4,300 selects on Linux x86,
    nearly all with the condition and dependency objects of the update
    before (the tables share the semantics an edit left alone); building
    their gates and testing the pre-filter again was ~0.1 s of an update's
    0.4 s. An entry holds its expressions (and its select), so an id is never
    reused while it is kept, as `Encoding.pair` keeps them; the gates are
    interned, so a kept literal is the one building the question again gives.
    """

    _LIMIT = 200_000
    """Entries kept at most (then all are dropped: ~14,000 selects on Linux x86)."""

    def __init__(self) -> None:
        self._implied: dict[tuple[int, int], tuple[Expression, Expression, bool]] = {}
        self._questions: dict[
            tuple[str, int, int, int, str],
            tuple[Expression, Expression, ReverseDependencySemantics | None, int],
        ] = {}

    def implied(self, condition: Expression, dependency: Expression) -> bool:
        """`select_analysis._implied_syntactically`, once per pair of expressions."""
        identity = (id(condition), id(dependency))
        found = self._implied.get(identity)
        if found is None:
            if len(self._implied) > self._LIMIT:
                self._implied.clear()
            found = (condition, dependency, select_module._implied_syntactically(condition, dependency))
            self._implied[identity] = found
        return found[2]

    def question(
        self,
        encoding: Encoding,
        key: EdgeKey,
        condition: Expression,
        dependency: Expression,
        world: str,
        reverse: ReverseDependencySemantics | None,
    ) -> int:
        """`_select_question`, once per selector, expressions, select and world."""
        identity = (key[0], id(condition), id(dependency), id(reverse), world)
        found = self._questions.get(identity)
        if found is None:
            if len(self._questions) > self._LIMIT:
                self._questions.clear()
            literal = _select_question(encoding, key, condition, dependency, world, reverse)
            found = (condition, dependency, reverse, literal)
            self._questions[identity] = found
        return found[3]


def _recheck_finding(
    state: _State,
    key: EdgeKey,
    by_meaning: Mapping[tuple[Expression, Expression], list[str]],
    old_worlds: Iterable[str],
    violation: int,
    collected: tuple[
        dict[EdgeKey, set[str]],
        dict[EdgeKey, tuple[Container[int], Expression, Expression]],
        list[select_module._Pending],
        list[select_module._Pending],
    ],
    reverse: ReverseDependencySemantics,
) -> None:
    """Re-ask a finding whose question is unchanged: kept witnesses first (see `recheck_selects`).

    `collected`: where `recheck_selects` gathers the worlds held, the first models, and the
    selects to ask directly and under the violation.
    """
    holding, first, direct, restricted = collected
    encoding = state.encoding
    models = state.models
    assert models is not None
    held = set(old_worlds)
    for (condition, dependency), worlds in by_meaning.items():
        question = state.question_cache.question(encoding, key, condition, dependency, worlds[0], reverse)
        was_held = [world for world in worlds if world in held]
        unconfirmed = _unwitnessed(state, key, question, condition, dependency, was_held, holding, first)
        others = [world for world in worlds if world not in held]
        for asked, chosen_worlds in ((direct, unconfirmed), (restricted, others)):
            if asked is restricted and violation == -TRUE_LITERAL:
                continue  # no clause changed its meaning: the "no" stands
            guarded = encoding.conjoin((question, encoding.world_set(chosen_worlds)))
            if chosen_worlds and guarded != -TRUE_LITERAL:
                asked.append(select_module._Pending(key, condition, dependency, guarded, guarded))


def _unwitnessed(
    state: _State,
    key: EdgeKey,
    question: int,
    condition: Expression,
    dependency: Expression,
    worlds: list[str],
    holding: dict[EdgeKey, set[str]],
    first: dict[EdgeKey, tuple[Container[int], Expression, Expression]],
) -> list[str]:
    """The worlds where no kept model shows the select's question; the others are recorded as held.

    The select's own witness in the world first, then any kept model of the world
    (`ModelStore.model_satisfying`, which becomes its witness there): every kept model is a
    model of the current formula (`ModelStore.keep_valid`), so one that satisfies the question
    is what the solver would have found, without the query.
    """
    models = state.models
    assert models is not None
    left: list[str] = []
    for world in worlds:
        stored = models.witness(key, world, question)
        if stored is None:
            data = models.model_satisfying(world, question)
            if data is None:
                left.append(world)
                continue
            models.add_witness_data(key, world, data)
            stored = StoredModel(models, data)
        holding.setdefault(key, set()).add(world)
        first.setdefault(key, (stored, condition, dependency))
    return left


def _select_question(
    encoding: Encoding,
    key: EdgeKey,
    condition: Expression,
    dependency: Expression,
    world: str,
    reverse: ReverseDependencySemantics | None,
) -> int:
    """The literal "SELECTOR && condition exceeds the dependency" (`select_analysis.analyse_selects`).

    `reverse` is the select (as the cold run passes it): without it, a bool choice member's
    select counted as y wherever its condition is m, and a select of USB_G_DBGP_SERIAL
    (`depends on USB_G_DBGP`, m, in its choice) re-asked after an edit was reported unmet
    where the cold run finds it met.
    """
    modules = encoding.modules_literal(world)
    selected = encoding.select_pair(key[0], condition, world, reverse=reverse)
    required = encoding.pair(dependency, modules)
    return encoding.disjoin(
        (
            encoding.conjoin((selected[0], -required[0])),
            encoding.conjoin((selected[1], -required[1])),
        )
    )


def _questions_of(
    tables: Mapping[str, SymbolTable], key: EdgeKey
) -> dict[tuple[Expression, Expression], list[str]]:
    """What the select `key` asks in each world of `tables` (as `recheck_selects` groups it).

    Only a select whose selector or target was re-encoded can ask something
    else than before: the question reads the select's condition (with its
    selector's dependencies) and its target's dependency, nothing else.
    """
    by_meaning: dict[tuple[Expression, Expression], list[str]] = {}
    for world, table in tables.items():
        target = table.get(key[1])
        if target is None or target.type not in ("bool", "tristate") or target.choice is not None:
            continue
        for select in target.selected_by:
            where = (select.selector, select.location.path, select.location.span.start)
            if where != (key[0], key[2], key[3]):
                continue
            selector = table.get(select.selector)
            dependency = target.direct_dependency
            in_choice = selector is not None and selector.choice is not None
            if dependency == TRUE or (
                not in_choice and select_module._implied_syntactically(select.condition, dependency)
            ):
                continue
            by_meaning.setdefault((select.condition, dependency), []).append(world)
    return by_meaning


def _ask_selects(
    state: _State,
    pending: list[select_module._Pending],
    assumptions: tuple[int, ...],
    batch_size: int,
    holding: dict[EdgeKey, set[str]],
    first: dict[EdgeKey, tuple[Container[int], Expression, Expression]],
) -> None:
    """Ask `pending` in batches: each model settles the selects it satisfies, a "no" all the rest.

    Under `assumptions` (the violation literal) a model is still a model of the
    formula, so what it satisfies holds; in the other worlds of a select found
    that way the old answer was "no" too, so the assumption still applies there.
    """
    encoding = state.encoding
    solver = state.solver
    models = state.models
    assert solver is not None and models is not None
    packer = pruning.Packer()
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        while batch:
            literals = [item.literal for item in batch]
            if not assumptions:
                # One model then shows as many of them as it can (a "no" stays one query).
                solver.prefer(literals)
            found = solver.model_of_any(literals, assumptions)
            if found is None:
                break
            world = encoding.world_of(found)
            still: list[select_module._Pending] = []
            for item in batch:
                if item.literal == TRUE_LITERAL or item.literal in found:
                    holding.setdefault(item.key, set()).add(world)
                    models.add_witness(item.key, world, found, packer)
                    first.setdefault(item.key, (found, item.condition, item.dependency))
                    item.literal = encoding.conjoin((item.literal, -encoding.world_variable[world]))
                    if item.literal == -TRUE_LITERAL:
                        continue
                still.append(item)
            batch = still


_CONFLICTS = 1000
_CONFLICTS_MAX = 64000
"""The conflicts first allowed to the one query for every old "no" select under the violation
(~0.1-1 s on Linux x86), and at most (each update that runs out allows 4 times more)."""

_CONFLICTS_RETRY = 16000
"""The largest budget the one query is asked with again within an update."""

_RESTRICTED_BATCH = 64
"""Old "no" selects asked in one query under the violation when the one query ran out."""

_RECHECK_BATCH = 32
"""Selects asked about in one query after an edit. Larger than a cold run's batches
(`select_analysis.BATCH`): the incremental solver assumes the epoch at every query, so
the per-query cost dominates, and most re-asked selects keep their "no"."""

"""The edit solver taught the old "no"s before the first edit (for `IncrementalLogic.prepare`).

An update asks every old "no" in the edit's cone again in one query, under
each way the edit can break an old clause (`EditSolver.none_of_cases`). The
solver of the updates is a new one (`EditSolver`: the symbols of the open
files volatile), which never proved those "no"s: the cold run's solver did,
and its learned clauses assumed every symbol's clauses for good. So the
first edit of a file paid for the proofs again: on Linux x86 a `select SWAP`
added to COMPACTION cost 8-11 s CPU, ~8 s of them in that one query; the
same edit again (the solver has learnt) ~0.1 s.

`teach_old_answers` asks the same questions before any edit, in the
background: every select without a finding and every dead liveness
question, in chunks, each "no" proved once. What the solver learns from
the clauses that no edit of the open files retires stays valid (a learned
clause that used a volatile symbol's clauses carries its activation
literal), so the first edit's query mostly finds its proofs made. Nothing
is decided here: an answer that is not the old one (impossible while the
formula is the one the answers came from) or a chunk the budget does not
settle is left to the update, which asks as before. Measured (CPU, mm/Kconfig
open): the teaching is 5-8 s on Linux x86 and ~30 s on its 21 worlds, in
the background; the first `select` edit went from 8-11 s to 3.4-3.9 s on x86.

The selects are first asked with the volatile symbols' clauses off
(`EditSolver.prove_robust`): a "no" that holds then holds after any edit of
the open files, and the update leaves it out of its query under the
violation cases. Those proofs were the costly part of the first edit: the
teaching's, made with the epoch assumed, leaned on clauses the edit retires
(SWAP's, after a `select SWAP` added to COMPACTION) and were made again
(1.4 s of the first edit's CPU on Linux x86; 0.01 s once robust). Only the
others are then taught under the epoch.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import TYPE_CHECKING

from kconfig_ls.logic import liveness as liveness_module
from kconfig_ls.logic import select_analysis as select_module
from kconfig_ls.logic.incremental_selects import _select_question
from kconfig_ls.logic.select_analysis import EdgeKey
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import TRUE

if TYPE_CHECKING:
    from kconfig_ls.logic.incremental_liveness import QuestionKey
    from kconfig_ls.logic.incremental_pruning import EditSolver
    from kconfig_ls.logic.select_analysis import UnmetSelect

__all__ = ["teach_old_answers"]

_CHUNK = 512
"""Questions asked in one query (one "no" for all of them). Linux x86's ~2,350 selects without a
finding: one query 14-16 s CPU, chunks of 1,024 8.4 s, of 512 8.7 s (the dead questions: 0.04 s);
512 keeps a cancelled teaching's wait short."""

_CONFLICTS = 200_000
"""The budget of one chunk (beyond it the chunk is left unproved: the update asks it)."""


def teach_old_answers(
    solver: EditSolver,
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    verdicts: Mapping[EdgeKey, UnmetSelect | None],
    dead: Mapping[QuestionKey, object],
    reach: Container[str],
) -> int:
    """Prove to `solver` the old "no"s of the selects and dead questions about `reach`; the
    chunks proved.

    `reach`: what the volatile symbols influence (an edit of the open files re-asks nothing
    else: a select is re-asked when its target is affected, a liveness question when its
    symbol is). Raises the solver's `Cancelled` between two queries when its token is set.
    """
    proved = 0
    selects = _select_literals(encoding, tables, verdicts, reach)
    # First with the volatile clauses off (`EditSolver.prove_robust`): most of these "no"s hold
    # whatever an edit of the open files does, and an update then skips them; the rest are
    # taught under the epoch, as before.
    for start in range(0, len(selects), _CHUNK):
        solver.prove_robust(selects[start : start + _CHUNK], _CONFLICTS)
    selects = [literal for literal in selects if literal not in solver.robust]
    for literals in (selects, _dead_literals(encoding, tables, dead, reach)):
        for start in range(0, len(literals), _CHUNK):
            if solver.none_of(literals[start : start + _CHUNK], (), _CONFLICTS):
                proved += 1
    return proved


def _select_literals(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    verdicts: Mapping[EdgeKey, UnmetSelect | None],
    reach: Container[str],
) -> list[int]:
    """The question of every select without a finding, once per literal (the worlds share most)."""
    worlds_of: dict[int, list[str]] = {}
    for world, table in tables.items():
        for semantics in table:
            for select in semantics.selects:
                if select.target not in reach:
                    continue
                target = table.get(select.target)
                if target is None or target.type not in ("bool", "tristate") or target.choice is not None:
                    continue
                key = (select.selector, select.target, select.location.path, select.location.span.start)
                dependency = target.direct_dependency
                if key not in verdicts or verdicts[key] is not None or dependency == TRUE:
                    continue
                if semantics.choice is None and select_module._implied_syntactically(
                    select.condition, dependency
                ):
                    continue  # pre-filtered, as the cold run does (never a choice member's)
                question = _select_question(encoding, key, select.condition, dependency, world, select)
                if question != -TRUE_LITERAL:
                    worlds_of.setdefault(question, []).append(world)
    literals: list[int] = []
    for question, worlds in worlds_of.items():
        guarded = encoding.conjoin((question, encoding.world_set(worlds)))
        if guarded != -TRUE_LITERAL:
            literals.append(guarded)
    return literals


def _dead_literals(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    dead: Mapping[QuestionKey, object],
    reach: Container[str],
) -> list[int]:
    """Each dead question's literal in each world, under its world."""
    from kconfig_ls.logic.incremental_liveness import question_key

    names = {key[1] for key in dead if key[1] in reach}
    restricted = {world: table.restricted(names) for world, table in tables.items()}
    literals: list[int] = []
    for question in liveness_module._questions(encoding, restricted):
        if question_key(question) not in dead:
            continue
        for world, literal in question.literal_by_world.items():
            if literal != -TRUE_LITERAL:
                literals.append(encoding.conjoin((literal, encoding.world_variable[world])))
    return literals

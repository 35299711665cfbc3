"""Settling the block questions: which literals can hold on the formula, answered in bulk and kept.

Split from `kconfig_ls.logic.dead_blocks`, which builds the questions (one
literal each: "this branch can be compiled here") and turns the impossible
ones into findings. Here they are answered: a few steered models first
(`_sample`: each model settles thousands), then window by window. The
answers are kept with the solver on the formula (`KeptSolver`), so the
re-check of one edited C file asks only what it has not asked before.

Two cores: a whole tree's files are split in two shares before their
questions are built, and a forked child builds, settles and explains its
share (`logic.block_analysis`); each process settles its own questions here.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable, Mapping

from kconfig_ls.logic import block_hints
from kconfig_ls.logic.solver import LogicSolver, Model
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding

__all__ = ["KeptSolver", "kept_solver", "settle"]

_LOG = logging.getLogger(__name__)


def settle(
    encoding: Encoding,
    kept: KeptSolver,
    files: list[list[int]],
    hints: Mapping[int, tuple[int, ...]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Answer every open question literal of the files: possible or impossible, kept in `kept`.

    A literal folded to a constant needs no answer, and one asked before on this formula (the
    same condition in the same kind of place: interning gives it the same literal) has its
    answer kept. The open ones: a few steered models first (`_sample`), then window by
    window (`_settle_open`). `progress(settled, open)` is called as they are settled.
    """
    answered = kept.answered
    pending = list(
        dict.fromkeys(
            literal
            for literals in files
            for literal in literals
            if abs(literal) != TRUE_LITERAL and not answered(literal)
        )
    )
    _settle_open(encoding, kept, pending, hints, progress)


def _settle_open(
    encoding: Encoding,
    kept: KeptSolver,
    pending: list[int],
    hints: Mapping[int, tuple[int, ...]],
    progress: Callable[[int, int], None] | None,
) -> None:
    """Settle `pending` (open, distinct, in file order): sampling, then windows."""
    solver = kept.solver
    possible, impossible = kept.possible, kept.impossible
    unsettled = set(pending)
    if len(unsettled) > _SAMPLE_ABOVE:
        unsettled = _sample(encoding, kept, pending, hints, progress)
    _LOG.debug("blocks: %d open literals, %d after sampling", len(pending), len(unsettled))
    # Then window by window, in file order (a file's questions and its neighbours' share
    # symbols): a model per "at least one of the window" settles what it satisfies; the
    # first "no" proves the rest of the window impossible at once.
    pending = [literal for literal in pending if literal in unsettled]
    for first in range(0, len(pending), _WINDOW):
        if progress is not None:
            progress(len(pending) - len(unsettled), len(pending))
        window = [literal for literal in pending[first : first + _WINDOW] if literal in unsettled]
        while window:
            solver.prefer([*block_hints.votes(hints, window), *window])
            model = solver.model_of_any(window)
            if model is None:
                impossible.update(window)
                unsettled.difference_update(window)
                break
            # Every open question is checked against the model (a lookup each; a query is
            # 40-70 ms on the all-architecture formula).
            held, _ = _partition(model, unsettled)
            unsettled.difference_update(held)
            possible.update(held)
            window = [literal for literal in window if literal in unsettled]


_WINDOW = 256
"""Open literals asked together after sampling (one proof of "impossible" for all of them)."""
_SAMPLE_ABOVE = 200
"""Fewer open questions than this (one edited file) go straight to the file-by-file loop."""


class KeptSolver:
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
        self.wanted: dict[int, tuple[int, ...]] | None = None
        """In a dry pass of the explanations: the unknown questions asked (guessed possible), their hints."""

    def answered(self, literal: int) -> bool:
        return literal in self.possible or literal in self.impossible

    def _cancelled(self) -> bool:
        return self.is_cancelled is not None and self.is_cancelled()


def kept_solver(encoding: Encoding) -> KeptSolver:
    with _KEPT_LOCK:
        kept = getattr(encoding, _KEPT_ATTRIBUTE, None)
        if not isinstance(kept, KeptSolver) or kept.epoch != encoding.epoch:
            if isinstance(kept, KeptSolver):
                with kept.lock:
                    kept.solver.close()
            kept = KeptSolver(encoding)
            setattr(encoding, _KEPT_ATTRIBUTE, kept)
        return kept


_KEPT_ATTRIBUTE = "_dead_blocks_solver"
_KEPT_LOCK = threading.Lock()


def _sample(
    encoding: Encoding,
    kept: KeptSolver,
    questions: list[int],
    hints: Mapping[int, tuple[int, ...]],
    progress: Callable[[int, int], None] | None,
) -> set[int]:
    """Settle most questions with few steered models; the ones left open.

    A solver query on the all-architecture formula costs tens of milliseconds whatever it
    asks (it assigns every variable), so each model must settle as many questions as it
    can. Each round takes, in a shuffled order, the open questions whose phase hints agree
    (`block_hints.consistent_choice`), in one world (the rounds go through the worlds in
    turn: a model is in one world), over a base that leans every symbol n (measured: a base
    of y settles as many but costs three times the conflicts), and asks for "at least one
    of them"; the model is then checked against every open question (a lookup each, far
    cheaper than a query). A "no" proves every
    chosen question impossible. Stops when the last rounds settle less than one question
    each: the rest go to the windows of `_settle_open`. On Linux's x86 build: 41,000 open
    questions, 29,000 settled by the first 40 models, 40,000 by 400 (the former majority
    vote over windows of 2,000 settled 9,000 and stalled).
    """
    solver = kept.solver
    randomness = random.Random(0)
    negated = [-literal for pair in encoding.symbol_variables.values() for literal in pair]
    worlds = [encoding.world_variable[world] for world in encoding.worlds]
    excluded = block_hints.excluded_by_world(encoding)
    negations = {question: tuple(-hint for hint in hints.get(question, ())) for question in questions}
    gains: list[int] = []
    total = len(questions)
    for round_number in range(_SAMPLES):
        if not questions:
            break
        if progress is not None:
            progress(total - len(questions), total)
        recent = gains[-_STALL_ROUNDS:]
        if len(recent) == _STALL_ROUNDS and sum(recent) < _STALL_ROUNDS:
            break
        world = worlds[round_number % len(worlds)]
        others = [other for other in worlds if other != world]
        order = list(questions)
        randomness.shuffle(order)
        chosen, phases = block_hints.consistent_choice(hints, order, world, excluded[world], negations)
        if not chosen:
            gains.append(0)
            continue
        solver.prefer([*negated, *(-other for other in others), *phases])
        model = solver.model_of_any(chosen)
        before = len(questions)
        if model is None:
            kept.impossible.update(chosen)
            refuted = frozenset(chosen)
            questions = [literal for literal in questions if literal not in refuted]
        else:
            held, questions = _partition(model, questions)
            kept.possible.update(held)
        gains.append(before - len(questions))
    _LOG.debug("blocks: %d sampling rounds settled %s", len(gains), gains)
    return set(questions)


def _partition(model: Model, literals: Iterable[int]) -> tuple[list[int], list[int]]:
    """The literals true in the model, and the others, in order.

    Read from the model's values directly (`Model.__contains__` without its call; a set
    of the model costs more than the lookups): every open question of every model.
    """
    values = model.values
    size = len(values)
    held: list[int] = []
    others: list[int] = []
    take, leave = held.append, others.append
    for literal in literals:
        index = (literal if literal > 0 else -literal) - 1
        (take if index < size and values[index] == literal else leave)(literal)
    return held, others


_SAMPLES = 1000
_STALL_ROUNDS = 42
"""Sampling stops when this many rounds in a row settled fewer questions than rounds."""

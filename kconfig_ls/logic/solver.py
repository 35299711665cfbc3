"""The SAT solver, walled in: the one module that imports python-sat.

Why python-sat with CaDiCaL: a wheel on PyPI for every platform we ship to,
no native build; CaDiCaL 1.9.5 is among the fastest incremental solvers and
supports assumptions, which is how every query here is asked (the formula
never changes for a query: its question is a list of assumed literals).

`LogicSolver` wraps one solver over one `Encoding`:

- `satisfiable(assumptions)` adds the encoding's new clauses (queries build
  gates) and solves under the assumptions plus every active symbol's
  activation literal; it returns the model as a set of true literals, or
  None.
- `is_cancelled` is called before each query; a true answer raises
  `Cancelled`, so a background job stops between two queries (a single
  query takes milliseconds).
- Incremental edits: `Encoding.reencode_symbol` retires a symbol's clauses
  (its activation literal is no longer assumed) and adds new ones; the next
  query takes them.
- `batch=True` is for a whole analysis over an encoding nobody edits while
  it runs: the epoch is asserted as a unit clause instead of assumed, so
  the solver fixes every activation literal once, at level 0, instead of
  propagating 18,000 of them (and everything they imply) at every query.
  Measured on Linux x86's 3,011 select queries (CPU): CaDiCaL 1.9.5 19.3 s
  assumed, 7.3 s asserted; Glucose 4 8.6 s and 4.3 s; MiniSat 2.2 5.1 s
  asserted. Should the encoding be edited anyway (a new epoch), the
  solver is rebuilt from the encoding's clauses before the next query.
- The default solver is Glucose 4 (`BATCH_SOLVER`): on these many small
  incremental queries it beats CaDiCaL, whose inprocessing pays off only
  on hard instances (replayed coreboot select queries, CPU: Glucose 4 8.6 s,
  MiniSat 8.7 s, Glucose 3 8.8 s, CaDiCaL 15.5 s).
- `model_of_any` gives the model as the solver does (`Model`, a list read
  literal by literal): a set of every literal of the all-architecture
  formula cost ~5 ms a query, more than many queries.
- `park` and `reuse`: the liveness analysis takes over the solver the
  select analysis loaded the same formula into (loading is ~1.2 million
  Python calls on all of Linux). Only in that order: the select
  analysis's witnesses come from its models, which a solver with another
  history would find differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pysat.solvers import Solver

from kconfig_ls.logic.tristate_encoding import Encoding

__all__ = ["BATCH_SOLVER", "Cancelled", "LogicSolver", "Model", "unsatisfiable"]

BATCH_SOLVER = "glucose4"
"""The solver of every query (see the module docstring for the measurements)."""


class Cancelled(Exception):
    """Raised between two queries when the caller's `is_cancelled()` says so."""


class Model:
    """A solver's model as the solver gives it (`values[v - 1]` is `v` or `-v`), asked literal by literal.

    Why not a set: building a set of all 160,000 literals of the all-architecture
    formula costs more than the query that found the model (~5 ms), and the
    analyses look at a handful of its literals. A literal of a variable the
    solver has not seen (a gate built after the query) is not in the model.
    """

    __slots__ = ("values",)

    def __init__(self, values: list[int]) -> None:
        self.values = values

    def __contains__(self, literal: object) -> bool:
        if not isinstance(literal, int):
            return False
        index = (literal if literal > 0 else -literal) - 1
        return index < len(self.values) and self.values[index] == literal


def unsatisfiable(clauses: Iterable[list[int]]) -> bool:
    """Whether a small formula of its own (not an encoding's) has no model.

    For the local checks of `incremental_pruning.strengthened`: a few
    hundred clauses, one fresh solver, no assumptions. The variables are
    numbered afresh from 1: a solver makes room for every variable up to the
    largest it is given, and these clauses name variables of the whole
    formula (130,000 on Linux x86: 30-50 ms a check for 100 clauses, ~0.1 ms
    renumbered).
    """
    numbers: dict[int, int] = {}
    renumbered = [
        [
            (numbers.setdefault(abs(literal), len(numbers) + 1)) * (1 if literal > 0 else -1)
            for literal in clause
        ]
        for clause in clauses
    ]
    with Solver(name=BATCH_SOLVER, bootstrap_with=renumbered) as solver:
        return not solver.solve()


class LogicSolver:
    def __init__(
        self,
        encoding: Encoding,
        is_cancelled: Callable[[], bool] | None = None,
        solver_name: str = BATCH_SOLVER,
        *,
        batch: bool = False,
    ) -> None:
        self.encoding = encoding
        self._is_cancelled = is_cancelled
        self._solver_name = solver_name
        self._batch = batch
        self._solver = Solver(name=solver_name)
        self.queries = 0
        self._taken = 0
        self._asserted_epoch: int | None = None
        self._phases: list[int] = []
        self._synchronise()

    def _synchronise(self) -> None:
        if self._batch and self._asserted_epoch not in (None, self.encoding.epoch):
            # The encoding was edited: the asserted epoch is retired, so start afresh.
            self._solver.delete()
            self._solver = Solver(name=self._solver_name)
            self._taken = 0
            self._asserted_epoch = None
            if self._phases:
                self._solver.set_phases(self._phases)
        new = self.encoding.clauses_since(self._taken)
        if new:
            self._solver.append_formula(new)
            self._taken += len(new)
        if self._batch and self._asserted_epoch is None:
            self._asserted_epoch = self.encoding.epoch
            self._solver.add_clause([self.encoding.epoch])

    def satisfiable(self, assumptions: Iterable[int]) -> set[int] | None:
        """A model (the set of true literals) satisfying the assumptions, or None."""
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()
        self._synchronise()
        self.queries += 1
        assumed = list(assumptions)
        if not self._batch:
            assumed.extend(self.encoding.active_assumptions())
        if not self._solver.solve(assumptions=assumed):
            return None
        model = self._solver.get_model()
        return set(model) if model is not None else set()

    def solvable(self, assumptions: Iterable[int]) -> bool:
        """Whether the assumptions can hold; as `satisfiable`, without building the model."""
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()
        self._synchronise()
        self.queries += 1
        assumed = list(assumptions)
        if not self._batch:
            assumed.extend(self.encoding.active_assumptions())
        return bool(self._solver.solve(assumptions=assumed))

    def satisfiable_any(self, literals: Iterable[int], assumptions: Iterable[int] = ()) -> set[int] | None:
        """A model in which at least one of `literals` holds (under the assumptions), or None.

        The model as a set (see `model_of_any`, which is cheaper).
        """
        model = self.model_of_any(literals, assumptions)
        return None if model is None else {literal for literal in model.values}

    def model_of_any(self, literals: Iterable[int], assumptions: Iterable[int] = ()) -> Model | None:
        """A model in which at least one of `literals` holds (under the assumptions), or None.

        The disjunction is one clause behind a fresh selector literal, given
        to the solver only (the encoding does not keep it) and switched off
        for good after the query: liveness asks this hundreds of times with
        thousands of literals, and a gate per question would grow the
        encoding by millions of literals.
        """
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()
        self._synchronise()
        self.queries += 1
        selector = self.encoding.new_variable()
        self._solver.add_clause([-selector, *literals])
        assumed = [selector, *assumptions]
        if not self._batch:
            assumed.extend(self.encoding.active_assumptions())
        satisfied = self._solver.solve(assumptions=assumed)
        model = self._solver.get_model() if satisfied else None
        self._solver.add_clause([-selector])
        if not satisfied:
            return None
        return Model(model if model is not None else [])

    def prefer(self, literals: Iterable[int]) -> None:
        """Ask the solver to try these literals true first (a model then shows more of them)."""
        self._synchronise()
        self._phases = list(literals)
        self._solver.set_phases(self._phases)

    def park(self) -> None:
        """Leave this batch solver on its encoding for the next `LogicSolver.reuse` (instead of closing).

        Loading the all-architecture formula into a solver is ~1.2 million
        Python calls (a few seconds); the liveness analysis runs on the formula
        the select analysis has just loaded, so it takes that solver over.
        Its learned clauses stay (sound: they follow from the formula).
        """
        previous = getattr(self.encoding, "parked_solver", None)
        if isinstance(previous, LogicSolver) and previous is not self:
            previous.close()
        self.encoding.parked_solver = self

    @classmethod
    def reuse(cls, encoding: Encoding, is_cancelled: Callable[[], bool] | None = None) -> LogicSolver:
        """The batch solver parked on this encoding (see `park`), or a new one."""
        parked = getattr(encoding, "parked_solver", None)
        encoding.parked_solver = None
        if isinstance(parked, LogicSolver) and parked._batch and parked._solver_name == BATCH_SOLVER:
            parked._is_cancelled = is_cancelled
            parked.queries = 0
            return parked
        return cls(encoding, is_cancelled, batch=True)

    def close(self) -> None:
        self._solver.delete()

    def __enter__(self) -> LogicSolver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

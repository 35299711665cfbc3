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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pysat.solvers import Solver

from kconfig_ls.logic.tristate_encoding import Encoding

__all__ = ["Cancelled", "LogicSolver"]


class Cancelled(Exception):
    """Raised between two queries when the caller's `is_cancelled()` says so."""


class LogicSolver:
    def __init__(
        self,
        encoding: Encoding,
        is_cancelled: Callable[[], bool] | None = None,
        solver_name: str = "cadical195",
    ) -> None:
        self.encoding = encoding
        self._is_cancelled = is_cancelled
        self._solver = Solver(name=solver_name)
        self.queries = 0
        self._taken = 0
        self._synchronise()

    def _synchronise(self) -> None:
        new = self.encoding.clauses_since(self._taken)
        if new:
            self._solver.append_formula(new)
            self._taken += len(new)

    def satisfiable(self, assumptions: Iterable[int]) -> set[int] | None:
        """A model (the set of true literals) satisfying the assumptions, or None."""
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()
        self._synchronise()
        self.queries += 1
        assumed = [*assumptions, *self.encoding.active_assumptions()]
        if not self._solver.solve(assumptions=assumed):
            return None
        model = self._solver.get_model()
        return set(model) if model is not None else set()

    def prefer(self, literals: Iterable[int]) -> None:
        """Ask the solver to try these literals true first (a model then shows more of them)."""
        self._synchronise()
        self._solver.set_phases(list(literals))

    def close(self) -> None:
        self._solver.delete()

    def __enter__(self) -> LogicSolver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

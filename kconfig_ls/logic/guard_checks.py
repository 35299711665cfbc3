"""Redundant-guard checks of single C files on a formula kept between edits (KLS206's per-file path).

`logic.guards.redundant_guards` encodes the configured world's symbol table
for every call: on Linux about a second before the first question, too much
for the re-check of one edited C file (issue 9: <= 100 ms). `GuardChecker`
keeps the table, its formula and one solver for as long as the Kconfig model
is the same object (a C edit leaves it alone), so checking one file costs
its own questions only. A new model (a Kconfig edit) builds them again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from kconfig_ls.logic import guards as guards_module
from kconfig_ls.logic.guards import RedundantGuard
from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import Encoding, encode_worlds
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.syntax.c_preprocessor import scan_c
from kconfig_ls.syntax.expression import Expression

__all__ = ["GuardChecker"]


class GuardChecker:
    """The configured world's formula for guard questions, rebuilt only when the model changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: KconfigModel | None = None
        self._table: SymbolTable | None = None
        self._encoding: Encoding | None = None
        self._solver: LogicSolver | None = None

    def table(self, model: KconfigModel) -> SymbolTable:
        with self._lock:
            self._prepare(model)
            assert self._table is not None
            return self._table

    def redundant_guards(
        self, model: KconfigModel, files: Iterable[tuple[str, bytes, Expression, str]]
    ) -> list[RedundantGuard]:
        """`logic.guards.redundant_guards` of the model's configured world, on the kept formula."""
        with self._lock:
            self._prepare(model)
            assert self._encoding is not None and self._solver is not None
            found: list[RedundantGuard] = []
            for path, data, built_when, built_text in files:
                found.extend(
                    guards_module._file_guards(
                        self._encoding, self._solver, path, data, scan_c(data), built_when, built_text
                    )
                )
            return found

    def _prepare(self, model: KconfigModel) -> None:
        if model is self._model:
            return
        if self._solver is not None:
            self._solver.close()
        self._table = build_symbol_table(model)
        self._encoding = encode_worlds({self._table.world: self._table})
        self._solver = LogicSolver(self._encoding, batch=True)
        self._model = model

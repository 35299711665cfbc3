"""Evaluating a configuration (`.config`, defconfig, fragments) natively on a symbol table.

The C tools compute every symbol's value in `sym_calc_value`; kconfiglib
reimplements it and is our test oracle (`tests/linux/test_configuration_agreement.py`
compares every symbol of Linux x86 and arm64). This module follows the same
rules on a `SymbolTable`, without kconfiglib:

- A bool or tristate symbol outside a choice takes its user value, limited
  to its visibility, when it is visible; otherwise the first default whose
  condition holds (limited by that condition), raised by `imply` while its
  direct dependency holds. `select` then raises it to the selector's value
  whatever its dependencies say. `m` becomes `y` for a bool symbol (a bool
  selected by an `m` symbol is `y`) and for a symbol implied by a `y` one.
- A tristate symbol is bool while the modules symbol is `n`, or while it is
  a member of a choice in `y` mode; a bare `m` in a condition means
  `m && MODULES`.
- A choice is in `y` mode unless it is `optional` or in `m` mode (a member
  assigned `m`); in `y` mode exactly one visible member is `y`: the user's
  choice if visible, else the first default whose condition holds and whose
  symbol is visible, else the first visible member.
- int, hex and string symbols take their user value when visible (an int or
  hex value must lie within the first active range, otherwise the defaults
  apply), else the first active default; an int or hex value is clamped
  into the active range.
- An undefined symbol is `n`, and its own name as a string (that is how
  `ARCH = "x86"` compares).
- A `transitional` symbol (Linux 6.18+) has no prompt, yet keeps the value an
  old `.config` gives it, so that the new symbol's default can read it.

Input: the bytes of a `.config` or defconfig, or several fragments merged in
order (a later assignment wins, as `merge_config.sh` and kconfiglib's
`load_config(replace=False)` do). A defconfig needs no expansion step: a
symbol the file does not assign takes its default, exactly as
`make olddefconfig` computes it.

Unknowns: the engine does not run `$(shell,...)`, so a compiler probe is an
`Unknown` operand and what depends on it is unknown (`None`), Kleene-style
(`A && probe` is `n` when A is `n`). `ProbePolicy.FROM_FILE` takes the value
of such a symbol from the configuration file when the file assigns it (a full
`.config` records what the tools computed with the real compiler), and
`ProbePolicy.PLACEHOLDER` treats every probe as kconfiglib does when it does
not run commands (a probe is `n`, its text a placeholder), which is what the
oracle tests compare against.

Why: every symbol keeps a short *decision code* (user value, which default,
raised by select or imply, choice selection, missing dependency, ...);
`kconfig_ls.logic.explain` turns it into reasons with locations.

Speed: the per-table part (symbols compiled to tuples, the graph of which
values read which symbols) is built once per table; an evaluation is one pass
of memoised recursion. Re-evaluating after an edit of the configuration
re-computes only the symbols downstream of the assignments that changed, from
the previous evaluation of the same table (`evaluate_configuration` keeps the
last few per table).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from kconfig_ls.logic.calculation import (
    PLACEHOLDER_VALUE,
    CompiledTable,
    Decision,
    Evaluation,
    ProbePolicy,
)
from kconfig_ls.logic.config_input import ConfigSource, UserAssignment, read_assignments
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import Expression

__all__ = [
    "PLACEHOLDER_VALUE",
    "ConfigSource",
    "Configuration",
    "Decision",
    "ProbePolicy",
    "UserAssignment",
    "evaluate_configuration",
    "read_assignments",
]

_TRI: Final = {"n": 0, "m": 1, "y": 2}
_UNDEFINED: Final = Decision("undefined")
_KEPT_PER_TABLE: Final = 4


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Configuration:
    """The values of every symbol of a table under one configuration.

    `value(name)` is the value as `.config` spells it (`y`, `m`, `n`, a
    number, a string without quotes), None when unknown; `decision(name)`
    says which branch gave it. `assignments` holds every line of the input
    in order, `user_values` the effective one per symbol (the last accepted).
    """

    table: SymbolTable
    sources: tuple[ConfigSource, ...]
    probes: ProbePolicy
    assignments: tuple[UserAssignment, ...]
    user_values: Mapping[str, UserAssignment]
    values: Mapping[str, str | None]
    decisions: Mapping[str, Decision]
    visibilities: Mapping[str, int | None]
    choice_modes: Mapping[str, int | None]
    choice_selections: Mapping[str, str | None]
    choice_decisions: Mapping[str, Decision] = field(default_factory=dict)
    choice_user_modes: Mapping[str, int] = field(default_factory=dict)
    """The mode each choice's assignments ask for (`m` or `y`), before dependencies."""
    choice_user_selections: Mapping[str, str] = field(default_factory=dict)
    """The member each choice's assignments set to `y` last, before dependencies."""
    recomputed: int = 0
    """How many symbols this evaluation computed (all of them, or those downstream of an edit)."""
    _compiled: CompiledTable | None = field(default=None, repr=False)
    _evaluation: Evaluation | None = field(default=None, repr=False)

    def value(self, name: str) -> str | None:
        """The value of a symbol; an undefined symbol is `n` here (its string value is its name)."""
        if name in self.values:
            return self.values[name]
        return "n"

    def tristate(self, name: str) -> int | None:
        value = self.value(name)
        return None if value is None else _TRI.get(value, 0)

    def value_for_expressions(self, name: str) -> str | None:
        """The value as expressions see it (`logic.evaluate.ValueOf`): an undefined symbol is its name."""
        if name in self.values:
            return self.values[name]
        return name

    def decision(self, name: str) -> Decision:
        return self.decisions.get(name, _UNDEFINED)

    def visibility(self, name: str) -> int | None:
        """The symbol's visibility (0, 1, 2), as the C tools compute it (`sym->visible`)."""
        return self.visibilities.get(name, 0)

    def condition(self, expression: Expression) -> int | None:
        """The tristate value of a condition under this configuration (a bare `m` is `m && MODULES`)."""
        assert self._evaluation is not None
        return self._evaluation.condition(expression)

    def expression_value(self, expression: Expression) -> int | None:
        """The tristate value of a `default` value expression (no `m` rewrite)."""
        assert self._evaluation is not None
        return self._evaluation.expression(expression, False)

    def string_of(self, expression: Expression) -> str | None:
        """The string value of a symbol or constant operand (an undefined symbol is its name)."""
        assert self._evaluation is not None
        return self._evaluation.string_of(expression)

    @property
    def unknown(self) -> list[str]:
        """Symbols whose value is unknown (decided by a probe the engine does not run)."""
        return [name for name, value in self.values.items() if value is None]


# --- evaluation ---------------------------------------------------------------------------

_COMPILED: dict[int, tuple[weakref.ref[SymbolTable], CompiledTable]] = {}
_RESULTS: dict[int, OrderedDict[tuple[object, ...], Configuration]] = {}
_LOCK: Final = threading.Lock()


def evaluate_configuration(
    table: SymbolTable,
    sources: ConfigSource | Sequence[ConfigSource],
    *,
    probes: ProbePolicy = ProbePolicy.UNKNOWN,
    previous: Configuration | None = None,
) -> Configuration:
    """Evaluate every symbol of `table` under the configuration files (merged in order).

    Memoised per table and input (the last few of each table are kept), and
    incremental: a new input is evaluated from the latest evaluation of the
    same table (or `previous`), re-computing only what the changed
    assignments reach.
    """
    source_list = (sources,) if isinstance(sources, ConfigSource) else tuple(sources)
    key = (probes, tuple((source.path, source.data) for source in source_list))
    with _LOCK:
        compiled = compiled_table(table)
        kept = _RESULTS.setdefault(id(table), OrderedDict())
        cached = kept.get(key)
        if cached is not None:
            kept.move_to_end(key)
            return cached
        if previous is None or previous.table is not table or previous.probes is not probes:
            previous = next(
                (
                    configuration
                    for configuration in reversed(kept.values())
                    if configuration.probes is probes
                ),
                None,
            )
    assignments = _assignments(table, source_list, previous)
    result = Evaluation(table, compiled, source_list, probes, assignments, previous).run()
    with _LOCK:
        kept[key] = result
        while len(kept) > _KEPT_PER_TABLE:
            kept.popitem(last=False)
    return result


def _assignments(
    table: SymbolTable, sources: tuple[ConfigSource, ...], previous: Configuration | None
) -> tuple[UserAssignment, ...]:
    """The input's assignments, re-using those of `previous` when its files are a prefix of these.

    The enabling-set search evaluates the configuration again with a small
    fragment appended, several times per symbol; re-reading the 11,000 lines
    of a Debian `.config` was a third of each trial.
    """
    if previous is not None and previous.table is table:
        count = len(previous.sources)
        if 0 < count < len(sources) and previous.sources == sources[:count]:
            return (*previous.assignments, *read_assignments(table, sources[count:]))
    return read_assignments(table, sources)


def compiled_table(table: SymbolTable) -> CompiledTable:
    entry = _COMPILED.get(id(table))
    if entry is not None and entry[0]() is table:
        return entry[1]
    compiled = CompiledTable(table)
    identity = id(table)

    def forget(_: object) -> None:
        _COMPILED.pop(identity, None)
        _RESULTS.pop(identity, None)

    _COMPILED[identity] = (weakref.ref(table, forget), compiled)
    _RESULTS.pop(identity, None)
    return compiled

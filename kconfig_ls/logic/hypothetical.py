"""Hypothetical assignments on an evaluated configuration, evaluated on demand.

The enabling-set search (`kconfig_ls.logic.enabling`) asks "what if X=y and
Y=m?" several times per hover. Re-evaluating the configuration with those
lines appended, even incrementally (`evaluate_configuration` with a
`previous`), re-reads the user values of every line, copies every memo and
recomputes every symbol the changed assignments reach: 20 to 40 ms per
question on Linux, too slow for a hover's first answer. `evaluate_changes`
reuses the same `Evaluation` (so the same rules) with three cuts:

- nothing is re-read or copied: a trial's memos fall back to the base
  evaluation's values for every node the changes cannot reach;
- that reach is narrowed to the question (`upstream`: the nodes the
  target's value reads, transitively), a few hundred nodes instead of the
  thousands a switch like `COMPILE_TEST` reaches in the whole tree;
- a reached node is recomputed only if one of the nodes it reads really
  has another value in the trial (early cutoff: most of what a change
  reaches keeps its value, and so does everything behind it).

Values are computed when they are read, so a trial is not for sharing
between threads. `tests/logic/test_hypothetical.py` checks trials against
full evaluations of the same assignments, value for value.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

from kconfig_ls.logic.calculation import CompiledTable, Decision, Evaluation
from kconfig_ls.logic.compiled_table import mode_node as _mode_node
from kconfig_ls.logic.compiled_table import selection_node as _selection_node
from kconfig_ls.logic.config_input import ConfigSource, UserAssignment, read_assignments
from kconfig_ls.logic.configuration import Configuration, compiled_table

__all__ = ["CHANGES_PATH", "Focus", "evaluate_changes", "upstream"]

CHANGES_PATH: Final = "<changes>"
"""The path of the assignments a trial adds (in its `sources` and `user_values`)."""

_MODE: Final = _mode_node("")
_SELECTION: Final = _selection_node("")
_RECURSION_LIMIT: Final = 20_000
_MAX_VERIFIED_READS: Final = 8
_MISSING: Final = object()
_UNDEFINED: Final = Decision("undefined")
_LOCK: Final = threading.Lock()


class _TableIndex:
    """What trials need of a compiled table besides `dependents`, built once per table (~0.1 s on Linux)."""

    def __init__(self, compiled: CompiledTable) -> None:
        inverse: dict[str, list[str]] = {}
        for name, readers in compiled.dependents.items():
            for reader in readers:
                inverse.setdefault(reader, []).append(name)
        self.reads = {reader: tuple(names) for reader, names in inverse.items()}
        """For each symbol or choice node, the nodes its value reads (the inverse of `dependents`)."""
        self.typed = {name: None for name, symbol in compiled.symbols.items() if symbol.type is not None}
        """The symbols an evaluation computes a visibility for."""


_INDEXES: weakref.WeakKeyDictionary[CompiledTable, _TableIndex] = weakref.WeakKeyDictionary()


def _index(compiled: CompiledTable) -> _TableIndex:
    with _LOCK:
        cached = _INDEXES.get(compiled)
    if cached is None:
        cached = _TableIndex(compiled)
        with _LOCK:
            _INDEXES[compiled] = cached
    return cached


def prepare(configuration: Configuration) -> None:
    """Build what trials on this configuration's table need, ahead of the first (a background task)."""
    _index(configuration._compiled or compiled_table(configuration.table))


class Focus:
    """The nodes one question is about (`upstream`), and who reads whom among them (found when asked)."""

    __slots__ = ("_dependents", "_inside", "_reach", "nodes")

    def __init__(self, nodes: frozenset[str], dependents: Mapping[str, set[str]]) -> None:
        self.nodes = nodes
        self._dependents = dependents
        self._inside: dict[str, tuple[str, ...]] = {}
        self._reach: dict[str, frozenset[str]] = {}

    def reach_of(self, node: str) -> frozenset[str]:
        """The nodes of the focus a change of `node` reaches (through nodes of the focus only: it is
        closed upwards); kept, since the trials of one search change the same few symbols."""
        found = self._reach.get(node)
        if found is None:
            seen = {node} if node in self.nodes else set()
            stack = list(seen)
            while stack:
                for reader in self.readers(stack.pop()):
                    if reader not in seen:
                        seen.add(reader)
                        stack.append(reader)
            found = frozenset(seen)
            self._reach[node] = found
        return found

    def readers(self, node: str) -> tuple[str, ...]:
        """The nodes of the focus that read `node` (filtered once: `MODULES` has 10,000 readers)."""
        found = self._inside.get(node)
        if found is None:
            nodes = self.nodes
            found = tuple(reader for reader in self._dependents.get(node, ()) if reader in nodes)
            self._inside[node] = found
        return found


def upstream(configuration: Configuration, names: Sequence[str]) -> Focus:
    """Every symbol and choice node the values of `names` read, transitively (`names` included).

    A change outside these nodes cannot alter the values of `names`; a trial
    narrowed to them (`evaluate_changes(..., within=...)`) follows a change
    only inside them.
    """
    compiled = configuration._compiled or compiled_table(configuration.table)
    reads = _index(compiled).reads
    seen = set(names)
    stack = list(seen)
    while stack:
        for read in reads.get(stack.pop(), ()):
            if read not in seen:
                seen.add(read)
                stack.append(read)
    return Focus(frozenset(seen), compiled.dependents)


class _Memo(dict[str, Any]):
    """A trial's memo of one kind of value: its own entries, else the base's unless the node changed."""

    __slots__ = ("_base", "_prefix", "_trial")

    def __init__(self, trial: _Trial, base: Mapping[str, Any], prefix: str = "") -> None:
        super().__init__()
        self._trial = trial
        self._base = base
        self._prefix = prefix

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        value = dict.get(self, key, _MISSING)
        if value is not _MISSING:
            return value
        if self._trial.must_compute(self._prefix + key if self._prefix else key):
            return default
        return self._base.get(key, default)


class _Trial(Evaluation):
    """An `Evaluation` of the base configuration plus a few assignments, computed on demand.

    Its memos (`_Memo`) answer with the base's values for every node the
    changes do not reach; a reached node first asks whether any node it
    reads has another value in the trial, and keeps the base's values when
    none has.
    """

    requested: dict[str, str]

    def __init__(self, base: Configuration, added: tuple[UserAssignment, ...], focus: Focus | None) -> None:
        # Not `Evaluation.__init__`: the base's user values are copied, not read again.
        earlier = base._evaluation
        assert earlier is not None and base._compiled is not None
        self.base = base
        self.earlier = earlier
        self.table = base.table
        self.compiled = base._compiled
        self.symbols = self.compiled.symbols
        self.probes = base.probes
        self.placeholder = earlier.placeholder
        self.generated_paths = earlier.generated_paths
        self.user = dict(earlier.user)
        self.user_tristate = dict(earlier.user_tristate)
        self.choice_user_mode = dict(earlier.choice_user_mode)
        self.choice_user_selection = dict(earlier.choice_user_selection)
        self.assignments = added
        self._read_user_values()
        self.assignments = (*base.assignments, *added)
        self.sources = base.sources
        self.recomputed = 0
        self.active = set()  # the cycle guard of `Evaluation` (see its __init__)
        self.cycles = set()
        self.changed = self._changed_nodes(earlier, added)
        self._reads = _index(self.compiled).reads
        self.focus = focus
        self._everywhere: set[str] | None = None
        self.reached: set[str] = set()
        if focus is not None:
            for node in self.changed:
                self.reached.update(focus.reach_of(node))
        self._settled: dict[str, bool] = {}
        self.values = _Memo(self, earlier.values)
        self.tristates = _Memo(self, earlier.tristates)
        self.decisions = _Memo(self, earlier.decisions)
        self.visibilities = _Memo(self, earlier.visibilities)
        self.modes = _Memo(self, earlier.modes, _MODE)
        self.selections = _Memo(self, earlier.selections, _SELECTION)
        self.selection_decisions = _Memo(self, earlier.selection_decisions, _SELECTION)

    def _changed_nodes(self, earlier: Evaluation, added: tuple[UserAssignment, ...]) -> set[str]:
        """The nodes whose input changed: symbols with another user value, choices with another user pick."""
        changed: set[str] = set()
        for assignment in added:
            name = assignment.symbol
            mine, theirs = self.user.get(name), earlier.user.get(name)
            if (mine is None) != (theirs is None) or (
                mine is not None and theirs is not None and mine.value != theirs.value
            ):
                changed.add(name)
            compiled = self.symbols.get(name)
            choice = compiled.choice if compiled is not None else None
            if choice is not None:
                if self.choice_user_mode.get(choice) != earlier.choice_user_mode.get(choice):
                    changed.add(_MODE + choice)
                if self.choice_user_selection.get(choice) != earlier.choice_user_selection.get(choice):
                    changed.add(_SELECTION + choice)
        return changed

    def _reached_by_changes(self, node: str) -> bool:
        if self.focus is not None and node in self.focus.nodes:
            return node in self.reached
        if self._everywhere is None:
            # Asked about a node outside the focus: follow the changes through the whole table.
            self._everywhere = self.compiled.downstream(self.changed)
        return node in self._everywhere

    def must_compute(self, node: str) -> bool:
        """Whether a node's values must be computed again (else the base's hold)."""
        settled = self._settled.get(node)
        if settled is not None:
            return settled
        if not self._reached_by_changes(node):
            return False
        # Provisionally yes: a node that reads itself back (a cycle of the static graph) is computed.
        self._settled[node] = True
        if node in self.changed:
            return True
        reads = self._reads.get(node, ())
        if len(reads) > _MAX_VERIFIED_READS:
            # Computing it again reads only what decides it (the first default that
            # applies, the first selector at y); checking each read first would cost more.
            return True
        for read in reads:
            if self._reached_by_changes(read) and self._differs(read):
                return True
        self._settled[node] = False
        return False

    def _differs(self, node: str) -> bool:
        """Whether a node's value in the trial differs from the base's (computing it if need be)."""
        earlier = self.earlier
        if node.startswith(_MODE):
            key = node[len(_MODE) :]
            return self.mode(key) != earlier.modes.get(key)
        if node.startswith(_SELECTION):
            key = node[len(_SELECTION) :]
            return self.selection(key) != earlier.selections.get(key) or self.selection_decisions.get(
                key
            ) != earlier.selection_decisions.get(key)
        if node not in self.symbols:
            return False  # undefined: its value is its name, whatever is assigned
        return self.value(node) != earlier.values.get(node)

    # -- what the trial's `Configuration` reads ----------------------------------------------------

    def read_decision(self, name: str) -> Decision:
        self.value(name)
        decision = self.decisions.get(name)
        return _UNDEFINED if decision is None else decision  # type: ignore[no-any-return]

    def read_selection(self, key: str) -> str | None:
        return self.selection(key) or None

    def read_selection_decision(self, key: str) -> Decision:
        self.selection(key)
        decision = self.selection_decisions.get(key)
        return _UNDEFINED if decision is None else decision  # type: ignore[no-any-return]


class _Lazy(Mapping[str, Any]):
    """One of a trial configuration's mappings: each value computed when it is read."""

    def __init__(self, keys: Mapping[str, object], read: Callable[[str], Any]) -> None:
        self._keys = keys
        self._read = read

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return self._read(key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def evaluate_changes(
    configuration: Configuration, changes: Mapping[str, str], *, within: Focus | None = None
) -> Configuration:
    """The configuration with `changes` (symbol to value) assigned after its files, evaluated on demand.

    Equal, value for value, to `evaluate_configuration` of the files plus a
    fragment with these lines, but nothing is re-read or copied: each value
    is computed when it is read, and only if the changes can alter it.
    `within` (from `upstream`) narrows their reach to the nodes of one
    question; a value outside it is still right, only slower to get.
    """
    base = configuration
    evaluation = base._evaluation
    if isinstance(evaluation, _Trial):
        # A trial of a trial: the changes of both on the real evaluation.
        changes = {**evaluation.requested, **changes}
        base = evaluation.base
    if base._evaluation is None or base._compiled is None:
        raise ValueError("evaluate_changes needs an evaluated configuration")
    lines = [
        f"# CONFIG_{symbol} is not set" if value == "n" else f"CONFIG_{symbol}={value}"
        for symbol, value in changes.items()
    ]
    fragment = ConfigSource(CHANGES_PATH, ("\n".join(lines) + "\n").encode())
    added = read_assignments(base.table, (fragment,))
    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        # `Evaluation.run` raises it for its pass; a trial recurses later, when it is read.
        sys.setrecursionlimit(_RECURSION_LIMIT)
    trial = _Trial(base, added, within)
    trial.requested = dict(changes)
    symbols = base._compiled.symbols
    choices = base._compiled.choices
    return Configuration(
        table=base.table,
        sources=(*base.sources, fragment),
        probes=base.probes,
        assignments=trial.assignments,
        user_values=trial.user,
        values=_Lazy(symbols, trial.value),
        decisions=_Lazy(symbols, trial.read_decision),
        visibilities=_Lazy(_index(base._compiled).typed, trial.visibility),
        choice_modes=_Lazy(choices, trial.mode),
        choice_selections=_Lazy(choices, trial.read_selection),
        choice_decisions=_Lazy(choices, trial.read_selection_decision),
        choice_user_modes=trial.choice_user_mode,
        choice_user_selections=trial.choice_user_selection,
        _compiled=base._compiled,
        _evaluation=trial,
    )

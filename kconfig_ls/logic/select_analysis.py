"""Which selects can force a symbol on against its own dependencies, on which architectures.

`select TARGET` sets TARGET to at least the selector's value and ignores
TARGET's `depends on`; the C tools then print "unmet direct dependencies".
A select is dangerous exactly when some configuration makes `SELECTOR &&
condition` greater than TARGET's direct dependency (n while the selector is
m or y, or m while it is y). That is one SAT query per select and group of
worlds where it means the same, on the formula of every world
(`kconfig_ls.logic.tristate_encoding`).

A syntactic pre-filter answers most selects without the solver: a target
without dependencies, or a select whose condition (its `if` and the
selector's dependencies) contains every conjunct of the target's
dependencies, can never leave them unmet.

A dangerous select comes with a witness: the world and the values of the
symbols that matter (the cone of influence of the query), as `.config`
lines that kconfiglib and the C tools accept.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass, replace

from kconfig_ls.logic.evaluate import evaluate
from kconfig_ls.logic.solver import LogicSolver, Model
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding, encode_worlds
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import ReverseDependencySemantics, SymbolSemantics, SymbolTable
from kconfig_ls.syntax.expression import TRUE, And, Expression, referenced_symbols, render

__all__ = [
    "ConeCache",
    "EdgeKey",
    "SelectAnalysis",
    "UnmetSelect",
    "analyse_selects",
    "conjuncts",
    "witness_config",
]

EdgeKey = tuple[str, str, str, int]
"""A select statement: selector, target, file, offset of the `select` line."""


@dataclass(frozen=True, slots=True)
class UnmetSelect:
    """A select that can force its target on while the target's dependencies are lower.

    `worlds` are the worlds where it can happen; the witness is for
    `witness_world`: `unmet` are the target's dependency conjuncts that are
    below the selector's value there, `witness` the values (name, y/m/n) of
    the symbols that decide it.
    """

    selector: str
    target: str
    location: Location
    dependency: str
    worlds: tuple[str, ...]
    witness_world: str
    selector_value: str
    unmet: tuple[tuple[str, str], ...]
    witness: tuple[tuple[str, str], ...]
    unmet_by_world: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """The unmet conjuncts in each world where they differ from the witness world's (`unmet`):
    aptrace's `depends on !ESP32_TRAX` on esp32 is `!ESP32S2_TRAX` on esp32s2. Empty when
    they are the same everywhere, or not known (an analysis read from the cache)."""

    @property
    def key(self) -> EdgeKey:
        return (self.selector, self.target, self.location.path, self.location.span.start)


@dataclass(frozen=True)
class SelectAnalysis:
    """The verdict on every select of bool/tristate, non-choice targets.

    `analysed` holds every select looked at (pre-filtered or solved);
    `unmet` the dangerous ones. `queries` counts solver calls.
    """

    worlds: tuple[str, ...]
    analysed: frozenset[EdgeKey]
    unmet: Mapping[EdgeKey, UnmetSelect]
    prefiltered: int
    queries: int


def conjuncts(expression: Expression) -> tuple[Expression, ...]:
    if expression == TRUE:
        return ()
    return expression.operands if isinstance(expression, And) else (expression,)


def _implied_syntactically(condition: Expression, dependency: Expression) -> bool:
    present = set(conjuncts(condition))
    return all(part in present for part in conjuncts(dependency))


def analyse_selects(
    tables: Mapping[str, SymbolTable],
    is_cancelled: Callable[[], bool] | None = None,
    encoding: Encoding | None = None,
    keep: Callable[[EdgeKey, str, Model], None] | None = None,
) -> SelectAnalysis:
    """Check every select of every world (see the module docstring).

    `keep` is given each select found unmet, with its world and the model
    that shows it (the incremental analysis keeps a few as witnesses).
    """
    groups: dict[EdgeKey, dict[tuple[Expression, Expression], list[str]]] = {}
    reverses: dict[EdgeKey, ReverseDependencySemantics] = {}
    locations: dict[EdgeKey, Location] = {}
    analysed: set[EdgeKey] = set()
    prefiltered = 0
    for world, table in tables.items():
        for semantics in table:
            for select in semantics.selects:
                target = table.get(select.target)
                if target is None or target.type not in ("bool", "tristate") or target.choice is not None:
                    continue
                key = (select.selector, select.target, select.location.path, select.location.span.start)
                analysed.add(key)
                locations[key] = select.location
                dependency = target.direct_dependency
                # A bool choice member selects at the choice's value (y), not at its dependencies'.
                in_choice = semantics.choice is not None
                if dependency == TRUE or (
                    not in_choice and _implied_syntactically(select.condition, dependency)
                ):
                    prefiltered += 1
                    continue
                groups.setdefault(key, {}).setdefault((select.condition, dependency), []).append(world)
                reverses.setdefault(key, select)
    if encoding is None:
        encoding = encode_worlds(tables)
    pending: list[_Pending] = []
    for key, by_meaning in groups.items():
        for (condition, dependency), worlds in by_meaning.items():
            modules = encoding.modules_literal(worlds[0])
            selected = encoding.select_pair(key[0], condition, worlds[0], reverse=reverses[key])
            required = encoding.pair(dependency, modules)
            question = encoding.disjoin(
                (
                    encoding.conjoin((selected[0], -required[0])),
                    encoding.conjoin((selected[1], -required[1])),
                )
            )
            guarded = encoding.conjoin((question, encoding.world_set(worlds)))
            if guarded != -TRUE_LITERAL:
                pending.append(_Pending(key, condition, dependency, guarded, guarded))
    holding: dict[EdgeKey, set[str]] = {}
    unmet_in: dict[EdgeKey, dict[str, tuple[tuple[str, str], ...]]] = {}
    # The finding is made from the first model that shows it (its worlds are filled in at the
    # end): keeping that model instead cost 40 MB a finding on all of Linux's architectures.
    first: dict[EdgeKey, UnmetSelect] = {}
    cones = ConeCache()
    solver = LogicSolver(encoding, is_cancelled, batch=True)
    try:
        # A few selects per query: "can any of these leave its target's dependencies unmet?"
        # A "no" settles them all; a "yes" names those unmet in the model's world, which are
        # asked again without that world. Measured on Linux x86 (CPU, one query per select =
        # 1): batches of 1, 4 and 32 take 6.5, 6.1 and 6.8 s; one query for all 3,010 took 26 s
        # (a huge disjunction is a hard instance). Small batches save the per-query overhead.
        for start in range(0, len(pending), BATCH):
            batch = pending[start : start + BATCH]
            while batch:
                model = solver.model_of_any(item.literal for item in batch)
                if model is None:
                    break
                world = encoding.world_of(model)
                still: list[_Pending] = []
                for item in batch:
                    if item.literal == TRUE_LITERAL or item.literal in model:
                        holding.setdefault(item.key, set()).add(world)
                        if keep is not None:
                            keep(item.key, world, model)
                        if item.key not in first:
                            location = locations[item.key]
                            first[item.key] = _finding(
                                encoding, item.key, location, model, item.condition, item.dependency, cones
                            )
                        else:
                            unmet_in.setdefault(item.key, {})[world] = _unmet_parts(
                                encoding, item.key[0], model, item.dependency
                            )
                        item.literal = encoding.conjoin((item.literal, -encoding.world_variable[world]))
                        if item.literal == -TRUE_LITERAL:
                            continue
                    still.append(item)
                batch = still
        queries = solver.queries
    except BaseException:
        solver.close()
        raise
    # The liveness analysis asks its questions of the same formula: it takes this solver over.
    solver.park()
    unmet: dict[EdgeKey, UnmetSelect] = {}
    for key, finding in first.items():
        others = unmet_in.get(key, {})
        differing = tuple(
            (world, others[world]) for world in sorted(others) if others[world] != finding.unmet
        )
        unmet[key] = replace(finding, worlds=tuple(sorted(holding[key])), unmet_by_world=differing)
    return SelectAnalysis(tuple(tables), frozenset(analysed), unmet, prefiltered, queries)


BATCH = 4
"""Selects asked about in one query (see the measurements in `analyse_selects`)."""


@dataclass
class _Pending:
    """A select still to be settled: `literal` is its question minus the worlds already found."""

    key: EdgeKey
    condition: Expression
    dependency: Expression
    question: int
    literal: int


def _finding(
    encoding: Encoding,
    key: EdgeKey,
    location: Location,
    model: Container[int],
    condition: Expression,
    dependency: Expression,
    cones: ConeCache | None = None,
) -> UnmetSelect:
    """The finding of a select unmet in `model`: the unmet conjuncts and the witness (worlds: that one).

    `cones` remembers each symbol's influences between findings (see `ConeCache`).
    """
    selector, target = key[0], key[1]
    world = encoding.world_of(model)
    table = encoding.tables[world]
    selector_value = encoding.value_of(model, selector)
    unmet = _unmet_parts(encoding, selector, model, dependency)
    cones = cones if cones is not None else ConeCache()
    witness = tuple(
        (name, encoding.value_of(model, name))
        for name in sorted(
            cones.settable_cone(
                table, (selector, *referenced_symbols(condition), *referenced_symbols(dependency))
            )
        )
    )
    return UnmetSelect(
        selector,
        target,
        location,
        render(dependency),
        (world,),
        world,
        selector_value,
        unmet,
        witness,
    )


def _unmet_parts(
    encoding: Encoding, selector: str, model: Container[int], dependency: Expression
) -> tuple[tuple[str, str], ...]:
    """The target's dependency conjuncts below the selector's value in the model, as (text, n/m)."""
    world = encoding.world_of(model)
    table = encoding.tables[world]

    def value_of(name: str) -> str | None:
        semantics = table.get(name)
        if semantics is None:
            return "n"
        if semantics.type not in ("bool", "tristate"):
            return None
        return encoding.value_of(model, name)

    selector_value = encoding.value_of(model, selector)
    modules = encoding.modules_literal(world)
    unmet: list[tuple[str, str]] = []
    # A conjunct written twice (an enclosing `if X` and the definition's own `depends on X`,
    # mbedtls' MBEDTLS_ECP_RESTARTABLE) is named once.
    for part in dict.fromkeys(conjuncts(dependency)):
        value = evaluate(part, value_of, m_requires_modules=True)
        if value is None and encoding.is_exact(part, world):
            # A comparison of int, hex or string values the encoding models in this world
            # (`IDF_TARGET="esp32"`, `ESP_REV_MIN_FULL >= 300`): the model's value is the truth.
            pair = encoding.pair(part, modules)
            value = 2 if pair[1] in model else 1 if pair[0] in model else 0
        if value is not None and value < (2 if selector_value == "y" else 1):
            unmet.append((render(part), "ny"[0] if value == 0 else "m"))
    return tuple(unmet)


class ConeCache:
    """Each symbol's influences (`_influences`) and whether a user can set it, by world, remembered.

    A witness lists the user-settable symbols of its question's cone; the
    cones of Linux's selects hold thousands of symbols, and reading their
    expressions again for each finding was most of an update's time after an
    edit (~70 ms a finding on x86). An entry is keyed by the semantics object
    it was read from: a symbol an edit changed has a new one, so nothing is
    ever invalidated by hand (choices and the modules symbol, which
    `_influences` also reads, never change without a rebuild).
    """

    _VERSIONS = 2
    """Cones kept per place: an edit and its undo each find theirs."""

    def __init__(self, cones_kept: int = 0) -> None:
        self._entries: dict[str, dict[str, tuple[SymbolSemantics, tuple[str, ...], bool]]] = {}
        self._cones_kept = cones_kept
        self._cones: dict[tuple[str, tuple[str, ...]], list[_Cone]] = {}
        self._changes: list[frozenset[str]] = []

    def changed(self, names: frozenset[str]) -> None:
        """Say that these symbols' semantics changed (an edit): the cones holding one are checked again."""
        if self._cones:
            self._changes.append(names)

    def settable_cone(self, table: SymbolTable, roots: tuple[str, ...]) -> set[str]:
        """The user-settable symbols among every symbol whose value can influence the roots' values.

        With `cones_kept`, the last cones are kept whole (the same set object
        while they stand): a cone is the closure of its members' influences, so
        it stands while every member that changed since (`changed`) has the
        influences and settability it had when the cone was walked. After a
        `select SWAP` added to COMPACTION, a cone holding SWAP was walked again
        (~3 ms each, 21 of 25 findings on Linux x86) though the cone of its undo
        was the one of before.
        """
        if not self._cones_kept:
            return self._walk(table, roots)[1]
        place = (table.world, roots)
        versions = self._cones.pop(place, [])
        for index, cone in enumerate(versions):
            if self._stands(table, cone):
                cone.seen = len(self._changes)
                versions.insert(0, versions.pop(index))
                self._cones[place] = versions
                return cone.settable
        members, settable = self._walk(table, roots)
        # A member undefined in the world reads as no influences, not settable (as `_entry` reads it).
        recorded = {name: self._entry(table, name)[1:] for name in members}
        versions.insert(0, _Cone(len(self._changes), recorded, settable))
        del versions[self._VERSIONS :]
        self._cones[place] = versions
        while len(self._cones) > self._cones_kept:
            del self._cones[next(iter(self._cones))]
        return settable

    def _stands(self, table: SymbolTable, cone: _Cone) -> bool:
        """Whether every member of the cone that changed since it was walked reads as it did."""
        recorded = cone.recorded
        for names in self._changes[cone.seen :]:
            for name in names:
                before = recorded.get(name)
                if before is not None and self._entry(table, name)[1:] != before:
                    return False
        return True

    def _entry(self, table: SymbolTable, name: str) -> tuple[SymbolSemantics | None, tuple[str, ...], bool]:
        semantics = table.get(name)
        if semantics is None:
            return (None, (), False)
        entries = self._entries.setdefault(table.world, {})
        entry = entries.get(name)
        if entry is None or entry[0] is not semantics:
            entry = (
                semantics,
                tuple(dict.fromkeys(_influences(table, name))),
                semantics.type in ("bool", "tristate") and semantics.has_prompt,
            )
            entries[name] = entry
        return entry

    def _walk(self, table: SymbolTable, roots: tuple[str, ...]) -> tuple[set[str], set[str]]:
        entries = self._entries.setdefault(table.world, {})
        seen: set[str] = set()
        settable: set[str] = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            semantics = table.get(name)
            if semantics is None:
                continue
            entry = entries.get(name)
            if entry is None or entry[0] is not semantics:
                _, influences, can_set = self._entry(table, name)
            else:
                _, influences, can_set = entry
            if can_set:
                settable.add(name)
            stack.extend(influences)
        return seen, settable


class _Cone:
    """A kept cone (`ConeCache`): the change count it was last known to stand at, what each member
    read then (influences, settable) and its settable members."""

    __slots__ = ("recorded", "seen", "settable")

    def __init__(
        self, seen: int, recorded: dict[str, tuple[tuple[str, ...], bool]], settable: set[str]
    ) -> None:
        self.seen = seen
        self.recorded = recorded
        self.settable = settable


def _influences(table: SymbolTable, name: str) -> Iterator[str]:
    semantics = table.symbols[name]
    yield from referenced_symbols(semantics.direct_dependency)
    yield from referenced_symbols(semantics.visibility)
    for default in semantics.defaults:
        yield from referenced_symbols(default.value)
        yield from referenced_symbols(default.condition)
    for reverse in (*semantics.selected_by, *semantics.implied_by):
        yield reverse.selector
        yield from referenced_symbols(reverse.condition)
    if semantics.choice is not None:
        choice = table.choices.get(semantics.choice)
        if choice is not None:
            yield from choice.members
    modules = table.modules_symbol
    if modules is not None and semantics.type == "tristate":
        yield modules


def witness_config(finding: UnmetSelect, line_prefix: str = "CONFIG_") -> str:
    """The witness as `.config` text (what `kconfig-ls lint --witness-dir` writes).

    `line_prefix` starts each line as the tree's `conf` writes it: `CONFIG_`,
    or nothing in Buildroot, whose `conf` is built with `-DCONFIG_=""`
    (`support/kconfig/Makefile.br`) because its symbols carry `BR2_` in
    their names. A tree with one world has no world to name.
    """
    world = f" ({finding.witness_world})" if finding.witness_world else ""
    header = f"# kconfig-ls witness: {finding.selector} selects {finding.target} with unmet dependencies"
    lines = [header + world]
    if finding.unmet:
        unmet = ", ".join(f"{conjunct}={value}" for conjunct, value in finding.unmet)
        lines.append(f"# unmet here: {unmet}, while {finding.selector}={finding.selector_value}")
    for name, value in finding.witness:
        lines.append(f"# {line_prefix}{name} is not set" if value == "n" else f"{line_prefix}{name}={value}")
    return "\n".join(lines) + "\n"

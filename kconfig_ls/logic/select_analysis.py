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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from kconfig_ls.logic.evaluate import evaluate
from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import Encoding, encode_worlds
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import TRUE, And, Expression, referenced_symbols, render

__all__ = ["EdgeKey", "SelectAnalysis", "UnmetSelect", "analyse_selects", "conjuncts", "witness_config"]

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
) -> SelectAnalysis:
    """Check every select of every world (see the module docstring)."""
    groups: dict[EdgeKey, dict[tuple[Expression, Expression], list[str]]] = {}
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
    if encoding is None:
        encoding = encode_worlds(tables)
    unmet: dict[EdgeKey, UnmetSelect] = {}
    with LogicSolver(encoding, is_cancelled, batch=True) as solver:
        for key, by_meaning in groups.items():
            found = _solve_edge(encoding, solver, key, locations[key], by_meaning)
            if found is not None:
                unmet[key] = found
        queries = solver.queries
    return SelectAnalysis(tuple(tables), frozenset(analysed), unmet, prefiltered, queries)


def _solve_edge(
    encoding: Encoding,
    solver: LogicSolver,
    key: EdgeKey,
    location: Location,
    by_meaning: Mapping[tuple[Expression, Expression], list[str]],
) -> UnmetSelect | None:
    selector, target = key[0], key[1]
    holding: list[str] = []
    first: tuple[set[int], Expression, Expression] | None = None
    for (condition, dependency), worlds in by_meaning.items():
        modules = encoding.modules_literal(worlds[0])
        selected = encoding.select_pair(selector, condition, worlds[0])
        required = encoding.pair(dependency, modules)
        question = encoding.disjoin(
            (
                encoding.conjoin((selected[0], -required[0])),
                encoding.conjoin((selected[1], -required[1])),
            )
        )
        guard = encoding.world_set(worlds)
        excluded: list[int] = []
        while True:
            model = solver.satisfiable([question, guard, *excluded])
            if model is None:
                break
            world = encoding.world_of(model)
            holding.append(world)
            excluded.append(-encoding.world_variable[world])
            if first is None:
                first = (model, condition, dependency)
    if first is None:
        return None
    model, condition, dependency = first
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
    unmet: list[tuple[str, str]] = []
    for part in conjuncts(dependency):
        value = evaluate(part, value_of, m_requires_modules=True)
        if value is not None and value < (2 if selector_value == "y" else 1):
            unmet.append((render(part), "ny"[0] if value == 0 else "m"))
    witness = tuple(
        (name, encoding.value_of(model, name))
        for name in sorted(
            _cone(table, (selector, *referenced_symbols(condition), *referenced_symbols(dependency)))
        )
        if _user_settable(table, name)
    )
    return UnmetSelect(
        selector,
        target,
        location,
        render(dependency),
        tuple(sorted(set(holding))),
        world,
        selector_value,
        tuple(unmet),
        witness,
    )


def _user_settable(table: SymbolTable, name: str) -> bool:
    semantics = table.get(name)
    return semantics is not None and semantics.type in ("bool", "tristate") and semantics.has_prompt


def _cone(table: SymbolTable, roots: tuple[str, ...]) -> set[str]:
    """Every symbol whose value can influence the roots' values (dependencies, defaults, selects)."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        semantics = table.get(name)
        if semantics is None:
            continue
        stack.extend(_influences(table, name))
    return seen


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


def witness_config(finding: UnmetSelect) -> str:
    """The witness as `.config` text (what `kconfig-ls lint --witness-dir` writes)."""
    lines = [
        f"# kconfig-ls witness: {finding.selector} selects {finding.target} "
        f"with unmet dependencies ({finding.witness_world})",
    ]
    for name, value in finding.witness:
        lines.append(f"# CONFIG_{name} is not set" if value == "n" else f"CONFIG_{name}={value}")
    return "\n".join(lines) + "\n"
